#pragma once

#include <map>
#include <string>

namespace spotform::sim {

// Request headers by lower-case name (HTTP header names are case-insensitive). When a header
// is repeated, the first value wins.
using HeaderMap = std::map<std::string, std::string>;

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
