#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// Batch modifying actions, following Tencent's documented rules. Every one validates all of
// its input first and changes nothing on error. Modify / TerminateComputeNode(s) / Delete mark
// the environment busy for `busy_ticks`; a modifying call meanwhile answers
// UnsupportedOperation.ComputeEnvAcceptOtherRequest. Capacity (stock, price) never fails a
// request: the reconciler creates nodes later, as placeholders while it cannot
// (batch_reconciler.h).
//  - ModifyComputeEnv raising the count: nodes are created asynchronously. Lowering it by n:
//    see ScaleInPolicy (batch-picks: n RUNNING nodes destroyed, newest first, or
//    UnsupportedOperation.NotEnoughComputeNodesToTerminate and nothing changes).
//  - TerminateComputeNode(s): only CREATION_FAILED and RUNNING nodes (Batch also allows
//    CREATED and ABNORMAL, which the emulator never shows); SUBMITTED / CREATING are refused
//    with UnsupportedOperation.ComputeNodeForbidTerminate, DELETING with
//    UnsupportedOperation.ComputeNodeIsTerminating. All named nodes are checked first. A
//    CREATION_FAILED placeholder is removed at once. See TerminateNodePolicy for the count.
//  - DeleteComputeEnv: placeholders are removed at once, the other nodes go DELETING.

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
// a placeholder (no instance) is dropped at once; a DELETING node is left as it is.
void ReleaseNode(SimWorld& world, ComputeEnv& env, const std::string& node_id,
                 const std::string& cause);

}  // namespace spotform::sim
