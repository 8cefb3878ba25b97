// RunInstances MinCount: partial delivery bounded by the free stock and the spot quota, its
// errors, the --min-count unsupported switch, and DryRun running the same checks.
#include <string>
#include <vector>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

json WithMinCount(json params, int64_t min_count) {
  params["MinCount"] = min_count;
  return params;
}

class MinCountTest : public ModelTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 30}).ok());
  }
};

CloudModelOptions MinCountUnsupported() {
  CloudModelOptions options;
  options.min_count = MinCountSupport::kUnsupported;
  return options;
}

class MinCountUnsupportedTest : public ModelTest {
 protected:
  MinCountUnsupportedTest() : ModelTest(MinCountUnsupported()) {}
};

TEST_F(MinCountTest, PartialDeliveryLaunchesWhatTheStockHas) {
  json out = Ok("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 100), 1));
  EXPECT_EQ(out["InstanceIdSet"].size(), 30u);
  EXPECT_EQ(InstanceCount(), 30);
  // Sold out now: even MinCount 1 is short of stock.
  Result<json> none =
      Call("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 5), 1));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), "ResourceInsufficient.InsufficientOfferingMinimum");
}

TEST_F(MinCountTest, AllOfInstanceCountWhenTheStockHasIt) {
  json out = Ok("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 20), 10));
  EXPECT_EQ(out["InstanceIdSet"].size(), 20u);
}

TEST_F(MinCountTest, StockShortOfMinCountFailsAndCreatesNothing) {
  Result<json> result =
      Call("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 50), 31));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), "ResourceInsufficient.InsufficientOfferingMinimum");
  EXPECT_EQ(result.error().message(),
            "Inventory fails to satisfy the minimum purchasable quantity: 30 of S5.MEDIUM4 left "
            "in ap-guangzhou-3, MinCount 31");
  EXPECT_EQ(InstanceCount(), 0);
  EXPECT_EQ(Ok("RunInstances",
               WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 50), 30))["InstanceIdSet"]
                .size(),
            30u);
}

TEST_F(MinCountTest, WithoutMinCountItStaysAllOrNothing) {
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 31)),
            "InvalidParameterValue.InsufficientOffering");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(MinCountTest, MinCountMustBeBetweenOneAndInstanceCount) {
  for (int64_t bad : {0, -1, 6}) {
    EXPECT_EQ(Code("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 5), bad)),
              "InvalidParameterValue.InvalidParameterMinCount")
        << bad;
  }
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 5);
  params["MinCount"] = "2";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameter");
  EXPECT_EQ(InstanceCount(), 0);
  EXPECT_EQ(Code("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 5), 5)), "");
}

TEST_F(MinCountTest, ABidBelowThePriceStillFails) {
  EXPECT_EQ(
      Code("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 5, "0.01"), 1)),
      "InvalidParameterValue.InsufficientPrice");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(MinCountTest, TheSpotQuotaBoundsPartialDelivery) {
  ASSERT_TRUE(model_.SetSpotQuota(std::nullopt, 10).ok());  // 5 x S5.MEDIUM4
  json out = Ok("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 20), 3));
  EXPECT_EQ(out["InstanceIdSet"].size(), 5u);
  // 0 vCPUs left: the quota (not the stock, 25 left) is short of MinCount.
  Result<json> result =
      Call("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 20), 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(result.error().message(),
            "You are short of the spot instance quota in ap-guangzhou-3: 0 vCPUs left of 10, "
            "MinCount needs 2 vCPUs (1 x S5.MEDIUM4, 2 vCPUs each)");
  EXPECT_EQ(InstanceCount(), 5);
}

TEST_F(MinCountTest, StockAndQuotaTogetherGiveTheSmallerCount) {
  ASSERT_TRUE(model_.SetSpotQuota("ap-guangzhou-3", 100).ok());  // 50 instances; stock 30
  EXPECT_EQ(Ok("RunInstances",
               WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 100), 1))["InstanceIdSet"]
                .size(),
            30u);
}

TEST_F(MinCountTest, ClientTokenReplayReturnsThePartialSet) {
  json params = WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 40), 1);
  params["ClientToken"] = "partial-1";
  json first = Ok("RunInstances", params);
  ASSERT_EQ(first["InstanceIdSet"].size(), 30u);
  EXPECT_EQ(Ok("RunInstances", params)["InstanceIdSet"], first["InstanceIdSet"]);
  EXPECT_EQ(InstanceCount(), 30);
}

TEST_F(MinCountTest, DryRunAppliesTheSameChecks) {
  json params = WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 100), 1);
  params["DryRun"] = true;
  EXPECT_EQ(Code("RunInstances", params), "DryRunOperation");
  params["MinCount"] = 31;
  EXPECT_EQ(Code("RunInstances", params), "ResourceInsufficient.InsufficientOfferingMinimum");
  params["MinCount"] = 101;
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue.InvalidParameterMinCount");
  ASSERT_TRUE(model_.SetSpotQuota(std::nullopt, 10).ok());
  params["MinCount"] = 6;
  EXPECT_EQ(Code("RunInstances", params), "LimitExceeded.UserSpotQuota");
  params["MinCount"] = 5;
  EXPECT_EQ(Code("RunInstances", params), "DryRunOperation");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(MinCountTest, DryRunOverTheQuotaFailsWithoutMinCountToo) {
  ASSERT_TRUE(model_.SetSpotQuota(std::nullopt, 10).ok());
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 6);
  params["DryRun"] = true;
  EXPECT_EQ(Code("RunInstances", params), "LimitExceeded.UserSpotQuota");
  params["InstanceCount"] = 5;
  EXPECT_EQ(Code("RunInstances", params), "DryRunOperation");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(MinCountUnsupportedTest, AnyMinCountIsRefusedAndCreatesNothing) {
  for (int64_t min_count : {1, 2, 0, 99}) {
    Result<json> result =
        Call("RunInstances", WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2), min_count));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code(), "UnsupportedOperation.MinCountUnsupportedRegion") << min_count;
    EXPECT_EQ(result.error().message(),
              "This region does not currently support the MinCount parameter.");
  }
  json dry_run = WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2), 1);
  dry_run["DryRun"] = true;
  EXPECT_EQ(Code("RunInstances", dry_run), "UnsupportedOperation.MinCountUnsupportedRegion");
  EXPECT_EQ(InstanceCount(), 0);
  // Without MinCount, launches work as always.
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 2).size(), 2u);
}

TEST_F(MinCountTest, ScenarioSwitchesMinCountOffAndOn) {
  ASSERT_TRUE(model_.LoadScenario("min_count: unsupported\n").ok());
  json params = WithMinCount(SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2), 1);
  EXPECT_EQ(Code("RunInstances", params), "UnsupportedOperation.MinCountUnsupportedRegion");
  model_.Reset();  // the scenario stays the baseline
  EXPECT_EQ(Code("RunInstances", params), "UnsupportedOperation.MinCountUnsupportedRegion");
  ASSERT_TRUE(model_.LoadScenario("min_count: supported\n").ok());
  EXPECT_EQ(Code("RunInstances", params), "");
}

}  // namespace
}  // namespace spotform::sim
