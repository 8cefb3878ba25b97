// Certificates are verified (spec §4): against a local HTTPS server whose self-signed
// certificate matches its name but is trusted by nobody, the real client stack and the real
// spotform binary refuse to talk, say why, and never send a request. Plain http is refused
// for hosts that are not loopback before any connection is made.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <thread>

#include "engine/model/clock.h"
#include "providers/tencent/client_factory.h"
#include "providers/tencent/curl_transport.h"
#include "providers/tencent/error_table.h"
#include "tests/support/cli_runner.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_config.h"
#include "tests/support/tls_test_server.h"

namespace spotform {
namespace {

constexpr char kSecretMarker[] = "tls-test-body-must-never-leave";

std::string TlsRefusalConfig(const std::string& endpoint) {
  return testing::ConfigYaml(endpoint, testing::EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
}

// Ticks the emulator in the background so launched instances start running.
std::jthread Ticker(SimProcess& sim) {
  return std::jthread([&sim](std::stop_token stop) {
    while (!stop.stop_requested()) {
      (void)sim.Tick(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

const std::map<std::string, std::string> kCredentials = {
    {"TENCENTCLOUD_SECRET_ID", kSimSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSimSecretKey}};

class TlsRefusal : public ::testing::Test {
 protected:
  void SetUp() override {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    auto server = TlsTestServer::Start();
    ASSERT_TRUE(server.ok()) << server.error().ToString();
    server_ = std::move(server.value());
  }
  void TearDown() override { curl_global_cleanup(); }

  std::unique_ptr<TlsTestServer> server_;
};

TEST_F(TlsRefusal, TransportRefusesAnUntrustedCertificateWithoutSendingTheRequest) {
  CurlTransport transport;
  Result<HttpResponse> reply = transport.Post(
      HttpRequest{server_->url(), {{"Content-Type", "application/json"}}, kSecretMarker});
  ASSERT_FALSE(reply.ok()) << "status " << reply->status;
  EXPECT_EQ(reply.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(reply.error().code(), kCodeTls);
  EXPECT_EQ(reply.error().message(),
            "POST " + server_->url() +
                ": TLS certificate not accepted (SSL certificate problem: self-signed "
                "certificate): the server could not prove it is 127.0.0.1; nothing was sent");
  EXPECT_FALSE(IsRetryable(reply.error())) << "a bad certificate does not get better by retrying";
  EXPECT_EQ(server_->requests_received(), 0);
}

TEST_F(TlsRefusal, ClientStackFailsTheCallOnceAndNeverReachesTheServer) {
  SystemClock clock;
  ClientOptions options;
  options.endpoint = server_->url();
  auto client = ClientStack::Create(options, Credentials(kSimSecretId, kSimSecretKey), clock);
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  ApiRequest request{.service = "cvm",
                     .action = "DescribeInstances",
                     .region = "ap-guangzhou",
                     .params = {{"Limit", 100}}};
  Result<ApiResponse> reply = (*client)->Call(request);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code(), kCodeTls);
  EXPECT_NE(reply.error().message().find("TLS certificate not accepted"), std::string::npos)
      << reply.error().message();
  EXPECT_EQ(server_->requests_received(), 0);
}

TEST_F(TlsRefusal, PlanAgainstAnUntrustedEndpointExitsWithACertificateError) {
  // A state with one environment, so that plan has to refresh from the cloud.
  auto sim = SimProcess::Start({"--no-rate-limit"});
  ASSERT_TRUE(sim.ok()) << sim.error().ToString();
  std::jthread ticker = Ticker(**sim);
  TempDir dir;
  dir.Write("spotform.yaml", TlsRefusalConfig((*sim)->endpoint()));
  CliResult applied = RunSpotform({"apply", "--auto-approve"}, dir.path(), kCredentials);
  ASSERT_EQ(applied.exit_code, 0) << applied.err;

  dir.Write("spotform.yaml",
            TlsRefusalConfig("https://127.0.0.1:" + std::to_string(server_->port())));
  const std::string state_before = dir.Read(".spotform/state.db");
  CliResult planned = RunSpotform({"--no-color", "plan"}, dir.path(), kCredentials);
  EXPECT_EQ(planned.exit_code, 1);
  EXPECT_EQ(planned.out, "");
  EXPECT_NE(planned.err.find("spotform: ClientNetworkError.Tls: refresh: "), std::string::npos)
      << planned.err;
  EXPECT_NE(planned.err.find("POST https://127.0.0.1:" + std::to_string(server_->port()) +
                             "/: TLS certificate not accepted (SSL certificate problem: "
                             "self-signed certificate): the server could not prove it is "
                             "127.0.0.1; nothing was sent"),
            std::string::npos)
      << planned.err;
  EXPECT_EQ(server_->requests_received(), 0);
  EXPECT_EQ(dir.Read(".spotform/state.db"), state_before);
}

TEST_F(TlsRefusal, PlainHttpToAHostThatIsNotLoopbackIsRefusedBeforeAnyConnection) {
  // The unit-level rule is tested in endpoint_test.cc and curl_transport_test.cc; here the
  // whole CLI: a state to refresh, then an endpoint on a private address over plain http.
  auto sim = SimProcess::Start({"--no-rate-limit"});
  ASSERT_TRUE(sim.ok()) << sim.error().ToString();
  std::jthread ticker = Ticker(**sim);
  TempDir dir;
  dir.Write("spotform.yaml", TlsRefusalConfig((*sim)->endpoint()));
  ASSERT_EQ(RunSpotform({"apply", "--auto-approve"}, dir.path(), kCredentials).exit_code, 0);

  const std::string state_before = dir.Read(".spotform/state.db");
  for (const std::string host : {"10.0.0.1", "example.com"}) {
    dir.Write("spotform.yaml", TlsRefusalConfig("http://" + host + ":9000"));
    CliResult planned = RunSpotform({"--no-color", "plan"}, dir.path(), kCredentials);
    EXPECT_EQ(planned.exit_code, 1) << host;
    EXPECT_EQ(planned.out, "");
    EXPECT_EQ(planned.err,
              "spotform.yaml:3:13: provider.endpoint: plain http:// is allowed only to a loopback "
              "host (127.0.0.1, localhost, [::1]); use https:// for `" +
                  host +
                  "`\n"
                  "spotform: spotform.yaml has 1 error\n");
  }
  EXPECT_EQ(dir.Read(".spotform/state.db"), state_before);
}

}  // namespace
}  // namespace spotform
