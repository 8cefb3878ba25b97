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

PoolCensus CensusOf(const Pool& pool) {
  PoolCensus census;
  for (const RecordedInstance& instance : pool.instances) {
    switch (LifeOf(instance, pool.spec.mode)) {
      case InstanceLife::kGone:
        census.gone.push_back(&instance);
        break;
      case InstanceLife::kFailed:
        census.failed.push_back(&instance);
        break;
      case InstanceLife::kLeaving:
        census.leaving.push_back(&instance);
        break;
      case InstanceLife::kLive:
        census.live.push_back(&instance);
        break;
    }
  }
  return census;
}

}  // namespace spotform
