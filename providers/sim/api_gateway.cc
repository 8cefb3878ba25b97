#include "providers/sim/api_gateway.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <string_view>
#include <utility>

#include "providers/sim/api_envelope.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

// Tencent Cloud regions (tencentcloud-sdk-go common/regions/regions.go, reference §5).
constexpr std::string_view kRegions[] = {
    "ap-bangkok",        "ap-beijing",   "ap-chengdu",      "ap-chongqing",    "ap-guangzhou",
    "ap-guangzhou-open", "ap-hongkong",  "ap-jakarta",      "ap-mumbai",       "ap-nanjing",
    "ap-seoul",          "ap-shanghai",  "ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-singapore",
    "ap-tokyo",          "eu-frankfurt", "eu-moscow",       "na-ashburn",      "na-siliconvalley",
    "na-toronto",        "sa-saopaulo",
};

// "application/json", any case, optionally followed by parameters such as "; charset=utf-8".
bool IsJsonContentType(std::string_view value) {
  std::string media(value.substr(0, value.find(';')));
  media.erase(
      std::remove_if(media.begin(), media.end(), [](unsigned char c) { return std::isspace(c); }),
      media.end());
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return media == "application/json";
}

// Parses a body; null-discarded when it is not JSON or nests deeper than kMaxDepth (which keeps
// every later recursive walk over it, logging and serializing included, shallow).
json ParseBody(const std::string& body) {
  constexpr int kMaxDepth = 32;
  if (body.empty()) return json::object();
  bool too_deep = false;
  json::parser_callback_t check_depth = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > kMaxDepth) too_deep = true;
    return !too_deep;
  };
  json parsed = json::parse(body, check_depth, /*allow_exceptions=*/false);
  if (too_deep) return json(json::value_t::discarded);
  return parsed;
}

int64_t WallMillis(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

HttpResponse ErrorResponse(const std::string& code, const std::string& message, int status = 200) {
  return HttpResponse{status, ErrorBody(code, message, NewRequestId())};
}

}  // namespace

ApiGateway::ApiGateway(const RequestSchema& schema, const AuthVerifier& auth,
                       ServerRateLimiter& limiter, FaultInjector& faults, RequestLog& log,
                       CloudModel& model, Clock& clock)
    : schema_(schema),
      auth_(auth),
      limiter_(limiter),
      faults_(faults),
      log_(log),
      model_(model),
      clock_(clock) {}

bool ApiGateway::IsKnownRegion(const std::string& region) {
  return std::find(std::begin(kRegions), std::end(kRegions), region) != std::end(kRegions);
}

HttpResponse ApiGateway::Handle(const HttpRequest& request) {
  const int64_t arrival_ms = WallMillis(clock_);
  if (const auto latency = faults_.latency(); latency.count() > 0) clock_.SleepFor(latency);
  if (request.path != "/") {
    return ErrorResponse("UnsupportedProtocol",
                         "The API is served at POST /, not at " + request.path + ".", 404);
  }

  // Every call whose X-TC-Action names a served action is logged, whatever its outcome.
  const std::string* action_header = Header(request.headers, "x-tc-action");
  const std::string action = action_header == nullptr ? "" : *action_header;
  const bool logged = schema_.HasAction(action);
  const bool body_too_large = request.body.size() > kMaxBodyBytes;
  json params = body_too_large ? json(json::value_t::discarded) : ParseBody(request.body);
  const std::string request_id = NewRequestId();
  // Called once, as the last step: the parameters move into the log, never copied.
  auto answer = [&](std::optional<Error> error, ApiReply output) -> HttpResponse {
    if (logged) {
      log_.Append(arrival_ms, action, params.is_discarded() ? json() : std::move(params),
                  error ? std::optional<std::string>(error->code()) : std::nullopt);
    }
    if (error) return HttpResponse{200, ErrorBody(error->code(), error->message(), request_id)};
    return HttpResponse{200, SuccessBody(std::move(output), request_id)};
  };
  auto fail = [&](const std::string& code, const std::string& message) {
    return answer(Error(ErrorKind::kInvalidInput, message, code), ApiReply());
  };

  // 1. Transport-level shape.
  if (request.method != "POST") {
    return fail("UnsupportedProtocol",
                "spotform-sim accepts API calls only as POST with a JSON body; " + request.method +
                    " is not supported.");
  }
  if (body_too_large) {
    return fail("RequestSizeLimitExceeded",
                "The request body exceeds the 10 MB limit of a POST request.");
  }
  const std::string* content_type = Header(request.headers, "content-type");
  if (content_type == nullptr || !IsJsonContentType(*content_type)) {
    return fail("InvalidParameter", "The Content-Type must be application/json (signature v3).");
  }

  // 2. Signature.
  if (Status auth = auth_.Verify(request.headers, request.body); !auth.ok()) {
    return fail(auth.error().code(), auth.error().message());
  }

  // 3. Action and version.
  if (action.empty()) {
    return fail("MissingParameter", "The request is missing a required parameter `Action`.");
  }
  const std::string* version = Header(request.headers, "x-tc-version");
  if (version == nullptr || version->empty()) {
    return fail("MissingParameter", "The request is missing a required parameter `Version`.");
  }
  const std::string product = schema_.ProductOf(action);
  if (*version != kApiVersion) {
    return fail("NoSuchVersion", "The specified api version=`" + *version +
                                     "` does not exist in service=`" +
                                     (product.empty() ? "cvm" : product) + "`.");
  }
  if (!logged) {
    return fail("InvalidAction", "The request action=`" + action +
                                     "` is invalid or not found in version=`" + kApiVersion + "`.");
  }

  // 4. Region.
  const std::string* region = Header(request.headers, "x-tc-region");
  if (region == nullptr || region->empty()) {
    return fail("MissingParameter", "The request is missing a required parameter `Region`.");
  }
  if (!IsKnownRegion(*region)) {
    return fail("UnsupportedRegion",
                "The action `" + action + "` is not supported in region `" + *region + "`.");
  }

  // 5. Body and fields.
  if (params.is_discarded() || !params.is_object()) {
    return fail("InvalidParameter", "The request body is not a valid JSON object.");
  }
  if (Status valid = schema_.Validate(action, params); !valid.ok()) {
    return fail(valid.error().code(), valid.error().message());
  }

  // 6. Rate limit, injected faults, the model.
  if (!limiter_.Admit(action)) {
    return fail("RequestLimitExceeded",
                "Your request rate for action `" + action + "` exceeds the limit of " +
                    std::to_string(ServerRateLimiter::LimitOf(action)) + " requests per second.");
  }
  if (std::optional<std::string> code = faults_.Take(action)) {
    return fail(*code, "Injected fault (spotform-sim /_sim/faults).");
  }
  Result<ApiReply> result = model_.Serve(CallContext{*region, request_id}, action, params);
  if (!result.ok()) {
    const Error& error = result.error();
    return fail(error.code().empty() ? "InternalError" : error.code(), error.message());
  }
  if (!result->fields.is_object()) {
    return fail("InternalError", "The emulator built no response.");
  }
  return answer(std::nullopt, std::move(result).value());
}

}  // namespace spotform::sim
