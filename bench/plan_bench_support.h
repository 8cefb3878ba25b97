#pragma once

// Helpers of bench/plan_bench.cc: a temporary folder and a spotform-sim child process.
// Header-only because bench/CMakeLists.txt builds each *_bench.cc as its own program.

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/result.h"

extern char** environ;

namespace spotform::bench {

inline double SecondsSince(const Clock& clock, Clock::SteadyTime start) {
  return std::chrono::duration<double>(clock.SteadyNow() - start).count();
}

// TempFolder owns a fresh temporary folder and removes it, with everything in it, when it goes.
class TempFolder {
 public:
  static Result<std::unique_ptr<TempFolder>> Create() {
    std::string path =
        (std::filesystem::temp_directory_path() / "spotform-plan-bench-XXXXXX").string();
    if (mkdtemp(path.data()) == nullptr) {
      return Error(ErrorKind::kInternal, "cannot create a temporary folder");
    }
    return std::make_unique<TempFolder>(path);
  }
  explicit TempFolder(std::string path) : path_(std::move(path)) {}
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// SimChild runs spotform-sim as a child process (`--listen 127.0.0.1:0 --port-file F
// --tick-ms 0 --no-rate-limit`, output to a log file in `folder`) and speaks its unsigned
// /_sim/ control API. It owns the child: the destructor stops it (SIGTERM, then SIGKILL after
// 5 s). Borrows the clock, which must outlive it.
class SimChild {
 public:
  static Result<std::unique_ptr<SimChild>> Start(const std::string& binary,
                                                 const std::string& folder, Clock& clock) {
    const std::string port_file = folder + "/port";
    const std::string log_file = folder + "/sim.log";
    std::vector<std::string> args = {binary,    "--listen",  "127.0.0.1:0", "--port-file",
                                     port_file, "--tick-ms", "0",           "--no-rate-limit"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      return Error(ErrorKind::kInternal,
                   "cannot start " + binary + ": " + std::generic_category().message(spawned));
    }
    auto child = std::make_unique<SimChild>(pid, clock);
    const Clock::SteadyTime start = clock.SteadyNow();
    while (SecondsSince(clock, start) < 10) {
      std::ifstream in(port_file);
      if (in >> child->port_ && child->port_ > 0) return child;
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        child->pid_ = 0;
        return Error(ErrorKind::kInternal, binary + " exited before listening; see " + log_file);
      }
      clock.SleepFor(std::chrono::milliseconds(10));
    }
    return Error(ErrorKind::kInternal, binary + " wrote no port file within 10 s");
  }

  SimChild(pid_t pid, Clock& clock) : pid_(pid), clock_(clock) {}
  ~SimChild() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const Clock::SteadyTime start = clock_.SteadyNow();
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (SecondsSince(clock_, start) > 5) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      clock_.SleepFor(std::chrono::milliseconds(5));
    }
  }
  SimChild(const SimChild&) = delete;
  SimChild& operator=(const SimChild&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // A control call: POST `body` as JSON, or GET when `body` is null. The parsed answer, or an
  // Error naming the path and the emulator's reply.
  Result<nlohmann::json> Control(const std::string& path, const nlohmann::json& body = nullptr) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(120, 0);
    httplib::Result reply =
        body.is_null() ? client.Get(path) : client.Post(path, body.dump(), "application/json");
    if (!reply) return Error(ErrorKind::kInternal, path + ": " + httplib::to_string(reply.error()));
    if (reply->status != 200) {
      return Error(ErrorKind::kInternal,
                   path + ": HTTP " + std::to_string(reply->status) + ": " + reply->body);
    }
    nlohmann::json parsed = nlohmann::json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return Error(ErrorKind::kInternal, path + ": reply is not JSON");
    return parsed;
  }

  Status Tick(int count) {
    Result<nlohmann::json> reply = Control("/_sim/tick", nlohmann::json{{"count", count}});
    return reply.ok() ? Status::Ok() : Status(reply.error());
  }

  // The sequence number of the newest logged API call (0 when none).
  Result<int64_t> LastSeq() {
    Result<nlohmann::json> log = Control("/_sim/requests");
    if (!log.ok()) return log.error();
    return log->empty() ? int64_t{0} : log->back().value("seq", int64_t{0});
  }

 private:
  pid_t pid_;
  Clock& clock_;
  int port_ = 0;
};

}  // namespace spotform::bench
