// SimServer and the spotform-sim executable over real loopback sockets (port 0), with
// cpp-httplib's client: signed API calls and the /_sim/ control API.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "providers/sim/sim_server.h"
#include "tests/sim/sim_request_builder.h"
#include "tests/support/fake_clock.h"

extern char** environ;

namespace spotform::sim {
namespace {

using nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimServerOptions options;
    options.port = 0;
    options.tick_interval = std::chrono::milliseconds(0);
    options.rate_limit = false;
    options.threads = 4;
    Result<std::unique_ptr<SimServer>> server = SimServer::Create(options, model_, clock_);
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(server).value();
    Result<int> port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.error().message();
    port_ = *port;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }

  // A signed API call, as the Node SDK sends it to http://127.0.0.1:PORT (service "127").
  json Call(const std::string& action, const std::string& body) {
    RequestBuilder builder;
    builder.action = action;
    builder.body = body;
    builder.timestamp = RequestBuilder::UnixSeconds(clock_);
    builder.host = "127.0.0.1:" + std::to_string(port_);
    builder.service = "127";
    HttpRequest request = builder.Build();
    httplib::Headers headers;
    for (const auto& [name, value] : request.headers) {
      if (name != "content-type" && name != "host") headers.emplace(name, value);
    }
    auto result = client_->Post("/", headers, body, "application/json");
    EXPECT_TRUE(result) << httplib::to_string(result.error());
    if (!result) return json();
    EXPECT_EQ(result->status, 200);
    return json::parse(result->body).at("Response");
  }

  // A control call; returns {status, parsed body}.
  std::pair<int, json> Control(const std::string& method, const std::string& path,
                               const std::string& body = "") {
    auto result = method == "GET" ? client_->Get(path.c_str())
                                  : client_->Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(result);
    if (!result) return {0, json()};
    return {result->status, json::parse(result->body)};
  }

  FakeClock clock_;
  CloudModel model_{CloudModelOptions{}, clock_};
  std::unique_ptr<SimServer> server_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

TEST_F(ServerTest, ListensOnAFreeLoopbackPortAndAnswersSignedCalls) {
  EXPECT_GT(port_, 0);
  json response = Call("DescribeInstances", R"({"Limit": 10})");
  EXPECT_EQ(response["TotalCount"], 0);
  EXPECT_TRUE(response["RequestId"].is_string());
}

TEST_F(ServerTest, ApiErrorsAreHttp200Envelopes) {
  json response = Call("DescribeInstances", R"({"Placement": {}})");
  EXPECT_EQ(response["Error"]["Code"], "UnknownParameter");
  EXPECT_EQ(response["Error"]["Message"], "The parameter `Placement` is not recognized.");
}

TEST_F(ServerTest, UnsignedApiCallIsRefused) {
  httplib::Headers headers = {
      {"X-TC-Action", "DescribeInstances"},
      {"X-TC-Version", "2017-03-12"},
      {"X-TC-Region", "ap-guangzhou"},
      {"X-TC-Timestamp", std::to_string(RequestBuilder::UnixSeconds(clock_))}};
  auto result = client_->Post("/", headers, "{}", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(json::parse(result->body)["Response"]["Error"]["Code"],
            "AuthFailure.InvalidAuthorization");
}

TEST_F(ServerTest, RequestLogIsServedInOrderAndSinceASequence) {
  Call("DescribeInstances", "{}");
  Call("TerminateInstances", "{}");
  auto [status, log] = Control("GET", "/_sim/requests");
  EXPECT_EQ(status, 200);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["seq"], 1);
  EXPECT_EQ(log[0]["action"], "DescribeInstances");
  EXPECT_EQ(log[0]["error"], nullptr);
  EXPECT_EQ(log[1]["action"], "TerminateInstances");
  EXPECT_EQ(log[1]["error"], "MissingParameter");
  auto [since_status, since] = Control("GET", "/_sim/requests?since=1");
  EXPECT_EQ(since_status, 200);
  ASSERT_EQ(since.size(), 1u);
  EXPECT_EQ(since[0]["seq"], 2);
  EXPECT_EQ(Control("GET", "/_sim/requests?since=x").first, 400);
}

TEST_F(ServerTest, ResetClearsTheLogAndTheFaults) {
  Call("DescribeInstances", "{}");
  EXPECT_EQ(Control("POST", "/_sim/faults",
                    R"({"action": "DescribeInstances", "code": "InternalError", "count": 5})")
                .first,
            200);
  auto [status, body] = Control("POST", "/_sim/reset");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, json({{"ok", true}}));
  EXPECT_EQ(Control("GET", "/_sim/requests").second, json::array());
  EXPECT_FALSE(Call("DescribeInstances", "{}").contains("Error"));
  EXPECT_EQ(Control("GET", "/_sim/requests").second[0]["seq"], 1);
}

TEST_F(ServerTest, FaultsAnswerTheNextCountCalls) {
  EXPECT_EQ(Control("POST", "/_sim/faults",
                    R"({"action": "DescribeInstances", "code": "RequestLimitExceeded",
                        "count": 1})")
                .first,
            200);
  EXPECT_EQ(Call("DescribeInstances", "{}")["Error"]["Code"], "RequestLimitExceeded");
  EXPECT_FALSE(Call("DescribeInstances", "{}").contains("Error"));
}

TEST_F(ServerTest, LatencyFaultIsSetAndCleared) {
  EXPECT_EQ(Control("POST", "/_sim/faults", R"({"latency_ms": 40})").first, 200);
  Call("DescribeInstances", "{}");
  EXPECT_EQ(Control("POST", "/_sim/faults", R"({"latency_ms": 0})").first, 200);
  Call("DescribeInstances", "{}");
  EXPECT_EQ(clock_.sleeps(), std::vector<std::chrono::nanoseconds>{std::chrono::milliseconds(40)});
}

TEST_F(ServerTest, TickAdvancesTheModelManyStepsAtOnce) {
  auto [status, body] = Control("POST", "/_sim/tick", R"({"count": 3})");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, json({{"ok", true}, {"ticks", 3}}));
  EXPECT_EQ(Control("POST", "/_sim/tick").second, json({{"ok", true}, {"ticks", 1}}));
}

TEST_F(ServerTest, InstancesListIsJson) {
  auto [status, body] = Control("GET", "/_sim/instances");
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(body.is_array() || body.is_object()) << body;
}

TEST_F(ServerTest, BadControlInputIsHttp400WithAMessage) {
  const struct {
    std::string path;
    std::string body;
    std::string error;
  } cases[] = {
      {"/_sim/faults", "{nope", "the body must be a JSON object"},
      {"/_sim/faults", R"({"action": "DescribeInstances"})",
       R"(give {"action", "code", "count"} or {"latency_ms"})"},
      {"/_sim/faults", R"({"action": "A", "code": "B", "count": 0})",
       "count must be a positive integer"},
      {"/_sim/faults", R"({"latency_ms": -1})",
       "latency_ms must be an integer between 0 and 600000"},
      {"/_sim/market", R"({"zone": "ap-guangzhou-3"})",
       "zone and instance_type are required strings"},
      {"/_sim/market", R"({"zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4"})",
       "give price, capacity or both"},
      {"/_sim/market",
       R"({"zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4", "capacity": "lots"})",
       "capacity must be a non-negative integer"},
      {"/_sim/market", R"({"zone": "z", "instance_type": "t", "colour": "red"})",
       "unknown field \"colour\""},
      {"/_sim/reclaim", R"({"instance_ids": "ins-1"})",
       "instance_ids must be an array of instance IDs"},
      {"/_sim/tick", R"({"count": 0})", "count must be an integer between 1 and 100000"},
  };
  for (const auto& c : cases) {
    auto [status, body] = Control("POST", c.path, c.body);
    EXPECT_EQ(status, 400) << c.path << " " << c.body;
    EXPECT_EQ(body, json({{"error", c.error}})) << c.path << " " << c.body;
  }
}

TEST_F(ServerTest, UnknownControlPathAndWrongMethod) {
  EXPECT_EQ(Control("GET", "/_sim/nothing").first, 404);
  EXPECT_EQ(Control("POST", "/_sim/requests").first, 405);
  EXPECT_EQ(Control("GET", "/_sim/reset").first, 405);
}

TEST_F(ServerTest, MarketUpdateReachesTheModel) {
  auto [status, body] = Control(
      "POST", "/_sim/market",
      R"({"zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4", "price": 0.2, "capacity": 7})");
  EXPECT_EQ(status, 200) << body;
}

TEST(ServerOptionsTest, RefusesNonLoopbackAddresses) {
  FakeClock clock;
  CloudModel model(CloudModelOptions{}, clock);
  SimServerOptions options;
  options.host = "0.0.0.0";
  Result<std::unique_ptr<SimServer>> server = SimServer::Create(options, model, clock);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().message(),
            "spotform-sim: refusing to listen on 0.0.0.0: only loopback addresses (127.0.0.1, "
            "localhost, ::1) are allowed");
}

TEST(ServerOptionsTest, TwoServersOnPortZeroGetDifferentPorts) {
  FakeClock clock;
  CloudModel model(CloudModelOptions{}, clock);
  SimServerOptions options;
  options.port = 0;
  options.tick_interval = std::chrono::milliseconds(0);
  auto first = SimServer::Create(options, model, clock);
  auto second = SimServer::Create(options, model, clock);
  ASSERT_TRUE(first.ok() && second.ok());
  Result<int> a = (*first)->Start();
  Result<int> b = (*second)->Start();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

// --- the executable -------------------------------------------------------------------

// Runs spotform-sim as a child with stdout/stderr in files; kills it on destruction.
class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args) {
    dir_ = std::filesystem::temp_directory_path() /
           ("spotform-sim-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter_));
    std::filesystem::create_directories(dir_);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, (dir_ / "stdout").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ / "stderr").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    args.insert(args.begin(), SPOTFORM_SIM_BINARY);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, SPOTFORM_SIM_BINARY, &actions, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
  }
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }

  // Waits (bounded, 10 s) for the child to exit; returns its exit code or -1.
  int Wait() {
    for (int i = 0; i < 1000 && pid_ > 0; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // a real child: real time
    }
    return -1;
  }
  void Signal(int signal_number) { kill(pid_, signal_number); }
  std::string Read(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Waits (bounded, 10 s) for `name` to exist with content.
  std::string WaitForFile(const std::string& name) const {
    for (int i = 0; i < 1000; ++i) {
      std::string text = Read(name);
      if (!text.empty()) return text;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return "";
  }
  std::filesystem::path dir() const { return dir_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

TEST(SimExecutableTest, WritesThePortFileServesAndStopsOnSigterm) {
  const std::filesystem::path port_file =
      std::filesystem::temp_directory_path() / ("spotform-sim-port-" + std::to_string(getpid()));
  SimProcess sim({"--listen", "127.0.0.1:0", "--port-file", port_file.string(), "--tick-ms", "0"});
  std::string port_text;
  for (int i = 0; i < 1000 && port_text.empty(); ++i) {
    std::ifstream in(port_file);
    std::getline(in, port_text);
    if (port_text.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(port_text.empty()) << sim.Read("stderr");
  const int port = std::stoi(port_text);
  httplib::Client client("127.0.0.1", port);
  auto result = client.Get("/_sim/requests");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "[]");

  const std::string banner = sim.WaitForFile("stdout");
  EXPECT_NE(banner.find("spotform-sim listening on http://127.0.0.1:" + port_text),
            std::string::npos)
      << banner;
  EXPECT_NE(banner.find("AKIDSPOTFORMSIM000000000000000000000"), std::string::npos);
  EXPECT_NE(banner.find("spotform-sim-secret"), std::string::npos);

  sim.Signal(SIGTERM);
  EXPECT_EQ(sim.Wait(), 0);
  std::filesystem::remove(port_file);
}

TEST(SimExecutableTest, CustomSecretKeyIsNeverPrinted) {
  const std::filesystem::path port_file = std::filesystem::temp_directory_path() /
                                          ("spotform-sim-port-custom-" + std::to_string(getpid()));
  SimProcess sim({"--listen", "127.0.0.1:0", "--port-file", port_file.string(), "--tick-ms", "0",
                  "--secret-id", "AKIDCUSTOM", "--secret-key", "very-private-key"});
  const std::string banner = sim.WaitForFile("stdout");
  EXPECT_NE(banner.find("AKIDCUSTOM"), std::string::npos) << banner;
  EXPECT_EQ(banner.find("very-private-key"), std::string::npos) << banner;
  sim.Signal(SIGINT);
  EXPECT_EQ(sim.Wait(), 0);
  std::filesystem::remove(port_file);
}

TEST(SimExecutableTest, RefusesANonLoopbackListenAddress) {
  SimProcess sim({"--listen", "0.0.0.0:0"});
  EXPECT_EQ(sim.Wait(), 1);
  EXPECT_EQ(sim.Read("stderr"),
            "spotform-sim: refusing to listen on 0.0.0.0: only loopback addresses (127.0.0.1, "
            "localhost, ::1) are allowed\n");
}

TEST(SimExecutableTest, RejectsBadSwitchValues) {
  SimProcess sim({"--scale-in", "sometimes"});
  EXPECT_EQ(sim.Wait(), 1);
  EXPECT_EQ(sim.Read("stderr"), "spotform-sim: --scale-in must be manual or batch-picks\n");
}

TEST(SimExecutableTest, RejectsBadTickCounts) {
  SimProcess create({"--create-ticks", "0"});
  EXPECT_EQ(create.Wait(), 1);
  EXPECT_EQ(create.Read("stderr"), "spotform-sim: --create-ticks must be between 1 and 1000000\n");
  SimProcess busy({"--busy-ticks=-1"});
  EXPECT_EQ(busy.Wait(), 1);
  EXPECT_EQ(busy.Read("stderr"), "spotform-sim: --busy-ticks must be between 0 and 1000000\n");
}

TEST(SimExecutableTest, HelpExitsZero) {
  SimProcess sim({"--help"});
  EXPECT_EQ(sim.Wait(), 0);
  const std::string help = sim.Read("stdout");
  for (const char* flag : {"--no-rate-limit", "--create-ticks", "--busy-ticks",
                           "NotEnoughComputeNodesToTerminate", "ComputeNodeForbidTerminate"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace spotform::sim
