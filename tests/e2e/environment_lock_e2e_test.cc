// Locks per environment between real processes (issue 16), on both state backends: two
// applies of disjoint environments hold their locks at the same time and both finish; an
// apply of an environment being applied, and a command that reshapes the whole state, are
// refused at once naming the holders and the environments in conflict; a watch round keeps
// the environments nobody holds and says which it skipped.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "tests/e2e/postgres_e2e_support.h"

namespace spotform::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

class EnvironmentLockE2E : public PostgresFixture, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    PostgresFixture::SetUp();
    env_ = SimCredentials();
    if (GetParam() == Backend::kPostgres) env_["SPOTFORM_PG_URL"] = url_;
  }

  // render (2) and ci (1), both cvm, in one state of the backend under test.
  void WriteTeamConfig(int render_count = 2, int ci_count = 1) {
    std::string yaml =
        ConfigYaml(sim_->endpoint(), EnvYaml("render", "cvm", "ap-guangzhou-3", render_count) +
                                         EnvYaml("ci", "cvm", "ap-guangzhou-4", ci_count));
    if (GetParam() == Backend::kPostgres) {
      yaml += "state:\n  backend: postgres\n  workspace: " + workspace_ + "\n";
    }
    dir_.Write("spotform.yaml", yaml);
  }

  std::unique_ptr<StateStore> OpenState() {
    if (GetParam() == Backend::kPostgres) return Store();
    Result<std::unique_ptr<SqliteStateStore>> store =
        OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock_);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::vector<LockInfo> Locks() {
    Result<std::vector<LockInfo>> locks = OpenState()->CurrentLocks();
    EXPECT_TRUE(locks.ok()) << locks.error().ToString();
    return locks.ok() ? *locks : std::vector<LockInfo>();
  }
  StateSnapshot Recorded() {
    Result<StateSnapshot> state = OpenState()->Load();
    EXPECT_TRUE(state.ok()) << state.error().ToString();
    return state.ok() ? *state : StateSnapshot();
  }
  // The ids recorded RUNNING or PENDING in `env`.
  std::set<std::string> RecordedLive(const std::string& env) {
    std::set<std::string> ids;
    const StateSnapshot state = Recorded();
    auto it = state.environments.find(env);
    if (it == state.environments.end()) return ids;
    for (const Pool& pool : it->second.pools) {
      for (const RecordedInstance& instance : pool.instances) {
        if (instance.state == "RUNNING" || instance.state == "PENDING") ids.insert(instance.id);
      }
    }
    return ids;
  }

  CliResult RunHere(std::vector<std::string> args) {
    args.insert(args.begin(), "--no-color");
    return RunSpotform(args, dir_.path(), env_);
  }
  // An apply of `target` that waits for its instances: without ticks they stay PENDING, so
  // it holds its lock until StartTicking. Returns once it holds the lock of env.TARGET.
  std::unique_ptr<SpawnedSpotform> StartBlockedApply(const std::string& target) {
    auto apply = std::make_unique<SpawnedSpotform>(
        std::vector<std::string>{"--no-color", "apply", "--auto-approve", "--target",
                                 "env." + target, "--poll-interval", "50ms", "--timeout", "120s"},
        dir_.path(), env_);
    AwaitLaunchWhileLocked(target, *apply);
    return apply;
  }
  // Waits until a lock covers env.TARGET and the emulator saw a launch after it.
  void AwaitLaunchWhileLocked(const std::string& target, SpawnedSpotform& process) {
    const size_t launches = CallsOf(*sim_, "RunInstances").size();
    const auto deadline = steady_clock::now() + seconds(60);
    while (steady_clock::now() < deadline) {
      bool locked = false;
      for (const LockInfo& lock : Locks()) locked = locked || lock.scope.Covers(target);
      if (locked && CallsOf(*sim_, "RunInstances").size() > launches) return;
      std::this_thread::sleep_for(milliseconds(20));
    }
    ADD_FAILURE() << "env." << target
                  << " was never locked and launched; output: " << process.Out();
  }

  std::map<std::string, std::string> env_;
};

TEST_P(EnvironmentLockE2E, AppliesOfDisjointEnvironmentsRunAtOnceAndOverlappingOnesAreRefused) {
  WriteTeamConfig();
  ticker_.reset();  // instances stay PENDING: each apply waits, holding its lock
  std::unique_ptr<SpawnedSpotform> render = StartBlockedApply("render");
  std::unique_ptr<SpawnedSpotform> ci = StartBlockedApply("ci");

  // Both hold their locks now, side by side.
  std::set<std::string> held;
  std::string render_lock;
  for (const LockInfo& lock : Locks()) {
    held.insert(lock.operation + " of " + lock.scope.Describe());
    if (lock.scope.Covers("render")) render_lock = lock.id;
  }
  EXPECT_EQ(held, (std::set<std::string>{"apply of env.render", "apply of env.ci"}));

  // `show` says who holds what.
  CliResult shown = RunHere({"show"});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(Contains(shown.out, "Locks held:\n")) << shown.out;
  EXPECT_TRUE(Contains(shown.out, "  apply of env.render by ")) << shown.out;
  EXPECT_TRUE(Contains(shown.out, "  apply of env.ci by ")) << shown.out;
  CliResult json = RunHere({"show", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json locks = nlohmann::json::parse(json.out)["locks"];
  ASSERT_EQ(locks.size(), 2u) << json.out;
  std::set<std::string> environments;
  for (const nlohmann::json& lock : locks) environments.insert(lock["environments"][0]);
  EXPECT_EQ(environments, (std::set<std::string>{"ci", "render"}));

  // A third run on env.render is refused at once, naming the holder and env.render only.
  CliResult overlapping = RunHere({"apply", "--auto-approve", "--target", "env.render"});
  EXPECT_EQ(overlapping.exit_code, 1) << overlapping.out;
  EXPECT_TRUE(Contains(overlapping.err, " is locked: held by ")) << overlapping.err;
  EXPECT_TRUE(Contains(overlapping.err, ") for apply of env.render, ")) << overlapping.err;
  EXPECT_TRUE(Contains(overlapping.err, "lock ID " + render_lock)) << overlapping.err;
  EXPECT_FALSE(Contains(overlapping.err, "env.ci")) << overlapping.err;
  // Reshaping the state waits for everyone: both holders are named.
  CliResult move = RunHere({"state", "mv", "env.ci", "env.builds"});
  EXPECT_EQ(move.exit_code, 1);
  EXPECT_TRUE(Contains(move.err, ") for apply of env.render, ")) << move.err;
  EXPECT_TRUE(Contains(move.err, ") for apply of env.ci, ")) << move.err;

  StartTicking();
  CliResult render_done = render->Wait();
  CliResult ci_done = ci->Wait();
  EXPECT_EQ(render_done.exit_code, 0) << render_done.out << render_done.err;
  EXPECT_EQ(ci_done.exit_code, 0) << ci_done.out << ci_done.err;
  EXPECT_TRUE(Locks().empty());
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "ci").size(), 1u);
  EXPECT_EQ(RecordedLive("render"), LiveIdsOfEnvironment(*sim_, "render"));
  EXPECT_EQ(RecordedLive("ci"), LiveIdsOfEnvironment(*sim_, "ci"));
}

TEST_P(EnvironmentLockE2E, AWatchRoundKeepsWhatNobodyHoldsAndSaysWhatItSkipped) {
  WriteTeamConfig();
  CliResult applied = RunHere({"apply", "--auto-approve", "--poll-interval", "50ms"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  ticker_.reset();
  WriteTeamConfig(/*render_count=*/3);
  std::unique_ptr<SpawnedSpotform> render = StartBlockedApply("render");

  // The spot market takes ci's instance back while render's apply runs.
  const std::set<std::string> ci_ids = LiveIdsOfEnvironment(*sim_, "ci");
  ASSERT_EQ(ci_ids.size(), 1u);
  ASSERT_TRUE(sim_->Reclaim({*ci_ids.begin()}).ok());
  SpawnedSpotform watch(
      {"--no-color", "watch", "--once", "--poll-interval", "50ms", "--timeout", "120s"},
      dir_.path(), env_);
  AwaitLaunchWhileLocked("ci", watch);
  StartTicking();
  CliResult kept = watch.Wait();
  EXPECT_EQ(kept.exit_code, 1) << "env.render was not kept this round: " << kept.out;
  EXPECT_TRUE(Contains(kept.out, "nothing done: env.render is locked by apply (")) << kept.out;
  EXPECT_TRUE(Contains(kept.out, "env.ci: 1 instance reclaimed; launching 1")) << kept.out;
  EXPECT_FALSE(Contains(kept.out, "env.render: ")) << kept.out;
  CliResult render_done = render->Wait();
  EXPECT_EQ(render_done.exit_code, 0) << render_done.out << render_done.err;

  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "ci").size(), 1u);
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 3u);
  EXPECT_EQ(RecordedLive("ci"), LiveIdsOfEnvironment(*sim_, "ci"));
  EXPECT_EQ(RecordedLive("render"), LiveIdsOfEnvironment(*sim_, "render"));
}

INSTANTIATE_TEST_SUITE_P(Backends, EnvironmentLockE2E,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace spotform::e2e
