#include "providers/sim/api_reply.h"

namespace spotform::sim {

nlohmann::json ApiReply::ToJson() const {
  nlohmann::json out = fields;
  if (spliced_key.empty()) return out;
  nlohmann::json array = nlohmann::json::array();
  for (const Text& text : spliced)
    array.push_back(nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false));
  out[spliced_key] = std::move(array);
  return out;
}

}  // namespace spotform::sim
