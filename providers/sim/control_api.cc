#include "providers/sim/control_api.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "providers/sim/api_envelope.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

HttpResponse Reply(int status, const json& body) { return HttpResponse{status, DumpJson(body)}; }
HttpResponse Ok() { return Reply(200, json{{"ok", true}}); }
HttpResponse BadRequest(const std::string& message) { return Reply(400, json{{"error", message}}); }

// Fails with a message naming the first key of `body` that is not in `allowed`.
std::optional<std::string> UnknownKey(const json& body, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : body.items()) {
    if (allowed.count(key) == 0) return "unknown field \"" + key + "\"";
  }
  return std::nullopt;
}

bool IsInteger(const json& value) { return value.is_number_integer(); }

std::optional<int64_t> QueryInteger(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string_view text = pair.substr(eq + 1);
    int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
  }
  return int64_t{0};
}

}  // namespace

ControlApi::ControlApi(CloudModel& model, RequestLog& log, FaultInjector& faults,
                       ServerRateLimiter& limiter)
    : model_(model), log_(log), faults_(faults), limiter_(limiter) {}

HttpResponse ControlApi::Handle(const HttpRequest& request) {
  const std::string& path = request.path;
  // /_sim/market answers both: GET lists the market, POST changes an offer.
  const bool is_get =
      path == "/_sim/requests" || path == "/_sim/instances" || path == "/_sim/market";
  const bool is_post = path == "/_sim/reset" || path == "/_sim/market" || path == "/_sim/reclaim" ||
                       path == "/_sim/faults" || path == "/_sim/tick" || path == "/_sim/quota";
  if (!is_get && !is_post) return Reply(404, json{{"error", "no control endpoint " + path}});
  if (!(is_get && request.method == "GET") && !(is_post && request.method == "POST")) {
    return Reply(405, json{{"error", path + " does not accept " + request.method}});
  }
  if (path == "/_sim/requests") return Requests(request);
  if (path == "/_sim/instances") return Reply(200, model_.ListInstances());
  if (path == "/_sim/market" && request.method == "GET") {
    return Reply(200, model_.MarketListing());
  }
  if (path == "/_sim/reset") return Reset();

  json body = request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return BadRequest("the body must be a JSON object");
  }
  if (path == "/_sim/market") return Market(body);
  if (path == "/_sim/quota") return Quota(body);
  if (path == "/_sim/reclaim") return Reclaim(body);
  if (path == "/_sim/faults") return Faults(body);
  return Tick(body);
}

HttpResponse ControlApi::Requests(const HttpRequest& request) {
  const std::optional<int64_t> since = QueryInteger(request.query, "since");
  if (!since) return BadRequest("since must be an integer sequence number");
  return Reply(200, log_.Since(*since));
}

HttpResponse ControlApi::Reset() {
  model_.Reset();
  log_.Clear();
  faults_.Reset();
  limiter_.Reset();
  return Ok();
}

HttpResponse ControlApi::Market(const json& body) {
  if (auto unknown = UnknownKey(body, {"zone", "instance_type", "price", "capacity"})) {
    return BadRequest(*unknown);
  }
  if (!body.contains("zone") || !body["zone"].is_string() || !body.contains("instance_type") ||
      !body["instance_type"].is_string()) {
    return BadRequest("zone and instance_type are required strings");
  }
  MarketUpdate update;
  update.zone = body["zone"].get<std::string>();
  update.instance_type = body["instance_type"].get<std::string>();
  if (body.contains("price")) {
    if (!body["price"].is_number() || body["price"].get<double>() < 0) {
      return BadRequest("price must be a non-negative number");
    }
    update.price = body["price"].get<double>();
  }
  if (body.contains("capacity")) {
    if (!IsInteger(body["capacity"]) || body["capacity"].get<int64_t>() < 0 ||
        body["capacity"].get<int64_t>() > 1000000000) {
      return BadRequest("capacity must be a non-negative integer");
    }
    update.capacity = static_cast<int>(body["capacity"].get<int64_t>());
  }
  if (!update.price && !update.capacity) return BadRequest("give price, capacity or both");
  if (Status status = model_.UpdateMarket(update); !status.ok()) {
    return BadRequest(status.error().message());
  }
  return Ok();
}

HttpResponse ControlApi::Quota(const json& body) {
  if (auto unknown = UnknownKey(body, {"zone", "vcpus"})) return BadRequest(*unknown);
  std::optional<std::string> zone;
  if (body.contains("zone")) {
    if (!body["zone"].is_string()) return BadRequest("zone must be a string");
    zone = body["zone"].get<std::string>();
  }
  if (!body.contains("vcpus")) {
    return BadRequest("give {\"zone\"?, \"vcpus\"}: vcpus a non-negative integer or null");
  }
  std::optional<int64_t> vcpus;
  const json& value = body["vcpus"];
  if (!value.is_null()) {
    if (!IsInteger(value) || value.get<int64_t>() < 0 || value.get<int64_t>() > 1000000000) {
      return BadRequest("vcpus must be a non-negative integer, or null for unlimited");
    }
    vcpus = value.get<int64_t>();
  }
  if (Status status = model_.SetSpotQuota(zone, vcpus); !status.ok()) {
    return BadRequest(status.error().message());
  }
  return Ok();
}

HttpResponse ControlApi::Reclaim(const json& body) {
  if (auto unknown = UnknownKey(body, {"instance_ids"})) return BadRequest(*unknown);
  if (!body.contains("instance_ids") || !body["instance_ids"].is_array()) {
    return BadRequest("instance_ids must be an array of instance IDs");
  }
  std::vector<std::string> ids;
  for (const json& id : body["instance_ids"]) {
    if (!id.is_string()) return BadRequest("instance_ids must be an array of instance IDs");
    ids.push_back(id.get<std::string>());
  }
  if (Status status = model_.Reclaim(ids); !status.ok()) {
    return BadRequest(status.error().message());
  }
  return Ok();
}

HttpResponse ControlApi::Faults(const json& body) {
  if (body.contains("latency_ms")) {
    if (auto unknown = UnknownKey(body, {"latency_ms"})) return BadRequest(*unknown);
    const json& latency = body["latency_ms"];
    if (!IsInteger(latency) || latency.get<int64_t>() < 0 || latency.get<int64_t>() > 600000) {
      return BadRequest("latency_ms must be an integer between 0 and 600000");
    }
    faults_.SetLatency(std::chrono::milliseconds(latency.get<int64_t>()));
    return Ok();
  }
  if (auto unknown = UnknownKey(body, {"action", "code", "count"})) return BadRequest(*unknown);
  if (!body.contains("action") || !body["action"].is_string() ||
      body["action"].get<std::string>().empty() || !body.contains("code") ||
      !body["code"].is_string() || body["code"].get<std::string>().empty()) {
    return BadRequest("give {\"action\", \"code\", \"count\"} or {\"latency_ms\"}");
  }
  int64_t count = 1;
  if (body.contains("count")) {
    if (!IsInteger(body["count"]) || body["count"].get<int64_t>() < 1 ||
        body["count"].get<int64_t>() > 1000000) {
      return BadRequest("count must be a positive integer");
    }
    count = body["count"].get<int64_t>();
  }
  faults_.Add(body["action"].get<std::string>(), body["code"].get<std::string>(),
              static_cast<int>(count));
  return Ok();
}

HttpResponse ControlApi::Tick(const json& body) {
  if (auto unknown = UnknownKey(body, {"count"})) return BadRequest(*unknown);
  int64_t count = 1;
  if (body.contains("count")) {
    if (!IsInteger(body["count"]) || body["count"].get<int64_t>() < 1 ||
        body["count"].get<int64_t>() > kMaxTicksPerCall) {
      return BadRequest("count must be an integer between 1 and " +
                        std::to_string(kMaxTicksPerCall));
    }
    count = body["count"].get<int64_t>();
  }
  for (int64_t i = 0; i < count; ++i) model_.Tick();
  return Reply(200, json{{"ok", true}, {"ticks", count}});
}

}  // namespace spotform::sim
