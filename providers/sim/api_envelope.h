#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "providers/sim/api_reply.h"

namespace spotform::sim {

// The API 3.0 response envelopes. Both are sent with HTTP 200:
//   {"Response": {<output fields...>, "RequestId": "<uuid>"}}
//   {"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "<uuid>"}}

// A random (version 4) UUID, e.g. "3c140219-cfe9-470e-b241-907877d6fb03".
std::string NewRequestId();
// `reply.fields` must be a JSON object (the action's output fields). The body is exactly
// DumpJson of {"Response": reply.ToJson() + RequestId}, keys in the same (sorted) order, but
// the spliced texts are copied in as they are, never parsed or re-serialized.
std::string SuccessBody(ApiReply reply, const std::string& request_id);
std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& request_id);
// Serializes without ever throwing: invalid UTF-8 from a client is replaced, not fatal.
std::string DumpJson(const nlohmann::json& value);

}  // namespace spotform::sim
