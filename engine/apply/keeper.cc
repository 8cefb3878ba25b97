#include "engine/apply/keeper.h"

#include <algorithm>

#include "engine/model/words.h"
#include "engine/plan/liveness.h"

namespace spotform {
namespace {

// Counts a cvm pool with the planner's rule (engine/plan/liveness.h).
KeeperPoolRound Census(const std::string& environment, const Pool& pool) {
  KeeperPoolRound round;
  round.environment = environment;
  round.pool_id = pool.id;
  round.spec = pool.spec;
  round.expected = pool.expected_count;
  const PoolCensus census = CensusOf(pool);
  for (const RecordedInstance* instance : census.gone) round.gone.push_back(instance->id);
  for (const RecordedInstance* instance : census.failed) round.failed.push_back(instance->id);
  round.leaving = static_cast<int>(census.leaving.size());
  round.live = static_cast<int>(census.live.size());
  round.launch = std::max(0, round.expected - round.live);
  return round;
}

// A step on the kept pool `pool`.
Step KeeperStep(StepKind kind, const KeeperPoolRound& pool, std::string reason) {
  return PoolStep(kind, pool.pool_id, pool.spec, std::move(reason));
}

}  // namespace

KeeperPlan PlanKeeperRound(const StateSnapshot& refreshed) {
  std::set<std::string> open;
  for (const JournalEntry& entry : refreshed.open_intents) open.insert(entry.environment);

  KeeperPlan plan;
  for (const auto& [name, environment] : refreshed.environments) {
    const std::string address = "env." + name;
    if (environment.pools.empty()) continue;
    if (environment.pools.size() > 1) {
      plan.skipped.push_back(
          {address, "a replacement is unfinished (" + std::to_string(environment.pools.size()) +
                        " pools): run `spotform apply` to finish it; until then nothing is "
                        "launched here"});
      continue;
    }
    if (environment.pools.front().spec.mode == Mode::kBatch) {
      plan.skipped.push_back({address, "batch mode: Batch Compute keeps its own count"});
      continue;
    }
    if (open.count(name) > 0) {
      plan.skipped.push_back({address,
                              "an interrupted operation is still open in the journal: run "
                              "`spotform apply` to settle it"});
      continue;
    }
    plan.pools.push_back(Census(name, environment.pools.front()));
  }
  return plan;
}

Plan KeeperRoundPlan(const StateSnapshot& refreshed, const KeeperPlan& keeper,
                     const std::set<std::string>& hold) {
  Plan plan;
  plan.lineage = refreshed.lineage;
  plan.serial = refreshed.serial;
  for (const KeeperPoolRound& pool : keeper.pools) {
    auto recorded = refreshed.environments.find(pool.environment);
    if (recorded == refreshed.environments.end()) continue;
    Change change;
    change.address = pool.Address();
    change.action = ChangeAction::kUpdate;
    EnvironmentSpec applied = recorded->second.applied;
    applied.name = pool.environment;
    change.before = applied;
    change.after = applied;
    std::vector<std::string> dead = pool.gone;
    dead.insert(dead.end(), pool.failed.begin(), pool.failed.end());
    if (!dead.empty()) {
      Step forget = KeeperStep(StepKind::kForget, pool,
                               Plural(static_cast<int>(dead.size()), "instance", "instances") +
                                   " gone or failed to launch");
      forget.ids = std::move(dead);
      change.steps.push_back(std::move(forget));
    }
    if (pool.launch > 0 && hold.count(pool.pool_id) == 0) {
      Step launch = KeeperStep(StepKind::kLaunch, pool, DescribeKeeperLaunch(pool));
      launch.count = pool.launch;
      change.steps.push_back(std::move(launch));
    }
    if (change.steps.empty()) continue;
    change.reasons.push_back("keep the expected count of " + std::to_string(pool.expected));
    plan.changes.push_back(std::move(change));
  }
  return plan;
}

std::string DescribeKeeperLaunch(const KeeperPoolRound& pool) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  const int lost = pool.leaving + static_cast<int>(pool.gone.size());
  if (lost > 0) add(Plural(lost, "instance", "instances") + " reclaimed");
  if (!pool.failed.empty()) {
    add(Plural(static_cast<int>(pool.failed.size()), "launch", "launches") + " failed");
  }
  if (out.empty()) add(Plural(pool.launch, "instance", "instances") + " below the expected count");
  add("launching " + std::to_string(pool.launch) + " (expected " + std::to_string(pool.expected) +
      ", " + std::to_string(pool.live) + " live)");
  return out;
}

std::string DescribeCapacityRefusal(const KeeperPoolRound& pool, const Error& error) {
  const std::string where = TypesText(pool.spec) + " in " + ZonesText(pool.spec);
  const std::string code = error.code().empty() ? "" : " (" + error.code() + ")";
  if (error.code().find("InsufficientPrice") != std::string::npos) {
    return "bid " + pool.spec.max_price + " is below the spot price of " + where + code;
  }
  return "no spot stock of " + where + code;
}

}  // namespace spotform
