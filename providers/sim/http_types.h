#pragma once

#include <map>
#include <string>

namespace spotform::sim {

// Request headers by lower-case name (HTTP header names are case-insensitive). When a header
// is repeated, the first value wins.
using HeaderMap = std::map<std::string, std::string>;

// The value of header `name` (lower-case), or null when the request has none.
inline const std::string* Header(const HeaderMap& headers, const std::string& name) {
  const auto it = headers.find(name);
  return it == headers.end() ? nullptr : &it->second;
}

// A request as the emulator's handlers see it, without sockets: the server fills it from
// cpp-httplib, tests build it literally.
struct HttpRequest {
  std::string method;  // "POST", "GET", ...
  std::string path;    // without the query string
  std::string query;   // the raw query string, without '?'
  HeaderMap headers;
  std::string body;  // the exact bytes received
};

// A reply: an HTTP status and a body with its content type.
struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

}  // namespace spotform::sim
