#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/model/placement.h"
#include "engine/model/state_snapshot.h"
#include "engine/plan/plan.h"

namespace spotform {

struct PlanOptions {
  bool destroy = false;              // plan the removal of everything in state
  std::vector<std::string> targets;  // "env.NAME" addresses; empty = all
  // Current spot prices, when known: a scale-down of a `lowest-price` environment releases
  // the most expensive candidates' instances first (else the least preferred first).
  SpotPrices spot_prices;
};

// The planner: a pure function of the desired config and the (refreshed) state. No I/O, no
// clock, no randomness: the same inputs give the same plan, so tests use literals.
//
// Ordering rule (spec §1): within a change, every kRelease of a pool comes after a
// kSetExpectedCount of that pool whose `to` is at most the number of the pool's members
// that remain after all its releases. New capacity (kCreatePool / kLaunch /
// kWaitForCapacity) comes before old capacity is released.
Plan MakePlan(const Config& config, const StateSnapshot& state, const PlanOptions& options);

}  // namespace spotform
