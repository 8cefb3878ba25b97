#pragma once
// A world for executor tests: a real SQLite state in a fresh folder, FakeCloud, FakeClock,
// a progress recorder and a stop flag; plans made by the real planner from literal specs.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/apply/executor.h"
#include "engine/plan/planner.h"
#include "engine/plan/refresh.h"
#include "state/sqlite_state_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_cloud.h"
#include "tests/support/spec_builders.h"

namespace spotform::testing {

// Records every progress event as one line.
class RecordingProgress final : public ProgressObserver {
 public:
  void StepStarted(const std::string& address, const Step& step) override {
    Add("started " + address + " " + std::string(StepKindName(step.kind)));
  }
  void StepFinished(const std::string& address, const Step& step, const Status& status) override {
    Add("finished " + address + " " + std::string(StepKindName(step.kind)) +
        (status.ok() ? " ok" : " failed"));
  }
  void Waiting(const std::string& address, int target, int running, int pending,
               std::chrono::seconds elapsed) override {
    Add("waiting " + address + " target " + std::to_string(target) + " running " +
        std::to_string(running) + " pending " + std::to_string(pending) + " at " +
        std::to_string(elapsed.count()) + "s");
  }
  void Note(const std::string& address, const std::string& message) override {
    Add("note " + address + " " + message);
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  // The lines starting with `prefix`.
  std::vector<std::string> Lines(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const std::string& line : lines()) {
      if (line.starts_with(prefix)) out.push_back(line);
    }
    return out;
  }

 private:
  void Add(std::string line) {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(std::move(line));
  }
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

class FlagStop final : public StopSignal {
 public:
  bool StopRequested() const override { return stop_.load(); }
  void Set() { stop_.store(true); }

 private:
  std::atomic<bool> stop_{false};
};

inline Error TransportError(const std::string& action) {
  return Error(ErrorKind::kTransport, action + ": connection reset before the reply",
               "ClientNetworkError");
}

// A fresh SQLite state at `folder`/state.db (nullptr, and a failure, when it does not open).
inline std::unique_ptr<SqliteStateStore> OpenTestState(const std::string& folder, Clock& clock) {
  Result<std::unique_ptr<SqliteStateStore>> store =
      OpenSqliteStateStore(folder + "/state.db", clock);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Loads the state; an empty one (and a failure) when it does not load.
inline StateSnapshot LoadState(StateStore& store) {
  Result<StateSnapshot> state = store.Load();
  EXPECT_TRUE(state.ok()) << state.error().ToString();
  return state.ok() ? *state : StateSnapshot();
}

// Refreshes `state` from `cloud`, records the refresh in `store` and plans `specs` against it,
// as `spotform apply` does.
inline Plan RefreshAndPlan(Cloud& cloud, StateStore& store, const StateSnapshot& state,
                           const std::vector<EnvironmentSpec>& specs, bool destroy) {
  Result<RefreshResult> refreshed = Refresh(cloud, state);
  EXPECT_TRUE(refreshed.ok()) << refreshed.error().ToString();
  if (!refreshed.ok()) return Plan();
  if (!refreshed->edit.empty()) {
    Result<ApplyOutcome> applied = store.Apply(refreshed->edit);
    EXPECT_TRUE(applied.ok()) << applied.error().ToString();
  }
  PlanOptions options;
  options.destroy = destroy;
  return MakePlan(ConfigOf(specs), refreshed->refreshed, options);
}

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenTestState(dir_.path(), clock_);
    ASSERT_NE(store_, nullptr);
    options_.poll_interval = std::chrono::seconds(2);
    options_.timeout = std::chrono::seconds(60);
  }

  StateSnapshot State() { return LoadState(*store_); }

  // Refreshes, records the refresh and plans, as `spotform apply` does.
  Plan PlanFor(const std::vector<EnvironmentSpec>& specs, bool destroy = false) {
    return RefreshAndPlan(cloud_, *store_, State(), specs, destroy);
  }

  ApplyReport Execute(const Plan& plan) {
    Executor executor(cloud_, *store_, clock_, progress_, stop_, options_);
    return executor.Apply(plan, State().lineage);
  }

  Status Settle() {
    Executor executor(cloud_, *store_, clock_, progress_, stop_, options_);
    return executor.Settle(State().lineage);
  }

  ApplyReport ApplySpecs(const std::vector<EnvironmentSpec>& specs, bool destroy = false) {
    return Execute(PlanFor(specs, destroy));
  }

  // The only pool of `env` as recorded.
  Pool PoolOfEnv(const std::string& env) {
    StateSnapshot state = State();
    auto it = state.environments.find(env);
    if (it == state.environments.end() || it->second.pools.size() != 1) {
      ADD_FAILURE() << "env." << env << " has no single pool";
      return Pool();
    }
    return it->second.pools[0];
  }

  // The calls made since the `from`-th, without the refresh's owner-tag searches.
  std::vector<std::string> CallsSince(size_t from) const {
    std::vector<std::string> calls = cloud_.calls();
    std::vector<std::string> out;
    for (size_t i = from; i < calls.size(); ++i) {
      if (calls[i] != "FindInstances") out.push_back(calls[i]);
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<SqliteStateStore> store_;
  FakeCloud cloud_;
  RecordingProgress progress_;
  FlagStop stop_;
  ExecutorOptions options_;
};

// The batch environment the batch tests apply.
inline EnvironmentSpec Bake(int desired) { return Spec("bake", desired, Mode::kBatch); }

inline ChangeOutcome::Result Done() { return ChangeOutcome::Result::kDone; }
inline ChangeOutcome::Result Failed() { return ChangeOutcome::Result::kFailed; }

inline int CountInState(const Pool& pool, const std::string& state) {
  int n = 0;
  for (const RecordedInstance& instance : pool.instances) n += instance.state == state;
  return n;
}

}  // namespace spotform::testing
