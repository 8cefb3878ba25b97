// Fenced writes (issue 16): a store writes only while the lock it took is still there,
// checked in the write's own transaction, on both backends; a PostgreSQL session that ended
// took its lock with it and is never reconnected to write on.
#include <gtest/gtest.h>

#include "state/pg_connection.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

class StateFenceTest : public BackendStoreTest {
 protected:
  static StateEdit Put(const EnvironmentSpec& spec) {
    return StateEdit().Add(StateEdit::PutEnvironment{spec});
  }
  // The state as a fresh store reads it.
  StateSnapshot Current() {
    std::unique_ptr<StateStore> reader = OpenStore();
    return reader != nullptr ? MustLoad(*reader) : StateSnapshot();
  }
  // A raw connection to the test cluster (PostgreSQL only).
  PgConnection Raw() {
    Result<PgConnection> conn = PgConnection::Connect(url_, "test");
    EXPECT_TRUE(conn.ok()) << conn.error().message();
    return std::move(*conn);
  }
  // Expects `refused` to be the lost-lock error for `lock_id`, naming `how`.
  static void ExpectFencedOut(const Status& refused, const std::string& lock_id,
                              const std::string& how) {
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind(), ErrorKind::kConflict) << refused.error().message();
    const std::string& message = refused.error().message();
    EXPECT_NE(message.find(lock_id), std::string::npos) << message;
    EXPECT_NE(message.find(how), std::string::npos) << message;
    EXPECT_NE(message.find("writes nothing more"), std::string::npos) << message;
    EXPECT_NE(message.find("the next `spotform apply` settles"), std::string::npos) << message;
  }
  static Status StatusOf(const Result<ApplyOutcome>& outcome) {
    return outcome.ok() ? Status::Ok() : Status(outcome.error());
  }
  // How a holder whose lock was force-unlocked learns of it: SQLite finds the row gone;
  // PostgreSQL's force-unlock also ends the holder's session.
  std::string ForceUnlockedHow() const {
    return GetParam() == Backend::kSqlite ? "was removed (force-unlock)"
                                          : "the connection to PostgreSQL was lost";
  }
};

TEST_P(StateFenceTest, WriteAfterForceUnlockIsRefusedAndChangesNothing) {
  std::unique_ptr<StateStore> holder = OpenStore();
  Result<LockInfo> lock = holder->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  MustApply(*holder, Put(RenderSpec()));
  EXPECT_FALSE(holder->LockLost().has_value());

  ASSERT_TRUE(OpenStore()->ForceUnlock(lock->id).ok());
  const Status late = StatusOf(holder->Apply(Put(BakeSpec())));
  ExpectFencedOut(late, lock->id, ForceUnlockedHow());
  ASSERT_TRUE(holder->LockLost().has_value());
  EXPECT_EQ(holder->LockLost()->message(), late.error().message());

  // Nothing more, ever: later writes and a new lock are refused the same way.
  ExpectFencedOut(StatusOf(holder->Apply(Put(BakeSpec()))), lock->id, ForceUnlockedHow());
  Result<LockInfo> again = holder->Lock(LockRequestBy("alice", 4242));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::kConflict);

  const StateSnapshot now = Current();
  EXPECT_EQ(now.serial, 1);
  EXPECT_EQ(now.environments.count("render"), 1u);
  EXPECT_EQ(now.environments.count("bake"), 0u);
}

TEST_P(StateFenceTest, WriteAfterAnotherHolderTookTheLockIsRefused) {
  std::unique_ptr<StateStore> holder = OpenStore();
  Result<LockInfo> lock = holder->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  MustApply(*holder, Put(RenderSpec()));

  std::unique_ptr<StateStore> bob = OpenStore();
  ASSERT_TRUE(bob->ForceUnlock(lock->id).ok());
  Result<LockInfo> taken = bob->Lock(LockRequestBy("bob", 7));
  ASSERT_TRUE(taken.ok()) << taken.error().message();

  const Status late = StatusOf(holder->Apply(Put(BakeSpec())));
  ExpectFencedOut(late, lock->id,
                  GetParam() == Backend::kSqlite
                      ? "taken over by bob@ci-3 pid 7 (lock ID " + taken->id + ")"
                      : ForceUnlockedHow());
  EXPECT_EQ(Current().serial, 1);
  // The new holder writes on; the old one's guard letting go leaves the new lock alone.
  EXPECT_EQ(MustApply(*bob, Put(BakeSpec())).serial, 2);
  EXPECT_FALSE(holder->Unlock(lock->id).ok());
  Result<std::optional<LockInfo>> current = bob->CurrentLock();
  ASSERT_TRUE(current.ok() && current->has_value());
  EXPECT_EQ((*current)->id, taken->id);
}

TEST_P(StateFenceTest, StoreWithoutALockCannotWriteWhileAnotherHoldsIt) {
  std::unique_ptr<StateStore> alice = OpenStore();
  Result<LockInfo> lock = alice->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  MustApply(*alice, Put(RenderSpec()));

  std::unique_ptr<StateStore> unlocked = OpenStore();
  Result<ApplyOutcome> refused = unlocked->Apply(Put(BakeSpec()));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kConflict);
  EXPECT_NE(refused.error().message().find(
                "locked by alice@ci-3 (pid 4242) for apply of the whole state (lock ID " +
                lock->id + ") and this writer holds no lock; nothing was written"),
            std::string::npos)
      << refused.error().message();
  EXPECT_FALSE(unlocked->LockLost().has_value()) << "it never held a lock to lose";
  EXPECT_EQ(Current().serial, 1);

  // Once nobody holds the lock, a store without one writes as it always did.
  ASSERT_TRUE(alice->Unlock(lock->id).ok());
  EXPECT_EQ(MustApply(*unlocked, Put(BakeSpec())).serial, 2);
  EXPECT_EQ(MustApply(*alice, Put(testing::Spec("preview", 1))).serial, 3);
}

TEST_P(StateFenceTest, ImportAndRestoreAreFencedToo) {
  {
    std::unique_ptr<StateStore> first = OpenStore();
    Result<LockInfo> lock = first->Lock(LockRequestBy("alice", 4242));
    ASSERT_TRUE(lock.ok()) << lock.error().message();
    MustApply(*first, Put(RenderSpec()));
    ASSERT_TRUE(first->Unlock(lock->id).ok());
  }
  std::unique_ptr<StateStore> holder = OpenStore();
  Result<LockInfo> lock = holder->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  MustApply(*holder, Put(BakeSpec()));  // keeps serial 1 as the backup
  ASSERT_TRUE(OpenStore()->ForceUnlock(lock->id).ok());

  Result<RestoreOutcome> restored = holder->RestoreBackup();
  ExpectFencedOut(restored.ok() ? Status::Ok() : Status(restored.error()), lock->id,
                  ForceUnlockedHow());
  StateSnapshot source;
  source.lineage = "a-lineage-of-its-own";
  source.serial = 5;
  ExpectFencedOut(holder->Import(source), lock->id, ForceUnlockedHow());
  const StateSnapshot now = Current();
  EXPECT_EQ(now.serial, 2);
  EXPECT_EQ(now.environments.count("bake"), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StateFenceTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// PostgreSQL only: the lock row checked under FOR UPDATE while the session lives on, and a
// session that ended under the lock.
class PgFenceTest : public StateFenceTest {};

TEST_P(PgFenceTest, LockRowRemovedUnderALiveSessionFencesTheWrite) {
  std::unique_ptr<StateStore> holder = OpenStore();
  Result<LockInfo> lock = holder->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  MustApply(*holder, Put(RenderSpec()));
  PgConnection raw = Raw();
  ASSERT_TRUE(
      raw.Run("DELETE FROM spotform_locks WHERE workspace = $1", {settings_.workspace}).ok());
  ExpectFencedOut(StatusOf(holder->Apply(Put(BakeSpec()))), lock->id, "was removed (force-unlock)");
  EXPECT_EQ(Current().serial, 1);
}

TEST_P(PgFenceTest, LockRowTakenOverUnderALiveSessionFencesTheWrite) {
  std::unique_ptr<StateStore> holder = OpenStore();
  Result<LockInfo> lock = holder->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  PgConnection raw = Raw();
  ASSERT_TRUE(raw.Run("UPDATE spotform_locks SET id = 'feedfacefeedface', holder_user = 'bob', "
                      "holder_host = 'ci-9', pid = 77 WHERE workspace = $1",
                      {settings_.workspace})
                  .ok());
  ExpectFencedOut(StatusOf(holder->Apply(Put(RenderSpec()))), lock->id,
                  "taken over by bob@ci-9 pid 77 (lock ID feedfacefeedface)");
  EXPECT_EQ(Current().serial, 0);
}

TEST_P(PgFenceTest, TerminatedSessionStopsTheWriterWithoutReconnecting) {
  std::unique_ptr<StateStore> holder = OpenStore();
  Result<LockInfo> lock = holder->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  MustApply(*holder, Put(RenderSpec()));
  PgConnection raw = Raw();
  Result<int64_t> ended = raw.QueryInt(
      "SELECT pg_terminate_backend(backend_pid, 5000)::int FROM spotform_locks "
      "WHERE workspace = $1",
      {settings_.workspace});
  ASSERT_TRUE(ended.ok()) << ended.error().message();
  ASSERT_EQ(*ended, 1);

  // Noticed at the next statement, a read included; reported as the lost lock.
  Result<StateSnapshot> read = holder->Load();
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("the connection to PostgreSQL was lost"), std::string::npos)
      << read.error().message();
  ASSERT_TRUE(holder->LockLost().has_value());
  for (int attempt = 0; attempt < 2; ++attempt) {
    ExpectFencedOut(StatusOf(holder->Apply(Put(BakeSpec()))), lock->id,
                    "the connection to PostgreSQL was lost");
  }
  EXPECT_EQ(Current().serial, 1);
  // The advisory lock went with the session: the next run takes the lock over at once.
  std::unique_ptr<StateStore> next = OpenStore();
  Result<LockInfo> taken = next->Lock(LockRequestBy("bob", 7));
  ASSERT_TRUE(taken.ok()) << taken.error().message();
  EXPECT_EQ(MustApply(*next, Put(BakeSpec())).serial, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, PgFenceTest, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace spotform
