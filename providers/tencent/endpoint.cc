#include "providers/tencent/endpoint.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <memory>

namespace spotform {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};

// One part of a parsed URL, or "" when absent.
std::string UrlPart(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK || raw == nullptr) return "";
  std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return std::string(owned.get());
}

Error BadUrl(std::string_view url, std::string_view why) {
  return Error(ErrorKind::kInvalidInput, "endpoint " + std::string(url) + ": " + std::string(why));
}

}  // namespace

Result<ParsedUrl> ParseUrl(std::string_view url) {
  std::unique_ptr<CURLU, UrlDeleter> handle(curl_url());
  if (!handle) return Error(ErrorKind::kInternal, "endpoint: out of memory parsing a URL");
  const std::string text(url);
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return BadUrl(url, "not a valid URL (expected scheme://host[:port])");
  }
  ParsedUrl parsed;
  parsed.scheme = UrlPart(handle.get(), CURLUPART_SCHEME);
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return BadUrl(url, "scheme must be http or https");
  }
  std::string host = UrlPart(handle.get(), CURLUPART_HOST);
  if (host.empty()) return BadUrl(url, "no host");
  if (!UrlPart(handle.get(), CURLUPART_QUERY).empty()) return BadUrl(url, "no query allowed");
  parsed.authority = host;
  const std::string port = UrlPart(handle.get(), CURLUPART_PORT);
  if (!port.empty()) parsed.authority += ":" + port;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  parsed.host = host;
  parsed.path = UrlPart(handle.get(), CURLUPART_PATH);
  if (parsed.path.empty()) parsed.path = "/";
  return parsed;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  const std::string text(host);
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  return false;
}

Status CheckTransportSecurity(const ParsedUrl& url) {
  if (url.scheme == "https" || IsLoopbackHost(url.host)) return Status::Ok();
  return Error(ErrorKind::kInvalidInput,
               "endpoint " + url.scheme + "://" + url.authority +
                   ": plain http is only allowed for loopback hosts (127.0.0.0/8, ::1, "
                   "localhost); use https");
}

Result<EndpointResolver> EndpointResolver::Create(std::string custom_endpoint, bool region_hosts) {
  if (custom_endpoint.empty()) return EndpointResolver("", ParsedUrl{}, region_hosts);
  Result<ParsedUrl> parsed = ParseUrl(custom_endpoint);
  if (!parsed.ok()) return parsed.error();
  Status secure = CheckTransportSecurity(*parsed);
  if (!secure.ok()) return secure.error();
  return EndpointResolver(std::move(custom_endpoint), std::move(parsed.value()), region_hosts);
}

Result<ResolvedEndpoint> EndpointResolver::Resolve(std::string_view service,
                                                   std::string_view region) const {
  if (service != "cvm" && service != "batch") {
    return Error(ErrorKind::kInternal,
                 "endpoint: unknown API product '" + std::string(service) + "'");
  }
  if (!custom_endpoint_.empty()) {
    return ResolvedEndpoint{custom_.scheme + "://" + custom_.authority + custom_.path,
                            custom_.authority};
  }
  std::string host(service);
  if (region_hosts_ && !region.empty()) {
    for (char c : region) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return Error(ErrorKind::kInvalidInput,
                     "endpoint: region '" + std::string(region) + "' is not a region name");
      }
    }
    host += "." + std::string(region);
  }
  host += ".tencentcloudapi.com";
  return ResolvedEndpoint{"https://" + host + "/", host};
}

}  // namespace spotform
