#pragma once

#include <string>
#include <vector>

#include "engine/plan/plan.h"

// Literal plans shaped like the planner's (engine/plan/planner.cc) for the renderer and plan file
// tests: one per kind of change a user meets.
namespace spotform::plan_examples {

inline EnvironmentSpec Render(int desired = 4) {
  EnvironmentSpec spec;
  spec.name = "render";
  spec.mode = Mode::kCvm;
  spec.zone = "ap-guangzhou-3";
  spec.instance_type = "S5.MEDIUM4";
  spec.image_id = "img-pmqg1cw7";
  spec.max_price = "0.60";
  spec.desired_count = desired;
  spec.tags = {{"team", "vfx"}};
  return spec;
}

inline EnvironmentSpec Train(int desired = 3) {
  EnvironmentSpec spec;
  spec.name = "train";
  spec.mode = Mode::kBatch;
  spec.zone = "ap-guangzhou-4";
  spec.instance_type = "GN7.2XLARGE32";
  spec.image_id = "img-eb30mz89";
  spec.max_price = "1.25";
  spec.desired_count = desired;
  return spec;
}

inline Step MakeStep(StepKind kind, const std::string& pool_id, const EnvironmentSpec& spec,
                     const std::string& reason) {
  Step step;
  step.kind = kind;
  step.pool_id = pool_id;
  step.spec = spec;
  step.reason = reason;
  return step;
}

inline Step Counted(StepKind kind, const std::string& pool_id, const EnvironmentSpec& spec,
                    int count, const std::string& reason) {
  Step step = MakeStep(kind, pool_id, spec, reason);
  step.count = count;
  return step;
}

inline Step SetCount(const std::string& pool_id, const EnvironmentSpec& spec, int from, int to,
                     const std::string& reason) {
  Step step = MakeStep(StepKind::kSetExpectedCount, pool_id, spec, reason);
  step.from = from;
  step.to = to;
  return step;
}

inline Step WithIds(StepKind kind, const std::string& pool_id, const EnvironmentSpec& spec,
                    std::vector<std::string> ids, const std::string& reason) {
  Step step = MakeStep(kind, pool_id, spec, reason);
  step.ids = std::move(ids);
  return step;
}

inline Step RecordSpec(const EnvironmentSpec& spec) {
  return MakeStep(StepKind::kRecordSpec, "", spec, "record the applied configuration");
}

inline Plan EmptyPlan() {
  Plan plan;
  plan.lineage = "6f1c2d3e-0000-4000-8000-00000000abcd";
  plan.serial = 7;
  plan.config_digest = "9b1d5e";
  return plan;
}

inline Change CreateRender() {
  Change change;
  change.address = "env.render";
  change.action = ChangeAction::kCreate;
  change.after = Render(4);
  change.reasons = {"new environment: 4 instances"};
  change.steps = {
      Counted(StepKind::kCreatePool, "p-1a2b3c4d", Render(4), 4,
              "record the new capacity with expected count 4"),
      Counted(StepKind::kLaunch, "p-1a2b3c4d", Render(4), 4, "desired 4"),
      RecordSpec(Render(4)),
  };
  return change;
}

inline Change ScaleUpRender() {
  Change change;
  change.address = "env.render";
  change.action = ChangeAction::kUpdate;
  change.before = Render(4);
  change.after = Render(6);
  change.reasons = {"desired 4 -> 6"};
  change.steps = {
      SetCount("p-1a2b3c4d", Render(4), 4, 6, "desired 4 -> 6"),
      Counted(StepKind::kLaunch, "p-1a2b3c4d", Render(4), 2, "desired 4 -> 6"),
      RecordSpec(Render(6)),
  };
  return change;
}

inline Change ScaleDownRender() {
  Change change;
  change.address = "env.render";
  change.action = ChangeAction::kUpdate;
  change.before = Render(6);
  change.after = Render(4);
  change.reasons = {"desired 6 -> 4", "release 2 instances"};
  change.steps = {
      SetCount("p-1a2b3c4d", Render(6), 6, 4, "desired 6 -> 4"),
      WithIds(StepKind::kRelease, "p-1a2b3c4d", Render(6), {"ins-fff00006", "ins-eee00005"},
              "release the 2 surplus instances: not yet running or failed first, then newest"),
      RecordSpec(Render(4)),
  };
  return change;
}

inline Change ReclaimedRender() {
  Change change;
  change.address = "env.render";
  change.action = ChangeAction::kUpdate;
  change.before = Render(4);
  change.after = Render(4);
  change.reasons = {"1 instance reclaimed by the spot market or released outside spotform"};
  change.steps = {
      WithIds(StepKind::kForget, "p-1a2b3c4d", Render(4), {"ins-ccc00003"},
              "1 instance gone: reclaimed by the spot market or released outside spotform"),
      Counted(StepKind::kLaunch, "p-1a2b3c4d", Render(4), 1, "replace 1 reclaimed"),
  };
  return change;
}

inline Change RetagRender() {
  Change change;
  change.address = "env.render";
  change.action = ChangeAction::kUpdate;
  change.before = Render(4);
  change.before->tags = {{"team", "vfx"}, {"cost", "old"}};
  change.after = Render(4);
  change.after->tags = {{"team", "render"}, {"owner", "ops"}};
  change.reasons = {"tags changed (applied to capacity launched from now on)"};
  change.steps = {RecordSpec(*change.after)};
  return change;
}

inline Change MoveRenderZone() {
  EnvironmentSpec moved = Render(4);
  moved.zone = "ap-guangzhou-4";
  Change change;
  change.address = "env.render";
  change.action = ChangeAction::kReplace;
  change.before = Render(4);
  change.after = moved;
  change.reasons = {"zone changed: ap-guangzhou-3 -> ap-guangzhou-4: replace",
                    "new capacity first, old released after"};
  change.steps = {
      Counted(StepKind::kCreatePool, "p-9e8d7c6b", moved, 4,
              "record the new capacity with expected count 4"),
      Counted(StepKind::kLaunch, "p-9e8d7c6b", moved, 4, "desired 4"),
      RecordSpec(moved),
      SetCount("p-1a2b3c4d", Render(4), 4, 0, "retire the replaced capacity: expected 4 -> 0"),
      WithIds(StepKind::kRelease, "p-1a2b3c4d", Render(4),
              {"ins-aaa00001", "ins-bbb00002", "ins-ccc00003", "ins-ddd00004"},
              "release every instance"),
      MakeStep(StepKind::kDeletePool, "p-1a2b3c4d", Render(4),
               "drop the retired capacity from state"),
  };
  return change;
}

inline Change DeleteTrain(const std::string& why) {
  Change change;
  change.address = "env.train";
  change.action = ChangeAction::kDelete;
  change.before = Train(3);
  change.reasons = {why};
  change.steps = {
      SetCount("p-5f5f5f5f", Train(3), 3, 0, why + ": expected 3 -> 0"),
      WithIds(StepKind::kRelease, "p-5f5f5f5f", Train(3), {"node-a1", "node-b2", "node-c3"},
              "release every node"),
      MakeStep(StepKind::kDeletePool, "p-5f5f5f5f", Train(3),
               "delete Batch compute environment env-9x8y7z6w"),
  };
  return change;
}

inline Change NoOp(const EnvironmentSpec& spec) {
  Change change;
  change.address = spec.Address();
  change.action = ChangeAction::kNoOp;
  change.before = spec;
  change.after = spec;
  return change;
}

inline Plan PlanOf(std::vector<Change> changes) {
  Plan plan = EmptyPlan();
  plan.changes = std::move(changes);
  return plan;
}

}  // namespace spotform::plan_examples
