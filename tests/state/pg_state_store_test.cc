#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state/pg_connection.h"
#include "state/pg_lock.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

// What only the PostgreSQL backend does: many states in one database, the advisory lock
// that dies with its session, force-unlock of a live session, the schema table, and URLs
// that never show a password.
class PgStateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = PgTestUrl();
    ASSERT_FALSE(url_.empty());
    workspace_ = FreshWorkspace();
  }

  std::unique_ptr<PgStateStore> Open(const std::string& workspace, Clock& clock) {
    Result<std::unique_ptr<PgStateStore>> store = OpenPgStateStore(url_, workspace, clock);
    EXPECT_TRUE(store.ok()) << store.error().message();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::unique_ptr<PgStateStore> Open() { return Open(workspace_, clock_); }

  PgConnection Raw() {
    Result<PgConnection> conn = PgConnection::Connect(url_, "test");
    EXPECT_TRUE(conn.ok()) << conn.error().message();
    return std::move(*conn);
  }

  FakeClock clock_;
  std::string url_;
  std::string workspace_;
};

TEST_F(PgStateStoreTest, AdvisoryLockKeyIsA64BitHashOfTheWorkspace) {
  EXPECT_EQ(PgStateLockKey("default"), AdvisoryLockKey("spotform:default"));
  EXPECT_NE(PgStateLockKey("default"), PgStateLockKey("staging"));
  EXPECT_NE(PgStateLockKey("a"), PgStateLockKey("b"));
  // Far from the small integers other programs use as keys.
  EXPECT_GT(std::abs(PgStateLockKey("default")), int64_t{1} << 32);
  EXPECT_EQ(Open()->advisory_key(), PgStateLockKey(workspace_));
}

TEST_F(PgStateStoreTest, TwoWorkspacesInOneDatabaseAreIndependent) {
  auto prod = Open(workspace_ + "-prod", clock_);
  auto staging = Open(workspace_ + "-staging", clock_);
  ASSERT_TRUE(prod->Apply(StateEdit().Add(StateEdit::PutEnvironment{RenderSpec()})).ok());
  ASSERT_TRUE(prod->Apply(StateEdit()).ok());
  ASSERT_TRUE(staging->Apply(StateEdit().Add(StateEdit::PutEnvironment{BakeSpec()})).ok());

  Result<StateSnapshot> prod_state = prod->Load();
  Result<StateSnapshot> staging_state = staging->Load();
  ASSERT_TRUE(prod_state.ok() && staging_state.ok());
  EXPECT_EQ(prod_state->serial, 2);
  EXPECT_EQ(staging_state->serial, 1);
  EXPECT_NE(prod_state->lineage, staging_state->lineage);
  EXPECT_EQ(prod_state->environments.count("bake"), 0u);
  EXPECT_EQ(staging_state->environments.count("render"), 0u);

  // Each has its own lock.
  ASSERT_TRUE(prod->Lock(LockRequestBy("alice", 1)).ok());
  EXPECT_TRUE(staging->Lock(LockRequestBy("bob", 2)).ok());
  EXPECT_FALSE(Open(workspace_ + "-prod", clock_)->Lock(LockRequestBy("carol", 3)).ok());
}

TEST_F(PgStateStoreTest, LockOfADeadSessionIsTakenOver) {
  int to_parent[2];
  ASSERT_EQ(::pipe(to_parent), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SystemClock clock;
    const Result<std::unique_ptr<PgStateStore>> store = OpenPgStateStore(url_, workspace_, clock);
    LockForParentOrExit(store, to_parent[1]);
    ::_exit(0);  // dies holding the lock: no Unlock, no clean disconnect
  }
  char id[32];
  ASSERT_EQ(::read(to_parent[0], id, sizeof(id)), static_cast<ssize_t>(sizeof(id)));
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);

  // The row is still there, naming the dead holder ...
  SystemClock clock;
  auto store = Open(workspace_, clock);
  Result<std::optional<LockInfo>> left = store->CurrentLock();
  ASSERT_TRUE(left.ok() && left->has_value());
  EXPECT_EQ((*left)->id, std::string(id, sizeof(id)));
  EXPECT_EQ((*left)->user, "child");
  // ... but its advisory lock ended with the session, so the next writer takes over (the
  // server may need a moment to notice the closed socket).
  Result<LockInfo> taken =
      store->Lock(LockRequestBy("parent", ::getpid(), std::chrono::seconds(10)));
  ASSERT_TRUE(taken.ok()) << taken.error().message();
  EXPECT_NE(taken->id, std::string(id, sizeof(id)));
  EXPECT_EQ((*store->CurrentLock())->user, "parent");
  ::close(to_parent[0]);
  ::close(to_parent[1]);
}

TEST_F(PgStateStoreTest, ForceUnlockEndsALiveHoldersSession) {
  auto stuck = Open();
  Result<LockInfo> held = stuck->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(held.ok());
  auto admin = Open();
  Status forced = admin->ForceUnlock(held->id);
  ASSERT_TRUE(forced.ok()) << forced.error().message();
  // The stuck holder can no longer write: its session is gone with its lock.
  Result<ApplyOutcome> late =
      stuck->Apply(StateEdit().Add(StateEdit::PutEnvironment{RenderSpec()}));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind(), ErrorKind::kConflict) << late.error().message();
  EXPECT_NE(late.error().message().find("the connection to PostgreSQL was lost"), std::string::npos)
      << late.error().message();
  Result<LockInfo> next = admin->Lock(LockRequestBy("bob", 7));
  ASSERT_TRUE(next.ok()) << next.error().message();
  EXPECT_EQ(admin->Load()->serial, 0);
}

TEST_F(PgStateStoreTest, SchemaVersionIsRecordedOnFirstUse) {
  ASSERT_NE(Open(), nullptr);
  PgConnection raw = Raw();
  Result<int64_t> version = raw.QueryInt("SELECT max(version) FROM spotform_schema");
  ASSERT_TRUE(version.ok()) << version.error().message();
  EXPECT_EQ(*version, 3);
}

TEST_F(PgStateStoreTest, DatabaseFromANewerSpotformIsRefused) {
  // A database of its own, so the other tests' schema stays as it is.
  const std::string database = "newer_" + RandomHex(4);
  PgConnection raw = Raw();
  ASSERT_TRUE(raw.Run("CREATE DATABASE " + database).ok());
  const size_t slash = url_.find("/spotform");
  ASSERT_NE(slash, std::string::npos);
  const std::string url = url_.substr(0, slash) + "/" + database + url_.substr(slash + 9);
  {
    Result<PgConnection> conn = PgConnection::Connect(url, "newer");
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn->Run("CREATE TABLE spotform_schema (version INTEGER NOT NULL)").ok());
    ASSERT_TRUE(conn->Run("INSERT INTO spotform_schema VALUES (99)").ok());
  }
  Result<std::unique_ptr<PgStateStore>> store = OpenPgStateStore(url, "default", clock_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message(), "state database " + url +
                                         " was written by a newer spotform (schema 99 > 3); "
                                         "upgrade spotform");
}

// The tables spotform's PostgreSQL schema 1 made, copied here on purpose: the test must keep
// proving that such databases open even after the migration code changes.
constexpr char kPgSchemaV1Database[] = R"sql(
CREATE TABLE spotform_schema (version INTEGER NOT NULL);
INSERT INTO spotform_schema VALUES (1);
CREATE TABLE spotform_states (workspace TEXT PRIMARY KEY, lineage TEXT NOT NULL,
  serial BIGINT NOT NULL DEFAULT 0, last_intent_id BIGINT NOT NULL DEFAULT 0);
CREATE TABLE spotform_environments (
  workspace TEXT NOT NULL REFERENCES spotform_states(workspace), name TEXT NOT NULL,
  applied TEXT NOT NULL, PRIMARY KEY (workspace, name));
CREATE TABLE spotform_pools (seq BIGSERIAL UNIQUE, workspace TEXT NOT NULL, env TEXT NOT NULL,
  id TEXT NOT NULL, spec TEXT NOT NULL, batch_env_id TEXT NOT NULL DEFAULT '',
  expected_count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (workspace, env, id),
  FOREIGN KEY (workspace, env) REFERENCES spotform_environments(workspace, name)
    ON DELETE CASCADE);
CREATE TABLE spotform_instances (seq BIGSERIAL PRIMARY KEY, workspace TEXT NOT NULL,
  env TEXT NOT NULL, pool TEXT NOT NULL, id TEXT NOT NULL DEFAULT '',
  node_id TEXT NOT NULL DEFAULT '', zone TEXT NOT NULL, instance_type TEXT NOT NULL,
  state TEXT NOT NULL, launch_time BIGINT NOT NULL, client_token TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT 'created',
  FOREIGN KEY (workspace, env, pool) REFERENCES spotform_pools(workspace, env, id)
    ON DELETE CASCADE);
CREATE TABLE spotform_journal (workspace TEXT NOT NULL REFERENCES spotform_states(workspace),
  id BIGINT NOT NULL, env TEXT NOT NULL, pool TEXT NOT NULL, kind TEXT NOT NULL,
  client_token TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL DEFAULT '',
  started BIGINT NOT NULL, closed BIGINT, PRIMARY KEY (workspace, id));
CREATE TABLE spotform_locks (workspace TEXT PRIMARY KEY, id TEXT NOT NULL,
  operation TEXT NOT NULL, holder_user TEXT NOT NULL, holder_host TEXT NOT NULL,
  pid BIGINT NOT NULL, created BIGINT NOT NULL, backend_pid INTEGER NOT NULL);
INSERT INTO spotform_states VALUES ('default', '0b3c9e4a-1d2f-4a5b-8c6d-7e8f9a0b1c2d', 7, 0);
INSERT INTO spotform_environments VALUES ('default', 'render', '{"name":"render","mode":"cvm","zone":"ap-guangzhou-3","instance_type":"S5.MEDIUM4","image_id":"img-pmqg1cw7","max_price":"0.60","desired_count":2,"tags":{}}');
INSERT INTO spotform_locks VALUES ('default', 'feedfacefeedface', 'apply', 'alice', 'ci-3', 4242,
  1767225600000000000, 0);
)sql";

TEST_F(PgStateStoreTest, SchemaOneDatabaseIsMigratedKeepingItsLockAndTakesNewRecords) {
  // A database of its own, so the other tests' schema stays as it is.
  const std::string database = "v1_" + RandomHex(4);
  PgConnection raw = Raw();
  ASSERT_TRUE(raw.Run("CREATE DATABASE " + database).ok());
  const size_t slash = url_.find("/spotform");
  ASSERT_NE(slash, std::string::npos);
  const std::string url = url_.substr(0, slash) + "/" + database + url_.substr(slash + 9);
  {
    Result<PgConnection> conn = PgConnection::Connect(url, "v1");
    ASSERT_TRUE(conn.ok());
    Status made = conn->RunScript(kPgSchemaV1Database);
    ASSERT_TRUE(made.ok()) << made.error().message();
  }
  Result<std::unique_ptr<PgStateStore>> store = OpenPgStateStore(url, "default", clock_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  Result<StateSnapshot> loaded = (*store)->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->serial, 7);
  EXPECT_EQ(loaded->environments.count("render"), 1u);
  EXPECT_TRUE(loaded->candidate_holds.empty());
  // Schema 3: each environment starts at the state's serial; the lock held covers it all.
  EXPECT_EQ(loaded->environment_serials, (std::map<std::string, int64_t>{{"render", 7}}));
  Result<std::vector<LockInfo>> locks = (*store)->CurrentLocks();
  ASSERT_TRUE(locks.ok()) << locks.error().message();
  ASSERT_EQ(locks->size(), 1u);
  EXPECT_EQ(locks->front().id, "feedfacefeedface");
  EXPECT_TRUE(locks->front().scope.whole_state());
  ASSERT_TRUE((*store)->ForceUnlock("feedfacefeedface").ok());

  const CandidateHold hold{"ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable,
                           clock_.Now() + std::chrono::minutes(3)};
  Result<ApplyOutcome> written =
      (*store)->Apply(StateEdit().Add(StateEdit::PutCandidateHold{hold}));
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(written->serial, 8);
  Result<StateSnapshot> reloaded = (*store)->Load();
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->candidate_holds, std::vector<CandidateHold>{hold});
  Result<PgConnection> conn = PgConnection::Connect(url, "v1");
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(*conn->QueryInt("SELECT max(version) FROM spotform_schema"), 3);
}

TEST_F(PgStateStoreTest, ConnectionErrorsShowTheUrlWithoutItsPassword) {
  const std::string host = url_.substr(url_.find("?host="));
  const std::string url = "postgresql://nobody:hunter2@/no_such_db" + host;
  Result<std::unique_ptr<PgStateStore>> store = OpenPgStateStore(url, "default", clock_);
  ASSERT_FALSE(store.ok());
  const std::string message = store.error().message();
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_EQ(
      message.rfind(
          "state database postgresql://nobody:***@/no_such_db" + host + ": cannot connect: ", 0),
      0u)
      << message;
}

TEST_F(PgStateStoreTest, StoreIsNamedByItsRedactedUrlAndWorkspace) {
  EXPECT_EQ(Open()->Name(), RedactUrlPassword(url_) + " (workspace " + workspace_ + ")");
  EXPECT_EQ(RedactUrlPassword("postgresql://ci:s3cret@db.internal:5432/spotform"),
            "postgresql://ci:***@db.internal:5432/spotform");
  EXPECT_EQ(RedactUrlPassword("postgres://db/spotform?sslmode=require&password=s3cret"),
            "postgres://db/spotform?sslmode=require&password=***");
  EXPECT_EQ(RedactUrlPassword("postgresql://ci@db/spotform"), "postgresql://ci@db/spotform");
}

}  // namespace
}  // namespace spotform
