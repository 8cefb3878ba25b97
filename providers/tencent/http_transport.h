#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/model/result.h"

namespace spotform {

// One HTTP POST as the client sends it: the URL, the exact headers (in order) and body bytes.
struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// What came back: any status (the caller decides what a non-200 means) and the body bytes.
struct HttpResponse {
  long status = 0;
  std::string body;
};

// HttpTransport sends one POST and returns the reply, or a kTransport Error whose code is one of
// the client codes in error_table.h (kCodeConnectFailed when nothing was sent, kCodeTimeout /
// kCodeNetwork when the request may have reached the server, kCodeTls, kCodeBadRequest).
// Implementations are thread-safe. The real one is CurlTransport; tests use fakes.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> Post(const HttpRequest& request) = 0;
};

}  // namespace spotform
