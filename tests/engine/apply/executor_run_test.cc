// Executor: environments in parallel (bounded), steps of one environment in order, the stop
// signal, and the report.
#include <gtest/gtest.h>

#include <condition_variable>

#include "tests/engine/apply/executor_test_support.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

class ExecutorRunTest : public ExecutorTest {
 protected:
  // Makes each launch wait (in real time, at most `patience`) until `expected` launches have
  // arrived, and records the most in flight at once. Real threads need a real wait here.
  void MeetInLaunches(int expected, std::chrono::milliseconds patience) {
    cloud_.SetBeforeHook([=, this](const std::string& call) -> std::optional<Error> {
      if (!call.starts_with("LaunchSpotInstances")) return std::nullopt;
      std::unique_lock<std::mutex> lock(mutex_);
      ++in_flight_;
      ++arrived_;
      most_ = std::max(most_, in_flight_);
      met_.notify_all();
      met_.wait_for(lock, patience, [&] { return arrived_ >= expected; });
      --in_flight_;
      return std::nullopt;
    });
  }

  std::mutex mutex_;
  std::condition_variable met_;
  int in_flight_ = 0;
  int arrived_ = 0;
  int most_ = 0;
};

TEST_F(ExecutorRunTest, EnvironmentsRunInParallel) {
  options_.parallelism = 3;
  MeetInLaunches(3, std::chrono::seconds(10));

  ApplyReport report = ApplySpecs({Spec("a", 1), Spec("b", 1), Spec("c", 1)});

  ASSERT_TRUE(report.ok());
  EXPECT_EQ(most_, 3);
}

TEST_F(ExecutorRunTest, ParallelismBoundsTheEnvironmentsAtOnce) {
  options_.parallelism = 1;
  MeetInLaunches(2, std::chrono::milliseconds(200));

  ApplyReport report = ApplySpecs({Spec("a", 1), Spec("b", 1)});

  ASSERT_TRUE(report.ok());
  EXPECT_EQ(most_, 1);
}

TEST_F(ExecutorRunTest, StepsOfAnEnvironmentRunInPlanOrderAndAreReported) {
  ApplyReport report = ApplySpecs({Spec("render", 1)});

  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.changes[0].steps_done, 3);
  EXPECT_EQ(
      progress_.lines(),
      (std::vector<std::string>{"started env.render create_pool",
                                "finished env.render create_pool ok", "started env.render launch",
                                "waiting env.render target 1 running 1 pending 0 at 0s",
                                "finished env.render launch ok", "started env.render record_spec",
                                "finished env.render record_spec ok"}));
}

// Fenced writes (issue 16): once a write is refused because the lock was force-unlocked,
// the run stops as a whole: no other environment starts, and the report says why.
TEST_F(ExecutorRunTest, ALostLockStopsEveryEnvironment) {
  options_.parallelism = 1;
  LockRequest request;
  request.operation = "apply";
  request.user = "alice";
  Result<LockInfo> lock = store_->Lock(request);
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();
  const Plan plan = PlanFor({Spec("a", 1), Spec("b", 1)});
  int launches = 0;
  int64_t serial = -1;  // when the lock was removed
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("LaunchSpotInstances")) return std::nullopt;
    if (++launches == 1) {  // someone force-unlocks while the first launch is in flight
      std::unique_ptr<SqliteStateStore> other = OpenTestState(dir_.path(), clock_);
      EXPECT_TRUE(other->ForceUnlock(lock->id).ok());
      serial = LoadState(*other).serial;
    }
    return std::nullopt;
  });

  ApplyReport report = Execute(plan);

  EXPECT_FALSE(report.ok());
  EXPECT_EQ(launches, 1) << "the second environment launched nothing";
  EXPECT_NE(report.lock_lost.find("the lock " + lock->id +
                                  " on the whole state held by this run was removed "
                                  "(force-unlock)"),
            std::string::npos)
      << report.lock_lost;
  ASSERT_EQ(report.changes.size(), 2u);
  EXPECT_EQ(report.changes[0].result, ChangeOutcome::Result::kFailed);
  EXPECT_EQ(report.changes[1].result, ChangeOutcome::Result::kNotStarted);
  const StateSnapshot state = State();
  EXPECT_EQ(state.serial, serial) << "nothing written after the unlock";
  EXPECT_EQ(state.open_intents.size(), 1u) << "left open for the next run to settle";
}

TEST_F(ExecutorRunTest, AStopBeforeApplyStartsNothing) {
  Plan plan = PlanFor({Spec("render", 2)});
  stop_.Set();

  ApplyReport report = Execute(plan);

  EXPECT_TRUE(report.interrupted);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.changes[0].result, ChangeOutcome::Result::kNotStarted);
  EXPECT_TRUE(cloud_.calls().empty());
  EXPECT_TRUE(State().environments.empty());
}

TEST_F(ExecutorRunTest, AStopFinishesAndRecordsTheCallInFlightThenStartsNothingNew) {
  cloud_.SetBeforeHook([this](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("LaunchSpotInstances")) stop_.Set();
    return std::nullopt;
  });

  ApplyReport report = ApplySpecs({Spec("render", 250)});

  EXPECT_TRUE(report.interrupted);
  EXPECT_EQ(report.changes[0].result, ChangeOutcome::Result::kInterrupted);
  EXPECT_EQ(report.changes[0].launched, 100);
  EXPECT_EQ(report.changes[0].error, "env.render: interrupted: 150 instances not launched");
  EXPECT_EQ(cloud_.launches().size(), 1u);
  EXPECT_EQ(PoolOfEnv("render").instances.size(), 100u);
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorRunTest, NoOpChangesAreDone) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 1)}).ok());
  Plan plan = PlanFor({Spec("render", 1)});
  const size_t mark = cloud_.calls().size();

  ApplyReport report = Execute(plan);

  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.changes[0].result, Done());
  EXPECT_TRUE(CallsSince(mark).empty());
}

}  // namespace
}  // namespace spotform
