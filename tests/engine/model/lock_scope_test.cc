// What one lock covers, and what conflicts (issue 16).
#include "engine/model/lock_scope.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

LockScope Envs(std::vector<std::string> names) { return LockScope::Environments(std::move(names)); }

TEST(LockScopeTest, LocksConflictWhenTheyShareAnEnvironmentOrEitherIsTheWholeState) {
  EXPECT_FALSE(Envs({"render"}).ConflictsWith(Envs({"ci"})));
  EXPECT_TRUE(Envs({"ci", "render"}).ConflictsWith(Envs({"bake", "render"})));
  EXPECT_TRUE(Envs({"render"}).ConflictsWith(LockScope::WholeState()));
  EXPECT_TRUE(LockScope::WholeState().ConflictsWith(Envs({})));
  EXPECT_FALSE(Envs({}).ConflictsWith(Envs({"render"})));
}

TEST(LockScopeTest, TheConflictNamesWhatTheOtherKeepsOut) {
  EXPECT_EQ(Envs({"ci", "render"}).ConflictWith(Envs({"bake", "render"})).Describe(), "env.render");
  EXPECT_EQ(Envs({"ci", "render"}).ConflictWith(LockScope::WholeState()).Describe(),
            "env.ci, env.render");
  EXPECT_EQ(LockScope::WholeState().ConflictWith(Envs({"ci"})).Describe(), "the whole state");
  EXPECT_EQ(Envs({}).Describe(), "no environment");
}

TEST(LockScopeTest, CoversAndWithin) {
  EXPECT_TRUE(Envs({"render"}).Covers("render"));
  EXPECT_FALSE(Envs({"render"}).Covers("ci"));
  EXPECT_TRUE(LockScope().Covers("anything")) << "the default is the whole state";
  EXPECT_TRUE(Envs({"render"}).Within(Envs({"ci", "render"})));
  EXPECT_FALSE(Envs({"bake", "render"}).Within(Envs({"ci", "render"})));
  EXPECT_TRUE(Envs({"render"}).Within(LockScope::WholeState()));
  EXPECT_FALSE(LockScope::WholeState().Within(Envs({"render"})));
}

TEST(LockScopeTest, NamesAreSortedAndUniqueAndTheStoredFormRoundTrips) {
  const LockScope scope = Envs({"render", "ci", "render"});
  EXPECT_EQ(scope.environments(), (std::vector<std::string>{"ci", "render"}));
  EXPECT_EQ(scope.Encode(), "ci,render");
  EXPECT_EQ(LockScope::WholeState().Encode(), "*");
  for (const LockScope& stored : {scope, LockScope::WholeState(), Envs({}), Envs({"a"})}) {
    LockScope read = Envs({"x"});
    ASSERT_TRUE(LockScope::Decode(stored.Encode(), read)) << stored.Encode();
    EXPECT_EQ(read, stored);
  }
}

TEST(LockScopeTest, AStoredFormThatIsNotOneIsRefused) {
  LockScope read;
  for (const std::string bad : {"render,", ",render", "render,,ci", "ci,*", "ci,ci,render"}) {
    EXPECT_FALSE(LockScope::Decode(bad, read)) << bad;
  }
  EXPECT_FALSE(LockScope::Decode("render,ci", read)) << "unsorted";
}

}  // namespace
}  // namespace spotform
