#pragma once

// Shared by the apply end-to-end suites: a spotform-sim child ticked in the background, a
// temporary project folder, the spotform binary run to completion or spawned to be signalled,
// and readers of the emulator's world and of the state.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/model/clock.h"
#include "state/sqlite_state_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/sim_process.h"

extern char** environ;

namespace spotform::e2e {

inline const std::map<std::string, std::string>& SimCredentials() {
  static const std::map<std::string, std::string> kCredentials = {
      {"TENCENTCLOUD_SECRET_ID", kSimSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSimSecretKey}};
  return kCredentials;
}

// One environment of a generated config.
inline std::string EnvYaml(const std::string& name, const std::string& mode,
                           const std::string& zone, int count,
                           const std::string& max_price = "0.60",
                           const std::string& instance_type = "S5.MEDIUM4") {
  return "  " + name + ":\n    mode: " + mode + "\n    zone: " + zone +
         "\n    instance_type: " + instance_type + "\n    image_id: img-pmqg1cw7\n" +
         "    max_price: \"" + max_price + "\"\n    desired_count: " + std::to_string(count) + "\n";
}

inline std::string ConfigYaml(const std::string& endpoint, const std::string& environments) {
  return "provider:\n  region: ap-guangzhou\n  endpoint: " + endpoint + "\nenvironments:\n" +
         environments;
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
                  const std::map<std::string, std::string>& env) {
    out_path_ = io_.path() + "/stdout";
    err_path_ = io_.path() + "/stderr";
    std::vector<std::string> environment;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      if (entry.rfind("TENCENTCLOUD_", 0) == 0) continue;
      environment.push_back(entry);
    }
    for (const auto& [key, value] : env) environment.push_back(key + "=" + value);
    std::vector<std::string> all_args = {SPOTFORM_BINARY};
    all_args.insert(all_args.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : all_args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (std::string& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int in = open("/dev/null", O_RDONLY);
      const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || out < 0 || err < 0 || chdir(cwd.c_str()) != 0) _exit(127);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      execve(SPOTFORM_BINARY, argv.data(), envp.data());
      _exit(127);
    }
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
    int status = 0;
    CliResult result;
    if (waitpid(pid_, &status, 0) == pid_) {
      result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    waited_ = true;
    result.out = Slurp(out_path_);
    result.err = Slurp(err_path_);
    return result;
  }
  std::string Out() const { return Slurp(out_path_); }

 private:
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

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

  StateSnapshot LoadState() {
    SystemClock clock;
    auto store = OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock);
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
