#pragma once

#include <vector>

#include "engine/config/config.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "engine/plan/plan.h"

namespace spotform {

// The basis of a plan of `changes`, made from `config` and `state` (PlanBasis, plan.h): the
// config's shared digest and, for each change that is not a no-op (a destroy's deletions
// included), its environment's serial in `state` (0 when never written) and the digest of
// its spec in `config` ("" when the config does not declare it). Pure.
PlanBasis MakePlanBasis(const Config& config, const StateSnapshot& state,
                        const std::vector<Change>& changes);

// Whether a plan on `basis` still fits `state` and `config`: every environment of the basis
// has the serial and the config it was planned with, and the shared settings are unchanged.
// Otherwise a kConflict error saying what moved on: the environments' state first, then
// the shared settings, then the environments' config:
//   "env.render changed since the plan was made (serial 7, now 9): run `spotform plan` again"
//   "the provider or state settings in spotform.yaml changed since the plan was made: ..."
//   "the config of env.render changed since the plan was made: run `spotform plan` again"
// Environments outside the basis may have changed in any way.
Status CheckPlanBasis(const PlanBasis& basis, const StateSnapshot& state, const Config& config);

}  // namespace spotform
