#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/result.h"

namespace spotform {

// The emulator's well-known default credentials (spec §5).
inline constexpr char kSimSecretId[] = "AKIDSPOTFORMSIM000000000000000000000";
inline constexpr char kSimSecretKey[] = "spotform-sim-secret";

// The same as the environment variables a spotform run reads them from.
inline const std::map<std::string, std::string>& SimCredentials() {
  static const std::map<std::string, std::string> kCredentials = {
      {"TENCENTCLOUD_SECRET_ID", kSimSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSimSecretKey}};
  return kCredentials;
}

// SimProcess runs the real spotform-sim binary (SPOTFORM_SIM_BINARY) as a child process for
// integration tests: `--listen 127.0.0.1:0 --port-file <tmp> --tick-ms 0` plus extra flags. Start
// waits (up to 10 s of real time) until the port file appears. The control calls speak the
// emulator's unsigned /_sim/ API over loopback and return its JSON answer, or an Error naming
// the path and the emulator's reply. The destructor stops the child (SIGTERM, then SIGKILL
// after 5 s) and removes the temporary folder. One object per child; not copyable.
//
//   auto sim = SimProcess::Start({"--no-rate-limit"});
//   ASSERT_TRUE(sim.ok()) << sim.error().ToString();
//   (*sim)->InjectFault("RunInstances", "InternalError", 1);
//   endpoint = (*sim)->endpoint();  // "http://127.0.0.1:PORT"
class SimProcess {
 public:
  static Result<std::unique_ptr<SimProcess>> Start(std::vector<std::string> extra_args = {});
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // POST /_sim/faults {"action","code","count"}: the next `count` calls of action fail with code.
  Status InjectFault(const std::string& action, const std::string& code, int count = 1);
  // POST /_sim/faults {"latency_ms"}: added to every API call (0 clears it).
  Status SetLatency(std::chrono::milliseconds latency);
  // POST /_sim/market {"zone","instance_type","price","capacity"}.
  Status SetMarket(const std::string& zone, const std::string& instance_type, double price,
                   int capacity);
  // POST /_sim/reclaim {"instance_ids":[...]}.
  Status Reclaim(const std::vector<std::string>& instance_ids);
  // POST /_sim/tick {"count"}: advances the model `count` ticks.
  Status Tick(int count = 1);
  // POST /_sim/reset: a fresh world.
  Status Reset();
  // GET /_sim/requests: every API call in order ({"seq","time_ms","action","params","error"}).
  Result<nlohmann::json> Requests();
  // GET /_sim/instances: every live instance.
  Result<nlohmann::json> Instances();

  // Any control call; body "" sends a GET.
  Result<nlohmann::json> Control(const std::string& path, const std::string& body = "");

  // Use Start; the key keeps construction inside this class.
  struct Key {
    explicit Key() = default;
  };
  SimProcess(Key, pid_t pid, std::string folder) : pid_(pid), folder_(std::move(folder)) {}

 private:
  pid_t pid_;
  std::string folder_;  // temporary folder holding the port file and the child's stdout
  int port_ = 0;
};

}  // namespace spotform
