// The keeper's decisions (`spotform watch`): replace what was lost up to the recorded expected
// count, never more, never release, leave Batch and unfinished replacements alone.

#include "engine/apply/keeper.h"

#include <gtest/gtest.h>

#include "engine/plan/refresh.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

std::vector<std::string> StepKinds(const Change& change) {
  std::vector<std::string> kinds;
  for (const Step& step : change.steps) kinds.emplace_back(StepKindName(step.kind));
  return kinds;
}

// The round skips `address` alone, saying `reason`.
void ExpectOnlySkipped(const KeeperPlan& keeper, const std::string& address,
                       const std::string& reason) {
  ASSERT_EQ(keeper.skipped.size(), 1u);
  EXPECT_EQ(keeper.skipped[0].address, address);
  EXPECT_EQ(keeper.skipped[0].reason, reason);
}

TEST(KeeperTest, ReplacesReclaimedInstancesUpToTheRecordedExpectedCount) {
  const EnvironmentSpec render = Spec("render", 4);
  const StateSnapshot state =
      StateOf({{render,
                {PoolOf("p-1", render, 4,
                        {Ins("ins-a", "RUNNING"), Ins("ins-b", "RUNNING"), Ins("ins-c", kGoneState),
                         Ins("ins-d", "TERMINATING")})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  ASSERT_EQ(keeper.pools.size(), 1u);
  const KeeperPoolRound& pool = keeper.pools[0];
  EXPECT_EQ(pool.Address(), "env.render");
  EXPECT_EQ(pool.pool_id, "p-1");
  EXPECT_EQ(pool.expected, 4);
  EXPECT_EQ(pool.live, 2);
  EXPECT_EQ(pool.leaving, 1);
  EXPECT_EQ(pool.gone, std::vector<std::string>{"ins-c"});
  EXPECT_EQ(pool.launch, 2);
  EXPECT_TRUE(keeper.skipped.empty());
  EXPECT_EQ(DescribeKeeperLaunch(pool), "2 instances reclaimed; launching 2 (expected 4, 2 live)");

  const Plan plan = KeeperRoundPlan(state, keeper, {});
  ASSERT_EQ(plan.changes.size(), 1u);
  const Change& change = plan.changes[0];
  EXPECT_EQ(change.address, "env.render");
  EXPECT_EQ(change.action, ChangeAction::kUpdate);
  ASSERT_TRUE(change.after.has_value());
  EXPECT_EQ(change.after->name, "render");
  EXPECT_EQ(StepKinds(change), (std::vector<std::string>{"forget", "launch"}));
  EXPECT_EQ(change.steps[0].ids, std::vector<std::string>{"ins-c"});
  EXPECT_EQ(change.steps[1].count, 2);
  EXPECT_EQ(change.steps[1].pool_id, "p-1");
  EXPECT_EQ(change.steps[1].spec.instance_type(), "S5.MEDIUM4");
  EXPECT_EQ(change.steps[1].reason, "2 instances reclaimed; launching 2 (expected 4, 2 live)");
}

TEST(KeeperTest, ReplacesFailedLaunchesAndForgetsThem) {
  const EnvironmentSpec render = Spec("render", 3);
  const StateSnapshot state = StateOf({{render,
                                        {PoolOf("p-1", render, 3,
                                                {Ins("ins-a", "RUNNING"), Ins("ins-b", "PENDING"),
                                                 Ins("ins-c", "LAUNCH_FAILED")})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  ASSERT_EQ(keeper.pools.size(), 1u);
  EXPECT_EQ(keeper.pools[0].live, 2);  // PENDING counts: it is on its way
  EXPECT_EQ(keeper.pools[0].failed, std::vector<std::string>{"ins-c"});
  EXPECT_EQ(keeper.pools[0].launch, 1);
  EXPECT_EQ(DescribeKeeperLaunch(keeper.pools[0]),
            "1 launch failed; launching 1 (expected 3, 2 live)");
  const Plan plan = KeeperRoundPlan(state, keeper, {});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(StepKinds(plan.changes[0]), (std::vector<std::string>{"forget", "launch"}));
  EXPECT_EQ(plan.changes[0].steps[0].ids, std::vector<std::string>{"ins-c"});
  EXPECT_EQ(plan.changes[0].steps[1].count, 1);
}

TEST(KeeperTest, FillsAPoolBelowItsCountWithNothingLost) {
  const EnvironmentSpec render = Spec("render", 3);
  const StateSnapshot state =
      StateOf({{render, {PoolOf("p-1", render, 3, {Ins("ins-a", "RUNNING")})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  ASSERT_EQ(keeper.pools.size(), 1u);
  EXPECT_EQ(keeper.pools[0].launch, 2);
  EXPECT_EQ(DescribeKeeperLaunch(keeper.pools[0]),
            "2 instances below the expected count; launching 2 (expected 3, 1 live)");
}

TEST(KeeperTest, WorksFromTheRecordedCountNotTheAppliedSpecsDesiredCount) {
  // The applied spec says 6, but an apply lowered the pool's expected count to 2 (or the
  // config was edited without an apply): the recorded expected count wins.
  const EnvironmentSpec render = Spec("render", 6);
  const StateSnapshot state = StateOf(
      {{render, {PoolOf("p-1", render, 2, {Ins("ins-a", "RUNNING"), Ins("ins-b", kGoneState)})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  ASSERT_EQ(keeper.pools.size(), 1u);
  EXPECT_EQ(keeper.pools[0].launch, 1);
  const Plan plan = KeeperRoundPlan(state, keeper, {});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].steps.back().count, 1);
}

TEST(KeeperTest, ALoweredCountLaunchesNothingAndReleasesNothingEvenWithMoreLive) {
  // An apply lowered the count to 1 and has not released the surplus yet (or crashed before):
  // the keeper neither launches nor releases; releasing is the apply's business.
  const EnvironmentSpec render = Spec("render", 1);
  const StateSnapshot state =
      StateOf({{render,
                {PoolOf("p-1", render, 1,
                        {Ins("ins-a", "RUNNING"), Ins("ins-b", "RUNNING"), Ins("ins-c", "RUNNING"),
                         Ins("ins-d", kGoneState)})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  ASSERT_EQ(keeper.pools.size(), 1u);
  EXPECT_EQ(keeper.pools[0].live, 3);
  EXPECT_EQ(keeper.pools[0].launch, 0);
  const Plan plan = KeeperRoundPlan(state, keeper, {});
  ASSERT_EQ(plan.changes.size(), 1u);  // only the bookkeeping of the gone instance
  EXPECT_EQ(StepKinds(plan.changes[0]), std::vector<std::string>{"forget"});
  for (const Change& change : plan.changes) {
    for (const Step& step : change.steps) {
      EXPECT_NE(step.kind, StepKind::kRelease);
      EXPECT_NE(step.kind, StepKind::kSetExpectedCount);
    }
  }
}

TEST(KeeperTest, AFullPoolHasNoChange) {
  const EnvironmentSpec render = Spec("render", 2);
  const StateSnapshot state = StateOf(
      {{render, {PoolOf("p-1", render, 2, {Ins("ins-a", "RUNNING"), Ins("ins-b", "PENDING")})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  ASSERT_EQ(keeper.pools.size(), 1u);
  EXPECT_EQ(keeper.pools[0].launch, 0);
  EXPECT_TRUE(KeeperRoundPlan(state, keeper, {}).changes.empty());
}

TEST(KeeperTest, BatchEnvironmentsAreLeftToBatch) {
  const EnvironmentSpec farm = Spec("farm", 3, Mode::kBatch);
  const StateSnapshot state = StateOf(
      {{farm,
        {PoolOf("p-9", farm, 3, {Node("node-aaaa", "RUNNING"), Node("node-bbbb", kGoneState)})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  EXPECT_TRUE(keeper.pools.empty());
  ExpectOnlySkipped(keeper, "env.farm", "batch mode: Batch Compute keeps its own count");
  EXPECT_TRUE(KeeperRoundPlan(state, keeper, {}).changes.empty());
}

TEST(KeeperTest, AnUnfinishedReplacementIsNotRefilled) {
  // Two pools: an apply replaced the shape and did not finish retiring the old pool.
  const EnvironmentSpec old_spec = Spec("render", 2);
  const EnvironmentSpec new_spec = Spec("render", 2, Mode::kCvm, "ap-guangzhou-4");
  const StateSnapshot state =
      StateOf({{new_spec,
                {PoolOf("p-old", old_spec, 2, {Ins("ins-a", kGoneState)}),
                 PoolOf("p-new", new_spec, 2, {Ins("ins-b", "RUNNING")})}}});

  const KeeperPlan keeper = PlanKeeperRound(state);

  EXPECT_TRUE(keeper.pools.empty());
  ExpectOnlySkipped(
      keeper, "env.render",
      "a replacement is unfinished (2 pools): run `spotform apply` to finish it; until "
      "then nothing is launched here");
}

// env.render (pool p-1, expected 2, holding `render_instances`) and env.web (pool p-2,
// expected 1, empty).
StateSnapshot RenderAndWeb(std::vector<RecordedInstance> render_instances) {
  const EnvironmentSpec render = Spec("render", 2);
  const EnvironmentSpec web = Spec("web", 1);
  return StateOf({{render, {PoolOf("p-1", render, 2, std::move(render_instances))}},
                  {web, {PoolOf("p-2", web, 1, {})}}});
}

TEST(KeeperTest, AnEnvironmentWithAnOpenIntentIsSkipped) {
  StateSnapshot state = RenderAndWeb({});
  JournalEntry open;
  open.environment = "render";
  open.pool_id = "p-1";
  open.kind = "launch";
  state.open_intents.push_back(open);

  const KeeperPlan keeper = PlanKeeperRound(state);

  ASSERT_EQ(keeper.pools.size(), 1u);
  EXPECT_EQ(keeper.pools[0].Address(), "env.web");
  ExpectOnlySkipped(
      keeper, "env.render",
      "an interrupted operation is still open in the journal: run `spotform apply` to "
      "settle it");
}

TEST(KeeperTest, APoolOnHoldOnlyForgetsItsDead) {
  const StateSnapshot state = RenderAndWeb({Ins("ins-a", kGoneState)});
  const KeeperPlan keeper = PlanKeeperRound(state);

  const Plan plan = KeeperRoundPlan(state, keeper, {"p-1"});

  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].address, "env.render");
  EXPECT_EQ(StepKinds(plan.changes[0]), std::vector<std::string>{"forget"});
  EXPECT_EQ(plan.changes[1].address, "env.web");
  EXPECT_EQ(StepKinds(plan.changes[1]), std::vector<std::string>{"launch"});
  EXPECT_EQ(plan.changes[1].steps[0].count, 1);
}

TEST(KeeperTest, CapacityRefusalsReadAsOneLine) {
  KeeperPoolRound pool;
  pool.environment = "render";
  pool.spec = Spec("render", 2, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.05");
  EXPECT_EQ(
      DescribeCapacityRefusal(pool, Error(ErrorKind::kCapacity, "env.render: launch failed: ...",
                                          "InvalidParameterValue.InsufficientOffering")),
      "no spot stock of S5.MEDIUM4 in ap-guangzhou-3 "
      "(InvalidParameterValue.InsufficientOffering)");
  EXPECT_EQ(
      DescribeCapacityRefusal(pool, Error(ErrorKind::kCapacity, "env.render: launch failed: ...",
                                          "InvalidParameterValue.InsufficientPrice")),
      "bid 0.05 is below the spot price of S5.MEDIUM4 in ap-guangzhou-3 "
      "(InvalidParameterValue.InsufficientPrice)");
}

}  // namespace
}  // namespace spotform
