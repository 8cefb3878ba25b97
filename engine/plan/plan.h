#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/environment_spec.h"
#include "engine/plan/market_report.h"

namespace spotform {

// What a change does to one environment, in Terraform's words (spec §2 JSON `action`).
enum class ChangeAction {
  kNoOp,     // nothing to do
  kCreate,   // new environment                                  (+)
  kUpdate,   // same capacity shape: scale, replace reclaimed, tags (~)
  kReplace,  // capacity shape changed: new capacity first, old released after (-/+)
  kDelete,   // environment removed from the config, or destroy   (-)
};

std::string_view ChangeActionName(ChangeAction action);  // "create", "update", ...

// One ordered step of a change. Steps of an environment run in order; the executor turns
// each into cloud calls and state writes. Which fields are set depends on `kind`.
enum class StepKind {
  kCreatePool,        // pool_id, spec, count: record a new pool (batch: CreateComputeEnv
                      // with DesiredComputeNodeCount = count)
  kLaunch,            // pool_id, spec, count: cvm: launch `count` spot instances
  kWaitForCapacity,   // pool_id, count: batch: wait until `count` nodes run
  kSetExpectedCount,  // pool_id, from, to: change the count the keeper works toward, and
                      // confirm it took effect, before any later step
  kRelease,           // pool_id, ids: release these instances (cvm) / nodes (batch)
  kForget,            // pool_id, ids: drop instances already gone from state (no cloud call)
  kDeletePool,        // pool_id: batch: DeleteComputeEnv and confirm; then drop the pool
  kSetInstanceTypes,  // pool_id, spec: batch: ModifyComputeEnv EnvData.InstanceTypes to
                      // spec's types (new nodes use them), then record them on the pool
  kRecordSpec,        // spec: record the applied spec (tags, count) in state
};

std::string_view StepKindName(StepKind kind);  // "create_pool", "launch", ...

struct Step {
  StepKind kind = StepKind::kRecordSpec;
  std::string pool_id;           // every kind but kRecordSpec
  EnvironmentSpec spec;          // the pool's spec (kRecordSpec: the declared spec to record)
  int count = 0;                 // kCreatePool, kLaunch, kWaitForCapacity
  int from = 0;                  // kSetExpectedCount
  int to = 0;                    // kSetExpectedCount
  std::vector<std::string> ids;  // kRelease, kForget: instance ids, or node ids in batch mode
  std::string reason;  // why, for people: "desired 6 -> 4", "reclaimed by the spot market"
};

// A step of `kind` on the pool `pool_id` of `spec`, for `reason`; the caller fills in the
// kind's counts and ids.
Step PoolStep(StepKind kind, std::string pool_id, const EnvironmentSpec& spec, std::string reason);

// The change to one environment address.
struct Change {
  std::string address;  // "env.render"
  ChangeAction action = ChangeAction::kNoOp;
  std::optional<EnvironmentSpec> before;  // as recorded; none for a create
  std::optional<EnvironmentSpec> after;   // as declared; none for a delete
  std::vector<std::string> reasons;       // e.g. "zone changed: ap-guangzhou-3 -> ap-guangzhou-4"
  std::vector<Step> steps;                // in execution order
  // A kDelete change also drops the environment's record once its steps are done.
};

// Totals of a plan (spec §2 JSON `summary`).
struct PlanSummary {
  int add = 0;      // environments created
  int change = 0;   // environments updated or replaced
  int destroy = 0;  // environments deleted
  // Instances launched (cvm kLaunch) or requested from Batch (batch kCreatePool count, and
  // raises of a batch kSetExpectedCount).
  int launch = 0;
  int release = 0;  // instances or nodes named by kRelease steps
  // Estimated hourly cost at the bids once applied: sum of desired_count * max_price (0 for a
  // destroy plan).
  double hourly_cost_at_bid = 0;
  // What the deleted environments cost at their bids as recorded (desired_count * max_price):
  // what a destroy (or its --target) takes away.
  double hourly_cost_removed_at_bid = 0;
  bool destroy_plan = false;  // made by `spotform destroy`: the cost shown is what it removes
  // The hourly cost of the launches placed now (Plan::market), at the current spot prices and
  // at their bids: for the environments whose market was read and that place launches now;
  // nullopt when there are none.
  std::optional<double> launch_cost_at_market;
  std::optional<double> launch_cost_at_bids;
};

// What a plan knew of one environment it changes: the environment's serial in the state
// (StateSnapshot::environment_serials) and its declared spec's digest, when planned.
struct EnvironmentBasis {
  int64_t serial = 0;         // 0: never written to the state
  std::string config_digest;  // EnvironmentDigest (config_digest.h); "": not in the config
  bool operator==(const EnvironmentBasis&) const = default;
};

// What a saved plan depends on (issue 16): the shared settings of the config and each
// environment it changes. It stays current while these are as they were, whatever happens
// to the other environments of the state and of the config (plan_basis.h).
struct PlanBasis {
  std::string shared_config_digest;  // Config::shared_digest
  // By address ("env.NAME"): every environment with a change that is not a no-op.
  std::map<std::string, EnvironmentBasis> environments;
  bool operator==(const PlanBasis&) const = default;
};

// A plan is a value: what apply will do, exactly, and the state and config it was made
// from. It is made by the planner (pure), rendered, saved to a file and executed.
struct Plan {
  std::string lineage;        // of the state it was made from
  int64_t serial = 0;         // of that state (0 for an empty state)
  std::string config_digest;  // Config::digest
  // What makes a saved plan stale; none in plan files made before issue 16, which are
  // checked against the whole state's serial and config_digest instead.
  std::optional<PlanBasis> basis;
  bool destroy = false;              // made by `spotform destroy`
  std::vector<std::string> targets;  // --target addresses; empty = all
  std::vector<Change> changes;       // in address order, no-ops included
  // Information for people, not part of what apply executes nor of what makes a saved plan
  // stale: the market for each environment with launches (market_report.h; empty when the
  // cloud was not asked), and warnings (e.g. an environment no candidate can serve now).
  std::vector<MarketReport> market;
  std::vector<std::string> warnings;

  PlanSummary Summary() const;
  bool HasChanges() const;
};

}  // namespace spotform
