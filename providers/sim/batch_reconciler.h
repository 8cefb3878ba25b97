#pragma once

#include "providers/sim/sim_world.h"

namespace spotform::sim {

// Batch's reconciler, run once per tick. For every environment that is not being deleted:
//  1. it counts the nodes that hold desired capacity (SUBMITTED, CREATION_FAILED, CREATING,
//     RUNNING; not DELETING) and, while that count is above DesiredComputeNodeCount, cancels
//     placeholder nodes (no instance), newest first; created nodes are never removed here;
//  2. it retries every placeholder whose last attempt was on an earlier tick
//     (ActionIfComputeNodeInactive RECREATE): it gets an instance and goes CREATING, or stays
//     CREATION_FAILED with the reason (SimWorld::RecordFailedAttempt);
//  3. it submits a node for every missing unit of capacity: with a usable offer it is CREATING
//     at once, else it is a SUBMITTED placeholder until its first retry next tick.
// EnvData's instance types are tried in order: a type is usable when it is sold in the zone,
// the bid (MaxPrice, or the market price without one) covers the spot price, and a slot is
// free. A shortage never fails an API call: the nodes wait as placeholders.
void ReconcileComputeEnvs(SimWorld& world);

}  // namespace spotform::sim
