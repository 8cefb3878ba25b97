#include "tests/support/sim_process.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace spotform {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

Error SimError(const std::string& what) {
  return Error(ErrorKind::kInternal, "spotform-sim: " + what);
}

// The port once the child wrote it, 0 while the file is not there yet.
int ReadPort(const std::string& path) {
  std::ifstream in(path);
  int port = 0;
  if (in >> port) return port;
  return 0;
}

}  // namespace

Result<std::unique_ptr<SimProcess>> SimProcess::Start(std::vector<std::string> extra_args) {
  std::string folder = (fs::temp_directory_path() / "spotform-sim-XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr) return SimError("cannot create a temporary folder");
  const std::string port_file = folder + "/port";
  const std::string stdout_file = folder + "/stdout";

  std::vector<std::string> args = {
      SPOTFORM_SIM_BINARY, "--listen", "127.0.0.1:0", "--port-file", port_file, "--tick-ms", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    fs::remove_all(folder);
    return SimError("cannot start " + std::string(SPOTFORM_SIM_BINARY) + ": " +
                    std::strerror(spawned));
  }
  auto sim = std::make_unique<SimProcess>(Key(), pid, folder);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if ((sim->port_ = ReadPort(port_file)) > 0) return sim;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      sim->pid_ = 0;
      return SimError("exited before listening (status " + std::to_string(status) + ")");
    }
    std::this_thread::sleep_for(milliseconds(10));  // a real child process: real time
  }
  return SimError("no port file after 10 s");
}

SimProcess::~SimProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
}

Result<nlohmann::json> SimProcess::Control(const std::string& path, const std::string& body) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(30, 0);
  httplib::Result reply =
      body.empty() ? client.Get(path.c_str()) : client.Post(path.c_str(), body, "application/json");
  if (!reply) {
    return SimError(path + ": " + httplib::to_string(reply.error()));
  }
  if (reply->status != 200) {
    return SimError(path + ": HTTP " + std::to_string(reply->status) + ": " + reply->body);
  }
  nlohmann::json parsed = nlohmann::json::parse(reply->body, nullptr, false);
  if (parsed.is_discarded()) return SimError(path + ": reply is not JSON: " + reply->body);
  return parsed;
}

namespace {
Status ToStatus(const Result<nlohmann::json>& result) {
  if (!result.ok()) return result.error();
  return Status::Ok();
}
}  // namespace

Status SimProcess::InjectFault(const std::string& action, const std::string& code, int count) {
  return ToStatus(Control(
      "/_sim/faults", nlohmann::json{{"action", action}, {"code", code}, {"count", count}}.dump()));
}

Status SimProcess::SetLatency(milliseconds latency) {
  return ToStatus(Control("/_sim/faults", nlohmann::json{{"latency_ms", latency.count()}}.dump()));
}

Status SimProcess::SetMarket(const std::string& zone, const std::string& instance_type,
                             double price, int capacity) {
  return ToStatus(Control("/_sim/market", nlohmann::json{{"zone", zone},
                                                         {"instance_type", instance_type},
                                                         {"price", price},
                                                         {"capacity", capacity}}
                                              .dump()));
}

Status SimProcess::Reclaim(const std::vector<std::string>& instance_ids) {
  return ToStatus(Control("/_sim/reclaim", nlohmann::json{{"instance_ids", instance_ids}}.dump()));
}

Status SimProcess::Tick(int count) {
  return ToStatus(Control("/_sim/tick", nlohmann::json{{"count", count}}.dump()));
}

Status SimProcess::Reset() { return ToStatus(Control("/_sim/reset", "{}")); }

Result<nlohmann::json> SimProcess::Requests() { return Control("/_sim/requests"); }

Result<nlohmann::json> SimProcess::Instances() { return Control("/_sim/instances"); }

}  // namespace spotform
