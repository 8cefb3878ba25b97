#include "providers/sim/api_envelope.h"

#include <utility>

#include "engine/model/crypto.h"

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

std::string SuccessBody(ApiReply reply, const std::string& request_id) {
  nlohmann::json& output = reply.fields;
  output["RequestId"] = request_id;
  if (reply.spliced_key.empty()) return DumpJson(nlohmann::json{{"Response", std::move(output)}});

  size_t size = 64;
  for (const ApiReply::Text& text : reply.spliced) size += text->size() + 1;
  std::string body;
  body.reserve(size);
  body += "{\"Response\":{";
  bool first = true;
  auto put_key = [&](const std::string& key) {
    if (!first) body += ',';
    first = false;
    body += DumpJson(key);
    body += ':';
  };
  auto put_spliced = [&] {
    put_key(reply.spliced_key);
    body += '[';
    for (size_t i = 0; i < reply.spliced.size(); ++i) {
      if (i > 0) body += ',';
      body += *reply.spliced[i];
    }
    body += ']';
  };
  // nlohmann::json objects iterate (and dump) in key order; the spliced field takes its place
  // in that order, so the body is byte for byte what dumping the whole object would give.
  bool spliced = false;
  for (auto it = output.begin(); it != output.end(); ++it) {
    if (it.key() == reply.spliced_key) continue;
    if (!spliced && reply.spliced_key < it.key()) {
      put_spliced();
      spliced = true;
    }
    put_key(it.key());
    body += DumpJson(it.value());
  }
  if (!spliced) put_spliced();
  body += "}}";
  return body;
}

std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& request_id) {
  return DumpJson(nlohmann::json{
      {"Response",
       {{"Error", {{"Code", code}, {"Message", message}}}, {"RequestId", request_id}}}});
}

}  // namespace spotform::sim
