#pragma once

#include <string>
#include <vector>

#include "engine/apply/step_context.h"
#include "engine/plan/plan.h"

namespace spotform {

// The cvm-mode steps other than kLaunch (see cvm_launcher.h). In cvm mode spotform keeps
// the count: the pool's expected count in state is what `watch` and later applies honour,
// so lowering it is one state write, and releases come after it (spec §1).

// kCreatePool: records the pool with its expected count.
Status CvmCreatePool(StepContext& context, const Step& step);

// kSetExpectedCount: records the new expected count.
Status CvmSetExpectedCount(StepContext& context, const Step& step);

// kRelease: describes the instances first; those gone, terminating or failed at launch are
// only dropped from state; pending ones are waited for (bounded), never sent a terminate that
// would fail; the rest are terminated under a journal intent and dropped from state.
Status CvmRelease(StepContext& context, const Step& step, StepTally& tally);

// kWaitForCapacity (before old capacity is retired): describes the pool's live instances
// until `step.count` of them run, recording their states. Fails at once when fewer than that
// are still running or pending (reclaimed, failed), and on timeout; the old capacity then
// stays.
Status CvmWaitForCapacity(StepContext& context, const Step& step, StepTally& tally);

// kDeletePool: drops the (emptied) pool from state.
Status CvmDeletePool(StepContext& context, const Step& step);

// Describes `ids` until none of them is pending (bounded by the timeout). Errors name the
// context's address and `what` ("release").
Result<InstanceObservation> DescribeOncePending(StepContext& context,
                                                const std::vector<std::string>& ids,
                                                StepTally& tally, const std::string& what);

// The instances of `observation` that a terminate call would actually release (not
// terminating, not failed at launch), with their charge types.
std::vector<InstanceRef> Releasable(const InstanceObservation& observation);

}  // namespace spotform
