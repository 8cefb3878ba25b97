// Retries: exponential backoff with full jitter, bounded by attempts and time, asserted through
// the fake clock's recorded sleeps; which verbs are repeated when the outcome is unknown (the
// rule of each verb is in verb_retry_rules_test.cc).
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

Error ConnectionReset() {
  return Error(ErrorKind::kTransport, "POST x: connection reset by peer",
               std::string(kCodeNetwork));
}

ApiRequest Request(const std::string& service, const std::string& action,
                   nlohmann::json params = nlohmann::json::object()) {
  ApiRequest request;
  request.service = service;
  request.action = action;
  request.params = std::move(params);
  return request;
}

ApiRequest Describe() { return Request("cvm", "DescribeInstances"); }

ApiRequest LaunchWithToken() {
  return Request("cvm", "RunInstances", {{"ClientToken", "token-1"}, {"InstanceCount", 2}});
}
ApiRequest LaunchWithoutToken() { return Request("cvm", "RunInstances", {{"InstanceCount", 2}}); }

ApiRequest TerminateNodes() {
  return Request("batch", "TerminateComputeNodes",
                 {{"EnvId", "env-1"}, {"ComputeNodeIds", {"node-a", "node-b"}}});
}

class RetryingCallerTest : public ::testing::Test {
 protected:
  // The call was sent once, with no sleep, and failed with the timeout whose outcome is
  // unknown: `message` says why it was not sent again.
  void ExpectSentOnceAfterTimeout(const Result<ApiResponse>& result, const std::string& message) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(inner_.requests().size(), 1u);
    EXPECT_TRUE(clock_.sleeps().empty());
    EXPECT_EQ(result.error().kind(), ErrorKind::kTransport);
    EXPECT_EQ(result.error().code(), kCodeTimeout);
    EXPECT_EQ(result.error().message(), message);
  }

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

  Result<ApiResponse> result = caller.Call(LaunchWithToken());

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(inner_.requests().size(), 1u);
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_EQ(result.error().ToString(),
            "InvalidParameterValue.InsufficientPrice: RunInstances: bid 0.05 < market 0.12 "
            "(RequestId req-9)");
}

TEST_F(RetryingCallerTest, LaunchWithAClientTokenIsRepeatedAfterATimeoutWithTheSameToken) {
  inner_.PushError(Timeout());
  inner_.PushError(ConnectionReset());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  ASSERT_TRUE(caller.Call(LaunchWithToken()).ok());

  const std::vector<ApiRequest> sent = inner_.requests();
  ASSERT_EQ(sent.size(), 3u);
  for (const ApiRequest& request : sent) {
    EXPECT_EQ(request.action, "RunInstances");
    EXPECT_EQ(request.params, LaunchWithToken().params);  // the same token, the same params
  }
}

TEST_F(RetryingCallerTest, LaunchWithoutAClientTokenIsNotRepeatedAfterATimeout) {
  inner_.PushError(Timeout());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  ExpectSentOnceAfterTimeout(
      caller.Call(LaunchWithoutToken()),
      "RunInstances: POST x: timed out (outcome unknown: RunInstances may have taken effect "
      "and carries no ClientToken, so it was not sent again; the next run looks at the "
      "cloud before it tries again)");
}

TEST_F(RetryingCallerTest, LaunchWithoutAClientTokenIsNotRepeatedAfterInternalError) {
  inner_.PushError(Internal());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(LaunchWithoutToken());

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::kRetryable);
  EXPECT_EQ(result.error().code(), "InternalError");
  EXPECT_EQ(inner_.requests().size(), 1u);
}

TEST_F(RetryingCallerTest, LaunchWithoutAClientTokenIsRepeatedWhenTheCloudCertainlyDidNothing) {
  inner_.PushError(Throttled());
  inner_.PushError(
      Error(ErrorKind::kTransport, "RunInstances: refused", std::string(kCodeConnectFailed)));
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  ASSERT_TRUE(caller.Call(LaunchWithoutToken()).ok());
  EXPECT_EQ(inner_.requests().size(), 3u);
}

TEST_F(RetryingCallerTest, TimedOutTerminateComputeNodesIsSentOnceAndReportedAsUnknown) {
  inner_.PushError(Error(ErrorKind::kTransport, "TerminateComputeNodes: POST x: timed out",
                         std::string(kCodeTimeout)));
  // The script answers success next: a blind repeat would get it and hide the unknown outcome.
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  ExpectSentOnceAfterTimeout(
      caller.Call(TerminateNodes()),
      "TerminateComputeNodes: POST x: timed out (outcome unknown: TerminateComputeNodes may "
      "have taken effect and is not safe to repeat, so it was not sent again; the next run "
      "looks at the cloud before it tries again)");
}

TEST_F(RetryingCallerTest, TerminateComputeNodesIsRepeatedWhileTheCloudRefusesWithoutActing) {
  inner_.PushError(Error(ErrorKind::kRetryable, "TerminateComputeNodes: env busy",
                         "UnsupportedOperation.ComputeEnvAcceptOtherRequest"));
  inner_.PushError(Throttled());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  ASSERT_TRUE(caller.Call(TerminateNodes()).ok());
  EXPECT_EQ(inner_.requests().size(), 3u);
}

TEST_F(RetryingCallerTest, AnUnknownOutcomeAfterARefusalNamesTheAttempt) {
  inner_.PushError(Throttled());
  inner_.PushError(ConnectionReset());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(TerminateNodes());

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(inner_.requests().size(), 2u);
  EXPECT_EQ(result.error().code(), kCodeNetwork);
  EXPECT_EQ(result.error().message(),
            "POST x: connection reset by peer (attempt 2; outcome unknown: TerminateComputeNodes "
            "may have taken effect and is not safe to repeat, so it was not sent again; the next "
            "run looks at the cloud before it tries again)");
}

TEST_F(RetryingCallerTest, TerminateInstancesIsNotRepeatedAfterAConnectionReset) {
  inner_.PushError(ConnectionReset());
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result =
      caller.Call(Request("cvm", "TerminateInstances", {{"InstanceIds", {"ins-1"}}}));

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(inner_.requests().size(), 1u);
}

TEST_F(RetryingCallerTest, IdempotentWritesAndReadsAreRepeatedAfterAnUnknownOutcome) {
  const ApiRequest requests[] = {
      Describe(),
      Request("batch", "DescribeComputeEnv", {{"EnvId", "env-1"}}),
      Request("batch", "ModifyComputeEnv", {{"EnvId", "env-1"}, {"DesiredComputeNodeCount", 2}}),
      Request("batch", "DeleteComputeEnv", {{"EnvId", "env-1"}}),
  };
  for (const ApiRequest& request : requests) {
    FakeApiCaller inner(clock_);
    inner.PushError(Timeout());
    inner.PushError(
        Error(ErrorKind::kTransport, "HTTP 502 (expected 200)", std::string(kCodeHttpServerError)));
    RetryingCaller caller(inner, clock_, RetryPolicy{}, Ceiling);

    ASSERT_TRUE(caller.Call(request).ok()) << request.action;
    const std::vector<ApiRequest> sent = inner.requests();
    ASSERT_EQ(sent.size(), 3u) << request.action;
    EXPECT_EQ(sent[2].params, request.params) << request.action;
  }
}

TEST_F(RetryingCallerTest, AnActionWithoutARuleIsNotRepeatedAfterAnUnknownOutcome) {
  inner_.PushError(Throttled());  // refused before acting: repeated
  inner_.PushError(Timeout());    // unknown: not repeated
  RetryingCaller caller(inner_, clock_, RetryPolicy{}, Ceiling);

  Result<ApiResponse> result = caller.Call(Request("batch", "AttachInstances"));

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(inner_.requests().size(), 2u);
  EXPECT_EQ(result.error().code(), kCodeTimeout);
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
