// TencentCloud's RunInstances verbs against a scripted ApiCaller: partial delivery (MinCount
// sent, how many ids a reply may hold) and DryRunLaunch (the request, both success shapes the
// reference leaves open, refusals, and repeats through RetryingCaller).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "providers/tencent/error_table.h"
#include "providers/tencent/retrying_caller.h"
#include "providers/tencent/tencent_cloud.h"
#include "tests/support/fake_api_caller.h"
#include "tests/support/fake_clock.h"
#include "tests/support/spec_builders.h"
#include "tests/tencent/scripted_api_caller.h"

namespace spotform {
namespace {

using nlohmann::json;

std::vector<std::string> LaunchedIds(int count) {
  std::vector<std::string> ids;
  for (int i = 1; i <= count; ++i) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "ins-%08d", i);
    ids.push_back(buffer);
  }
  return ids;
}

LaunchSpec PartialLaunch(int count, int min_count) {
  LaunchSpec spec = testing::LaunchOf(count, "launch-partial-1");
  spec.min_count = min_count;
  return spec;
}

class TencentCloudLaunchTest : public ::testing::Test {
 protected:
  ScriptedApiCaller caller_;
  TencentCloud cloud_{caller_, TencentCloudOptions{"ap-guangzhou", 4}};
};

TEST_F(TencentCloudLaunchTest, MinCountIsSentOnlyWhenAsked) {
  caller_.Reply("RunInstances", {{"InstanceIdSet", LaunchedIds(5)}});

  ASSERT_TRUE(cloud_.LaunchSpotInstances(PartialLaunch(5, 2)).ok());
  ASSERT_TRUE(cloud_.LaunchSpotInstances(PartialLaunch(5, 0)).ok());

  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].params, json::parse(R"({
    "InstanceChargeType": "SPOTPAID",
    "InstanceMarketOptions": {"MarketType": "spot",
                              "SpotOptions": {"MaxPrice": "0.60", "SpotInstanceType": "one-time"}},
    "Placement": {"Zone": "ap-guangzhou-3"},
    "InstanceType": "S5.MEDIUM4",
    "ImageId": "img-pmqg1cw7",
    "InstanceCount": 5,
    "MinCount": 2,
    "ClientToken": "launch-partial-1"
  })"));
  EXPECT_FALSE(requests[1].params.contains("MinCount"));
}

TEST_F(TencentCloudLaunchTest, PartialDeliveryAcceptsMinCountToCountIds) {
  for (int delivered = 2; delivered <= 5; ++delivered) {
    caller_.Reply("RunInstances", {{"InstanceIdSet", LaunchedIds(delivered)}});
    Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(PartialLaunch(5, 2));
    ASSERT_TRUE(ids.ok()) << delivered << ": " << ids.error().ToString();
    EXPECT_EQ(*ids, LaunchedIds(delivered));
  }
  // MinCount 1: a single instance is a partial delivery too.
  caller_.Reply("RunInstances", {{"InstanceIdSet", LaunchedIds(1)}});
  Result<std::vector<std::string>> one = cloud_.LaunchSpotInstances(PartialLaunch(100, 1));
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  EXPECT_EQ(one->size(), 1u);
}

TEST_F(TencentCloudLaunchTest, PartialDeliveryRejectsFewerThanMinCountOrMoreThanCount) {
  struct Case {
    int delivered;
    std::string message;
  };
  const std::vector<Case> cases = {
      {1,
       "RunInstances: response field InstanceIdSet holds 1 ids where 2..5 were asked for: what "
       "was launched is unknown"},
      {0,
       "RunInstances: response field InstanceIdSet holds 0 ids where 2..5 were asked for: what "
       "was launched is unknown"},
      {6,
       "RunInstances: response field InstanceIdSet holds 6 ids where 2..5 were asked for: what "
       "was launched is unknown"},
  };
  for (const Case& c : cases) {
    caller_.Reply("RunInstances", {{"InstanceIdSet", LaunchedIds(c.delivered)}});
    Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(PartialLaunch(5, 2));
    ASSERT_FALSE(ids.ok()) << c.delivered;
    EXPECT_EQ(ids.error().kind(), ErrorKind::kTransport);
    EXPECT_EQ(ids.error().message(), c.message);
    EXPECT_FALSE(ids.error().request_id().empty());
  }
}

TEST_F(TencentCloudLaunchTest, AllOrNothingLaunchesWantExactlyTheCount) {
  for (int delivered : {1, 3}) {
    caller_.Reply("RunInstances", {{"InstanceIdSet", LaunchedIds(delivered)}});
    Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(PartialLaunch(2, 0));
    ASSERT_FALSE(ids.ok()) << delivered;
    EXPECT_EQ(ids.error().kind(), ErrorKind::kTransport);
    EXPECT_EQ(ids.error().message(), "RunInstances: response field InstanceIdSet holds " +
                                         std::to_string(delivered) +
                                         " ids where 2 were asked for: what was launched is "
                                         "unknown");
  }
}

TEST_F(TencentCloudLaunchTest, AMinCountOutsideZeroToCountIsRefusedWithoutCalling) {
  for (int min_count : {-1, 6}) {
    Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(PartialLaunch(5, min_count));
    ASSERT_FALSE(ids.ok());
    EXPECT_EQ(ids.error().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(ids.error().message(), "RunInstances ap-guangzhou-3 S5.MEDIUM4: min count " +
                                         std::to_string(min_count) +
                                         " is outside 0..5 (the count)");
    EXPECT_FALSE(cloud_.DryRunLaunch(PartialLaunch(5, min_count)).ok());
  }
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudLaunchTest, MinCountRefusalsKeepTheirKinds) {
  struct Case {
    std::string code;
    ErrorKind kind;
  };
  for (const Case& c :
       {Case{"UnsupportedOperation.MinCountUnsupportedRegion", ErrorKind::kUnsupported},
        Case{"ResourceInsufficient.InsufficientOfferingMinimum", ErrorKind::kCapacity}}) {
    caller_.Fail("RunInstances", Error(KindForCloudCode(c.code), "refused", c.code, "rid-1"));
    Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(PartialLaunch(5, 2));
    ASSERT_FALSE(ids.ok());
    EXPECT_EQ(ids.error().kind(), c.kind) << c.code;
    EXPECT_EQ(ids.error().code(), c.code);
    EXPECT_EQ(ids.error().message(), "RunInstances ap-guangzhou-3 S5.MEDIUM4: refused");
  }
}

TEST_F(TencentCloudLaunchTest, DryRunSendsTheLaunchRequestWithDryRun) {
  caller_.Fail("RunInstances", Error(ErrorKind::kTerminal, "Request would have succeeded",
                                     "DryRunOperation", "rid-2"));
  LaunchSpec spec = PartialLaunch(5, 2);
  spec.tags = {{"spotform-env", "render"}};
  spec.name = "render";

  Status checked = cloud_.DryRunLaunch(spec);

  ASSERT_TRUE(checked.ok()) << checked.error().ToString();
  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].service, "cvm");
  EXPECT_EQ(requests[0].action, "RunInstances");
  EXPECT_EQ(requests[0].region, "ap-guangzhou");
  EXPECT_EQ(requests[0].params, json::parse(R"({
    "InstanceChargeType": "SPOTPAID",
    "InstanceMarketOptions": {"MarketType": "spot",
                              "SpotOptions": {"MaxPrice": "0.60", "SpotInstanceType": "one-time"}},
    "Placement": {"Zone": "ap-guangzhou-3"},
    "InstanceType": "S5.MEDIUM4",
    "ImageId": "img-pmqg1cw7",
    "InstanceCount": 5,
    "MinCount": 2,
    "ClientToken": "launch-partial-1",
    "InstanceName": "render",
    "TagSpecification": [{"ResourceType": "instance",
                          "Tags": [{"Key": "spotform-env", "Value": "render"}]}],
    "DryRun": true
  })"));
}

TEST_F(TencentCloudLaunchTest, DryRunWithoutATokenSendsNone) {
  caller_.Reply("RunInstances", json::object());
  LaunchSpec spec = testing::LaunchOf(3, "");

  Status checked = cloud_.DryRunLaunch(spec);

  ASSERT_TRUE(checked.ok()) << checked.error().ToString();
  json params = caller_.requests().at(0).params;
  EXPECT_FALSE(params.contains("ClientToken"));
  EXPECT_FALSE(params.contains("MinCount"));
  EXPECT_EQ(params["DryRun"], true);
  EXPECT_EQ(params["InstanceCount"], 3);
}

TEST_F(TencentCloudLaunchTest, DryRunStillChecksTheSpecAndAGivenToken) {
  LaunchSpec bad_token = testing::LaunchOf(1, std::string(65, 'x'));
  Status refused = cloud_.DryRunLaunch(bad_token);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(
      refused.error().message(),
      "RunInstances (dry run) ap-guangzhou-3 S5.MEDIUM4: ClientToken is longer than 64 bytes");
  LaunchSpec no_image = testing::LaunchOf(1, "t");
  no_image.image_id.clear();
  ASSERT_FALSE(cloud_.DryRunLaunch(no_image).ok());
  EXPECT_FALSE(cloud_.DryRunLaunch(testing::LaunchOf(101, "t")).ok());
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudLaunchTest, DryRunPassesOnAnOrdinaryAnswerWithoutIds) {
  for (const json& body :
       {json::object(), json{{"InstanceIdSet", json::array()}}, json{{"InstanceIdSet", nullptr}}}) {
    caller_.Reply("RunInstances", body);
    Status checked = cloud_.DryRunLaunch(testing::LaunchOf(2, "dry-1"));
    EXPECT_TRUE(checked.ok()) << body.dump() << ": " << checked.error().ToString();
  }
}

TEST_F(TencentCloudLaunchTest, DryRunAnsweredWithIdsIsAnError) {
  caller_.Reply("RunInstances", {{"InstanceIdSet", LaunchedIds(2)}});

  Status checked = cloud_.DryRunLaunch(testing::LaunchOf(2, "dry-1"));

  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(checked.error().message(),
            "RunInstances: response field InstanceIdSet holds 2 ids (ins-00000001, ...) in the "
            "answer to a dry run: the cloud may have launched them");
}

TEST_F(TencentCloudLaunchTest, DryRunWithABadlyShapedAnswerIsAnError) {
  for (const json& body :
       {json{{"InstanceIdSet", "ins-00000001"}}, json{{"InstanceIdSet", json::array({1})}}}) {
    caller_.Reply("RunInstances", body);
    Status checked = cloud_.DryRunLaunch(testing::LaunchOf(1, "dry-1"));
    ASSERT_FALSE(checked.ok()) << body.dump();
    EXPECT_EQ(checked.error().kind(), ErrorKind::kTransport);
    EXPECT_EQ(checked.error().message().rfind("RunInstances: response field InstanceIdSet", 0), 0u)
        << checked.error().message();
  }
}

TEST_F(TencentCloudLaunchTest, DryRunRefusalsComeBackAsTheUsualErrors) {
  struct Case {
    std::string code;
    ErrorKind kind;
  };
  for (const Case& c :
       {Case{"InvalidParameterValue.InsufficientOffering", ErrorKind::kCapacity},
        Case{"LimitExceeded.UserSpotQuota", ErrorKind::kCapacity},
        Case{"InvalidImageId.NotFound", ErrorKind::kNotFound},
        Case{"UnauthorizedOperation", ErrorKind::kAuth},
        Case{"UnsupportedOperation.MinCountUnsupportedChargeType", ErrorKind::kUnsupported}}) {
    caller_.Fail("RunInstances", Error(KindForCloudCode(c.code), "no", c.code, "rid-4"));
    Status checked = cloud_.DryRunLaunch(PartialLaunch(5, 2));
    ASSERT_FALSE(checked.ok()) << c.code;
    EXPECT_EQ(checked.error().kind(), c.kind) << c.code;
    EXPECT_EQ(checked.error().code(), c.code);
    EXPECT_EQ(checked.error().request_id(), "rid-4");
    EXPECT_EQ(checked.error().message(), "RunInstances (dry run) ap-guangzhou-3 S5.MEDIUM4: no");
  }
}

// Through RetryingCaller: a dry run is repeated after an unknown outcome even without a
// ClientToken (it creates nothing), where a launch without one would not be.
TEST(TencentCloudDryRunRetry, ADryRunIsRepeatedAfterATimeoutWithoutAToken) {
  FakeClock clock;
  FakeApiCaller inner(clock);
  RetryingCaller retrying(inner, clock, RetryPolicy{},
                          [](std::chrono::nanoseconds ceiling) { return ceiling; });
  TencentCloud cloud(retrying, TencentCloudOptions{"ap-guangzhou", 1});
  inner.PushError(Error(ErrorKind::kTransport, "POST x: timed out", std::string(kCodeTimeout)));
  inner.PushError(Error(ErrorKind::kTerminal, "would have succeeded", "DryRunOperation"));

  Status checked = cloud.DryRunLaunch(testing::LaunchOf(1, ""));

  ASSERT_TRUE(checked.ok()) << checked.error().ToString();
  const std::vector<ApiRequest> sent = inner.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].params, sent[0].params);
  EXPECT_FALSE(sent[0].params.contains("ClientToken"));
}

}  // namespace
}  // namespace spotform
