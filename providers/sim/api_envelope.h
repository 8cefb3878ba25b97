#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace spotform::sim {

// The API 3.0 response envelopes. Both are sent with HTTP 200:
//   {"Response": {<output fields...>, "RequestId": "<uuid>"}}
//   {"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "<uuid>"}}

// A random (version 4) UUID, e.g. "3c140219-cfe9-470e-b241-907877d6fb03".
std::string NewRequestId();
// `output` must be a JSON object (the action's output fields).
std::string SuccessBody(nlohmann::json output, const std::string& request_id);
std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& request_id);
// Serializes without ever throwing: invalid UTF-8 from a client is replaced, not fatal.
std::string DumpJson(const nlohmann::json& value);

}  // namespace spotform::sim
