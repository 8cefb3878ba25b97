#include "engine/import/import_plan.h"

#include <set>
#include <unordered_map>

#include "engine/model/cloud_state_text.h"
#include "engine/model/crypto.h"
#include "engine/plan/refresh.h"

namespace spotform {
namespace {

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

// A field of an adopted resource that differs from the declared spec: an error unless
// --force, then a note.
void CheckField(const std::string& subject, const std::string& field, const std::string& actual,
                const std::string& declared, const EnvironmentSpec& spec,
                const ImportOptions& options, std::vector<std::string>& problems,
                std::vector<std::string>& notes) {
  if (actual == declared) return;
  if (declared.starts_with("[") && declared.find(actual) != std::string::npos) {
    // One of the candidates of a list ("[S5.MEDIUM4, SA2.MEDIUM4 (max 0.40)]").
    const std::string list = declared.substr(1, declared.size() - 2);
    for (size_t start = 0; start <= list.size();) {
      size_t end = list.find(", ", start);
      std::string item = list.substr(start, end == std::string::npos ? end : end - start);
      if (item.substr(0, item.find(' ')) == actual) return;
      if (end == std::string::npos) break;
      start = end + 2;
    }
  }
  if (options.force) {
    notes.push_back(subject + ": " + field + " " + actual + " differs from the declared " +
                    declared + "; adopted anyway (--force)");
    return;
  }
  problems.push_back(subject + ": " + field + " is " + actual + " but " + spec.Address() +
                     " declares " + declared + "; use --force to adopt it anyway");
}

const RecordedEnvironment* Recorded(const StateSnapshot& state, const std::string& name) {
  auto it = state.environments.find(name);
  return it == state.environments.end() ? nullptr : &it->second;
}

// Starts the edit for `spec`'s environment: records it when the state does not have it yet.
void RecordEnvironmentIfNew(const EnvironmentSpec& spec, int desired_count,
                            const StateSnapshot& state, StateEdit& edit) {
  if (Recorded(state, spec.name) != nullptr) return;
  EnvironmentSpec applied = spec;
  applied.desired_count = desired_count;
  edit.Add(StateEdit::PutEnvironment{applied});
}

}  // namespace

bool IsResourceId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 8 || !id.starts_with(prefix)) return false;
  for (char c : id.substr(prefix.size())) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::map<std::string, std::string> ManagedIds(const StateSnapshot& state) {
  std::map<std::string, std::string> managed;
  for (const auto& [name, env] : state.environments) {
    for (const Pool& pool : env.pools) {
      if (!pool.batch_env_id.empty()) managed[pool.batch_env_id] = name;
      for (const RecordedInstance& instance : pool.instances) {
        if (!instance.id.empty()) managed[instance.id] = name;
        if (!instance.node_id.empty()) managed[instance.node_id] = name;
      }
    }
  }
  return managed;
}

RecordedInstance ImportedInstance(const ObservedInstance& instance) {
  return RecordedInstanceOf(instance, InstanceOrigin::kImported);
}

RecordedInstance ImportedNode(const ComputeNode& node, const EnvironmentSpec& spec) {
  RecordedInstance recorded;
  recorded.id = node.instance_id;
  recorded.node_id = node.id;
  recorded.zone = spec.zone();
  recorded.instance_type = spec.instance_type();
  recorded.state = NodeStateText(node);
  recorded.launch_time = node.created_time;
  recorded.origin = InstanceOrigin::kImported;
  return recorded;
}

std::string ImportPoolId(const EnvironmentSpec& spec, const StateSnapshot& state) {
  const std::string key = "import\n" + spec.name + "\n" + std::string(ModeName(spec.mode)) + "\n" +
                          ZonesText(spec) + "\n" + TypesText(spec) + "\n" + spec.image_id + "\n" +
                          spec.max_price + "\n" + state.lineage + "\n" +
                          std::to_string(state.serial);
  return "p-" + Sha256Hex(key).substr(0, 8);
}

void AddAdoptedEnvironment(const EnvironmentSpec& spec, const std::string& batch_env_id,
                           int expected_count, std::vector<RecordedInstance> instances,
                           const StateSnapshot& state, StateEdit& edit) {
  EnvironmentSpec applied = spec;
  applied.desired_count = expected_count;
  edit.Add(StateEdit::PutEnvironment{applied});
  Pool pool;
  pool.id = ImportPoolId(applied, state);
  pool.spec = applied;
  pool.batch_env_id = batch_env_id;
  pool.expected_count = expected_count;
  pool.instances = std::move(instances);
  edit.Add(StateEdit::PutPool{spec.name, std::move(pool)});
}

Result<ImportOutcome> PlanInstanceImport(const EnvironmentSpec& spec, const StateSnapshot& state,
                                         const std::vector<std::string>& ids,
                                         const InstanceObservation& observed,
                                         const ImportOptions& options) {
  ImportOutcome outcome;
  outcome.address = spec.Address();
  if (spec.mode != Mode::kCvm) {
    return Error(ErrorKind::kInvalidInput, spec.Address() +
                                               " is a batch environment: import its Batch compute "
                                               "environment (env-...) instead of instances");
  }
  std::unordered_map<std::string, const ObservedInstance*> found;
  for (const ObservedInstance& instance : observed.found) found[instance.id] = &instance;
  const std::map<std::string, std::string> managed = ManagedIds(state);

  std::vector<std::string> problems;
  std::vector<RecordedInstance> adopted;
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!seen.insert(id).second) continue;
    if (!IsResourceId(id, "ins-")) {
      problems.push_back(id + ": not an instance id (ins- and 8 lower-case letters or digits)");
      continue;
    }
    auto owner = managed.find(id);
    if (owner != managed.end() && owner->second == spec.name) {
      outcome.already.push_back(id);
      continue;
    }
    if (owner != managed.end()) {
      problems.push_back(id + " is already managed by env." + owner->second);
      continue;
    }
    auto it = found.find(id);
    if (it == found.end()) {
      problems.push_back(id + ": not found in " + options.region);
      continue;
    }
    const ObservedInstance& instance = *it->second;
    if (instance.charge_type != ChargeType::kSpot) {
      problems.push_back(id + ": is not a spot instance (charge type " +
                         ChargeTypeText(instance.charge_type) +
                         "); spotform manages SPOTPAID instances only");
      continue;
    }
    if (instance.state != InstanceState::kPending && instance.state != InstanceState::kRunning) {
      problems.push_back(id + ": is " + InstanceStateText(instance) +
                         "; only pending or running instances can be imported");
      continue;
    }
    auto lineage = instance.tags.find(kOwnerLineageTag);
    if (lineage != instance.tags.end() && lineage->second != state.lineage) {
      problems.push_back(id + ": is owned by another spotform state (lineage " + lineage->second +
                         "); remove it there with `spotform state rm` first");
      continue;
    }
    CheckField(id, "zone", instance.zone, ZonesText(spec), spec, options, problems, outcome.notes);
    CheckField(id, "instance_type", instance.instance_type, TypesText(spec), spec, options,
               problems, outcome.notes);
    if (!instance.image_id.empty() && instance.image_id != spec.image_id) {
      outcome.notes.push_back(id + ": runs image " + instance.image_id + "; replacements launch " +
                              spec.image_id + " as declared");
    }
    adopted.push_back(ImportedInstance(instance));
  }
  if (!problems.empty()) return Error(ErrorKind::kInvalidInput, Join(problems));

  const RecordedEnvironment* recorded = Recorded(state, spec.name);
  const Pool* pool = nullptr;
  if (recorded != nullptr) {
    for (const Pool& candidate : recorded->pools) {
      if (pool == nullptr && SameCapacityShape(candidate.spec, spec)) pool = &candidate;
    }
  }
  outcome.pool_id = pool != nullptr ? pool->id : ImportPoolId(spec, state);
  outcome.expected_count = pool != nullptr ? pool->expected_count : 0;
  if (adopted.empty()) return outcome;

  for (const RecordedInstance& instance : adopted) outcome.adopted.push_back(instance.id);
  // A new environment expects what was adopted (a plan right after an import matching the
  // config has nothing to do); a recorded one keeps its count (a surplus is released).
  const int adopted_count = recorded == nullptr ? static_cast<int>(adopted.size()) : 0;
  if (recorded == nullptr) outcome.expected_count = adopted_count;
  outcome.new_environment = recorded == nullptr;
  RecordEnvironmentIfNew(spec, adopted_count, state, outcome.edit);
  if (pool != nullptr) {
    outcome.edit.Add(StateEdit::PutInstances{spec.name, pool->id, std::move(adopted)});
  } else {
    Pool fresh;
    fresh.id = outcome.pool_id;
    fresh.spec = spec;
    fresh.spec.desired_count = adopted_count;
    fresh.expected_count = adopted_count;
    fresh.instances = std::move(adopted);
    outcome.edit.Add(StateEdit::PutPool{spec.name, std::move(fresh)});
  }
  return outcome;
}

Result<ImportOutcome> PlanBatchImport(const EnvironmentSpec& spec, const StateSnapshot& state,
                                      const ComputeEnv& env,
                                      const InstanceObservation& node_instances,
                                      const ImportOptions& options) {
  ImportOutcome outcome;
  outcome.address = spec.Address();
  const std::string& id = env.info.id;
  if (spec.mode != Mode::kBatch) {
    return Error(ErrorKind::kInvalidInput,
                 spec.Address() +
                     " is a cvm environment: import its instances (ins-...) "
                     "instead of a Batch compute environment");
  }
  const std::map<std::string, std::string> managed = ManagedIds(state);
  auto owner = managed.find(id);
  if (owner != managed.end() && owner->second == spec.name) {
    outcome.already.push_back(id);
    return outcome;
  }
  if (owner != managed.end()) {
    return Error(ErrorKind::kConflict, id + " is already managed by env." + owner->second);
  }
  if (const RecordedEnvironment* recorded = Recorded(state, spec.name)) {
    for (const Pool& pool : recorded->pools) {
      if (!pool.batch_env_id.empty()) {
        return Error(ErrorKind::kConflict,
                     spec.Address() + " already manages Batch compute environment " +
                         pool.batch_env_id + "; one spotform environment holds one");
      }
    }
  }
  if (env.info.next_action == "DELETING") {
    return Error(ErrorKind::kInvalidInput, id + ": is being deleted; nothing to import");
  }
  std::vector<std::string> problems;
  CheckField(id, "zone", env.info.zone, spec.zone(), spec, options, problems, outcome.notes);
  std::set<std::string> types;
  for (const ObservedInstance& instance : node_instances.found) {
    if (managed.count(instance.id) > 0) {
      problems.push_back(id + ": node instance " + instance.id + " is already managed by env." +
                         managed.at(instance.id));
    }
    types.insert(instance.instance_type);
  }
  for (const std::string& type : types) {
    CheckField(id, "instance_type", type, TypesText(spec), spec, options, problems, outcome.notes);
  }
  if (!problems.empty()) return Error(ErrorKind::kInvalidInput, Join(problems));

  std::vector<RecordedInstance> nodes;
  for (const ComputeNode& node : env.nodes) nodes.push_back(ImportedNode(node, spec));
  outcome.adopted.push_back(id);
  outcome.node_count = static_cast<int>(nodes.size());
  outcome.expected_count = static_cast<int>(env.info.desired_count);
  EnvironmentSpec applied = spec;
  applied.desired_count = outcome.expected_count;
  outcome.pool_id = ImportPoolId(applied, state);
  RecordEnvironmentIfNew(spec, outcome.expected_count, state, outcome.edit);
  Pool pool;
  pool.id = outcome.pool_id;
  pool.spec = applied;
  pool.batch_env_id = id;
  pool.expected_count = outcome.expected_count;
  pool.instances = std::move(nodes);
  outcome.edit.Add(StateEdit::PutPool{spec.name, std::move(pool)});
  return outcome;
}

}  // namespace spotform
