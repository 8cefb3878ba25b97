#include "engine/plan/plan_render_json.h"

#include <cmath>

#include "engine/model/spec_json.h"
#include "engine/plan/market_render.h"
#include "engine/plan/plan_codec.h"

namespace spotform {
namespace {

using Json = nlohmann::ordered_json;

Json OptionalSpecJson(const std::optional<EnvironmentSpec>& spec) {
  return spec ? SpecToJson(*spec) : Json(nullptr);
}

void AddShape(const EnvironmentSpec& spec, Json& out) {
  WritePlacementFields(spec, out);
  out["image_id"] = spec.image_id;
  out["max_price"] = spec.max_price;
}

Json StepJson(const Step& step) {
  Json out;
  out["kind"] = StepKindName(step.kind);
  out["pool_id"] = step.pool_id.empty() ? Json(nullptr) : Json(step.pool_id);
  if (step.kind != StepKind::kRecordSpec) out["mode"] = ModeName(step.spec.mode);
  switch (step.kind) {
    case StepKind::kCreatePool:
    case StepKind::kLaunch:
      out["count"] = step.count;
      AddShape(step.spec, out);
      break;
    case StepKind::kWaitForCapacity:
      out["count"] = step.count;
      break;
    case StepKind::kSetExpectedCount:
      out["from"] = step.from;
      out["to"] = step.to;
      break;
    case StepKind::kRelease:
    case StepKind::kForget:
      out["ids"] = step.ids;
      break;
    case StepKind::kDeletePool:
      if (!step.ids.empty()) out["ids"] = step.ids;  // nodes a Batch deletion terminates
      break;
    case StepKind::kRecordSpec:
      out["spec"] = SpecToJson(step.spec);
      break;
    case StepKind::kSetInstanceTypes:
      out["instance_types"] = TypeNames(step.spec);
      break;
  }
  out["reason"] = step.reason;
  return out;
}

Json ChangeJson(const Change& change) {
  Json steps = Json::array();
  for (const Step& step : change.steps) steps.push_back(StepJson(step));
  return Json{{"address", change.address},
              {"action", ChangeActionName(change.action)},
              {"before", OptionalSpecJson(change.before)},
              {"after", OptionalSpecJson(change.after)},
              {"reasons", change.reasons},
              {"steps", std::move(steps)}};
}

Json SummaryJson(const PlanSummary& summary) {
  Json out{{"add", summary.add},
           {"change", summary.change},
           {"destroy", summary.destroy},
           {"launch", summary.launch},
           {"release", summary.release},
           {"hourly_cost_at_bid", std::round(summary.hourly_cost_at_bid * 10000) / 10000}};
  if (summary.destroy_plan) {
    out["hourly_cost_removed_at_bid"] =
        std::round(summary.hourly_cost_removed_at_bid * 10000) / 10000;
  }
  return out;
}

// The summary, with the launches' costs when the plan priced them.
Json SummaryWithCosts(const PlanSummary& summary) {
  Json out = SummaryJson(summary);
  if (summary.launch_cost_at_market) {
    out["launch_hourly_cost_at_market"] =
        std::round(*summary.launch_cost_at_market * 10000) / 10000;
    out["launch_hourly_cost_at_bids"] =
        std::round(summary.launch_cost_at_bids.value_or(0) * 10000) / 10000;
  }
  return out;
}

}  // namespace

nlohmann::ordered_json PlanToJson(const Plan& plan) {
  Json changes = Json::array();
  for (const Change& change : plan.changes) changes.push_back(ChangeJson(change));
  Json market = Json::object();
  for (const MarketReport& report : plan.market) {
    market[report.address] = MarketReportToJson(report);
  }
  Json out{{"format_version", kPlanJsonFormatVersion},
           {"lineage", plan.lineage},
           {"serial", plan.serial},
           {"config_digest", plan.config_digest}};
  if (plan.basis) out["basis"] = EncodePlanBasis(*plan.basis);
  out["destroy"] = plan.destroy;
  out["targets"] = plan.targets;
  out["changes"] = std::move(changes);
  out["market"] = std::move(market);
  out["warnings"] = plan.warnings;
  out["summary"] = SummaryWithCosts(plan.Summary());
  return out;
}

std::string RenderPlanJson(const Plan& plan) {
  // `replace` keeps a stray invalid UTF-8 byte from throwing; nothing else in dump() can.
  return PlanToJson(plan).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace spotform
