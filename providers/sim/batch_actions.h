#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// Batch modifying actions. Every one validates all of its input first and changes nothing
// on error. Modify / TerminateComputeNode(s) / Delete mark the environment busy for
// `busy_ticks`; a modifying call meanwhile answers
// UnsupportedOperation.ComputeEnvAcceptOtherRequest. Capacity never fails a request: the
// reconciler launches nodes later (batch_reconciler.h).

Result<nlohmann::json> CreateComputeEnv(SimWorld& world, const CallContext& context,
                                        const nlohmann::json& params);
Result<nlohmann::json> ModifyComputeEnv(SimWorld& world, const CallContext& context,
                                        const nlohmann::json& params);
Result<nlohmann::json> TerminateComputeNode(SimWorld& world, const CallContext& context,
                                            const nlohmann::json& params);
Result<nlohmann::json> TerminateComputeNodes(SimWorld& world, const CallContext& context,
                                             const nlohmann::json& params);
Result<nlohmann::json> DeleteComputeEnv(SimWorld& world, const CallContext& context,
                                        const nlohmann::json& params);

// Batch's own release of a node: its instance goes TERMINATING (even if still PENDING);
// a CREATION_FAILED node is dropped at once.
void ReleaseNode(SimWorld& world, ComputeEnv& env, const std::string& node_id,
                 const std::string& cause);

}  // namespace spotform::sim
