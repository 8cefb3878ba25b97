#include "engine/plan/open_intents.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

JournalEntry OpenIntentFor(const std::string& environment) {
  JournalEntry entry;
  entry.environment = environment;
  return entry;
}

TEST(OpenIntents, AnEnvironmentWithoutOpenIntentsMayBeEditedByHand) {
  StateSnapshot state;
  state.open_intents = {OpenIntentFor("farm")};
  EXPECT_TRUE(CheckNoOpenIntents(state, "render").ok());
}

TEST(OpenIntents, OpenIntentsOfTheEnvironmentRefuseTheEditAndSayWhatToRun) {
  StateSnapshot state;
  state.open_intents = {OpenIntentFor("render")};
  Status one = CheckNoOpenIntents(state, "render");
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(one.error().message(),
            "env.render has 1 unfinished operation that an interrupted run left in the journal; "
            "run `spotform apply` to settle it first, then edit the state");

  state.open_intents.push_back(OpenIntentFor("render"));
  EXPECT_EQ(CheckNoOpenIntents(state, "render").error().message(),
            "env.render has 2 unfinished operations that an interrupted run left in the "
            "journal; run `spotform apply` to settle them first, then edit the state");
}

}  // namespace
}  // namespace spotform
