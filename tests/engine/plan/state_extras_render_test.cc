// What `spotform show` prints beside the environments: the locks held (who runs what on
// which environments) and the candidate holds in force.
#include "engine/plan/state_extras_render.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Clock::WallTime kNow = Clock::WallTime(std::chrono::hours(492960));  // 2026-03-28T00:00Z

LockInfo Lock(const std::string& id, LockScope scope, Clock::WallTime since) {
  LockInfo lock;
  lock.id = id;
  lock.operation = "apply";
  lock.user = "alice";
  lock.host = "ci-3";
  lock.pid = 4242;
  lock.created = since;
  lock.scope = std::move(scope);
  return lock;
}

TEST(StateExtrasRenderTest, EachLockSaysWhoRunsWhatOnWhichEnvironments) {
  const std::vector<LockInfo> locks = {
      Lock("l-1", LockScope::Environments({"render", "ci"}), kNow - seconds(133)),
      Lock("l-2", LockScope::WholeState(), kNow - minutes(1))};
  EXPECT_EQ(RenderLocksText(locks, kNow),
            "Locks held:\n"
            "  apply of env.ci, env.render by alice@ci-3 (pid 4242), 2m13s; lock ID l-1\n"
            "  apply of the whole state by alice@ci-3 (pid 4242), 1m; lock ID l-2\n");
  EXPECT_EQ(RenderLocksText({}, kNow), "");

  const nlohmann::ordered_json json = LocksToJson(locks);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0].dump(),
            R"({"id":"l-1","operation":"apply","whole_state":false,"environments":["ci","render"],)"
            R"("user":"alice","host":"ci-3","pid":4242,"since":"2026-03-27T23:57:47Z"})");
  EXPECT_FALSE(json[1].contains("environments"));
  EXPECT_TRUE(json[1]["whole_state"].get<bool>());
}

TEST(StateExtrasRenderTest, OnlyTheHoldsInForceAreShown) {
  const std::vector<CandidateHold> holds = {
      {"ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable, kNow + minutes(3)},
      {"ap-guangzhou-4", "SA2.MEDIUM4", HoldKind::kCooling, kNow + minutes(10)},
      {"ap-guangzhou-6", "S5.LARGE8", HoldKind::kUnavailable, kNow}};  // just ended
  EXPECT_EQ(RenderHoldsText(holds, kNow),
            "Held candidates:\n"
            "  S5.MEDIUM4 in ap-guangzhou-3  skipped until 2026-03-28T00:03:00Z (refused a "
            "launch)\n"
            "  SA2.MEDIUM4 in ap-guangzhou-4  tried last until 2026-03-28T00:10:00Z (lost "
            "instances to a reclaim)\n");
  EXPECT_EQ(HoldsToJson(holds, kNow).dump(),
            R"([{"zone":"ap-guangzhou-3","instance_type":"S5.MEDIUM4","kind":"unavailable",)"
            R"("until":"2026-03-28T00:03:00Z"},{"zone":"ap-guangzhou-4",)"
            R"("instance_type":"SA2.MEDIUM4","kind":"cooling","until":"2026-03-28T00:10:00Z"}])");
  EXPECT_EQ(RenderHoldsText({}, kNow), "");
}

}  // namespace
}  // namespace spotform
