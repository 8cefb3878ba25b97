// Crash safety under fire (spec §4): `spotform apply` killed with SIGKILL at random moments
// while it scales, then applied again until done. Whatever moment the kill hit, the end is
// the same: exactly the desired instances, every one recorded, no duplicate, no instance
// with spotform's owner tags that the state does not know, and an intact SQLite file.
// Also: 20% of API calls failing with retryable codes does not stop apply converging.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <tuple>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

class ApplyChaosE2E : public ApplyFixture {
 protected:
  // Applies until an apply succeeds (at most `attempts` runs).
  CliResult ApplyUntilDone(int attempts) {
    CliResult last;
    for (int i = 0; i < attempts; ++i) {
      last = Apply();
      if (last.exit_code == 0) break;
    }
    return last;
  }

  // Every live instance tagged with this state's lineage is recorded, and the recorded,
  // live set of env.render has exactly `desired` members.
  void ExpectConverged(int desired, const std::string& trial) {
    const StateSnapshot state = LoadState();
    EXPECT_TRUE(state.open_intents.empty()) << trial;
    std::set<std::string> recorded;
    for (const auto& [name, environment] : state.environments) {
      for (const Pool& pool : environment.pools) {
        for (const RecordedInstance& instance : pool.instances) {
          if (instance.state != "GONE") {
            EXPECT_TRUE(recorded.insert(instance.id).second) << trial << " twice: " << instance.id;
          }
        }
      }
    }
    std::set<std::string> tagged;
    for (const json& instance : LiveInstances(*sim_)) {
      if (TagValue(instance, "spotform-lineage") == state.lineage) {
        tagged.insert(instance["InstanceId"].get<std::string>());
      }
    }
    EXPECT_EQ(tagged, recorded) << trial;
    EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), static_cast<size_t>(desired)) << trial;
    EXPECT_EQ(SqliteIntegrityCheck(dir_.path() + "/.spotform/state.db"), "ok") << trial;
  }
};

TEST_F(ApplyChaosE2E, ApplyKilledAtRandomMomentsConvergesOnTheNextApply) {
  constexpr int kTrials = 30;
  // Over 100 instances takes several RunInstances / TerminateInstances batches; 150 ms on
  // every call and a slow tick stretch a run over the 0-1.5 s kill window.
  const int counts[] = {150, 30, 220, 0, 80, 160, 10};
  ASSERT_TRUE(sim_->SetLatency(std::chrono::milliseconds(150)).ok());
  StartTicking(std::chrono::milliseconds(200));
  int killed_mid_run = 0;
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, 1500);
  int previous = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    const int desired = counts[trial % std::size(counts)];
    const std::string label = "seed " + std::to_string(seed) + ", trial " + std::to_string(trial) +
                              ": " + std::to_string(previous) + " -> " + std::to_string(desired);
    WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", desired));
    {
      SpawnedSpotform apply({"--no-color", "apply", "--auto-approve", "--poll-interval", "50ms"},
                            dir_.path(), SimCredentials());
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
      apply.Signal(SIGKILL);
      if (apply.Wait().exit_code == 128 + SIGKILL) ++killed_mid_run;
    }
    CliResult done = ApplyUntilDone(3);
    ASSERT_EQ(done.exit_code, 0) << label << "\n" << done.out << done.err;
    ExpectConverged(desired, label);
    if (HasFailure()) FAIL() << label;
    previous = desired;
  }
  EXPECT_GE(killed_mid_run, kTrials / 3) << "kills must land while apply still runs";
}

TEST_F(ApplyChaosE2E, DestroyAfterAnApplyKilledMidLaunchLeavesNothing) {
  // The launch's answer never reached the state (its intent is open) and its instances are
  // still PENDING: destroy settles the launch, waits for them and releases everything.
  ASSERT_TRUE(sim_->SetLatency(std::chrono::milliseconds(100)).ok());
  StartTicking(std::chrono::milliseconds(100));
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 12));
  {
    SpawnedSpotform apply({"--no-color", "apply", "--auto-approve", "--poll-interval", "50ms"},
                          dir_.path(), SimCredentials());
    for (int i = 0; i < 200 && CallsOf(*sim_, "RunInstances").empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    apply.Signal(SIGKILL);
    apply.Wait();
  }
  ASSERT_FALSE(CallsOf(*sim_, "RunInstances").empty());

  CliResult destroyed = Destroy();
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  const StateSnapshot state = LoadState();
  EXPECT_TRUE(state.environments.empty());
  EXPECT_TRUE(state.open_intents.empty());
  for (const json& instance : LiveInstances(*sim_)) {
    EXPECT_NE(TagValue(instance, "spotform-lineage"), state.lineage)
        << instance["InstanceId"] << " left behind";
  }
}

// The same trials for a Batch environment, under each --scale-in and --terminate-node
// variant: 8 kills each (32 in all) while apply creates, raises, lowers and waits.
class BatchChaosE2E : public ApplyChaosE2E,
                      public ::testing::WithParamInterface<std::tuple<std::string, std::string>> {
 protected:
  void SetUp() override {
    StartSim({"--no-rate-limit", "--scale-in", std::get<0>(GetParam()), "--terminate-node",
              std::get<1>(GetParam()), "--create-ticks", "3"});
  }

  // One environment for the whole run (every count change reuses it), every node recorded,
  // exactly `desired` live nodes, nothing open, an intact state file.
  void ExpectBatchConverged(int desired, const std::string& trial) {
    const StateSnapshot state = LoadState();
    EXPECT_TRUE(state.open_intents.empty()) << trial;
    const std::string env_id = BatchEnvId("farm");
    ASSERT_FALSE(env_id.empty()) << trial;
    std::set<std::string> created_tokens;
    for (const json& call : CallsOf(*sim_, "CreateComputeEnv")) {
      if (call["error"].is_null()) created_tokens.insert(call["params"].value("ClientToken", ""));
    }
    EXPECT_EQ(created_tokens.size(), 1u) << trial << ": a duplicate compute environment";
    std::set<std::string> owned_envs;
    for (const json& instance : LiveInstances(*sim_)) {
      if (TagValue(instance, "spotform-lineage") == state.lineage) {
        owned_envs.insert(instance.value("SimComputeEnvId", ""));
      }
    }
    if (desired > 0) {
      EXPECT_EQ(owned_envs, std::set<std::string>{env_id}) << trial << ": an orphan";
    }
    ASSERT_TRUE(sim_->Tick(10).ok());  // time for a refill, which must not come
    EXPECT_EQ(LiveCountOfBatchEnv(*sim_, env_id), desired) << trial;
    EXPECT_EQ(SqliteIntegrityCheck(dir_.path() + "/.spotform/state.db"), "ok") << trial;
  }
};

TEST_P(BatchChaosE2E, ApplyKilledAtRandomMomentsConvergesOnTheNextApply) {
  constexpr int kTrials = 8;
  const int counts[] = {4, 1, 6, 2, 0, 5, 3, 1};
  ASSERT_TRUE(sim_->SetLatency(std::chrono::milliseconds(40)).ok());
  StartTicking(std::chrono::milliseconds(30));
  int killed_mid_run = 0;
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, 700);
  int previous = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    const int desired = counts[trial];
    const std::string label = "seed " + std::to_string(seed) + ", trial " + std::to_string(trial) +
                              ": " + std::to_string(previous) + " -> " + std::to_string(desired);
    WriteConfig(EnvYaml("farm", "batch", "ap-guangzhou-4", desired));
    {
      SpawnedSpotform apply({"--no-color", "apply", "--auto-approve", "--poll-interval", "50ms"},
                            dir_.path(), SimCredentials());
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
      apply.Signal(SIGKILL);
      if (apply.Wait().exit_code == 128 + SIGKILL) ++killed_mid_run;
    }
    CliResult done = ApplyUntilDone(3);
    ASSERT_EQ(done.exit_code, 0) << label << "\n" << done.out << done.err;
    ExpectBatchConverged(desired, label);
    if (HasFailure()) FAIL() << label;
    previous = desired;
  }
  EXPECT_GE(killed_mid_run, kTrials / 3) << "kills must land while apply still runs";
}

INSTANTIATE_TEST_SUITE_P(EverySwitchCombination, BatchChaosE2E,
                         ::testing::Combine(::testing::Values("manual", "batch-picks"),
                                            ::testing::Values("refills", "decrements")),
                         [](const ::testing::TestParamInfo<BatchChaosE2E::ParamType>& info) {
                           std::string name =
                               std::get<0>(info.param) + "_" + std::get<1>(info.param);
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST_F(ApplyChaosE2E, ApplyConvergesWhenAFifthOfTheCallsFailWithRetryableCodes) {
  // Calls that take 20 ms and capacity that takes a while to run give the injector time to
  // keep up with the log.
  ASSERT_TRUE(sim_->SetLatency(std::chrono::milliseconds(20)).ok());
  StartTicking(std::chrono::milliseconds(100));
  std::atomic<bool> running{true};
  std::atomic<int> injected{0};
  // Keeps about one call in five failing: after every five logged calls, the next call of
  // the most recent action fails, alternately throttled and with an internal error.
  std::thread injector([&] {
    while (running) {
      Result<json> requests = sim_->Requests();
      if (requests.ok() && !requests->empty()) {
        const int due = static_cast<int>(requests->size()) / 5;
        while (injected < due) {
          const std::string action = requests->back().value("action", "");
          const char* code = injected % 2 == 0 ? "RequestLimitExceeded" : "InternalError";
          if (!sim_->InjectFault(action, code, 1).ok()) break;
          ++injected;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  // A run this small (about 20 calls) can end before the injector catches up: a few faults
  // armed up front keep the rate at a fifth or more whatever the timing.
  for (const char* action : {"DescribeInstances", "DescribeComputeEnv", "RunInstances",
                             "CreateComputeEnv", "ModifyComputeEnv", "DescribeComputeEnvs"}) {
    ASSERT_TRUE(sim_->InjectFault(action, "RequestLimitExceeded", 1).ok());
  }
  // An InternalError on a verb that is not safe to repeat (TerminateInstances,
  // TerminateComputeNodes) ends that apply with "outcome unknown" and the next apply settles it
  // by looking at the cloud, so convergence may take a few applies: up to six each way.
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 8) +
              EnvYaml("farm", "batch", "ap-guangzhou-4", 3));
  CliResult up = ApplyUntilDone(6);
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3) +
              EnvYaml("farm", "batch", "ap-guangzhou-4", 1));
  CliResult down = ApplyUntilDone(6);
  running = false;
  injector.join();

  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  ExpectConverged(3, "after faults");
  const std::string env_id = BatchEnvId("farm");
  ASSERT_TRUE(sim_->Tick(20).ok());
  EXPECT_EQ(LiveCountOfBatchEnv(*sim_, env_id), 1);

  Result<json> requests = sim_->Requests();
  ASSERT_TRUE(requests.ok());
  int failed = 0;
  for (const json& call : *requests) failed += call["error"].is_null() ? 0 : 1;
  EXPECT_GE(failed * 100, static_cast<int>(requests->size()) * 15)
      << failed << " of " << requests->size() << " calls failed";
}

}  // namespace
}  // namespace spotform::e2e
