// `spotform import` decisions (engine/import/import_plan.h): what may be adopted, the errors that
// name the field, and the state an import leaves, proven by planning against it.

#include "engine/import/import_plan.h"

#include <gtest/gtest.h>

#include "engine/plan/planner.h"
#include "engine/plan/refresh.h"
#include "state/sqlite_state_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fake_clock.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

ObservedInstance ImportObserved(const std::string& id, const std::string& zone = "ap-guangzhou-3",
                                const std::string& type = "S5.MEDIUM4",
                                ChargeType charge = ChargeType::kSpot,
                                InstanceState state = InstanceState::kRunning) {
  ObservedInstance instance = testing::Observed(id, state, zone, type);
  instance.charge_type = charge;
  instance.created_time = Clock::WallTime(std::chrono::minutes(5));
  return instance;
}

InstanceObservation Found(std::vector<ObservedInstance> instances) {
  InstanceObservation observation;
  observation.found = std::move(instances);
  return observation;
}

const ImportOptions kImportPlanOptions{"ap-guangzhou", false};
const ImportOptions kForce{"ap-guangzhou", true};

// Applies `edit` to a fresh SQLite state seeded with nothing, and reads it back.
class ImportStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStateStore(dir_.path() + "/state.db", clock_);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store.value());
  }
  StateSnapshot Load() {
    Result<StateSnapshot> state = store_->Load();
    EXPECT_TRUE(state.ok());
    return state.ok() ? *state : StateSnapshot{};
  }
  void Apply(const StateEdit& edit) {
    Result<ApplyOutcome> applied = store_->Apply(edit);
    ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<SqliteStateStore> store_;
};

TEST_F(ImportStateTest, NewEnvironmentExpectsWhatWasAdoptedAndPlansNoChangesWhenItMatches) {
  const EnvironmentSpec spec = Spec("render", 2);
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, Load(), {"ins-aaaaaaaa", "ins-bbbbbbbb"},
      Found({ImportObserved("ins-aaaaaaaa"), ImportObserved("ins-bbbbbbbb")}), kImportPlanOptions);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->adopted, (std::vector<std::string>{"ins-aaaaaaaa", "ins-bbbbbbbb"}));
  EXPECT_EQ(outcome->expected_count, 2);
  EXPECT_TRUE(outcome->new_environment);
  Apply(outcome->edit);

  const StateSnapshot state = Load();
  EXPECT_EQ(state.serial, 1);  // one transaction
  const RecordedEnvironment& env = state.environments.at("render");
  EXPECT_EQ(env.applied.desired_count, 2);
  ASSERT_EQ(env.pools.size(), 1u);
  const Pool& pool = env.pools[0];
  EXPECT_EQ(pool.expected_count, 2);
  EXPECT_EQ(pool.spec.desired_count, 2);
  EXPECT_EQ(pool.spec.max_price, "0.60");  // the bid as declared: the API does not report it
  ASSERT_EQ(pool.instances.size(), 2u);
  EXPECT_EQ(pool.instances[0].origin, InstanceOrigin::kImported);
  EXPECT_EQ(pool.instances[0].state, "RUNNING");
  EXPECT_EQ(pool.instances[0].client_token, "");

  // The config declares what was adopted: nothing to do, not even an update in place.
  const Plan plan = MakePlan(ConfigOf({spec}), state, PlanOptions{});
  for (const Change& change : plan.changes) {
    EXPECT_EQ(change.action, ChangeAction::kNoOp) << change.address;
    EXPECT_TRUE(change.steps.empty()) << change.address;
  }
}

TEST_F(ImportStateTest, ImportingFewerThanDesiredPlansTheLaunchOfTheRest) {
  const EnvironmentSpec spec = Spec("render", 3);
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, Load(), {"ins-aaaaaaaa"}, Found({ImportObserved("ins-aaaaaaaa")}), kImportPlanOptions);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->expected_count, 1);
  Apply(outcome->edit);

  const Plan plan = MakePlan(ConfigOf({spec}), Load(), PlanOptions{});
  const Change& change = plan.changes.at(0);
  EXPECT_EQ(change.reasons, (std::vector<std::string>{"desired 1 -> 3"}));
  int launches = 0;
  for (const Step& step : change.steps) launches += step.kind == StepKind::kLaunch ? step.count : 0;
  EXPECT_EQ(launches, 2);
}

TEST_F(ImportStateTest, ImportingMoreThanDesiredPlansTheReleaseOfTheSurplus) {
  const EnvironmentSpec spec = Spec("render", 2);
  ObservedInstance newest = ImportObserved("ins-cccccccc");
  newest.created_time = Clock::WallTime(std::chrono::minutes(9));
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, Load(), {"ins-aaaaaaaa", "ins-bbbbbbbb", "ins-cccccccc"},
      Found({ImportObserved("ins-aaaaaaaa"), ImportObserved("ins-bbbbbbbb"), newest}),
      kImportPlanOptions);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  Apply(outcome->edit);

  const Plan plan = MakePlan(ConfigOf({spec}), Load(), PlanOptions{});
  const Change& change = plan.changes.at(0);
  ASSERT_EQ(change.steps.size(), 3u);
  EXPECT_EQ(change.steps[0].kind, StepKind::kSetExpectedCount);
  EXPECT_EQ(change.steps[0].to, 2);
  EXPECT_EQ(change.steps[1].kind, StepKind::kRelease);
  EXPECT_EQ(change.steps[1].ids, (std::vector<std::string>{"ins-cccccccc"}));  // newest
}

TEST_F(ImportStateTest, AdoptedBidIsNeverAReasonToReplace) {
  // Declared 0.60; whatever the instances were launched with, refresh cannot see it and the
  // pool records the declared bid, so plan after refresh replaces nothing.
  const EnvironmentSpec spec = Spec("render", 1);
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, Load(), {"ins-aaaaaaaa"}, Found({ImportObserved("ins-aaaaaaaa")}), kImportPlanOptions);
  ASSERT_TRUE(outcome.ok());
  Apply(outcome->edit);
  const Plan plan = MakePlan(ConfigOf({spec}), Load(), PlanOptions{});
  EXPECT_NE(plan.changes.at(0).action, ChangeAction::kReplace);
  for (const Step& step : plan.changes.at(0).steps) {
    EXPECT_NE(step.kind, StepKind::kLaunch);
    EXPECT_NE(step.kind, StepKind::kRelease);
  }
}

TEST(ImportPlanTest, JoinsThePoolOfTheDeclaredShapeWithoutChangingItsCount) {
  const EnvironmentSpec spec = Spec("render", 2);
  const StateSnapshot state =
      StateOf({{spec, {PoolOf("p-1", spec, 2, {Ins("ins-11111111", "RUNNING")})}}});
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, state, {"ins-aaaaaaaa"}, Found({ImportObserved("ins-aaaaaaaa")}), kImportPlanOptions);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->pool_id, "p-1");
  EXPECT_EQ(outcome->expected_count, 2);
  ASSERT_EQ(outcome->edit.ops().size(), 1u);
  const auto* put = std::get_if<StateEdit::PutInstances>(&outcome->edit.ops()[0]);
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->pool_id, "p-1");
  ASSERT_EQ(put->instances.size(), 1u);
  EXPECT_EQ(put->instances[0].origin, InstanceOrigin::kImported);
}

TEST(ImportPlanTest, EveryProblemIsNamedAtOnceAndNothingIsRecorded) {
  const EnvironmentSpec spec = Spec("render", 2);
  const EnvironmentSpec other = Spec("other", 1);
  const StateSnapshot state =
      StateOf({{other, {PoolOf("p-9", other, 1, {Ins("ins-99999999", "RUNNING")})}}});
  ObservedInstance owned = ImportObserved("ins-eeeeeeee");
  owned.tags[kOwnerLineageTag] = "another-lineage";
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, state,
      {"ins-aaaaaaaa", "ins-xxxxxxxx", "ins-bbbbbbbb", "ins-cccccccc", "ins-dddddddd",
       "ins-99999999", "ins-ffffffff", "ins-eeeeeeee"},
      Found(
          {ImportObserved("ins-aaaaaaaa"),
           ImportObserved("ins-bbbbbbbb", "ap-guangzhou-3", "S5.MEDIUM4", ChargeType::kPayAsYouGo),
           ImportObserved("ins-cccccccc", "ap-guangzhou-4"),
           ImportObserved("ins-dddddddd", "ap-guangzhou-3", "S5.LARGE8"),
           ImportObserved("ins-99999999"),
           ImportObserved("ins-ffffffff", "ap-guangzhou-3", "S5.MEDIUM4", ChargeType::kSpot,
                          InstanceState::kTerminating),
           owned}),
      kImportPlanOptions);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(outcome.error().message(),
            "ins-xxxxxxxx: not found in ap-guangzhou\n"
            "ins-bbbbbbbb: is not a spot instance (charge type POSTPAID_BY_HOUR); spotform "
            "manages SPOTPAID instances only\n"
            "ins-cccccccc: zone is ap-guangzhou-4 but env.render declares ap-guangzhou-3; use "
            "--force to adopt it anyway\n"
            "ins-dddddddd: instance_type is S5.LARGE8 but env.render declares S5.MEDIUM4; use "
            "--force to adopt it anyway\n"
            "ins-99999999 is already managed by env.other\n"
            "ins-ffffffff: is TERMINATING; only pending or running instances can be imported\n"
            "ins-eeeeeeee: is owned by another spotform state (lineage another-lineage); remove "
            "it there with `spotform state rm` first");
}

TEST(ImportPlanTest, MalformedIdsAreNamedWithoutAskingTheCloud) {
  Result<ImportOutcome> outcome =
      PlanInstanceImport(Spec("render", 1), StateSnapshot{}, {"ins-nope", "ins-aaaaaaaa"},
                         Found({ImportObserved("ins-aaaaaaaa")}), kImportPlanOptions);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().message(),
            "ins-nope: not an instance id (ins- and 8 lower-case letters or digits)");
}

TEST(ImportPlanTest, ForceAdoptsAZoneOrTypeMismatchWithANote) {
  const EnvironmentSpec spec = Spec("render", 1);
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, StateSnapshot{}, {"ins-cccccccc"},
      Found({ImportObserved("ins-cccccccc", "ap-guangzhou-4", "S5.LARGE8")}), kForce);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->adopted, (std::vector<std::string>{"ins-cccccccc"}));
  EXPECT_EQ(outcome->notes,
            (std::vector<std::string>{
                "ins-cccccccc: zone ap-guangzhou-4 differs from the declared ap-guangzhou-3; "
                "adopted anyway (--force)",
                "ins-cccccccc: instance_type S5.LARGE8 differs from the declared S5.MEDIUM4; "
                "adopted anyway (--force)"}));
}

TEST(ImportPlanTest, ForceDoesNotAdoptWhatIsNotSpotOrManagedElsewhere) {
  const EnvironmentSpec spec = Spec("render", 1);
  Result<ImportOutcome> outcome = PlanInstanceImport(
      spec, StateSnapshot{}, {"ins-bbbbbbbb"},
      Found({ImportObserved("ins-bbbbbbbb", "ap-guangzhou-3", "S5.MEDIUM4", ChargeType::kPrepaid)}),
      kForce);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().message(),
            "ins-bbbbbbbb: is not a spot instance (charge type PREPAID); spotform manages "
            "SPOTPAID instances only");
}

TEST(ImportPlanTest, RepeatingAnImportIsANoOp) {
  const EnvironmentSpec spec = Spec("render", 2);
  RecordedInstance imported = Ins("ins-aaaaaaaa", "RUNNING");
  imported.origin = InstanceOrigin::kImported;
  const StateSnapshot state = StateOf({{spec, {PoolOf("p-1", spec, 0, {imported})}}});
  Result<ImportOutcome> outcome = PlanInstanceImport(spec, state, {"ins-aaaaaaaa", "ins-aaaaaaaa"},
                                                     InstanceObservation{}, kImportPlanOptions);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_TRUE(outcome->edit.empty());
  EXPECT_TRUE(outcome->adopted.empty());
  EXPECT_EQ(outcome->already, (std::vector<std::string>{"ins-aaaaaaaa"}));
}

TEST(ImportPlanTest, InstancesGoToCvmEnvironmentsOnly) {
  Result<ImportOutcome> outcome =
      PlanInstanceImport(Spec("farm", 2, Mode::kBatch), StateSnapshot{}, {"ins-aaaaaaaa"},
                         Found({ImportObserved("ins-aaaaaaaa")}), kImportPlanOptions);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().message(),
            "env.farm is a batch environment: import its Batch compute environment (env-...) "
            "instead of instances");
}

}  // namespace
}  // namespace spotform
