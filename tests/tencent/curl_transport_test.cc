// CurlTransport over real loopback sockets against an in-process cpp-httplib server: exact
// bytes both ways, connection reuse, timeouts and refused connections as client codes, the
// plain-http-only-for-loopback rule, and concurrent use.
#include "providers/tencent/curl_transport.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <set>
#include <thread>

#include "providers/tencent/error_table.h"

namespace spotform {
namespace {

using std::chrono::milliseconds;

// An HTTP server on 127.0.0.1:<free port> running on its own thread for the test's lifetime.
class LoopbackServer {
 public:
  LoopbackServer() {
    server_.Post("/", [this](const httplib::Request& request, httplib::Response& response) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        remote_ports_.insert(request.remote_port);
        last_host_ = request.get_header_value("Host");
        last_action_ = request.get_header_value("X-TC-Action");
      }
      if (request.get_header_value("X-Delay-Ms") != "") {
        std::this_thread::sleep_for(
            milliseconds(std::stoi(request.get_header_value("X-Delay-Ms"))));
      }
      response.status = request.get_header_value("X-Status").empty()
                            ? 200
                            : std::stoi(request.get_header_value("X-Status"));
      response.set_content("echo:" + request.body, "application/json");
    });
    server_.set_keep_alive_max_count(1000);  // httplib's default closes after 5 requests
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(1));
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  int port() const { return port_; }
  std::set<int> remote_ports() {
    std::lock_guard<std::mutex> lock(mutex_);
    return remote_ports_;
  }
  std::string last_host() {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_host_;
  }
  std::string last_action() {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_action_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::set<int> remote_ports_;
  std::string last_host_;
  std::string last_action_;
};

HttpRequest Post(const std::string& url, std::string body,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
  return HttpRequest{url, std::move(headers), std::move(body)};
}

TEST(CurlTransport, PostsTheExactHeadersAndBody) {
  LoopbackServer server;
  CurlTransport transport;
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  Result<HttpResponse> reply = transport.Post(Post(
      server.url(), R"({"Limit":100})", {{"Host", host}, {"X-TC-Action", "DescribeInstances"}}));
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, R"(echo:{"Limit":100})");
  EXPECT_EQ(server.last_host(), host);
  EXPECT_EQ(server.last_action(), "DescribeInstances");
}

TEST(CurlTransport, AnyStatusIsReturnedForTheCallerToJudge) {
  LoopbackServer server;
  CurlTransport transport;
  Result<HttpResponse> reply = transport.Post(Post(server.url(), "{}", {{"X-Status", "503"}}));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 503);
}

TEST(CurlTransport, ReusesTheConnection) {
  LoopbackServer server;
  CurlTransport transport;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(transport.Post(Post(server.url(), "{}")).ok());
  EXPECT_EQ(server.remote_ports().size(), 1u);
}

TEST(CurlTransport, SlowReplyIsATimeoutThatMayHaveReachedTheServer) {
  LoopbackServer server;
  CurlTransport transport(CurlTransportOptions{milliseconds(1000), milliseconds(100)});
  Result<HttpResponse> reply = transport.Post(Post(server.url(), "{}", {{"X-Delay-Ms", "400"}}));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(reply.error().code(), kCodeTimeout);
  EXPECT_EQ(reply.error().message(), "POST " + server.url() + ": no complete reply within 100 ms");
}

TEST(CurlTransport, RefusedConnectionIsConnectFailed) {
  int closed_port = 0;
  {
    LoopbackServer server;
    closed_port = server.port();
  }
  CurlTransport transport;
  Result<HttpResponse> reply =
      transport.Post(Post("http://127.0.0.1:" + std::to_string(closed_port) + "/", "{}"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code(), kCodeConnectFailed);
  EXPECT_TRUE(SafeToRepeatUnanswered(reply.error()));
}

TEST(CurlTransport, PlainHttpToARemoteHostIsRefusedBeforeSending) {
  CurlTransport transport;
  Result<HttpResponse> reply = transport.Post(Post("http://10.0.0.5:9000/", "{}"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code(), kCodeBadRequest);
  EXPECT_EQ(reply.error().message(),
            "POST http://10.0.0.5:9000/: endpoint http://10.0.0.5:9000: plain http is only "
            "allowed for loopback hosts (127.0.0.0/8, ::1, localhost); use https");
}

TEST(CurlTransport, ManyThreadsShareOneTransport) {
  LoopbackServer server;
  CurlTransport transport;
  ASSERT_TRUE(transport.Post(Post(server.url(), "warm-up")).ok());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string body = std::to_string(t) + ":" + std::to_string(i);
        Result<HttpResponse> reply = transport.Post(Post(server.url(), body));
        if (reply.ok() && reply->body == "echo:" + body) ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 80);
  EXPECT_LE(server.remote_ports().size(), 8u);  // at most one connection per pooled handle
}

}  // namespace
}  // namespace spotform
