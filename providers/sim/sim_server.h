#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "providers/sim/api_gateway.h"
#include "providers/sim/auth_verifier.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/control_api.h"
#include "providers/sim/fault_injector.h"
#include "providers/sim/rate_limiter.h"
#include "providers/sim/request_log.h"
#include "providers/sim/request_schema.h"

namespace httplib {
class Server;
}

namespace spotform::sim {

// The emulator's well-known test credentials (spec §5), printed at start on purpose.
inline constexpr char kDefaultSecretId[] = "AKIDSPOTFORMSIM000000000000000000000";
inline constexpr char kDefaultSecretKey[] = "spotform-sim-secret";

struct SimServerOptions {
  std::string host = "127.0.0.1";  // loopback only: 127.0.0.0/8, localhost or ::1
  int port = 9000;                 // 0 picks a free port
  std::vector<SimCredential> credentials = {{kDefaultSecretId, kDefaultSecretKey, ""}};
  bool rate_limit = true;
  std::chrono::milliseconds tick_interval{500};  // 0: ticks only through POST /_sim/tick
  int threads = 16;                              // cpp-httplib worker threads
  bool verbose = false;                          // one line per request on stderr
};

// SimServer is spotform-sim's HTTP front: cpp-httplib on a loopback address, POST / to the
// ApiGateway, /_sim/* (loopback clients only) to the ControlApi, and a ticker thread that
// calls CloudModel::Tick every tick_interval. It owns the server-side parts (schema, verifier,
// rate limiter, faults, request log); the model and the clock are borrowed and must outlive
// it. The ticker waits on a condition variable (real time, so Stop() interrupts it at once);
// tests use tick_interval 0 and /_sim/tick. Stop() (also run by the destructor) is idempotent.
class SimServer {
 public:
  static Result<std::unique_ptr<SimServer>> Create(SimServerOptions options, CloudModel& model,
                                                   Clock& clock);
  // Prefer Create(), which loads the embedded schema and checks the options.
  SimServer(SimServerOptions options, RequestSchema schema, CloudModel& model, Clock& clock);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  // Binds, then serves and ticks on background threads. Returns the port listened on.
  Result<int> Start();
  void Stop();

  static bool IsLoopbackHost(const std::string& host);

 private:
  void Route();
  void TickLoop();

  SimServerOptions options_;
  RequestSchema schema_;
  CloudModel& model_;
  Clock& clock_;
  AuthVerifier auth_;
  ServerRateLimiter limiter_;
  FaultInjector faults_;
  RequestLog log_;
  ApiGateway gateway_;
  ControlApi control_;
  std::unique_ptr<httplib::Server> http_;

  std::thread listen_thread_;
  std::atomic<bool> listen_done_{false};
  std::thread tick_thread_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace spotform::sim
