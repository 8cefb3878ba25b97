// Client-side rate limits: token buckets paced through the fake clock, one bucket per action at
// the published figures, shared by all threads; and the bound on requests in flight.
#include "providers/tencent/throttle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "providers/tencent/token_bucket.h"
#include "tests/support/fake_api_caller.h"
#include "tests/support/fake_clock.h"

namespace spotform {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using Sleeps = std::vector<nanoseconds>;

// A clock whose time never moves: sleeps are recorded only. With it, concurrent Acquire()
// calls show exactly which slot each one reserved.
class FrozenClock final : public Clock {
 public:
  WallTime Now() const override { return WallTime(); }
  SteadyTime SteadyNow() const override { return SteadyTime(); }
  void SleepFor(nanoseconds) override {}
};

TEST(TokenBucket, SpacesCallsOneOverRateApartOnceTheBurstIsSpent) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/10, /*burst=*/1, clock);
  for (int i = 0; i < 5; ++i) bucket.Acquire();
  EXPECT_EQ(clock.sleeps(),
            (Sleeps{milliseconds(100), milliseconds(100), milliseconds(100), milliseconds(100)}));
}

TEST(TokenBucket, BurstIsAvailableAtOnceThenRefillsAtTheRate) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/2, /*burst=*/3, clock);
  for (int i = 0; i < 4; ++i) bucket.Acquire();
  EXPECT_EQ(clock.sleeps(), (Sleeps{milliseconds(500)}));
}

TEST(TokenBucket, IdleTimeRefillsUpToTheBurstOnly) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/10, /*burst=*/2, clock);
  bucket.Acquire();
  bucket.Acquire();
  clock.Advance(std::chrono::seconds(60));  // would be 600 tokens without the cap
  bucket.Acquire();
  bucket.Acquire();
  EXPECT_TRUE(clock.sleeps().empty());
  bucket.Acquire();
  EXPECT_EQ(clock.sleeps(), (Sleeps{milliseconds(100)}));
}

TEST(TokenBucket, ConcurrentCallersReserveDistinctSlots) {
  FrozenClock clock;
  TokenBucket bucket(/*rate=*/10, /*burst=*/1, clock);
  constexpr int kThreads = 8;
  std::vector<nanoseconds> waits(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { waits[i] = bucket.Acquire(); });
  }
  for (std::thread& thread : threads) thread.join();
  std::sort(waits.begin(), waits.end());
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(waits[i], milliseconds(100) * i) << i;
}

TEST(Throttle, PublishedRatesPerAction) {
  EXPECT_EQ(DefaultActionRate("RunInstances"), 10);
  EXPECT_EQ(DefaultActionRate("DescribeInstances"), 40);
  EXPECT_EQ(DefaultActionRate("DescribeInstancesStatus"), 40);
  EXPECT_EQ(DefaultActionRate("TerminateInstances"), 10);
  EXPECT_EQ(DefaultActionRate("InquiryPriceRunInstances"), 10);
  EXPECT_EQ(DefaultActionRate("DescribeZoneInstanceConfigInfos"), 40);
  EXPECT_EQ(DefaultActionRate("DescribeAccountQuota"), 20);  // UNCONFIRMED: a chosen figure
  EXPECT_EQ(DefaultActionRate("CreateComputeEnv"), 2);
  EXPECT_EQ(DefaultActionRate("DeleteComputeEnv"), 2);
  EXPECT_EQ(DefaultActionRate("DescribeComputeEnv"), 2);
  EXPECT_EQ(DefaultActionRate("DescribeComputeEnvActivities"), 2);
  EXPECT_EQ(DefaultActionRate("ModifyComputeEnv"), 2);
  EXPECT_EQ(DefaultActionRate("DescribeComputeEnvs"), 2);
  EXPECT_EQ(DefaultActionRate("TerminateComputeNode"), 20);
  EXPECT_EQ(DefaultActionRate("TerminateComputeNodes"), 20);
  EXPECT_EQ(DefaultActionRate("SomethingNew"), 0);
}

ApiRequest ActionRequest(const std::string& action) {
  ApiRequest request;
  request.service = "cvm";
  request.action = action;
  return request;
}

TEST(Throttle, EachActionHasItsOwnBucket) {
  FakeClock clock;
  FakeApiCaller inner(clock);
  ThrottleCaller throttle(inner, clock);

  ASSERT_TRUE(throttle.Call(ActionRequest("DescribeInstances")).ok());
  ASSERT_TRUE(throttle.Call(ActionRequest("RunInstances")).ok());       // own bucket: no wait
  ASSERT_TRUE(throttle.Call(ActionRequest("DescribeInstances")).ok());  // 1/40 s after the first
  ASSERT_TRUE(throttle.Call(ActionRequest("RunInstances")).ok());       // 1/10 s after its first

  EXPECT_EQ(clock.sleeps(), (Sleeps{milliseconds(25), milliseconds(75)}));
  EXPECT_EQ(inner.requests().size(), 4u);
}

TEST(Throttle, OverridesAndTheDefaultForUnknownActions) {
  FakeClock clock;
  FakeApiCaller inner(clock);
  ThrottleOptions options;
  options.rate_overrides = {{"DescribeInstances", 4}};
  options.default_rate = 5;
  ThrottleCaller throttle(inner, clock, options);

  EXPECT_EQ(throttle.RateFor("DescribeInstances"), 4);
  EXPECT_EQ(throttle.RateFor("RunInstances"), 10);
  EXPECT_EQ(throttle.RateFor("DescribeSomethingUnpublished"), 5);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(throttle.Call(ActionRequest("DescribeInstances")).ok());
  EXPECT_EQ(clock.sleeps(), (Sleeps{milliseconds(250), milliseconds(250)}));
}

// Counts how many calls are inside it at once; each call takes a little real time so that
// other threads get the chance to pile up if the bound did not hold.
class ConcurrencyProbe final : public ApiCaller {
 public:
  Result<ApiResponse> Call(const ApiRequest&) override {
    const int now = ++inside_;
    int seen = max_inside_.load();
    while (now > seen && !max_inside_.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(milliseconds(20));
    --inside_;
    return ApiResponse{nlohmann::json::object(), "id"};
  }
  int max_inside() const { return max_inside_; }

 private:
  std::atomic<int> inside_{0};
  std::atomic<int> max_inside_{0};
};

TEST(Throttle, BoundsRequestsInFlight) {
  FrozenClock clock;  // token waits are free: only the in-flight bound holds calls back
  ConcurrencyProbe probe;
  ThrottleOptions options;
  options.max_in_flight = 2;
  ThrottleCaller throttle(probe, clock, options);

  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back(
        [&] { ASSERT_TRUE(throttle.Call(ActionRequest("DescribeInstances")).ok()); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(probe.max_inside(), 2);
}

}  // namespace
}  // namespace spotform
