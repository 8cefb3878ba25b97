// plan_bench: issue 4's benchmark of the declarative core at scale. 1,000 cvm environments
// with 100 recorded spot instances each (100,000 in all) are launched in a spotform-sim child
// process through spotform's own client, recorded in an SQLite state, then a few hundred are
// reclaimed and some desired counts, shapes and names changed, and the `spotform plan` path
// is timed: state Load, Refresh, MakePlan, RenderPlanText + RenderPlanJson. Targets (issue 4),
// reported one line each through bench/bench_report.h:
//   refresh API calls  <= ceil(instances / 100) + environments + owner-tag search pages
//   MakePlan + rendering (no API time) <= 1 s
//   peak RSS of this process <= 500 MB (it includes the setup, so it is an upper bound)
//   "gone" drift = the reclaimed instances, exactly
// Exit status 0 when every target is met, 3 when one is missed, 1 when the setup or the plan
// path fails, 2 on bad flags.
//
//   plan_bench [SIM_BINARY] [--environments N] [--per-env N] [--reclaim N] [--unthrottled]
//
// SIM_BINARY defaults to cmd/spotform-sim of the build folder holding this program. The
// refresh runs through the production client stack (its published rate limits, e.g.
// DescribeInstances 40/s) unless --unthrottled lifts them as the setup does.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/bench_report.h"
#include "bench/plan_bench_support.h"
#include "engine/config/config.h"
#include "engine/config/config_digest.h"
#include "engine/model/clock.h"
#include "engine/model/state_edit.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/plan_render_text.h"
#include "engine/plan/planner.h"
#include "engine/plan/refresh.h"
#include "providers/sim/sim_server.h"
#include "providers/tencent/client_factory.h"
#include "providers/tencent/parallel_calls.h"
#include "providers/tencent/tencent_cloud.h"
#include "state/sqlite_state_store.h"

namespace spotform {
namespace {

namespace fs = std::filesystem;
using bench::SecondsSince;
using bench::SimChild;
using bench::TempFolder;
using nlohmann::json;

constexpr char kRegion[] = "ap-guangzhou";
// Environments take these zones in turn; each zone's S5.MEDIUM4 offer is raised to fit.
constexpr const char* kZones[] = {"ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6",
                                  "ap-guangzhou-7"};
constexpr int kZoneCount = 4;
constexpr char kType[] = "S5.MEDIUM4";
constexpr char kImage[] = "img-pmqg1cw7";
constexpr char kBid[] = "0.50";
constexpr double kSpotPrice = 0.09;
constexpr int kTicksToSettle = 3;  // > the sim's pending_ticks and terminating_ticks (2)
constexpr size_t kLaunchThreads = 4;
constexpr double kPlanRenderTargetSeconds = 1.0;
constexpr double kRssTargetMb = 500.0;
constexpr double kDescribeRate = 40.0;  // published DescribeInstances limit, for the floor

struct BenchFlags {
  std::string sim_binary;
  int environments = 1000;
  int per_env = 100;
  int reclaim = 300;
  bool unthrottled = false;
};

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux reports kilobytes
}

// --- The fleet and the config --------------------------------------------------------------

std::string EnvName(int index) {
  char name[32];
  std::snprintf(name, sizeof(name), "svc-%04d", index);
  return name;
}

std::string PoolId(int index) {
  char id[32];
  std::snprintf(id, sizeof(id), "p-%08x", static_cast<unsigned>(index));
  return id;
}

// Environment `index` as recorded: zones in turn, the same type, image and bid everywhere.
EnvironmentSpec RecordedSpec(int index, int per_env) {
  EnvironmentSpec spec;
  spec.name = EnvName(index);
  spec.mode = Mode::kCvm;
  spec.SetPlacement(kZones[index % kZoneCount], kType);
  spec.image_id = kImage;
  spec.max_price = kBid;
  spec.desired_count = per_env;
  spec.tags = {{"team", "bench"}};
  return spec;
}

// The config the plan is made against. Relative to the recorded state: every 10th environment
// (index % 10 == 1) scales up by 20%, every 10th (index % 10 == 2) scales down by 20%, every
// 100th (index % 100 == 3) moves zone (a replacement), the last 5 are removed and 5 new ones
// added. Reclaimed instances are replaced wherever they were.
Config DesiredConfig(int environments, int per_env, const std::string& state_path) {
  Config config;
  config.file = "plan_bench.yaml";
  config.provider.region = kRegion;
  config.state.path = state_path;
  const int removed = std::min(5, environments);
  for (int i = 0; i < environments - removed; ++i) {
    EnvironmentSpec spec = RecordedSpec(i, per_env);
    if (i % 10 == 1) spec.desired_count = per_env + per_env / 5;
    if (i % 10 == 2) spec.desired_count = per_env - per_env / 5;
    if (i % 100 == 3) spec.zones = {kZones[(i + 1) % kZoneCount]};
    config.environments[spec.name] = spec;
  }
  for (int i = environments; i < environments + removed; ++i) {
    config.environments[EnvName(i)] = RecordedSpec(i, per_env);
  }
  config.digest = ConfigDigest(config, "state.db");
  return config;
}

// Launches `per_env` instances for every environment (one RunInstances of at most 100 per
// call, several environments at once) with spotform's owner tags, and returns one pool per
// environment with the instances recorded as PENDING.
Result<std::vector<Pool>> LaunchFleet(Cloud& cloud, const BenchFlags& flags,
                                      const std::string& lineage, const Clock& clock) {
  std::function<Result<Pool>(size_t)> launch = [&](size_t index) -> Result<Pool> {
    const int i = static_cast<int>(index);
    Pool pool;
    pool.id = PoolId(i);
    pool.spec = RecordedSpec(i, flags.per_env);
    pool.expected_count = flags.per_env;
    for (int batch = 0; static_cast<int>(pool.instances.size()) < flags.per_env; ++batch) {
      LaunchSpec spec;
      spec.zone = pool.spec.zone();
      spec.instance_type = kType;
      spec.image_id = kImage;
      spec.max_price = kBid;
      spec.count =
          std::min(kMaxLaunchCount, flags.per_env - static_cast<int>(pool.instances.size()));
      spec.tags = pool.spec.tags;
      spec.tags[kOwnerLineageTag] = lineage;
      spec.tags[kOwnerEnvironmentTag] = pool.spec.name;
      spec.tags[kOwnerPoolTag] = pool.id;
      spec.client_token = "plan-bench-" + pool.id + "-" + std::to_string(batch);
      Result<std::vector<std::string>> ids = cloud.LaunchSpotInstances(spec);
      if (!ids.ok()) return ids.error();
      for (const std::string& id : *ids) {
        RecordedInstance instance;
        instance.id = id;
        instance.zone = spec.zone;
        instance.instance_type = kType;
        instance.state = "PENDING";
        instance.launch_time = clock.Now();
        instance.client_token = spec.client_token;
        pool.instances.push_back(std::move(instance));
      }
    }
    return pool;
  };
  return ParallelMap<Pool>(static_cast<size_t>(flags.environments), kLaunchThreads, launch);
}

// Reclaims `count` instances spread over the environments: the last instance of the first
// environments, then the one before it, and so on. Returns their ids.
std::vector<std::string> PickReclaimed(const std::vector<Pool>& pools, int count) {
  std::vector<std::string> ids;
  const int envs = static_cast<int>(pools.size());
  for (int k = 0; k < count && envs > 0; ++k) {
    const Pool& pool = pools[k % envs];
    const int from_end = k / envs;
    if (from_end >= static_cast<int>(pool.instances.size())) break;
    ids.push_back(pool.instances[pool.instances.size() - 1 - from_end].id);
  }
  return ids;
}

// --- Setup: a recorded fleet in the emulator and in the state ------------------------------

// Raises capacity, launches and records the fleet, reclaims some of it. Returns the reclaimed
// ids. Client-side rate limits are lifted for the fill (the emulator runs without its own).
Result<std::vector<std::string>> Setup(SimChild& sim, SqliteStateStore& store,
                                       const BenchFlags& flags, Clock& clock) {
  const int per_zone = (flags.environments + kZoneCount - 1) / kZoneCount * flags.per_env;
  for (const char* zone : kZones) {
    Result<json> market = sim.Control("/_sim/market", json{{"zone", zone},
                                                           {"instance_type", kType},
                                                           {"price", kSpotPrice},
                                                           {"capacity", per_zone * 2}});
    if (!market.ok()) return market.error();
  }

  // The environments first: the state's first write makes the lineage the owner tag needs.
  StateEdit environments;
  for (int i = 0; i < flags.environments; ++i) {
    environments.Add(StateEdit::PutEnvironment{RecordedSpec(i, flags.per_env)});
  }
  if (Result<ApplyOutcome> applied = store.Apply(environments); !applied.ok()) {
    return applied.error();
  }
  Result<StateSnapshot> fresh = store.Load();
  if (!fresh.ok()) return fresh.error();

  ClientOptions options;
  options.endpoint = sim.endpoint();
  options.throttle.rate_overrides = {{"RunInstances", 1e6}, {"DescribeInstances", 1e6}};
  Result<std::unique_ptr<ClientStack>> stack = ClientStack::Create(
      options, Credentials(sim::kDefaultSecretId, sim::kDefaultSecretKey), clock);
  if (!stack.ok()) return stack.error();
  TencentCloud cloud(**stack, TencentCloudOptions{kRegion, 8});

  const Clock::SteadyTime start = clock.SteadyNow();
  Result<std::vector<Pool>> pools = LaunchFleet(cloud, flags, fresh->lineage, clock);
  if (!pools.ok()) return pools.error();
  if (Status ticked = sim.Tick(kTicksToSettle); !ticked.ok()) return ticked.error();
  const std::vector<std::string> reclaimed = PickReclaimed(*pools, flags.reclaim);
  StateEdit record;
  for (size_t i = 0; i < pools->size(); ++i) {
    Pool& pool = (*pools)[i];
    for (RecordedInstance& instance : pool.instances) instance.state = "RUNNING";
    record.Add(StateEdit::PutPool{pool.spec.name, std::move(pool)});
  }
  const double launch_seconds = SecondsSince(clock, start);
  const Clock::SteadyTime write_start = clock.SteadyNow();
  if (Result<ApplyOutcome> applied = store.Apply(record); !applied.ok()) return applied.error();
  std::printf(
      "setup: launched %d instances in %d environments in %.1f s; state written in %.2f s\n",
      flags.environments * flags.per_env, flags.environments, launch_seconds,
      SecondsSince(clock, write_start));

  if (!reclaimed.empty()) {
    Result<json> reply = sim.Control("/_sim/reclaim", json{{"instance_ids", reclaimed}});
    if (!reply.ok()) return reply.error();
    if (Status ticked = sim.Tick(kTicksToSettle); !ticked.ok()) return ticked.error();
  }
  return reclaimed;
}

// --- Measurement ---------------------------------------------------------------------------

// What the `spotform plan` path cost.
struct Measurements {
  double load_seconds = 0;
  double refresh_seconds = 0;
  double refresh_cpu_seconds = 0;  // of this process: signing, curl, JSON, refresh's own work
  double plan_seconds = 0;
  double text_seconds = 0;
  double json_seconds = 0;
  double rss_after_load_mb = 0;  // peak RSS so far, read after each step
  double rss_after_refresh_mb = 0;
  double peak_rss_mb = 0;
  size_t text_bytes = 0;
  size_t json_bytes = 0;
  int environments = 0;
  int recorded = 0;  // instances in the loaded state
  int gone = 0;      // "gone" drift entries
  size_t drift = 0;  // drift entries of every kind
  std::string summary;
};

// First and last arrival (the emulator's time_ms) of a group of calls.
struct Span {
  int64_t first_ms = -1;
  int64_t last_ms = -1;
  void Add(int64_t ms) {
    if (first_ms < 0 || ms < first_ms) first_ms = ms;
    last_ms = std::max(last_ms, ms);
  }
  double Seconds() const { return first_ms < 0 ? 0 : (last_ms - first_ms) / 1000.0; }
};

// The API calls the emulator logged after a sequence number.
struct CallCounts {
  std::map<std::string, int> by_action;
  int total = 0;
  int by_id = 0;      // DescribeInstances with InstanceIds
  int tag_pages = 0;  // DescribeInstances with Filters (the owner-tag search)
  int failed = 0;     // answered with an error (and retried by the client)
  Span by_id_span;
  Span tag_span;
};

// The `spotform plan` path as the CLI runs it, timed step by step: a fresh store and Load,
// a client stack and Refresh, MakePlan, then both renderings.
Result<Measurements> MeasurePlanPath(SimChild& sim, const std::string& state_path,
                                     const Config& config, const BenchFlags& flags, Clock& clock) {
  Measurements m;
  Clock::SteadyTime start = clock.SteadyNow();
  Result<std::unique_ptr<SqliteStateStore>> store = OpenSqliteStateStore(state_path, clock);
  if (!store.ok()) return store.error();
  Result<StateSnapshot> state = (*store)->Load();
  if (!state.ok()) return state.error().WithContext("load");
  m.load_seconds = SecondsSince(clock, start);
  m.rss_after_load_mb = PeakRssMb();

  ClientOptions options;
  options.endpoint = sim.endpoint();
  if (flags.unthrottled) options.throttle.rate_overrides = {{"DescribeInstances", 1e6}};
  Result<std::unique_ptr<ClientStack>> stack = ClientStack::Create(
      options, Credentials(sim::kDefaultSecretId, sim::kDefaultSecretKey), clock);
  if (!stack.ok()) return stack.error();
  TencentCloud cloud(**stack, TencentCloudOptions{kRegion, 8});
  const double cpu_before = CpuSeconds();
  start = clock.SteadyNow();
  Result<RefreshResult> refreshed = Refresh(cloud, *state);
  m.refresh_seconds = SecondsSince(clock, start);
  m.refresh_cpu_seconds = CpuSeconds() - cpu_before;
  m.rss_after_refresh_mb = PeakRssMb();
  if (!refreshed.ok()) return refreshed.error();

  start = clock.SteadyNow();
  const Plan plan = MakePlan(config, refreshed->refreshed, PlanOptions{});
  m.plan_seconds = SecondsSince(clock, start);
  start = clock.SteadyNow();
  m.text_bytes = RenderPlanText(plan, RenderOptions{}).size();
  m.text_seconds = SecondsSince(clock, start);
  start = clock.SteadyNow();
  m.json_bytes = RenderPlanJson(plan).size();
  m.json_seconds = SecondsSince(clock, start);
  m.peak_rss_mb = PeakRssMb();

  m.environments = static_cast<int>(state->environments.size());
  for (const auto& [name, env] : state->environments) {
    for (const Pool& pool : env.pools) m.recorded += static_cast<int>(pool.instances.size());
  }
  for (const Drift& drift : refreshed->drift) m.gone += drift.kind == "gone" ? 1 : 0;
  m.drift = refreshed->drift.size();
  m.summary = SummaryLine(plan.Summary());
  return m;
}

Result<CallCounts> CountCalls(SimChild& sim, int64_t since) {
  Result<json> log = sim.Control("/_sim/requests?since=" + std::to_string(since));
  if (!log.ok()) return log.error();
  CallCounts counts;
  for (const json& entry : *log) {
    const std::string action = entry.value("action", "");
    ++counts.by_action[action];
    ++counts.total;
    if (entry.contains("error") && !entry["error"].is_null()) ++counts.failed;
    if (action != "DescribeInstances" || !entry["params"].is_object()) continue;
    const int64_t arrival = entry.value("time_ms", int64_t{0});
    if (entry["params"].contains("InstanceIds")) {
      ++counts.by_id;
      counts.by_id_span.Add(arrival);
    }
    if (entry["params"].contains("Filters")) {
      ++counts.tag_pages;
      counts.tag_span.Add(arrival);
    }
  }
  return counts;
}

std::string Format(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

// One line of the result table (the figures with a target follow it, in the report format).
void Row(const std::string& what, const std::string& value, const std::string& note = "") {
  std::printf("  %-40s %14s  %s\n", what.c_str(), value.c_str(), note.c_str());
}

// Prints the table, then each figure against its target; returns the exit status.
int Report(const Measurements& m, const CallCounts& calls, size_t reclaimed, double setup_rss,
           bool unthrottled) {
  const int id_calls = (m.recorded + 99) / 100;
  // The owner-tag search pages through every live instance carrying the lineage tag.
  const int tag_pages = std::max(1, (m.recorded - static_cast<int>(reclaimed) + 99) / 100);
  const int bound = id_calls + m.environments + tag_pages;
  const double plan_render = m.plan_seconds + m.text_seconds + m.json_seconds;

  std::printf(
      "\nplan_bench: %d environments, %d recorded cvm instances, %zu reclaimed; "
      "refresh %s\n",
      m.environments, m.recorded, reclaimed,
      unthrottled ? "unthrottled" : "with the production rate limits");
  Row("state Load", Format("%.3f s", m.load_seconds));
  Row("Refresh wall time", Format("%.2f s", m.refresh_seconds),
      Format("floor %.1f s at 40/s", calls.total / kDescribeRate));
  Row("Refresh CPU (this process)", Format("%.2f s", m.refresh_cpu_seconds));
  for (const auto& [action, count] : calls.by_action)
    Row("calls: " + action, std::to_string(count));
  Row("  DescribeInstances by id", std::to_string(calls.by_id),
      "at most " + std::to_string(id_calls));
  Row("  owner-tag search pages", std::to_string(calls.tag_pages),
      "~ " + std::to_string(tag_pages));
  Row("  by-id calls: first to last arrival", Format("%.2f s", calls.by_id_span.Seconds()),
      Format("floor %.1f s at 40/s", calls.by_id / kDescribeRate));
  Row("  tag pages: first to last arrival", Format("%.2f s", calls.tag_span.Seconds()),
      Format("floor %.1f s at 40/s", calls.tag_pages / kDescribeRate));
  Row("  answered with an error", std::to_string(calls.failed));
  Row("Refresh API calls", std::to_string(calls.total),
      "bound " + std::to_string(id_calls) + " by id + " + std::to_string(m.environments) +
          " environments + " + std::to_string(tag_pages) + " tag pages = " + std::to_string(bound));
  Row("drift: gone", std::to_string(m.gone), std::to_string(reclaimed) + " reclaimed");
  Row("drift: all kinds", std::to_string(m.drift));
  Row("MakePlan", Format("%.3f s", m.plan_seconds));
  Row("RenderPlanText", Format("%.3f s", m.text_seconds), Format("%.1f MB", m.text_bytes / 1e6));
  Row("RenderPlanJson", Format("%.3f s", m.json_seconds), Format("%.1f MB", m.json_bytes / 1e6));
  Row("plan + render", Format("%.3f s", plan_render));
  Row("peak RSS after setup", Format("%.0f MB", setup_rss));
  Row("peak RSS after Load", Format("%.0f MB", m.rss_after_load_mb));
  Row("peak RSS after Refresh", Format("%.0f MB", m.rss_after_refresh_mb));
  Row("peak RSS (whole run)", Format("%.0f MB", m.peak_rss_mb));
  std::printf("  %s\n\n", m.summary.c_str());

  bench::BenchReport report("plan_bench");
  report.Add({"refresh_calls", static_cast<double>(calls.total), bench::Bound::kAtMost,
              static_cast<double>(bound), "calls", 0});
  report.Add({"drift_gone", static_cast<double>(m.gone), bench::Bound::kExactly,
              static_cast<double>(reclaimed), "instances", 0});
  report.Add(
      {"plan_render_time", plan_render, bench::Bound::kAtMost, kPlanRenderTargetSeconds, "s", 3});
  report.Add({"peak_rss", m.peak_rss_mb, bench::Bound::kAtMost, kRssTargetMb, "MB", 0});
  return report.ExitCode();
}

int Fail(const std::string& stage, const Error& error) {
  std::fprintf(stderr, "plan_bench: %s: %s\n", stage.c_str(), error.ToString().c_str());
  return 1;
}

int Run(const BenchFlags& flags) {
  SystemClock clock;
  Result<std::unique_ptr<TempFolder>> folder = TempFolder::Create();
  if (!folder.ok()) return Fail("start", folder.error());
  Result<std::unique_ptr<SimChild>> sim =
      SimChild::Start(flags.sim_binary, (*folder)->path(), clock);
  if (!sim.ok()) return Fail("start", sim.error());
  const std::string state_path = (*folder)->path() + "/state.db";

  std::vector<std::string> reclaimed;
  {
    Result<std::unique_ptr<SqliteStateStore>> store = OpenSqliteStateStore(state_path, clock);
    if (!store.ok()) return Fail("setup", store.error());
    Result<std::vector<std::string>> setup = Setup(**sim, **store, flags, clock);
    if (!setup.ok()) return Fail("setup", setup.error());
    reclaimed = std::move(*setup);
  }
  const Config config = DesiredConfig(flags.environments, flags.per_env, state_path);
  const double setup_rss = PeakRssMb();
  Result<int64_t> seq_before = (*sim)->LastSeq();
  if (!seq_before.ok()) return Fail("request log", seq_before.error());

  Result<Measurements> measured = MeasurePlanPath(**sim, state_path, config, flags, clock);
  if (!measured.ok()) return Fail("plan", measured.error());
  Result<CallCounts> calls = CountCalls(**sim, *seq_before);
  if (!calls.ok()) return Fail("request log", calls.error());
  return Report(*measured, *calls, reclaimed.size(), setup_rss, flags.unthrottled);
}

// spotform-sim beside this program's build folder: <build>/bench/plan_bench ->
// <build>/cmd/spotform-sim.
std::string DefaultSimBinary() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return "build/cmd/spotform-sim";
  return (self.parent_path().parent_path() / "cmd" / "spotform-sim").string();
}

bool ParseFlags(int argc, char** argv, BenchFlags& flags) {
  flags.sim_binary = DefaultSimBinary();
  int i = 1;
  if (i < argc && std::string(argv[i]).rfind("--", 0) != 0) flags.sim_binary = argv[i++];
  for (; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--unthrottled") {
      flags.unthrottled = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    char* end = nullptr;
    const long value = std::strtol(argv[++i], &end, 10);
    if (*end != '\0' || value < 0 || value > 1000000) return false;
    if (flag == "--environments") {
      flags.environments = static_cast<int>(value);
    } else if (flag == "--per-env") {
      flags.per_env = static_cast<int>(value);
    } else if (flag == "--reclaim") {
      flags.reclaim = static_cast<int>(value);
    } else {
      return false;
    }
  }
  return flags.environments > 0 && flags.per_env > 0;
}

}  // namespace
}  // namespace spotform

int main(int argc, char** argv) {
  spotform::BenchFlags flags;
  if (!spotform::ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: plan_bench [SIM_BINARY] [--environments N] [--per-env N] "
                 "[--reclaim N] [--unthrottled]\n");
    return 2;
  }
  return spotform::Run(flags);
}
