#pragma once

// Shared by the apply end-to-end suites: a spotform-sim child ticked in the background, a
// temporary project folder, the spotform binary run to completion or spawned to be signalled,
// and readers of the emulator's world and of the state.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/model/clock.h"
#include "state/sqlite_state_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_config.h"

namespace spotform::e2e {

using testing::ConfigYaml;
using testing::EnvYaml;
using testing::ReadFile;

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every one of `parts` is in `text` (a failure shows the text).
inline void ExpectContainsAll(const std::string& text, const std::vector<std::string>& parts) {
  for (const std::string& part : parts) EXPECT_TRUE(Contains(text, part)) << text;
}

// Ticks the emulator every `interval` of real time on a thread of its own, so PENDING
// instances start running and Batch reconciles while spotform waits.
class SimTicker {
 public:
  SimTicker(SimProcess& sim, std::chrono::milliseconds interval)
      : thread_([&sim, interval](std::stop_token stop) {
          while (!stop.stop_requested()) {
            (void)sim.Tick(1);
            std::this_thread::sleep_for(interval);
          }
        }) {}

 private:
  std::jthread thread_;
};

// A spotform child that runs while the test does something else (signal it, kill it).
class SpawnedSpotform {
 public:
  SpawnedSpotform(const std::vector<std::string>& args, const std::string& cwd,
                  const std::map<std::string, std::string>& env)
      : out_path_(io_.path() + "/stdout"), err_path_(io_.path() + "/stderr") {
    pid_ = StartProgram(SPOTFORM_BINARY, args, cwd, env, "/dev/null", out_path_, err_path_);
  }
  ~SpawnedSpotform() {
    if (!waited_ && pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  void Signal(int signal) { kill(pid_, signal); }
  // Waits for the exit; the exit status, or 128 + signal when killed.
  CliResult Wait() {
    waited_ = true;
    return WaitForProgram(pid_, out_path_, err_path_);
  }
  std::string Out() const { return ReadFile(out_path_); }

 private:
  TempDir io_;
  std::string out_path_;
  std::string err_path_;
  pid_t pid_ = -1;
  bool waited_ = false;
};

// The live (PENDING or RUNNING) instances of the emulator's world.
inline std::vector<nlohmann::json> LiveInstances(SimProcess& sim) {
  Result<nlohmann::json> all = sim.Instances();
  EXPECT_TRUE(all.ok()) << all.error().ToString();
  std::vector<nlohmann::json> live;
  if (!all.ok()) return live;
  for (const nlohmann::json& instance : *all) {
    const std::string state = instance.value("InstanceState", "");
    if (state == "PENDING" || state == "RUNNING") live.push_back(instance);
  }
  return live;
}

inline std::string TagValue(const nlohmann::json& instance, const std::string& key) {
  if (!instance.contains("Tags")) return "";
  for (const nlohmann::json& tag : instance["Tags"]) {
    if (tag.value("Key", "") == key) return tag.value("Value", "");
  }
  return "";
}

// Live instances carrying spotform's owner tag for environment `env` (cvm mode).
inline std::set<std::string> LiveIdsOfEnvironment(SimProcess& sim, const std::string& env) {
  std::set<std::string> ids;
  for (const nlohmann::json& instance : LiveInstances(sim)) {
    if (TagValue(instance, "spotform-env") == env) ids.insert(instance["InstanceId"]);
  }
  return ids;
}

// Live instances of Batch environment `env_id`.
inline int LiveCountOfBatchEnv(SimProcess& sim, const std::string& env_id) {
  int count = 0;
  for (const nlohmann::json& instance : LiveInstances(sim)) {
    if (instance.value("SimComputeEnvId", "") == env_id) ++count;
  }
  return count;
}

// The API calls of one action, in order.
inline std::vector<nlohmann::json> CallsOf(SimProcess& sim, const std::string& action) {
  Result<nlohmann::json> requests = sim.Requests();
  EXPECT_TRUE(requests.ok());
  std::vector<nlohmann::json> calls;
  if (!requests.ok()) return calls;
  for (const nlohmann::json& call : *requests) {
    if (call.value("action", "") == action) calls.push_back(call);
  }
  return calls;
}

// The successful API calls naming Batch environment `env_id` (params.EnvId), from call number
// `from` on, in order.
inline std::vector<nlohmann::json> SucceededCallsOfEnv(SimProcess& sim, const std::string& env_id,
                                                       size_t from) {
  Result<nlohmann::json> requests = sim.Requests();
  EXPECT_TRUE(requests.ok());
  std::vector<nlohmann::json> calls;
  if (!requests.ok()) return calls;
  for (size_t i = from; i < requests->size(); ++i) {
    const nlohmann::json& call = (*requests)[i];
    if (call["params"].value("EnvId", "") == env_id && call["error"].is_null()) {
      calls.push_back(call);
    }
  }
  return calls;
}

// PRAGMA integrity_check of the SQLite file at `path`: "ok" when intact.
inline std::string SqliteIntegrityCheck(const std::string& path) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    return "cannot open " + path;
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  std::string result;
  auto collect = [](void* out, int columns, char** values, char**) {
    for (int i = 0; i < columns; ++i) *static_cast<std::string*>(out) += values[i];
    return 0;
  };
  char* error = nullptr;
  if (sqlite3_exec(db.get(), "PRAGMA integrity_check", collect, &result, &error) != SQLITE_OK) {
    result = error != nullptr ? error : "integrity_check failed";
    sqlite3_free(error);
  }
  return result;
}

// A spotform project folder (config + state) with a ticked emulator behind it.
class ApplyFixture : public ::testing::Test {
 protected:
  void StartSim(std::vector<std::string> sim_args = {"--no-rate-limit"}) {
    auto sim = SimProcess::Start(std::move(sim_args));
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    StartTicking();
  }
  void StartTicking(std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
    ticker_.reset();
    ticker_ = std::make_unique<SimTicker>(*sim_, interval);
  }
  void SetUp() override { StartSim(); }
  void TearDown() override { ticker_.reset(); }

  void WriteConfig(const std::string& environments) {
    dir_.Write("spotform.yaml", ConfigYaml(sim_->endpoint(), environments));
  }

  CliResult Run(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), "--no-color");
    return RunSpotform(args, dir_.path(), SimCredentials(), input);
  }
  // apply --auto-approve with a short poll interval (the emulator ticks fast).
  CliResult Apply(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"apply", "--auto-approve", "--poll-interval",
                                     "50ms",  "--timeout",      "60s"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }
  CliResult Destroy(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"destroy", "--auto-approve", "--poll-interval",
                                     "50ms",    "--timeout",      "60s"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  // The SQLite state at `path` (the project's own by default).
  StateSnapshot LoadState(const std::string& path = "") {
    SystemClock clock;
    auto store =
        OpenSqliteStateStore(path.empty() ? dir_.path() + "/.spotform/state.db" : path, clock);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    if (!store.ok()) return {};
    auto state = (*store)->Load();
    EXPECT_TRUE(state.ok()) << state.error().ToString();
    return state.ok() ? *state : StateSnapshot{};
  }

  // Ids recorded in state for `env` (every pool, every state but GONE).
  std::set<std::string> RecordedIds(const std::string& env) {
    std::set<std::string> ids;
    StateSnapshot state = LoadState();
    auto it = state.environments.find(env);
    if (it == state.environments.end()) return ids;
    for (const Pool& pool : it->second.pools) {
      for (const RecordedInstance& instance : pool.instances) {
        if (instance.state != "GONE") ids.insert(instance.id);
      }
    }
    return ids;
  }

  std::string BatchEnvId(const std::string& env) {
    StateSnapshot state = LoadState();
    auto it = state.environments.find(env);
    if (it == state.environments.end() || it->second.pools.empty()) return "";
    return it->second.pools.front().batch_env_id;
  }

  TempDir dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<SimTicker> ticker_;
};

}  // namespace spotform::e2e
