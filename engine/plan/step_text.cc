#include "engine/plan/step_text.h"

#include <vector>

#include "engine/model/words.h"

namespace spotform {
namespace {

std::string Units(const EnvironmentSpec& spec, int n) {
  return spec.mode == Mode::kBatch ? Plural(n, "node", "nodes")
                                   : Plural(n, "instance", "instances");
}

std::string WithReason(std::string line, const std::string& reason) {
  if (!reason.empty()) line += " (" + reason + ")";
  return line;
}

std::string DescribeCount(const Step& step) {
  const std::string noun =
      step.spec.mode == Mode::kBatch ? "Batch desired count" : "expected count";
  if (step.from == step.to) return "confirm " + noun + " is " + std::to_string(step.to);
  const std::string verb = step.to < step.from ? "lower " : "raise ";
  return verb + noun + " " + std::to_string(step.from) + " -> " + std::to_string(step.to);
}

}  // namespace

std::string DescribeShape(const EnvironmentSpec& spec) {
  if (!spec.HasFallbacks()) {
    return TypesText(spec) + " in " + ZonesText(spec) + " at max " + spec.max_price + "/h";
  }
  // "over 6 candidates (S5.MEDIUM4, SA2.MEDIUM4 x ap-guangzhou-3, ap-guangzhou-4)"
  std::string types, zones;
  for (const InstanceTypeChoice& choice : spec.instance_types) {
    types += (types.empty() ? "" : ", ") + choice.type;
  }
  for (const std::string& zone : spec.zones) zones += (zones.empty() ? "" : ", ") + zone;
  return "over " + std::to_string(spec.zones.size() * spec.instance_types.size()) +
         " candidates (" + types + " x " + zones + ")";
}

std::string DescribeStep(const Step& step) {
  const bool batch = step.spec.mode == Mode::kBatch;
  switch (step.kind) {
    case StepKind::kCreatePool:
      if (batch) {
        return "create Batch compute environment for " +
               Plural(step.count, "spot node", "spot nodes") + " " + DescribeShape(step.spec);
      }
      return "add capacity " + DescribeShape(step.spec) + ", expected count " +
             std::to_string(step.count);
    case StepKind::kLaunch:
      return WithReason("launch " + Plural(step.count, "spot instance", "spot instances") + " " +
                            DescribeShape(step.spec),
                        step.reason);
    case StepKind::kWaitForCapacity:
      return "wait for " + Units(step.spec, step.count) + " running";
    case StepKind::kSetExpectedCount:
      return WithReason(DescribeCount(step), step.reason);
    case StepKind::kRelease:
      return WithReason((batch ? "release nodes " : "release ") + ShortList(step.ids), step.reason);
    case StepKind::kForget:
      return WithReason("forget " + ShortList(step.ids), step.reason);
    case StepKind::kDeletePool:
      if (!step.reason.empty()) return step.reason;
      return batch ? "delete the Batch compute environment"
                   : "drop the retired capacity from state";
    case StepKind::kRecordSpec:
      return step.reason.empty() ? "record the applied configuration" : step.reason;
    case StepKind::kSetInstanceTypes:  // the reason names both lists
      if (!step.reason.empty()) {
        return "set the Batch compute environment's instance types in place (" + step.reason + ")";
      }
      return "set the Batch compute environment's instance types to " + TypesText(step.spec) +
             " in place";
  }
  return step.reason;
}

std::string DescribeStepAction(const Step& step) {
  const bool batch = step.spec.mode == Mode::kBatch;
  switch (step.kind) {
    case StepKind::kCreatePool:
      return batch ? "create the Batch compute environment" : "add capacity";
    case StepKind::kLaunch:
      return "launch";
    case StepKind::kWaitForCapacity:
      return "wait for capacity";
    case StepKind::kSetExpectedCount:
      return batch ? "set the Batch desired count" : "set the expected count";
    case StepKind::kRelease:
      return "release";
    case StepKind::kForget:
      return "forget";
    case StepKind::kDeletePool:
      return batch ? "delete the Batch compute environment" : "drop the retired capacity";
    case StepKind::kSetInstanceTypes:
      return "set the instance types";
    case StepKind::kRecordSpec:
      return "record the configuration";
  }
  return "step";
}

std::string DescribeStepDone(const Step& step) {
  const bool batch = step.spec.mode == Mode::kBatch;
  switch (step.kind) {
    case StepKind::kCreatePool:
      if (batch) {
        return "Batch compute environment created; Batch requests " + Units(step.spec, step.count);
      }
      return "capacity recorded (expected count " + std::to_string(step.count) + ")";
    case StepKind::kLaunch:
      return Plural(step.count, "instance", "instances") + " running";
    case StepKind::kWaitForCapacity:
      return Units(step.spec, step.count) + " running";
    case StepKind::kSetExpectedCount: {
      const std::string noun = batch ? "Batch desired count" : "expected count";
      const std::string to = std::to_string(step.to);
      if (step.to < step.from) return noun + " lowered to " + to;
      if (step.to > step.from) return noun + " raised to " + to;
      return noun + " confirmed at " + to;
    }
    case StepKind::kRelease:
      return Units(step.spec, static_cast<int>(step.ids.size())) + " released";
    case StepKind::kForget:
      return Units(step.spec, static_cast<int>(step.ids.size())) + " already gone, forgotten";
    case StepKind::kDeletePool:
      return batch ? "Batch compute environment deleted" : "retired capacity dropped from state";
    case StepKind::kSetInstanceTypes:
      return "instance types set to " + TypesText(step.spec);
    case StepKind::kRecordSpec:
      return "configuration recorded";
  }
  return "done";
}

}  // namespace spotform
