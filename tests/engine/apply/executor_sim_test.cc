// Executor against the real spotform-sim through the full Tencent Cloud client: launches
// start PENDING and run after ticks, Batch reconciles on ticks. Each sleep of the executor's
// clock advances the emulator a few ticks instead of waiting, so the test is fast and exact.
#include <gtest/gtest.h>

#include <mutex>

#include "providers/tencent/tencent_cloud.h"
#include "tests/engine/apply/executor_test_support.h"
#include "tests/support/sim_client.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

// Real wall time; sleeping advances the emulator's model and the steady time instead.
class TickingClock final : public Clock {
 public:
  void Attach(SimProcess* sim) { sim_ = sim; }
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  SteadyTime SteadyNow() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::chrono::steady_clock::now() + skipped_;
  }
  void SleepFor(std::chrono::nanoseconds duration) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      skipped_ += duration;
    }
    if (sim_ != nullptr) {
      EXPECT_TRUE(sim_->Tick(2).ok());
    }
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::nanoseconds skipped_{0};
  SimProcess* sim_ = nullptr;
};

class ExecutorSimTest : public ::testing::TestWithParam<std::vector<std::string>> {
 protected:
  void SetUp() override {
    std::vector<std::string> flags = {"--no-rate-limit"};
    for (const std::string& flag : GetParam()) flags.push_back(flag);
    Result<std::unique_ptr<SimProcess>> sim = SimProcess::Start(flags);
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    clock_.Attach(sim_.get());
    ClientOptions options;
    options.retry.base_delay = std::chrono::milliseconds(20);
    stack_ = SimClientStack(*sim_, clock_, options);
    ASSERT_NE(stack_, nullptr);
    cloud_ = std::make_unique<TencentCloud>(*stack_, TencentCloudOptions{"ap-guangzhou", 4});
    store_ = OpenTestState(dir_.path(), clock_);
    ASSERT_NE(store_, nullptr);
    options_.poll_interval = std::chrono::seconds(1);
    options_.timeout = std::chrono::seconds(120);
  }

  ApplyReport ApplySpecs(const std::vector<EnvironmentSpec>& specs, bool destroy = false) {
    const StateSnapshot state = LoadState(*store_);
    const Plan plan = RefreshAndPlan(*cloud_, *store_, state, specs, destroy);
    Executor executor(*cloud_, *store_, clock_, progress_, stop_, options_);
    return executor.Apply(plan, state.lineage);
  }

  Pool OnlyPool(const std::string& env) {
    const StateSnapshot state = LoadState(*store_);
    EXPECT_EQ(state.environments.at(env).pools.size(), 1u);
    return state.environments.at(env).pools.at(0);
  }

  TickingClock clock_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<ClientStack> stack_;
  std::unique_ptr<TencentCloud> cloud_;
  TempDir dir_;
  std::unique_ptr<SqliteStateStore> store_;
  RecordingProgress progress_;
  FlagStop stop_;
  ExecutorOptions options_;
};

using ExecutorSimCvmTest = ExecutorSimTest;

TEST_P(ExecutorSimCvmTest, ScalesUpWaitsForRunningScalesDownAndDestroys) {
  ApplyReport up = ApplySpecs({Spec("render", 5)});
  ASSERT_TRUE(up.ok()) << up.changes[0].error;
  EXPECT_EQ(CountInState(OnlyPool("render"), "RUNNING"), 5);
  EXPECT_FALSE(progress_.Lines("waiting env.render target 5 running 0").empty())
      << "the emulator's launches start pending";

  ApplyReport down = ApplySpecs({Spec("render", 2)});
  ASSERT_TRUE(down.ok()) << down.changes[0].error;
  EXPECT_EQ(down.changes[0].released, 3);
  EXPECT_EQ(OnlyPool("render").instances.size(), 2u);

  ApplyReport gone = ApplySpecs({}, /*destroy=*/true);
  ASSERT_TRUE(gone.ok()) << gone.changes[0].error;
  EXPECT_TRUE(store_->Load()->environments.empty());
}

INSTANTIATE_TEST_SUITE_P(Default, ExecutorSimCvmTest,
                         ::testing::Values(std::vector<std::string>{}));

using ExecutorSimBatchTest = ExecutorSimTest;

TEST_P(ExecutorSimBatchTest, ScaleDownEndsAtExactlyTheDesiredCount) {
  const EnvironmentSpec bake5 = Spec("bake", 5, Mode::kBatch);
  const EnvironmentSpec bake2 = Spec("bake", 2, Mode::kBatch);
  ApplyReport up = ApplySpecs({bake5});
  ASSERT_TRUE(up.ok()) << up.changes[0].error;
  const std::string env_id = OnlyPool("bake").batch_env_id;

  ApplyReport down = ApplySpecs({bake2});
  ASSERT_TRUE(down.ok()) << down.changes[0].error;
  ASSERT_TRUE(sim_->Tick(20).ok());  // give Batch every chance to refill

  Result<ComputeEnv> env = cloud_->DescribeComputeEnv(env_id);
  ASSERT_TRUE(env.ok()) << env.error().ToString();
  EXPECT_EQ(env->info.desired_count, 2);
  int live = 0;
  for (const ComputeNode& node : env->nodes) live += node.state != ComputeNodeState::kDeleting;
  EXPECT_EQ(live, 2);

  ApplyReport gone = ApplySpecs({}, /*destroy=*/true);
  ASSERT_TRUE(gone.ok()) << gone.changes[0].error;
  EXPECT_EQ(cloud_->DescribeComputeEnv(env_id).error().kind(), ErrorKind::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(
    Switches, ExecutorSimBatchTest,
    ::testing::Values(
        std::vector<std::string>{"--scale-in", "manual", "--terminate-node", "refills"},
        std::vector<std::string>{"--scale-in", "manual", "--terminate-node", "decrements"},
        std::vector<std::string>{"--scale-in", "batch-picks", "--terminate-node", "refills"},
        std::vector<std::string>{"--scale-in", "batch-picks", "--terminate-node", "decrements"}));

}  // namespace
}  // namespace spotform
