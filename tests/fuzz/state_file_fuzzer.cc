// libFuzzer target: a mutated SQLite state file through the real SQLite store. The bytes
// become .spotform/state.db in a private temporary folder; the store opens it (inspection,
// schema check, migrations), loads it, and when it loads, takes and releases the lock and
// applies a small edit, then loads again. Every step must succeed or fail with a clean Error;
// nothing may crash, and a state that loaded must still load after the edit.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "engine/model/state_edit.h"
#include "state/sqlite_state_store.h"
#include "tests/fuzz/fixed_random.h"
#include "tests/support/fake_clock.h"

namespace {

void RemoveFolder();

// A folder made once per fuzzing process (removed at its exit); each input replaces the file
// in it.
const std::string& Folder() {
  static const std::string folder = [] {
    std::string name = "/tmp/spotform-state-fuzz-XXXXXX";
    if (::mkdtemp(name.data()) == nullptr) std::abort();
    return name;
  }();
  // Registered once the name is made, so it runs before the name is destroyed.
  static const bool removed_at_exit = std::atexit(RemoveFolder) == 0;
  (void)removed_at_exit;
  return folder;
}

void RemoveFolder() { ::rmdir(Folder().c_str()); }

void RemoveFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    ::unlink((path + suffix).c_str());
  }
}

spotform::EnvironmentSpec Spec() {
  spotform::EnvironmentSpec spec;
  spec.name = "fuzz";
  spec.mode = spotform::Mode::kCvm;
  spec.SetPlacement("ap-guangzhou-3", "S5.MEDIUM4");
  spec.image_id = "img-pmqg1cw7";
  spec.max_price = "0.60";
  spec.desired_count = 1;
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  spotform::fuzz::RestartFixedRandom();
  using namespace spotform;
  const std::string path = Folder() + "/state.db";
  RemoveFiles(path);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  FakeClock clock;
  {
    Result<std::unique_ptr<SqliteStateStore>> store = OpenSqliteStateStore(path, clock);
    if (!store.ok()) {
      if (store.error().message().empty()) std::abort();
      RemoveFiles(path);
      return 0;
    }
    Result<StateSnapshot> before = (*store)->Load();
    if (before.ok()) {
      Result<LockInfo> lock = (*store)->Lock(LockRequest{"apply", "fuzz", "fuzzhost", 1, {}});
      Pool pool;
      pool.id = "p-fuzz0001";
      pool.spec = Spec();
      pool.expected_count = 1;
      RecordedInstance instance;
      instance.id = "ins-fuzz0001";
      instance.state = "PENDING";
      instance.client_token = "spotform-fuzz-0001";
      pool.instances.push_back(instance);
      StateEdit edit;
      edit.Add(StateEdit::PutEnvironment{Spec()});
      edit.Add(StateEdit::PutPool{"fuzz", pool});
      // Also touch what the file already holds.
      for (const auto& [name, environment] : before->environments) {
        for (const Pool& existing : environment.pools) {
          edit.Add(StateEdit::SetExpectedCount{name, existing.id, 0});
        }
        break;
      }
      for (const JournalEntry& entry : before->open_intents) {
        edit.Add(StateEdit::CloseIntent{entry.id});
      }
      Result<ApplyOutcome> applied = (*store)->Apply(edit);
      if (lock.ok()) (void)(*store)->Unlock(lock->id);
      Result<StateSnapshot> after = (*store)->Load();
      // A state that loaded and took the edit must load again, with the edit in it.
      if (applied.ok() && (!after.ok() || after->environments.count("fuzz") == 0)) std::abort();
    } else if (before.error().message().empty()) {
      std::abort();
    }
  }
  RemoveFiles(path);
  return 0;
}
