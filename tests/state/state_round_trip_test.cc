#include <gtest/gtest.h>

#include <regex>

#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

using std::chrono::nanoseconds;

TEST_P(BackendStoreTest, EveryFieldSurvivesApplyAndLoadInAnotherStore) {
  const Clock::WallTime t0 = clock_.Now();
  std::string lineage;
  {
    auto writer = OpenStore();
    lineage = MustLoad(*writer).lineage;
    ApplyOutcome outcome = MustApply(*writer, FullStateEdit(t0));
    EXPECT_EQ(outcome.serial, 1);
    EXPECT_EQ(outcome.intent_ids, std::vector<int64_t>{1});
  }
  auto reader = OpenStore();
  StateSnapshot loaded = MustLoad(*reader);

  const std::string t = std::to_string(Nanos(t0));
  const std::string expected =
      "lineage " + lineage +
      " serial 1\n"
      "env bake: bake batch ap-shanghai-2 SA2.LARGE8 img-l8og963d 1.5 2 {}\n"
      "  pool p-ba7c4000 batch_env=env-kxq8w2zb expected=2: "
      "bake batch ap-shanghai-2 SA2.LARGE8 img-l8og963d 1.5 2 {}\n"
      "    instance id= node=node-11112222 ap-shanghai-2 SA2.LARGE8 CREATING " +
      t +
      " token= created\n"
      "    instance id=ins-bbbb3333 node=node-33334444 ap-shanghai-2 SA2.LARGE8 RUNNING " +
      t +
      " token= created\n"
      "env render: render cvm ap-guangzhou-3 S5.MEDIUM4 img-pmqg1cw7 0.60 3 "
      "{cost-center=42;team=vfx;}\n"
      "  pool p-3f2a9c1e batch_env= expected=3: render cvm ap-guangzhou-3 S5.MEDIUM4 "
      "img-pmqg1cw7 0.60 3 {cost-center=42;team=vfx;}\n"
      "    instance id=ins-aaaa1111 node= ap-guangzhou-3 S5.MEDIUM4 RUNNING " +
      std::to_string(Nanos(t0) + 123456789) +
      " token=spotform-launch-ins-aaaa1111 created\n"
      "    instance id=ins-aaaa2222 node= ap-guangzhou-3 S5.MEDIUM4 PENDING " +
      std::to_string(Nanos(t0) + 987654321) +
      " token=spotform-launch-ins-aaaa2222 created\n"
      "    instance id=ins-imp00001 node= ap-guangzhou-3 S5.MEDIUM4 RUNNING " +
      std::to_string(Nanos(t0) - 48LL * 3600 * 1000000000) +
      " token= imported\n"
      "  pool p-00c0ffee batch_env= expected=0: render cvm ap-guangzhou-3 S5.SMALL2 "
      "img-pmqg1cw7 0.3 3 {}\n"
      "    instance id=ins-old00001 node= ap-guangzhou-3 S5.MEDIUM4 LAUNCH_FAILED " +
      t +
      " token=spotform-launch-ins-old00001 created\n"
      "intent 1 render p-3f2a9c1e launch token=spotform-7d1e-0003 "
      "payload={\"count\":2,\"zone\":\"ap-guangzhou-3\"} " +
      std::to_string(Nanos(t0) + 42) + "\n";
  EXPECT_EQ(Dump(loaded), expected);
}

TEST_P(BackendStoreTest, NeverWrittenStateLoadsAsEmptyWithTheLineageTheFirstWriteKeeps) {
  auto store = OpenStore();
  StateSnapshot empty = MustLoad(*store);
  EXPECT_EQ(empty.serial, 0);
  EXPECT_TRUE(empty.environments.empty());
  EXPECT_TRUE(empty.open_intents.empty());
  EXPECT_TRUE(std::regex_match(
      empty.lineage,
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << empty.lineage;
  EXPECT_EQ(MustLoad(*store).lineage, empty.lineage) << "a fresh store keeps one lineage";

  MustApply(*store, StateEdit().Add(StateEdit::PutEnvironment{RenderSpec()}));
  EXPECT_EQ(MustLoad(*store).lineage, empty.lineage);
  EXPECT_EQ(MustLoad(*OpenStore()).lineage, empty.lineage);
}

TEST_P(BackendStoreTest, TwoFreshStatesHaveDifferentLineages) {
  auto first = OpenStore("a");
  auto second = OpenStore("b");
  EXPECT_NE(MustLoad(*first).lineage, MustLoad(*second).lineage);
}

TEST_P(BackendStoreTest, SerialGoesUpByOnePerApplyWhateverTheNumberOfOps) {
  auto store = OpenStore();
  EXPECT_EQ(MustApply(*store, StateEdit().Add(StateEdit::PutEnvironment{RenderSpec()})).serial, 1);
  StateEdit many;
  many.Add(StateEdit::PutPool{"render", MakePool("p-1", RenderSpec(), 1)})
      .Add(StateEdit::SetExpectedCount{"render", "p-1", 2})
      .Add(StateEdit::PutEnvironment{BakeSpec()});
  EXPECT_EQ(MustApply(*store, many).serial, 2);
  EXPECT_EQ(MustApply(*store, StateEdit()).serial, 3) << "an empty edit is still a write";
  EXPECT_EQ(MustLoad(*store).serial, 3);
}

TEST_P(BackendStoreTest, WritesThroughTwoStoreObjectsShareOneSerialAndLineage) {
  auto first = OpenStore();
  const std::string lineage = MustLoad(*first).lineage;
  MustApply(*first, StateEdit().Add(StateEdit::PutEnvironment{RenderSpec()}));
  auto second = OpenStore();
  EXPECT_EQ(MustApply(*second, StateEdit().Add(StateEdit::PutEnvironment{BakeSpec()})).serial, 2);
  StateSnapshot seen_by_first = MustLoad(*first);
  EXPECT_EQ(seen_by_first.serial, 2);
  EXPECT_EQ(seen_by_first.lineage, lineage);
  EXPECT_EQ(seen_by_first.environments.size(), 2u);
}

TEST_P(BackendStoreTest, IntentIdsAreAssignedInOrderAndNeverReused) {
  auto store = OpenStore();
  JournalEntry entry;
  entry.environment = "render";
  entry.kind = "launch";
  ApplyOutcome first = MustApply(
      *store, StateEdit().Add(StateEdit::OpenIntent{entry}).Add(StateEdit::OpenIntent{entry}));
  EXPECT_EQ(first.intent_ids, (std::vector<int64_t>{1, 2}));
  MustApply(*store, StateEdit().Add(StateEdit::CloseIntent{2}));
  ApplyOutcome next = MustApply(*store, StateEdit().Add(StateEdit::OpenIntent{entry}));
  EXPECT_EQ(next.intent_ids, std::vector<int64_t>{3});
}

TEST_P(BackendStoreTest, IntentWithoutStartTimeIsStampedWithTheClock) {
  auto store = OpenStore();
  clock_.Advance(std::chrono::minutes(5));
  JournalEntry entry;
  entry.environment = "render";
  entry.kind = "set_count";
  MustApply(*store, StateEdit().Add(StateEdit::OpenIntent{entry}));
  StateSnapshot loaded = MustLoad(*store);
  ASSERT_EQ(loaded.open_intents.size(), 1u);
  EXPECT_EQ(loaded.open_intents[0].started, clock_.Now());
}

INSTANTIATE_TEST_SUITE_P(Backends, BackendStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace spotform
