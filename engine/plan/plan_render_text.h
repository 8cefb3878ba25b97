#pragma once

#include <string>

#include "engine/plan/plan.h"

namespace spotform {

struct RenderOptions {
  bool color = false;  // ANSI colour; the caller decides with ColorEnabled (text_style.h)
};

// Renders a plan for people, in Terraform's idiom: a legend of the symbols used, then each
// change that does something (no-ops are left out) as
//   # env.render will be updated in place: desired 4 -> 6
//   ~ env.render
//       ~ desired_count = 4 -> 6
//       steps:
//         1. raise expected count 4 -> 6 (desired 4 -> 6)
// and a closing summary line ("Plan: 1 to add, ..."), or "No changes. ..." when there is
// nothing to do. With market reports (Plan::market) each environment with launches also shows
// its candidates, quota, launch check and cost under its steps (market_render.h), the summary
// the launches' cost at current spot prices, and the plan's warnings follow the summary.
// The output depends only on the plan and the options.
std::string RenderPlanText(const Plan& plan, const RenderOptions& options);

// "Plan: 1 to add, 2 to change, 0 to destroy; 6 instances to launch, 2 to release;
// estimated 2.40/h in total at your bids." (a destroy: "...; removes 2.40/h at your bids.")
// With priced launches it ends "...at your bids; launches placed now: 0.90/h at current spot
// prices (at bids 3.60/h)."
std::string SummaryLine(const PlanSummary& summary);

// An hourly amount with at least two and at most four decimals: 2.4 -> "2.40",
// 0.0315 -> "0.0315".
std::string FormatHourlyCost(double amount);

}  // namespace spotform
