// Retries: exponential backoff with full jitter, bounded by attempts and time, asserted through
// the fake clock's recorded sleeps; which failures a non-idempotent call may be repeated after.
#include "providers/tencent/retrying_caller.h"

#include <gtest/gtest.h>

#include "providers/tencent/error_table.h"
#include "tests/support/fake_api_caller.h"
#include "tests/support/fake_clock.h"

namespace spotform {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using Sleeps = std::vector<nanoseconds>;

// Full jitter that always picks the top of the range, so sleeps are the ceilings.
nanoseconds Ceiling(nanoseconds ceiling) { return ceiling; }
nanoseconds Half(nanoseconds ceiling) { return ceiling / 2; }

Error Throttled() {
  return Error(ErrorKind::kRetryable, "DescribeInstances: rate limited", "RequestLimitExceeded",
               "req-1");
}
Error Internal() { return Error(ErrorKind::kRetryable, "RunInstances: oops", "InternalError"); }
Error Timeout() {
  return Error(ErrorKind::kTransport, "RunInstances: POST x: timed out", std::string(kCodeTimeout));
}

ApiRequest Describe() {
  ApiRequest request;
  request.service = "cvm";
  request.action = "DescribeInstances";
  request.idempotent = true;
  return request;
}

ApiRequest Launch(bool idempotent) {
  ApiRequest request;
  request.service = "cvm";
  request.action = "RunInstances";
  request.params = {{"ClientToken", "token-1"}, {"InstanceCount", 2}};
  request.idempotent = idempotent;
  return request;
}

class RetryingCallerTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  FakeApiCaller inner_{clock_};
};

TEST_F(RetryingCallerTest, BacksOffExponentiallyUntilSuccess) {
  inner_.PushError(Throttled());
  inner_.PushError(Throttled());
  inner_.PushError(Throttled());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(Describe());

  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(inner_.requests().size(), 4u);
  EXPECT_EQ(clock_.sleeps(), (Sleeps{milliseconds(200), milliseconds(400), milliseconds(800)}));
}

TEST_F(RetryingCallerTest, SleepsAreTheJitterPickWithinTheCappedCeiling) {
  for (int i = 0; i < 6; ++i) inner_.PushError(Internal());
  RetryPolicy policy;
  policy.max_attempts = 7;
  policy.max_delay = milliseconds(1000);
  RetryingCaller caller(inner_, clock_, policy, Half);

  ASSERT_TRUE(caller.Call(Describe()).ok());
  EXPECT_EQ(clock_.sleeps(), (Sleeps{milliseconds(100), milliseconds(200), milliseconds(400),
                                     milliseconds(500), milliseconds(500), milliseconds(500)}));
}

TEST_F(RetryingCallerTest, DefaultJitterStaysWithinTheCeiling) {
  for (int i = 0; i < 5; ++i) inner_.PushError(Throttled());
  RetryingCaller caller(inner_, clock_);  // real random jitter

  ASSERT_TRUE(caller.Call(Describe()).ok());
  const Sleeps sleeps = clock_.sleeps();
  ASSERT_EQ(sleeps.size(), 5u);
  const milliseconds ceilings[] = {milliseconds(200), milliseconds(400), milliseconds(800),
                                   milliseconds(1600), milliseconds(3200)};
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_GE(sleeps[i].count(), 0);
    EXPECT_LE(sleeps[i], ceilings[i]);
  }
}

TEST_F(RetryingCallerTest, GivesUpAfterMaxAttemptsWithTheLastCloudError) {
  for (int i = 0; i < 10; ++i) inner_.PushError(Throttled());
  RetryPolicy policy;
  policy.max_attempts = 3;
  RetryingCaller caller(inner_, clock_, policy, Ceiling);

  Result<ApiResponse> result = caller.Call(Describe());

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(inner_.requests().size(), 3u);
  EXPECT_EQ(clock_.sleeps(), (Sleeps{milliseconds(200), milliseconds(400)}));
  EXPECT_EQ(result.error().kind(), ErrorKind::kRetryable);
  EXPECT_EQ(result.error().code(), "RequestLimitExceeded");
  EXPECT_EQ(result.error().request_id(), "req-1");
  EXPECT_EQ(result.error().message(),
            "DescribeInstances: rate limited (gave up after 3 attempts in 600 ms)");
}

TEST_F(RetryingCallerTest, StopsWhenTheNextSleepWouldPassTheTotalTimeBound) {
  for (int i = 0; i < 10; ++i) inner_.PushError(Throttled());
  RetryPolicy policy;
  policy.base_delay = milliseconds(400);
  policy.max_total = milliseconds(1000);
  RetryingCaller caller(inner_, clock_, policy, Ceiling);

  Result<ApiResponse> result = caller.Call(Describe());

  ASSERT_FALSE(result.ok());
  // 400 ms (t=400), then 800 ms would end at 1200 > 1000: stop after the second attempt.
  EXPECT_EQ(clock_.sleeps(), (Sleeps{milliseconds(400)}));
  EXPECT_EQ(inner_.requests().size(), 2u);
  EXPECT_EQ(result.error().message(),
            "DescribeInstances: rate limited (gave up after 2 attempts in 400 ms)");
}

TEST_F(RetryingCallerTest, TerminalAndCapacityErrorsFailAtOnce) {
  inner_.PushError(Error(ErrorKind::kCapacity, "RunInstances: bid 0.05 < market 0.12",
                         "InvalidParameterValue.InsufficientPrice", "req-9"));
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(Launch(/*idempotent=*/true));

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(inner_.requests().size(), 1u);
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_EQ(result.error().ToString(),
            "InvalidParameterValue.InsufficientPrice: RunInstances: bid 0.05 < market 0.12 "
            "(RequestId req-9)");
}

TEST_F(RetryingCallerTest, IdempotentLaunchIsRetriedAfterATimeoutWithTheSameClientToken) {
  inner_.PushError(Timeout());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  ASSERT_TRUE(caller.Call(Launch(/*idempotent=*/true)).ok());

  const std::vector<ApiRequest> sent = inner_.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].params, sent[1].params);
  EXPECT_EQ(sent[1].params["ClientToken"], "token-1");
}

TEST_F(RetryingCallerTest, NonIdempotentCallIsNotRepeatedAfterATimeout) {
  inner_.PushError(Timeout());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(Launch(/*idempotent=*/false));

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), kCodeTimeout);
  EXPECT_EQ(inner_.requests().size(), 1u);
}

TEST_F(RetryingCallerTest, NonIdempotentCallIsNotRepeatedAfterInternalError) {
  inner_.PushError(Internal());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(Launch(/*idempotent=*/false));

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), "InternalError");
  EXPECT_EQ(inner_.requests().size(), 1u);
}

TEST_F(RetryingCallerTest, NonIdempotentCallIsRepeatedWhenTheCloudCertainlyDidNothing) {
  inner_.PushError(Throttled());
  inner_.PushError(
      Error(ErrorKind::kTransport, "RunInstances: refused", std::string(kCodeConnectFailed)));
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  ASSERT_TRUE(caller.Call(Launch(/*idempotent=*/false)).ok());
  EXPECT_EQ(inner_.requests().size(), 3u);
}

TEST_F(RetryingCallerTest, HttpServerErrorIsRetriedButOtherStatusesAreNot) {
  inner_.PushError(Error(ErrorKind::kTransport, "DescribeInstances: HTTP 503 (expected 200)",
                         std::string(kCodeHttpServerError)));
  inner_.PushError(Error(ErrorKind::kTransport, "DescribeInstances: HTTP 404 (expected 200)",
                         std::string(kCodeHttpStatus)));
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(Describe());

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(inner_.requests().size(), 2u);
  EXPECT_EQ(result.error().message(), "DescribeInstances: HTTP 404 (expected 200) (attempt 2)");
}

}  // namespace
}  // namespace spotform
