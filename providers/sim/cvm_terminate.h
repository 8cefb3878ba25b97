#pragma once

#include <nlohmann/json.hpp>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// CVM TerminateInstances: validates every id first (format, existence, state, one charge
// type), then moves them all to TERMINATING. An instance that backs a Batch node takes the
// node with it; the Batch reconciler refills it while the desired count includes it.
Result<nlohmann::json> TerminateInstances(SimWorld& world, const CallContext& context,
                                          const nlohmann::json& params);

}  // namespace spotform::sim
