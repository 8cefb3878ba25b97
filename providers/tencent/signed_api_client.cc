#include "providers/tencent/signed_api_client.h"

#include <nlohmann/json.hpp>

#include "providers/tencent/error_table.h"
#include "providers/tencent/tc3_signer.h"

namespace spotform {
namespace {

constexpr char kContentType[] = "application/json";

Error BadReply(const ApiRequest& request, const std::string& what) {
  return Error(ErrorKind::kTransport, request.action + ": " + what, std::string(kCodeBadResponse));
}

// What to check when the cloud refuses the credentials themselves; "" for other codes.
std::string CredentialHint(const std::string& code) {
  if (code == "AuthFailure.SignatureFailure") {
    return "; check TENCENTCLOUD_SECRET_KEY (or the tccli profile's secretKey): it does not "
           "match the SecretId";
  }
  if (code == "AuthFailure.SecretIdNotFound" || code == "AuthFailure.InvalidSecretId") {
    return "; check TENCENTCLOUD_SECRET_ID (or the tccli profile's secretId)";
  }
  if (code == "AuthFailure.TokenFailure") {
    return "; check TENCENTCLOUD_SECURITY_TOKEN: temporary credentials need their current token";
  }
  if (code == "AuthFailure.SignatureExpire") {
    return "; check this machine's clock: a request is valid for 5 minutes";
  }
  return "";
}

}  // namespace

Result<HttpRequest> SignedApiClient::BuildRequest(const ApiRequest& request) const {
  Result<ResolvedEndpoint> endpoint = endpoints_.Resolve(request.service, request.region);
  if (!endpoint.ok()) return endpoint.error();

  HttpRequest http;
  http.url = endpoint->url;
  try {
    http.body = request.params.dump();
  } catch (const nlohmann::json::type_error& e) {  // e.g. invalid UTF-8 in a string
    return Error(ErrorKind::kInvalidInput,
                 request.action + ": parameters cannot be sent as JSON: " + e.what(),
                 std::string(kCodeBadRequest));
  }

  const int64_t timestamp =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  Tc3Input input;
  input.signed_headers = {{"content-type", kContentType}, {"host", endpoint->host}};
  input.payload = http.body;
  input.timestamp = timestamp;
  input.service = request.service;  // the product, even for a custom endpoint host
  const Tc3Signature signature =
      SignTc3(input, credentials_.secret_id(), credentials_.secret_key());

  http.headers = {
      {"Content-Type", kContentType},
      {"Host", endpoint->host},
      {"X-TC-Action", request.action},
      {"X-TC-Version", request.version},
      {"X-TC-Timestamp", std::to_string(timestamp)},
      {"X-TC-Language", "en-US"},
  };
  if (!request.region.empty()) http.headers.emplace_back("X-TC-Region", request.region);
  if (!credentials_.token().empty()) http.headers.emplace_back("X-TC-Token", credentials_.token());
  http.headers.emplace_back("Authorization", signature.authorization);
  return http;
}

Result<ApiResponse> SignedApiClient::Call(const ApiRequest& request) {
  Result<HttpRequest> http = BuildRequest(request);
  if (!http.ok()) return http.error();
  if (log_ != nullptr) log_->Request(request.action, request.region, *http);

  const Clock::SteadyTime start = clock_.SteadyNow();
  Result<HttpResponse> reply = transport_.Post(*http);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.SteadyNow() - start);
  if (!reply.ok()) {
    Error error = reply.error().WithContext(request.action);
    if (log_ != nullptr) log_->Failure(request.action, error, elapsed);
    return error;
  }
  if (log_ != nullptr) log_->Reply(request.action, *reply, elapsed);
  return ParseReply(request, *reply);
}

Result<ApiResponse> SignedApiClient::ParseReply(const ApiRequest& request,
                                                const HttpResponse& reply) const {
  if (reply.status != 200) {
    const bool server_error = reply.status >= 500 && reply.status <= 599;
    return Error(ErrorKind::kTransport,
                 request.action + ": HTTP " + std::to_string(reply.status) + " (expected 200)",
                 std::string(server_error ? kCodeHttpServerError : kCodeHttpStatus));
  }
  nlohmann::json envelope = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_discarded()) return BadReply(request, "reply is not JSON");
  if (!envelope.is_object() || !envelope.contains("Response") ||
      !envelope["Response"].is_object()) {
    return BadReply(request, "reply has no Response object");
  }
  nlohmann::json& response = envelope["Response"];
  auto request_id = response.find("RequestId");
  if (request_id == response.end() || !request_id->is_string() ||
      request_id->get<std::string>().empty()) {
    return BadReply(request, "reply has no Response.RequestId");
  }
  std::string id = request_id->get<std::string>();

  if (auto error = response.find("Error"); error != response.end()) {
    if (!error->is_object() || !error->contains("Code") || !(*error)["Code"].is_string()) {
      return Error(ErrorKind::kTransport, request.action + ": reply has a malformed Response.Error",
                   std::string(kCodeBadResponse), id);
    }
    const std::string code = (*error)["Code"].get<std::string>();
    std::string message = "(no message)";
    if (auto text = error->find("Message"); text != error->end() && text->is_string()) {
      message = text->get<std::string>();
    }
    return Error(KindForCloudCode(code), request.action + ": " + message + CredentialHint(code),
                 code, id);
  }
  response.erase("RequestId");
  return ApiResponse{std::move(response), std::move(id)};
}

}  // namespace spotform
