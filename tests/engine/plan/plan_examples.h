#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/plan/plan.h"
#include "tests/support/spec_builders.h"

// Literal plans shaped like the planner's (engine/plan/planner.cc) for the renderer and plan file
// tests: one per kind of change a user meets.
namespace spotform::plan_examples {

inline EnvironmentSpec Render(int desired = 4) {
  EnvironmentSpec spec = testing::Spec("render", desired);
  spec.tags = {{"team", "vfx"}};
  return spec;
}

inline EnvironmentSpec Train(int desired = 3) {
  EnvironmentSpec spec =
      testing::Spec("train", desired, Mode::kBatch, "ap-guangzhou-4", "GN7.2XLARGE32", "1.25");
  spec.image_id = "img-eb30mz89";
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

// The change `action` of the environment `before` was (nullopt: none yet) into what `after`
// declares (nullopt: deleted).
inline Change ChangeOf(ChangeAction action, std::optional<EnvironmentSpec> before,
                       std::optional<EnvironmentSpec> after, std::vector<std::string> reasons,
                       std::vector<Step> steps) {
  const std::string address = after ? after->Address() : before->Address();
  return Change{.address = address,
                .action = action,
                .before = std::move(before),
                .after = std::move(after),
                .reasons = std::move(reasons),
                .steps = std::move(steps)};
}

inline Change CreateRender() {
  return ChangeOf(ChangeAction::kCreate, std::nullopt, Render(4), {"new environment: 4 instances"},
                  {
                      Counted(StepKind::kCreatePool, "p-1a2b3c4d", Render(4), 4,
                              "record the new capacity with expected count 4"),
                      Counted(StepKind::kLaunch, "p-1a2b3c4d", Render(4), 4, "desired 4"),
                      RecordSpec(Render(4)),
                  });
}

inline Change ScaleUpRender() {
  return ChangeOf(ChangeAction::kUpdate, Render(4), Render(6), {"desired 4 -> 6"},
                  {
                      SetCount("p-1a2b3c4d", Render(4), 4, 6, "desired 4 -> 6"),
                      Counted(StepKind::kLaunch, "p-1a2b3c4d", Render(4), 2, "desired 4 -> 6"),
                      RecordSpec(Render(6)),
                  });
}

inline Change ScaleDownRender() {
  return ChangeOf(
      ChangeAction::kUpdate, Render(6), Render(4), {"desired 6 -> 4", "release 2 instances"},
      {
          SetCount("p-1a2b3c4d", Render(6), 6, 4, "desired 6 -> 4"),
          WithIds(StepKind::kRelease, "p-1a2b3c4d", Render(6), {"ins-fff00006", "ins-eee00005"},
                  "release the 2 surplus instances: not yet running or failed first, then newest"),
          RecordSpec(Render(4)),
      });
}

inline Change ReclaimedRender() {
  return ChangeOf(
      ChangeAction::kUpdate, Render(4), Render(4),
      {"1 instance reclaimed by the spot market or released outside spotform"},
      {
          WithIds(StepKind::kForget, "p-1a2b3c4d", Render(4), {"ins-ccc00003"},
                  "1 instance gone: reclaimed by the spot market or released outside spotform"),
          Counted(StepKind::kLaunch, "p-1a2b3c4d", Render(4), 1, "replace 1 reclaimed"),
      });
}

inline Change RetagRender() {
  EnvironmentSpec before = Render(4);
  before.tags = {{"team", "vfx"}, {"cost", "old"}};
  EnvironmentSpec after = Render(4);
  after.tags = {{"team", "render"}, {"owner", "ops"}};
  return ChangeOf(ChangeAction::kUpdate, before, after,
                  {"tags changed (applied to capacity launched from now on)"}, {RecordSpec(after)});
}

inline Change MoveRenderZone() {
  EnvironmentSpec moved = Render(4);
  moved.zones = {"ap-guangzhou-4"};
  return ChangeOf(
      ChangeAction::kReplace, Render(4), moved,
      {"zone changed: ap-guangzhou-3 -> ap-guangzhou-4: replace",
       "new capacity first, old released after"},
      {
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
      });
}

inline Change DeleteTrain(const std::string& why) {
  return ChangeOf(
      ChangeAction::kDelete, Train(3), std::nullopt, {why},
      {
          WithIds(StepKind::kDeletePool, "p-5f5f5f5f", Train(3), {"node-a1", "node-b2", "node-c3"},
                  "delete Batch compute environment env-9x8y7z6w and its nodes "
                  "node-a1, node-b2, node-c3 (" +
                      why + ": expected 3 -> 0)"),
      });
}

inline Change NoOp(const EnvironmentSpec& spec) {
  return ChangeOf(ChangeAction::kNoOp, spec, spec, {}, {});
}

inline Plan PlanOf(std::vector<Change> changes) {
  Plan plan = EmptyPlan();
  plan.changes = std::move(changes);
  return plan;
}

}  // namespace spotform::plan_examples
