#include "providers/sim/batch_reconciler.h"

#include <cstdio>
#include <string>
#include <vector>

namespace spotform::sim {
namespace {

// The first usable instance type, or "" with `reason` saying why none is. The account's spot
// quota (spot_quota.h) is not checked here: Batch nodes ignore it, a simplification (Tencent
// says CVM quotas apply to Batch-created instances too, reference §4.12), while their SPOTPAID
// instances still count in the zone's quota usage that RunInstances and DescribeAccountQuota see.
std::string PickType(SimWorld& world, const ComputeEnv& env, std::string& reason) {
  for (const std::string& type : env.instance_types) {
    const Offer* offer = world.market().FindOffer(env.zone, type);
    if (offer == nullptr) {
      if (reason.empty()) {
        reason = "ResourceUnavailable.InstanceType: " + type + " is not sold in " + env.zone;
      }
      continue;
    }
    if (env.charge_type == ChargeType::kSpotPaid && env.max_price &&
        *env.max_price + 1e-9 < offer->price) {
      if (reason.empty()) {
        reason = "InvalidParameterValue.InsufficientPrice: bid " + PriceText(*env.max_price) +
                 " is below the spot price " + PriceText(offer->price) + " of " + type;
      }
      continue;
    }
    if (offer->Free() < 1) {
      if (reason.empty()) {
        reason = "InvalidParameterValue.InsufficientOffering: " + type + " is out of stock in " +
                 env.zone;
      }
      continue;
    }
    return type;
  }
  return "";
}

// One environment's search for usable offers during one reconcile. Nothing frees a slot or
// lowers a price within a reconcile, so once no type is usable the rest of the environment's
// attempts fail for the same reason without looking again.
struct OfferSearch {
  bool exhausted = false;
  std::string reason;  // why no type is usable, once exhausted
};

// Launches an instance of `type` for `node`, which becomes CREATING. A SUBMITTED activity of
// the node becomes this attempt's PROCESSING one; otherwise a new activity is logged.
void LaunchInstanceFor(SimWorld& world, ComputeEnv& env, ComputeNode& node, const std::string& type,
                       const std::string& cause) {
  Instance instance;
  instance.zone = env.zone;
  instance.project_id = env.project_id;
  instance.instance_type = type;
  instance.image_id = env.image_id;
  instance.charge_type = env.charge_type;
  instance.name = env.instance_name.empty() ? "batch-" + env.id : env.instance_name;
  instance.tags = env.tags;
  instance.env_id = env.id;
  instance.node_id = node.id;
  instance.vpc_id = "vpc-d3fau1t0";
  instance.subnet_id = "subnet-d3fau1t0";
  instance.security_group_ids = {"sg-d3fau1t0"};
  Instance& launched = world.LaunchInstance(std::move(instance));
  node.instance_id = launched.id;
  node.last_attempt_tick = world.tick();
  node.last_failure.clear();

  Activity* current = world.FindActivity(env, node.create_activity);
  if (current != nullptr && current->state == "SUBMITTED") {
    current->state = "PROCESSING";
    current->instance_id = launched.id;
    return;
  }
  Activity activity;
  activity.node_id = node.id;
  activity.type = "CREATE_COMPUTE_NODE";
  activity.cause = cause;
  activity.state = "PROCESSING";
  activity.instance_id = launched.id;
  node.create_activity = world.AddActivity(env, std::move(activity));
}

// Gives `node` an instance if a type is usable; false (with search.reason) if none is.
bool TryToCreate(SimWorld& world, ComputeEnv& env, ComputeNode& node, OfferSearch& search,
                 const std::string& cause) {
  if (search.exhausted) return false;
  std::string reason;
  std::string type = PickType(world, env, reason);
  if (type.empty()) {
    search = {true, reason};
    return false;
  }
  LaunchInstanceFor(world, env, node, type, cause);
  return true;
}

// Step 1: cancels placeholders, newest first, while more nodes hold capacity than desired.
// Returns the count of nodes still holding capacity.
int64_t CancelSurplusPlaceholders(SimWorld& world, ComputeEnv& env, int64_t counted) {
  std::vector<std::string> surplus;
  for (auto it = env.nodes.rbegin(); it != env.nodes.rend() && counted > env.desired; ++it) {
    if (!SimWorld::IsPlaceholder(*it)) continue;
    surplus.push_back(it->id);
    --counted;
  }
  const std::string cause =
      "DesiredComputeNodeCount lowered to " + std::to_string(env.desired) + "; not yet created";
  for (const std::string& id : surplus) world.DropNodeWithoutInstance(env, id, cause);
  return counted;
}

// Step 2: retries the placeholders not yet attempted this tick, oldest first.
void RetryPlaceholders(SimWorld& world, ComputeEnv& env, OfferSearch& search) {
  const std::string cause = "compute node creation retried (ActionIfComputeNodeInactive RECREATE)";
  for (ComputeNode& node : env.nodes) {
    if (!SimWorld::IsPlaceholder(node) || node.last_attempt_tick >= world.tick()) continue;
    if (!TryToCreate(world, env, node, search, cause)) {
      world.RecordFailedAttempt(env, node, search.reason);
    }
  }
}

// Step 3: submits nodes until `counted` reaches the desired count.
void SubmitMissingNodes(SimWorld& world, ComputeEnv& env, int64_t counted, OfferSearch& search) {
  while (counted < env.desired) {
    const std::string cause = "DesiredComputeNodeCount " + std::to_string(env.desired) +
                              " > compute nodes " + std::to_string(counted);
    ComputeNode submitted;
    submitted.id = world.NewId("node");
    submitted.created_unix = world.NowUnix();
    submitted.last_attempt_tick = world.tick();
    env.nodes.push_back(std::move(submitted));
    ComputeNode& node = env.nodes.back();
    if (!TryToCreate(world, env, node, search, cause)) {
      Activity activity;
      activity.node_id = node.id;
      activity.type = "CREATE_COMPUTE_NODE";
      activity.cause = cause;
      activity.state = "SUBMITTED";
      node.create_activity = world.AddActivity(env, std::move(activity));
    }
    ++counted;
  }
}

}  // namespace

void ReconcileComputeEnvs(SimWorld& world) {
  for (ComputeEnv* env : world.EnvsInOrder("")) {
    if (env->deleting) continue;
    int64_t counted = 0;
    for (const ComputeNode& node : env->nodes) {
      counted += world.NodeCountsTowardDesired(node) ? 1 : 0;
    }
    counted = CancelSurplusPlaceholders(world, *env, counted);
    OfferSearch search;
    RetryPlaceholders(world, *env, search);
    SubmitMissingNodes(world, *env, counted, search);
  }
}

}  // namespace spotform::sim
