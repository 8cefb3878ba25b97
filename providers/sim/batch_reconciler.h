#pragma once

#include "providers/sim/sim_world.h"

namespace spotform::sim {

// Batch's reconciler, run once per tick. For every environment that is not being deleted it
// counts live nodes (CREATING or RUNNING; DELETING and CREATION_FAILED do not count) and
// launches the missing ones, trying EnvData's instance types in order: a type is usable when
// it is sold in the zone, the bid (MaxPrice, or the market price without one) covers the spot
// price, and a slot is free. When no type is usable it records one FAILED
// CREATE_COMPUTE_NODE activity for the environment and tries again next tick. It never
// removes nodes: surplus nodes (manual scale-in) stay until released.
void ReconcileComputeEnvs(SimWorld& world);

}  // namespace spotform::sim
