#pragma once

#include <string>

#include "engine/model/clock.h"
#include "providers/tencent/api_caller.h"
#include "providers/tencent/api_log.h"
#include "providers/tencent/credentials.h"
#include "providers/tencent/endpoint.h"
#include "providers/tencent/http_transport.h"

namespace spotform {

// SignedApiClient is the bottom ApiCaller: it serializes the parameters, adds the API 3.0
// headers (X-TC-Timestamp from the Clock, X-TC-Language en-US, X-TC-Token with a session
// token), signs with TC3-HMAC-SHA256 for the request's product ("cvm"/"batch") whatever the
// endpoint host, sends once through the transport and parses the reply envelope:
//  - HTTP status other than 200: kTransport (kCodeHttpServerError for 5xx, else kCodeHttpStatus);
//  - a body that is not a JSON envelope with Response.RequestId: kTransport, kCodeBadResponse;
//  - Response.Error: an Error with the cloud's Code, RequestId and the kind from error_table.
// No retries, no rate limits: the layers above add those. Thread-safe. Borrows the transport,
// resolver, clock and log (which must outlive it; log may be null); owns a copy of the
// credentials.
class SignedApiClient final : public ApiCaller {
 public:
  SignedApiClient(HttpTransport& transport, const EndpointResolver& endpoints,
                  Credentials credentials, Clock& clock, ApiLog* log = nullptr)
      : transport_(transport),
        endpoints_(endpoints),
        credentials_(std::move(credentials)),
        clock_(clock),
        log_(log) {}

  Result<ApiResponse> Call(const ApiRequest& request) override;

  // Builds the exact HTTP request Call would send (exposed for tests and the verbose log).
  Result<HttpRequest> BuildRequest(const ApiRequest& request) const;

 private:
  Result<ApiResponse> ParseReply(const ApiRequest& request, const HttpResponse& reply) const;

  HttpTransport& transport_;
  const EndpointResolver& endpoints_;
  const Credentials credentials_;
  Clock& clock_;
  ApiLog* log_;
};

}  // namespace spotform
