// fuzz_seed_maker OUT_DIR: writes the seeds only spotform's own code can make, so the fuzzers
// start from real files of the current format (scripts/fuzz.sh runs it before fuzzing; the
// copies committed under tests/fuzz/corpus/ were made by it):
//   OUT_DIR/state_file/state.db   a state written by the SQLite store: a cvm environment with
//                                 instances, a batch environment with a node, an open intent
//                                 (then compacted to 512-byte pages, to keep the seed small)
//   OUT_DIR/plan_file/*.plan      saved plans written by WritePlanFile from plans the real
//                                 planner made: create from an empty state, a scale-down plus a
//                                 replacement, and a destroy.
// The same bytes on every run: the fuzz gate replays these seeds and must give the same result
// for the same commit. The clock is a FakeClock, and the lineage, which a store picks at random,
// is pinned to kLineage.
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/config/config.h"
#include "engine/model/state_edit.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/planner.h"
#include "state/sqlite_state_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_config.h"

namespace spotform {
namespace {

constexpr char kEndpoint[] = "http://127.0.0.1:9000";

// The cvm environment "render" with `count` instances, tagged team: vfx.
std::string RenderYaml(int count) {
  return testing::EnvironmentYaml{.desired_count = std::to_string(count),
                                  .more = "    tags: {team: vfx}\n"}
      .Yaml();
}

// The batch environment "bake" of one node, bidding `price`.
std::string BakeYaml(const std::string& price) {
  return testing::EnvironmentYaml{.name = "bake",
                                  .mode = "batch",
                                  .zone = "ap-guangzhou-4",
                                  .instance_type = "SA2.LARGE8",
                                  .image_id = "img-l8og963d",
                                  .max_price = "\"" + price + "\"",
                                  .desired_count = "1"}
      .Yaml();
}

// The project: render (cvm, 2) and bake (batch, 1).
std::string ConfigText() { return testing::ConfigYaml(kEndpoint, RenderYaml(2) + BakeYaml("1.5")); }

// The same project later: render scaled down, bake's bid raised (a replacement), a new env.
std::string ChangedConfigText() {
  return testing::ConfigYaml(
      kEndpoint, RenderYaml(1) + BakeYaml("1.8") +
                     testing::EnvYaml("train", "cvm", "ap-guangzhou-6", 3, "0.9", "S5.LARGE8"));
}

bool Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_seed_maker: %s\n", what.c_str());
  return false;
}

Config Parse(const std::string& text) {
  ConfigParseResult parsed =
      ParseConfig(text, "/project/spotform.yaml", [](const std::string&) { return std::nullopt; });
  if (!parsed.config) {
    for (const Diagnostic& d : parsed.diagnostics) Fail(d.ToString());
    std::exit(1);
  }
  return *parsed.config;
}

RecordedInstance Member(const std::string& id, const std::string& node_id,
                        const EnvironmentSpec& spec, const std::string& state, int minute) {
  RecordedInstance instance;
  instance.id = id;
  instance.node_id = node_id;
  instance.zone = spec.zone();
  instance.instance_type = spec.instance_type();
  instance.state = state;
  instance.launch_time =
      std::chrono::sys_days(std::chrono::year{2026} / 1 / 1) + std::chrono::minutes(minute);
  if (node_id.empty()) instance.client_token = "spotform-launch-" + id;
  return instance;
}

// Every seed's lineage (a store would pick a random one).
constexpr char kLineage[] = "5eed0000-0000-4000-8000-000000000001";

// Runs `sql` on the SQLite file at `path`.
bool RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  const bool opened = sqlite3_open(path.c_str(), &db) == SQLITE_OK;
  const bool ran = opened && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ran || Fail("cannot run `" + sql + "` on " + path);
}

bool WriteState(const std::string& path, const Config& config, FakeClock& clock) {
  auto store = OpenSqliteStateStore(path, clock);
  if (!store.ok()) return Fail(store.error().ToString());
  const EnvironmentSpec& render = config.environments.at("render");
  const EnvironmentSpec& bake = config.environments.at("bake");
  Pool render_pool;
  render_pool.id = "p-3f2a9c1e";
  render_pool.spec = render;
  render_pool.expected_count = 2;
  render_pool.instances = {Member("ins-7bq2k1c9", "", render, "RUNNING", 1),
                           Member("ins-0dd3a8xe", "", render, "PENDING", 2)};
  Pool bake_pool;
  bake_pool.id = "p-81c0d2aa";
  bake_pool.spec = bake;
  bake_pool.batch_env_id = "env-k2j4x0qa";
  bake_pool.expected_count = 1;
  bake_pool.instances = {Member("ins-5mm1c0de", "node-a1b2c3d4", bake, "RUNNING", 3)};
  JournalEntry intent;
  intent.environment = "render";
  intent.pool_id = "p-3f2a9c1e";
  intent.kind = "launch";
  intent.client_token = "spotform-launch-0001";
  intent.payload = R"({"count":1})";
  intent.started = clock.Now();
  StateEdit edit;
  edit.Add(StateEdit::PutEnvironment{render})
      .Add(StateEdit::PutPool{"render", render_pool})
      .Add(StateEdit::PutEnvironment{bake})
      .Add(StateEdit::PutPool{"bake", bake_pool})
      .Add(StateEdit::OpenIntent{intent});
  auto applied = (*store)->Apply(edit);
  if (!applied.ok()) return Fail(applied.error().ToString());
  return RunSql(path,
                std::string("UPDATE meta SET value = '") + kLineage + "' WHERE key = 'lineage'");
}

// Rewrites the database with 512-byte pages (still WAL, still the store's schema and rows).
bool Compact(const std::string& path) {
  return RunSql(
      path, "PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM; PRAGMA journal_mode=WAL;");
}

// The state at `path` as the store reads it (a file never written is the empty state).
std::optional<StateSnapshot> LoadState(const std::string& path, FakeClock& clock) {
  auto store = OpenSqliteStateStore(path, clock);
  Result<StateSnapshot> loaded = store.ok() ? (*store)->Load() : store.error();
  if (!loaded.ok()) {
    Fail(loaded.error().ToString());
    return std::nullopt;
  }
  loaded->lineage = kLineage;  // a state never written has the store's random one
  return *loaded;
}

// One saved plan seed: the plan the planner makes for `config` against `state`.
struct PlanSeed {
  const char* name;
  const Config& config;
  const StateSnapshot& state;
  bool destroy;
};

bool WritePlan(const std::string& folder, const PlanSeed& seed) {
  PlanOptions options;
  options.destroy = seed.destroy;
  Status written =
      WritePlanFile(folder + "/" + seed.name + ".plan", MakePlan(seed.config, seed.state, options));
  return written.ok() || Fail(written.error().ToString());
}

bool Run(const std::string& out) {
  namespace fs = std::filesystem;
  fs::create_directories(out + "/state_file");
  fs::create_directories(out + "/plan_file");
  const Config config = Parse(ConfigText());
  const Config changed = Parse(ChangedConfigText());
  FakeClock clock;

  const std::string scratch = out + "/.seed-scratch";
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  const std::string state_path = scratch + "/state.db";
  const std::optional<StateSnapshot> empty = LoadState(scratch + "/empty.db", clock);
  if (!empty || !WriteState(state_path, config, clock)) return false;
  const std::optional<StateSnapshot> state = LoadState(state_path, clock);
  if (!state) return false;
  for (const PlanSeed& seed :
       {PlanSeed{"create", config, *empty, false}, PlanSeed{"change", changed, *state, false},
        PlanSeed{"destroy", config, *state, true}}) {
    if (!WritePlan(out + "/plan_file", seed)) return false;
  }
  if (!Compact(state_path)) return false;
  fs::copy_file(state_path, out + "/state_file/state.db", fs::copy_options::overwrite_existing);
  fs::remove_all(scratch);
  return true;
}

}  // namespace
}  // namespace spotform

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: fuzz_seed_maker OUT_DIR\n"
                 "Writes OUT_DIR/state_file/state.db and OUT_DIR/plan_file/*.plan, seeds made by\n"
                 "spotform's own store and plan writer. Example: fuzz_seed_maker /tmp/corpus\n");
    return 2;
  }
  return spotform::Run(argv[1]) ? 0 : 1;
}
