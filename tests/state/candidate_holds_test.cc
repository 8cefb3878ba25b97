// Candidate holds in the state (spec §3 "Fallback candidates"): a candidate that refused a
// launch, or lost instances to a reclaim, is held until a moment recorded in the state, so
// that separate runs share it. On every backend: the round trip, insert-or-extend, pruning,
// and `state migrate` (Import).
#include <gtest/gtest.h>

#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

using std::chrono::minutes;

CandidateHold Held(const std::string& zone, const std::string& type, HoldKind kind,
                   Clock::WallTime until) {
  return CandidateHold{zone, type, kind, until};
}

TEST_P(BackendStoreTest, CandidateHoldsSurviveApplyAndLoadInAnotherStore) {
  const Clock::WallTime t0 = clock_.Now();
  {
    auto writer = OpenStore();
    EXPECT_EQ(
        MustApply(*writer,
                  StateEdit()
                      .Add(StateEdit::PutCandidateHold{
                          Held("ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable,
                               t0 + minutes(3) + std::chrono::nanoseconds(7))})
                      .Add(StateEdit::PutCandidateHold{Held("ap-guangzhou-4", "S5.LARGE8",
                                                            HoldKind::kCooling, t0 + minutes(10))}))
            .serial,
        1);
  }
  StateSnapshot loaded = MustLoad(*OpenStore());
  EXPECT_EQ(Dump(loaded), "lineage " + loaded.lineage + " serial 1\n" +
                              "hold cooling ap-guangzhou-4 S5.LARGE8 " +
                              std::to_string(Nanos(t0 + minutes(10))) + "\n" +
                              "hold unavailable ap-guangzhou-3 S5.MEDIUM4 " +
                              std::to_string(Nanos(t0 + minutes(3)) + 7) + "\n");
}

TEST_P(BackendStoreTest, PuttingAHoldAgainKeepsTheLaterEndPerKind) {
  const Clock::WallTime t0 = clock_.Now();
  auto store = OpenStore();
  auto put = [&](HoldKind kind, Clock::WallTime until) {
    MustApply(*store, StateEdit().Add(StateEdit::PutCandidateHold{
                          Held("ap-guangzhou-3", "S5.MEDIUM4", kind, until)}));
  };
  put(HoldKind::kUnavailable, t0 + minutes(3));
  put(HoldKind::kUnavailable, t0 + minutes(1));  // earlier: the later end stays
  put(HoldKind::kCooling, t0 + minutes(10));     // another kind: a hold of its own
  StateSnapshot loaded = MustLoad(*store);
  EXPECT_EQ(loaded.candidate_holds,
            (std::vector<CandidateHold>{
                Held("ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kCooling, t0 + minutes(10)),
                Held("ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable, t0 + minutes(3))}));

  put(HoldKind::kUnavailable, t0 + minutes(5));  // later: extends
  EXPECT_EQ(MustLoad(*store).candidate_holds.back().until, t0 + minutes(5));
}

TEST_P(BackendStoreTest, PruningRemovesOnlyTheHoldsNoLongerInForce) {
  const Clock::WallTime t0 = clock_.Now();
  auto store = OpenStore();
  MustApply(*store,
            StateEdit()
                .Add(StateEdit::PutCandidateHold{
                    Held("ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable, t0 + minutes(3))})
                .Add(StateEdit::PutCandidateHold{
                    Held("ap-guangzhou-4", "S5.MEDIUM4", HoldKind::kCooling, t0 + minutes(10))}));

  MustApply(*store, StateEdit().Add(StateEdit::PruneCandidateHolds{t0 + minutes(2)}));
  EXPECT_EQ(MustLoad(*store).candidate_holds.size(), 2u);
  MustApply(*store, StateEdit().Add(StateEdit::PruneCandidateHolds{t0 + minutes(3)}));
  EXPECT_EQ(MustLoad(*store).candidate_holds,
            (std::vector<CandidateHold>{
                Held("ap-guangzhou-4", "S5.MEDIUM4", HoldKind::kCooling, t0 + minutes(10))}));
}

TEST_P(BackendStoreTest, AHoldWithoutZoneOrTypeIsRefusedAndChangesNothing) {
  auto store = OpenStore();
  Result<ApplyOutcome> refused = store->Apply(
      StateEdit()
          .Add(StateEdit::PutEnvironment{RenderSpec()})
          .Add(StateEdit::PutCandidateHold{Held("", "S5.MEDIUM4", HoldKind::kUnavailable, {})}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(MustLoad(*store).serial, 0);
}

TEST_P(BackendStoreTest, ImportCarriesTheCandidateHolds) {
  const Clock::WallTime t0 = clock_.Now();
  auto source = OpenStore("source");
  MustApply(*source,
            FullStateEdit(t0).Add(StateEdit::PutCandidateHold{
                Held("ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable, t0 + minutes(3))}));
  const StateSnapshot written = MustLoad(*source);
  ASSERT_EQ(written.candidate_holds.size(), 1u);

  auto destination = OpenStore();
  Status imported = destination->Import(written);
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(Dump(MustLoad(*OpenStore())), Dump(written));
}

// Instantiated for both backends in state_round_trip_test.cc.

}  // namespace
}  // namespace spotform
