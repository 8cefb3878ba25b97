#include "providers/sim/cloud_model.h"

#include <cmath>
#include <exception>

#include "providers/sim/batch_actions.h"
#include "providers/sim/batch_queries.h"
#include "providers/sim/batch_reconciler.h"
#include "providers/sim/cvm_account_quota.h"
#include "providers/sim/cvm_launch.h"
#include "providers/sim/cvm_queries.h"
#include "providers/sim/cvm_terminate.h"
#include "providers/sim/instance_view.h"
#include "providers/sim/market_listing.h"
#include "providers/sim/request_params.h"
#include "providers/sim/scenario.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

using nlohmann::json;

namespace {

using ActionFn = Result<json> (*)(SimWorld&, const CallContext&, const json&);
using ReplyFn = Result<ApiReply> (*)(SimWorld&, const CallContext&, const json&);

// One action: `run` answers plain JSON; `reply`, when set instead, answers an ApiReply.
struct ActionEntry {
  const char* name;
  const char* product;
  ActionFn run;
  ReplyFn reply = nullptr;
};

constexpr ActionEntry kActions[] = {
    {"RunInstances", "cvm", &RunInstances},
    {"DescribeInstances", "cvm", nullptr, &DescribeInstances},
    {"DescribeInstancesStatus", "cvm", &DescribeInstancesStatus},
    {"TerminateInstances", "cvm", &TerminateInstances},
    {"DescribeZoneInstanceConfigInfos", "cvm", &DescribeZoneInstanceConfigInfos},
    {"InquiryPriceRunInstances", "cvm", &InquiryPriceRunInstances},
    {"DescribeAccountQuota", "cvm", &DescribeAccountQuota},
    {"CreateComputeEnv", "batch", &CreateComputeEnv},
    {"DescribeComputeEnv", "batch", &DescribeComputeEnv},
    {"DescribeComputeEnvs", "batch", &DescribeComputeEnvs},
    {"ModifyComputeEnv", "batch", &ModifyComputeEnv},
    {"TerminateComputeNode", "batch", &TerminateComputeNode},
    {"TerminateComputeNodes", "batch", &TerminateComputeNodes},
    {"DeleteComputeEnv", "batch", &DeleteComputeEnv},
    {"DescribeComputeEnvActivities", "batch", &DescribeComputeEnvActivities},
    {"DescribeCvmZoneInstanceConfigInfos", "batch", &DescribeZoneInstanceConfigInfos},
};

const ActionEntry* FindAction(const std::string& action) {
  for (const ActionEntry& entry : kActions) {
    if (action == entry.name) return &entry;
  }
  return nullptr;
}

bool Reclaimable(const Instance& instance, const ScenarioEvent& event) {
  return instance.state == InstanceState::kRunning &&
         (event.zone.empty() || instance.zone == event.zone) &&
         (event.instance_type.empty() || instance.instance_type == event.instance_type);
}

}  // namespace

CloudModel::CloudModel(const CloudModelOptions& options, const Clock& clock)
    : options_(options),
      clock_(clock),
      baseline_(std::make_unique<Scenario>()),
      world_(std::make_unique<SimWorld>(options_, clock_, *baseline_, generation_)) {}

CloudModel::~CloudModel() = default;

Result<json> CloudModel::Call(const CallContext& context, const std::string& action,
                              const json& params) {
  Result<ApiReply> reply = Serve(context, action, params);
  if (!reply.ok()) return reply.error();
  return reply->ToJson();
}

Result<ApiReply> CloudModel::Serve(const CallContext& context, const std::string& action,
                                   const json& params) {
  const ActionEntry* entry = FindAction(action);
  if (entry == nullptr) {
    return ApiError("InvalidAction", "action " + action + " is not supported");
  }
  if (!params.is_object()) {
    return ApiError("InvalidParameter", "the request body must be a JSON object");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    if (entry->reply != nullptr) return entry->reply(*world_, context, params);
    Result<json> output = entry->run(*world_, context, params);
    if (!output.ok()) return output.error();
    return ApiReply(std::move(output).value());
  } catch (const std::exception&) {  // nlohmann::json or std; never expected
    return ApiError("InternalError", "internal error while running " + action);
  }
}

bool CloudModel::Supports(const std::string& action) { return FindAction(action) != nullptr; }

std::string CloudModel::ProductOf(const std::string& action) {
  const ActionEntry* entry = FindAction(action);
  return entry == nullptr ? "" : entry->product;
}

void CloudModel::Tick() {
  std::lock_guard<std::mutex> lock(mutex_);
  world_->AdvanceTick();
  ApplyScheduledEvents();
  ReconcileComputeEnvs(*world_);
  world_->RemoveDeletedEnvs();
}

void CloudModel::ApplyScheduledEvents() {
  for (const ScenarioEvent& event : world_->events()) {
    if (event.at_tick != world_->tick()) continue;
    if (event.offer) {
      world_->ApplyOfferChange(*event.offer);
      continue;
    }
    for (const std::string& id : event.reclaim_ids) {
      Instance* instance = world_->FindInstance(id);
      if (instance != nullptr && instance->state == InstanceState::kRunning) {
        world_->Reclaim(*instance);
      }
    }
    std::vector<Instance*> victims;
    const auto& ordered = world_->instances_in_order();
    for (auto it = ordered.rbegin();
         it != ordered.rend() && static_cast<int64_t>(victims.size()) < event.reclaim_count; ++it) {
      if (Reclaimable(*it->second, event)) victims.push_back(it->second);
    }
    for (Instance* instance : victims) world_->Reclaim(*instance);
  }
}

void CloudModel::Reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  world_ = std::make_unique<SimWorld>(options_, clock_, *baseline_, ++generation_);
}

Status CloudModel::UpdateMarket(const MarketUpdate& update) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Market& market = world_->market();
  if (!market.RegionOfZone(update.zone)) {
    return ApiError("InvalidParameterValue.ZoneNotSupported", "unknown zone " + update.zone);
  }
  if (market.FindType(update.instance_type) == nullptr) {
    return ApiError("InvalidParameterValue.InstanceTypeNotFound",
                    "unknown instance type " + update.instance_type);
  }
  if (update.price && (!std::isfinite(*update.price) || *update.price <= 0)) {
    return ApiError("InvalidParameterValue", "price must be a positive number");
  }
  if (update.capacity && *update.capacity < 0) {
    return ApiError("InvalidParameterValue", "capacity must not be negative");
  }
  OfferChange change;
  change.zone = update.zone;
  change.instance_type = update.instance_type;
  change.price = update.price;
  if (update.capacity) change.capacity = *update.capacity;
  world_->ApplyOfferChange(change);
  return Status::Ok();
}

Status CloudModel::SetSpotQuota(const std::optional<std::string>& zone,
                                std::optional<int64_t> vcpus) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (vcpus && *vcpus < 0) {
    return ApiError("InvalidParameterValue", "the spot quota must not be negative");
  }
  if (!zone) {
    world_->spot_quota().SetAll(vcpus);
    return Status::Ok();
  }
  if (!world_->market().RegionOfZone(*zone)) {
    return ApiError("InvalidParameterValue.ZoneNotSupported", "unknown zone " + *zone);
  }
  world_->spot_quota().Set(*zone, vcpus);
  return Status::Ok();
}

json CloudModel::MarketListing() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return MarketListingJson(*world_);
}

Status CloudModel::Reclaim(const std::vector<std::string>& instance_ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Instance*> targets;
  for (const std::string& id : instance_ids) {
    Instance* instance = world_->FindInstance(id);
    if (instance == nullptr) {
      return ApiError("InvalidInstanceId.NotFound", "instance " + id + " does not exist");
    }
    if (instance->state != InstanceState::kRunning) {
      return ApiError("InvalidInstanceState", "instance " + id + " is " +
                                                  InstanceStateName(instance->state) +
                                                  ", only RUNNING instances can be reclaimed");
    }
    targets.push_back(instance);
  }
  for (Instance* instance : targets) {
    if (instance->state == InstanceState::kRunning) world_->Reclaim(*instance);
  }
  return Status::Ok();
}

json CloudModel::ListInstances() const {
  std::lock_guard<std::mutex> lock(mutex_);
  json out = json::array();
  for (const auto& [seq, instance] : world_->instances_in_order()) {
    json item = InstanceToJson(*instance, world_->market());
    item["SimRegion"] = instance->region;
    item["SimComputeEnvId"] = instance->env_id;
    item["SimComputeNodeId"] = instance->node_id;
    out.push_back(std::move(item));
  }
  return out;
}

Status CloudModel::LoadScenario(const std::string& yaml_text) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Scenario> scenario = ParseScenario(yaml_text, Market::BuiltIn());
  if (!scenario.ok()) return scenario.error();
  baseline_ = std::make_unique<Scenario>(std::move(*scenario));
  world_ = std::make_unique<SimWorld>(options_, clock_, *baseline_, ++generation_);
  return Status::Ok();
}

int64_t CloudModel::CurrentTick() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return world_->tick();
}

}  // namespace spotform::sim
