// Liveness (engine/plan/liveness.h): which recorded instances count toward a pool's expected
// count. One rule for the planner, the keeper and `state mv`.
#include "engine/plan/liveness.h"

#include <gtest/gtest.h>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using testing::Ins;

struct LifeCase {
  const char* state;
  Mode mode;
  InstanceLife life;
};

TEST(Liveness, EachRecordedStateHasOneLife) {
  const LifeCase cases[] = {
      {"PENDING", Mode::kCvm, InstanceLife::kLive},
      {"RUNNING", Mode::kCvm, InstanceLife::kLive},
      {"GONE", Mode::kCvm, InstanceLife::kGone},
      {"LAUNCH_FAILED", Mode::kCvm, InstanceLife::kFailed},
      {"TERMINATING", Mode::kCvm, InstanceLife::kLeaving},
      {"DELETING", Mode::kCvm, InstanceLife::kLeaving},
      {"RUNNING", Mode::kBatch, InstanceLife::kLive},
      {"GONE", Mode::kBatch, InstanceLife::kGone},
      // Batch recreates a node that failed; it still counts (and is released first).
      {"CREATION_FAILED", Mode::kBatch, InstanceLife::kLive},
      {"LAUNCH_FAILED", Mode::kBatch, InstanceLife::kLive},
      {"DELETING", Mode::kBatch, InstanceLife::kLeaving},
      {"TERMINATING", Mode::kBatch, InstanceLife::kLeaving},
  };
  for (const LifeCase& c : cases) {
    const RecordedInstance instance = Ins("ins-aaaa1111", c.state);
    SCOPED_TRACE(std::string(c.state) + " " + std::string(ModeName(c.mode)));
    EXPECT_EQ(LifeOf(instance, c.mode), c.life);
    EXPECT_EQ(IsLiveInstance(instance, c.mode), c.life == InstanceLife::kLive);
  }
}

}  // namespace
}  // namespace spotform
