#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/apply/step_context.h"

namespace spotform {

// Batch Compute building blocks shared by the batch step runners and Settle. Batch keeps the
// count of an environment itself, so every release is preceded by a confirmed lower
// DesiredComputeNodeCount (spec §1).

// Sends `call` until the environment is not busy with an earlier request, bounded like every
// other wait (--timeout): every modifying Batch call goes through here or SetDesiredAndConfirm.
// Errors come worded: "ADDRESS: WHAT failed: ...", kind kept.
Status CallWhenNotBusy(StepContext& context, StepTally& tally, const std::string& env_id,
                       const std::string& what, const std::function<Status()>& call);

// Sets DesiredComputeNodeCount to `to` (waiting out a busy environment within the timeout),
// then describes until the environment reports it: the confirmation the ordering rule needs.
Status SetDesiredAndConfirm(StepContext& context, const std::string& env_id, int to,
                            StepTally& tally);

// Releases the nodes of `ids` still present, at most as many as the environment's live nodes
// exceed its desired count (Batch may have removed some itself), under intent `intent_id`
// (0: open one). Afterwards, if Batch lowered the desired count below the pool's expected
// count (terminate-decrements), sets it back and confirms; then records the nodes and closes
// the intent. Adds what it released to tally.released.
Status ReleaseSurplusNodes(StepContext& context, Pool& pool, const std::vector<std::string>& ids,
                           int64_t intent_id, StepTally& tally);

// The id of a live environment carrying this state's owner tags for `pool_id` ("" when none):
// what an unanswered CreateComputeEnv may have created before a repeat was refused.
Result<std::string> FindOwnedEnvOfPool(StepContext& context, const std::string& pool_id);

// Deletes the environment (already gone is fine) and describes until Batch no longer knows it.
Status DeleteAndConfirmGone(StepContext& context, const std::string& env_id, StepTally& tally);

}  // namespace spotform
