// apply and destroy, run as a user would: the built spotform binary against a real
// spotform-sim (ticked in the background), with a real SQLite state in a temporary folder.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

// Every id a plan's release steps name, in order.
std::vector<std::string> PlannedReleases(const json& plan) {
  std::vector<std::string> ids;
  for (const json& change : plan["changes"]) {
    for (const json& step : change["steps"]) {
      if (step["kind"] == "release") {
        for (const json& id : step["ids"]) ids.push_back(id);
      }
    }
  }
  return ids;
}

std::set<std::string> TerminatedIds(SimProcess& sim) {
  std::set<std::string> ids;
  for (const json& call : CallsOf(sim, "TerminateInstances")) {
    for (const json& id : call["params"]["InstanceIds"]) ids.insert(id);
  }
  return ids;
}

class ApplyE2E : public ApplyFixture {};

TEST_F(ApplyE2E, ACvmFleetIsCreatedScaledUpScaledDownAndDestroyed) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  CliResult created = Apply();
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  ExpectContainsAll(created.out, {"+ env.render", "Apply complete."});
  const std::set<std::string> first = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(RecordedIds("render"), first);

  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 5));
  CliResult up = Apply();
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  const std::set<std::string> second = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(second.size(), 5u);
  EXPECT_TRUE(std::includes(second.begin(), second.end(), first.begin(), first.end()));
  EXPECT_EQ(RecordedIds("render"), second);
  EXPECT_TRUE(TerminatedIds(*sim_).empty());

  // Scale down through a saved plan: exactly the planned instances go, no more.
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  CliResult planned = Run({"plan", "--json", "--out", "down.plan"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  const std::vector<std::string> releases = PlannedReleases(json::parse(planned.out));
  ASSERT_EQ(releases.size(), 3u) << planned.out;
  CliResult down = Run({"apply", "down.plan", "--poll-interval", "50ms"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_FALSE(Contains(down.out, "Do you want to perform these actions?"));
  EXPECT_EQ(TerminatedIds(*sim_), std::set<std::string>(releases.begin(), releases.end()));
  const std::set<std::string> third = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(third.size(), 2u);
  EXPECT_EQ(RecordedIds("render"), third);
  StateSnapshot state = LoadState();
  ASSERT_EQ(state.environments.count("render"), 1u);
  ASSERT_EQ(state.environments["render"].pools.size(), 1u);
  EXPECT_EQ(state.environments["render"].pools[0].expected_count, 2);

  CliResult again = Apply();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(Contains(again.out, "No changes.")) << again.out;

  CliResult destroyed = Destroy();
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  ExpectContainsAll(destroyed.out, {"- env.render", "Destroy complete."});
  EXPECT_TRUE(LiveIdsOfEnvironment(*sim_, "render").empty());
  EXPECT_TRUE(LoadState().environments.empty());
}

TEST_F(ApplyE2E, PrintsOneLinePerEventAndAFinalTableWhenStdoutIsNotATerminal) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  CliResult created = Apply();
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  ExpectContainsAll(created.out,
                    {"env.render: launch 2 spot instances", "env.render: 2 instances running\n"});
  EXPECT_FALSE(Contains(created.out, "\x1b[")) << "no cursor movement in a pipe";
  EXPECT_TRUE(Contains(created.out,
                       "ENVIRONMENT  LAUNCHED  RELEASED  RESULT       ERROR\n"
                       "env.render          2         0  done\n"))
      << created.out;
}

TEST_F(ApplyE2E, ReclaimedInstancesAreReplacedByTheNextApply) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::set<std::string> before = LiveIdsOfEnvironment(*sim_, "render");
  ASSERT_EQ(before.size(), 3u);
  const std::string reclaimed = *before.begin();
  ASSERT_TRUE(sim_->Reclaim({reclaimed}).ok());
  ASSERT_TRUE(sim_->Tick(5).ok());

  CliResult replaced = Apply();
  ASSERT_EQ(replaced.exit_code, 0) << replaced.out << replaced.err;
  const std::set<std::string> after = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(after.size(), 3u);
  EXPECT_EQ(after.count(reclaimed), 0u);
  EXPECT_EQ(RecordedIds("render"), after);
}

TEST_F(ApplyE2E, ABidBelowTheMarketIsAClearErrorAndOtherEnvironmentsAreApplied) {
  WriteConfig(EnvYaml("cheap", "cvm", "ap-guangzhou-3", 2, "0.01") +
              EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  CliResult result = Apply();
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  ExpectContainsAll(result.out, {"InsufficientPrice", "0.01"});
  EXPECT_TRUE(Contains(result.out, "0.09")) << "names the market price:\n" << result.out;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  EXPECT_TRUE(LiveIdsOfEnvironment(*sim_, "cheap").empty());
  EXPECT_TRUE(RecordedIds("cheap").empty());
  EXPECT_TRUE(LoadState().open_intents.empty());
}

TEST_F(ApplyE2E, AStaleSavedPlanIsRefused) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  ASSERT_EQ(Run({"plan", "--out", "up.plan"}).exit_code, 0);
  ASSERT_EQ(Apply().exit_code, 0);  // the state moves on

  CliResult stale = Run({"apply", "up.plan"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_TRUE(Contains(stale.err, "env.render changed since the plan was made")) << stale.err;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);

  // A plan with something to do: a plan with nothing to do depends on no environment.
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  ASSERT_EQ(Run({"plan", "--out", "edited.plan"}).exit_code, 0);
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 4));
  CliResult altered = Run({"apply", "edited.plan"});
  EXPECT_EQ(altered.exit_code, 1);
  EXPECT_TRUE(Contains(altered.err, "the config of env.render changed since the plan was made"))
      << altered.err;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
}

TEST_F(ApplyE2E, ASecondApplyFailsNamingTheLockHolder) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  SystemClock clock;
  auto store = OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock);
  ASSERT_TRUE(store.ok());
  auto lock = (*store)->Lock(
      LockRequest{.operation = "apply", .user = "alice", .host = "build-7", .pid = 4242});
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();

  CliResult blocked = Apply();
  EXPECT_EQ(blocked.exit_code, 1);
  ExpectContainsAll(blocked.err, {lock->id, "alice", "build-7", "4242"});
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 1u);

  ASSERT_TRUE((*store)->Unlock(lock->id).ok());
  CliResult after = Apply();
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  auto held = (*store)->CurrentLock();
  ASSERT_TRUE(held.ok());
  EXPECT_FALSE(held->has_value()) << "apply releases its lock";
}

TEST_F(ApplyE2E, WithoutATerminalApplyAsksForAutoApproveAndChangesNothing) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  CliResult result = Run({"apply"}, "yes\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "pass --auto-approve")) << result.err;
  EXPECT_TRUE(CallsOf(*sim_, "RunInstances").empty());
  EXPECT_TRUE(LoadState().environments.empty());
}

TEST_F(ApplyE2E, BadFlagsAreRefusedBeforeAnythingHappens) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  CliResult timeout = Run({"apply", "--auto-approve", "--timeout", "soon"});
  EXPECT_EQ(timeout.exit_code, 1);
  EXPECT_EQ(timeout.err,
            "spotform: --timeout: invalid duration \"soon\": use a form like 30s, 10m, 1h30m "
            "or 500ms\n");
  CliResult target = Run({"apply", "--auto-approve", "--target", "env.nope"});
  EXPECT_EQ(target.exit_code, 1);
  EXPECT_TRUE(Contains(target.err, "--target env.nope: no such environment")) << target.err;
  EXPECT_TRUE(CallsOf(*sim_, "RunInstances").empty());
}

TEST_F(ApplyE2E, SigintStopsAfterTheCallsInFlightAndTheNextApplyConverges) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 4));
  ticker_.reset();  // instances stay PENDING: apply waits
  SpawnedSpotform apply({"--no-color", "apply", "--auto-approve", "--poll-interval", "50ms"},
                        dir_.path(), SimCredentials());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (CallsOf(*sim_, "RunInstances").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(CallsOf(*sim_, "RunInstances").empty());
  apply.Signal(SIGINT);
  CliResult stopped = apply.Wait();
  EXPECT_NE(stopped.exit_code, 0);
  EXPECT_TRUE(Contains(stopped.err, "stopping after the calls in flight")) << stopped.err;
  // Consistent: everything launched is recorded, no intent left hanging on a lost answer.
  EXPECT_EQ(RecordedIds("render"), LiveIdsOfEnvironment(*sim_, "render"));

  StartTicking();
  CliResult resumed = Apply();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 4u);
  EXPECT_EQ(RecordedIds("render"), live);
  EXPECT_TRUE(LoadState().open_intents.empty());
}

}  // namespace
}  // namespace spotform::e2e
