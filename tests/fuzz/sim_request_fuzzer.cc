// libFuzzer target: spotform-sim's request handling without sockets, as SimServer routes it:
// "/" to the ApiGateway (envelope, TC3 signature, version, region, JSON body, fields against
// the official models, rate limits, faults, then the cloud model), "/_sim/..." to the
// ControlApi. The input is up to kMaxRequests requests separated by a line "====":
//
//   POST / SIGN                      <- method, path[?query], and SIGN to sign it validly
//   content-type: application/json  <- headers ("name: value"), names lower-cased
//   host: cvm.tencentcloudapi.com
//   x-tc-action: RunInstances
//   ...
//                                    <- an empty line, then the body bytes
//   {"InstanceChargeType": ...}
//
// SIGN replaces the authorization header with a valid TC3-HMAC-SHA256 signature over the
// content-type and host headers and the body, by the default credentials at the fixed clock
// (x-tc-timestamp is set to the clock unless given), so signed seeds reach the JSON and field
// checks and the model. The model ticks once between requests, and is fresh for each input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "providers/sim/api_gateway.h"
#include "providers/sim/auth_verifier.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/control_api.h"
#include "providers/sim/fault_injector.h"
#include "providers/sim/rate_limiter.h"
#include "providers/sim/request_log.h"
#include "providers/sim/request_schema.h"
#include "providers/sim/sim_server.h"
#include "providers/tencent/tc3_signer.h"
#include "tests/fuzz/fixed_random.h"
#include "tests/support/fake_clock.h"

namespace spotform::sim {
namespace {

constexpr size_t kMaxRequests = 8;
constexpr std::string_view kSeparator = "\n====\n";

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

// One request of the input; `sign` when its first line ends with SIGN.
HttpRequest ParseRequest(std::string_view text, bool& sign) {
  HttpRequest request;
  const size_t head_end = text.find("\n\n");
  const std::string_view head = text.substr(0, head_end);
  if (head_end != std::string_view::npos) request.body = std::string(text.substr(head_end + 2));
  size_t line_start = 0;
  bool first = true;
  while (line_start <= head.size()) {
    size_t line_end = head.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = head.size();
    const std::string_view line = head.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (first) {
      first = false;
      const size_t space = line.find(' ');
      request.method = Trim(line.substr(0, space));
      std::string target = space == std::string_view::npos ? "/" : Trim(line.substr(space + 1));
      if (target.size() >= 5 && target.compare(target.size() - 5, 5, " SIGN") == 0) {
        sign = true;
        target = Trim(target.substr(0, target.size() - 5));
      }
      const size_t question = target.find('?');
      request.path = target.substr(0, question);
      if (question != std::string::npos) request.query = target.substr(question + 1);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    // Repeated headers: the first value wins, as in HeaderMap's contract.
    request.headers.emplace(Lower(Trim(line.substr(0, colon))), Trim(line.substr(colon + 1)));
  }
  return request;
}

void Sign(HttpRequest& request, const Clock& clock) {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
  auto timestamp = request.headers.find("x-tc-timestamp");
  if (timestamp == request.headers.end()) {
    timestamp = request.headers.emplace("x-tc-timestamp", std::to_string(now)).first;
  }
  Tc3Input input;
  input.signed_headers = {{"content-type", request.headers["content-type"]},
                          {"host", request.headers["host"]}};
  input.payload = request.body;
  input.timestamp = now;
  if (timestamp->second.find_first_not_of("0123456789") == std::string::npos &&
      !timestamp->second.empty() && timestamp->second.size() < 12) {
    input.timestamp = std::stoll(timestamp->second);
  }
  input.service = "cvm";
  request.headers["authorization"] =
      SignTc3(input, kDefaultSecretId, kDefaultSecretKey).authorization;
}

// The request schema is parsed once per process (it is immutable and costly to build).
const RequestSchema& Schema() {
  static const RequestSchema schema = RequestSchema::Embedded().value();
  return schema;
}

}  // namespace
}  // namespace spotform::sim

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  spotform::fuzz::RestartFixedRandom();
  using namespace spotform::sim;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  spotform::FakeClock clock;
  CloudModel model(CloudModelOptions{}, clock);
  AuthVerifier auth({{kDefaultSecretId, kDefaultSecretKey, ""}}, clock);
  ServerRateLimiter limiter(clock, /*enabled=*/true);
  FaultInjector faults;
  RequestLog log;
  ApiGateway gateway(Schema(), auth, limiter, faults, log, model, clock);
  ControlApi control(model, log, faults, limiter);

  size_t start = 0;
  for (size_t n = 0; n < kMaxRequests && start <= input.size(); ++n) {
    size_t end = input.find(kSeparator, start);
    if (end == std::string_view::npos) end = input.size();
    bool sign = false;
    HttpRequest request = ParseRequest(input.substr(start, end - start), sign);
    start = end + kSeparator.size();
    if (sign) Sign(request, clock);
    const bool to_control = request.path.rfind("/_sim/", 0) == 0;
    const HttpResponse response = to_control ? control.Handle(request) : gateway.Handle(request);
    // Every answer of the API is a JSON envelope (HTTP 404 for a wrong path aside).
    if (!to_control && response.status == 200) {
      const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
      if (body.is_discarded() || !body.contains("Response") ||
          !body["Response"].contains("RequestId")) {
        std::abort();
      }
    }
    model.Tick();
  }
  return 0;
}
