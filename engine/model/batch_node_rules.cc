#include "engine/model/batch_node_rules.h"

#include "engine/model/words.h"

namespace spotform {

bool IsTerminable(ComputeNodeState state) {
  return state == ComputeNodeState::kCreated || state == ComputeNodeState::kCreationFailed ||
         state == ComputeNodeState::kRunning || state == ComputeNodeState::kAbnormal;
}

bool IsDestroyableByScaleIn(ComputeNodeState state) {
  return state == ComputeNodeState::kCreated || state == ComputeNodeState::kRunning ||
         state == ComputeNodeState::kAbnormal;
}

bool IsComingUp(ComputeNodeState state) {
  return state == ComputeNodeState::kSubmitted || state == ComputeNodeState::kPending ||
         state == ComputeNodeState::kCreating;
}

NodeCensus CensusOfNodes(const std::vector<ComputeNode>& nodes) {
  NodeCensus census;
  for (const ComputeNode& node : nodes) {
    if (IsDestroyableByScaleIn(node.state)) {
      ++census.destroyable;
    } else if (IsComingUp(node.state)) {
      ++census.coming_up;
    } else if (node.state == ComputeNodeState::kCreationFailed) {
      ++census.waiting_for_stock;
    } else if (node.state == ComputeNodeState::kDeleting) {
      ++census.deleting;
    } else {
      ++census.other;
    }
  }
  return census;
}

std::string ExplainScaleInRefusal(const std::string& env_id, int64_t from, int64_t to,
                                  const NodeCensus& census) {
  const int64_t asked = from - to;
  if (asked <= 0 || census.destroyable >= asked) return "";
  std::string text = "Batch cannot lower " + env_id + " from " + std::to_string(from) + " to " +
                     std::to_string(to) + " now: its scale-in removes only created nodes " +
                     "(CREATED, RUNNING, ABNORMAL), it would need " + std::to_string(asked) +
                     " and has " + std::to_string(census.destroyable);
  if (census.waiting_for_stock > 0) {
    text += "; " + Plural(census.waiting_for_stock, "node waits", "nodes wait") +
            " for stock or price (CREATION_FAILED)";
  }
  if (census.coming_up > 0) {
    text += "; " + Plural(census.coming_up, "node is", "nodes are") + " still being created";
  }
  text += ". Nothing was released: the " +
          Plural(census.destroyable, "created node keeps", "created nodes keep") +
          " running. Run apply again once the waiting nodes are created (raise max_price or "
          "choose another instance_type or zone to get there sooner), or destroy the "
          "environment, which Batch always accepts";
  return text;
}

}  // namespace spotform
