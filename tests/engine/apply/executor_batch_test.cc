// Executor, batch mode: Batch keeps the count. Create with a ClientToken, wait with
// progress, lower and confirm DesiredComputeNodeCount before releasing surplus nodes, end at
// exactly the desired count whatever Batch does on scale-in and node termination.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/engine/apply/executor_test_support.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

class ExecutorBatchTest : public ExecutorTest {
 protected:
  int LiveNodes(const std::string& env_id) {
    std::optional<ComputeEnv> env = cloud_.compute_env(env_id);
    if (!env.has_value()) return -1;
    return static_cast<int>(std::count_if(
        env->nodes.begin(), env->nodes.end(),
        [](const ComputeNode& node) { return node.state != ComputeNodeState::kDeleting; }));
  }
};

size_t IndexOf(const std::vector<std::string>& calls, const std::string& call, size_t from = 0) {
  auto it = std::find(calls.begin() + static_cast<std::ptrdiff_t>(from), calls.end(), call);
  return static_cast<size_t>(it - calls.begin());
}

TEST_F(ExecutorBatchTest, CreateRecordsTheEnvironmentAndWaitsUntilTheNodesRun) {
  cloud_.SetBatchBehaviour({.fill = true});

  ApplyReport report = ApplySpecs({Bake(3)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(report.changes[0].launched, 3);
  const Pool pool = PoolOfEnv("bake");
  EXPECT_EQ(pool.batch_env_id, "env-fake1");
  EXPECT_EQ(pool.expected_count, 3);
  EXPECT_EQ(CountInState(pool, "RUNNING"), 3);
  for (const RecordedInstance& node : pool.instances) {
    EXPECT_TRUE(node.node_id.starts_with("node-fake")) << node.node_id;
    EXPECT_TRUE(node.id.starts_with("ins-node")) << node.id;
  }
  std::optional<ComputeEnv> env = cloud_.compute_env("env-fake1");
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->info.name, "spotform-bake-" + pool.id);
  EXPECT_EQ(env->info.desired_count, 3);
  EXPECT_EQ(env->info.tags.at(kOwnerEnvironmentTag), "bake");
  EXPECT_EQ(env->info.tags.at(kOwnerPoolTag), pool.id);
  EXPECT_EQ(progress_.Lines("waiting"),
            (std::vector<std::string>{"waiting env.bake target 3 running 3 pending 0 at 0s"}));
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorBatchTest, NoWaitReturnsOnceBatchHasTheRequest) {
  options_.wait = false;

  ApplyReport report = ApplySpecs({Bake(3)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(CallsSince(0),
            (std::vector<std::string>{"CreateComputeEnv spotform-bake-" + PoolOfEnv("bake").id}));
  EXPECT_EQ(progress_.Lines("note"),
            (std::vector<std::string>{"note env.bake not waiting for 3 nodes to run "
                                      "(--no-wait); Batch is requesting them"}));
}

TEST_F(ExecutorBatchTest, ARefusalAfterAnUnansweredCreateKeepsTheEnvironmentItMade) {
  // The first CreateComputeEnv created the environment but its answer was lost; the repeat
  // was refused. The environment carries the pool's owner tags: it is recorded, not orphaned.
  options_.wait = false;
  cloud_.SetAfterHook([](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("CreateComputeEnv")) return std::nullopt;
    return Error(ErrorKind::kTerminal, "quota", "LimitExceeded.ComputeEnvQuota");
  });

  ApplyReport report = ApplySpecs({Bake(2)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(PoolOfEnv("bake").batch_env_id, "env-fake1");
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorBatchTest, WaitingForCapacityIsBoundedByTheTimeout) {
  ApplyReport report = ApplySpecs({Bake(3)});

  ASSERT_EQ(report.changes[0].result, Failed());
  EXPECT_EQ(report.changes[0].error,
            "env.bake: timed out after 1m waiting for 3 nodes to run: 0 running, 0 pending; "
            "Batch keeps requesting the rest");
  EXPECT_EQ(PoolOfEnv("bake").batch_env_id, "env-fake1");
}

// The refill trap under every combination of the emulator's --scale-in and --terminate-node
// switches, with a Batch that refills up to its desired count on every describe.
struct Switches {
  bool scale_in_picks;
  bool terminate_decrements;
};

class ExecutorBatchScaleDownTest : public ExecutorBatchTest,
                                   public ::testing::WithParamInterface<Switches> {};

TEST_P(ExecutorBatchScaleDownTest, LowersAndConfirmsBeforeReleasingAndEndsAtTheDesiredCount) {
  cloud_.SetBatchBehaviour({.fill = true,
                            .scale_in_picks = GetParam().scale_in_picks,
                            .terminate_decrements = GetParam().terminate_decrements});
  ASSERT_TRUE(ApplySpecs({Bake(5)}).ok());
  const std::string env_id = PoolOfEnv("bake").batch_env_id;
  const size_t mark = cloud_.calls().size();

  ApplyReport report = ApplySpecs({Bake(2)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  std::vector<std::string> calls = CallsSince(mark);
  const size_t lower = IndexOf(calls, "SetDesiredCount " + env_id + " 2");
  const size_t confirm = IndexOf(calls, "DescribeComputeEnv " + env_id, lower);
  const size_t release = IndexOf(calls, "TerminateComputeNodes " + env_id + " 3");
  ASSERT_LT(lower, calls.size());
  ASSERT_LT(confirm, calls.size());
  if (GetParam().scale_in_picks) {
    EXPECT_EQ(release, calls.size()) << "Batch already removed the surplus";
    EXPECT_EQ(report.changes[0].released, 3) << "the nodes Batch removed count as released";
  } else {
    ASSERT_LT(release, calls.size());
    EXPECT_LT(confirm, release);
    EXPECT_EQ(report.changes[0].released, 3);
  }
  std::optional<ComputeEnv> env = cloud_.compute_env(env_id);
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->info.desired_count, 2);
  EXPECT_EQ(LiveNodes(env_id), 2);
  const Pool pool = PoolOfEnv("bake");
  EXPECT_EQ(pool.expected_count, 2);
  EXPECT_EQ(pool.instances.size(), 2u);
  EXPECT_TRUE(State().open_intents.empty());

  // Nothing refills later: a fresh plan is empty and Batch keeps 2.
  EXPECT_FALSE(PlanFor({Bake(2)}).HasChanges());
  EXPECT_EQ(LiveNodes(env_id), 2);
}

INSTANTIATE_TEST_SUITE_P(AllSwitches, ExecutorBatchScaleDownTest,
                         ::testing::Values(Switches{false, false}, Switches{false, true},
                                           Switches{true, false}, Switches{true, true}),
                         [](const ::testing::TestParamInfo<Switches>& info) {
                           return std::string(info.param.scale_in_picks ? "BatchPicks" : "Manual") +
                                  (info.param.terminate_decrements ? "Decrements" : "Refills");
                         });

TEST_F(ExecutorBatchTest, NodesAreReleasedOnlyOnceBatchReportsTheLoweredCount) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({Bake(3)}).ok());
  cloud_.SetBatchBehaviour({.fill = true, .desired_lag = 2});
  Plan plan = PlanFor({Bake(1)});
  const size_t mark = cloud_.calls().size();

  ApplyReport report = Execute(plan);

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(CallsSince(mark),
            (std::vector<std::string>{"SetDesiredCount env-fake1 1",        // lower
                                      "DescribeComputeEnv env-fake1",       // still 3
                                      "DescribeComputeEnv env-fake1",       // still 3
                                      "DescribeComputeEnv env-fake1",       // 1: confirmed
                                      "DescribeComputeEnv env-fake1",       // surplus check
                                      "TerminateComputeNodes env-fake1 2",  // release
                                      "DescribeComputeEnv env-fake1"}));    // count still 1
  EXPECT_EQ(LiveNodes("env-fake1"), 1);
}

TEST_F(ExecutorBatchTest, ABusyEnvironmentIsWaitedOut) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({Bake(3)}).ok());
  int busy = 2;
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("SetDesiredCount") && busy-- > 0) {
      return Error(ErrorKind::kRetryable, "ModifyComputeEnv: env-fake1 is busy",
                   "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
    }
    return std::nullopt;
  });
  const size_t sleeps_before = clock_.sleeps().size();

  ApplyReport report = ApplySpecs({Bake(1)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(clock_.sleeps().size() - sleeps_before, 2u);
  EXPECT_EQ(cloud_.compute_env("env-fake1")->info.desired_count, 1);
  EXPECT_EQ(LiveNodes("env-fake1"), 1);
}

TEST_F(ExecutorBatchTest, RaisingTheCountWaitsForTheNewNodes) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({Bake(2)}).ok());

  ApplyReport report = ApplySpecs({Bake(4)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(PoolOfEnv("bake").expected_count, 4);
  EXPECT_EQ(CountInState(PoolOfEnv("bake"), "RUNNING"), 4);
  EXPECT_EQ(report.changes[0].launched, 2) << "the results table counts the nodes Batch adds";
}

TEST_F(ExecutorBatchTest, DestroyDeletesTheEnvironmentWithItsNodesAndConfirmsItIsGone) {
  // Deleting the environment ends Batch's refilling and takes its nodes: no lowering first,
  // which Batch would refuse while nodes wait for stock.
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({Bake(2)}).ok());
  Plan plan = PlanFor({}, /*destroy=*/true);
  const size_t mark = cloud_.calls().size();

  ApplyReport report = Execute(plan);

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(CallsSince(mark), (std::vector<std::string>{"DeleteComputeEnv env-fake1",       //
                                                        "DescribeComputeEnv env-fake1"}));  // gone
  EXPECT_EQ(report.changes[0].released, 2);
  EXPECT_FALSE(cloud_.compute_env("env-fake1").has_value());
  EXPECT_TRUE(State().environments.empty());
  EXPECT_TRUE(State().open_intents.empty());
}

}  // namespace
}  // namespace spotform
