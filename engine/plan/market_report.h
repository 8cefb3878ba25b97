#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/environment_spec.h"
#include "engine/model/placement.h"

namespace spotform {

struct Plan;

// The zone quota an environment's launches need (issue 14): the vCPUs of the launches placed
// in the zone, plus those the quota kept out, against what is left of the zone's spot quota.
struct QuotaNeed {
  std::string zone;
  int64_t needed_vcpus = 0;
  int64_t remaining_vcpus = 0;

  // vCPUs of quota to request so that every launch fits (0 when they fit).
  int64_t missing_vcpus() const {
    return needed_vcpus > remaining_vcpus ? needed_vcpus - remaining_vcpus : 0;
  }
};

// The RunInstances DryRun of an environment's first chosen candidate: what it asks for and
// what the cloud answered. The plan's builder fills the request; RunLaunchChecks
// (market_survey.h) runs it.
struct LaunchCheck {
  enum class Outcome {
    kNotRun,  // not asked (Batch launches itself, or no cloud was asked)
    kPassed,  // the cloud said the launch would have succeeded
    kFailed,  // the cloud refused: error_code/error_message and advice say why
  };
  Outcome outcome = Outcome::kNotRun;
  std::string zone;  // "" = no launch to check
  std::string instance_type;
  std::string image_id;
  std::string max_price;
  int count = 0;
  std::string error_code;     // the cloud's code ("" for errors of spotform's own side)
  std::string error_message;  // the error as spotform reports it
  std::string advice;         // what to change, "" when there is nothing specific to say

  bool requested() const { return !zone.empty(); }
};

// The market as a plan found it for one environment with launches (issue 14): where its
// launches would go now among its candidates and why the others are skipped, the spot quota
// they need, the launch check and the hourly cost. A value owned by the Plan (plan.h); it is
// information for people: a saved plan keeps it to show it, but it is not part of what the
// plan executes, and placement is decided again at launch time.
struct MarketReport {
  std::string address;  // "env.render"
  Mode mode = Mode::kCvm;
  Allocation allocation = Allocation::kOrdered;
  int launch_count = 0;       // instances the plan launches (cvm) or asks Batch for (batch)
  bool market_known = false;  // false: the market could not be read; see unknown_reason
  // Why the market (or, with market_known, the spot quota) is unknown; "" when all is known.
  std::string unknown_reason;
  Placement placement;                   // Place(spec, launch_count, market, holds)
  std::vector<QuotaNeed> quota;          // per zone with a known quota that the launches use
  LaunchCheck launch_check;              // cvm only
  std::optional<double> cost_at_market;  // per hour of the placed launches at spot prices
  double cost_at_bids = 0;               // per hour of the placed launches at their bids
  std::vector<std::string> warnings;     // also listed in Plan::warnings
};

// What the report's text and JSON say about placement.
inline constexpr char kPlacementNote[] = "placement is decided at launch; the market moves";

// The JSON word of a skip reason: "none", "not_sold", "sold_out", "bid_too_low",
// "unavailable", "quota_full", "not_needed"; and back (nullopt for an unknown word).
std::string_view SkipReasonName(SkipReason reason);
std::optional<SkipReason> ParseSkipReason(std::string_view name);

// The word of a stock level: "enough", "normal", "low", "none", "unknown"; and back.
std::string_view StockLevelName(StockLevel level);
std::optional<StockLevel> ParseStockLevel(std::string_view name);

// The specs and launch counts of the plan's environments with launches, in address order:
// cvm kLaunch steps, batch kCreatePool and raising kSetExpectedCount steps. The spec is the
// one of the first such step; only steps of the same capacity shape count.
struct PlannedLaunches {
  std::string address;
  EnvironmentSpec spec;
  int count = 0;
};
std::vector<PlannedLaunches> LaunchesOf(const Plan& plan);

// One report per environment with launches, in address order, from the market as read once
// (ReadMarket): the placement with no holds, the quota needs, the launch check's request
// (cvm: the first chosen candidate, else the most preferred; count min(its launches, 100))
// with its outcome not run, the costs and the warnings (no candidate can serve; quota too
// small). Pure.
std::vector<MarketReport> BuildMarketReports(const Plan& plan, const MarketView& market,
                                             const CandidateHolds& holds = {});

// The warnings of `reports`, in order, for Plan::warnings.
std::vector<std::string> MarketWarnings(const std::vector<MarketReport>& reports);

}  // namespace spotform
