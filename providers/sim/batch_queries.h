#pragma once

#include <nlohmann/json.hpp>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// The environment named by params.EnvId in the caller's region:
// MissingParameter / InvalidParameter.EnvIdMalformed / ResourceNotFound.ComputeEnv.
Result<ComputeEnv*> LookUpEnv(SimWorld& world, const CallContext& context,
                              const nlohmann::json& params);

// Batch read actions.
Result<nlohmann::json> DescribeComputeEnv(SimWorld& world, const CallContext& context,
                                          const nlohmann::json& params);
Result<nlohmann::json> DescribeComputeEnvs(SimWorld& world, const CallContext& context,
                                           const nlohmann::json& params);
Result<nlohmann::json> DescribeComputeEnvActivities(SimWorld& world, const CallContext& context,
                                                    const nlohmann::json& params);

}  // namespace spotform::sim
