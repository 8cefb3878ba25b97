#pragma once

#include <string>
#include <vector>

#include "engine/model/cloud_types.h"

namespace spotform {

// What Batch Compute allows for a node in each state (Tencent's documented rules):
// TerminateComputeNode(s) accepts CREATED, CREATION_FAILED, RUNNING and ABNORMAL nodes;
// lowering DesiredComputeNodeCount by n destroys n CREATED, RUNNING or ABNORMAL nodes, or fails
// with UnsupportedOperation.NotEnoughComputeNodesToTerminate when fewer exist. Pure rules;
// the executor and the planner both ask here instead of listing states themselves.

// TerminateComputeNode(s) may name the node now.
bool IsTerminable(ComputeNodeState state);
// Batch's own scale-in may destroy the node now.
bool IsDestroyableByScaleIn(ComputeNodeState state);
// The node is on its way up (SUBMITTED, PENDING, CREATING): neither terminable nor
// destroyable yet, but soon will be.
bool IsComingUp(ComputeNodeState state);

// The nodes of one environment counted by what Batch allows for them (DELETING ones apart).
struct NodeCensus {
  int destroyable = 0;        // CREATED, RUNNING, ABNORMAL
  int coming_up = 0;          // SUBMITTED, PENDING, CREATING
  int waiting_for_stock = 0;  // CREATION_FAILED: Batch retries when stock or price allows
  int deleting = 0;
  int other = 0;  // states this version does not know

  int Live() const { return destroyable + coming_up + waiting_for_stock + other; }
};
NodeCensus CensusOfNodes(const std::vector<ComputeNode>& nodes);

// Why Batch refused to lower `env_id` from `from` to `to` with NotEnoughComputeNodesToTerminate,
// and what the user can do, in spotform's words ("" when the census does not explain it).
std::string ExplainScaleInRefusal(const std::string& env_id, int64_t from, int64_t to,
                                  const NodeCensus& census);

}  // namespace spotform
