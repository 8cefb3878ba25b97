#include "providers/sim/batch_reconciler.h"

#include <cstdio>

namespace spotform::sim {
namespace {

std::string PriceText(double price) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4f", price);
  return buffer;
}

// The first usable instance type, or "" with `reason` saying why none is.
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

void LaunchNode(SimWorld& world, ComputeEnv& env, const std::string& type, int64_t live) {
  Instance instance;
  instance.zone = env.zone;
  instance.project_id = env.project_id;
  instance.instance_type = type;
  instance.image_id = env.image_id;
  instance.charge_type = env.charge_type;
  instance.name = env.instance_name.empty() ? "batch-" + env.id : env.instance_name;
  instance.tags = env.tags;
  instance.env_id = env.id;
  instance.node_id = world.NewId("node");
  instance.vpc_id = "vpc-d3fau1t0";
  instance.subnet_id = "subnet-d3fau1t0";
  instance.security_group_ids = {"sg-d3fau1t0"};
  Instance& launched = world.LaunchInstance(std::move(instance));

  ComputeNode node;
  node.id = launched.node_id;
  node.instance_id = launched.id;
  node.created_unix = launched.created_unix;
  Activity activity;
  activity.node_id = node.id;
  activity.type = "CREATE_COMPUTE_NODE";
  activity.cause = "DesiredComputeNodeCount " + std::to_string(env.desired) + " > live nodes " +
                   std::to_string(live);
  activity.state = "PROCESSING";
  activity.instance_id = launched.id;
  node.create_activity = world.AddActivity(env, std::move(activity));
  env.nodes.push_back(std::move(node));
}

}  // namespace

void ReconcileComputeEnvs(SimWorld& world) {
  for (ComputeEnv* env : world.EnvsInOrder("")) {
    if (env->deleting) continue;
    int64_t live = 0;
    for (const ComputeNode& node : env->nodes) live += world.NodeIsLive(node) ? 1 : 0;
    while (live < env->desired) {
      std::string reason;
      std::string type = PickType(world, *env, reason);
      if (type.empty()) {
        Activity activity;
        activity.node_id = world.NewId("node");
        activity.type = "CREATE_COMPUTE_NODE";
        activity.cause = "DesiredComputeNodeCount " + std::to_string(env->desired) +
                         " > live nodes " + std::to_string(live) + "; retrying next tick";
        activity.state = "FAILED";
        activity.reason = reason;
        activity.end_unix = world.NowUnix();
        world.AddActivity(*env, std::move(activity));
        break;
      }
      LaunchNode(world, *env, type, live);
      ++live;
    }
  }
}

}  // namespace spotform::sim
