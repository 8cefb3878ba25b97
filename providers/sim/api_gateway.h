#pragma once

#include <cstddef>
#include <string>

#include "engine/model/clock.h"
#include "providers/sim/auth_verifier.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/fault_injector.h"
#include "providers/sim/http_types.h"
#include "providers/sim/rate_limiter.h"
#include "providers/sim/request_log.h"
#include "providers/sim/request_schema.h"

namespace spotform::sim {

// ApiGateway turns one API 3.0 request into one response, without sockets: it checks the
// envelope the way the real service does, then hands the parameters to CloudModel::Serve.
// Order of checks (the first failure answers, always HTTP 200 with an error envelope except
// for a wrong path, which is HTTP 404):
//   1. method POST (else UnsupportedProtocol), path "/", body <= 10 MB
//      (RequestSizeLimitExceeded), Content-Type application/json (else InvalidParameter)
//   2. signature (AuthVerifier: MissingParameter Timestamp, AuthFailure.*)
//   3. X-TC-Action present, X-TC-Version 2017-03-12 (MissingParameter, NoSuchVersion),
//      action known (InvalidAction)
//   4. X-TC-Region present and a real region (MissingParameter, UnsupportedRegion)
//   5. body is a JSON object (InvalidParameter), fields match the official model
//      (UnknownParameter, InvalidParameter, MissingParameter)
//   6. per-action rate limit (RequestLimitExceeded), injected faults, then the model.
// Every call on "/" whose X-TC-Action names a served action is appended to the request log
// with its outcome (auth failures included); calls naming no served action are not.
// Injected latency is slept (through the Clock) before any check.
// Borrows everything; all of it must outlive the gateway. Thread-safe if its parts are.
class ApiGateway {
 public:
  static constexpr size_t kMaxBodyBytes = size_t{10} * 1024 * 1024;  // the documented v3 POST limit
  static constexpr char kApiVersion[] = "2017-03-12";

  ApiGateway(const RequestSchema& schema, const AuthVerifier& auth, ServerRateLimiter& limiter,
             FaultInjector& faults, RequestLog& log, CloudModel& model, Clock& clock);

  HttpResponse Handle(const HttpRequest& request);

  // True for a region of Tencent Cloud (ap-guangzhou, ...), whether or not the emulator's
  // catalogue has zones in it.
  static bool IsKnownRegion(const std::string& region);

 private:
  const RequestSchema& schema_;
  const AuthVerifier& auth_;
  ServerRateLimiter& limiter_;
  FaultInjector& faults_;
  RequestLog& log_;
  CloudModel& model_;
  Clock& clock_;
};

}  // namespace spotform::sim
