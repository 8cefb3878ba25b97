// The planner, case by case: each test is a (desired, state) literal and the exact steps.
#include "engine/plan/planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

// "kind(pool) detail" per step, so a whole plan compares in one EXPECT_EQ.
std::vector<std::string> Describe(const Change& change) {
  std::vector<std::string> out;
  for (const Step& step : change.steps) {
    std::string line = std::string(StepKindName(step.kind));
    if (!step.pool_id.empty()) {
      // Pools made by the planner have hashed ids; the literals name the recorded ones.
      const bool recorded = step.pool_id == "p-current" || step.pool_id == "p-retired";
      line += "(" + (recorded ? step.pool_id : std::string("new")) + ")";
    }
    switch (step.kind) {
      case StepKind::kCreatePool:
      case StepKind::kLaunch:
      case StepKind::kWaitForCapacity:
        line += " " + std::to_string(step.count);
        break;
      case StepKind::kSetExpectedCount:
        line += " " + std::to_string(step.from) + "->" + std::to_string(step.to);
        break;
      case StepKind::kRelease:
      case StepKind::kForget:
        for (const std::string& id : step.ids) line += " " + id;
        break;
      case StepKind::kDeletePool:
      case StepKind::kRecordSpec:
      case StepKind::kSetInstanceTypes:
        break;
    }
    out.push_back(line);
  }
  return out;
}

Change Only(const Plan& plan) {
  EXPECT_EQ(plan.changes.size(), 1u);
  return plan.changes.front();
}

// The one change of planning `declared` against a state that records `pool` alone (its spec
// the applied one).
Change PlanOne(const std::vector<EnvironmentSpec>& declared, const Pool& pool) {
  return Only(MakePlan(ConfigOf(declared), StateOf({{pool.spec, {pool}}}), {}));
}

TEST(Planner, NothingDeclaredNothingRecordedIsAnEmptyPlan) {
  Plan plan = MakePlan(ConfigOf({}), StateOf({}), {});
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_FALSE(plan.HasChanges());
  EXPECT_EQ(plan.lineage, "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(plan.serial, 7);
  EXPECT_EQ(plan.config_digest, "digest-1");
}

TEST(Planner, CreatesACvmEnvironmentByRecordingThenLaunching) {
  const Change change = Only(MakePlan(ConfigOf({Spec("render", 4)}), StateOf({}), {}));
  EXPECT_EQ(change.address, "env.render");
  EXPECT_EQ(change.action, ChangeAction::kCreate);
  EXPECT_EQ(change.reasons, std::vector<std::string>{"new environment: 4 instances"});
  EXPECT_EQ(Describe(change),
            (std::vector<std::string>{"create_pool(new) 4", "launch(new) 4", "record_spec"}));
  EXPECT_EQ(change.steps[0].pool_id, change.steps[1].pool_id);
}

TEST(Planner, CreatesABatchEnvironmentAndWaitsForItsNodes) {
  const Change& change = Only(MakePlan(ConfigOf({Spec("farm", 3, Mode::kBatch)}), StateOf({}), {}));
  EXPECT_EQ(
      Describe(change),
      (std::vector<std::string>{"create_pool(new) 3", "wait_for_capacity(new) 3", "record_spec"}));
}

TEST(Planner, MatchingStateIsANoOp) {
  const EnvironmentSpec spec = Spec("render", 2);
  const Plan plan = MakePlan(
      ConfigOf({spec}),
      StateOf(
          {{spec,
            {PoolOf("p-current", spec, 2, {Ins("ins-a", "RUNNING"), Ins("ins-b", "PENDING")})}}}),
      {});
  EXPECT_EQ(Only(plan).action, ChangeAction::kNoOp);
  EXPECT_TRUE(Only(plan).steps.empty());
  EXPECT_FALSE(plan.HasChanges());
}

TEST(Planner, ScaleUpRaisesTheCountThenLaunchesTheDifference) {
  const EnvironmentSpec old_spec = Spec("render", 2);
  const Change change =
      PlanOne({Spec("render", 5)},
              PoolOf("p-current", old_spec, 2, {Ins("ins-a", "RUNNING"), Ins("ins-b", "RUNNING")}));
  EXPECT_EQ(change.action, ChangeAction::kUpdate);
  EXPECT_EQ(change.reasons, std::vector<std::string>{"desired 2 -> 5"});
  EXPECT_EQ(Describe(change), (std::vector<std::string>{"set_expected_count(p-current) 2->5",
                                                        "launch(p-current) 3", "record_spec"}));
  EXPECT_EQ(change.steps[1].reason, "desired 2 -> 5");
}

TEST(Planner, ScaleDownLowersFirstThenReleasesPendingThenNewest) {
  const EnvironmentSpec old_spec = Spec("render", 5);
  const Change change = PlanOne({Spec("render", 2)},
                                PoolOf("p-current", old_spec, 5,
                                       {Ins("ins-old", "RUNNING", 1), Ins("ins-mid", "RUNNING", 5),
                                        Ins("ins-new", "RUNNING", 9), Ins("ins-pend", "PENDING", 2),
                                        Ins("ins-mid2", "RUNNING", 6)}));
  EXPECT_EQ(change.action, ChangeAction::kUpdate);
  EXPECT_EQ(Describe(change), (std::vector<std::string>{
                                  "set_expected_count(p-current) 5->2",
                                  "release(p-current) ins-pend ins-new ins-mid2", "record_spec"}));
  EXPECT_EQ(change.steps[0].reason, "desired 5 -> 2");
}

TEST(Planner, ReclaimedInstancesAreForgottenAndReplaced) {
  const EnvironmentSpec spec = Spec("render", 3);
  const Change change = PlanOne({spec}, PoolOf("p-current", spec, 3,
                                               {Ins("ins-a", "RUNNING"), Ins("ins-b", "GONE"),
                                                Ins("ins-c", "LAUNCH_FAILED")}));
  EXPECT_EQ(change.action, ChangeAction::kUpdate);
  EXPECT_EQ(change.reasons,
            (std::vector<std::string>{
                "1 instance reclaimed by the spot market or released outside spotform",
                "1 launch failed"}));
  EXPECT_EQ(Describe(change),
            (std::vector<std::string>{"forget(p-current) ins-b", "forget(p-current) ins-c",
                                      "launch(p-current) 2"}));
  EXPECT_EQ(change.steps[2].reason, "replace 1 reclaimed; replace 1 failed launch");
}

TEST(Planner, TerminatingInstancesAreNeitherCountedNorReleasedAgain) {
  const EnvironmentSpec spec = Spec("render", 2);
  const Change change = PlanOne(
      {spec}, PoolOf("p-current", spec, 2, {Ins("ins-a", "RUNNING"), Ins("ins-b", "TERMINATING")}));
  EXPECT_EQ(Describe(change), (std::vector<std::string>{"launch(p-current) 1"}));
}

TEST(Planner, SurplusOverAnUnchangedCountIsReleasedAfterConfirmingTheCount) {
  const EnvironmentSpec spec = Spec("render", 1);
  const Change change = PlanOne(
      {spec},
      PoolOf("p-current", spec, 1, {Ins("ins-a", "RUNNING", 1), Ins("ins-b", "RUNNING", 2)}));
  EXPECT_EQ(Describe(change), (std::vector<std::string>{"set_expected_count(p-current) 1->1",
                                                        "release(p-current) ins-b"}));
  EXPECT_EQ(change.steps[0].reason, "confirm the expected count is 1 before releasing");
}

TEST(Planner, BatchScaleDownLowersDesiredThenReleasesNodes) {
  const EnvironmentSpec old_spec = Spec("farm", 4, Mode::kBatch);
  const Change change = PlanOne(
      {Spec("farm", 2, Mode::kBatch)},
      PoolOf("p-current", old_spec, 4,
             {Node("node-aaaaaaaa", "RUNNING", 1), Node("node-bbbbbbbb", "RUNNING", 2),
              Node("node-cccccccc", "CREATION_FAILED", 3), Node("node-dddddddd", "RUNNING", 4)}));
  EXPECT_EQ(
      Describe(change),
      (std::vector<std::string>{"set_expected_count(p-current) 4->2",
                                "release(p-current) node-cccccccc node-dddddddd", "record_spec"}));
}

TEST(Planner, BatchScaleUpRaisesDesiredAndWaits) {
  const EnvironmentSpec old_spec = Spec("farm", 1, Mode::kBatch);
  const Change change =
      PlanOne({Spec("farm", 3, Mode::kBatch)},
              PoolOf("p-current", old_spec, 1, {Node("node-aaaaaaaa", "RUNNING")}));
  EXPECT_EQ(Describe(change),
            (std::vector<std::string>{"set_expected_count(p-current) 1->3",
                                      "wait_for_capacity(p-current) 3", "record_spec"}));
}

TEST(Planner, BatchRefillingByItselfIsNotAChange) {
  const EnvironmentSpec spec = Spec("farm", 3, Mode::kBatch);
  const Plan plan = MakePlan(
      ConfigOf({spec}),
      StateOf({{spec, {PoolOf("p-current", spec, 3, {Node("node-aaaaaaaa", "RUNNING")})}}}), {});
  EXPECT_EQ(Only(plan).action, ChangeAction::kNoOp);
}

TEST(Planner, ZoneChangeReplacesNewCapacityFirst) {
  const EnvironmentSpec old_spec = Spec("render", 2);
  const Change change = PlanOne(
      {Spec("render", 2, Mode::kCvm, "ap-guangzhou-4")},
      PoolOf("p-retired", old_spec, 2, {Ins("ins-a", "RUNNING", 1), Ins("ins-b", "RUNNING", 2)}));
  EXPECT_EQ(change.action, ChangeAction::kReplace);
  EXPECT_EQ(change.reasons,
            (std::vector<std::string>{"zone changed: ap-guangzhou-3 -> ap-guangzhou-4: replace",
                                      "new capacity first, old released after"}));
  EXPECT_EQ(Describe(change),
            (std::vector<std::string>{"record_spec", "create_pool(new) 2", "launch(new) 2",
                                      "set_expected_count(p-retired) 2->0",
                                      "release(p-retired) ins-b ins-a", "delete_pool(p-retired)"}));
}

TEST(Planner, ModeChangeFromCvmToBatchReplaces) {
  const EnvironmentSpec old_spec = Spec("render", 1);
  const Change change = PlanOne({Spec("render", 1, Mode::kBatch)},
                                PoolOf("p-retired", old_spec, 1, {Ins("ins-a", "RUNNING")}));
  EXPECT_EQ(change.reasons.front(), "mode changed: cvm -> batch: replace");
  EXPECT_EQ(Describe(change), (std::vector<std::string>{
                                  "record_spec", "create_pool(new) 1", "wait_for_capacity(new) 1",
                                  "set_expected_count(p-retired) 1->0", "release(p-retired) ins-a",
                                  "delete_pool(p-retired)"}));
}

TEST(Planner, SamePriceWrittenDifferentlyIsNotAReplacement) {
  const EnvironmentSpec old_spec =
      Spec("render", 1, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.6");
  const Change change = PlanOne({Spec("render", 1)},  // "0.60"
                                PoolOf("p-current", old_spec, 1, {Ins("ins-a", "RUNNING")}));
  EXPECT_EQ(change.action, ChangeAction::kUpdate);
  EXPECT_EQ(Describe(change), std::vector<std::string>{"record_spec"});
}

TEST(Planner, AnInterruptedReplacementIsFinished) {
  const EnvironmentSpec old_spec = Spec("render", 1);
  const EnvironmentSpec new_spec = Spec("render", 1, Mode::kCvm, "ap-guangzhou-4");
  const Change change =
      Only(MakePlan(ConfigOf({new_spec}),
                    StateOf({{new_spec,
                              {PoolOf("p-retired", old_spec, 1, {Ins("ins-old", "RUNNING")}),
                               PoolOf("p-current", new_spec, 1, {Ins("ins-new", "RUNNING")})}}}),
                    {}));
  EXPECT_EQ(change.action, ChangeAction::kReplace);
  EXPECT_EQ(Describe(change),
            (std::vector<std::string>{"set_expected_count(p-retired) 1->0",
                                      "release(p-retired) ins-old", "delete_pool(p-retired)"}));
}

TEST(Planner, AnInterruptedReplacementWaitsForTheNewCapacityBeforeRetiringTheOld) {
  // The new pool's instances did not come up in the earlier apply (timeout, stock): the old
  // capacity goes only after a wait for the new, so a failed wait keeps it.
  const EnvironmentSpec old_spec = Spec("render", 2);
  const EnvironmentSpec new_spec = Spec("render", 2, Mode::kCvm, "ap-guangzhou-4");
  const Change change =
      Only(MakePlan(ConfigOf({new_spec}),
                    StateOf({{new_spec,
                              {PoolOf("p-retired", old_spec, 2,
                                      {Ins("ins-old1", "RUNNING"), Ins("ins-old2", "RUNNING")}),
                               PoolOf("p-current", new_spec, 2,
                                      {Ins("ins-new1", "RUNNING"), Ins("ins-new2", "PENDING")})}}}),
                    {}));
  EXPECT_EQ(Describe(change),
            (std::vector<std::string>{
                "wait_for_capacity(p-current) 2", "set_expected_count(p-retired) 2->0",
                "release(p-retired) ins-old2 ins-old1", "delete_pool(p-retired)"}));
  EXPECT_NE(std::find(change.reasons.begin(), change.reasons.end(),
                      "the new capacity is not running yet (1 of 2): the old is retired after "
                      "it runs"),
            change.reasons.end());
}

TEST(Planner, AnInterruptedBatchReplacementWaitsForTheNewNodesBeforeDeletingTheOld) {
  const EnvironmentSpec old_spec = Spec("farm", 1, Mode::kBatch);
  const EnvironmentSpec new_spec = Spec("farm", 1, Mode::kBatch, "ap-guangzhou-4");
  const Change change = Only(MakePlan(
      ConfigOf({new_spec}),
      StateOf({{new_spec,
                {PoolOf("p-retired", old_spec, 1, {Node("node-old", "RUNNING", 1)}),
                 PoolOf("p-current", new_spec, 1, {Node("node-new", "CREATION_FAILED", 2)})}}}),
      {}));
  EXPECT_EQ(Describe(change),
            (std::vector<std::string>{"wait_for_capacity(p-current) 1", "delete_pool(p-retired)"}));
}

TEST(Planner, RemovedBatchEnvironmentIsDeletedWholeWhateverItsNodesDo) {
  // Deleting the compute environment ends Batch's refilling and takes every node with it;
  // a lowering first would be refused while nodes wait for stock, and block the deletion.
  const EnvironmentSpec spec = Spec("farm", 3, Mode::kBatch);
  const Change change =
      PlanOne({}, PoolOf("p-current", spec, 3,
                         {Node("node-aaaaaaaa", "RUNNING", 1), Node("node-bbbbbbbb", "CREATING", 2),
                          Node("node-cccccccc", "CREATION_FAILED", 3)}));
  EXPECT_EQ(change.action, ChangeAction::kDelete);
  EXPECT_EQ(change.reasons, std::vector<std::string>{"removed from the configuration"});
  EXPECT_EQ(Describe(change), (std::vector<std::string>{"delete_pool(p-current)"}));
  EXPECT_EQ(change.steps[0].ids,
            (std::vector<std::string>{"node-aaaaaaaa", "node-bbbbbbbb", "node-cccccccc"}));
  EXPECT_EQ(change.steps[0].reason,
            "delete Batch compute environment env-current and its nodes node-aaaaaaaa, "
            "node-bbbbbbbb, node-cccccccc (removed from the configuration: expected 3 -> 0)");
}

TEST(Planner, BatchReleaseSaysBatchMayPickTheNodesItself) {
  const EnvironmentSpec old_spec = Spec("farm", 2, Mode::kBatch);
  const Change change =
      PlanOne({Spec("farm", 1, Mode::kBatch)},
              PoolOf("p-current", old_spec, 2,
                     {Node("node-aaaaaaaa", "RUNNING", 1), Node("node-bbbbbbbb", "RUNNING", 2)}));
  ASSERT_EQ(change.steps.size(), 3u);
  EXPECT_NE(change.steps[1].reason.find(
                "if Batch removes 1 node itself when the count drops, it picks among its created "
                "ones (node-aaaaaaaa, node-bbbbbbbb)"),
            std::string::npos)
      << change.steps[1].reason;
}

TEST(Planner, DestroyDeletesEverythingRecordedAndIgnoresTheConfig) {
  const EnvironmentSpec spec = Spec("render", 1);
  const Plan plan =
      MakePlan(ConfigOf({spec, Spec("never-applied", 3)}),
               StateOf({{spec, {PoolOf("p-current", spec, 1, {Ins("ins-a", "RUNNING")})}}}),
               PlanOptions{.destroy = true, .targets = {}, .spot_prices = {}});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].action, ChangeAction::kDelete);
  EXPECT_EQ(plan.changes[0].reasons, std::vector<std::string>{"destroy"});
  EXPECT_TRUE(plan.destroy);
  EXPECT_EQ(plan.Summary().destroy, 1);
  EXPECT_EQ(plan.Summary().release, 1);
  EXPECT_EQ(plan.Summary().hourly_cost_at_bid, 0);
}

TEST(Planner, TargetsLimitThePlan) {
  const Plan plan = MakePlan(ConfigOf({Spec("a", 1), Spec("b", 1), Spec("c", 1)}), StateOf({}),
                             PlanOptions{.targets = {"env.b"}, .spot_prices = {}});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].address, "env.b");
  EXPECT_EQ(plan.targets, std::vector<std::string>{"env.b"});
}

TEST(Planner, SummaryCountsEnvironmentsInstancesAndCost) {
  const EnvironmentSpec shrink = Spec("shrink", 3);
  const Plan plan = MakePlan(
      ConfigOf({Spec("new-cvm", 4), Spec("new-batch", 2, Mode::kBatch), Spec("shrink", 1)}),
      StateOf({{shrink,
                {PoolOf("p-current", shrink, 3,
                        {Ins("ins-a", "RUNNING", 1), Ins("ins-b", "RUNNING", 2),
                         Ins("ins-c", "RUNNING", 3)})}}}),
      {});
  const PlanSummary summary = plan.Summary();
  EXPECT_EQ(summary.add, 2);
  EXPECT_EQ(summary.change, 1);
  EXPECT_EQ(summary.destroy, 0);
  EXPECT_EQ(summary.launch, 6);
  EXPECT_EQ(summary.release, 2);
  EXPECT_DOUBLE_EQ(summary.hourly_cost_at_bid, 7 * 0.60);
}

TEST(Planner, NewPoolIdsAreStableForTheSameInputsAndDifferAcrossSerials) {
  const Config config = ConfigOf({Spec("render", 1)});
  const Plan a = MakePlan(config, StateOf({}, 3), {});
  const Plan b = MakePlan(config, StateOf({}, 3), {});
  const Plan c = MakePlan(config, StateOf({}, 4), {});
  EXPECT_EQ(a.changes[0].steps[0].pool_id, b.changes[0].steps[0].pool_id);
  EXPECT_NE(a.changes[0].steps[0].pool_id, c.changes[0].steps[0].pool_id);
  EXPECT_EQ(a.changes[0].steps[0].pool_id.rfind("p-", 0), 0u);
}

}  // namespace
}  // namespace spotform
