#include "engine/import/import_cloud.h"

#include <map>
#include <utility>

namespace spotform {

Result<ImportOutcome> ImportInstances(Cloud& cloud, const EnvironmentSpec& spec,
                                      const StateSnapshot& state,
                                      const std::vector<std::string>& ids,
                                      const ImportOptions& options) {
  if (spec.mode != Mode::kCvm) {
    // Decided without a call: the plan function names the mode problem.
    return PlanInstanceImport(spec, state, ids, InstanceObservation{}, options);
  }
  // Only well-formed ids are asked about (the cloud refuses a whole call for one malformed
  // id); the plan names the others.
  std::vector<std::string> well_formed;
  for (const std::string& id : ids) {
    if (IsResourceId(id, "ins-")) well_formed.push_back(id);
  }
  InstanceObservation observed;
  if (!well_formed.empty()) {
    Result<InstanceObservation> described = cloud.DescribeInstances(well_formed);
    if (!described.ok()) return described.error().WithContext("import " + spec.Address());
    observed = std::move(described.value());
  }
  return PlanInstanceImport(spec, state, ids, observed, options);
}

Result<ImportOutcome> ImportComputeEnv(Cloud& cloud, const EnvironmentSpec& spec,
                                       const StateSnapshot& state, const std::string& env_id,
                                       const ImportOptions& options) {
  ComputeEnv placeholder;
  placeholder.info.id = env_id;
  if (spec.mode != Mode::kBatch) {
    return PlanBatchImport(spec, state, placeholder, InstanceObservation{}, options);
  }
  const std::map<std::string, std::string> managed = ManagedIds(state);
  if (managed.count(env_id) > 0) {  // already recorded: decided without a call
    return PlanBatchImport(spec, state, placeholder, InstanceObservation{}, options);
  }
  if (!IsResourceId(env_id, "env-")) {
    return Error(ErrorKind::kInvalidInput,
                 env_id +
                     ": not a Batch compute environment id (env- and 8 lower-case letters "
                     "or digits)");
  }
  Result<ComputeEnv> env = cloud.DescribeComputeEnv(env_id);
  if (!env.ok() && env.error().kind() == ErrorKind::kNotFound) {
    return Error(ErrorKind::kNotFound, env_id + ": not found in " + options.region);
  }
  if (!env.ok()) return env.error().WithContext("import " + spec.Address());
  std::vector<std::string> instance_ids;
  for (const ComputeNode& node : env->nodes) {
    if (!node.instance_id.empty()) instance_ids.push_back(node.instance_id);
  }
  InstanceObservation instances;
  if (!instance_ids.empty()) {
    Result<InstanceObservation> described = cloud.DescribeInstances(instance_ids);
    if (!described.ok()) return described.error().WithContext("import " + spec.Address());
    instances = std::move(described.value());
  }
  return PlanBatchImport(spec, state, *env, instances, options);
}

Result<CloudInventory> ReadInventory(Cloud& cloud, const std::string& zone) {
  CloudInventory inventory;
  InstanceQuery query;
  query.zone = zone;
  Result<std::vector<ObservedInstance>> instances = cloud.FindInstances(query);
  if (!instances.ok()) return instances.error().WithContext("import --discover");
  inventory.instances = std::move(instances.value());
  Result<std::vector<ComputeEnvInfo>> envs = cloud.ListComputeEnvs(ComputeEnvQuery{});
  if (!envs.ok()) return envs.error().WithContext("import --discover");
  for (const ComputeEnvInfo& info : *envs) {
    if (info.next_action == "DELETING") continue;
    Result<ComputeEnv> env = cloud.DescribeComputeEnv(info.id);
    if (!env.ok() && env.error().kind() == ErrorKind::kNotFound) continue;  // just deleted
    if (!env.ok()) return env.error().WithContext("import --discover");
    inventory.compute_envs.push_back(std::move(env.value()));
  }
  return inventory;
}

Result<DiscoveryResult> DiscoverAndPrice(Cloud& cloud, const StateSnapshot& state,
                                         const DiscoveryFilter& filter,
                                         const std::set<std::string>& taken) {
  Result<CloudInventory> inventory = ReadInventory(cloud, filter.zone);
  if (!inventory.ok()) return inventory.error();
  DiscoveryResult found = DiscoverUnmanaged(*inventory, state, filter, taken);
  DiscoveryResult priced;
  priced.notes = found.notes;
  std::map<std::pair<std::string, std::string>, Result<SpotOffer>> offers;
  for (ProposedEnvironment& proposal : found.environments) {
    const auto key = std::make_pair(proposal.spec.zone(), proposal.spec.instance_type());
    auto it = offers.find(key);
    if (it == offers.end()) {
      it = offers.emplace(key, cloud.GetSpotOffer(key.first, key.second)).first;
    }
    if (!it->second.ok()) {
      if (it->second.error().kind() != ErrorKind::kNotFound) return it->second.error();
      priced.notes.push_back(proposal.spec.Address() + " (" + key.second + " in " + key.first +
                             ") left alone: not sold as spot there, so no bid to propose");
      continue;
    }
    PriceProposal(proposal, *it->second);
    priced.environments.push_back(std::move(proposal));
  }
  return priced;
}

}  // namespace spotform
