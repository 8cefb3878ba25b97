#include "engine/plan/planner.h"

#include <algorithm>
#include <limits>
#include <set>

#include "engine/model/crypto.h"
#include "engine/model/placement.h"
#include "engine/model/words.h"
#include "engine/plan/liveness.h"
#include "engine/plan/plan_basis.h"

namespace spotform {
namespace {

// --- Instances --------------------------------------------------------------------------

std::string IdOf(const RecordedInstance& instance, Mode mode) {
  return mode == Mode::kBatch && !instance.node_id.empty() ? instance.node_id : instance.id;
}

// True when a scale-down of `spec` goes by current spot price: a `lowest-price` environment
// with fallback candidates whose prices the plan knows.
bool ReleasesByPrice(const EnvironmentSpec& spec, const SpotPrices& prices) {
  return spec.allocation == Allocation::kLowestPrice && spec.HasFallbacks() && !prices.empty();
}

// Which instances go on a scale-down (spec §4): not yet running or failed first, then those
// of the least preferred candidates (spec §3; an instance of no listed candidate first) or,
// for `lowest-price` with known prices, of the most expensive ones, then the newest; ties
// broken by id so the plan is deterministic.
std::vector<std::string> ChooseForRelease(std::vector<const RecordedInstance*> live, int count,
                                          const EnvironmentSpec& spec, const SpotPrices& prices) {
  const Mode mode = spec.mode;
  auto rank = [&spec](const RecordedInstance* instance) {
    return CandidateRank(spec, instance->zone, instance->instance_type)
        .value_or(std::numeric_limits<int>::max());
  };
  const bool by_price = ReleasesByPrice(spec, prices);
  auto price = [&prices](const RecordedInstance* instance) {
    auto it = prices.find({instance->zone, instance->instance_type});
    return it == prices.end() ? std::numeric_limits<double>::max() : it->second;
  };
  std::sort(live.begin(), live.end(), [&](const RecordedInstance* a, const RecordedInstance* b) {
    const bool a_running = a->state == "RUNNING";
    const bool b_running = b->state == "RUNNING";
    if (a_running != b_running) return !a_running;
    if (by_price && price(a) != price(b)) return price(a) > price(b);
    if (rank(a) != rank(b)) return rank(a) > rank(b);
    if (a->launch_time != b->launch_time) return a->launch_time > b->launch_time;
    return a->id + a->node_id > b->id + b->node_id;
  });
  std::vector<std::string> ids;
  for (int i = 0; i < count && i < static_cast<int>(live.size()); ++i) {
    ids.push_back(IdOf(*live[i], mode));
  }
  return ids;
}

std::vector<std::string> IdsOf(const std::vector<const RecordedInstance*>& instances, Mode mode) {
  std::vector<std::string> ids;
  for (const RecordedInstance* instance : instances) ids.push_back(IdOf(*instance, mode));
  return ids;
}

// --- Words ------------------------------------------------------------------------------

std::string UnitName(Mode mode, int n) {
  return mode == Mode::kBatch ? (n == 1 ? "node" : "nodes") : (n == 1 ? "instance" : "instances");
}

std::vector<std::string> ShapeDifferences(const EnvironmentSpec& before,
                                          const EnvironmentSpec& after) {
  std::vector<std::string> out;
  auto field = [&](const std::string& name, std::string_view a, std::string_view b) {
    out.push_back(name + " changed: " + std::string(a) + " -> " + std::string(b) + ": replace");
  };
  if (before.mode != after.mode) field("mode", ModeName(before.mode), ModeName(after.mode));
  if (before.zones != after.zones) {
    field(std::string(ZonesKey(after)), ZonesText(before), ZonesText(after));
  }
  if (TypesText(before) != TypesText(after)) {
    field(std::string(TypesKey(after)), TypesText(before), TypesText(after));
  }
  if (before.image_id != after.image_id) field("image_id", before.image_id, after.image_id);
  if (!SamePrice(before.max_price, after.max_price)) {
    field("max_price", before.max_price, after.max_price);
  }
  return out;
}

bool SameSpec(const EnvironmentSpec& a, const EnvironmentSpec& b) {
  return SameCapacityShape(a, b) && a.max_price == b.max_price && a.allocation == b.allocation &&
         a.instance_types == b.instance_types && a.desired_count == b.desired_count &&
         a.tags == b.tags && a.name == b.name;
}

// A pool id unique within the state and stable for the same inputs (the planner is pure).
std::string NewPoolId(const EnvironmentSpec& spec, int64_t serial) {
  const std::string key = spec.name + "\n" + std::string(ModeName(spec.mode)) + "\n" +
                          ZonesText(spec) + "\n" + TypesText(spec) + "\n" + spec.image_id + "\n" +
                          spec.max_price + "\n" + std::to_string(serial);
  return "p-" + Sha256Hex(key).substr(0, 8);
}

// --- Steps ------------------------------------------------------------------------------

Step MakeStep(StepKind kind, const Pool& pool, std::string reason) {
  return PoolStep(kind, pool.id, pool.spec, std::move(reason));
}

// Drops instances the cloud no longer has (or that failed to launch) from the pool's record.
void ForgetDead(const Pool& pool, const PoolCensus& census, std::vector<Step>& steps) {
  const Mode mode = pool.spec.mode;
  if (!census.gone.empty()) {
    Step step = MakeStep(
        StepKind::kForget, pool,
        Plural(static_cast<int>(census.gone.size()), UnitName(mode, 1), UnitName(mode, 2)) +
            " gone: reclaimed by the spot market or released outside spotform");
    step.ids = IdsOf(census.gone, mode);
    steps.push_back(std::move(step));
  }
  if (!census.failed.empty()) {
    Step step = MakeStep(StepKind::kForget, pool,
                         Plural(static_cast<int>(census.failed.size()), "instance", "instances") +
                             " failed to launch (the cloud removes them)");
    step.ids = IdsOf(census.failed, mode);
    steps.push_back(std::move(step));
  }
}

// Lowers a pool's count first and confirms it, then releases (the ordering rule, spec §1).
// `order` is the spec whose candidates and allocation decide which instances go first
// (ChooseForRelease), with `prices` when the plan knows them.
void LowerThenRelease(const Pool& pool, const PoolCensus& census, int target,
                      const std::string& why, std::vector<Step>& steps,
                      const EnvironmentSpec& order, const SpotPrices& prices) {
  const Mode mode = pool.spec.mode;
  Step set =
      MakeStep(StepKind::kSetExpectedCount, pool,
               pool.expected_count == target
                   ? "confirm the expected count is " + std::to_string(target) + " before releasing"
                   : why);
  set.from = pool.expected_count;
  set.to = target;
  steps.push_back(std::move(set));
  const int surplus = static_cast<int>(census.live.size()) - target;
  if (surplus > 0) {
    Step release = MakeStep(
        StepKind::kRelease, pool,
        target == 0
            ? "release every " + UnitName(mode, 1)
            : "release the " +
                  Plural(surplus, "surplus " + UnitName(mode, 1), "surplus " + UnitName(mode, 2)) +
                  (ReleasesByPrice(order, prices)
                       ? ": not yet running or failed first, then the most expensive "
                         "candidates at current spot prices, then newest"
                   : order.HasFallbacks() ? ": not yet running or failed first, then "
                                            "least preferred candidates, then newest"
                                          : ": not yet running or failed first, then newest"));
    release.ids = ChooseForRelease(census.live, surplus, order, prices);
    if (mode == Mode::kBatch) {
      // Whether lowering the count makes Batch remove nodes itself, and which, is Batch's
      // choice: say so and name the nodes it may pick, so no release is a surprise.
      std::vector<std::string> pickable;
      for (const RecordedInstance* node : census.live) {
        if (node->state == "RUNNING" || node->state == "CREATED" || node->state == "ABNORMAL") {
          pickable.push_back(IdOf(*node, mode));
        }
      }
      release.reason += "; if Batch removes " + Plural(surplus, "node", "nodes") +
                        " itself when the count drops, it picks among its created ones (" +
                        (pickable.empty() ? std::string("none yet") : ShortList(pickable)) +
                        ") and spotform releases only what is left above the count";
    }
    steps.push_back(std::move(release));
  }
}

// Retires a pool completely. cvm: count to 0, release, forget the dead, drop. Batch: delete
// the compute environment, which ends its refilling and terminates every node whatever its
// state; lowering its count first would be refused while nodes wait for stock (Batch's
// scale-in removes only created nodes), and would block the deletion.
void Retire(const Pool& pool, const std::string& why, std::vector<Step>& steps) {
  const PoolCensus census = CensusOf(pool);
  if (pool.spec.mode == Mode::kBatch && !pool.batch_env_id.empty()) {
    Step remove = MakeStep(StepKind::kDeletePool, pool, "");
    remove.ids = IdsOf(census.live, Mode::kBatch);
    remove.reason = "delete Batch compute environment " + pool.batch_env_id +
                    (remove.ids.empty() ? "" : " and its nodes " + ShortList(remove.ids)) + " (" +
                    why + ")";
    steps.push_back(std::move(remove));
    return;
  }
  LowerThenRelease(pool, census, 0, why, steps, pool.spec, SpotPrices{});
  ForgetDead(pool, census, steps);
  steps.push_back(MakeStep(StepKind::kDeletePool, pool, "drop the retired capacity from state"));
}

// Brings new capacity of the declared shape (create and replace).
void AddPool(const EnvironmentSpec& desired, int64_t serial, std::vector<Step>& steps) {
  Pool pool;
  pool.id = NewPoolId(desired, serial);
  pool.spec = desired;
  const int target = desired.desired_count;
  Step create =
      MakeStep(StepKind::kCreatePool, pool,
               desired.mode == Mode::kBatch
                   ? "create a Batch compute environment of " + Plural(target, "node", "nodes")
                   : "record the new capacity with expected count " + std::to_string(target));
  create.count = target;
  steps.push_back(std::move(create));
  if (target == 0) return;
  if (desired.mode == Mode::kCvm) {
    Step launch = MakeStep(StepKind::kLaunch, pool, "desired " + std::to_string(target));
    launch.count = target;
    steps.push_back(std::move(launch));
  } else {
    Step wait = MakeStep(StepKind::kWaitForCapacity, pool,
                         "wait until " + Plural(target, "node runs", "nodes run"));
    wait.count = target;
    steps.push_back(std::move(wait));
  }
}

// "[S5.MEDIUM4, SA2.MEDIUM4]": type names as a list, whatever their number.
std::string TypeList(const EnvironmentSpec& spec) {
  std::string out;
  for (const std::string& name : TypeNames(spec)) out += (out.empty() ? "" : ", ") + name;
  return "[" + out + "]";
}

// Batch mode: a changed instance type list is set on the compute environment in place
// (ModifyComputeEnv EnvData.InstanceTypes), before any count change, so new nodes use it.
void SetInstanceTypesIfChanged(const Pool& pool, const EnvironmentSpec& desired,
                               std::vector<Step>& steps, std::vector<std::string>& reasons) {
  if (pool.spec.mode != Mode::kBatch || TypeNames(pool.spec) == TypeNames(desired)) return;
  const std::string why =
      "instance_types changed: " + TypeList(pool.spec) + " -> " + TypeList(desired);
  reasons.push_back(why + " (in place; nodes already created keep their type)");
  steps.push_back(PoolStep(StepKind::kSetInstanceTypes, pool.id, desired, why));
}

// Scales the pool that already has the declared shape, and replaces what was lost.
void Reconcile(const Pool& pool, const EnvironmentSpec& desired, const SpotPrices& prices,
               std::vector<Step>& steps, std::vector<std::string>& reasons) {
  const PoolCensus census = CensusOf(pool);
  const Mode mode = pool.spec.mode;
  const int target = desired.desired_count;
  const int live = static_cast<int>(census.live.size());
  const int expected = pool.expected_count;
  const std::string count_change =
      "desired " + std::to_string(expected) + " -> " + std::to_string(target);
  const int gone = static_cast<int>(census.gone.size());
  const int failed = static_cast<int>(census.failed.size());

  if (expected != target) reasons.push_back(count_change);
  if (gone > 0) {
    reasons.push_back(Plural(gone, UnitName(mode, 1), UnitName(mode, 2)) +
                      " reclaimed by the spot market or released outside spotform");
  }
  if (failed > 0) reasons.push_back(Plural(failed, "launch", "launches") + " failed");

  if (live > target) {
    reasons.push_back("release " + Plural(live - target, UnitName(mode, 1), UnitName(mode, 2)));
    EnvironmentSpec order = pool.spec;  // the recorded candidates, the declared allocation
    order.allocation = desired.allocation;
    LowerThenRelease(pool, census, target, count_change, steps, order, prices);
    ForgetDead(pool, census, steps);
    return;
  }
  ForgetDead(pool, census, steps);
  if (expected != target) {
    Step set = MakeStep(StepKind::kSetExpectedCount, pool, count_change);
    set.from = expected;
    set.to = target;
    steps.push_back(std::move(set));
  }
  const int missing = target - live;
  if (missing <= 0) return;
  if (mode == Mode::kCvm) {
    std::vector<std::string> why;
    if (target > expected) why.push_back(count_change);
    if (gone > 0)
      why.push_back("replace " + std::to_string(std::min(gone, missing)) + " reclaimed");
    if (failed > 0) why.push_back("replace " + Plural(failed, "failed launch", "failed launches"));
    if (why.empty()) {
      why.push_back(Plural(missing, "instance", "instances") + " below the expected count");
      reasons.push_back(why.back());
    }
    std::string reason;
    for (const std::string& part : why) reason += (reason.empty() ? "" : "; ") + part;
    Step launch = MakeStep(StepKind::kLaunch, pool, reason);
    launch.count = missing;
    steps.push_back(std::move(launch));
  } else if (target > expected) {
    // Batch fills up to the desired count by itself; spotform waits for the raise it made.
    Step wait = MakeStep(StepKind::kWaitForCapacity, pool,
                         "wait until " + Plural(target, "node runs", "nodes run"));
    wait.count = target;
    steps.push_back(std::move(wait));
  }
}

// New first, across applies too: when an earlier replacement's new capacity is not running
// yet (a timeout, --no-wait, a stock-out), the old capacity is retired only after a wait for
// the new one, and stays if the wait fails.
void WaitBeforeRetiring(const Pool& current, const EnvironmentSpec& desired,
                        std::vector<Step>& steps, std::vector<std::string>& reasons) {
  const int target = desired.desired_count;
  if (target == 0) return;
  if (std::any_of(steps.begin(), steps.end(), [&](const Step& step) {
        return step.kind == StepKind::kWaitForCapacity && step.pool_id == current.id;
      })) {
    return;
  }
  const PoolCensus census = CensusOf(current);
  const int running = static_cast<int>(
      std::count_if(census.live.begin(), census.live.end(),
                    [](const RecordedInstance* instance) { return instance->state == "RUNNING"; }));
  if (running >= target) return;
  const Mode mode = current.spec.mode;
  reasons.push_back("the new capacity is not running yet (" + std::to_string(running) + " of " +
                    std::to_string(target) + "): the old is retired after it runs");
  Step wait = MakeStep(StepKind::kWaitForCapacity, current,
                       "wait until " +
                           Plural(target, UnitName(mode, 1) + " runs", UnitName(mode, 2) + " run") +
                           " before retiring the old capacity");
  wait.count = target;
  steps.push_back(std::move(wait));
}

void RecordSpecIfChanged(const RecordedEnvironment* recorded, const EnvironmentSpec& desired,
                         std::vector<Step>& steps, std::vector<std::string>& reasons) {
  if (recorded != nullptr && SameSpec(recorded->applied, desired)) return;
  if (recorded != nullptr && recorded->applied.tags != desired.tags) {
    reasons.push_back("tags changed (applied to capacity launched from now on)");
  }
  Step step;
  step.kind = StepKind::kRecordSpec;
  step.spec = desired;
  step.reason = "record the applied configuration";
  steps.push_back(std::move(step));
}

Change PlanEnvironment(const std::string& address, const EnvironmentSpec* desired,
                       const RecordedEnvironment* recorded, int64_t serial, bool destroy,
                       const SpotPrices& prices) {
  Change change;
  change.address = address;
  if (recorded != nullptr) change.before = recorded->applied;
  if (desired != nullptr) change.after = *desired;

  if (desired == nullptr) {  // removed from the config, or destroy
    change.action = ChangeAction::kDelete;
    const std::string why = destroy ? "destroy" : "removed from the configuration";
    change.reasons.push_back(why);
    const std::vector<Pool> no_pools;
    for (const Pool& pool : recorded != nullptr ? recorded->pools : no_pools) {
      Retire(pool, why + ": expected " + std::to_string(pool.expected_count) + " -> 0",
             change.steps);
    }
    return change;
  }

  const Pool* current = nullptr;
  std::vector<const Pool*> retiring;
  if (recorded != nullptr) {
    for (const Pool& pool : recorded->pools) {
      if (current == nullptr && SameCapacityShape(pool.spec, *desired)) {
        current = &pool;
      } else {
        retiring.push_back(&pool);
      }
    }
  }

  if (current == nullptr) {
    if (recorded == nullptr || recorded->pools.empty()) {
      change.action = ChangeAction::kCreate;
      change.reasons.push_back("new environment: " + Plural(desired->desired_count,
                                                            UnitName(desired->mode, 1),
                                                            UnitName(desired->mode, 2)));
    } else {
      change.action = ChangeAction::kReplace;
      for (const std::string& difference : ShapeDifferences(recorded->applied, *desired)) {
        change.reasons.push_back(difference);
      }
      if (change.reasons.empty()) change.reasons.push_back("capacity shape changed: replace");
      change.reasons.push_back("new capacity first, old released after");
      // Recorded first, as a create records its environment first: should the new capacity
      // not come up, the state still says which shape is wanted and which pool is retiring.
      RecordSpecIfChanged(recorded, *desired, change.steps, change.reasons);
    }
    AddPool(*desired, serial, change.steps);
  } else {
    SetInstanceTypesIfChanged(*current, *desired, change.steps, change.reasons);
    Reconcile(*current, *desired, prices, change.steps, change.reasons);
    if (!retiring.empty()) {
      change.reasons.push_back("finish retiring the capacity of an earlier configuration");
      WaitBeforeRetiring(*current, *desired, change.steps, change.reasons);
    }
  }
  if (change.action != ChangeAction::kReplace) {
    RecordSpecIfChanged(recorded, *desired, change.steps, change.reasons);
  }
  for (const Pool* pool : retiring) {
    Retire(
        *pool,
        "retire the replaced capacity: expected " + std::to_string(pool->expected_count) + " -> 0",
        change.steps);
  }

  if (change.action == ChangeAction::kNoOp && !change.steps.empty()) {
    change.action = retiring.empty() ? ChangeAction::kUpdate : ChangeAction::kReplace;
  }
  return change;
}

}  // namespace

Plan MakePlan(const Config& config, const StateSnapshot& state, const PlanOptions& options) {
  Plan plan;
  plan.lineage = state.lineage;
  plan.serial = state.serial;
  plan.config_digest = config.digest;
  plan.destroy = options.destroy;
  plan.targets = options.targets;

  std::set<std::string> names;
  for (const auto& [name, spec] : state.environments) names.insert(name);
  if (!options.destroy) {
    for (const auto& [name, spec] : config.environments) names.insert(name);
  }
  const std::set<std::string> targets(options.targets.begin(), options.targets.end());

  for (const std::string& name : names) {
    const std::string address = "env." + name;
    if (!targets.empty() && targets.count(address) == 0) continue;
    const EnvironmentSpec* desired = nullptr;
    if (!options.destroy) {
      auto it = config.environments.find(name);
      if (it != config.environments.end()) desired = &it->second;
    }
    const RecordedEnvironment* recorded = nullptr;
    auto it = state.environments.find(name);
    if (it != state.environments.end()) recorded = &it->second;
    plan.changes.push_back(PlanEnvironment(address, desired, recorded, state.serial,
                                           options.destroy, options.spot_prices));
  }
  plan.basis = MakePlanBasis(config, state, plan.changes);
  return plan;
}

}  // namespace spotform
