#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state/sqlite_handle.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const std::string& path) {
  struct stat info;
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// A raw connection for looking inside a state file (or making foreign ones).
SqliteDb RawDb(const std::string& path) {
  Result<SqliteDb> db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  EXPECT_TRUE(db.ok());
  return std::move(*db);
}

std::string QueryText(const std::string& path, const std::string& sql) {
  SqliteDb db = RawDb(path);
  Result<std::optional<std::string>> text = db.QueryText(sql);
  EXPECT_TRUE(text.ok()) << text.error().message();
  return text.ok() ? text->value_or("<no row>") : "<error>";
}

class StateFileTest : public StateStoreTest {
 protected:
  void WriteSomething(StateStore& store) {
    Pool pool = MakePool("p-1", RenderSpec(), 1);
    pool.instances = {Instance("ins-00000001", "RUNNING", clock_.Now())};
    MustApply(store, StateEdit()
                         .Add(StateEdit::PutEnvironment{RenderSpec()})
                         .Add(StateEdit::PutPool{"render", pool}));
  }

  // Opening the state at path_ fails with `message`, and the file keeps every byte.
  void ExpectRefusedUntouched(const std::string& message) {
    const std::string before = testing::ReadFile(path_);
    EXPECT_EQ(OpenError(path_), message);
    EXPECT_EQ(testing::ReadFile(path_), before);
  }
};

TEST_F(StateFileTest, ReadingAMissingStateWritesNothing) {
  auto store = OpenStore();
  MustLoad(*store);
  Result<std::optional<LockInfo>> lock = store->CurrentLock();
  ASSERT_TRUE(lock.ok());
  EXPECT_FALSE(lock->has_value());
  EXPECT_FALSE(fs::exists(folder_ + "/.spotform"));
}

TEST_F(StateFileTest, FirstWriteCreatesPrivateFolderAndFileWhateverTheUmask) {
  const mode_t old_umask = ::umask(0);
  auto store = OpenStore(folder_ + "/deep/.spotform/state.db");
  WriteSomething(*store);
  ::umask(old_umask);
  EXPECT_EQ(ModeOf(folder_ + "/deep"), 0700u);
  EXPECT_EQ(ModeOf(folder_ + "/deep/.spotform"), 0700u);
  EXPECT_EQ(ModeOf(folder_ + "/deep/.spotform/state.db"), 0600u);
  ASSERT_TRUE(fs::exists(folder_ + "/deep/.spotform/state.db-wal")) << "WAL file while open";
  EXPECT_EQ(ModeOf(folder_ + "/deep/.spotform/state.db-wal"), 0600u);
}

TEST_F(StateFileTest, ExistingFolderKeepsItsMode) {
  ::chmod(folder_.c_str(), 0755);
  auto store = OpenStore(folder_ + "/state.db");
  WriteSomething(*store);
  EXPECT_EQ(ModeOf(folder_), 0755u);
  EXPECT_EQ(ModeOf(folder_ + "/state.db"), 0600u);
}

TEST_F(StateFileTest, StateUsesWalAndPassesIntegrityCheckAfterWrites) {
  auto store = OpenStore();
  WriteSomething(*store);
  MustApply(*store, StateEdit().Add(StateEdit::RemovePool{"render", "p-1"}));
  WriteSomething(*store);
  EXPECT_EQ(QueryText(path_, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryText(path_, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(QueryText(path_, "PRAGMA foreign_key_check"), "<no row>");
  EXPECT_EQ(QueryText(path_, "SELECT value FROM meta WHERE key = 'format'"), "spotform-state");
  EXPECT_EQ(QueryText(path_, "SELECT value FROM meta WHERE key = 'schema_version'"), "4");
}

TEST_F(StateFileTest, ZeroLengthFileIsAFreshState) {
  fs::create_directories(folder_ + "/.spotform");
  testing::WriteFile(path_, "");
  auto store = OpenStore();
  EXPECT_EQ(MustLoad(*store).serial, 0);
  WriteSomething(*store);
  EXPECT_EQ(MustLoad(*OpenStore()).serial, 1);
}

TEST_F(StateFileTest, FileThatIsNotSqliteIsRefusedAndKept) {
  fs::create_directories(folder_ + "/.spotform");
  testing::WriteFile(path_, "environments:\n  render:\n    mode: cvm\n");
  ExpectRefusedUntouched("state file " + path_ +
                         " is not a spotform state (not an SQLite database); refusing to use it");
}

TEST_F(StateFileTest, SqliteFileWithoutTheMarkerIsRefusedAndKept) {
  fs::create_directories(folder_ + "/.spotform");
  {
    SqliteDb db = RawDb(path_);
    ASSERT_TRUE(db.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')").ok());
  }
  ExpectRefusedUntouched("state file " + path_ +
                         " is not a spotform state (an SQLite database without the spotform "
                         "marker); refusing to use it");
}

TEST_F(StateFileTest, SqliteFileWithAForeignMetaTableIsRefusedAndKept) {
  fs::create_directories(folder_ + "/.spotform");
  {
    SqliteDb db = RawDb(path_);
    ASSERT_TRUE(
        db.Exec("CREATE TABLE meta (k TEXT, v TEXT); INSERT INTO meta VALUES ('a', 'b')").ok());
  }
  ExpectRefusedUntouched("state file " + path_ +
                         " is not a spotform state (an SQLite database without the spotform "
                         "marker); refusing to use it");
}

TEST_F(StateFileTest, StateFromANewerSpotformIsRefusedAndKept) {
  WriteSomething(*OpenStore());
  {
    SqliteDb db = RawDb(path_);
    ASSERT_TRUE(db.Exec("UPDATE meta SET value = '9' WHERE key = 'schema_version'").ok());
  }
  ExpectRefusedUntouched("state file " + path_ +
                         " was written by a newer spotform (schema 9 > 4); upgrade spotform");
}

TEST_F(StateFileTest, CorruptStateIsRefusedAndKept) {
  WriteSomething(*OpenStore());
  std::string bytes = testing::ReadFile(path_);
  ASSERT_GT(bytes.size(), 4096u);
  for (size_t i = 100; i < 4096; ++i) bytes[i] = '\xff';  // page 1's table of tables
  testing::WriteFile(path_, bytes);
  ExpectRefusedUntouched("state file " + path_ +
                         " is corrupt (database disk image is malformed); no backup of it "
                         "exists (" +
                         path_ +
                         ".backup is missing or unreadable): restore it from a copy of "
                         "your own");
}

TEST_F(StateFileTest, CorruptStateNamesItsBackup) {
  WriteSomething(*OpenStore());  // serial 1
  WriteSomething(*OpenStore());  // another command: serial 1 is kept in state.db.backup
  std::string bytes = testing::ReadFile(path_);
  ASSERT_GT(bytes.size(), 4096u);
  for (size_t i = 100; i < 4096; ++i) bytes[i] = '\xff';
  testing::WriteFile(path_, bytes);
  ExpectRefusedUntouched("state file " + path_ +
                         " is corrupt (database disk image is malformed); its backup " + path_ +
                         ".backup (serial 1) holds the state before the latest write: run "
                         "`spotform state restore --backup`, or if that cannot open the state "
                         "either, replace " +
                         path_ + " with a copy of the backup while no spotform runs");
}

TEST_F(StateFileTest, DirectoryIsRefused) {
  fs::create_directories(path_);
  EXPECT_EQ(OpenError(path_), "state file " + path_ + " is a directory; give the path of a file");
  EXPECT_TRUE(fs::is_directory(path_));
  EXPECT_TRUE(fs::is_empty(path_));
}

// Runs `check` in a child process without root's right to read any file (the tests may run
// as root, which no file mode stops); the child exits 0 when `check` holds.
template <typename Check>
void ExpectInUnprivilegedChild(Check check) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    ::_exit(check() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(StateFileTest, UnreadableStateIsRefusedWithTheReason) {
  WriteSomething(*OpenStore());
  ::chmod(path_.c_str(), 0);
  const std::string before = testing::ReadFile(path_);
  const std::string expected = "state file " + path_ + " cannot be read: Permission denied";
  ExpectInUnprivilegedChild([&] {
    FakeClock clock;
    Result<std::unique_ptr<SqliteStateStore>> store = OpenSqliteStateStore(path_, clock);
    return !store.ok() && store.error().message() == expected &&
           store.error().kind() == ErrorKind::kInvalidInput;
  });
  ::chmod(path_.c_str(), 0600);
  EXPECT_EQ(testing::ReadFile(path_), before);
}

}  // namespace
}  // namespace spotform
