#pragma once

#include "engine/plan/plan.h"
#include "engine/apply/step_context.h"

namespace spotform {

// The batch-mode steps. Batch keeps each environment at DesiredComputeNodeCount; spotform
// creates the environment (ClientToken under a journal intent), waits for capacity with
// progress, lowers and confirms the count before it releases surplus nodes, and deletes.

// kCreatePool: CreateComputeEnv under a create_env intent; records the pool with its env id.
Status BatchCreatePool(StepContext& context, const Step& step);

// kWaitForCapacity: unless --no-wait, describes until step.count nodes run (bounded),
// recording the node list each time.
Status BatchWaitForCapacity(StepContext& context, const Step& step, StepTally& tally);

// kSetExpectedCount: sets DesiredComputeNodeCount and confirms it before recording it.
Status BatchSetExpectedCount(StepContext& context, const Step& step, StepTally& tally);

// kRelease: releases the planned nodes still present while a surplus remains, then makes
// sure the desired count ends at the pool's expected count.
Status BatchRelease(StepContext& context, const Step& step, StepTally& tally);

// kSetInstanceTypes: ModifyComputeEnv EnvData.InstanceTypes (waiting out a busy environment),
// then records the new list on the pool's spec. Nodes already created keep their type.
Status BatchSetInstanceTypes(StepContext& context, const Step& step, StepTally& tally);

// kDeletePool: DeleteComputeEnv, confirm it is gone, drop the pool.
Status BatchDeletePool(StepContext& context, const Step& step, StepTally& tally);

}  // namespace spotform
