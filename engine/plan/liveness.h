#pragma once

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

}  // namespace spotform
