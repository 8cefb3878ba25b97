#pragma once

#include <vector>

#include "engine/model/environment_spec.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// How a recorded instance counts toward its pool's expected count: the one rule the
// planner, the `watch` keeper and `state mv` share.
//   kGone     refresh found it no longer exists (state GONE)
//   kFailed   cvm: LAUNCH_FAILED, dead (the cloud removes it; it cannot be terminated).
//             A Batch CREATION_FAILED node is not failed here: Batch recreates it, so it
//             still counts as live (and is released first)
//   kLeaving  TERMINATING or DELETING: on its way out, no longer counted
//   kLive     everything else (pending, running, ...): counted
enum class InstanceLife { kGone, kFailed, kLeaving, kLive };

// The life of `instance`, recorded in a pool of `mode`.
InstanceLife LifeOf(const RecordedInstance& instance, Mode mode);

// True when `instance` counts toward its pool's expected count (LifeOf is kLive).
bool IsLiveInstance(const RecordedInstance& instance, Mode mode);

// A pool's recorded instances sorted by LifeOf, each list in the pool's order. The pointers
// point into the pool, which must outlive the census.
struct PoolCensus {
  std::vector<const RecordedInstance*> live;
  std::vector<const RecordedInstance*> gone;
  std::vector<const RecordedInstance*> failed;  // cvm LAUNCH_FAILED
  std::vector<const RecordedInstance*> leaving;
};

// The census of `pool` by its recorded spec's mode.
PoolCensus CensusOf(const Pool& pool);

}  // namespace spotform
