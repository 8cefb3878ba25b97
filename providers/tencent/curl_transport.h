#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "providers/tencent/http_transport.h"

namespace spotform {

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{30000};  // whole request, connect included
};

// CurlTransport is the real HttpTransport over libcurl. HTTPS always verifies the peer
// certificate and host name; plain http is refused unless the host is loopback. Connections,
// DNS answers and TLS sessions are reused: each request borrows an easy handle from a pool (a
// handle keeps its connection cache) and all handles share DNS and TLS-session caches. Proxies
// come from the usual environment variables (libcurl's default), except for loopback hosts.
// Thread-safe. curl_global_init must have been called (main does it) before construction.
class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Post(const HttpRequest& request) override;

 private:
  struct Share;       // the CURLSH and its locks
  struct EasyHandle;  // one pooled CURL*

  std::unique_ptr<EasyHandle> Borrow();
  void Return(std::unique_ptr<EasyHandle> handle);

  CurlTransportOptions options_;
  std::unique_ptr<Share> share_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<EasyHandle>> pool_;  // idle handles, guarded by pool_mutex_
};

}  // namespace spotform
