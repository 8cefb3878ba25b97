#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "engine/model/result.h"

namespace spotform {

// The parts of an http(s) URL that the client needs.
struct ParsedUrl {
  std::string scheme;     // "http" or "https"
  std::string host;       // without brackets for IPv6 literals
  std::string authority;  // host[:port] exactly as written: the Host header and the signed host
  std::string path;       // "/" when the URL has none
};

// Parses "scheme://host[:port][/path]"; only http and https. Errors are kInvalidInput.
Result<ParsedUrl> ParseUrl(std::string_view url);

// True for localhost, 127.0.0.0/8 and ::1: the only hosts reachable over plain http.
bool IsLoopbackHost(std::string_view host);

// Checks the http-only-for-loopback rule. kInvalidInput naming the URL when it is broken.
Status CheckTransportSecurity(const ParsedUrl& url);

// Where a request for (service, region) goes, and the host it is signed for.
struct ResolvedEndpoint {
  std::string url;   // e.g. "https://cvm.tencentcloudapi.com/"
  std::string host;  // Host header value, e.g. "cvm.tencentcloudapi.com" or "127.0.0.1:9000"
};

// EndpointResolver picks the API access point: the product's default host
// ("https://cvm.tencentcloudapi.com"), the region-pinned host
// ("https://cvm.ap-guangzhou.tencentcloudapi.com") when region_hosts is set, or one custom
// endpoint for every product (provider.endpoint, e.g. the emulator at http://127.0.0.1:9000).
// Immutable after Create; safe to share between threads.
class EndpointResolver {
 public:
  // custom_endpoint: "" for Tencent's hosts. Fails on a malformed URL or on plain http to a
  // host that is not loopback.
  static Result<EndpointResolver> Create(std::string custom_endpoint, bool region_hosts);

  // service is "cvm" or "batch"; region may be "" (then the default host is used).
  Result<ResolvedEndpoint> Resolve(std::string_view service, std::string_view region) const;

 private:
  EndpointResolver(std::string custom_endpoint, ParsedUrl custom, bool region_hosts)
      : custom_endpoint_(std::move(custom_endpoint)),
        custom_(std::move(custom)),
        region_hosts_(region_hosts) {}

  std::string custom_endpoint_;
  ParsedUrl custom_;
  bool region_hosts_;
};

}  // namespace spotform
