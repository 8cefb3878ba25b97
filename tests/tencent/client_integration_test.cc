// The assembled client (curl transport, TC3 signing, throttle, retries) against the real
// spotform-sim binary over loopback sockets.
#include <gtest/gtest.h>

#include <thread>

#include "engine/model/clock.h"
#include "providers/tencent/client_factory.h"
#include "providers/tencent/error_table.h"
#include "tests/support/sim_process.h"

namespace spotform {
namespace {

using std::chrono::milliseconds;

// The real clock, with a hook that runs before each sleep (the retry backoff).
class HookedClock final : public Clock {
 public:
  WallTime Now() const override { return real_.Now(); }
  SteadyTime SteadyNow() const override { return real_.SteadyNow(); }
  void SleepFor(std::chrono::nanoseconds duration) override {
    ++sleeps_;
    if (before_sleep_) before_sleep_();
    real_.SleepFor(duration);
  }
  void set_before_sleep(std::function<void()> hook) { before_sleep_ = std::move(hook); }
  int sleeps() const { return sleeps_; }

 private:
  SystemClock real_;
  std::function<void()> before_sleep_;
  std::atomic<int> sleeps_{0};
};

class ClientIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<SimProcess>> sim = SimProcess::Start();
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    options_.endpoint = sim_->endpoint();
    options_.retry.base_delay = milliseconds(20);
    options_.verbose_sink = [this](std::string_view record) {
      std::lock_guard<std::mutex> lock(log_mutex_);
      log_ += std::string(record) + "\n";
    };
  }

  std::unique_ptr<ClientStack> Client(std::string secret_key = kSimSecretKey) {
    Result<std::unique_ptr<ClientStack>> stack =
        ClientStack::Create(options_, Credentials(kSimSecretId, std::move(secret_key)), clock_);
    EXPECT_TRUE(stack.ok()) << stack.error().ToString();
    return stack.ok() ? std::move(stack.value()) : nullptr;
  }

  static ApiRequest Describe() {
    ApiRequest request;
    request.service = "cvm";
    request.action = "DescribeInstances";
    request.region = "ap-guangzhou";
    request.params = {{"Limit", 100}};
    return request;
  }

  static ApiRequest Launch(const std::string& client_token, int count) {
    ApiRequest request;
    request.service = "cvm";
    request.action = "RunInstances";
    request.region = "ap-guangzhou";
    request.params = {
        {"InstanceChargeType", "SPOTPAID"},
        {"InstanceMarketOptions",
         {{"MarketType", "spot"},
          {"SpotOptions", {{"MaxPrice", "0.50"}, {"SpotInstanceType", "one-time"}}}}},
        {"Placement", {{"Zone", "ap-guangzhou-3"}}},
        {"InstanceType", "S5.MEDIUM4"},
        {"ImageId", "img-pmqg1cw7"},
        {"InstanceCount", count},
        {"ClientToken", client_token},
    };
    return request;
  }

  // The actions and error codes the emulator logged, e.g. "DescribeInstances:InternalError".
  std::vector<std::string> LoggedCalls() {
    std::vector<std::string> calls;
    Result<nlohmann::json> requests = sim_->Requests();
    EXPECT_TRUE(requests.ok()) << requests.error().ToString();
    if (!requests.ok()) return calls;
    for (const nlohmann::json& entry : *requests) {
      calls.push_back(
          entry["action"].get<std::string>() + ":" +
          (entry["error"].is_null() ? std::string("ok") : entry["error"].get<std::string>()));
    }
    return calls;
  }

  std::string log() {
    std::lock_guard<std::mutex> lock(log_mutex_);
    return log_;
  }

  HookedClock clock_;
  std::unique_ptr<SimProcess> sim_;
  ClientOptions options_;
  std::mutex log_mutex_;
  std::string log_;
};

TEST_F(ClientIntegrationTest, SignedCallSucceeds) {
  std::unique_ptr<ClientStack> client = Client();
  ASSERT_NE(client, nullptr);
  Result<ApiResponse> reply = client->Call(Describe());
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_FALSE(reply->request_id.empty());
  EXPECT_EQ(reply->body["TotalCount"], 0);
  EXPECT_EQ(LoggedCalls(), (std::vector<std::string>{"DescribeInstances:ok"}));
}

TEST_F(ClientIntegrationTest, WrongSecretKeyIsAClearAuthErrorWithoutTheKey) {
  const std::string wrong_key = "wrong-secret-key-4242";
  std::unique_ptr<ClientStack> client = Client(wrong_key);
  ASSERT_NE(client, nullptr);
  Result<ApiResponse> reply = client->Call(Describe());
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind(), ErrorKind::kAuth);
  EXPECT_EQ(reply.error().code(), "AuthFailure.SignatureFailure");
  EXPECT_FALSE(reply.error().request_id().empty());
  EXPECT_EQ(reply.error().message().rfind("DescribeInstances: ", 0), 0u) << reply.error().message();
  EXPECT_EQ(reply.error().ToString().find(wrong_key), std::string::npos);
  EXPECT_EQ(log().find(wrong_key), std::string::npos);
  EXPECT_EQ(clock_.sleeps(), 0);  // auth failures are not retried
}

TEST_F(ClientIntegrationTest, RidesOutThrottlingAndInternalErrors) {
  ASSERT_TRUE(sim_->InjectFault("DescribeInstances", "RequestLimitExceeded", 2).ok());
  ASSERT_TRUE(sim_->InjectFault("DescribeInstances", "InternalError", 1).ok());
  options_.retry.base_delay = milliseconds(50);  // longer than the 25 ms rate-limit spacing
  options_.jitter = [](std::chrono::nanoseconds ceiling) { return ceiling; };
  std::unique_ptr<ClientStack> client = Client();
  ASSERT_NE(client, nullptr);

  Result<ApiResponse> reply = client->Call(Describe());

  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(LoggedCalls(), (std::vector<std::string>{
                               "DescribeInstances:RequestLimitExceeded",
                               "DescribeInstances:RequestLimitExceeded",
                               "DescribeInstances:InternalError",
                               "DescribeInstances:ok",
                           }));
  EXPECT_EQ(clock_.sleeps(), 3);  // three backoffs, no rate-limit waits
}

TEST_F(ClientIntegrationTest, RidesOutAddedLatencyWithinTheTimeout) {
  ASSERT_TRUE(sim_->SetLatency(milliseconds(300)).ok());
  options_.transport.total_timeout = milliseconds(5000);
  std::unique_ptr<ClientStack> client = Client();
  ASSERT_NE(client, nullptr);
  const auto start = std::chrono::steady_clock::now();
  Result<ApiResponse> reply = client->Call(Describe());
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(300));
  EXPECT_EQ(clock_.sleeps(), 0);
}

TEST_F(ClientIntegrationTest, LostReplyAfterRunInstancesCreatesNoDuplicate) {
  // The first RunInstances reaches the emulator but its reply comes after the client's total
  // timeout. While the client backs off, the latency is lifted and the first call completes;
  // the retry carries the same ClientToken and gets the same instances back.
  ASSERT_TRUE(sim_->SetLatency(milliseconds(1500)).ok());
  options_.transport.total_timeout = milliseconds(300);
  options_.retry.base_delay = milliseconds(100);
  options_.jitter = [](std::chrono::nanoseconds ceiling) { return ceiling; };
  clock_.set_before_sleep([this] {
    ASSERT_TRUE(sim_->SetLatency(milliseconds(0)).ok());
    for (int i = 0; i < 500; ++i) {  // until the timed-out call has created its instances
      Result<nlohmann::json> instances = sim_->Instances();
      ASSERT_TRUE(instances.ok());
      if (instances->size() == 2) return;
      std::this_thread::sleep_for(milliseconds(10));
    }
    FAIL() << "the first RunInstances never completed";
  });
  std::unique_ptr<ClientStack> client = Client();
  ASSERT_NE(client, nullptr);

  Result<ApiResponse> reply = client->Call(Launch("spotform-test-token-1", 2));

  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(clock_.sleeps(), 1);
  Result<nlohmann::json> instances = sim_->Instances();
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances->size(), 2u);
  std::vector<std::string> live_ids;
  for (const nlohmann::json& instance : *instances) live_ids.push_back(instance["InstanceId"]);
  EXPECT_EQ(reply->body["InstanceIdSet"].get<std::vector<std::string>>(), live_ids);
  EXPECT_EQ(LoggedCalls(), (std::vector<std::string>{"RunInstances:ok", "RunInstances:ok"}));
}

TEST_F(ClientIntegrationTest, ConcurrentCallsShareTheClient) {
  std::unique_ptr<ClientStack> client = Client();
  ASSERT_NE(client, nullptr);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) ok += client->Call(Describe()).ok() ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(LoggedCalls().size(), 20u);
}

}  // namespace
}  // namespace spotform
