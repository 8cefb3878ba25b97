#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/model/clock.h"
#include "providers/sim/http_types.h"
#include "providers/sim/sim_server.h"
#include "providers/tencent/tc3_signer.h"

namespace spotform::sim {

// Builds an API 3.0 request signed the way the official SDKs sign it (content-type;host),
// for the emulator's tests. Change a field, then Build().
struct RequestBuilder {
  std::string action = "DescribeInstances";
  std::string body = "{}";
  int64_t timestamp = 0;
  std::string region = "ap-guangzhou";
  std::string version = "2017-03-12";
  std::string host = "cvm.tencentcloudapi.com";
  std::string service = "cvm";
  std::string content_type = "application/json";
  std::string secret_id = kDefaultSecretId;
  std::string secret_key = kDefaultSecretKey;

  static int64_t UnixSeconds(const Clock& clock) {
    return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
  }

  std::string Authorization() const {
    Tc3Input input;
    input.signed_headers = {{"content-type", content_type}, {"host", host}};
    input.payload = body;
    input.timestamp = timestamp;
    input.service = service;
    return SignTc3(input, secret_id, secret_key).authorization;
  }

  HttpRequest Build() const {
    HttpRequest request;
    request.method = "POST";
    request.path = "/";
    request.body = body;
    request.headers = {{"content-type", content_type},
                       {"host", host},
                       {"x-tc-action", action},
                       {"x-tc-version", version},
                       {"x-tc-timestamp", std::to_string(timestamp)},
                       {"x-tc-region", region},
                       {"authorization", Authorization()}};
    return request;
  }
};

}  // namespace spotform::sim
