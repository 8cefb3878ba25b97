// The per-verb retry rules: what each verb's entry says, how an error and a request decide a
// repeat, that every verb TencentCloud sends has an entry, and that TencentCloud's call sites
// get the rule of their verb without choosing it.

#include "providers/tencent/verb_retry_rules.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "providers/tencent/error_table.h"
#include "providers/tencent/retrying_caller.h"
#include "providers/tencent/tencent_cloud.h"
#include "tests/support/fake_api_caller.h"
#include "tests/support/fake_clock.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using nlohmann::json;

ApiRequest VerbRequest(const std::string& action, json params = json::object()) {
  ApiRequest request;
  request.service = "cvm";
  request.action = action;
  request.params = std::move(params);
  return request;
}

Error TimeoutError() {
  return Error(ErrorKind::kTransport, "POST x: timed out", std::string(kCodeTimeout));
}
Error ConnectionResetError() {
  return Error(ErrorKind::kTransport, "POST x: connection reset", std::string(kCodeNetwork));
}
Error ServerError() {
  return Error(ErrorKind::kTransport, "HTTP 503 (expected 200)", std::string(kCodeHttpServerError));
}
Error InternalError() { return Error(ErrorKind::kRetryable, "oops", "InternalError"); }
Error ThrottledError() { return Error(ErrorKind::kRetryable, "slow down", "RequestLimitExceeded"); }
Error Busy() {
  return Error(ErrorKind::kRetryable, "busy", "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
}
Error NeverConnected() {
  return Error(ErrorKind::kTransport, "refused", std::string(kCodeConnectFailed));
}

TEST(VerbRetryRules, EachVerbHasTheRuleItsDocumentedRepeatAllows) {
  const std::map<std::string, RepeatRule> expected = {
      // Reads.
      {"DescribeInstances", RepeatRule::kRepeat},
      {"DescribeZoneInstanceConfigInfos", RepeatRule::kRepeat},
      {"DescribeAccountQuota", RepeatRule::kRepeat},
      {"InquiryPriceRunInstances", RepeatRule::kRepeat},
      {"DescribeComputeEnv", RepeatRule::kRepeat},
      {"DescribeComputeEnvs", RepeatRule::kRepeat},
      {"DescribeComputeEnvActivities", RepeatRule::kRepeat},
      {"DescribeComputeEnvCreateInfo", RepeatRule::kRepeat},
      {"DescribeComputeEnvCreateInfos", RepeatRule::kRepeat},
      // Creates: only with their idempotency key.
      {"RunInstances", RepeatRule::kRepeatWithToken},
      {"CreateComputeEnv", RepeatRule::kRepeatWithToken},
      // An absolute desired count; deleting twice is refused or answers ResourceNotFound.
      {"ModifyComputeEnv", RepeatRule::kRepeat},
      {"DeleteComputeEnv", RepeatRule::kRepeat},
      // A second call destroys a recycled prepaid instance; node termination's effect on the
      // desired count is undocumented.
      {"TerminateInstances", RepeatRule::kDoNotRepeat},
      {"TerminateComputeNodes", RepeatRule::kDoNotRepeat},
      {"TerminateComputeNode", RepeatRule::kDoNotRepeat},
  };
  for (const auto& [action, rule] : expected) {
    ASSERT_TRUE(FindRepeatRule(action).has_value()) << action;
    EXPECT_EQ(*FindRepeatRule(action), rule) << action;
    EXPECT_EQ(RepeatRuleFor(action), rule) << action;
  }
}

TEST(VerbRetryRules, AnActionNotInTheTableIsNotRepeated) {
  for (const char* action : {"AttachInstances", "DetachInstances", "describeinstances", ""}) {
    EXPECT_FALSE(FindRepeatRule(action).has_value()) << action;
    EXPECT_EQ(RepeatRuleFor(action), RepeatRule::kDoNotRepeat) << action;
    EXPECT_EQ(DecideRepeat(VerbRequest(action), TimeoutError()), RepeatVerdict::kOutcomeUnknown)
        << action;
  }
}

TEST(VerbRetryRules, UnknownOutcomesAreRepeatedOnlyWhereTheRuleAllows) {
  const json token = {{"ClientToken", "token-1"}};
  const std::map<std::string, RepeatVerdict> expected = {
      {"DescribeInstances", RepeatVerdict::kRepeat},
      {"ModifyComputeEnv", RepeatVerdict::kRepeat},
      {"DeleteComputeEnv", RepeatVerdict::kRepeat},
      {"TerminateInstances", RepeatVerdict::kOutcomeUnknown},
      {"TerminateComputeNodes", RepeatVerdict::kOutcomeUnknown},
      {"TerminateComputeNode", RepeatVerdict::kOutcomeUnknown},
      {"NotInTheTable", RepeatVerdict::kOutcomeUnknown},
  };
  for (const Error& unknown :
       {TimeoutError(), ConnectionResetError(), ServerError(), InternalError()}) {
    for (const auto& [action, verdict] : expected) {
      EXPECT_EQ(DecideRepeat(VerbRequest(action), unknown), verdict)
          << action << " after " << unknown.code();
    }
    EXPECT_EQ(DecideRepeat(VerbRequest("RunInstances", token), unknown), RepeatVerdict::kRepeat);
    EXPECT_EQ(DecideRepeat(VerbRequest("CreateComputeEnv", token), unknown),
              RepeatVerdict::kRepeat);
    EXPECT_EQ(DecideRepeat(VerbRequest("RunInstances"), unknown), RepeatVerdict::kOutcomeUnknown);
    EXPECT_EQ(DecideRepeat(VerbRequest("CreateComputeEnv"), unknown),
              RepeatVerdict::kOutcomeUnknown);
  }
}

TEST(VerbRetryRules, WhatTheCloudCertainlyDidNotDoIsRepeatedForEveryVerb) {
  for (const Error& refused : {ThrottledError(), Busy(), NeverConnected()}) {
    for (const char* action : {"DescribeInstances", "RunInstances", "TerminateInstances",
                               "TerminateComputeNodes", "NotInTheTable"}) {
      EXPECT_EQ(DecideRepeat(VerbRequest(action), refused), RepeatVerdict::kRepeat)
          << action << " after " << refused.code();
    }
  }
}

TEST(VerbRetryRules, FinalErrorsStopEveryVerb) {
  const Error finals[] = {
      Error(ErrorKind::kCapacity, "no stock", "ResourceInsufficient.SpecifiedInstanceType"),
      Error(ErrorKind::kNotFound, "gone", "ResourceNotFound.ComputeEnv"),
      Error(ErrorKind::kTransport, "HTTP 404 (expected 200)", std::string(kCodeHttpStatus)),
      Error(ErrorKind::kTransport, "bad certificate", std::string(kCodeTls)),
  };
  for (const Error& error : finals) {
    for (const char* action : {"DescribeInstances", "RunInstances", "TerminateComputeNodes"}) {
      EXPECT_EQ(DecideRepeat(VerbRequest(action, {{"ClientToken", "t"}}), error),
                RepeatVerdict::kStop)
          << action << " after " << error.code();
    }
  }
}

TEST(VerbRetryRules, ARunInstancesDryRunIsRepeatedLikeARead) {
  const json dry_run = {{"DryRun", true}};
  EXPECT_EQ(RepeatRuleForRequest(VerbRequest("RunInstances", dry_run)), RepeatRule::kRepeat);
  EXPECT_EQ(RepeatRuleForRequest(VerbRequest("RunInstances")), RepeatRule::kRepeatWithToken);
  EXPECT_EQ(RepeatRuleForRequest(VerbRequest("RunInstances", {{"DryRun", false}})),
            RepeatRule::kRepeatWithToken);
  EXPECT_EQ(RepeatRuleForRequest(VerbRequest("RunInstances", {{"DryRun", "true"}})),
            RepeatRule::kRepeatWithToken);
  // Only RunInstances documents what DryRun does.
  EXPECT_EQ(RepeatRuleForRequest(VerbRequest("TerminateInstances", dry_run)),
            RepeatRule::kDoNotRepeat);
  for (const Error& unknown :
       {TimeoutError(), ConnectionResetError(), ServerError(), InternalError()}) {
    EXPECT_EQ(DecideRepeat(VerbRequest("RunInstances", dry_run), unknown), RepeatVerdict::kRepeat)
        << unknown.code();
  }
  // Its refusals are final like any other.
  EXPECT_EQ(DecideRepeat(VerbRequest("RunInstances", dry_run),
                         Error(ErrorKind::kTerminal, "ok", "DryRunOperation")),
            RepeatVerdict::kStop);
}

TEST(VerbRetryRules, OnlyANonEmptyStringIsAClientToken) {
  EXPECT_TRUE(HasClientToken(VerbRequest("RunInstances", {{"ClientToken", "token-1"}})));
  EXPECT_FALSE(HasClientToken(VerbRequest("RunInstances")));
  EXPECT_FALSE(HasClientToken(VerbRequest("RunInstances", {{"ClientToken", ""}})));
  EXPECT_FALSE(HasClientToken(VerbRequest("RunInstances", {{"ClientToken", 42}})));
  EXPECT_FALSE(HasClientToken(VerbRequest("RunInstances", {{"ClientToken", nullptr}})));
  EXPECT_FALSE(HasClientToken(VerbRequest("RunInstances", json::array())));
}

// Drives every Cloud verb of TencentCloud against a recording caller (which answers every
// call with an empty success) and checks that each action it sent has an entry in the table.
// A new Cloud verb gets a line here.
TEST(VerbRetryRules, EveryActionTencentCloudSendsHasAnEntry) {
  FakeClock clock;
  FakeApiCaller caller(clock);
  TencentCloud cloud(caller, TencentCloudOptions{"ap-guangzhou", 1});

  const LaunchSpec launch = testing::LaunchOf(1, "launch-1");
  const ComputeEnvSpec env = testing::ComputeEnvOf("farm", 1, "create-1");

  (void)cloud.LaunchSpotInstances(launch);
  (void)cloud.DescribeInstances({"ins-1"});
  (void)cloud.FindInstances(InstanceQuery{{{"spotform-env", "render"}}, "ap-guangzhou-3"});
  (void)cloud.TerminateInstances({{"ins-1", ChargeType::kSpot}});
  (void)cloud.TerminateInstances({{"ins-2", std::nullopt}});  // looked up first
  (void)cloud.GetSpotOffer("ap-guangzhou-3", "S5.MEDIUM4");
  (void)cloud.DescribeSpotOffers({"ap-guangzhou-3", "ap-guangzhou-4"}, {"S5.MEDIUM4"});
  (void)cloud.DescribeSpotQuota();
  (void)cloud.DryRunLaunch(launch);
  (void)cloud.CreateComputeEnv(env);
  (void)cloud.DescribeComputeEnv("env-1");
  (void)cloud.ListComputeEnvs(ComputeEnvQuery{{}, "ap-guangzhou-3", "farm"});
  (void)cloud.SetDesiredCount("env-1", 2);
  (void)cloud.TerminateComputeNodes("env-1", {"node-1"});
  (void)cloud.DeleteComputeEnv("env-1");
  (void)cloud.DescribeComputeEnvActivities("env-1");

  std::set<std::string> sent;
  for (const ApiRequest& request : caller.requests()) sent.insert(request.action);
  EXPECT_EQ(sent, (std::set<std::string>{
                      "CreateComputeEnv", "DeleteComputeEnv", "DescribeAccountQuota",
                      "DescribeComputeEnv", "DescribeComputeEnvActivities", "DescribeComputeEnvs",
                      "DescribeInstances", "DescribeZoneInstanceConfigInfos", "ModifyComputeEnv",
                      "RunInstances", "TerminateComputeNodes", "TerminateInstances"}));
  for (const std::string& action : sent) {
    EXPECT_TRUE(FindRepeatRule(action).has_value()) << action << " has no retry rule";
  }
}

// TencentCloud over RetryingCaller over a scripted caller: the rule comes from the action, so
// the typed verbs get it without saying anything.
class TencentCloudRetryTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  FakeApiCaller inner_{clock_};
  RetryingCaller retrying_{inner_, clock_, RetryPolicy{},
                           [](std::chrono::nanoseconds ceiling) { return ceiling; }};
  TencentCloud cloud_{retrying_, TencentCloudOptions{"ap-guangzhou", 1}};
};

TEST_F(TencentCloudRetryTest, ATimedOutNodeReleaseIsSentOnceAndReportedAsUnknown) {
  inner_.PushError(Error(ErrorKind::kTransport, "TerminateComputeNodes: POST x: timed out",
                         std::string(kCodeTimeout)));

  Status released = cloud_.TerminateComputeNodes("env-1", {"node-a"});

  ASSERT_FALSE(released.ok());
  EXPECT_EQ(inner_.requests().size(), 1u);
  EXPECT_EQ(released.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(released.error().message(),
            "TerminateComputeNodes env-1 node-a: TerminateComputeNodes: POST x: timed out "
            "(outcome unknown: TerminateComputeNodes may have taken effect and is not safe to "
            "repeat, so it was not sent again; the next run looks at the cloud before it tries "
            "again)");
}

TEST_F(TencentCloudRetryTest, ATimedOutTerminateInstancesIsSentOnce) {
  inner_.PushError(ServerError());

  Result<TerminateOutcome> outcome = cloud_.TerminateInstances({{"ins-1", ChargeType::kSpot}});

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(inner_.requests().size(), 1u);
  EXPECT_EQ(outcome.error().code(), kCodeHttpServerError);
}

TEST_F(TencentCloudRetryTest, ALaunchIsRepeatedWithItsOwnToken) {
  inner_.PushError(TimeoutError());
  LaunchSpec launch;
  launch.zone = "ap-guangzhou-3";
  launch.instance_type = "S5.MEDIUM4";
  launch.image_id = "img-pmqg1cw7";
  launch.max_price = "0.60";
  launch.count = 1;
  launch.client_token = "launch-1";

  (void)cloud_.LaunchSpotInstances(launch);  // the empty reply does not decode; the calls count

  const std::vector<ApiRequest> sent = inner_.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].params["ClientToken"], "launch-1");
  EXPECT_EQ(sent[1].params, sent[0].params);
}

TEST_F(TencentCloudRetryTest, ADesiredCountChangeIsRepeatedAfterAnUnknownOutcome) {
  inner_.PushError(ConnectionResetError());

  ASSERT_TRUE(cloud_.SetDesiredCount("env-1", 3).ok());

  const std::vector<ApiRequest> sent = inner_.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].params, (json{{"EnvId", "env-1"}, {"DesiredComputeNodeCount", 3}}));
}

}  // namespace
}  // namespace spotform
