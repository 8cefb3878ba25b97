// sim_bench: how spotform-sim holds up with 100,000 live spot instances.
//
// Starts spotform-sim (--no-rate-limit --tick-ms 0) as a child process, fills it with
// instances through signed RunInstances calls (batches of 100), reports the sim's memory
// (VmRSS / VmHWM from /proc), times a 1-id DescribeInstances at 1,000 and at the full count
// (an id lookup must not scan every instance), describes every instance once (the sim renders
// and caches each one's text: the cold cost), then runs N threads of signed DescribeInstances
// by 1..100 random ids over keep-alive connections and prints requests/s, p50/p99 and errors.
// Then reports (bench/bench_report.h) the targets:
//   DescribeInstances with 1..100 ids        >= 2,000 req/s, and no errors in either load row
//   memory the fill adds per instance        <= 3 KiB (300 MiB for 100,000 instances)
//   1-id lookup p50 at N vs at 1,000         <= 2x (flat: a scan of every instance is ~N/1,000x)
// Exit status 0 when every target is met, 3 when one is missed, 1 when the setup fails or a
// flag is wrong.
//
// Usage: sim_bench [--sim PATH] [--instances N] [--threads N] [--seconds S]
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "bench/bench_report.h"
#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "providers/tencent/tc3_signer.h"

extern char** environ;

namespace spotform {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kSecretId[] = "AKIDSPOTFORMSIM000000000000000000000";
constexpr char kSecretKey[] = "spotform-sim-secret";
constexpr char kRegion[] = "ap-guangzhou";
constexpr char kZone[] = "ap-guangzhou-3";
constexpr char kType[] = "S5.MEDIUM4";
constexpr int kBatch = 100;
constexpr int kEnvs = 100;  // owner-tag environments the fleet is spread over
constexpr char kLineage[] = "bench-lineage";
constexpr double kTargetRate = 2000;           // DescribeInstances/s with 1..100 ids per call
constexpr double kTargetKibPerInstance = 3.0;  // RSS the fill adds, per live instance
constexpr double kTargetLookupRatio = 2.0;     // 1-id p50 at the full count vs at 1,000

struct Options {
  std::string sim_path;
  int instances = 100000;
  int threads = 8;
  int seconds = 5;
};

Error Fail(const std::string& message) { return Error(ErrorKind::kInternal, message); }

// utime + stime of a process (fields 14 and 15 of /proc/PID/stat), in seconds.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::atof(field.c_str());
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// SimProcess owns one spotform-sim child and its temporary folder (port file); the destructor
// stops the child (SIGTERM, then waits) and removes the folder.
class SimProcess {
 public:
  static Result<std::unique_ptr<SimProcess>> Start(const std::string& binary, Clock& clock) {
    char pattern[] = "/tmp/sim-bench-XXXXXX";
    if (mkdtemp(pattern) == nullptr) return Fail("mkdtemp failed");
    auto process = std::make_unique<SimProcess>(pattern);
    const std::string port_file = process->dir_ + "/port";
    std::vector<std::string> args = {binary,    "--listen",  "127.0.0.1:0", "--port-file",
                                     port_file, "--tick-ms", "0",           "--no-rate-limit"};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = process->dir_ + "/sim.log";
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc =
        posix_spawn(&process->pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return Fail("cannot start " + binary + ": " + std::generic_category().message(rc));
    for (int i = 0; i < 500; ++i) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        process->port_ = port;
        return process;
      }
      if (waitpid(process->pid_, nullptr, WNOHANG) == process->pid_) {
        process->pid_ = -1;
        return Fail(binary + " exited before listening; see its output above");
      }
      clock.SleepFor(std::chrono::milliseconds(20));
    }
    return Fail(binary + " did not write its port file within 10 s");
  }

  explicit SimProcess(std::string dir) : dir_(std::move(dir)) {}
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // CPU seconds (user + system) the process has used, from /proc/PID/stat.
  double CpuSeconds() const { return ProcessCpuSeconds(pid_); }

  // A "VmRSS:"-style line of /proc/PID/status, in MiB.
  double StatusMiB(const std::string& key) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(key + ":", 0) == 0) return std::atof(line.c_str() + key.size() + 1) / 1024;
    }
    return -1;
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// ApiClient sends TC3-signed API 3.0 calls to the sim over one keep-alive connection, signed
// the way spotform's own client signs a custom endpoint (host with port, service "cvm").
// Not thread-safe: one per thread.
class ApiClient {
 public:
  ApiClient(int port, const Clock& clock)
      : host_("127.0.0.1:" + std::to_string(port)), http_("127.0.0.1", port), clock_(clock) {
    http_.set_keep_alive(true);
    http_.set_tcp_nodelay(true);  // headers and body go out in separate writes
    http_.set_read_timeout(30, 0);
  }

  // The "Response" object of a successful call, or an Error carrying the API's code.
  Result<json> Call(const std::string& action, const json& params) {
    Result<std::string> raw = CallRaw(action, params);
    if (!raw.ok()) return raw.error();
    json parsed = json::parse(*raw, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object() || !parsed.contains("Response")) return Fail(action + ": bad body");
    const json& response = parsed["Response"];
    if (response.contains("Error")) {
      return Error(ErrorKind::kTerminal, response["Error"].value("Message", ""),
                   response["Error"].value("Code", ""), response.value("RequestId", ""));
    }
    return response;
  }

  // The raw body of an HTTP 200 reply (success or API error), without parsing it: the load
  // phase checks it by text so that the client's JSON parsing does not eat the sim's CPU.
  Result<std::string> CallRaw(const std::string& action, const json& params) {
    const std::string body = params.dump();
    Tc3Input input;
    input.signed_headers = {{"content-type", "application/json"}, {"host", host_}};
    input.payload = body;
    input.timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
    input.service = "cvm";
    const Tc3Signature signature = SignTc3(input, kSecretId, kSecretKey);
    httplib::Headers headers = {{"Authorization", signature.authorization},
                                {"X-TC-Action", action},
                                {"X-TC-Version", "2017-03-12"},
                                {"X-TC-Region", kRegion},
                                {"X-TC-Timestamp", std::to_string(input.timestamp)}};
    auto reply = http_.Post("/", headers, body, "application/json");
    if (!reply) return Fail(action + ": transport error " + httplib::to_string(reply.error()));
    if (reply->status != 200) return Fail(action + ": HTTP " + std::to_string(reply->status));
    return std::move(reply->body);
  }

  // POSTs a control API call (/_sim/...); true on HTTP 200.
  bool Control(const std::string& route, const json& body) {
    auto reply = http_.Post("/_sim/" + route, body.dump(), "application/json");
    return reply && reply->status == 200;
  }

 private:
  std::string host_;
  httplib::Client http_;
  const Clock& clock_;
};

double Seconds(Clock::SteadyTime from, Clock::SteadyTime to) {
  return std::chrono::duration<double>(to - from).count();
}

// Latency percentiles in microseconds of `samples` (sorted in place).
struct Percentiles {
  double p50 = 0, p99 = 0;
};
Percentiles Summarize(std::vector<double>& samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) { return samples[static_cast<size_t>(q * (samples.size() - 1))]; };
  return {at(0.50), at(0.99)};
}

// The bench's fleet: instance ids in launch order, and how many instances carry each
// `spotform-env` owner tag (bench-env-0 .. bench-env-<kEnvs - 1>).
struct Fleet {
  std::vector<std::string> ids;
  std::vector<int> per_env = std::vector<int>(kEnvs, 0);
};

std::string EnvName(int env) { return "bench-env-" + std::to_string(env); }

// Launches instances in batches of 100 until the fleet holds `target`; ticks them to RUNNING.
// Every instance carries spotform's owner tags, as spotform launches them: one lineage, and
// batch number modulo kEnvs as the environment.
Status Fill(ApiClient& api, Fleet& fleet, int target) {
  std::vector<std::string>& ids = fleet.ids;
  int token = static_cast<int>(ids.size());
  while (static_cast<int>(ids.size()) < target) {
    const int count = std::min(kBatch, target - static_cast<int>(ids.size()));
    const int env = static_cast<int>(ids.size() / kBatch) % kEnvs;
    json tags = {{{"Key", "spotform-lineage"}, {"Value", kLineage}},
                 {{"Key", "spotform-env"}, {"Value", EnvName(env)}}};
    json request = {{"TagSpecification", {{{"ResourceType", "instance"}, {"Tags", tags}}}},
                    {"InstanceChargeType", "SPOTPAID"},
                    {"InstanceMarketOptions",
                     {{"MarketType", "spot"}, {"SpotOptions", {{"MaxPrice", "1.00"}}}}},
                    {"Placement", {{"Zone", kZone}}},
                    {"InstanceType", kType},
                    {"ImageId", "img-pmqg1cw7"},
                    {"InstanceCount", count},
                    {"ClientToken", "bench-" + std::to_string(token++)}};
    Result<json> out = api.Call("RunInstances", request);
    if (!out.ok()) return out.error().WithContext("RunInstances");
    for (const auto& id : (*out)["InstanceIdSet"]) ids.push_back(id.get<std::string>());
    fleet.per_env[env] += count;
  }
  if (!api.Control("tick", {{"count", 5}})) return Fail("POST /_sim/tick failed");
  return Status::Ok();
}

// Sequential 1-id DescribeInstances of random ids: returns {p50, p99} in microseconds.
Result<Percentiles> OneIdLatency(ApiClient& api, const std::vector<std::string>& ids,
                                 const Clock& clock, int calls) {
  std::mt19937 random(7);
  std::vector<double> samples;
  for (int i = 0; i < calls; ++i) {
    const std::string& id = ids[random() % ids.size()];
    const auto start = clock.SteadyNow();
    Result<json> out = api.Call("DescribeInstances", {{"InstanceIds", {id}}});
    if (!out.ok()) return out.error().WithContext("DescribeInstances");
    if ((*out)["TotalCount"] != 1) return Fail("DescribeInstances: " + id + " not found");
    samples.push_back(Seconds(start, clock.SteadyNow()) * 1e6);
  }
  return Summarize(samples);
}

// Sequential first pages (Limit 100) of the owner-tag search spotform's refresh makes: zone,
// lineage and, when `by_env`, one random environment (1% of the fleet); else the lineage
// alone (the whole fleet). Returns {p50, p99} in microseconds.
Result<Percentiles> TagSearchLatency(ApiClient& api, const Fleet& fleet, const Clock& clock,
                                     int calls, bool by_env) {
  std::mt19937 random(11);
  std::vector<double> samples;
  for (int i = 0; i < calls; ++i) {
    const int env = static_cast<int>(random() % kEnvs);
    json filters = {{{"Name", "zone"}, {"Values", {kZone}}},
                    {{"Name", "tag:spotform-lineage"}, {"Values", {kLineage}}}};
    if (by_env) filters.push_back({{"Name", "tag:spotform-env"}, {"Values", {EnvName(env)}}});
    const auto start = clock.SteadyNow();
    Result<json> out = api.Call("DescribeInstances", {{"Filters", filters}, {"Limit", kBatch}});
    if (!out.ok()) return out.error().WithContext("DescribeInstances by owner tags");
    const size_t expected = by_env ? fleet.per_env[env] : fleet.ids.size();
    if ((*out)["TotalCount"] != expected) {
      return Fail("DescribeInstances by owner tags: TotalCount " + (*out)["TotalCount"].dump() +
                  ", expected " + std::to_string(expected));
    }
    samples.push_back(Seconds(start, clock.SteadyNow()) * 1e6);
  }
  return Summarize(samples);
}

// Describes every id once, 100 per call: the sim renders each instance's DescribeInstances
// text on first use and serves it from its cache until the instance changes, so this pass
// measures the cold cost and leaves the load rows to measure the steady state.
Status DescribeEveryIdOnce(ApiClient& api, const std::vector<std::string>& ids) {
  for (size_t begin = 0; begin < ids.size(); begin += kBatch) {
    const size_t end = std::min(ids.size(), begin + kBatch);
    json wanted = std::vector<std::string>(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                           ids.begin() + static_cast<std::ptrdiff_t>(end));
    Result<json> out = api.Call("DescribeInstances", {{"InstanceIds", wanted}, {"Limit", kBatch}});
    if (!out.ok()) return out.error().WithContext("DescribeInstances");
    if ((*out)["TotalCount"] != end - begin) return Fail("DescribeInstances: ids missing");
  }
  return Status::Ok();
}

struct LoadResult {
  long requests = 0;
  long errors = 0;
  double seconds = 0;
  double sim_cpu_seconds = 0;
  double bench_cpu_seconds = 0;
  Percentiles latency;
};

// `threads` threads of DescribeInstances by 1..max_ids random ids for `seconds`; the sim's
// and this process's CPU time are measured too, since both share the machine.
LoadResult DescribeLoad(const SimProcess& sim, const std::vector<std::string>& ids,
                        const Clock& clock, int threads, int seconds, int max_ids) {
  const int port = sim.port();
  const double sim_cpu_start = sim.CpuSeconds();
  const double bench_cpu_start = ProcessCpuSeconds(getpid());
  std::atomic<long> errors{0};
  std::vector<std::vector<double>> samples(threads);
  const auto start = clock.SteadyNow();
  const auto deadline = start + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ApiClient api(port, clock);
      std::mt19937 random(100 + t);
      while (clock.SteadyNow() < deadline) {
        const size_t count = 1 + random() % max_ids;
        json wanted = json::array();
        for (size_t i = 0; i < count; ++i) wanted.push_back(ids[random() % ids.size()]);
        const auto begin = clock.SteadyNow();
        Result<std::string> out =
            api.CallRaw("DescribeInstances", {{"InstanceIds", wanted}, {"Limit", kBatch}});
        samples[t].push_back(Seconds(begin, clock.SteadyNow()) * 1e6);
        // An error envelope has "Error" right after {"Response":{ and no InstanceSet.
        if (!out.ok() || out->find("\"InstanceSet\":[") == std::string::npos ||
            out->rfind("{\"Response\":{\"Error\"", 0) == 0) {
          ++errors;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  LoadResult result;
  result.seconds = Seconds(start, clock.SteadyNow());
  result.sim_cpu_seconds = sim.CpuSeconds() - sim_cpu_start;
  result.bench_cpu_seconds = ProcessCpuSeconds(getpid()) - bench_cpu_start;
  std::vector<double> all;
  for (auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  result.requests = static_cast<long>(all.size());
  result.errors = errors;
  result.latency = Summarize(all);
  return result;
}

// The first field of /proc/loadavg: other work on the machine skews every figure.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first;
}

Result<Options> ParseArgs(int argc, char** argv) {
  Options options;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  options.sim_path = (self.parent_path() / "../cmd/spotform-sim").lexically_normal().string();
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Fail("missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--sim")
      options.sim_path = value;
    else if (flag == "--instances")
      options.instances = std::max(1000, std::atoi(value.c_str()));
    else if (flag == "--threads")
      options.threads = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--seconds")
      options.seconds = std::max(1, std::atoi(value.c_str()));
    else
      return Fail("unknown flag " + flag + " (use --sim, --instances, --threads, --seconds)");
  }
  return options;
}

int Run(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each table line shows up at once, even piped
  Result<Options> options = ParseArgs(argc, argv);
  if (!options.ok()) {
    std::fprintf(stderr, "sim_bench: %s\n", options.error().message().c_str());
    return 1;
  }
  SystemClock clock;
  auto sim = SimProcess::Start(options->sim_path, clock);
  if (!sim.ok()) {
    std::fprintf(stderr, "sim_bench: %s\n", sim.error().message().c_str());
    return 1;
  }
  const int port = (*sim)->port();
  const int target = options->instances;
  Fleet fleet;
  std::vector<std::string>& ids = fleet.ids;
  ids.reserve(target);
  Percentiles small, large;
  double fill_seconds = 0;
  double kib_per_instance = 0;
  {
    ApiClient api(port, clock);  // closed before the load so it holds no server thread
    if (!api.Control("market", {{"zone", kZone},
                                {"instance_type", kType},
                                {"price", 0.1},
                                {"capacity", target + 1000}})) {
      std::fprintf(stderr, "sim_bench: POST /_sim/market failed\n");
      return 1;
    }
    const double rss_empty = (*sim)->StatusMiB("VmRSS");
    Status filled = Fill(api, fleet, 1000);
    Result<Percentiles> at_small =
        filled.ok() ? OneIdLatency(api, ids, clock, 2000) : Result<Percentiles>(filled.error());
    const auto fill_start = clock.SteadyNow();
    if (at_small.ok()) filled = Fill(api, fleet, target);
    fill_seconds = Seconds(fill_start, clock.SteadyNow());
    Result<Percentiles> at_large = filled.ok() && at_small.ok()
                                       ? OneIdLatency(api, ids, clock, 2000)
                                       : Result<Percentiles>(Fail("fill failed"));
    if (!filled.ok() || !at_small.ok() || !at_large.ok()) {
      const Error& e = !filled.ok()     ? filled.error()
                       : !at_small.ok() ? at_small.error()
                                        : at_large.error();
      std::fprintf(stderr, "sim_bench: %s\n", e.ToString().c_str());
      return 1;
    }
    small = *at_small;
    large = *at_large;
    const double rss_filled = (*sim)->StatusMiB("VmRSS");
    kib_per_instance = (rss_filled - rss_empty) * 1024 / target;
    std::printf("\nspotform-sim (pid %d) with %d live instances\n", (*sim)->pid(), target);
    std::printf("  %-44s %10.1f MiB\n", "RSS before any instance", rss_empty);
    std::printf("  %-44s %10.1f MiB (%.2f KiB per instance)\n", "RSS (VmRSS) after the fill",
                rss_filled, kib_per_instance);
    std::printf("  %-44s %10.1f MiB\n", "peak RSS (VmHWM)", (*sim)->StatusMiB("VmHWM"));
    std::printf("  %-44s %10.1f s (%.0f instances/s)\n", "fill 1,000 -> all (RunInstances x100)",
                fill_seconds, (target - 1000) / fill_seconds);
  }
  std::printf("\n1-id DescribeInstances latency (2,000 sequential calls)\n");
  std::printf("  %-12s %12s %12s\n", "instances", "p50 (us)", "p99 (us)");
  std::printf("  %-12d %12.0f %12.0f\n", 1000, small.p50, small.p99);
  std::printf("  %-12d %12.0f %12.0f\n", target, large.p50, large.p99);
  std::printf("  p50 ratio %.2fx (flat means no scan of every instance)\n",
              large.p50 / std::max(small.p50, 1.0));

  std::printf("\nOwner-tag search, first page of 100 (sequential calls)\n");
  std::printf("  %-44s %10s %10s %8s %15s\n", "filters", "p50 (us)", "p99 (us)", "matches",
              "sim CPU us/call");
  for (bool by_env : {true, false}) {
    ApiClient api(port, clock);
    const int calls = by_env ? 200 : 20;
    const double cpu_start = (*sim)->CpuSeconds();
    Result<Percentiles> tagged = TagSearchLatency(api, fleet, clock, calls, by_env);
    const double cpu_per_call = ((*sim)->CpuSeconds() - cpu_start) * 1e6 / calls;
    if (!tagged.ok()) {
      std::fprintf(stderr, "sim_bench: %s\n", tagged.error().ToString().c_str());
      return 1;
    }
    std::printf(
        "  %-44s %10.0f %10.0f %8s %15.0f\n",
        by_env ? "zone + tag:spotform-lineage + tag:spotform-env" : "zone + tag:spotform-lineage",
        tagged->p50, tagged->p99, by_env ? "1%" : "100%", cpu_per_call);
  }

  {
    ApiClient api(port, clock);
    const auto start = clock.SteadyNow();
    const double cpu_start = (*sim)->CpuSeconds();
    if (Status warm = DescribeEveryIdOnce(api, ids); !warm.ok()) {
      std::fprintf(stderr, "sim_bench: %s\n", warm.error().ToString().c_str());
      return 1;
    }
    const double seconds = Seconds(start, clock.SteadyNow());
    std::printf("\nFirst DescribeInstances of every instance (%d per call, sequential)\n", kBatch);
    std::printf("  %-44s %10.1f s (sim CPU %.1f us per instance)\n",
                "renders each instance's cached text", seconds,
                ((*sim)->CpuSeconds() - cpu_start) * 1e6 / static_cast<double>(ids.size()));
  }

  std::printf("\nDescribeInstances load: %d keep-alive threads, %d s per row\n", options->threads,
              options->seconds);
  std::printf("  %-10s %9s %9s %10s %10s %7s %14s %14s\n", "ids/call", "requests", "req/s",
              "p50 (us)", "p99 (us)", "errors", "sim CPU us/req", "bench CPU us/req");
  double rate_many = 0;
  long load_errors = 0;
  for (int max_ids : {1, kBatch}) {
    const LoadResult load =
        DescribeLoad(**sim, ids, clock, options->threads, options->seconds, max_ids);
    const double rate = load.requests / load.seconds;
    const double per = 1e6 / std::max<long>(load.requests, 1);
    std::printf("  %-10s %9ld %9.0f %10.0f %10.0f %7ld %14.0f %14.0f\n",
                max_ids == 1 ? "1" : "1..100", load.requests, rate, load.latency.p50,
                load.latency.p99, load.errors, load.sim_cpu_seconds * per,
                load.bench_cpu_seconds * per);
    if (max_ids == kBatch) rate_many = rate;
    load_errors += load.errors;
  }
  std::printf("  RSS after the load: %.1f MiB (peak %.1f MiB); load average now: %s\n\n",
              (*sim)->StatusMiB("VmRSS"), (*sim)->StatusMiB("VmHWM"), LoadAverage().c_str());

  bench::BenchReport report("sim_bench");
  report.Add(
      {"describe_rate_1_to_100_ids", rate_many, bench::Bound::kAtLeast, kTargetRate, "req/s", 0});
  report.Add(
      {"describe_load_errors", static_cast<double>(load_errors), bench::Bound::kExactly, 0, "", 0});
  report.Add({"fill_rss_per_instance", kib_per_instance, bench::Bound::kAtMost,
              kTargetKibPerInstance, "KiB", 2});
  report.Add({"id_lookup_p50_vs_1k", large.p50 / std::max(small.p50, 1.0), bench::Bound::kAtMost,
              kTargetLookupRatio, "x", 2});
  return report.ExitCode();
}

}  // namespace
}  // namespace spotform

int main(int argc, char** argv) { return spotform::Run(argc, argv); }
