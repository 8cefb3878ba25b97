// Executor, cvm mode: spotform keeps the count; launches in chunks with owner tags and a
// ClientToken each, waits for RUNNING, replaces failed launches, lowers before releasing.
#include <gtest/gtest.h>

#include <set>

#include "tests/engine/apply/executor_test_support.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

class ExecutorCvmTest : public ExecutorTest {};

TEST_F(ExecutorCvmTest, CreateLaunchesInChunksOfAtMost100WithOwnerTagsAndAFreshTokenEach) {
  EnvironmentSpec render = Spec("render", 250);
  render.tags = {{"team", "vfx"}};

  ApplyReport report = ApplySpecs({render});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(report.changes[0].launched, 250);
  std::vector<LaunchSpec> launches = cloud_.launches();
  ASSERT_EQ(launches.size(), 3u);
  EXPECT_EQ(launches[0].count, 100);
  EXPECT_EQ(launches[1].count, 100);
  EXPECT_EQ(launches[2].count, 50);
  std::set<std::string> tokens;
  const Pool pool = PoolOfEnv("render");
  for (const LaunchSpec& launch : launches) {
    EXPECT_LE(launch.client_token.size(), kMaxClientTokenLength);
    tokens.insert(launch.client_token);
    EXPECT_EQ(launch.tags, (Tags{{"team", "vfx"},
                                 {kOwnerLineageTag, State().lineage},
                                 {kOwnerEnvironmentTag, "render"},
                                 {kOwnerPoolTag, pool.id}}));
    EXPECT_EQ(launch.max_price, "0.60");
  }
  EXPECT_EQ(tokens.size(), 3u);
  EXPECT_EQ(pool.expected_count, 250);
  EXPECT_EQ(CountInState(pool, "RUNNING"), 250);
  for (const RecordedInstance& instance : pool.instances) {
    EXPECT_EQ(tokens.count(instance.client_token), 1u) << instance.id;
    EXPECT_EQ(instance.origin, InstanceOrigin::kCreated);
  }
  EXPECT_EQ(State().environments.at("render").applied.desired_count, 250);
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorCvmTest, WaitsForPendingInstancesOnTheClockAndReportsProgress) {
  cloud_.SetLaunchState(InstanceState::kPending, "PENDING");
  int describes = 0;
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("DescribeInstances") && ++describes == 3) {
      for (const ObservedInstance& instance : cloud_.instances()) {
        cloud_.SetInstanceState(instance.id, InstanceState::kRunning, "RUNNING");
      }
    }
    return std::nullopt;
  });

  ApplyReport report = ApplySpecs({Spec("render", 2)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(progress_.Lines("waiting"),
            (std::vector<std::string>{"waiting env.render target 2 running 0 pending 2 at 0s",
                                      "waiting env.render target 2 running 0 pending 2 at 2s",
                                      "waiting env.render target 2 running 2 pending 0 at 4s"}));
  EXPECT_EQ(clock_.sleeps(), (std::vector<std::chrono::nanoseconds>{std::chrono::seconds(2),
                                                                    std::chrono::seconds(2)}));
  EXPECT_EQ(CountInState(PoolOfEnv("render"), "RUNNING"), 2);
}

TEST_F(ExecutorCvmTest, LaunchFailedInstancesAreRecordedReportedAndReplaced) {
  cloud_.SetLaunchState(InstanceState::kPending, "PENDING");
  bool failed_one = false;
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("DescribeInstances")) return std::nullopt;
    for (const ObservedInstance& instance : cloud_.instances()) {
      if (instance.state != InstanceState::kPending) continue;
      if (!failed_one) {
        failed_one = true;
        cloud_.SetInstanceState(instance.id, InstanceState::kLaunchFailed, "LAUNCH_FAILED",
                                "spot stock ran out");
      } else {
        cloud_.SetInstanceState(instance.id, InstanceState::kRunning, "RUNNING");
      }
    }
    return std::nullopt;
  });

  ApplyReport report = ApplySpecs({Spec("render", 3)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(report.changes[0].launched, 4);
  ASSERT_EQ(cloud_.launches().size(), 2u);
  EXPECT_EQ(cloud_.launches()[1].count, 1);
  const Pool pool = PoolOfEnv("render");
  EXPECT_EQ(CountInState(pool, "RUNNING"), 3);
  EXPECT_EQ(CountInState(pool, "LAUNCH_FAILED"), 1);
  EXPECT_EQ(progress_.Lines("note"),
            (std::vector<std::string>{
                "note env.render instance ins-fake1 LAUNCH_FAILED: spot stock ran out",
                "note env.render launching 1 instance to replace failed launches"}));
}

TEST_F(ExecutorCvmTest, ReplacementOfFailedLaunchesIsBounded) {
  options_.launch_failure_replacements = 2;
  cloud_.SetLaunchState(InstanceState::kPending, "PENDING");
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("DescribeInstances")) return std::nullopt;
    for (const ObservedInstance& instance : cloud_.instances()) {
      cloud_.SetInstanceState(instance.id, InstanceState::kLaunchFailed, "LAUNCH_FAILED",
                              "spot stock ran out");
    }
    return std::nullopt;
  });

  ApplyReport report = ApplySpecs({Spec("render", 1)});

  ASSERT_EQ(report.changes[0].result, Failed());
  EXPECT_EQ(report.changes[0].error,
            "env.render: 1 instance failed to launch after 2 replacements (last reason: "
            "ins-fake3 LAUNCH_FAILED: spot stock ran out); 0 of 1 running");
  EXPECT_EQ(cloud_.launches().size(), 3u);
  EXPECT_EQ(CountInState(PoolOfEnv("render"), "LAUNCH_FAILED"), 3);
}

TEST_F(ExecutorCvmTest, WaitingIsBoundedByTheTimeoutOnTheFakeClock) {
  cloud_.SetLaunchState(InstanceState::kPending, "PENDING");

  ApplyReport report = ApplySpecs({Spec("render", 2)});

  ASSERT_EQ(report.changes[0].result, Failed());
  EXPECT_EQ(report.changes[0].error,
            "env.render: timed out after 1m waiting for 2 instances to run: 0 running, 2 "
            "pending; they stay recorded and the next apply continues");
  EXPECT_EQ(CountInState(PoolOfEnv("render"), "PENDING"), 2);
  EXPECT_EQ(clock_.sleeps().size(), 30u);
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorCvmTest, ScaleDownLowersTheRecordedCountBeforeTerminating) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 4)}).ok());
  int expected_during_terminate = -1;
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("TerminateInstances")) {
      expected_during_terminate = PoolOfEnv("render").expected_count;
    }
    return std::nullopt;
  });
  Plan plan = PlanFor({Spec("render", 2)});
  const size_t mark = cloud_.calls().size();

  ApplyReport report = Execute(plan);

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(expected_during_terminate, 2);
  EXPECT_EQ(report.changes[0].released, 2);
  EXPECT_EQ(CallsSince(mark),
            (std::vector<std::string>{"DescribeInstances 2 ids", "TerminateInstances 2"}));
  const Pool pool = PoolOfEnv("render");
  EXPECT_EQ(pool.expected_count, 2);
  EXPECT_EQ(pool.instances.size(), 2u);
  EXPECT_EQ(cloud_.instances().size(), 2u);
}

TEST_F(ExecutorCvmTest, ReleaseWaitsForAPendingInstanceInsteadOfSendingAFailingTerminate) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 2)}).ok());
  const std::string pending = PoolOfEnv("render").instances[1].id;
  cloud_.SetInstanceState(pending, InstanceState::kPending, "PENDING");
  Plan plan = PlanFor({Spec("render", 1)});
  int describes = 0;
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("DescribeInstances") && ++describes == 2) {
      cloud_.SetInstanceState(pending, InstanceState::kRunning, "RUNNING");
    }
    return std::nullopt;
  });

  ApplyReport report = Execute(plan);

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(report.changes[0].released, 1);
  EXPECT_EQ(PoolOfEnv("render").instances.size(), 1u);
  for (const ObservedInstance& instance : cloud_.instances()) EXPECT_NE(instance.id, pending);
}

TEST_F(ExecutorCvmTest, ReleaseOfInstancesAlreadyGoneOnlyForgetsThem) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 2)}).ok());
  Plan plan = PlanFor({Spec("render", 0)});
  for (const ObservedInstance& instance : cloud_.instances()) cloud_.RemoveInstance(instance.id);
  const size_t mark = cloud_.calls().size();

  ApplyReport report = Execute(plan);

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(CallsSince(mark), (std::vector<std::string>{"DescribeInstances 2 ids"}));
  EXPECT_TRUE(PoolOfEnv("render").instances.empty());
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorCvmTest, DestroyReleasesEverythingAndDropsTheEnvironment) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 3)}).ok());

  ApplyReport report = ApplySpecs({}, /*destroy=*/true);

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(report.changes[0].released, 3);
  EXPECT_TRUE(cloud_.instances().empty());
  EXPECT_TRUE(State().environments.empty());
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorCvmTest, ReclaimedInstancesAreForgottenAndReplaced) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 3)}).ok());
  const std::string reclaimed = PoolOfEnv("render").instances[0].id;
  cloud_.RemoveInstance(reclaimed);

  ApplyReport report = ApplySpecs({Spec("render", 3)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(report.changes[0].launched, 1);
  const Pool pool = PoolOfEnv("render");
  EXPECT_EQ(CountInState(pool, "RUNNING"), 3);
  EXPECT_EQ(pool.instances.size(), 3u);
}

TEST_F(ExecutorCvmTest, ReplacementBringsNewCapacityFirstAndRetiresTheOldPool) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 2)}).ok());
  const std::string old_pool = PoolOfEnv("render").id;
  const size_t mark = cloud_.calls().size();

  ApplyReport report = ApplySpecs({Spec("render", 2, Mode::kCvm, "ap-guangzhou-4")});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  std::vector<std::string> calls = CallsSince(mark);
  auto launch = std::find(calls.begin(), calls.end(), "LaunchSpotInstances 2");
  auto terminate = std::find(calls.begin(), calls.end(), "TerminateInstances 2");
  ASSERT_NE(launch, calls.end());
  ASSERT_NE(terminate, calls.end());
  EXPECT_LT(launch, terminate);
  const Pool pool = PoolOfEnv("render");
  EXPECT_NE(pool.id, old_pool);
  EXPECT_EQ(pool.spec.zone(), "ap-guangzhou-4");
  EXPECT_EQ(cloud_.instances().size(), 2u);
}

}  // namespace
}  // namespace spotform
