#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/cloud_types.h"
#include "engine/model/result.h"
#include "providers/tencent/response_reader.h"

namespace spotform {

// The Batch Compute side of the wire format: CreateComputeEnv requests, environments, nodes,
// metrics and activities.

// The CreateComputeEnv parameters: a MANAGED environment of SPOTPAID one-time nodes.
// Optional parts (tags, description) are left out when empty; the spec is assumed checked.
nlohmann::json EncodeCreateComputeEnv(const ComputeEnvSpec& spec);

// The ModifyComputeEnv parameters that set an environment's instance types: EnvData holds
// only InstanceTypes (the one field ModifyComputeEnv's EnvData takes).
nlohmann::json EncodeSetInstanceTypes(const std::string& env_id,
                                      const std::vector<std::string>& types);

// The reply of DescribeComputeEnv.
Result<ComputeEnv> DecodeComputeEnv(const ResponseReader& reply);
// A ComputeEnvView of DescribeComputeEnvs (and the common part of DescribeComputeEnv).
Result<ComputeEnvInfo> DecodeComputeEnvInfo(const ResponseReader& view);
// A ComputeNode.
Result<ComputeNode> DecodeComputeNode(const ResponseReader& item);
// An Activity of DescribeComputeEnvActivities.
Result<ComputeEnvActivity> DecodeActivity(const ResponseReader& item);

ComputeNodeState ParseComputeNodeState(std::string_view text);

}  // namespace spotform
