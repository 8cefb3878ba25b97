#include "tests/support/fake_cloud.h"

#include <algorithm>
#include <set>

namespace spotform {

void FakeCloud::AddInstance(ObservedInstance instance) {
  std::lock_guard<std::mutex> lock(mutex_);
  instances_[instance.id] = std::move(instance);
}

void FakeCloud::RemoveInstance(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  instances_.erase(id);
}

void FakeCloud::SetInstanceState(const std::string& id, InstanceState state,
                                 const std::string& text, const std::string& latest_error) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = instances_.find(id);
  if (it == instances_.end()) return;
  it->second.state = state;
  it->second.state_text = text;
  it->second.latest_error = latest_error;
}

void FakeCloud::PutComputeEnv(ComputeEnv env) {
  std::lock_guard<std::mutex> lock(mutex_);
  envs_[env.info.id] = std::move(env);
}

void FakeCloud::RemoveComputeEnv(const std::string& env_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  envs_.erase(env_id);
}

void FakeCloud::AddComputeNode(const std::string& env_id, ComputeNode node) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = envs_.find(env_id);
  if (it != envs_.end()) it->second.nodes.push_back(std::move(node));
}

std::vector<std::string> FakeCloud::calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_;
}

std::vector<ObservedInstance> FakeCloud::instances() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ObservedInstance> out;
  for (const auto& [id, instance] : instances_) out.push_back(instance);
  return out;
}

std::optional<ComputeEnv> FakeCloud::compute_env(const std::string& env_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = envs_.find(env_id);
  if (it == envs_.end()) return std::nullopt;
  return it->second;
}

std::vector<LaunchSpec> FakeCloud::launches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return launches_;
}

void FakeCloud::SetBeforeHook(Hook hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  before_ = std::move(hook);
}

void FakeCloud::SetAfterHook(Hook hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  after_ = std::move(hook);
}

void FakeCloud::SetLaunchState(InstanceState state, const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  launch_state_ = state;
  launch_state_text_ = text;
}

void FakeCloud::SetSpotOffer(SpotOffer offer) {
  std::lock_guard<std::mutex> lock(mutex_);
  offers_[{offer.zone, offer.instance_type}] = offer;
  last_offer_ = std::move(offer);
}

void FakeCloud::SetSpotQuota(std::vector<SpotQuota> quotas) {
  std::lock_guard<std::mutex> lock(mutex_);
  quotas_ = std::move(quotas);
}

void FakeCloud::SetStock(const std::string& zone, const std::string& instance_type, int count) {
  std::lock_guard<std::mutex> lock(mutex_);
  stock_[{zone, instance_type}] = count;
}

std::optional<int> FakeCloud::stock(const std::string& zone,
                                    const std::string& instance_type) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = stock_.find({zone, instance_type});
  if (it == stock_.end()) return std::nullopt;
  return it->second;
}

void FakeCloud::SetMinCountSupported(bool supported) {
  std::lock_guard<std::mutex> lock(mutex_);
  min_count_supported_ = supported;
}

void FakeCloud::SetBatchBehaviour(BatchBehaviour behaviour) {
  std::lock_guard<std::mutex> lock(mutex_);
  batch_ = behaviour;
}

void FakeCloud::Log(std::string line) { calls_.push_back(std::move(line)); }

std::optional<Error> FakeCloud::Before(const std::string& line) {
  Hook hook;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Log(line);
    hook = before_;
  }
  return hook ? hook(line) : std::nullopt;
}

std::optional<Error> FakeCloud::After(const std::string& line) {
  Hook hook;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    hook = after_;
  }
  return hook ? hook(line) : std::nullopt;
}

Result<int> FakeCloud::LaunchableLocked(const LaunchSpec& spec, const std::string& verb) const {
  const std::string subject = verb + " " + spec.zone + " " + spec.instance_type + ": ";
  if (spec.min_count > 0 && !min_count_supported_) {
    return Error(ErrorKind::kUnsupported, subject + "MinCount is not supported in this region",
                 "UnsupportedOperation.MinCountUnsupportedRegion");
  }
  auto it = stock_.find({spec.zone, spec.instance_type});
  if (it == stock_.end() || spec.count <= it->second) return spec.count;
  const int left = std::max(0, it->second);
  if (spec.min_count > 0 && left >= spec.min_count) return left;
  if (spec.min_count > 0) {
    return Error(ErrorKind::kCapacity,
                 subject + std::to_string(left) + " in stock, fewer than the minimum " +
                     std::to_string(spec.min_count),
                 "ResourceInsufficient.InsufficientOfferingMinimum");
  }
  return Error(
      ErrorKind::kCapacity,
      subject + std::to_string(left) + " in stock, " + std::to_string(spec.count) + " asked",
      "InvalidParameterValue.InsufficientOffering");
}

Result<std::vector<std::string>> FakeCloud::LaunchSpotInstances(const LaunchSpec& spec) {
  const std::string line = "LaunchSpotInstances " + std::to_string(spec.count);
  if (std::optional<Error> error = Before(line)) return *error;
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    launches_.push_back(spec);
    auto known = launch_tokens_.find(spec.client_token);
    if (!spec.client_token.empty() && known != launch_tokens_.end()) {
      ids = known->second;  // the same request again: the same instances
    } else {
      Result<int> launchable = LaunchableLocked(spec, "LaunchSpotInstances");
      if (!launchable.ok()) return launchable.error();
      auto stock = stock_.find({spec.zone, spec.instance_type});
      if (stock != stock_.end()) stock->second -= *launchable;
      for (int i = 0; i < *launchable; ++i) {
        ObservedInstance instance;
        instance.id = "ins-fake" + std::to_string(next_id_++);
        instance.zone = spec.zone;
        instance.instance_type = spec.instance_type;
        instance.image_id = spec.image_id;
        instance.state = launch_state_;
        instance.state_text = launch_state_text_;
        instance.charge_type = ChargeType::kSpot;
        instance.tags = spec.tags;
        ids.push_back(instance.id);
        instances_[instance.id] = instance;
      }
      if (!spec.client_token.empty()) launch_tokens_[spec.client_token] = ids;
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return ids;
}

Result<InstanceObservation> FakeCloud::DescribeInstances(const std::vector<std::string>& ids) {
  const std::string line = "DescribeInstances " + std::to_string(ids.size()) + " ids";
  if (std::optional<Error> error = Before(line)) return *error;
  InstanceObservation observation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& id : ids) {
      auto it = instances_.find(id);
      if (it == instances_.end()) {
        observation.missing.push_back(id);
      } else {
        observation.found.push_back(it->second);
      }
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return observation;
}

Result<std::vector<ObservedInstance>> FakeCloud::FindInstances(const InstanceQuery& query) {
  if (std::optional<Error> error = Before("FindInstances")) return *error;
  std::vector<ObservedInstance> out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, instance] : instances_) {
      bool match = query.zone.empty() || instance.zone == query.zone;
      for (const auto& [key, value] : query.tags) {
        auto tag = instance.tags.find(key);
        match = match && tag != instance.tags.end() && tag->second == value;
      }
      if (match) out.push_back(instance);
    }
  }
  if (std::optional<Error> error = After("FindInstances")) return *error;
  return out;
}

Result<TerminateOutcome> FakeCloud::TerminateInstances(const std::vector<InstanceRef>& refs) {
  const std::string line = "TerminateInstances " + std::to_string(refs.size());
  if (std::optional<Error> error = Before(line)) return *error;
  TerminateOutcome outcome;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const InstanceRef& ref : refs) {
      auto it = instances_.find(ref.id);
      if (it != instances_.end() && it->second.state == InstanceState::kPending) {
        return Error(ErrorKind::kTerminal, "TerminateInstances: " + ref.id + " is pending",
                     "OperationDenied.InstanceOperationInProgress");
      }
    }
    for (const InstanceRef& ref : refs) {
      if (instances_.erase(ref.id) > 0) {
        outcome.terminated.push_back(ref.id);
      } else {
        outcome.skipped.push_back(ref.id);
      }
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return outcome;
}

namespace {

// The fake market's offer for a pair nobody set: on sale at 0.1, plenty of stock.
SpotOffer FakeDefaultOffer(const std::string& zone, const std::string& instance_type) {
  SpotOffer offer;
  offer.zone = zone;
  offer.instance_type = instance_type;
  offer.hourly_price = 0.1;
  offer.on_sale = true;
  offer.stock = StockLevel::kEnough;
  return offer;
}

}  // namespace

Result<SpotOffer> FakeCloud::GetSpotOffer(const std::string& zone,
                                          const std::string& instance_type) {
  const std::string line = "GetSpotOffer " + zone + " " + instance_type;
  if (std::optional<Error> error = Before(line)) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = offers_.find({zone, instance_type});
  if (it != offers_.end()) return it->second;
  if (last_offer_.has_value()) return *last_offer_;
  return FakeDefaultOffer(zone, instance_type);
}

Result<std::vector<SpotOffer>> FakeCloud::DescribeSpotOffers(
    const std::vector<std::string>& zones, const std::vector<std::string>& instance_types) {
  const std::string line = "DescribeSpotOffers " + std::to_string(zones.size()) + " zones " +
                           std::to_string(instance_types.size()) + " types";
  if (std::optional<Error> error = Before(line)) return *error;
  std::vector<SpotOffer> out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::set<std::pair<std::string, std::string>> seen;
    for (const std::string& zone : zones) {
      for (const std::string& type : instance_types) {
        if (!seen.emplace(zone, type).second) continue;
        if (offers_.empty()) {
          out.push_back(FakeDefaultOffer(zone, type));
          continue;
        }
        for (const auto& key :
             {std::pair{zone, type}, std::pair{zone, std::string()}, std::pair{std::string(), type},
              std::pair{std::string(), std::string()}}) {
          auto it = offers_.find(key);
          if (it == offers_.end()) continue;
          SpotOffer offer = it->second;
          offer.zone = zone;
          offer.instance_type = type;
          out.push_back(std::move(offer));
          break;
        }
      }
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return out;
}

Result<std::vector<SpotQuota>> FakeCloud::DescribeSpotQuota() {
  if (std::optional<Error> error = Before("DescribeSpotQuota")) return *error;
  std::vector<SpotQuota> out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    out = quotas_;
  }
  if (std::optional<Error> error = After("DescribeSpotQuota")) return *error;
  return out;
}

Status FakeCloud::DryRunLaunch(const LaunchSpec& spec) {
  const std::string line =
      "DryRunLaunch " + spec.zone + " " + spec.instance_type + " " + std::to_string(spec.count);
  if (std::optional<Error> error = Before(line)) return *error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<int> launchable = LaunchableLocked(spec, "DryRunLaunch");
    if (!launchable.ok()) return launchable.error();
  }
  if (std::optional<Error> error = After(line)) return *error;
  return Status::Ok();
}

Result<std::string> FakeCloud::CreateComputeEnv(const ComputeEnvSpec& spec) {
  const std::string line = "CreateComputeEnv " + spec.name;
  if (std::optional<Error> error = Before(line)) return *error;
  std::string id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto known = env_tokens_.find(spec.client_token);
    if (!spec.client_token.empty() && known != env_tokens_.end()) {
      id = known->second;
    } else {
      ComputeEnv env;
      env.info.id = "env-fake" + std::to_string(next_id_++);
      env.info.name = spec.name;
      env.info.zone = spec.zone;
      env.info.desired_count = spec.desired_count;
      env.info.tags = spec.tags;
      envs_[env.info.id] = env;
      id = env.info.id;
      env_types_[id] = spec.instance_types.empty() ? std::vector<std::string>{spec.instance_type}
                                                   : spec.instance_types;
      if (!spec.client_token.empty()) env_tokens_[spec.client_token] = id;
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return id;
}

void FakeCloud::FillLocked(ComputeEnv& env) {
  auto live = [&] {
    return std::count_if(env.nodes.begin(), env.nodes.end(), [](const ComputeNode& node) {
      return node.state != ComputeNodeState::kDeleting;
    });
  };
  while (live() < env.info.desired_count) {
    ComputeNode node;
    const std::string n = std::to_string(next_id_++);
    node.id = "node-fake" + n;
    node.instance_id = "ins-node" + n;
    node.state = ComputeNodeState::kRunning;
    node.state_text = "RUNNING";
    env.nodes.push_back(node);
  }
}

Result<ComputeEnv> FakeCloud::DescribeComputeEnv(const std::string& env_id) {
  const std::string line = "DescribeComputeEnv " + env_id;
  if (std::optional<Error> error = Before(line)) return *error;
  ComputeEnv out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = envs_.find(env_id);
    if (it == envs_.end()) {
      return Error(ErrorKind::kNotFound, env_id + " not found", "ResourceNotFound.ComputeEnv");
    }
    if (batch_.fill) FillLocked(it->second);
    out = it->second;
    auto lag = lagging_.find(env_id);
    if (lag != lagging_.end() && lag->second.first > 0) {
      --lag->second.first;
      out.info.desired_count = lag->second.second;
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return out;
}

Result<std::vector<ComputeEnvInfo>> FakeCloud::ListComputeEnvs(const ComputeEnvQuery&) {
  if (std::optional<Error> error = Before("ListComputeEnvs")) return *error;
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ComputeEnvInfo> out;
  for (const auto& [id, env] : envs_) out.push_back(env.info);
  return out;
}

Status FakeCloud::SetDesiredCount(const std::string& env_id, int desired_count) {
  const std::string line = "SetDesiredCount " + env_id + " " + std::to_string(desired_count);
  if (std::optional<Error> error = Before(line)) return *error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = envs_.find(env_id);
    if (it == envs_.end()) return Error(ErrorKind::kNotFound, env_id + " not found");
    ComputeEnv& env = it->second;
    const int64_t lowered_by = env.info.desired_count - desired_count;
    if (batch_.desired_lag > 0) lagging_[env_id] = {batch_.desired_lag, env.info.desired_count};
    env.info.desired_count = desired_count;
    if (batch_.scale_in_picks && lowered_by > 0) {
      const size_t keep = env.nodes.size() > static_cast<size_t>(lowered_by)
                              ? env.nodes.size() - static_cast<size_t>(lowered_by)
                              : 0;
      env.nodes.resize(keep);  // Batch picks the newest nodes itself
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return Status::Ok();
}

Status FakeCloud::SetInstanceTypes(const std::string& env_id,
                                   const std::vector<std::string>& types) {
  std::string names;
  for (const std::string& type : types) names += (names.empty() ? "" : ",") + type;
  const std::string line = "SetInstanceTypes " + env_id + " " + names;
  if (std::optional<Error> error = Before(line)) return *error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (envs_.count(env_id) == 0) return Error(ErrorKind::kNotFound, env_id + " not found");
    env_types_[env_id] = types;
  }
  if (std::optional<Error> error = After(line)) return *error;
  return Status::Ok();
}

std::vector<std::string> FakeCloud::env_instance_types(const std::string& env_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = env_types_.find(env_id);
  return it == env_types_.end() ? std::vector<std::string>{} : it->second;
}

Status FakeCloud::TerminateComputeNodes(const std::string& env_id,
                                        const std::vector<std::string>& node_ids) {
  const std::string line =
      "TerminateComputeNodes " + env_id + " " + std::to_string(node_ids.size());
  if (std::optional<Error> error = Before(line)) return *error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = envs_.find(env_id);
    if (it == envs_.end()) return Error(ErrorKind::kNotFound, env_id + " not found");
    for (const std::string& id : node_ids) {
      const size_t removed =
          std::erase_if(it->second.nodes, [&](const ComputeNode& node) { return node.id == id; });
      if (removed > 0 && batch_.terminate_decrements && it->second.info.desired_count > 0) {
        --it->second.info.desired_count;
      }
    }
  }
  if (std::optional<Error> error = After(line)) return *error;
  return Status::Ok();
}

Status FakeCloud::DeleteComputeEnv(const std::string& env_id) {
  const std::string line = "DeleteComputeEnv " + env_id;
  if (std::optional<Error> error = Before(line)) return *error;
  bool erased = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    erased = envs_.erase(env_id) > 0;
  }
  if (!erased) return Error(ErrorKind::kNotFound, env_id + " not found");
  if (std::optional<Error> error = After(line)) return *error;
  return Status::Ok();
}

Result<std::vector<ComputeEnvActivity>> FakeCloud::DescribeComputeEnvActivities(
    const std::string& env_id) {
  if (std::optional<Error> error = Before("DescribeComputeEnvActivities " + env_id)) {
    return *error;
  }
  return std::vector<ComputeEnvActivity>{};
}

}  // namespace spotform
