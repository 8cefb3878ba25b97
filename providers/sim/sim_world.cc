#include "providers/sim/sim_world.h"

#include <algorithm>
#include <chrono>

#include "providers/sim/api_envelope.h"
#include "providers/sim/instance_view.h"

namespace spotform::sim {
namespace {

constexpr size_t kMaxActivitiesPerEnv = 2000;        // older activities are forgotten
constexpr uint64_t kIdSeed = 0x5107f0a3d15c0ffeULL;  // deterministic ids across runs

}  // namespace

const char* InstanceStateName(InstanceState state) {
  switch (state) {
    case InstanceState::kPending:
      return "PENDING";
    case InstanceState::kRunning:
      return "RUNNING";
    case InstanceState::kLaunchFailed:
      return "LAUNCH_FAILED";
    case InstanceState::kTerminating:
      return "TERMINATING";
  }
  return "PENDING";
}

const char* ChargeTypeName(ChargeType type) {
  return type == ChargeType::kSpotPaid ? "SPOTPAID" : "POSTPAID_BY_HOUR";
}

SimWorld::SimWorld(const CloudModelOptions& options, const Clock& clock, const Scenario& scenario,
                   uint64_t generation)
    : options_(options),
      clock_(clock),
      market_(Market::BuiltIn()),
      rng_(kIdSeed + generation * 0x9e3779b97f4a7c15ULL) {
  launch_failure_rate_ = scenario.launch_failure_rate.value_or(0.0);
  if (scenario.create_ticks) options_.create_ticks = static_cast<int>(*scenario.create_ticks);
  if (scenario.busy_ticks) options_.busy_ticks = static_cast<int>(*scenario.busy_ticks);
  if (scenario.min_count) options_.min_count = *scenario.min_count;
  spot_quota_.SetAll(scenario.spot_quota ? scenario.spot_quota : options_.spot_quota);
  for (const auto& [zone, vcpus] : scenario.zone_spot_quota) spot_quota_.Set(zone, vcpus);
  for (const OfferChange& change : scenario.market) ApplyOfferChange(change);
  events_ = scenario.events;
}

int64_t SimWorld::NowUnix() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

std::string SimWorld::NewId(const std::string& prefix) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  while (true) {
    std::string id = prefix + "-";
    uint64_t bits = rng_();
    for (int i = 0; i < 8; ++i) {
      id += kAlphabet[bits % 36];
      bits /= 36;
    }
    if (issued_ids_.insert(id).second) return id;
  }
}

Instance* SimWorld::FindInstance(const std::string& id) {
  auto it = instances_.find(id);
  return it == instances_.end() ? nullptr : it->second.get();
}

const Instance* SimWorld::FindInstance(const std::string& id) const {
  auto it = instances_.find(id);
  return it == instances_.end() ? nullptr : it->second.get();
}

Instance& SimWorld::LaunchInstance(Instance instance) {
  instance.id = NewId("ins");
  instance.seq = next_seq_++;
  instance.region = market_.RegionOfZone(instance.zone).value_or("");
  instance.created_unix = NowUnix();
  instance.state = InstanceState::kPending;
  instance.latest_operation = "RunInstances";
  spot_quota_.Use(instance.zone, QuotaVcpus(instance));
  Offer* offer = market_.EnsureOffer(instance.zone, instance.instance_type);
  if (offer != nullptr) {
    ++offer->used;
    if (offer->fail_next_launches > 0) {
      --offer->fail_next_launches;
      instance.will_fail = true;
    } else {
      double rate = std::max(offer->launch_failure_rate, launch_failure_rate_);
      if (rate > 0) {
        instance.will_fail = std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < rate;
      }
    }
  }
  std::string id = instance.id;
  Instance& stored =
      *instances_.emplace(id, std::make_unique<Instance>(std::move(instance))).first->second;
  ordered_[stored.seq] = &stored;
  for (const Tag& tag : stored.tags) tagged_[{tag.key, tag.value}][stored.seq] = &stored;
  Schedule(stored, stored.env_id.empty() ? options_.pending_ticks : options_.create_ticks);
  return stored;
}

const std::map<uint64_t, Instance*>* SimWorld::InstancesTagged(const std::string& key,
                                                               const std::string& value) const {
  auto it = tagged_.find({key, value});
  return it == tagged_.end() ? nullptr : &it->second;
}

std::shared_ptr<const std::string> SimWorld::DescribeText(const Instance& instance) const {
  if (!instance.describe_text) {
    instance.describe_text =
        std::make_shared<const std::string>(DumpJson(InstanceToJson(instance, market_)));
  }
  return instance.describe_text;
}

int64_t SimWorld::QuotaVcpus(const Instance& instance) const {
  if (instance.charge_type != ChargeType::kSpotPaid ||
      instance.state == InstanceState::kLaunchFailed) {
    return 0;
  }
  const InstanceTypeInfo* type = market_.FindType(instance.instance_type);
  return type == nullptr ? 0 : type->cpu;
}

void SimWorld::SetState(Instance& instance, InstanceState state) {
  const int64_t before = QuotaVcpus(instance);
  instance.state = state;
  const int64_t after = QuotaVcpus(instance);
  if (after > before) spot_quota_.Use(instance.zone, after - before);
  if (before > after) spot_quota_.Release(instance.zone, before - after);
}

void SimWorld::Schedule(Instance& instance, int64_t ticks) {
  instance.due_tick = tick_ + std::max<int64_t>(1, ticks);
  due_[instance.due_tick].push_back(instance.id);
}

void SimWorld::StartTerminating(Instance& instance, const std::string& cause) {
  SetState(instance, InstanceState::kTerminating);
  instance.latest_operation = "TerminateInstances";
  Changed(instance);
  Schedule(instance, options_.terminating_ticks);
  ComputeEnv* env = nullptr;
  ComputeNode* node = NodeOf(instance, &env);
  if (node != nullptr && node->terminate_activity < 0) {
    Activity activity;
    activity.node_id = node->id;
    activity.type = "TERMINATE_COMPUTE_NODE";
    activity.cause = cause;
    activity.state = "PROCESSING";
    activity.instance_id = instance.id;
    node->terminate_activity = AddActivity(*env, std::move(activity));
  }
}

void SimWorld::Reclaim(Instance& instance) {
  StartTerminating(instance, "spot instance reclaimed by the market");
}

const std::vector<std::string>* SimWorld::FindRunToken(const std::string& region,
                                                       const std::string& token) const {
  auto region_it = run_tokens_.find(region);
  if (region_it == run_tokens_.end()) return nullptr;
  auto it = region_it->second.find(token);
  return it == region_it->second.end() ? nullptr : &it->second;
}

void SimWorld::RecordRunToken(const std::string& region, const std::string& token,
                              std::vector<std::string> ids) {
  run_tokens_[region][token] = std::move(ids);
}

const std::string* SimWorld::FindEnvToken(const std::string& region,
                                          const std::string& token) const {
  auto region_it = env_tokens_.find(region);
  if (region_it == env_tokens_.end()) return nullptr;
  auto it = region_it->second.find(token);
  return it == region_it->second.end() ? nullptr : &it->second;
}

void SimWorld::RecordEnvToken(const std::string& region, const std::string& token,
                              std::string env_id) {
  env_tokens_[region][token] = std::move(env_id);
}

ComputeEnv* SimWorld::FindEnv(const std::string& id) {
  auto it = envs_.find(id);
  return it == envs_.end() ? nullptr : &it->second;
}

std::vector<ComputeEnv*> SimWorld::EnvsInOrder(const std::string& region) {
  std::vector<ComputeEnv*> envs;
  for (auto& [id, env] : envs_) {
    if (region.empty() || env.region == region) envs.push_back(&env);
  }
  std::sort(envs.begin(), envs.end(),
            [](const ComputeEnv* a, const ComputeEnv* b) { return a->seq < b->seq; });
  return envs;
}

ComputeEnv& SimWorld::AddEnv(ComputeEnv env) {
  env.seq = next_seq_++;
  std::string id = env.id;
  return envs_.emplace(id, std::move(env)).first->second;
}

ComputeNode* SimWorld::FindNode(ComputeEnv& env, const std::string& node_id) {
  for (ComputeNode& node : env.nodes) {
    if (node.id == node_id) return &node;
  }
  return nullptr;
}

const char* SimWorld::NodeStateName(const ComputeNode& node) const {
  if (IsPlaceholder(node)) {
    return node.placeholder == PlaceholderState::kSubmitted ? "SUBMITTED" : "CREATION_FAILED";
  }
  const Instance* instance = FindInstance(node.instance_id);
  if (instance == nullptr) return "DELETING";
  switch (instance->state) {
    case InstanceState::kPending:
      return "CREATING";
    case InstanceState::kRunning:
      return "RUNNING";
    case InstanceState::kLaunchFailed:
      return "CREATION_FAILED";
    case InstanceState::kTerminating:
      return "DELETING";
  }
  return "CREATING";
}

bool SimWorld::NodeCountsTowardDesired(const ComputeNode& node) const {
  if (IsPlaceholder(node)) return true;
  const Instance* instance = FindInstance(node.instance_id);
  return instance != nullptr &&
         (instance->state == InstanceState::kPending || instance->state == InstanceState::kRunning);
}

int64_t SimWorld::AddActivity(ComputeEnv& env, Activity activity) {
  activity.id = NewId("act");
  if (activity.start_unix == 0) activity.start_unix = NowUnix();
  env.activities.push_back(std::move(activity));
  while (env.activities.size() > kMaxActivitiesPerEnv) {
    env.activities.pop_front();
    ++env.first_activity_seq;
  }
  return env.first_activity_seq + static_cast<int64_t>(env.activities.size()) - 1;
}

Activity* SimWorld::FindActivity(ComputeEnv& env, int64_t seq) {
  if (seq < env.first_activity_seq) return nullptr;
  size_t index = static_cast<size_t>(seq - env.first_activity_seq);
  return index < env.activities.size() ? &env.activities[index] : nullptr;
}

void SimWorld::RemoveNode(ComputeEnv& env, const std::string& node_id) {
  std::erase_if(env.nodes, [&](const ComputeNode& node) { return node.id == node_id; });
}

void SimWorld::DropNodeWithoutInstance(ComputeEnv& env, const std::string& node_id,
                                       const std::string& cause) {
  ComputeNode* node = FindNode(env, node_id);
  if (node == nullptr) return;
  Activity* creation = FindActivity(env, node->create_activity);
  if (creation != nullptr && creation->state == "SUBMITTED") {
    creation->state = "FAILED";
    creation->reason = "compute node removed before it was created";
    creation->end_unix = NowUnix();
  }
  Activity activity;
  activity.node_id = node->id;
  activity.type = "TERMINATE_COMPUTE_NODE";
  activity.cause = cause;
  activity.state = "SUCCEED";
  activity.reason = "compute node removed (it had no instance)";
  activity.instance_id = node->instance_id;
  activity.end_unix = NowUnix();
  AddActivity(env, std::move(activity));
  RemoveNode(env, node_id);
}

void SimWorld::RecordFailedAttempt(ComputeEnv& env, ComputeNode& node, const std::string& reason) {
  node.instance_id.clear();
  node.placeholder = PlaceholderState::kCreationFailed;
  node.last_attempt_tick = tick_;
  Activity* current = FindActivity(env, node.create_activity);
  if (current != nullptr && (current->state == "SUBMITTED" || current->state == "PROCESSING")) {
    current->state = "FAILED";
    current->reason = reason;
    current->end_unix = NowUnix();
  } else if (reason != node.last_failure) {
    Activity activity;
    activity.node_id = node.id;
    activity.type = "CREATE_COMPUTE_NODE";
    activity.cause = "compute node creation retried (ActionIfComputeNodeInactive RECREATE)";
    activity.state = "FAILED";
    activity.reason = reason;
    activity.end_unix = NowUnix();
    node.create_activity = AddActivity(env, std::move(activity));
  }
  node.last_failure = reason;
}

ComputeNode* SimWorld::NodeOf(const Instance& instance, ComputeEnv** env_out) {
  if (instance.env_id.empty()) return nullptr;
  ComputeEnv* env = FindEnv(instance.env_id);
  if (env == nullptr) return nullptr;
  ComputeNode* node = FindNode(*env, instance.node_id);
  // A node whose launch failed let go of that instance and may hold a newer one.
  if (node == nullptr || node->instance_id != instance.id) return nullptr;
  *env_out = env;
  return node;
}

void SimWorld::FinishPending(Instance& instance) {
  ComputeEnv* env = nullptr;
  ComputeNode* node = NodeOf(instance, &env);
  Activity* activity = node == nullptr ? nullptr : FindActivity(*env, node->create_activity);
  Changed(instance);
  if (instance.will_fail) {
    SetState(instance, InstanceState::kLaunchFailed);
    instance.error_msg =
        "ResourceInsufficient.SpecifiedInstanceType: the instance could not be launched "
        "(scenario launch failure)";
    Schedule(instance, options_.launch_failed_ticks);
    if (node != nullptr) RecordFailedAttempt(*env, *node, instance.error_msg);
    return;
  }
  SetState(instance, InstanceState::kRunning);
  instance.due_tick = -1;
  if (activity != nullptr) {
    activity->state = "SUCCEED";
    activity->reason = "compute node created";
    activity->end_unix = NowUnix();
  }
}

void SimWorld::RemoveInstance(const std::string& id) {
  auto it = instances_.find(id);
  if (it == instances_.end()) return;
  Instance& instance = *it->second;
  if (Offer* offer = market_.FindOffer(instance.zone, instance.instance_type)) {
    offer->used = std::max<int64_t>(0, offer->used - 1);
  }
  spot_quota_.Release(instance.zone, QuotaVcpus(instance));
  ComputeEnv* env = nullptr;
  if (ComputeNode* node = NodeOf(instance, &env)) {
    if (Activity* activity = FindActivity(*env, node->terminate_activity)) {
      activity->state = "SUCCEED";
      activity->reason = "compute node terminated";
      activity->end_unix = NowUnix();
    }
    RemoveNode(*env, node->id);
  }
  ordered_.erase(instance.seq);
  for (const Tag& tag : instance.tags) {
    auto tagged = tagged_.find({tag.key, tag.value});
    if (tagged == tagged_.end()) continue;
    tagged->second.erase(instance.seq);
    if (tagged->second.empty()) tagged_.erase(tagged);
  }
  instances_.erase(it);
}

void SimWorld::AdvanceTick() {
  ++tick_;
  while (!due_.empty() && due_.begin()->first <= tick_) {
    int64_t due_tick = due_.begin()->first;
    std::vector<std::string> ids = std::move(due_.begin()->second);
    due_.erase(due_.begin());
    for (const std::string& id : ids) {
      Instance* instance = FindInstance(id);
      if (instance == nullptr || instance->due_tick != due_tick) continue;  // superseded
      switch (instance->state) {
        case InstanceState::kPending:
          FinishPending(*instance);
          break;
        case InstanceState::kTerminating:
        case InstanceState::kLaunchFailed:
          RemoveInstance(id);
          break;
        case InstanceState::kRunning:
          break;
      }
    }
  }
}

void SimWorld::RemoveDeletedEnvs() {
  std::erase_if(
      envs_, [](const auto& entry) { return entry.second.deleting && entry.second.nodes.empty(); });
}

void SimWorld::ApplyOfferChange(const OfferChange& change) {
  Offer* offer = market_.EnsureOffer(change.zone, change.instance_type);
  if (offer == nullptr) return;
  if (change.price) offer->price = *change.price;
  if (change.fail_next_launches) offer->fail_next_launches = *change.fail_next_launches;
  if (change.launch_failure_rate) offer->launch_failure_rate = *change.launch_failure_rate;
  if (!change.capacity) return;
  offer->capacity = *change.capacity;
  // Slots held by instances that are not on their way out.
  int64_t holding = 0;
  for (const auto& [seq, instance] : ordered_) {
    if (instance->zone == change.zone && instance->instance_type == change.instance_type &&
        (instance->state == InstanceState::kRunning ||
         instance->state == InstanceState::kPending)) {
      ++holding;
    }
  }
  int64_t excess = holding - offer->capacity;
  for (auto it = ordered_.rbegin(); it != ordered_.rend() && excess > 0; ++it) {
    Instance& instance = *it->second;
    if (instance.zone == change.zone && instance.instance_type == change.instance_type &&
        (instance.state == InstanceState::kRunning || instance.state == InstanceState::kPending)) {
      Reclaim(instance);
      --excess;
    }
  }
}

}  // namespace spotform::sim
