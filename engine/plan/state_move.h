#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/model/result.h"
#include "engine/model/state_edit.h"
#include "engine/model/state_snapshot.h"
#include "engine/plan/state_address.h"

namespace spotform {

// The rules of `spotform state mv SRC DST`, decided from the recorded state (and the config,
// for a note) alone: the cloud is not touched, nothing is written here. The command applies
// `edit` in one change and prints the rest.
//   env.OLD -> env.NEW      renames an environment with its pools and instances; env.NEW must
//                           not be recorded (mv does not merge).
//   env.A.ins-... -> env.B  moves a cvm instance into env.B's current pool (the one of env.B's
//                           applied shape), which must have the instance's pool's shape. A
//                           live instance (engine/plan/liveness.h, the planner's rule) takes
//                           one of the expected count, and of the recorded desired count, with
//                           it; one that is not live moves alone.
struct StateMove {
  // A pool's expected count before and after the move.
  struct CountChange {
    std::string environment;  // "render"
    int before = 0;
    int after = 0;
  };

  StateEdit edit;
  std::string from;                          // "env.render", "env.render.ins-1a2b3c4d"
  std::string to;                            // "env.farm", "env.preview.ins-1a2b3c4d"
  std::vector<CountChange> expected_counts;  // source then destination; empty if none change
  std::string note;  // a rename the config does not follow yet: what to do about it, or ""
};

// The rules that need no state: an environment moves to an environment address, not to an
// instance address (kInvalidInput).
Status CheckMoveAddresses(const StateAddress& source, const StateAddress& destination);

// Decides moving `source` to `destination` in `state`. Errors name the address first and
// leave the "state mv: " prefix to the caller: kNotFound for an address that is not
// recorded (with FindStateAddress's hints), kConflict for a destination environment that is
// already recorded or has no pool to move into, kInvalidInput for a move the rules forbid.
Result<StateMove> PlanStateMove(const Config& config, const StateSnapshot& state,
                                const StateAddress& source, const StateAddress& destination);

}  // namespace spotform
