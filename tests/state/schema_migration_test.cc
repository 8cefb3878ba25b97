#include <gtest/gtest.h>

#include "state/sqlite_handle.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

// The layout spotform's schema 1 wrote, copied here on purpose: the test must keep proving
// that such files open even after the migration code changes.
constexpr char kSchemaV1File[] = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE environments (name TEXT PRIMARY KEY, applied TEXT NOT NULL);
CREATE TABLE pools (
  env TEXT NOT NULL REFERENCES environments(name) ON DELETE CASCADE,
  id TEXT NOT NULL, spec TEXT NOT NULL, batch_env_id TEXT NOT NULL DEFAULT '',
  expected_count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (env, id));
CREATE TABLE instances (
  seq INTEGER PRIMARY KEY, env TEXT NOT NULL, pool TEXT NOT NULL,
  id TEXT NOT NULL DEFAULT '', node_id TEXT NOT NULL DEFAULT '', zone TEXT NOT NULL,
  instance_type TEXT NOT NULL, state TEXT NOT NULL, launch_time INTEGER NOT NULL,
  client_token TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (env, pool) REFERENCES pools(env, id) ON DELETE CASCADE);
CREATE INDEX instances_by_pool ON instances(env, pool);
CREATE TABLE journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT, env TEXT NOT NULL, pool TEXT NOT NULL,
  kind TEXT NOT NULL, client_token TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL DEFAULT '',
  started INTEGER NOT NULL, closed INTEGER);
CREATE TABLE state_lock (
  slot INTEGER PRIMARY KEY CHECK (slot = 1), id TEXT NOT NULL, operation TEXT NOT NULL,
  holder_user TEXT NOT NULL, holder_host TEXT NOT NULL, pid INTEGER NOT NULL,
  created INTEGER NOT NULL);
INSERT INTO state_lock VALUES (1, 'feedfacefeedface', 'apply', 'alice', 'ci-3', 4242,
  1767225600000000000);
INSERT INTO meta VALUES ('format', 'spotform-state'), ('schema_version', '1'),
  ('lineage', '0b3c9e4a-1d2f-4a5b-8c6d-7e8f9a0b1c2d'), ('serial', '7');
INSERT INTO environments VALUES ('render', '{"name":"render","mode":"cvm","zone":"ap-guangzhou-3","instance_type":"S5.MEDIUM4","image_id":"img-pmqg1cw7","max_price":"0.60","desired_count":2,"tags":{"team":"vfx"}}');
INSERT INTO pools VALUES ('render', 'p-1', '{"name":"render","mode":"cvm","zone":"ap-guangzhou-3","instance_type":"S5.MEDIUM4","image_id":"img-pmqg1cw7","max_price":"0.60","desired_count":2,"tags":{"team":"vfx"}}', '', 2);
INSERT INTO instances (env, pool, id, node_id, zone, instance_type, state, launch_time, client_token)
  VALUES ('render', 'p-1', 'ins-00000001', '', 'ap-guangzhou-3', 'S5.MEDIUM4', 'RUNNING', 1767225600000000000, 'tok-1'),
         ('render', 'p-1', 'ins-00000002', '', 'ap-guangzhou-3', 'S5.MEDIUM4', 'PENDING', 1767225601000000000, 'tok-1');
INSERT INTO journal (env, pool, kind, client_token, payload, started, closed)
  VALUES ('render', 'p-1', 'launch', 'tok-1', '{"count":2}', 1767225600000000000, 1767225602000000000),
         ('render', 'p-1', 'release', '', '{"ids":["ins-00000002"]}', 1767225603000000000, NULL);
)sql";

TEST_F(StateStoreTest, SchemaOneFileIsMigratedKeepingEveryRecord) {
  std::filesystem::create_directories(folder_ + "/.spotform");
  {
    Result<SqliteDb> db = SqliteDb::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    Status made = db->Exec(kSchemaV1File);
    ASSERT_TRUE(made.ok()) << made.error().message();
  }
  auto store = OpenStore();
  StateSnapshot loaded = MustLoad(*store);
  EXPECT_EQ(Dump(loaded),
            "lineage 0b3c9e4a-1d2f-4a5b-8c6d-7e8f9a0b1c2d serial 7\n"
            "env render: render cvm ap-guangzhou-3 S5.MEDIUM4 img-pmqg1cw7 0.60 2 {team=vfx;}\n"
            "  pool p-1 batch_env= expected=2: render cvm ap-guangzhou-3 S5.MEDIUM4 "
            "img-pmqg1cw7 0.60 2 {team=vfx;}\n"
            "    instance id=ins-00000001 node= ap-guangzhou-3 S5.MEDIUM4 RUNNING "
            "1767225600000000000 token=tok-1 created\n"
            "    instance id=ins-00000002 node= ap-guangzhou-3 S5.MEDIUM4 PENDING "
            "1767225601000000000 token=tok-1 created\n"
            "intent 2 render p-1 release token= payload={\"ids\":[\"ins-00000002\"]} "
            "1767225603000000000\n");

  Result<SqliteDb> db = SqliteDb::Open(path_, SQLITE_OPEN_READWRITE);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db->QueryText("SELECT value FROM meta WHERE key = 'schema_version'")->value_or(""),
            "4");
  EXPECT_EQ(db->QueryText("PRAGMA journal_mode")->value_or(""), "wal");
  // Schema 4: each environment starts at the state's serial; the lock held covers it all.
  EXPECT_EQ(loaded.environment_serials, (std::map<std::string, int64_t>{{"render", 7}}));
  Result<std::vector<LockInfo>> locks = store->CurrentLocks();
  ASSERT_TRUE(locks.ok()) << locks.error().message();
  ASSERT_EQ(locks->size(), 1u);
  EXPECT_EQ(locks->front().id, "feedfacefeedface");
  EXPECT_EQ(locks->front().user, "alice");
  EXPECT_TRUE(locks->front().scope.whole_state());
  ASSERT_TRUE(store->ForceUnlock("feedfacefeedface").ok());

  // The migrated state takes the new fields.
  RecordedInstance imported = Instance("ins-00000003", "RUNNING", clock_.Now());
  imported.origin = InstanceOrigin::kImported;
  EXPECT_EQ(MustApply(*store, StateEdit().Add(StateEdit::PutInstances{"render", "p-1", {imported}}))
                .serial,
            8);
  EXPECT_EQ(MustLoad(*OpenStore()).environment_serials.at("render"), 8);
  const Pool pool = MustLoad(*OpenStore()).environments.at("render").pools.at(0);
  ASSERT_EQ(pool.instances.size(), 3u);
  EXPECT_EQ(pool.instances[2].origin, InstanceOrigin::kImported);

  // ... and candidate holds (schema 3).
  const CandidateHold hold{"ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable,
                           clock_.Now() + std::chrono::minutes(3)};
  EXPECT_EQ(MustApply(*store, StateEdit().Add(StateEdit::PutCandidateHold{hold})).serial, 9);
  EXPECT_EQ(MustLoad(*OpenStore()).candidate_holds, std::vector<CandidateHold>{hold});
}

}  // namespace
}  // namespace spotform
