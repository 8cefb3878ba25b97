// `spotform watch`, the cvm keeper, run as a user would: the built spotform binary against a
// real spotform-sim (ticked in the background) with a real SQLite state in a temporary folder.
// Reclaims and stock shortages come from the emulator's control API.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

int Occurrences(const std::string& text, const std::string& part) {
  int count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

// Polls `done` every 20 ms of real time for up to 15 s (the emulator and the watcher are
// other processes: there is no clock to fake across them).
bool WaitFor(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return done();
}

class WatchE2E : public ApplyFixture {
 protected:
  // A looping watch with short intervals (the emulator ticks every 20 ms).
  std::unique_ptr<SpawnedSpotform> StartWatch(const std::string& interval = "200ms") {
    return std::make_unique<SpawnedSpotform>(
        std::vector<std::string>{"--no-color", "watch", "--interval", interval, "--poll-interval",
                                 "50ms", "--timeout", "60s"},
        dir_.path(), SimCredentials());
  }

  CliResult WatchOnce() {
    return Run({"watch", "--once", "--poll-interval", "50ms", "--timeout", "60s"});
  }

  // The pool of `env` as recorded: (expected count, ids recorded RUNNING or PENDING).
  std::pair<int, std::set<std::string>> RecordedPool(const std::string& env) {
    StateSnapshot state = LoadState();
    auto it = state.environments.find(env);
    if (it == state.environments.end() || it->second.pools.size() != 1) return {-1, {}};
    std::set<std::string> live;
    for (const RecordedInstance& instance : it->second.pools[0].instances) {
      if (instance.state == "RUNNING" || instance.state == "PENDING") live.insert(instance.id);
    }
    return {it->second.pools[0].expected_count, live};
  }

  std::vector<std::string> FirstIds(int n) {
    const std::set<std::string> ids = LiveIdsOfEnvironment(*sim_, "render");
    return std::vector<std::string>(ids.begin(), std::next(ids.begin(), n));
  }
};

TEST_F(WatchE2E, ReplacesReclaimedInstancesUpToExactlyTheExpectedCount) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  ASSERT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 3u);

  // The spot market takes two back: one round of watch brings the count back to 3.
  const std::vector<std::string> reclaimed = FirstIds(2);
  ASSERT_TRUE(sim_->Reclaim(reclaimed).ok());
  CliResult once = WatchOnce();
  ASSERT_EQ(once.exit_code, 0) << once.out << once.err;
  EXPECT_TRUE(Contains(once.out,
                       " env.render: 2 instances reclaimed; launching 2 (expected 3, "
                       "1 live)\n"))
      << once.out;
  EXPECT_TRUE(Contains(once.out, " env.render: 2 replacements running; 3 of 3 expected\n"))
      << once.out;
  std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 3u);
  for (const std::string& id : reclaimed) EXPECT_EQ(live.count(id), 0u) << id;
  EXPECT_EQ(RecordedPool("render"), std::make_pair(3, live));
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), 2u);  // the apply's and the one refill

  // A second round with nothing lost launches nothing.
  CliResult idle = WatchOnce();
  ASSERT_EQ(idle.exit_code, 0) << idle.out << idle.err;
  EXPECT_FALSE(Contains(idle.out, "launching")) << idle.out;
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), 2u);

  // A looping watch replaces a later reclaim by itself and stops cleanly on SIGTERM.
  std::unique_ptr<SpawnedSpotform> watch = StartWatch();
  const std::string later = FirstIds(1).front();
  ASSERT_TRUE(sim_->Reclaim({later}).ok());
  EXPECT_TRUE(WaitFor([&] {
    const std::set<std::string> now = LiveIdsOfEnvironment(*sim_, "render");
    return now.size() == 3u && now.count(later) == 0 &&
           Contains(watch->Out(), "1 replacement running; 3 of 3 expected");
  })) << watch->Out();
  watch->Signal(SIGTERM);
  CliResult stopped = watch->Wait();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
  EXPECT_TRUE(Contains(stopped.out,
                       " env.render: 1 instance reclaimed; launching 1 (expected 3, "
                       "2 live)\n"))
      << stopped.out;
  EXPECT_TRUE(stopped.out.ends_with(" watch stopped\n")) << stopped.out;
  live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 3u);
  EXPECT_EQ(RecordedPool("render"), std::make_pair(3, live));
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), 3u);
  // The lock was released on the way out: an apply runs at once and has nothing to launch
  // or release.
  CliResult after = Apply();
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), 3u);
  EXPECT_TRUE(CallsOf(*sim_, "TerminateInstances").empty());
}

TEST_F(WatchE2E, NeverRefillsWhatAConcurrentApplyScalesDown) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 4));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;

  // The watcher runs tight rounds while the market reclaims one instance and an apply
  // scales 4 -> 1; whichever takes the lock first, the end is exactly one instance.
  std::unique_ptr<SpawnedSpotform> watch = StartWatch("100ms");
  ASSERT_TRUE(WaitFor([&] { return Contains(watch->Out(), "watch: keeping"); }));
  ASSERT_TRUE(sim_->Reclaim(FirstIds(1)).ok());
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  CliResult down = Apply({"--lock-timeout", "30s"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  const std::vector<json> terminations = CallsOf(*sim_, "TerminateInstances");
  ASSERT_FALSE(terminations.empty());
  const int64_t lowered_at = terminations.front()["seq"];

  // Let the watcher run several more rounds against the lowered count.
  std::this_thread::sleep_for(milliseconds(1000));
  watch->Signal(SIGTERM);
  CliResult stopped = watch->Wait();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
  EXPECT_TRUE(stopped.out.ends_with(" watch stopped\n")) << stopped.out;

  const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 1u);
  EXPECT_EQ(RecordedPool("render"), std::make_pair(1, live));
  for (const json& call : CallsOf(*sim_, "RunInstances")) {
    EXPECT_LT(call["seq"].get<int64_t>(), lowered_at)
        << "RunInstances after the apply lowered the count:\n"
        << stopped.out;
  }
}

TEST_F(WatchE2E, BacksOffWhileTheMarketHasNoStockAndRefillsWhenItReturns) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;

  std::unique_ptr<SpawnedSpotform> watch = StartWatch();
  ASSERT_TRUE(WaitFor([&] { return Contains(watch->Out(), "watch: keeping"); }));
  // The market shrinks to 2: it reclaims one instance and has nothing left to sell.
  ASSERT_TRUE(sim_->SetMarket("ap-guangzhou-3", "S5.MEDIUM4", 0.09, 2).ok());
  const std::string refusal =
      " env.render: no spot stock of S5.MEDIUM4 in ap-guangzhou-3 "
      "(InvalidParameterValue.InsufficientOffering); retrying in ";
  EXPECT_TRUE(WaitFor([&] { return Contains(watch->Out(), refusal + "800ms\n"); })) << watch->Out();
  EXPECT_TRUE(Contains(watch->Out(), refusal + "400ms\n")) << watch->Out();
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  EXPECT_EQ(RecordedPool("render").first, 3);

  // Stock returns: the next due round refills, exactly to 3.
  ASSERT_TRUE(sim_->SetMarket("ap-guangzhou-3", "S5.MEDIUM4", 0.09, 1000).ok());
  EXPECT_TRUE(WaitFor([&] {
    return LiveIdsOfEnvironment(*sim_, "render").size() == 3u &&
           Contains(watch->Out(), "1 replacement running; 3 of 3 expected");
  })) << watch->Out();
  watch->Signal(SIGTERM);
  CliResult stopped = watch->Wait();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
  EXPECT_TRUE(stopped.out.ends_with(" watch stopped\n")) << stopped.out;
  const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 3u);
  EXPECT_EQ(RecordedPool("render"), std::make_pair(3, live));
  // Backing off means far fewer launch attempts than rounds.
  const int refusals = Occurrences(stopped.out, refusal);
  EXPECT_GE(refusals, 2) << stopped.out;
  EXPECT_EQ(static_cast<int>(CallsOf(*sim_, "RunInstances").size()), 1 + refusals + 1);
}

TEST_F(WatchE2E, OnceDoesNotPromiseARetryItWillNotMake) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  // The market shrinks to 2: it reclaims one instance and has nothing left to sell.
  ASSERT_TRUE(sim_->SetMarket("ap-guangzhou-3", "S5.MEDIUM4", 0.09, 2).ok());
  ASSERT_TRUE(WaitFor([&] { return LiveIdsOfEnvironment(*sim_, "render").size() == 2u; }));

  CliResult once = WatchOnce();
  EXPECT_EQ(once.exit_code, 1) << once.out << once.err;
  EXPECT_TRUE(Contains(once.out,
                       " env.render: no spot stock of S5.MEDIUM4 in ap-guangzhou-3 "
                       "(InvalidParameterValue.InsufficientOffering)\n"))
      << once.out;
  EXPECT_FALSE(Contains(once.out, "retrying in")) << once.out;
  EXPECT_FALSE(Contains(once.out, "trying again")) << once.out;
}

TEST_F(WatchE2E, SaysWhoHoldsTheLockAndTriesAgainNextRound) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  // A stuck apply's lock: an apply waiting at the confirmation question holds it.
  SystemClock clock;
  auto store = OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  LockRequest request;
  request.operation = "apply";
  request.user = "alice";
  request.host = "ci-3";
  request.pid = 4242;
  Result<LockInfo> lock = (*store)->Lock(request);
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();

  // With --once there is no next round: it says the round did nothing, and promises no retry.
  CliResult once = Run({"watch", "--once", "--lock-timeout", "0s"});
  EXPECT_EQ(once.exit_code, 1) << once.out << once.err;
  EXPECT_TRUE(Contains(once.out,
                       " nothing done: the whole state is locked by apply (alice@ci-3, pid 4242, "
                       "for "))
      << once.out;
  EXPECT_TRUE(Contains(once.out, ", lock ID " + lock->id + ")\n")) << once.out;
  EXPECT_FALSE(Contains(once.out, "trying again")) << once.out;
  EXPECT_FALSE(Contains(once.out, "launching")) << once.out;

  ASSERT_TRUE((*store)->Unlock(lock->id).ok());
  CliResult free = WatchOnce();
  EXPECT_EQ(free.exit_code, 0) << free.out << free.err;
}

TEST_F(WatchE2E, TakesOverALockLeftByAKilledRunOfThisHostAndKeepsItsEnvironment) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  // A pid of this host that no longer runs holds env.render's lock (an apply killed -9).
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  waitpid(dead, nullptr, 0);
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  SystemClock clock;
  auto store = OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  Result<LockInfo> lock = (*store)->Lock(LockRequest{.operation = "apply",
                                                     .user = "alice",
                                                     .host = host,
                                                     .pid = dead,
                                                     .scope = LockScope::Environments({"render"})});
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();

  ASSERT_TRUE(sim_->Reclaim(FirstIds(1)).ok());
  CliResult once = WatchOnce();
  EXPECT_EQ(once.exit_code, 0) << once.out << once.err;
  EXPECT_TRUE(Contains(once.out, "lock " + lock->id + " on env.render was held by pid " +
                                     std::to_string(dead) +
                                     " on this host, which no longer runs; taking it over"))
      << once.out;
  EXPECT_TRUE(Contains(once.out, " env.render: 1 replacement running; 2 of 2 expected\n"))
      << once.out;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  Result<std::vector<LockInfo>> left = (*store)->CurrentLocks();
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
}

TEST_F(WatchE2E, HelpSaysWhatItKeepsAndWhatItNeverDoes) {
  CliResult help = Run({"watch", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_TRUE(Contains(help.out, "Usage: spotform watch [--interval DURATION]")) << help.out;
  EXPECT_TRUE(Contains(help.out, "What it never does")) << help.out;
  EXPECT_TRUE(Contains(help.out, "nohup spotform watch")) << help.out;
  EXPECT_TRUE(Contains(help.out, "ExecStart=")) << help.out;

  CliResult bad = Run({"watch", "--interval", "soon"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err,
            "spotform: --interval: invalid duration \"soon\": use a form like 30s, 10m, 1h30m or "
            "500ms\n");
}

}  // namespace
}  // namespace spotform::e2e
