#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "engine/model/result.h"

namespace httplib {
class SSLServer;
}

namespace spotform {

// TlsTestServer is an HTTPS server on 127.0.0.1:<free port> whose certificate nobody trusts:
// a fresh P-256 key and a self-signed certificate for CN=127.0.0.1 (SAN IP:127.0.0.1 and
// DNS:localhost), made with OpenSSL's EVP/X509 API at start, never written to disk. The name
// matches, the dates are valid; the only fault is the untrusted issuer, so a client that
// verifies certificates must refuse it, and one that does not would reach the handler, which
// counts every HTTP request that got through the handshake and answers 200 with an empty
// API 3.0 envelope. Owns the server and its accept thread; the destructor stops both.
//
//   auto server = TlsTestServer::Start();
//   ASSERT_TRUE(server.ok()) << server.error().ToString();
//   ... point a client at (*server)->url() ...
//   EXPECT_EQ((*server)->requests_received(), 0);
class TlsTestServer {
 public:
  static Result<std::unique_ptr<TlsTestServer>> Start();
  ~TlsTestServer();
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }
  // HTTP requests that reached the handler, i.e. passed the TLS handshake.
  int requests_received() const { return requests_.load(); }

  // Use Start; the key keeps construction inside this class.
  struct Key {
    explicit Key() = default;
  };
  TlsTestServer(Key, std::unique_ptr<httplib::SSLServer> server);

 private:
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::atomic<bool> listen_done_{false};
};

}  // namespace spotform
