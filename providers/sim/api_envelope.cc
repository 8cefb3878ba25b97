#include "providers/sim/api_envelope.h"

#include <utility>

#include "engine/crypto.h"

namespace spotform::sim {

std::string NewRequestId() {
  std::string hex = RandomHex(16);                                  // 32 hex digits
  hex[12] = '4';                                                    // version 4
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string SuccessBody(nlohmann::json output, const std::string& request_id) {
  output["RequestId"] = request_id;
  return DumpJson(nlohmann::json{{"Response", std::move(output)}});
}

std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& request_id) {
  return DumpJson(nlohmann::json{
      {"Response",
       {{"Error", {{"Code", code}, {"Message", message}}}, {"RequestId", request_id}}}});
}

}  // namespace spotform::sim
