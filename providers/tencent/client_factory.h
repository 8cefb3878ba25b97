#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "engine/model/clock.h"
#include "providers/tencent/api_caller.h"
#include "providers/tencent/api_log.h"
#include "providers/tencent/credentials.h"
#include "providers/tencent/curl_transport.h"
#include "providers/tencent/endpoint.h"
#include "providers/tencent/retrying_caller.h"
#include "providers/tencent/throttle.h"

namespace spotform {

// Everything that shapes the client, with production defaults.
struct ClientOptions {
  std::string endpoint;       // provider.endpoint; "" for Tencent's hosts
  bool region_hosts = false;  // cvm.<region>.tencentcloudapi.com instead of cvm.tencentcloudapi.com
  CurlTransportOptions transport;
  RetryPolicy retry;
  JitterFn jitter;  // backoff pick in [0, ceiling]; empty for uniform random (full jitter)
  ThrottleOptions throttle;
  LogSink verbose_sink;  // --verbose request dumps; empty for none
};

// ClientStack is the assembled client: Retrying(Throttle(Signed(transport))). It owns every
// layer and forwards Call to the outermost; share one per process so the rate limits are
// process-wide. Borrows the clock, which must outlive it. Thread-safe.
class ClientStack final : public ApiCaller {
 public:
  // Builds the stack over the real CurlTransport. Fails on a bad endpoint (malformed, or plain
  // http to a host that is not loopback).
  static Result<std::unique_ptr<ClientStack>> Create(const ClientOptions& options,
                                                     Credentials credentials, Clock& clock);
  // The same over a given transport (tests).
  static Result<std::unique_ptr<ClientStack>> CreateWithTransport(
      const ClientOptions& options, Credentials credentials, Clock& clock,
      std::unique_ptr<HttpTransport> transport);

  Result<ApiResponse> Call(const ApiRequest& request) override { return retrying_->Call(request); }

  // Use Create; the key keeps construction inside this class.
  struct Key {
    explicit Key() = default;
  };
  explicit ClientStack(Key) {}

 private:
  // Declaration order is construction order; destruction runs outermost first.
  std::unique_ptr<EndpointResolver> endpoints_;
  std::unique_ptr<HttpTransport> transport_;
  std::unique_ptr<ApiLog> log_;
  std::unique_ptr<ApiCaller> signed_;
  std::unique_ptr<ThrottleCaller> throttle_;
  std::unique_ptr<RetryingCaller> retrying_;
};

}  // namespace spotform
