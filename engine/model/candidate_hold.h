#pragma once

#include <string>

#include "engine/model/clock.h"

namespace spotform {

// Why a candidate is held (spec §3 "Fallback candidates").
enum class HoldKind {
  kUnavailable,  // refused a launch for stock, price or quota: skipped
  kCooling,      // lost instances to a reclaim: tried last
};

// A hold on one fallback candidate (zone x instance type) until a moment, as recorded in the
// state so that separate runs (`apply`, `watch --once` from cron) share it. Holds belong to
// the state, not to an environment: a sold-out pool is sold out for every environment.
struct CandidateHold {
  std::string zone;
  std::string instance_type;
  HoldKind kind = HoldKind::kUnavailable;
  Clock::WallTime until;  // in force while now < until

  bool operator==(const CandidateHold&) const = default;
};

}  // namespace spotform
