// When a saved plan goes stale (issue 16): with teams sharing one state, a plan for one
// environment survives what happens to the others. A plan records its basis (the serial and
// the config of each environment it changes, and the shared provider and state settings);
// `apply PLANFILE` refuses it only when one of these moved on.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "engine/config/config_digest.h"
#include "engine/plan/plan_basis.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/planner.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

constexpr char kPlanAgain[] = ": run `spotform plan` again";

// Two teams' environments in one state, as they were when the plan was made: env.ci last
// written at serial 6, env.render at serial 5.
StateSnapshot SharedState() {
  const EnvironmentSpec ci = Spec("ci", 2);
  const EnvironmentSpec render = Spec("render", 4);
  StateSnapshot state =
      StateOf({{ci, {PoolOf("p-c1", ci, 2, {Ins("ins-c1", "RUNNING"), Ins("ins-c2", "RUNNING")})}},
               {render, {PoolOf("p-r1", render, 4, {})}}},
              /*serial=*/6);
  state.environment_serials = {{"ci", 6}, {"render", 5}};
  return state;
}

// The config: env.render raised to 6, env.ci as recorded.
Config SharedConfig() {
  Config config = ConfigOf({Spec("ci", 2), Spec("render", 6)});
  config.shared_digest = "shared-1";
  return config;
}

// Another run's write that touched environment `name`: the state's serial moves on, and the
// environment's serial with it (as the state stores record environment_serials).
void Written(StateSnapshot& state, const std::string& name) {
  state.environment_serials[name] = ++state.serial;
}

// Plan options for `--target` of `targets`, or for a destroy.
PlanOptions Targeting(std::vector<std::string> targets) {
  PlanOptions options;
  options.targets = std::move(targets);
  return options;
}
PlanOptions Destroying() {
  PlanOptions options;
  options.destroy = true;
  return options;
}

// What a plan records of one environment it changes.
EnvironmentBasis Basis(int64_t serial, std::string config_digest) {
  EnvironmentBasis basis;
  basis.serial = serial;
  basis.config_digest = std::move(config_digest);
  return basis;
}

TEST(SavedPlanBasis, HoldsEachChangedEnvironmentAndTheSharedSettings) {
  const Plan plan = MakePlan(SharedConfig(), SharedState(), {});
  ASSERT_TRUE(plan.basis.has_value());
  EXPECT_EQ(plan.basis->shared_config_digest, "shared-1");
  // env.ci has nothing to do (a no-op): the plan does not depend on it.
  EXPECT_EQ(plan.basis->environments,
            (std::map<std::string, EnvironmentBasis>{
                {"env.render", Basis(5, EnvironmentDigest(Spec("render", 6)))}}));
}

TEST(SavedPlanBasis, ANewEnvironmentHasSerialZeroAndARemovedOneNoConfig) {
  Config config = SharedConfig();
  config.environments.erase("render");              // render is removed from the config
  config.environments["batch"] = Spec("batch", 1);  // batch is new
  const Plan plan = MakePlan(config, SharedState(), {});
  ASSERT_TRUE(plan.basis.has_value());
  EXPECT_EQ(plan.basis->environments,
            (std::map<std::string, EnvironmentBasis>{
                {"env.batch", Basis(0, EnvironmentDigest(Spec("batch", 1)))},
                {"env.render", Basis(5, "")}}));
}

TEST(SavedPlanBasis, ADestroyDependsOnEveryEnvironmentItRemoves) {
  const Plan plan = MakePlan(SharedConfig(), SharedState(), Destroying());
  ASSERT_TRUE(plan.basis.has_value());
  EXPECT_EQ(plan.basis->environments.size(), 2u);
  EXPECT_EQ(plan.basis->environments.at("env.ci").serial, 6);
  EXPECT_EQ(plan.basis->environments.at("env.render").serial, 5);
}

TEST(SavedPlanBasis, ATargetedPlanDependsOnItsTargetsOnly) {
  Config config = SharedConfig();
  config.environments["ci"] = Spec("ci", 3);  // ci would change too, but is not targeted
  const Plan plan = MakePlan(config, SharedState(), Targeting({"env.render"}));
  ASSERT_TRUE(plan.basis.has_value());
  EXPECT_EQ(plan.basis->environments.size(), 1u);
  EXPECT_TRUE(plan.basis->environments.contains("env.render"));
}

// What happened between `spotform plan -out` (render: 4 -> 6) and `spotform apply PLANFILE`,
// and what apply then says: "" for a plan still current, else the refusal.
struct Meanwhile {
  const char* what;
  std::function<void(StateSnapshot&, Config&)> happen;
  std::string refusal;
};

TEST(SavedPlanStaleness, APlanIsStaleOnlyWhenAnEnvironmentItChangesMovedOn) {
  const std::vector<Meanwhile> cases = {
      {"nothing", [](StateSnapshot&, Config&) {}, ""},
      {"another team applied env.ci",
       [](StateSnapshot& state, Config& config) {
         config.environments["ci"] = Spec("ci", 3);
         state.environments["ci"].applied = Spec("ci", 3);
         Written(state, "ci");
       },
       ""},
      {"env.ci's config changed, not yet applied",
       [](StateSnapshot&, Config& config) { config.environments["ci"] = Spec("ci", 5); }, ""},
      {"env.ci was removed from the config and destroyed",
       [](StateSnapshot& state, Config& config) {
         config.environments.erase("ci");
         state.environments.erase("ci");
         Written(state, "ci");
       },
       ""},
      {"another team created env.batch",
       [](StateSnapshot& state, Config& config) {
         config.environments["batch"] = Spec("batch", 1);
         Written(state, "batch");
       },
       ""},
      {"a refresh recorded that env.render lost an instance",
       [](StateSnapshot& state, Config&) {
         Written(state, "ci");
         Written(state, "render");
         Written(state, "ci");
       },
       "env.render changed since the plan was made (serial 5, now 8)" + std::string(kPlanAgain)},
      {"env.render was destroyed by another run",
       [](StateSnapshot& state, Config&) {
         state.environments.erase("render");
         Written(state, "render");
       },
       "env.render changed since the plan was made (serial 5, now 7)" + std::string(kPlanAgain)},
      {"env.render's config changed again",
       [](StateSnapshot&, Config& config) { config.environments["render"] = Spec("render", 8); },
       "the config of env.render changed since the plan was made" + std::string(kPlanAgain)},
      {"env.render was removed from the config",
       [](StateSnapshot&, Config& config) { config.environments.erase("render"); },
       "the config of env.render changed since the plan was made" + std::string(kPlanAgain)},
      {"the provider or state settings changed",
       [](StateSnapshot&, Config& config) { config.shared_digest = "shared-2"; },
       "the provider or state settings in spotform.yaml changed since the plan was made" +
           std::string(kPlanAgain)},
      {"the whole config's digest changed (another environment's edit)",
       [](StateSnapshot&, Config& config) { config.digest = "digest-2"; }, ""},
      {"the state was replaced by another (restore, migrate)",
       [](StateSnapshot& state, Config&) {
         state.lineage = "99999999-0000-4000-8000-000000000000";
       },
       "the plan was made for a different state (lineage 11111111-2222-4333-8444-555555555555, "
       "this state is 99999999-0000-4000-8000-000000000000)"},
  };
  const Plan plan = MakePlan(SharedConfig(), SharedState(), {});
  for (const Meanwhile& meanwhile : cases) {
    SCOPED_TRACE(meanwhile.what);
    StateSnapshot state = SharedState();
    Config config = SharedConfig();
    meanwhile.happen(state, config);
    const Status current = CheckPlanIsCurrent(plan, state, config);
    if (meanwhile.refusal.empty()) {
      EXPECT_TRUE(current.ok()) << current.error().message();
    } else {
      ASSERT_FALSE(current.ok());
      EXPECT_EQ(current.error().kind(), ErrorKind::kConflict);
      EXPECT_EQ(current.error().message(), meanwhile.refusal);
    }
  }
}

TEST(SavedPlanStaleness, APlanToCreateAnEnvironmentIsStaleOnceAnotherRunCreatedIt) {
  StateSnapshot state = SharedState();
  Config config = SharedConfig();
  config.environments["batch"] = Spec("batch", 1);
  const Plan plan = MakePlan(config, state, Targeting({"env.batch"}));
  ASSERT_EQ(plan.changes.at(0).action, ChangeAction::kCreate);
  ASSERT_TRUE(CheckPlanIsCurrent(plan, state, config).ok());

  Written(state, "batch");  // another run applied the same config first
  const Status current = CheckPlanIsCurrent(plan, state, config);
  ASSERT_FALSE(current.ok());
  EXPECT_EQ(
      current.error().message(),
      "env.batch changed since the plan was made (serial 0, now 7)" + std::string(kPlanAgain));
}

TEST(SavedPlanStaleness, NamesEveryEnvironmentThatMovedOn) {
  Config config = SharedConfig();
  config.environments["ci"] = Spec("ci", 3);
  config.environments["batch"] = Spec("batch", 1);
  const Plan plan = MakePlan(config, SharedState(), {});
  StateSnapshot state = SharedState();
  Written(state, "render");
  Written(state, "ci");
  Written(state, "batch");
  const Status current = CheckPlanIsCurrent(plan, state, config);
  ASSERT_FALSE(current.ok());
  EXPECT_EQ(current.error().message(),
            "env.batch (serial 0, now 9), env.ci (serial 6, now 8) and env.render (serial 5, now "
            "7) changed since the plan was made" +
                std::string(kPlanAgain));

  config.environments["ci"] = Spec("ci", 4);
  config.environments["render"] = Spec("render", 9);
  EXPECT_EQ(CheckPlanIsCurrent(plan, SharedState(), config).error().message(),
            "the config of env.ci and env.render changed since the plan was made" +
                std::string(kPlanAgain));
}

TEST(SavedPlanStaleness, APlanWithNothingToDoDependsOnNoEnvironment) {
  const Plan plan = MakePlan(SharedConfig(), SharedState(), Targeting({"env.ci"}));
  ASSERT_FALSE(plan.HasChanges());
  StateSnapshot state = SharedState();
  Written(state, "ci");
  EXPECT_TRUE(CheckPlanIsCurrent(plan, state, SharedConfig()).ok());
}

TEST(SavedPlanStaleness, APlanFileWithoutABasisKeepsTheOldRules) {
  Plan plan = MakePlan(SharedConfig(), SharedState(), {});
  plan.basis.reset();  // as a file made before issue 16 reads
  StateSnapshot state = SharedState();
  Written(state, "ci");  // another environment: stale all the same
  EXPECT_EQ(
      CheckPlanIsCurrent(plan, state, SharedConfig()).error().message(),
      "the state changed since the plan was made (serial 6, now 7)" + std::string(kPlanAgain));
  Config config = SharedConfig();
  config.digest = "digest-2";
  EXPECT_EQ(CheckPlanIsCurrent(plan, SharedState(), config).error().message(),
            "spotform.yaml changed since the plan was made" + std::string(kPlanAgain));
  EXPECT_TRUE(CheckPlanIsCurrent(plan, SharedState(), SharedConfig()).ok());
}

}  // namespace
}  // namespace spotform
