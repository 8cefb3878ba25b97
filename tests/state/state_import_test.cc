#include <gtest/gtest.h>

#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

// StateStore::Import (what `spotform state migrate` writes with), on every backend: a whole
// state, with its lineage, serial and open intents, into a state never written.

// A state with every kind of record and a few writes behind it (serial 3, intents 1 and 3
// open, 2 closed).
StateSnapshot WrittenSource(StateStore& source, FakeClock& clock) {
  JournalEntry intent;
  intent.environment = "render";
  intent.kind = "release";
  intent.payload = R"({"ids":["ins-aaaa2222"]})";
  EXPECT_TRUE(source.Apply(FullStateEdit(clock.Now())).ok());
  Result<ApplyOutcome> more = source.Apply(
      StateEdit().Add(StateEdit::OpenIntent{intent}).Add(StateEdit::OpenIntent{intent}));
  EXPECT_TRUE(more.ok());
  EXPECT_TRUE(source.Apply(StateEdit().Add(StateEdit::CloseIntent{2})).ok());
  Result<StateSnapshot> snapshot = source.Load();
  EXPECT_TRUE(snapshot.ok());
  return snapshot.ok() ? *snapshot : StateSnapshot();
}

TEST_P(BackendStoreTest, ImportKeepsEveryRecordTheLineageAndTheSerial) {
  auto source = OpenStore("source");
  const StateSnapshot written = WrittenSource(*source, clock_);
  ASSERT_EQ(written.serial, 3);
  ASSERT_EQ(written.open_intents.size(), 2u);

  auto destination = OpenStore();
  Status imported = destination->Import(written);
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(Dump(MustLoad(*OpenStore())), Dump(written));

  // The copy goes on from there: the next write is serial 4, the next intent comes after
  // every imported one.
  JournalEntry next;
  next.kind = "launch";
  ApplyOutcome outcome = MustApply(*destination, StateEdit().Add(StateEdit::OpenIntent{next}));
  EXPECT_EQ(outcome.serial, 4);
  EXPECT_EQ(outcome.intent_ids, std::vector<int64_t>{4});
  EXPECT_EQ(MustLoad(*destination).lineage, written.lineage);
}

TEST_P(BackendStoreTest, ImportIntoALockedNeverWrittenStateWorks) {
  auto source = OpenStore("source");
  const StateSnapshot written = WrittenSource(*source, clock_);
  auto destination = OpenStore();
  LockRequest request;
  request.operation = "migrate";
  request.user = "alice";
  request.host = "ci-3";
  request.pid = 1;
  ASSERT_TRUE(destination->Lock(request).ok());
  Status imported = destination->Import(written);
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(Dump(MustLoad(*destination)), Dump(written));
}

TEST_P(BackendStoreTest, ImportIntoAWrittenStateIsRefusedAndChangesNothing) {
  auto source = OpenStore("source");
  const StateSnapshot written = WrittenSource(*source, clock_);
  auto destination = OpenStore();
  MustApply(*destination, StateEdit().Add(StateEdit::PutEnvironment{BakeSpec()}));
  const StateSnapshot before = MustLoad(*destination);

  Status imported = destination->Import(written);
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(imported.error().message(),
            "state " + state_name_ + " already holds a state (lineage " + before.lineage +
                ", serial 1); migrate only into a new " +
                (GetParam() == Backend::kSqlite ? "state file" : "workspace"));
  EXPECT_EQ(Dump(MustLoad(*destination)), Dump(before));
}

}  // namespace
}  // namespace spotform
