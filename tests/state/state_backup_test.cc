// Every state keeps the state before the latest command's writes, and `RestoreBackup` brings
// it back (state/sqlite_backup.h, state/pg_backup.h), on both backends.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "state/sqlite_backup.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

class StateBackupTest : public BackendStoreTest {
 protected:
  // One command's writes: a store of its own, locked, each edit applied, unlocked.
  void Command(const std::vector<StateEdit>& edits) {
    std::unique_ptr<StateStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    Result<LockInfo> lock = store->Lock(LockRequestBy("alice", 4242));
    ASSERT_TRUE(lock.ok()) << lock.error().ToString();
    for (const StateEdit& edit : edits) MustApply(*store, edit);
    ASSERT_TRUE(store->Unlock(lock->id).ok());
  }
  static StateEdit Forget(const std::string& name) {
    StateEdit edit;
    edit.Add(StateEdit::RemoveEnvironment{name});
    return edit;
  }
  // The snapshot without its serial, to compare records.
  static std::string Records(StateSnapshot snapshot) {
    snapshot.serial = 0;
    return Dump(snapshot);
  }
};

TEST_P(StateBackupTest, AFirstWriteHasNoBackupAndRestoreSaysSo) {
  Command({FullStateEdit(clock_.Now())});
  std::unique_ptr<StateStore> store = OpenStore();
  Result<std::optional<StateBackupInfo>> backup = store->DescribeBackup();
  ASSERT_TRUE(backup.ok()) << backup.error().ToString();
  EXPECT_FALSE(backup->has_value());
  Result<RestoreOutcome> restored = store->RestoreBackup();
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(restored.error().message().find("no backup"), std::string::npos)
      << restored.error().message();
  EXPECT_EQ(MustLoad(*store).serial, 1);
}

TEST_P(StateBackupTest, RestoreBringsBackTheStateBeforeTheLatestCommandWithAHigherSerial) {
  Command({FullStateEdit(clock_.Now())});  // serial 1
  std::unique_ptr<StateStore> reader = OpenStore();
  const StateSnapshot first = MustLoad(*reader);
  Command({Forget("render"), Forget("bake")});  // serials 2 and 3: one command
  ASSERT_EQ(MustLoad(*reader).serial, 3);
  ASSERT_TRUE(MustLoad(*reader).environments.empty());

  std::unique_ptr<StateStore> store = OpenStore();
  Result<std::optional<StateBackupInfo>> backup = store->DescribeBackup();
  ASSERT_TRUE(backup.ok()) << backup.error().ToString();
  ASSERT_TRUE(backup->has_value());
  EXPECT_EQ((*backup)->serial, 1);  // before the command's first write, not its last
  EXPECT_EQ((*backup)->lineage, first.lineage);
  if (GetParam() == Backend::kSqlite) {
    EXPECT_EQ((*backup)->where, path_ + ".backup");
    struct stat info {};
    ASSERT_EQ(::stat((path_ + ".backup").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
  } else {
    EXPECT_EQ((*backup)->where, "the previous serial 1 in workspace " + settings_.workspace);
  }

  Result<LockInfo> lock = store->Lock(LockRequestBy("bob", 7));
  ASSERT_TRUE(lock.ok());
  Result<RestoreOutcome> restored = store->RestoreBackup();
  ASSERT_TRUE(restored.ok()) << restored.error().ToString();
  EXPECT_EQ(restored->restored.serial, 1);
  EXPECT_EQ(restored->replaced_serial, 3);
  EXPECT_EQ(restored->serial, 4);
  ASSERT_TRUE(store->Unlock(lock->id).ok());

  const StateSnapshot now = MustLoad(*OpenStore());
  EXPECT_EQ(now.serial, 4);  // higher than the broken state's: its plans are refused
  EXPECT_EQ(now.lineage, first.lineage);
  EXPECT_EQ(Records(now), Records(first));

  // The replaced state is the backup now: a second restore undoes the first.
  Result<std::optional<StateBackupInfo>> swapped = OpenStore()->DescribeBackup();
  ASSERT_TRUE(swapped.ok() && swapped->has_value());
  EXPECT_EQ((*swapped)->serial, 3);
  std::unique_ptr<StateStore> again = OpenStore();
  ASSERT_TRUE(again->RestoreBackup().ok());
  const StateSnapshot undone = MustLoad(*again);
  EXPECT_EQ(undone.serial, 5);
  EXPECT_TRUE(undone.environments.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StateBackupTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// The advice for a SQLite state file that cannot be read names the backup beside it (a
// PostgreSQL workspace has no file to corrupt; its advice names the previous serial).
class SqliteRestoreAdviceTest : public StateBackupTest {};

TEST_P(SqliteRestoreAdviceTest, ACorruptStateNamesTheBackupThatExists) {
  Command({FullStateEdit(clock_.Now())});
  Command({Forget("render")});
  EXPECT_NE(SqliteRestoreAdvice(path_).find(path_ + ".backup (serial 1)"), std::string::npos)
      << SqliteRestoreAdvice(path_);
  EXPECT_NE(SqliteRestoreAdvice(path_).find("spotform state restore --backup"), std::string::npos);
  EXPECT_NE(SqliteRestoreAdvice(folder_ + "/other.db").find("no backup"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteRestoreAdviceTest, ::testing::Values(Backend::kSqlite),
                         BackendName);

}  // namespace
}  // namespace spotform
