// Executor journal: every changing call runs under an intent committed before it and closed
// after its result is recorded; Settle finishes what a run killed in between left open.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/apply/journal.h"
#include "tests/engine/apply/executor_test_support.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

class ExecutorJournalTest : public ExecutorTest {
 protected:
  // Records, for each changing call, the intents open in the state while it runs.
  void WatchIntents() {
    cloud_.SetBeforeHook([this](const std::string& call) -> std::optional<Error> {
      for (const char* verb : {"LaunchSpotInstances", "TerminateInstances", "CreateComputeEnv",
                               "SetDesiredCount", "TerminateComputeNodes", "DeleteComputeEnv"}) {
        if (!call.starts_with(verb)) continue;
        std::string line = (call.starts_with("CreateComputeEnv") ? verb : call) + ":";
        for (const JournalEntry& entry : State().open_intents) line += " " + entry.kind;
        seen_.push_back(line);
      }
      return std::nullopt;
    });
  }

  std::vector<std::string> seen_;
};

TEST_F(ExecutorJournalTest, ALaunchIsJournaledWithItsTokenBeforeTheCallAndClosedAfter) {
  std::optional<JournalEntry> during;
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("LaunchSpotInstances")) {
      StateSnapshot state = State();
      EXPECT_EQ(state.open_intents.size(), 1u);
      if (!state.open_intents.empty()) during = state.open_intents[0];
      EXPECT_TRUE(state.environments.at("render").pools.at(0).instances.empty());
    }
    return std::nullopt;
  });

  ASSERT_TRUE(ApplySpecs({Spec("render", 3)}).ok());

  ASSERT_TRUE(during.has_value());
  EXPECT_EQ(during->kind, "launch");
  EXPECT_EQ(during->environment, "render");
  EXPECT_EQ(during->pool_id, PoolOfEnv("render").id);
  EXPECT_EQ(during->client_token, cloud_.launches().at(0).client_token);
  Result<LaunchSpec> payload = DecodeLaunchPayload(*during);
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  EXPECT_EQ(payload->count, 3);
  EXPECT_EQ(payload->instance_type, "S5.MEDIUM4");
  EXPECT_EQ(payload->max_price, "0.60");
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, EveryChangingCallRunsUnderItsIntent) {
  options_.parallelism = 1;  // deterministic ids: env.bake runs first
  cloud_.SetBatchBehaviour({.fill = true});
  WatchIntents();

  ASSERT_TRUE(ApplySpecs({Spec("render", 2), Bake(3)}).ok());
  ASSERT_TRUE(ApplySpecs({Spec("render", 1), Bake(1)}).ok());
  ASSERT_TRUE(ApplySpecs({}, /*destroy=*/true).ok());

  std::sort(seen_.begin(), seen_.end());
  EXPECT_EQ(seen_, (std::vector<std::string>{
                       "CreateComputeEnv: create_env", "DeleteComputeEnv env-fake1: delete_env",
                       "LaunchSpotInstances 2: launch", "SetDesiredCount env-fake1 1: set_count",
                       "TerminateComputeNodes env-fake1 2: release",
                       "TerminateInstances 1: release", "TerminateInstances 1: release"}));
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, SettleRecordsALaunchWhoseReplyWasLostWithoutLaunchingTwice) {
  cloud_.SetAfterHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("LaunchSpotInstances")) return TransportError("RunInstances");
    return std::nullopt;
  });
  ApplyReport crashed = ApplySpecs({Spec("render", 2)});
  ASSERT_EQ(crashed.changes[0].result, Failed());
  EXPECT_EQ(crashed.changes[0].error,
            "env.render: launch failed: ClientNetworkError: RunInstances: connection reset "
            "before the reply");
  ASSERT_EQ(State().open_intents.size(), 1u);
  EXPECT_TRUE(PoolOfEnv("render").instances.empty());
  cloud_.SetAfterHook(nullptr);

  ASSERT_TRUE(Settle().ok());

  ASSERT_EQ(cloud_.launches().size(), 2u);
  EXPECT_EQ(cloud_.launches()[1].client_token, cloud_.launches()[0].client_token);
  EXPECT_EQ(cloud_.instances().size(), 2u);
  const Pool pool = PoolOfEnv("render");
  ASSERT_EQ(pool.instances.size(), 2u);
  EXPECT_EQ(pool.instances[0].client_token, cloud_.launches()[0].client_token);
  EXPECT_TRUE(State().open_intents.empty());
  EXPECT_EQ(progress_.Lines("note"),
            (std::vector<std::string>{
                "note env.render settled an interrupted launch: ins-fake1, ins-fake2"}));
  // The next apply converges: it waits for the two and launches nothing more.
  ASSERT_TRUE(ApplySpecs({Spec("render", 2)}).ok());
  EXPECT_EQ(cloud_.instances().size(), 2u);
}

TEST_F(ExecutorJournalTest, SettleReleasesTheInstancesOfALaunchWhosePoolIsGone) {
  cloud_.SetAfterHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("LaunchSpotInstances")) return TransportError("RunInstances");
    return std::nullopt;
  });
  ASSERT_FALSE(ApplySpecs({Spec("render", 2)}).ok());
  cloud_.SetAfterHook(nullptr);
  ASSERT_TRUE(store_->Apply(StateEdit().Add(StateEdit::RemoveEnvironment{"render"})).ok());

  ASSERT_TRUE(Settle().ok());

  EXPECT_TRUE(cloud_.instances().empty());
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, SettleTerminatesWhatAnInterruptedReleaseLeftRunning) {
  ASSERT_TRUE(ApplySpecs({Spec("render", 3)}).ok());
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("TerminateInstances")) return TransportError("TerminateInstances");
    return std::nullopt;
  });
  ASSERT_FALSE(ApplySpecs({Spec("render", 1)}).ok());
  ASSERT_EQ(State().open_intents.size(), 1u);
  EXPECT_EQ(State().open_intents[0].kind, "release");
  EXPECT_EQ(PoolOfEnv("render").expected_count, 1);
  cloud_.SetBeforeHook(nullptr);

  ASSERT_TRUE(Settle().ok());

  EXPECT_EQ(cloud_.instances().size(), 1u);
  EXPECT_EQ(PoolOfEnv("render").instances.size(), 1u);
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, SettleReappliesAndConfirmsADesiredCount) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({Bake(4)}).ok());
  cloud_.SetAfterHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("SetDesiredCount")) return TransportError("ModifyComputeEnv");
    return std::nullopt;
  });
  ASSERT_FALSE(ApplySpecs({Bake(2)}).ok());
  EXPECT_EQ(PoolOfEnv("bake").expected_count, 4);
  cloud_.SetAfterHook(nullptr);

  ASSERT_TRUE(Settle().ok());

  EXPECT_EQ(PoolOfEnv("bake").expected_count, 2);
  EXPECT_EQ(cloud_.compute_env("env-fake1")->info.desired_count, 2);
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, SettleReleasesSurplusNodesOfAnInterruptedRelease) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({Bake(4)}).ok());
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("TerminateComputeNodes")) return TransportError("TerminateComputeNodes");
    return std::nullopt;
  });
  ASSERT_FALSE(ApplySpecs({Bake(1)}).ok());
  cloud_.SetBeforeHook(nullptr);

  ASSERT_TRUE(Settle().ok());

  std::optional<ComputeEnv> env = cloud_.compute_env("env-fake1");
  EXPECT_EQ(env->info.desired_count, 1);
  EXPECT_EQ(env->nodes.size(), 1u);
  EXPECT_EQ(PoolOfEnv("bake").instances.size(), 1u);
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, SettleRecordsAnEnvironmentWhoseCreationReplyWasLost) {
  cloud_.SetAfterHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("CreateComputeEnv")) return TransportError("CreateComputeEnv");
    return std::nullopt;
  });
  ASSERT_FALSE(ApplySpecs({Bake(2)}).ok());
  EXPECT_EQ(PoolOfEnv("bake").batch_env_id, "");
  cloud_.SetAfterHook(nullptr);

  ASSERT_TRUE(Settle().ok());

  EXPECT_EQ(PoolOfEnv("bake").batch_env_id, "env-fake1");
  EXPECT_FALSE(cloud_.compute_env("env-fake2").has_value()) << "created twice";
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, SettleFinishesAnInterruptedDeletion) {
  options_.wait = false;
  ASSERT_TRUE(ApplySpecs({Bake(0)}).ok());
  cloud_.SetAfterHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("DeleteComputeEnv")) return TransportError("DeleteComputeEnv");
    return std::nullopt;
  });
  ASSERT_FALSE(ApplySpecs({}, /*destroy=*/true).ok());
  ASSERT_EQ(State().open_intents.size(), 1u);
  cloud_.SetAfterHook(nullptr);

  ASSERT_TRUE(Settle().ok());

  EXPECT_TRUE(State().environments.at("bake").pools.empty());
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorJournalTest, SettleKeepsAnIntentWhoseOutcomeIsStillUnknown) {
  cloud_.SetAfterHook([](const std::string& call) -> std::optional<Error> {
    if (call.starts_with("LaunchSpotInstances")) return TransportError("RunInstances");
    return std::nullopt;
  });
  ASSERT_FALSE(ApplySpecs({Spec("render", 1)}).ok());

  Status settled = Settle();

  ASSERT_FALSE(settled.ok());
  EXPECT_EQ(settled.error().message(),
            "could not settle 1 interrupted operation: env.render: settle launch failed: "
            "ClientNetworkError: RunInstances: connection reset before the reply");
  EXPECT_EQ(State().open_intents.size(), 1u);
}

}  // namespace
}  // namespace spotform
