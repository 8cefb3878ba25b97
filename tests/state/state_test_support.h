#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "engine/config/config_checks.h"
#include "engine/model/crypto.h"
#include "engine/model/state_snapshot.h"
#include "state/open_state_store.h"
#include "state/pg_state_store.h"
#include "state/sqlite_state_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/spec_builders.h"
#include "tests/support/test_config.h"

namespace spotform {

// Helpers shared by the state tests: a fresh folder per test, literal specs and instances,
// and a full text dump of a snapshot (so a round trip compares every field at once).

inline EnvironmentSpec RenderSpec() {
  EnvironmentSpec spec = testing::Spec("render", 3);
  spec.tags = {{"team", "vfx"}, {"cost-center", "42"}};
  return spec;
}

inline EnvironmentSpec BakeSpec() {
  EnvironmentSpec spec =
      testing::Spec("bake", 2, Mode::kBatch, "ap-shanghai-2", "SA2.LARGE8", "1.5");
  spec.image_id = "img-l8og963d";
  return spec;
}

// A launched instance (its client token names it).
inline RecordedInstance Instance(const std::string& id, const std::string& state,
                                 Clock::WallTime launch) {
  RecordedInstance instance = testing::Ins(id, state, launch);
  instance.client_token = "spotform-launch-" + id;
  return instance;
}

// An empty pool (a batch one without its compute environment yet).
inline Pool MakePool(const std::string& id, const EnvironmentSpec& spec, int expected) {
  Pool pool = testing::PoolOf(id, spec, expected, {});
  pool.batch_env_id.clear();
  return pool;
}

// A state with every kind of record: a cvm environment being replaced (two pools, created
// and imported instances), a batch environment with nodes whose CVMs do not exist yet, and
// an open intent.
inline StateEdit FullStateEdit(Clock::WallTime t0) {
  EnvironmentSpec render = RenderSpec();
  EnvironmentSpec old_shape = render;
  old_shape.instance_types = {InstanceTypeChoice{"S5.SMALL2", ""}};
  old_shape.max_price = "0.3";
  old_shape.tags.clear();

  Pool current = MakePool("p-3f2a9c1e", render, 3);
  current.instances.push_back(
      Instance("ins-aaaa1111", "RUNNING", t0 + std::chrono::nanoseconds(123456789)));
  current.instances.push_back(
      Instance("ins-aaaa2222", "PENDING", t0 + std::chrono::nanoseconds(987654321)));
  RecordedInstance imported = Instance("ins-imp00001", "RUNNING", t0 - std::chrono::hours(48));
  imported.client_token = "";
  imported.origin = InstanceOrigin::kImported;
  current.instances.push_back(imported);

  Pool retiring = MakePool("p-00c0ffee", old_shape, 0);
  retiring.instances.push_back(Instance("ins-old00001", "LAUNCH_FAILED", t0));

  EnvironmentSpec bake = BakeSpec();
  Pool batch = MakePool("p-ba7c4000", bake, 2);
  batch.batch_env_id = "env-kxq8w2zb";
  RecordedInstance waiting;
  waiting.node_id = "node-11112222";
  waiting.zone = bake.zone();
  waiting.instance_type = bake.instance_type();
  waiting.state = "CREATING";
  waiting.launch_time = t0;
  RecordedInstance serving = waiting;
  serving.id = "ins-bbbb3333";
  serving.node_id = "node-33334444";
  serving.state = "RUNNING";
  batch.instances = {waiting, serving};

  JournalEntry intent;
  intent.environment = "render";
  intent.pool_id = "p-3f2a9c1e";
  intent.kind = "launch";
  intent.client_token = "spotform-7d1e-0003";
  intent.payload = R"({"count":2,"zone":"ap-guangzhou-3"})";
  intent.started = t0 + std::chrono::nanoseconds(42);

  StateEdit edit;
  edit.Add(StateEdit::PutEnvironment{render})
      .Add(StateEdit::PutPool{"render", current})
      .Add(StateEdit::PutPool{"render", retiring})
      .Add(StateEdit::PutEnvironment{bake})
      .Add(StateEdit::PutPool{"bake", batch})
      .Add(StateEdit::OpenIntent{intent});
  return edit;
}

inline std::string DumpSpec(const EnvironmentSpec& spec) {
  std::ostringstream out;
  out << spec.name << " " << ModeName(spec.mode) << " " << ZonesText(spec) << " " << TypesText(spec)
      << (spec.allocation == Allocation::kOrdered
              ? ""
              : " " + std::string(AllocationName(spec.allocation)))
      << " " << spec.image_id << " " << spec.max_price << " " << spec.desired_count << " {";
  for (const auto& [key, value] : spec.tags) out << key << "=" << value << ";";
  out << "}";
  return out.str();
}

// An apply's lock request by `user` (process `pid` on host ci-3), waiting up to `wait`.
inline LockRequest LockRequestBy(const std::string& user, int64_t pid,
                                 std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
  LockRequest request;
  request.operation = "apply";
  request.user = user;
  request.host = "ci-3";
  request.pid = pid;
  request.wait = wait;
  return request;
}

// For a forked child: takes the lock of the opened `store` as user "child" and writes its id
// to `fd`. Ends the child when any of it fails: exit status 2 (no store), 3 (no lock) or 4
// (the id was not written).
template <typename Store>
LockInfo LockForParentOrExit(const Result<std::unique_ptr<Store>>& store, int fd) {
  if (!store.ok()) ::_exit(2);
  Result<LockInfo> lock = (*store)->Lock(LockRequestBy("child", ::getpid()));
  if (!lock.ok()) ::_exit(3);
  if (::write(fd, lock->id.data(), lock->id.size()) != static_cast<ssize_t>(lock->id.size())) {
    ::_exit(4);
  }
  return *lock;
}

inline int64_t Nanos(Clock::WallTime time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

// Every field of a snapshot, one line per record.
inline std::string Dump(const StateSnapshot& snapshot) {
  std::ostringstream out;
  out << "lineage " << snapshot.lineage << " serial " << snapshot.serial << "\n";
  for (const auto& [name, environment] : snapshot.environments) {
    out << "env " << name << ": " << DumpSpec(environment.applied) << "\n";
    for (const Pool& pool : environment.pools) {
      out << "  pool " << pool.id << " batch_env=" << pool.batch_env_id
          << " expected=" << pool.expected_count << ": " << DumpSpec(pool.spec) << "\n";
      for (const RecordedInstance& i : pool.instances) {
        out << "    instance id=" << i.id << " node=" << i.node_id << " " << i.zone << " "
            << i.instance_type << " " << i.state << " " << Nanos(i.launch_time)
            << " token=" << i.client_token
            << (i.origin == InstanceOrigin::kImported ? " imported" : " created") << "\n";
      }
    }
  }
  for (const JournalEntry& e : snapshot.open_intents) {
    out << "intent " << e.id << " " << e.environment << " " << e.pool_id << " " << e.kind
        << " token=" << e.client_token << " payload=" << e.payload << " " << Nanos(e.started)
        << "\n";
  }
  for (const CandidateHold& h : snapshot.candidate_holds) {
    out << "hold " << (h.kind == HoldKind::kCooling ? "cooling" : "unavailable") << " " << h.zone
        << " " << h.instance_type << " " << Nanos(h.until) << "\n";
  }
  return out.str();
}

// A test with its own temporary folder; the state lives at FOLDER/.spotform/state.db.
class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "spotform-state-XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    path_ = folder_ + "/.spotform/state.db";
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::unique_ptr<SqliteStateStore> OpenStore(const std::string& path) {
    Result<std::unique_ptr<SqliteStateStore>> store = OpenSqliteStateStore(path, clock_);
    EXPECT_TRUE(store.ok()) << store.error().message();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::unique_ptr<SqliteStateStore> OpenStore() { return OpenStore(path_); }

  // Opening must fail: returns the message.
  std::string OpenError(const std::string& path) {
    Result<std::unique_ptr<SqliteStateStore>> store = OpenSqliteStateStore(path, clock_);
    EXPECT_FALSE(store.ok());
    return store.ok() ? "" : store.error().message();
  }

  StateSnapshot MustLoad(StateStore& store) {
    Result<StateSnapshot> snapshot = store.Load();
    EXPECT_TRUE(snapshot.ok()) << snapshot.error().message();
    return snapshot.ok() ? *snapshot : StateSnapshot();
  }

  ApplyOutcome MustApply(StateStore& store, const StateEdit& edit) {
    Result<ApplyOutcome> outcome = store.Apply(edit);
    EXPECT_TRUE(outcome.ok()) << outcome.error().message();
    return outcome.ok() ? *outcome : ApplyOutcome();
  }

  FakeClock clock_;
  std::string folder_;
  std::string path_;
};

// The state backends the store suite runs against (one parameterised suite).
enum class Backend { kSqlite, kPostgres };

inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "sqlite" : "postgres");
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// The libpq URL of the test cluster that CTest's `postgres` fixture starts
// (scripts/pg-test-cluster.sh writes it to SPOTFORM_PG_URL_FILE). Missing is a failure,
// never a skip.
inline std::string PgTestUrl() {
  std::string url = testing::ReadFile(SPOTFORM_PG_URL_FILE);
  while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
  if (url.empty()) {
    ADD_FAILURE() << "no PostgreSQL test cluster: " << SPOTFORM_PG_URL_FILE
                  << " is missing; run the tests with ctest (its `postgres` fixture starts one) "
                     "or run scripts/pg-test-cluster.sh start "
                  << std::filesystem::path(SPOTFORM_PG_URL_FILE).parent_path().string();
  }
  return url;
}

// A fresh workspace name, so PostgreSQL tests share the cluster's database yet never each
// other's state (they may run in parallel).
inline std::string FreshWorkspace() { return "t-" + RandomHex(8); }

// The store suite, once per backend: OpenStore() opens this test's own state (a fresh SQLite
// file, or a fresh workspace of the test cluster) as a new store object with its own
// connection; state_name_ is how messages name it.
class BackendStoreTest : public StateStoreTest, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    StateStoreTest::SetUp();
    if (GetParam() == Backend::kPostgres) {
      url_ = PgTestUrl();
      ASSERT_FALSE(url_.empty());
    }
    settings_ = SettingsFor("");
    state_name_ = GetParam() == Backend::kSqlite
                      ? path_
                      : RedactUrlPassword(url_) + " (workspace " + settings_.workspace + ")";
  }

  // This test's state (`other` = "") or another one of the same backend.
  StateConfig SettingsFor(const std::string& other) {
    StateConfig settings;
    if (GetParam() == Backend::kSqlite) {
      settings.backend = "sqlite";
      settings.path = other.empty() ? path_ : folder_ + "/" + other + ".db";
    } else {
      settings.backend = "postgres";
      settings.url = url_;
      if (workspace_.empty()) workspace_ = FreshWorkspace();
      settings.workspace = other.empty() ? workspace_ : workspace_ + "-" + other;
    }
    return settings;
  }

  Result<std::unique_ptr<StateStore>> TryOpenStore(Clock& clock, const std::string& other = "") {
    return OpenStateStore(SettingsFor(other), clock);
  }
  std::unique_ptr<StateStore> OpenStore(const std::string& other = "") {
    Result<std::unique_ptr<StateStore>> store = TryOpenStore(clock_, other);
    EXPECT_TRUE(store.ok()) << store.error().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::string url_;
  std::string workspace_;
  StateConfig settings_;
  std::string state_name_;
};

}  // namespace spotform
