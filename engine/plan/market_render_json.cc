#include <cmath>

#include "engine/plan/market_render.h"

namespace spotform {
namespace {

using Json = nlohmann::ordered_json;

double MarketRounded(double amount) { return std::round(amount * 10000) / 10000; }

Json CandidateJson(const CandidateAssessment& c) {
  const bool chosen = c.place > 0;
  return Json{{"zone", c.candidate.zone},
              {"instance_type", c.candidate.instance_type},
              {"price", c.offer ? Json(c.offer->hourly_price) : Json(nullptr)},
              {"on_sale", c.offer ? Json(c.offer->on_sale) : Json(nullptr)},
              {"stock", c.offer ? Json(StockLevelName(c.offer->stock)) : Json(nullptr)},
              {"cpu", c.offer ? Json(c.offer->cpu) : Json(nullptr)},
              {"bid", c.candidate.max_price},
              {"place", c.place},
              {"chosen", chosen},
              {"skip", c.skip == SkipReason::kNone ? Json(nullptr) : Json(SkipReasonName(c.skip))},
              {"why", c.why.empty() ? Json(nullptr) : Json(c.why)}};
}

Json DryRunJson(const LaunchCheck& check) {
  if (!check.requested()) return Json(nullptr);
  const char* result = check.outcome == LaunchCheck::Outcome::kPassed   ? "passed"
                       : check.outcome == LaunchCheck::Outcome::kFailed ? "failed"
                                                                        : "not_run";
  Json error = check.outcome == LaunchCheck::Outcome::kFailed
                   ? Json{{"code", check.error_code}, {"message", check.error_message}}
                   : Json(nullptr);
  return Json{{"zone", check.zone},
              {"instance_type", check.instance_type},
              {"image_id", check.image_id},
              {"max_price", check.max_price},
              {"count", check.count},
              {"result", result},
              {"error", std::move(error)},
              {"advice", check.advice.empty() ? Json(nullptr) : Json(check.advice)}};
}

}  // namespace

nlohmann::ordered_json MarketReportToJson(const MarketReport& report) {
  Json candidates = Json::array();
  for (const CandidateAssessment& c : report.placement.candidates) {
    candidates.push_back(CandidateJson(c));
  }
  Json quota = Json::array();
  for (const QuotaNeed& need : report.quota) {
    quota.push_back(Json{{"zone", need.zone},
                         {"needed_vcpus", need.needed_vcpus},
                         {"remaining_vcpus", need.remaining_vcpus},
                         {"request_vcpus", need.missing_vcpus()}});
  }
  return Json{{"mode", ModeName(report.mode)},
              {"allocation", AllocationName(report.allocation)},
              {"launch", report.launch_count},
              {"placed", report.placement.placed},
              {"note", kPlacementNote},
              {"market_known", report.market_known},
              {"unknown_reason",
               report.unknown_reason.empty() ? Json(nullptr) : Json(report.unknown_reason)},
              {"candidates", std::move(candidates)},
              {"quota", std::move(quota)},
              {"dry_run", DryRunJson(report.launch_check)},
              {"cost", Json{{"at_market", report.cost_at_market
                                              ? Json(MarketRounded(*report.cost_at_market))
                                              : Json(nullptr)},
                            {"at_bids", MarketRounded(report.cost_at_bids)}}},
              {"warnings", report.warnings}};
}

}  // namespace spotform
