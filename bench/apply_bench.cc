// apply_bench: spotform apply scaling a cvm environment 0 -> N (default 1,000) instances and
// back to 0 against spotform-sim with its rate limits on and 50 ms of latency on every call.
// Prints the calls made per action and each phase's wall time next to the bound the published
// rate limits set for the calls it needs, then reports (bench/bench_report.h) the targets:
// RunInstances and TerminateInstances calls <= ceil(N / 100) (10 for 1,000 instances) and each
// phase within 1.5x of its bound.
// Then placement over fallback candidates (spec §3): an environment of 4 zones whose stock
// (2,500 / 2,000 / 3,500 / 3,000) is below what is asked of each, scaled 0 -> P (default
// 10,000): RunInstances calls <= ceil(P / 100) + one refusal per exhausted candidate, no
// candidate over its stock, exactly P running, and the wall time within 1.3x of the
// rate-limit bound. The plan's one RunInstances DryRun launches nothing and is counted apart.
// Exit status 0 when every target is met, 3 when one is missed, 1 when the setup or an apply
// fails or a flag is wrong.
//   apply_bench --sim build/cmd/spotform-sim --spotform build/cmd/spotform [--count N]
//               [--placement-count P] [--latency-ms MS] [--tick-ms MS]
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_report.h"

extern char** environ;

namespace {

using nlohmann::json;
using Seconds = std::chrono::duration<double>;

constexpr double kTargetRatio = 1.5;
constexpr double kPlacementTargetRatio = 1.3;

// The placement phase's candidates: zone and stock of S5.MEDIUM4 (sum 11,000).
struct PlacementStock {
  const char* zone;
  int stock;
};
constexpr PlacementStock kPlacementStock[] = {{"ap-guangzhou-3", 2500},
                                              {"ap-guangzhou-4", 2000},
                                              {"ap-guangzhou-6", 3500},
                                              {"ap-guangzhou-7", 3000}};
constexpr int kPlacementCandidates = static_cast<int>(std::size(kPlacementStock));

// Published per-action limits (reference/tencentcloud-api.md §1.6), requests per second:
// 10 for RunInstances and TerminateInstances, 40 for DescribeInstances.
double RateLimit(const std::string& action) { return action == "DescribeInstances" ? 40 : 10; }

pid_t Spawn(const std::vector<std::string>& args, const std::string& cwd, const std::string& output,
            const std::vector<std::string>& extra_env) {
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) environment.push_back(*e);
  environment.insert(environment.end(), extra_env.begin(), extra_env.end());
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (std::string& arg : copy) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || chdir(cwd.c_str()) != 0) _exit(127);
    dup2(out, 1);
    dup2(out, 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int WaitFor(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Phase {
  std::string name;
  int count = 0;
  Seconds wall{0};
  std::map<std::string, int> calls;
  std::map<std::string, int> errors;
};

// What the rate limits alone force for a phase: the minimum calls it needs, each action
// paced at its published limit, plus one latency per round of calls made one after the
// other, plus the emulator's time for a launch to run:
//   refresh   ceil(recorded / 100) DescribeInstances (the instances already in state)
//   act       ceil(instances / 100) RunInstances or TerminateInstances
//   confirm   ceil(instances / 100) DescribeInstances (running, or gone)
double RateLimitBound(const std::string& action, int instances, int recorded, double latency_s,
                      double running_s) {
  const double describe_rate = RateLimit("DescribeInstances");
  auto paced = [latency_s](int calls, double rate) {
    return calls == 0 ? 0.0 : (calls - 1) / rate + latency_s;
  };
  const int batches = (instances + 99) / 100;
  return paced((recorded + 99) / 100, describe_rate) + paced(batches, RateLimit(action)) +
         paced(batches, describe_rate) + running_s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string sim_path = "build/cmd/spotform-sim";
  std::string spotform_path = "build/cmd/spotform";
  int count = 1000;
  int placement_count = 10000;
  int latency_ms = 50;
  int tick_ms = 50;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << "apply_bench [--sim PATH] [--spotform PATH] [--count N] "
                   "[--placement-count P] [--latency-ms MS] [--tick-ms MS]\n";
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "apply_bench: " << flag << " needs a value\n";
      return 1;
    }
    const std::string value = argv[++i];
    try {
      if (flag == "--sim") {
        sim_path = value;
      } else if (flag == "--spotform") {
        spotform_path = value;
      } else if (flag == "--count") {
        count = std::stoi(value);
      } else if (flag == "--placement-count") {
        placement_count = std::stoi(value);
      } else if (flag == "--latency-ms") {
        latency_ms = std::stoi(value);
      } else if (flag == "--tick-ms") {
        tick_ms = std::stoi(value);
      } else {
        std::cerr << "apply_bench: unknown flag " << flag << "\n";
        return 1;
      }
    } catch (const std::exception&) {
      std::cerr << "apply_bench: " << flag << ": not a number: " << value << "\n";
      return 1;
    }
  }
  sim_path = std::filesystem::absolute(sim_path).string();
  spotform_path = std::filesystem::absolute(spotform_path).string();

  char pattern[] = "/tmp/spotform-apply-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    std::cerr << "apply_bench: cannot create a temporary folder\n";
    return 1;
  }
  const std::string dir = pattern;
  const pid_t sim = Spawn({sim_path, "--listen", "127.0.0.1:0", "--port-file", dir + "/port",
                           "--tick-ms", std::to_string(tick_ms)},
                          dir, dir + "/sim.log", {});
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string text = Slurp(dir + "/port");
    if (!text.empty()) port = std::stoi(text);
  }
  if (port == 0) {
    std::cerr << "apply_bench: spotform-sim did not start:\n" << Slurp(dir + "/sim.log");
    kill(sim, SIGTERM);
    return 1;
  }
  httplib::Client control("127.0.0.1", port);
  control.set_read_timeout(60, 0);
  control.Post("/_sim/faults", json{{"latency_ms", latency_ms}}.dump(), "application/json");

  const std::vector<std::string> credentials = {
      "TENCENTCLOUD_SECRET_ID=AKIDSPOTFORMSIM000000000000000000000",
      "TENCENTCLOUD_SECRET_KEY=spotform-sim-secret"};
  std::vector<Phase> phases(3);
  phases[0].name = "scale 0 -> " + std::to_string(count);
  phases[0].count = count;
  phases[1].name = "scale " + std::to_string(count) + " -> 0";
  phases[2].name = "placement 0 -> " + std::to_string(placement_count) + " over " +
                   std::to_string(kPlacementCandidates) + " candidates";
  phases[2].count = placement_count;
  std::map<std::string, int> placed;  // placement phase: live instances per zone
  size_t seen = 0;
  int status = 0;
  for (Phase& phase : phases) {
    const bool placement = &phase == &phases[2];
    std::ofstream config(dir + "/spotform.yaml");
    config << "provider:\n  region: ap-guangzhou\n  endpoint: http://127.0.0.1:" << port
           << "\nenvironments:\n  fleet:\n    mode: cvm\n";
    if (placement) {
      config << "    zones: [";
      for (int i = 0; i < kPlacementCandidates; ++i) {
        config << (i == 0 ? "" : ", ") << kPlacementStock[i].zone;
        control.Post("/_sim/market",
                     json{{"zone", kPlacementStock[i].zone},
                          {"instance_type", "S5.MEDIUM4"},
                          {"price", 0.09},
                          {"capacity", kPlacementStock[i].stock}}
                         .dump(),
                     "application/json");
      }
      config << "]\n";
    } else {
      config << "    zone: ap-guangzhou-6\n";
    }
    config << "    instance_type: S5.MEDIUM4\n    image_id: img-pmqg1cw7\n"
           << "    max_price: \"0.60\"\n    desired_count: " << phase.count << "\n";
    config.close();
    const auto start = std::chrono::steady_clock::now();
    const pid_t apply =
        Spawn({spotform_path, "--no-color", "apply", "--auto-approve", "--poll-interval", "200ms"},
              dir, dir + "/apply.log", credentials);
    status = WaitFor(apply);
    phase.wall = std::chrono::steady_clock::now() - start;
    if (status != 0) {
      std::cerr << "apply_bench: " << phase.name << " failed (exit " << status << "):\n"
                << Slurp(dir + "/apply.log");
      break;
    }
    auto requests = control.Get("/_sim/requests");
    if (!requests || requests->status != 200) {
      std::cerr << "apply_bench: GET /_sim/requests failed after " << phase.name << "\n";
      status = 1;
      break;
    }
    const json log = json::parse(requests->body);
    for (size_t i = seen; i < log.size(); ++i) {
      std::string action = log[i]["action"].get<std::string>();
      if (log[i]["params"].is_object() && log[i]["params"].value("DryRun", false)) {
        action += " (DryRun)";
      }
      ++phase.calls[action];
      if (!log[i]["error"].is_null()) ++phase.errors[action];
    }
    seen = log.size();
    if (placement) {
      auto instances = control.Get("/_sim/instances");
      if (!instances || instances->status != 200) {
        std::cerr << "apply_bench: GET /_sim/instances failed\n";
        status = 1;
        break;
      }
      for (const json& instance : json::parse(instances->body)) {
        if (instance.value("InstanceState", "") == "RUNNING") {
          ++placed[instance["Placement"]["Zone"].get<std::string>()];
        }
      }
    }
  }
  kill(sim, SIGTERM);
  WaitFor(sim);
  std::filesystem::remove_all(dir);
  if (status != 0) return 1;

  const double latency_s = latency_ms / 1000.0;
  const double running_s = 5 * tick_ms / 1000.0;  // PENDING -> RUNNING takes a few ticks
  std::printf("apply_bench: %d instances, %d ms latency per call, rate limits on\n\n", count,
              latency_ms);
  std::vector<double> ratios;
  for (const Phase& phase : phases) {
    const bool up = phase.count > 0;
    const int instances = &phase == &phases[2] ? placement_count : count;
    // The placement phase may also make one refused call per exhausted candidate.
    const double refusals =
        &phase == &phases[2] ? static_cast<double>(kPlacementCandidates - 1) / 10 : 0;
    const double bound = RateLimitBound(up ? "RunInstances" : "TerminateInstances", instances,
                                        up ? 0 : count, latency_s, up ? running_s : 0) +
                         refusals;
    ratios.push_back(phase.wall.count() / bound);
    std::printf("%s: wall %.2f s, rate-limit bound %.2f s\n", phase.name.c_str(),
                phase.wall.count(), bound);
    for (const auto& [action, calls] : phase.calls) {
      const auto errors = phase.errors.find(action);
      std::printf("  %-28s %5d calls%s\n", action.c_str(), calls,
                  errors == phase.errors.end()
                      ? ""
                      : (" (" + std::to_string(errors->second) + " refused)").c_str());
    }
  }
  std::printf("\n");
  using spotform::bench::Bound;
  const int batches = (count + 99) / 100;
  spotform::bench::BenchReport report("apply_bench");
  report.Add({"run_instances_calls", static_cast<double>(phases[0].calls["RunInstances"]),
              Bound::kAtMost, static_cast<double>(batches), "calls", 0});
  report.Add({"terminate_instances_calls",
              static_cast<double>(phases[1].calls["TerminateInstances"]), Bound::kAtMost,
              static_cast<double>(batches), "calls", 0});
  report.Add({"scale_up_vs_bound", ratios[0], Bound::kAtMost, kTargetRatio, "x", 2});
  report.Add({"scale_down_vs_bound", ratios[1], Bound::kAtMost, kTargetRatio, "x", 2});
  int over_stock = 0, running = 0;
  for (const auto& [zone, stock] : kPlacementStock) {
    running += placed[zone];
    over_stock += std::max(0, placed[zone] - stock);
  }
  std::printf("placement: running per zone:");
  for (const auto& [zone, n] : placed) std::printf(" %s %d", zone.c_str(), n);
  std::printf("\n\n");
  int exhausted = 0;  // candidates filled to their stock: each may cost one refused call
  for (const auto& [zone, stock] : kPlacementStock) exhausted += placed[zone] >= stock ? 1 : 0;
  const int placement_batches = (placement_count + 99) / 100;
  report.Add({"placement_run_instances_calls", static_cast<double>(phases[2].calls["RunInstances"]),
              Bound::kAtMost, static_cast<double>(placement_batches + exhausted), "calls", 0});
  report.Add({"placement_running", static_cast<double>(running), Bound::kExactly,
              static_cast<double>(placement_count), "instances", 0});
  report.Add(
      {"placement_over_stock", static_cast<double>(over_stock), Bound::kAtMost, 0, "instances", 0});
  report.Add({"placement_vs_bound", ratios[2], Bound::kAtMost, kPlacementTargetRatio, "x", 2});
  return report.ExitCode();
}
