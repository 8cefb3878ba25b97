#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "engine/state.h"
#include "state/sqlite_state_store.h"
#include "tests/support/fake_clock.h"

namespace spotform {

// Helpers shared by the state tests: a fresh folder per test, literal specs and instances,
// and a full text dump of a snapshot (so a round trip compares every field at once).

inline EnvironmentSpec RenderSpec() {
  EnvironmentSpec spec;
  spec.name = "render";
  spec.mode = Mode::kCvm;
  spec.zone = "ap-guangzhou-3";
  spec.instance_type = "S5.MEDIUM4";
  spec.image_id = "img-pmqg1cw7";
  spec.max_price = "0.60";
  spec.desired_count = 3;
  spec.tags = {{"team", "vfx"}, {"cost-center", "42"}};
  return spec;
}

inline EnvironmentSpec BakeSpec() {
  EnvironmentSpec spec;
  spec.name = "bake";
  spec.mode = Mode::kBatch;
  spec.zone = "ap-shanghai-2";
  spec.instance_type = "SA2.LARGE8";
  spec.image_id = "img-l8og963d";
  spec.max_price = "1.5";
  spec.desired_count = 2;
  return spec;
}

inline RecordedInstance Instance(const std::string& id, const std::string& state,
                                 Clock::WallTime launch) {
  RecordedInstance instance;
  instance.id = id;
  instance.zone = "ap-guangzhou-3";
  instance.instance_type = "S5.MEDIUM4";
  instance.state = state;
  instance.launch_time = launch;
  instance.client_token = "spotform-launch-" + id;
  return instance;
}

inline Pool MakePool(const std::string& id, const EnvironmentSpec& spec, int expected) {
  Pool pool;
  pool.id = id;
  pool.spec = spec;
  pool.expected_count = expected;
  return pool;
}

inline std::string DumpSpec(const EnvironmentSpec& spec) {
  std::ostringstream out;
  out << spec.name << " " << ModeName(spec.mode) << " " << spec.zone << " " << spec.instance_type
      << " " << spec.image_id << " " << spec.max_price << " " << spec.desired_count << " {";
  for (const auto& [key, value] : spec.tags) out << key << "=" << value << ";";
  out << "}";
  return out.str();
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
  return out.str();
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
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

}  // namespace spotform
