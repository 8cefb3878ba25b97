// Concurrent runs against one state (issue 16, item 4): four processes share one config (four
// cvm environments) and one state, SQLite file or PostgreSQL workspace, each running 25 real
// `spotform` commands one after another, drawn from a fixed-seed PRNG: targeted applies and
// destroys, refreshes, `watch --once`, `state list` and `state show`. What it proves:
//   - every command either succeeds or is refused by a lock whose message names its holder,
//     USER@HOST (pid N) of a command of another of the four processes; nothing else goes
//     wrong (a `state show` of an environment that is not recorded at that moment may say so);
//   - no state is corrupted and no lock is left behind (SQLite: integrity_check says ok);
//   - afterwards one plain apply converges, the next plan has no changes, and the emulator's
//     live instances are exactly those the state records, the configured count for each
//     environment: no duplicate, no orphan.
// Applies of disjoint environments run at once (locks per environment); on PostgreSQL a
// refusal met while another run takes or lets go of its lock still names that run.
// The seeds are printed with every failure; SPOTFORM_CONCURRENCY_SEED=N replays the same
// commands (the interleaving is up to the machine).
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/postgres_e2e_support.h"

namespace spotform::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr int kProcesses = 4;
constexpr int kOpsPerProcess = 25;
constexpr auto kStopStartingAfter = seconds(90);  // no new operation after this
constexpr auto kMustFinishWithin = seconds(150);  // the run fails (and is killed) after this
constexpr uint32_t kDefaultBaseSeed = 20260616;

// The environments and their counts: small, on one offer with ample stock.
const std::map<std::string, int>& Counts() {
  static const std::map<std::string, int> kCounts = {{"a", 1}, {"b", 2}, {"c", 1}, {"d", 2}};
  return kCounts;
}

// Seed of process 0; process i uses base + i. SPOTFORM_CONCURRENCY_SEED replays a run.
uint32_t BaseSeed() {
  const char* text = std::getenv("SPOTFORM_CONCURRENCY_SEED");
  return text != nullptr && *text != '\0' ? static_cast<uint32_t>(std::stoul(text))
                                          : kDefaultBaseSeed;
}

// The user a lock taken by a spotform this test starts names (cmd/ computes it so).
std::string ThisUser() {
  const char* user = std::getenv("USER");
  if (user != nullptr && *user != '\0') return user;
  const passwd* entry = getpwuid(getuid());  // called before the processes' threads start
  return entry != nullptr && entry->pw_name != nullptr ? entry->pw_name
                                                       : "uid " + std::to_string(getuid());
}

// The host such a lock names.
std::string ThisHost() {
  char host[256] = {};
  return gethostname(host, sizeof(host) - 1) == 0 ? host : "unknown";
}

// One operation a process runs: its kind (for the counts) and its arguments.
struct Op {
  std::string kind;
  std::vector<std::string> args;
};

// One finished run of an operation.
struct OpRun {
  int process = 0;
  int index = 0;
  Op op;
  pid_t pid = -1;
  CliResult result;
};

// How an operation ended, by the rules of this test.
enum class Outcome {
  kSucceeded,
  kRefusedByLock,  // the refusal names its holders, runs of the other processes
  kNotInState,     // state show of an environment not recorded at that moment
  kFailed,
};

// A lock holder as a refusal names it.
struct Holder {
  std::string user;
  std::string host;
  pid_t pid;
};

// The holders `text` names: "held by USER@HOST (pid N)" (the store's refusal, one or several
// holders joined by "; and ") and "is locked by OPERATION (USER@HOST, pid N, ..." (the line
// watch logs when a round finds the lock held).
std::vector<Holder> HoldersNamedIn(const std::string& text) {
  static const std::regex kHeldBy(R"(held by (\S+)@(\S+) \(pid (\d+)\))");
  static const std::regex kWatchLog(R"((?:is|are) locked by \S+ \((\S+)@([^,\s]+), pid (\d+),)");
  std::vector<Holder> holders;
  for (const std::regex* pattern : {&kHeldBy, &kWatchLog}) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), *pattern);
         it != std::sregex_iterator(); ++it) {
      holders.push_back(
          Holder{(*it)[1].str(), (*it)[2].str(), static_cast<pid_t>(std::stol((*it)[3].str()))});
    }
  }
  return holders;
}

// Judges each finished run, knowing all of them: which process started each pid, and the user
// and host that a lock taken by any of them names.
class Referee {
 public:
  explicit Referee(const std::vector<OpRun>& runs) : user_(ThisUser()), host_(ThisHost()) {
    for (const OpRun& run : runs) processes_of_pid_[run.pid].insert(run.process);
  }

  // The outcome of `run`; for kFailed, `why` tells what was wrong when the exit code does not.
  Outcome Judge(const OpRun& run, std::string& why) const {
    const CliResult& result = run.result;
    if (result.exit_code == 0) return Outcome::kSucceeded;
    if (result.exit_code == 127 && result.out.empty() && result.err.empty()) {
      why = "spotform could not be started (exec failed; was it being rebuilt?)";
      return Outcome::kFailed;
    }
    if (result.exit_code != 1) return Outcome::kFailed;
    if (run.op.kind == "state show" && Contains(result.err, " is not in the state")) {
      return Outcome::kNotInState;  // destroyed by another process, or not applied yet
    }
    std::string text = result.out + result.err;
    if (!Contains(text, "is locked") && !Contains(text, "are locked") &&
        !Contains(text, "is still locked")) {
      return Outcome::kFailed;
    }
    const std::vector<Holder> holders = HoldersNamedIn(text);
    if (holders.empty()) {
      why = "the refusal names no holder";
      return Outcome::kFailed;
    }
    for (const Holder& holder : holders) {
      if (holder.user != user_ || holder.host != host_ || !IsRunOfAnotherProcess(holder.pid, run)) {
        why = "the holder " + holder.user + "@" + holder.host + " (pid " +
              std::to_string(holder.pid) + ") is not a run of another of the four processes";
        return Outcome::kFailed;
      }
    }
    return Outcome::kRefusedByLock;
  }

 private:
  bool IsRunOfAnotherProcess(pid_t pid, const OpRun& run) const {
    auto it = processes_of_pid_.find(pid);
    if (it == processes_of_pid_.end()) return false;
    return it->second.size() > 1 || it->second.count(run.process) == 0;  // (a reused pid)
  }

  std::string user_;
  std::string host_;
  std::map<pid_t, std::set<int>> processes_of_pid_;
};

// Draws one process's operations from its seed.
std::vector<Op> DrawOps(uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> names;
  for (const auto& [name, count] : Counts()) names.push_back(name);
  auto env = [&] { return "env." + names[std::uniform_int_distribution<size_t>(0, 3)(rng)]; };
  const std::vector<std::string> wait_flags = {"--poll-interval", "50ms", "--timeout", "60s"};
  std::vector<Op> ops;
  for (int i = 0; i < kOpsPerProcess; ++i) {
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
    Op op;
    if (roll < 25) {
      op = {"apply", {"apply", "--auto-approve", "--target", env()}};
    } else if (roll < 35) {
      std::string first = env();
      std::string second = env();
      while (second == first) second = env();
      op = {"apply", {"apply", "--auto-approve", "--target", first, "--target", second}};
    } else if (roll < 50) {
      op = {"destroy", {"destroy", "--auto-approve", "--target", env()}};
    } else if (roll < 58) {
      op = {"refresh", {"refresh"}};
    } else if (roll < 63) {
      op = {"refresh --target", {"refresh", "--target", env()}};
    } else if (roll < 75) {
      op = {"watch", {"watch", "--once"}};
    } else if (roll < 87) {
      op = {"state list", {"state", "list"}};
    } else {
      op = {"state show", {"state", "show", env()}};
    }
    if (op.kind == "apply" || op.kind == "destroy" || op.kind == "watch") {
      op.args.insert(op.args.end(), wait_flags.begin(), wait_flags.end());
    }
    op.args.insert(op.args.begin(), "--no-color");
    ops.push_back(std::move(op));
  }
  return ops;
}

std::string Join(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

// The first line of `text` holding `part` ("" when none).
std::string LineWith(const std::string& text, const std::string& part) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (Contains(line, part)) return line;
  }
  return "";
}

class ConcurrencyE2E : public PostgresFixture, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      PostgresFixture::SetUp();  // a fresh workspace of the test cluster (missing: a failure)
    } else {
      ApplyFixture::SetUp();
    }
    if (HasFatalFailure()) return;
    env_ = SimCredentials();
    std::string state_section;
    if (GetParam() == Backend::kPostgres) {
      env_["SPOTFORM_PG_URL"] = url_;
      state_section = "state:\n  backend: postgres\n  workspace: " + workspace_ + "\n";
    }
    std::string environments;
    for (const auto& [name, count] : Counts()) {
      environments += EnvYaml(name, "cvm", "ap-guangzhou-3", count);
    }
    dir_.Write("spotform.yaml", ConfigYaml(sim_->endpoint(), environments, state_section));
    ASSERT_TRUE(sim_->SetMarket("ap-guangzhou-3", "S5.MEDIUM4", 0.09, 1000).ok());
  }

  // Runs spotform to completion in the project folder, with the backend's environment.
  CliResult RunCli(std::vector<std::string> args) {
    args.insert(args.begin(), "--no-color");
    return RunSpotform(args, dir_.path(), env_);
  }

  // The project's state store, through a connection of its own.
  std::unique_ptr<StateStore> OpenStore() {
    if (GetParam() == Backend::kPostgres) return Store();
    auto store = OpenSqliteStateStore(StatePath(), clock_);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::string StatePath() const { return dir_.path() + "/.spotform/state.db"; }

  // Runs the four processes to the end (or kills them at kMustFinishWithin); returns every
  // run in the order they finished; `done_ops[i]` is how many operations process i ran.
  std::vector<OpRun> RunProcesses(const std::vector<std::vector<Op>>& plans,
                                  std::vector<int>& done_ops) {
    std::mutex mutex;
    std::vector<OpRun> runs;
    std::atomic<bool> stop{false};
    std::vector<std::atomic<pid_t>> running(kProcesses);
    std::atomic<int> finished{0};
    done_ops.assign(kProcesses, 0);
    const auto start = steady_clock::now();
    {
      std::vector<std::jthread> processes;
      for (int p = 0; p < kProcesses; ++p) {
        processes.emplace_back([&, p] {
          for (int i = 0; i < kOpsPerProcess; ++i) {
            if (stop || steady_clock::now() - start > kStopStartingAfter) break;
            TempDir io;
            const std::string out = io.path() + "/stdout";
            const std::string err = io.path() + "/stderr";
            const pid_t pid = StartProgram(SPOTFORM_BINARY, plans[p][i].args, dir_.path(), env_,
                                           "/dev/null", out, err);
            running[p] = pid;
            CliResult result = WaitForProgram(pid, out, err);
            running[p] = -1;
            std::lock_guard<std::mutex> hold(mutex);
            runs.push_back(OpRun{p, i, plans[p][i], pid, std::move(result)});
            done_ops[p] = i + 1;
          }
          ++finished;
        });
      }
      while (finished < kProcesses && steady_clock::now() - start < kMustFinishWithin) {
        std::this_thread::sleep_for(milliseconds(50));
      }
      if (finished < kProcesses) {
        ADD_FAILURE() << "the processes did not finish within "
                      << std::chrono::duration_cast<seconds>(kMustFinishWithin).count()
                      << " s; killing the runs in flight";
        stop = true;
        for (std::atomic<pid_t>& pid : running) {
          if (pid > 0) kill(pid, SIGKILL);
        }
      }
    }  // joins
    return runs;
  }

  // Ids of the instances the state records (every state but GONE), by environment; a failure
  // for an id recorded twice.
  std::map<std::string, std::set<std::string>> RecordedIds(const StateSnapshot& state) {
    std::map<std::string, std::set<std::string>> ids;
    for (const auto& [name, environment] : state.environments) {
      for (const Pool& pool : environment.pools) {
        for (const RecordedInstance& instance : pool.instances) {
          if (instance.state == "GONE") continue;
          EXPECT_TRUE(ids[name].insert(instance.id).second) << "recorded twice: " << instance.id;
        }
      }
    }
    return ids;
  }

  std::map<std::string, std::string> env_;
};

TEST_P(ConcurrencyE2E, FourProcessesTwentyFiveRandomOpsEachLeaveOneConsistentState) {
  const uint32_t base_seed = BaseSeed();
  std::vector<uint32_t> seeds;
  std::vector<std::vector<Op>> plans;
  for (int p = 0; p < kProcesses; ++p) {
    seeds.push_back(base_seed + static_cast<uint32_t>(p));
    plans.push_back(DrawOps(seeds.back()));
  }
  auto seed_of = [&](int p) {
    return "process " + std::to_string(p) + " (seed " + std::to_string(seeds[p]) +
           "; replay with SPOTFORM_CONCURRENCY_SEED=" + std::to_string(base_seed) + ")";
  };

  const auto started = steady_clock::now();
  std::vector<int> done_ops;
  const std::vector<OpRun> runs = RunProcesses(plans, done_ops);
  const double wall_s =
      std::chrono::duration_cast<milliseconds>(steady_clock::now() - started).count() / 1000.0;
  for (int p = 0; p < kProcesses; ++p) {
    EXPECT_EQ(done_ops[p], kOpsPerProcess) << seed_of(p) << " did not run all its operations";
  }

  // (1) Every operation succeeded, or was refused by a lock naming a run of another process.
  const Referee referee(runs);
  std::map<std::string, std::map<Outcome, int>> counts;
  std::map<std::string, std::string> example_refusal;  // by kind, for the report
  constexpr int kFailuresShown = 10;                   // with their output; then a count
  int failures = 0;
  for (const OpRun& run : runs) {
    std::string why;
    const Outcome outcome = referee.Judge(run, why);
    ++counts[run.op.kind][outcome];
    if (outcome == Outcome::kRefusedByLock && example_refusal.count(run.op.kind) == 0) {
      example_refusal[run.op.kind] = LineWith(run.result.out + run.result.err, "locked");
    }
    if (outcome == Outcome::kFailed && ++failures <= kFailuresShown) {
      ADD_FAILURE() << seed_of(run.process) << ", operation " << run.index << " (pid " << run.pid
                    << "): spotform " << Join(run.op.args) << "\nexit " << run.result.exit_code
                    << (why.empty() ? "" : "; " + why) << "\n--- stdout\n"
                    << run.result.out << "--- stderr\n"
                    << run.result.err;
    }
  }
  if (failures > kFailuresShown) {
    ADD_FAILURE() << "and " << failures - kFailuresShown << " more operations failed";
  }

  int refusals = 0;
  std::ostringstream report;
  report << "[ concurrency ] " << (GetParam() == Backend::kSqlite ? "sqlite" : "postgres") << ": "
         << runs.size() << " operations in " << wall_s << " s (seeds " << seeds.front() << ".."
         << seeds.back() << ")\n";
  for (const auto& entry : counts) {
    const std::string& kind = entry.first;
    const auto& by_outcome = entry.second;  // (a structured binding cannot be captured here)
    auto count = [&](Outcome outcome) {
      auto it = by_outcome.find(outcome);
      return it == by_outcome.end() ? 0 : it->second;
    };
    refusals += count(Outcome::kRefusedByLock);
    report << "[ concurrency ]   " << kind << ": " << count(Outcome::kSucceeded) << " succeeded, "
           << count(Outcome::kRefusedByLock) << " refused by a lock"
           << (kind == "state show"
                   ? ", " + std::to_string(count(Outcome::kNotInState)) + " not in the state"
                   : "")
           << (count(Outcome::kFailed) > 0
                   ? ", " + std::to_string(count(Outcome::kFailed)) + " FAILED"
                   : "")
           << "\n";
    if (example_refusal.count(kind) > 0) {
      report << "[ concurrency ]     e.g. " << example_refusal[kind] << "\n";
    }
  }
  report << "[ concurrency ]   lock refusals in all: " << refusals << "\n";
  std::cout << report.str() << std::flush;
  EXPECT_GT(counts["apply"][Outcome::kSucceeded], 0) << report.str();
  EXPECT_GT(counts["destroy"][Outcome::kSucceeded], 0) << report.str();

  // (2) No corrupt state and no lock left behind.
  CliResult list = RunCli({"state", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.out << list.err;
  if (GetParam() == Backend::kSqlite) {
    EXPECT_EQ(SqliteIntegrityCheck(StatePath()), "ok");
  }
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Result<std::optional<LockInfo>> lock = store->CurrentLock();
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();
  EXPECT_FALSE(lock->has_value()) << "a lock was left behind: " << (*lock)->id << " of pid "
                                  << (*lock)->pid << " for " << (*lock)->operation;

  // (3) One plain apply converges; the next plan has nothing to do; cloud and state agree.
  CliResult apply =
      RunCli({"apply", "--auto-approve", "--poll-interval", "50ms", "--timeout", "60s"});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  CliResult plan = RunCli({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_TRUE(Contains(plan.out, "No changes.")) << plan.out;

  Result<StateSnapshot> state = store->Load();
  ASSERT_TRUE(state.ok()) << state.error().ToString();
  EXPECT_TRUE(state->open_intents.empty()) << "an intent was left open";
  const std::map<std::string, std::set<std::string>> recorded = RecordedIds(*state);
  std::set<std::string> all_recorded;
  for (const auto& [name, count] : Counts()) {
    const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, name);
    auto it = recorded.find(name);
    const std::set<std::string> ids = it == recorded.end() ? std::set<std::string>() : it->second;
    EXPECT_EQ(ids, live) << "env." << name << ": recorded vs live in the emulator";
    EXPECT_EQ(live.size(), static_cast<size_t>(count)) << "env." << name;
    all_recorded.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(recorded.size(), Counts().size()) << "only the configured environments are recorded";
  std::set<std::string> all_live;
  for (const nlohmann::json& instance : LiveInstances(*sim_)) {
    all_live.insert(instance["InstanceId"].get<std::string>());
  }
  EXPECT_EQ(all_live, all_recorded) << "every live instance in the emulator is recorded";
  std::cout << "[ concurrency ] " << (GetParam() == Backend::kSqlite ? "sqlite" : "postgres")
            << ": the run took " << wall_s << " s; the whole test "
            << std::chrono::duration_cast<milliseconds>(steady_clock::now() - started).count() /
                   1000.0
            << " s\n";
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcurrencyE2E,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace spotform::e2e
