#include "engine/plan/plan.h"

#include <cstdlib>
#include <utility>

namespace spotform {

std::string_view ChangeActionName(ChangeAction action) {
  switch (action) {
    case ChangeAction::kNoOp:
      return "no-op";
    case ChangeAction::kCreate:
      return "create";
    case ChangeAction::kUpdate:
      return "update";
    case ChangeAction::kReplace:
      return "replace";
    case ChangeAction::kDelete:
      return "delete";
  }
  return "no-op";
}

std::string_view StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kCreatePool:
      return "create_pool";
    case StepKind::kLaunch:
      return "launch";
    case StepKind::kWaitForCapacity:
      return "wait_for_capacity";
    case StepKind::kSetExpectedCount:
      return "set_expected_count";
    case StepKind::kRelease:
      return "release";
    case StepKind::kForget:
      return "forget";
    case StepKind::kDeletePool:
      return "delete_pool";
    case StepKind::kSetInstanceTypes:
      return "set_instance_types";
    case StepKind::kRecordSpec:
      return "record_spec";
  }
  return "record_spec";
}

PlanSummary Plan::Summary() const {
  PlanSummary summary;
  summary.destroy_plan = destroy;
  for (const Change& change : changes) {
    switch (change.action) {
      case ChangeAction::kCreate:
        ++summary.add;
        break;
      case ChangeAction::kUpdate:
      case ChangeAction::kReplace:
        ++summary.change;
        break;
      case ChangeAction::kDelete:
        ++summary.destroy;
        break;
      case ChangeAction::kNoOp:
        break;
    }
    for (const Step& step : change.steps) {
      const bool batch = step.spec.mode == Mode::kBatch;
      if (step.kind == StepKind::kLaunch) summary.launch += step.count;
      if (step.kind == StepKind::kCreatePool && batch) summary.launch += step.count;
      if (step.kind == StepKind::kSetExpectedCount && batch && step.to > step.from) {
        summary.launch += step.to - step.from;
      }
      // A Batch environment's deletion terminates the nodes it lists.
      if (step.kind == StepKind::kRelease || step.kind == StepKind::kDeletePool) {
        summary.release += static_cast<int>(step.ids.size());
      }
    }
    if (change.after && !destroy) {
      summary.hourly_cost_at_bid +=
          change.after->desired_count * std::strtod(change.after->max_price.c_str(), nullptr);
    }
    if (change.action == ChangeAction::kDelete && change.before) {
      summary.hourly_cost_removed_at_bid +=
          change.before->desired_count * std::strtod(change.before->max_price.c_str(), nullptr);
    }
  }
  for (const MarketReport& report : market) {
    if (!report.cost_at_market || report.placement.placed <= 0) continue;
    summary.launch_cost_at_market =
        summary.launch_cost_at_market.value_or(0) + *report.cost_at_market;
    summary.launch_cost_at_bids = summary.launch_cost_at_bids.value_or(0) + report.cost_at_bids;
  }
  return summary;
}

bool Plan::HasChanges() const {
  for (const Change& change : changes) {
    if (change.action != ChangeAction::kNoOp) return true;
  }
  return false;
}

Step PoolStep(StepKind kind, std::string pool_id, const EnvironmentSpec& spec, std::string reason) {
  Step step;
  step.kind = kind;
  step.pool_id = std::move(pool_id);
  step.spec = spec;
  step.reason = std::move(reason);
  return step;
}

}  // namespace spotform
