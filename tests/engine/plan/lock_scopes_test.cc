// What each command locks (issue 16): only what it touches.
#include "engine/plan/lock_scopes.h"

#include <gtest/gtest.h>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using testing::Spec;

Config Declaring(std::vector<std::string> names) {
  Config config;
  for (const std::string& name : names) config.environments[name] = Spec(name, 1);
  return config;
}

StateSnapshot Recording(std::vector<std::string> names) {
  StateSnapshot state;
  for (const std::string& name : names) {
    state.environments[name] = RecordedEnvironment{name, Spec(name, 1), {}};
  }
  return state;
}

LockInfo HeldOn(LockScope scope) {
  LockInfo lock;
  lock.id = "l-1";
  lock.scope = std::move(scope);
  return lock;
}

Change ChangeOf(const std::string& address, ChangeAction action) {
  Change change;
  change.address = address;
  change.action = action;
  return change;
}

TEST(LockScopesTest, ARunLocksItsTargetsElseEveryEnvironmentDeclaredOrRecorded) {
  const Config config = Declaring({"ci", "render"});
  const StateSnapshot state = Recording({"legacy", "render"});
  EXPECT_EQ(ScopeOfRun(config, state, {"env.render"}).Describe(), "env.render");
  EXPECT_EQ(ScopeOfRun(config, state, {}).Describe(), "env.ci, env.legacy, env.render")
      << "legacy is recorded but no longer declared: an untargeted apply removes it";
}

TEST(LockScopesTest, ASavedPlanLocksTheEnvironmentsItChangesOnly) {
  Plan plan;
  plan.changes = {ChangeOf("env.ci", ChangeAction::kNoOp),
                  ChangeOf("env.render", ChangeAction::kUpdate),
                  ChangeOf("env.train", ChangeAction::kCreate)};
  EXPECT_EQ(ScopeOfPlan(plan).Describe(), "env.render, env.train");
}

TEST(LockScopesTest, AWatchRoundLocksWhatNobodyHoldsIncludingOpenIntents) {
  StateSnapshot state = Recording({"ci", "render"});
  JournalEntry launch;
  launch.environment = "train";  // a create that never got recorded
  state.open_intents.push_back(launch);
  EXPECT_EQ(ScopeOfKeeper(state, {}).Describe(), "env.ci, env.render, env.train");
  EXPECT_EQ(ScopeOfKeeper(state, {HeldOn(LockScope::Environments({"render"}))}).Describe(),
            "env.ci, env.train");
  EXPECT_EQ(ScopeOfKeeper(state, {HeldOn(LockScope::WholeState())}).Describe(), "no environment");
}

}  // namespace
}  // namespace spotform
