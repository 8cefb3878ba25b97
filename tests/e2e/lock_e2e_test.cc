// The state's writer lock between real processes: a second writer fails at once naming the
// holder or waits with --lock-timeout; force-unlock refuses a live holder's lock and removes
// a dead one's; read-only commands never need the lock.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using std::chrono::seconds;

std::string HostName() {
  char host[256] = {};
  return gethostname(host, sizeof(host) - 1) == 0 ? host : "unknown";
}

class LockE2E : public ApplyFixture {
 protected:
  std::string StatePath() { return dir_.path() + "/.spotform/state.db"; }

  std::optional<LockInfo> CurrentLock() {
    SystemClock clock;
    auto store = OpenSqliteStateStore(StatePath(), clock);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    if (!store.ok()) return std::nullopt;
    auto lock = (*store)->CurrentLock();
    EXPECT_TRUE(lock.ok()) << lock.error().ToString();
    return lock.ok() ? *lock : std::nullopt;
  }

  // Starts an apply that holds the lock until the emulator ticks again: its instances stay
  // PENDING, so it waits for them. Returns once it has launched (and so holds the lock).
  std::unique_ptr<SpawnedSpotform> StartBlockedApply() {
    ticker_.reset();
    auto apply = std::make_unique<SpawnedSpotform>(
        std::vector<std::string>{"--no-color", "apply", "--auto-approve", "--poll-interval", "50ms",
                                 "--timeout", "300s"},
        dir_.path(), SimCredentials());
    const size_t launched_before = CallsOf(*sim_, "RunInstances").size();
    const auto deadline = std::chrono::steady_clock::now() + seconds(60);
    while (CallsOf(*sim_, "RunInstances").size() == launched_before &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GT(CallsOf(*sim_, "RunInstances").size(), launched_before) << "the apply launched";
    return apply;
  }

  // The first words of the refusal a second writer gets while `holder` holds the lock of
  // `what` ("env.render", or "the whole state").
  static std::string HeldBy(const LockInfo& holder, const std::string& what = "env.render") {
    return " is locked: held by " + holder.user + "@" + holder.host + " (pid " +
           std::to_string(holder.pid) + ") for " + holder.operation + " of " + what + ", ";
  }
};

TEST_F(LockE2E, ASecondApplyFailsAtOnceNamingTheHolderOrWaitsWithLockTimeout) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  std::unique_ptr<SpawnedSpotform> first = StartBlockedApply();
  const std::optional<LockInfo> holder = CurrentLock();
  ASSERT_TRUE(holder.has_value());
  EXPECT_EQ(holder->operation, "apply");
  EXPECT_EQ(holder->host, HostName());
  EXPECT_NE(holder->pid, getpid());

  const size_t launches_before = CallsOf(*sim_, "RunInstances").size();
  CliResult refused = Apply();
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), launches_before)
      << "the refused apply launched nothing";
  EXPECT_TRUE(Contains(refused.err, "spotform: state ")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, HeldBy(*holder))) << refused.err;
  EXPECT_TRUE(Contains(refused.err,
                       " ago; lock ID " + holder->id +
                           "; if that process is gone, run `spotform force-unlock " + holder->id +
                           "`; to wait for it instead, pass --lock-timeout DURATION (e.g. "
                           "--lock-timeout 5m)\n"))
      << refused.err;

  // A second apply that may wait gets the lock once the first lets go, and then has
  // nothing left to do.
  SpawnedSpotform waiting(
      {"--no-color", "apply", "--auto-approve", "--poll-interval", "50ms", "--lock-timeout", "5m"},
      dir_.path(), SimCredentials());
  std::this_thread::sleep_for(seconds(2));  // let it find the lock held
  StartTicking();
  CliResult done = first->Wait();
  EXPECT_EQ(done.exit_code, 0) << done.out << done.err;
  const size_t launches = CallsOf(*sim_, "RunInstances").size();
  CliResult after = waiting.Wait();
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_TRUE(Contains(after.err, "spotform: env.render is locked by " + holder->user + "@" +
                                      holder->host + " (pid " + std::to_string(holder->pid) +
                                      ") for apply; waiting up to 5m00s for it...\n"))
      << after.err;
  EXPECT_TRUE(Contains(after.out, "No changes")) << after.out;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), launches) << "the waiting apply launched "
                                                                "nothing more";
  EXPECT_FALSE(CurrentLock().has_value()) << "both released the lock";
}

TEST_F(LockE2E, ForceUnlockRefusesALiveHolderAndRemovesAKilledOnesLock) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  std::unique_ptr<SpawnedSpotform> first = StartBlockedApply();
  const std::optional<LockInfo> holder = CurrentLock();
  ASSERT_TRUE(holder.has_value());
  const std::string pid = std::to_string(holder->pid);

  CliResult which = Run({"force-unlock"});
  EXPECT_EQ(which.exit_code, 1);
  EXPECT_TRUE(Contains(which.err, "spotform: force-unlock: which lock? The state holds one; lock " +
                                      holder->id + ": held by "))
      << which.err;
  EXPECT_TRUE(Contains(which.err, " for apply of env.render, ")) << which.err;

  CliResult wrong = Run({"force-unlock", "feedface"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(Contains(wrong.err,
                       "spotform: force-unlock: feedface is not one of the state's locks; lock " +
                           holder->id + ": held by "))
      << wrong.err;
  EXPECT_TRUE(Contains(wrong.err, "run `spotform force-unlock ID` with its ID\n")) << wrong.err;

  CliResult live = Run({"force-unlock", holder->id});
  EXPECT_EQ(live.exit_code, 1);
  EXPECT_TRUE(Contains(live.err, "Warning: pid " + pid + " still runs on this host")) << live.err;
  EXPECT_TRUE(Contains(live.err, "pass --force if you are sure\n")) << live.err;
  ASSERT_TRUE(CurrentLock().has_value());
  EXPECT_EQ(CurrentLock()->id, holder->id) << "a live holder keeps its lock";

  first->Signal(SIGKILL);
  EXPECT_EQ(first->Wait().exit_code, 128 + SIGKILL);
  ASSERT_TRUE(CurrentLock().has_value()) << "kill -9 leaves the lock behind";

  CliResult dead = Run({"force-unlock", holder->id});
  EXPECT_EQ(dead.exit_code, 0) << dead.err;
  EXPECT_TRUE(Contains(dead.err, "pid " + pid +
                                     " no longer runs on this host: the lock is "
                                     "stale.\n"))
      << dead.err;
  EXPECT_EQ(dead.out, "Removed lock " + holder->id + " (env.render). The state is unlocked.\n");
  EXPECT_FALSE(CurrentLock().has_value());

  CliResult again = Run({"force-unlock", holder->id});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, "spotform: force-unlock: the state is not locked, so there is no lock " +
                           holder->id + " to remove\n");

  // The next apply settles what the killed one left and converges.
  StartTicking();
  CliResult resumed = Apply();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  EXPECT_EQ(RecordedIds("render"), LiveIdsOfEnvironment(*sim_, "render"));
}

TEST_F(LockE2E, ForceUnlockWithForceRemovesALockWhoseHolderMayStillRun) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  SystemClock clock;
  auto store = OpenSqliteStateStore(StatePath(), clock);
  ASSERT_TRUE(store.ok());
  auto remote = (*store)->Lock(
      LockRequest{.operation = "apply", .user = "alice", .host = "build-7", .pid = 4242});
  ASSERT_TRUE(remote.ok()) << remote.error().ToString();

  CliResult refused = Run({"force-unlock", remote->id});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Contains(refused.err, "The state's lock " + remote->id +
                                        ": held by alice@build-7 (pid 4242) for apply of the "
                                        "whole state, "))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err,
                       "Warning: the lock was taken on build-7; spotform cannot "
                       "tell from here whether pid 4242 still runs."))
      << refused.err;
  EXPECT_TRUE(CurrentLock().has_value());

  CliResult forced = Run({"force-unlock", remote->id, "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.out,
            "Removed lock " + remote->id + " (the whole state). The state is unlocked.\n");
  EXPECT_FALSE(CurrentLock().has_value());
}

TEST_F(LockE2E, ReadOnlyCommandsRunWhileAnotherProcessHoldsTheLockAndWritersDoNot) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::string id = *RecordedIds("render").begin();
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  std::unique_ptr<SpawnedSpotform> holder_process = StartBlockedApply();
  const std::optional<LockInfo> holder = CurrentLock();
  ASSERT_TRUE(holder.has_value());

  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"plan", "--refresh=false"},
                                             {"show"},
                                             {"show", "--json"},
                                             {"state", "list"},
                                             {"state", "list", "--json"},
                                             {"state", "show", "env.render"},
                                             {"state", "show", "env.render." + id}}) {
    CliResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << args[0] << " " << args[1] << ": " << result.err;
    EXPECT_FALSE(Contains(result.err, "locked")) << result.err;
  }
  // Writers of env.render wait for it; so do those of the whole state, and they are told
  // the environments in conflict.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"refresh"},
                                             {"state", "rm", "env.render"},
                                             {"state", "mv", "env.render", "env.farm"},
                                             {"destroy", "--auto-approve"}}) {
    CliResult result = Run(args);
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_TRUE(Contains(result.err, HeldBy(*holder))) << args[0] << ": " << result.err;
  }
  const StateSnapshot state = LoadState();
  EXPECT_EQ(state.environments.count("render"), 1u) << "state rm was refused";
  EXPECT_EQ(state.environments.count("farm"), 0u) << "state mv was refused";
}

// Fenced writes (issue 16): an apply whose lock is force-unlocked while it waits for its
// instances writes nothing more, stops saying so, and the next apply settles and converges.
TEST_F(LockE2E, AnApplyWhoseLockIsForceUnlockedWritesNothingMoreAndTheNextSettles) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  std::unique_ptr<SpawnedSpotform> fenced = StartBlockedApply();
  const std::optional<LockInfo> holder = CurrentLock();
  ASSERT_TRUE(holder.has_value());
  CliResult unlocked = Run({"force-unlock", holder->id, "--force"});
  ASSERT_EQ(unlocked.exit_code, 0) << unlocked.err;
  const int64_t serial = LoadState().serial;

  StartTicking();  // its instances run now: recording them is refused
  CliResult stopped = fenced->Wait();
  EXPECT_EQ(stopped.exit_code, 1) << stopped.out << stopped.err;
  EXPECT_TRUE(Contains(stopped.err, "the lock " + holder->id +
                                        " on env.render held by this run was removed "
                                        "(force-unlock); this run "
                                        "stops and writes nothing more; the next `spotform "
                                        "apply` settles what it left open\n"))
      << stopped.err;
  EXPECT_EQ(LoadState().serial, serial) << "no write after the unlock";
  EXPECT_FALSE(CurrentLock().has_value()) << "it took no lock back";

  const size_t launches = CallsOf(*sim_, "RunInstances").size();
  CliResult next = Apply();
  ASSERT_EQ(next.exit_code, 0) << next.out << next.err;
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), launches) << "no duplicate launch";
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  EXPECT_EQ(RecordedIds("render"), LiveIdsOfEnvironment(*sim_, "render")) << "no orphan";
  EXPECT_TRUE(Contains(Apply().out, "No changes")) << "converged";
}

}  // namespace
}  // namespace spotform::e2e
