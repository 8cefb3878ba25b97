#pragma once

#include "providers/sim/cloud_model.h"
#include "providers/sim/fault_injector.h"
#include "providers/sim/http_types.h"
#include "providers/sim/rate_limiter.h"
#include "providers/sim/request_log.h"

namespace spotform::sim {

// ControlApi serves the emulator's unsigned test hooks under /_sim/ (spec §5):
//   GET  /_sim/requests[?since=SEQ]  every logged API call after SEQ, as a JSON array
//   POST /_sim/reset                 fresh world: model, request log, faults, rate windows
//   GET  /_sim/market                every offer and every zone's spot quota (market_listing.h):
//                                    {"offers": [{"zone","region","instance_type","cpu",
//                                    "memory_gb","price","capacity","used","free","status"}],
//                                    "spot_quota": [{"zone","region","total","used",
//                                    "remaining"}]} (total/remaining null when unlimited)
//   POST /_sim/market                {"zone","instance_type","price"?,"capacity"?}
//   POST /_sim/quota                 {"zone"?, "vcpus": N or null}: spot quota in vCPUs of one
//                                    zone, or of every zone without "zone"; null = unlimited.
//                                    Like /_sim/market, it lasts until the next reset.
//   POST /_sim/reclaim               {"instance_ids":[...]}
//   POST /_sim/faults                {"action","code","count"?} or {"latency_ms"} (0 clears)
//   GET  /_sim/instances             every live instance
//   POST /_sim/tick                  {"count"?: N}: advance the model N ticks (default 1)
// Answers are JSON; bad input is HTTP 400 {"error": "..."}, an unknown path 404, a wrong
// method 405. The server only lets loopback clients reach it. Borrows everything it is given.
class ControlApi {
 public:
  static constexpr int kMaxTicksPerCall = 100000;

  ControlApi(CloudModel& model, RequestLog& log, FaultInjector& faults, ServerRateLimiter& limiter);

  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Requests(const HttpRequest& request);
  HttpResponse Reset();
  HttpResponse Market(const nlohmann::json& body);
  HttpResponse Quota(const nlohmann::json& body);
  HttpResponse Reclaim(const nlohmann::json& body);
  HttpResponse Faults(const nlohmann::json& body);
  HttpResponse Tick(const nlohmann::json& body);

  CloudModel& model_;
  RequestLog& log_;
  FaultInjector& faults_;
  ServerRateLimiter& limiter_;
};

}  // namespace spotform::sim
