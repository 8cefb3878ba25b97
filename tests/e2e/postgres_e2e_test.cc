// Two `spotform apply` processes against one PostgreSQL state (the team backend): one
// wins, the other fails at once naming the holder or waits with --lock-timeout; a winner
// killed with SIGKILL loses its lock with its database session; state and emulator agree.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/e2e/postgres_e2e_support.h"

namespace spotform::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class PostgresE2E : public PostgresFixture {
 protected:
  void SetUp() override {
    PostgresFixture::SetUp();
    env_ = SimCredentials();
    env_["SPOTFORM_PG_URL"] = url_;  // the URL from the environment, as CI would give it
  }

  void WriteTeamConfig(int count) {
    dir_.Write("spotform.yaml",
               ConfigYaml(sim_->endpoint(), EnvYaml("render", "cvm", "ap-guangzhou-3", count)) +
                   "state:\n  backend: postgres\n  workspace: " + workspace_ + "\n");
  }

  std::vector<std::string> ApplyArgs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--no-color", "apply", "--auto-approve", "--poll-interval", "50ms", "--timeout", "120s"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Waits (real time: a real process takes it) until someone holds the state's lock.
  std::optional<LockInfo> AwaitLock(SpawnedSpotform& holder) {
    auto store = Store();
    const auto deadline = steady_clock::now() + std::chrono::seconds(30);
    while (steady_clock::now() < deadline) {
      Result<std::optional<LockInfo>> lock = store->CurrentLock();
      if (lock.ok() && lock->has_value()) return **lock;
      std::this_thread::sleep_for(milliseconds(20));
    }
    ADD_FAILURE() << "the first apply never took the lock; its output: " << holder.Out();
    return std::nullopt;
  }

  std::set<std::string> RecordedLiveIds() {
    std::set<std::string> ids;
    Result<StateSnapshot> state = Store()->Load();
    EXPECT_TRUE(state.ok());
    if (!state.ok() || state->environments.count("render") == 0) return ids;
    for (const Pool& pool : state->environments.at("render").pools) {
      for (const RecordedInstance& instance : pool.instances) {
        if (instance.state != "GONE") ids.insert(instance.id);
      }
    }
    return ids;
  }

  std::map<std::string, std::string> env_;
};

TEST_F(PostgresE2E, SecondApplyFailsAtOnceNamingTheHolderThenStateAndCloudAgree) {
  WriteTeamConfig(3);
  ASSERT_TRUE(sim_->SetLatency(milliseconds(300)).ok());  // the winner takes a while
  SpawnedSpotform winner(ApplyArgs(), dir_.path(), env_);
  std::optional<LockInfo> held = AwaitLock(winner);
  ASSERT_TRUE(held.has_value());

  const auto started = steady_clock::now();
  CliResult loser = RunSpotform(ApplyArgs(), dir_.path(), env_);
  const auto took = steady_clock::now() - started;
  EXPECT_EQ(loser.exit_code, 1) << loser.out << loser.err;
  EXPECT_TRUE(Contains(loser.err, "(workspace " + workspace_ + ") is locked: held by " +
                                      held->user + "@" + held->host + " (pid " +
                                      std::to_string(held->pid) + ") for apply"))
      << loser.err;
  EXPECT_TRUE(Contains(loser.err, "lock ID " + held->id)) << loser.err;
  EXPECT_LT(took, std::chrono::seconds(5)) << "the loser must not wait without --lock-timeout";

  CliResult won = winner.Wait();
  ASSERT_EQ(won.exit_code, 0) << won.out << won.err;
  ASSERT_TRUE(sim_->SetLatency(milliseconds(0)).ok());
  const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 3u);
  EXPECT_EQ(RecordedLiveIds(), live);
  EXPECT_FALSE(Store()->CurrentLock()->has_value()) << "the winner released its lock";
}

TEST_F(PostgresE2E, SecondApplyWithALockTimeoutWaitsForTheHolder) {
  WriteTeamConfig(2);
  ASSERT_TRUE(sim_->SetLatency(milliseconds(200)).ok());
  SpawnedSpotform first(ApplyArgs(), dir_.path(), env_);
  ASSERT_TRUE(AwaitLock(first).has_value());
  CliResult second = RunSpotform(ApplyArgs({"--lock-timeout", "90s"}), dir_.path(), env_);
  CliResult first_done = first.Wait();
  EXPECT_EQ(first_done.exit_code, 0) << first_done.out << first_done.err;
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  ASSERT_TRUE(sim_->SetLatency(milliseconds(0)).ok());
  const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 2u) << "the waiting apply found nothing left to do";
  EXPECT_EQ(RecordedLiveIds(), live);
}

TEST_F(PostgresE2E, KillingTheWinnerWithSigkillFreesTheLockAndTheNextApplyConverges) {
  WriteTeamConfig(4);
  ASSERT_TRUE(sim_->SetLatency(milliseconds(300)).ok());
  SpawnedSpotform winner(ApplyArgs(), dir_.path(), env_);
  std::optional<LockInfo> held = AwaitLock(winner);
  ASSERT_TRUE(held.has_value());
  std::this_thread::sleep_for(milliseconds(500));  // somewhere inside its cloud calls
  winner.Signal(SIGKILL);
  EXPECT_EQ(winner.Wait().exit_code, 128 + SIGKILL);
  // The dead holder's row is still there, but its session (and advisory lock) is gone.
  EXPECT_EQ((*Store()->CurrentLock())->id, held->id);
  ASSERT_TRUE(sim_->SetLatency(milliseconds(0)).ok());

  // The server notices the closed connection within moments; no force-unlock is needed.
  CliResult next = RunSpotform(ApplyArgs({"--lock-timeout", "10s"}), dir_.path(), env_);
  ASSERT_EQ(next.exit_code, 0) << next.out << next.err;
  // Taken over by the store itself (the dead session's advisory lock), not by the same-host
  // dead-pid check of the CLI, which would say so.
  EXPECT_FALSE(Contains(next.err, "taking it over")) << next.err;
  EXPECT_FALSE(Contains(next.err, "force-unlock")) << next.err;
  const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  EXPECT_EQ(live.size(), 4u) << "no duplicate, no orphan";
  EXPECT_EQ(RecordedLiveIds(), live);
  Result<StateSnapshot> state = Store()->Load();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->open_intents.empty());
}

}  // namespace
}  // namespace spotform::e2e
