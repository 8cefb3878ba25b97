#include "engine/plan/liveness.h"

#include "engine/plan/refresh.h"

namespace spotform {

InstanceLife LifeOf(const RecordedInstance& instance, Mode mode) {
  if (instance.state == kGoneState) return InstanceLife::kGone;
  if (mode == Mode::kCvm && instance.state == "LAUNCH_FAILED") return InstanceLife::kFailed;
  if (instance.state == "TERMINATING" || instance.state == "DELETING") {
    return InstanceLife::kLeaving;
  }
  return InstanceLife::kLive;
}

bool IsLiveInstance(const RecordedInstance& instance, Mode mode) {
  return LifeOf(instance, mode) == InstanceLife::kLive;
}

}  // namespace spotform
