// The decisions of `import --discover` around discovery (engine/import/adopt_discovered.h,
// DiscoveredConfigText in engine/import/import_config.h): the names it avoids, the one edit
// that adopts everything, and the config it writes, read back before anything is written.
#include "engine/import/adopt_discovered.h"

#include <gtest/gtest.h>

#include "engine/import/import_config.h"
#include "engine/plan/planner.h"
#include "state/sqlite_state_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fake_clock.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using testing::ConfigOf;
using testing::Ins;
using testing::Node;
using testing::PoolOf;
using testing::Spec;
using testing::StateOf;

const EnvLookup kNoEnv = [](const std::string&) { return std::nullopt; };

Clock::WallTime At(int year, int month, int day, int hour, int minute) {
  return std::chrono::sys_days(std::chrono::year{year} / month / day) + std::chrono::hours(hour) +
         std::chrono::minutes(minute);
}

ProposedEnvironment Instances() {
  ProposedEnvironment proposal;
  proposal.spec =
      Spec("s5-medium4-ap-guangzhou-3", 2, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.13");
  proposal.expected_count = 2;
  proposal.instances = {Ins("ins-aaaaaaaa", "RUNNING"), Ins("ins-bbbbbbbb", "RUNNING")};
  proposal.price_note = "review: spot price 0.1234/h rounded up";
  return proposal;
}

ProposedEnvironment Batch() {
  ProposedEnvironment proposal;
  proposal.spec = Spec("render-farm", 1, Mode::kBatch, "ap-guangzhou-3", "S5.MEDIUM4", "0.09");
  proposal.batch_env_id = "env-cccccccc";
  proposal.expected_count = 1;
  proposal.instances = {Node("node-dddddddd", "RUNNING")};
  return proposal;
}

TEST(AdoptDiscovered, NamesInUseAreDeclaredOrRecorded) {
  const EnvironmentSpec old = Spec("old", 1);
  const StateSnapshot state = StateOf({{old, {PoolOf("p-1", old, 1, {})}}});
  EXPECT_EQ(NamesInUse(ConfigOf({Spec("render", 1), Spec("old", 1)}), state),
            (std::set<std::string>{"old", "render"}));
  EXPECT_EQ(NamesInUse(ConfigOf({}), StateSnapshot{}), std::set<std::string>{});
}

TEST(AdoptDiscovered, GeneratedAtIsTheMinuteInUtc) {
  EXPECT_EQ(GeneratedAtText(At(2026, 11, 27, 8, 5)), "2026-11-27 08:05 UTC");
  EXPECT_EQ(GeneratedAtText(At(2026, 1, 1, 0, 0) + std::chrono::seconds(59)),
            "2026-01-01 00:00 UTC");
}

// What --discover promises: a plan with the written file right after shows no changes.
TEST(AdoptDiscovered, TheAdoptedStatePlansToNoChangesUnderTheWrittenConfig) {
  TempDir dir;
  FakeClock clock;
  Config existing;
  existing.file = dir.path() + "/spotform.yaml";
  existing.provider.region = "ap-guangzhou";
  existing.state.path = dir.path() + "/.spotform/state.db";
  const std::vector<ProposedEnvironment> proposals = {Instances(), Batch()};

  Result<std::string> text = DiscoveredConfigText(existing, proposals, dir.path() + "/adopted.yaml",
                                                  At(2026, 11, 27, 8, 5), kNoEnv);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_NE(text->find("# Written by `spotform import --discover` at 2026-11-27 08:05 UTC."),
            std::string::npos)
      << *text;
  ConfigParseResult written = ParseConfig(*text, dir.path() + "/adopted.yaml", kNoEnv);
  ASSERT_TRUE(written.config.has_value()) << *text;

  auto store = OpenSqliteStateStore(existing.state.path, clock);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  Result<StateSnapshot> before = (*store)->Load();
  ASSERT_TRUE(before.ok());
  Result<ApplyOutcome> applied = (*store)->Apply(AdoptDiscovered(proposals, *before));
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  EXPECT_EQ(applied->serial, before->serial + 1) << "one transaction";

  Result<StateSnapshot> after = (*store)->Load();
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->environments.size(), 2u);
  const Pool& cvm = after->environments.at("s5-medium4-ap-guangzhou-3").pools.at(0);
  EXPECT_EQ(cvm.expected_count, 2);
  EXPECT_EQ(cvm.instances.size(), 2u);
  const Pool& batch = after->environments.at("render-farm").pools.at(0);
  EXPECT_EQ(batch.batch_env_id, "env-cccccccc");
  EXPECT_EQ(batch.expected_count, 1);

  const Plan plan = MakePlan(*written.config, *after, PlanOptions{});
  EXPECT_FALSE(plan.HasChanges());
}

TEST(AdoptDiscovered, AGeneratedConfigThatWouldNotValidateIsAnErrorNotAFile) {
  Config existing;
  existing.file = "/work/project/spotform.yaml";
  existing.provider.region = "ap-guangzhou";
  existing.state.path = "/work/project/.spotform/state.db";
  ProposedEnvironment broken = Instances();
  broken.spec.instance_types = {InstanceTypeChoice{"", ""}};
  Result<std::string> text = DiscoveredConfigText(existing, {broken}, "/work/project/adopted.yaml",
                                                  At(2026, 11, 27, 8, 5), kNoEnv);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().kind(), ErrorKind::kInternal);
  EXPECT_EQ(text.error().message(),
            "import --discover: the generated config does not validate (a bug; please report "
            "it):\n/work/project/adopted.yaml:14:20: "
            "environments.s5-medium4-ap-guangzhou-3.instance_type: `` is not an instance type "
            "like `S5.MEDIUM4` (FAMILY.SIZE)");
}

}  // namespace
}  // namespace spotform
