// describe_bench: how fast spotform reads a large fleet. Starts spotform-sim's server in this
// process (rate limits on, 127.0.0.1:0), launches 10,000 spot instances, adds 50 ms of latency
// to every API call, then describes all 10,000 by id through the full client stack (curl, TC3
// signing, throttle, retries) and TencentCloud. Reports (bench/bench_report.h) the number of
// DescribeInstances calls (target <= 100), the wall time against the rate-limit bound calls / 40
// per second (target <= 1.3x) and the instances found (all of them). Exit status 0 when every
// target is met, 3 when one is missed, 1 when the setup fails, 2 on bad flags.
//
//   describe_bench [--instances N] [--latency-ms N] [--parallel N]

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_report.h"
#include "engine/model/clock.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_server.h"
#include "providers/tencent/client_factory.h"
#include "providers/tencent/tencent_cloud.h"

namespace spotform {
namespace {

constexpr char kZone[] = "ap-guangzhou-3";
constexpr char kType[] = "S5.MEDIUM4";
constexpr double kDescribeRate = 40.0;  // Tencent's published DescribeInstances limit
constexpr double kTargetRatio = 1.3;

struct BenchFlags {
  int instances = 10000;
  int latency_ms = 50;
  size_t parallel = 8;
};

// Counts the calls of each action it forwards.
class CountingCaller final : public ApiCaller {
 public:
  explicit CountingCaller(ApiCaller& inner) : inner_(inner) {}
  Result<ApiResponse> Call(const ApiRequest& request) override {
    if (request.action == "DescribeInstances") ++describes_;
    return inner_.Call(request);
  }
  int describes() const { return describes_.load(); }

 private:
  ApiCaller& inner_;
  std::atomic<int> describes_{0};
};

// POSTs a control call to the emulator; false (with a message) unless it answers 200.
bool Control(httplib::Client& control, const std::string& path, const std::string& body) {
  httplib::Result reply = control.Post(path, body, "application/json");
  if (!reply || reply->status != 200) {
    std::fprintf(stderr, "describe_bench: POST %s failed: %s\n", path.c_str(),
                 reply ? reply->body.c_str() : httplib::to_string(reply.error()).c_str());
    return false;
  }
  return true;
}

bool ParseFlags(int argc, char** argv, BenchFlags& flags) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    long value = std::strtol(argv[++i], nullptr, 10);
    if (value < 0) return false;
    if (flag == "--instances")
      flags.instances = static_cast<int>(value);
    else if (flag == "--latency-ms")
      flags.latency_ms = static_cast<int>(value);
    else if (flag == "--parallel")
      flags.parallel = static_cast<size_t>(value);
    else
      return false;
  }
  return true;
}

int Run(int argc, char** argv) {
  BenchFlags flags;
  if (!ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr, "usage: describe_bench [--instances N] [--latency-ms N] [--parallel N]\n");
    return 2;
  }
  SystemClock clock;
  sim::CloudModel model(sim::CloudModelOptions{}, clock);
  sim::SimServerOptions server_options;
  server_options.port = 0;
  server_options.rate_limit = true;
  server_options.tick_interval = std::chrono::milliseconds(0);
  Result<std::unique_ptr<sim::SimServer>> server =
      sim::SimServer::Create(server_options, model, clock);
  if (!server.ok()) {
    std::fprintf(stderr, "describe_bench: %s\n", server.error().ToString().c_str());
    return 1;
  }
  Result<int> port = (*server)->Start();
  if (!port.ok()) {
    std::fprintf(stderr, "describe_bench: %s\n", port.error().ToString().c_str());
    return 1;
  }
  const std::string endpoint = "http://127.0.0.1:" + std::to_string(*port);
  httplib::Client control(endpoint);

  ClientOptions client_options;
  client_options.endpoint = endpoint;
  Result<std::unique_ptr<ClientStack>> stack = ClientStack::Create(
      client_options, Credentials(sim::kDefaultSecretId, sim::kDefaultSecretKey), clock);
  if (!stack.ok()) {
    std::fprintf(stderr, "describe_bench: %s\n", stack.error().ToString().c_str());
    return 1;
  }
  CountingCaller counting(**stack);
  TencentCloud cloud(counting, TencentCloudOptions{"ap-guangzhou", flags.parallel});

  // 1. Room for the fleet, then launch it without latency (RunInstances runs at 10/s).
  const std::string market = std::string(R"({"zone":")") + kZone + R"(","instance_type":")" +
                             kType + R"(","price":0.09,"capacity":)" +
                             std::to_string(flags.instances * 2) + "}";
  if (!Control(control, "/_sim/market", market)) return 1;
  std::vector<std::string> ids;
  const auto launch_start = std::chrono::steady_clock::now();
  for (int launched = 0, batch = 0; launched < flags.instances; ++batch) {
    LaunchSpec spec{kZone,
                    kType,
                    "img-pmqg1cw7",
                    "0.50",
                    std::min(kMaxLaunchCount, flags.instances - launched),
                    {{"spotform-env", "bench"}},
                    "describe-bench-" + std::to_string(batch),
                    ""};
    Result<std::vector<std::string>> launched_ids = cloud.LaunchSpotInstances(spec);
    if (!launched_ids.ok()) {
      std::fprintf(stderr, "describe_bench: %s\n", launched_ids.error().ToString().c_str());
      return 1;
    }
    ids.insert(ids.end(), launched_ids->begin(), launched_ids->end());
    launched += spec.count;
  }
  const double launch_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - launch_start).count();
  std::printf("launched %zu instances in %.1f s\n", ids.size(), launch_seconds);

  // 2. Latency on, then describe them all by id.
  if (!Control(control, "/_sim/faults",
               R"({"latency_ms":)" + std::to_string(flags.latency_ms) + "}")) {
    return 1;
  }
  const int describes_before = counting.describes();
  const auto start = std::chrono::steady_clock::now();
  Result<InstanceObservation> observed = cloud.DescribeInstances(ids);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!observed.ok()) {
    std::fprintf(stderr, "describe_bench: %s\n", observed.error().ToString().c_str());
    return 1;
  }
  const int calls = counting.describes() - describes_before;
  const double bound = calls / kDescribeRate;
  const double ratio = seconds / bound;
  const int target_calls = (flags.instances + 99) / 100;
  std::printf("described %zu instances (%zu missing) with %d parallel chunks, %d ms latency\n",
              observed->found.size(), observed->missing.size(), static_cast<int>(flags.parallel),
              flags.latency_ms);
  std::printf("wall time: %.2f s; rate-limit bound %d / %.0f per s = %.2f s\n", seconds, calls,
              kDescribeRate, bound);
  // What the emulator saw: DescribeInstances calls it refused (its own rate limit, say).
  int refused = 0;
  httplib::Result log = control.Get("/_sim/requests");
  if (log && log->status == 200) {
    nlohmann::json entries = nlohmann::json::parse(log->body, nullptr, /*allow_exceptions=*/false);
    if (entries.is_array()) {
      for (const nlohmann::json& entry : entries) {
        if (entry.value("action", "") == "DescribeInstances" && entry.contains("error") &&
            !entry["error"].is_null()) {
          ++refused;
        }
      }
    }
  }
  std::printf("DescribeInstances calls refused by the emulator: %d\n", refused);
  (*server)->Stop();
  bench::BenchReport report("describe_bench");
  report.Add({"describe_calls", static_cast<double>(calls), bench::Bound::kAtMost,
              static_cast<double>(target_calls), "calls", 0});
  report.Add({"wall_time_vs_bound", ratio, bench::Bound::kAtMost, kTargetRatio, "x", 2});
  report.Add({"instances_found", static_cast<double>(observed->found.size()),
              bench::Bound::kExactly, static_cast<double>(ids.size()), "", 0});
  return report.ExitCode();
}

}  // namespace
}  // namespace spotform

int main(int argc, char** argv) { return spotform::Run(argc, argv); }
