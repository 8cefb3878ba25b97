// The keeper's back-off: twice the interval after a refusal, doubling, capped; reset on success.

#include "engine/apply/backoff.h"

#include <gtest/gtest.h>

#include "tests/support/fake_clock.h"

namespace spotform {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(BackoffTest, DoublesFromTwiceTheBaseUpToTheCap) {
  FakeClock clock;
  Backoff backoff(seconds(20), minutes(10));
  std::vector<milliseconds> delays;
  for (int i = 0; i < 7; ++i) delays.push_back(backoff.Failed("p-1", clock.SteadyNow()));
  EXPECT_EQ(delays, (std::vector<milliseconds>{seconds(40), seconds(80), seconds(160), seconds(320),
                                               minutes(10), minutes(10), minutes(10)}));
  EXPECT_EQ(backoff.Failures("p-1"), 7);
}

TEST(BackoffTest, AKeyIsDueOnlyOnceItsDelayHasPassed) {
  FakeClock clock;
  Backoff backoff(seconds(20), minutes(10));
  EXPECT_TRUE(backoff.Due("p-1", clock.SteadyNow()));

  EXPECT_EQ(backoff.Failed("p-1", clock.SteadyNow()), seconds(40));
  EXPECT_FALSE(backoff.Due("p-1", clock.SteadyNow()));
  clock.Advance(seconds(20));  // the next round
  EXPECT_FALSE(backoff.Due("p-1", clock.SteadyNow()));
  EXPECT_TRUE(backoff.Due("p-2", clock.SteadyNow()));  // other pools are not held
  clock.Advance(seconds(20));
  EXPECT_TRUE(backoff.Due("p-1", clock.SteadyNow()));
}

TEST(BackoffTest, ASuccessStartsTheScheduleOver) {
  FakeClock clock;
  Backoff backoff(seconds(20), minutes(10));
  (void)backoff.Failed("p-1", clock.SteadyNow());
  (void)backoff.Failed("p-1", clock.SteadyNow());
  backoff.Succeeded("p-1");
  EXPECT_EQ(backoff.Failures("p-1"), 0);
  EXPECT_TRUE(backoff.Due("p-1", clock.SteadyNow()));
  EXPECT_EQ(backoff.Failed("p-1", clock.SteadyNow()), seconds(40));
}

TEST(BackoffTest, ACapBelowTheBaseIsTheBase) {
  FakeClock clock;
  Backoff backoff(minutes(20), minutes(10));
  EXPECT_EQ(backoff.Failed("p-1", clock.SteadyNow()), minutes(20));
  EXPECT_EQ(backoff.Failed("p-1", clock.SteadyNow()), minutes(20));
}

TEST(BackoffTest, DelaysAreWrittenAsPeopleWriteThem) {
  EXPECT_EQ(FormatDelay(milliseconds(400)), "400ms");
  EXPECT_EQ(FormatDelay(seconds(40)), "40s");
  EXPECT_EQ(FormatDelay(seconds(150)), "2m30s");
  EXPECT_EQ(FormatDelay(minutes(10)), "10m");
  EXPECT_EQ(FormatDelay(minutes(90)), "1h30m");
  EXPECT_EQ(FormatDelay(milliseconds(1500)), "1.5s");
  EXPECT_EQ(FormatDelay(milliseconds(0)), "0ms");
}

}  // namespace
}  // namespace spotform
