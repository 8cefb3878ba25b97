#pragma once

#include <vector>

#include "engine/config/config.h"
#include "engine/model/cloud.h"
#include "engine/model/result.h"
#include "engine/plan/market_report.h"
#include "engine/plan/plan.h"

namespace spotform {

// The market part of `plan` and of apply's plan (issue 14): for the plan's environments with
// launches, reads the market once (ReadMarket: one offers query, one quota query), builds
// plan.market (BuildMarketReports), runs the launch checks (RunLaunchChecks) and sets
// plan.warnings. A market that cannot be read is reported in each report ("market unknown:
// REASON"), not returned; only an authentication failure is an error. A plan without
// launches is left as it is, with no cloud call. `launch_checks` false leaves the checks out
// (apply --auto-approve: nobody reads them before the launch, which reports the same refusals).
// `holds` are the candidates the state holds back now (HoldsInForce).
Status SurveyMarket(Cloud& cloud, Plan& plan, bool launch_checks = true,
                    const CandidateHolds& holds = {});

// The current spot prices of the candidates of `config`'s `lowest-price` environments with
// fallback candidates (one market read; none when there is no such environment), for the
// planner's release order (PlanOptions::spot_prices). An unreadable market gives no prices:
// releases then go by preference, and the plan says which rule it used.
SpotPrices PricesForReleases(Cloud& cloud, const Config& config);

// Runs the launch check each cvm report asks for: one RunInstances DryRun of its candidate
// (zone, type, bid, image and the environment's tags from `plan`, count as requested) and
// records the outcome, the cloud's error and advice on what to change; a failed check adds a
// warning to a report that has none yet.
void RunLaunchChecks(Cloud& cloud, const Plan& plan, std::vector<MarketReport>& reports);

// What to change after a launch check failed with `error`, for the report's candidate "" when
// there is nothing specific to say. Pure.
std::string LaunchCheckAdvice(const Error& error, const MarketReport& report);

}  // namespace spotform
