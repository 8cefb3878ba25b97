// RunInstances and InquiryPriceRunInstances: market rules, idempotency, DryRun, zones.
#include <string>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class CvmLaunchTest : public ModelTest {};

TEST_F(CvmLaunchTest, SpotLaunchReturnsIdsAndInstancesStartPending) {
  json out = Ok("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 3));
  ASSERT_EQ(out["InstanceIdSet"].size(), 3u);
  for (const json& id : out["InstanceIdSet"]) {
    std::string text = id.get<std::string>();
    EXPECT_EQ(text.size(), 12u);
    EXPECT_EQ(text.substr(0, 4), "ins-");
    EXPECT_EQ(StateOf(text), "PENDING");
  }
  json described = Ok("DescribeInstances", {{"InstanceIds", out["InstanceIdSet"]}});
  const json& instance = described["InstanceSet"][0];
  EXPECT_EQ(instance["InstanceChargeType"], "SPOTPAID");
  EXPECT_EQ(instance["Placement"]["Zone"], "ap-guangzhou-3");
  EXPECT_EQ(instance["CPU"], 2);
  EXPECT_EQ(instance["Memory"], 4);
  EXPECT_EQ(instance["CreatedTime"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(instance["InstanceName"], "未命名1");
  EXPECT_EQ(instance["LatestOperation"], "RunInstances");
  EXPECT_EQ(instance["LatestOperationState"], "OPERATING");
  EXPECT_TRUE(instance["RenewFlag"].is_null());
  EXPECT_TRUE(instance["ExpiredTime"].is_null());
}

TEST_F(CvmLaunchTest, BidBelowMarketPriceIsInsufficientPriceAndCreatesNothing) {
  // S5.MEDIUM4 costs 0.09 in ap-guangzhou-3.
  Result<json> result = Call("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1, "0.05"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), "InvalidParameterValue.InsufficientPrice");
  EXPECT_EQ(result.error().message(),
            "bid 0.0500 is below the spot price 0.0900 of S5.MEDIUM4 in ap-guangzhou-3");
  EXPECT_EQ(InstanceCount(), 0);
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1, "0.09")), "");
}

TEST_F(CvmLaunchTest, TooLittleStockIsInsufficientOfferingAndCreatesNothing) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 4}).ok());
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 5)),
            "InvalidParameterValue.InsufficientOffering");
  EXPECT_EQ(InstanceCount(), 0);
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 4).size(), 4u);
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)),
            "InvalidParameterValue.InsufficientOffering");
}

TEST_F(CvmLaunchTest, SpotWithoutMarketOptionsBidsTheMarketPrice) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params.erase("InstanceMarketOptions");
  EXPECT_EQ(Code("RunInstances", params), "");
}

TEST_F(CvmLaunchTest, PostpaidSkipsThePriceButUsesCapacity) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", 5.0, 1}).ok());
  json params = {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                 {"InstanceType", "S5.MEDIUM4"},
                 {"ImageId", "img-pmqg1cw7"}};
  json out = Ok("RunInstances", params);
  json described = Ok("DescribeInstances", {{"InstanceIds", out["InstanceIdSet"]}});
  EXPECT_EQ(described["InstanceSet"][0]["InstanceChargeType"], "POSTPAID_BY_HOUR");
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue.InsufficientOffering");
}

TEST_F(CvmLaunchTest, SpotInstanceTypeIsCaseInsensitive) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["InstanceMarketOptions"]["SpotOptions"]["SpotInstanceType"] = "ONE-TIME";
  EXPECT_EQ(Code("RunInstances", params), "");
  params["InstanceMarketOptions"]["SpotOptions"]["SpotInstanceType"] = "persistent";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue");
}

TEST_F(CvmLaunchTest, MarketOptionsAreChecked) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["InstanceMarketOptions"]["SpotOptions"]["MaxPrice"] = "cheap";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue");
  params["InstanceMarketOptions"]["SpotOptions"].erase("MaxPrice");
  EXPECT_EQ(Code("RunInstances", params), "MissingParameter");
  params["InstanceMarketOptions"].erase("SpotOptions");
  EXPECT_EQ(Code("RunInstances", params), "MissingParameter");
  params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["InstanceChargeType"] = "POSTPAID_BY_HOUR";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterCombination");
  params["InstanceChargeType"] = "PREPAID";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(CvmLaunchTest, ClientTokenReplayReturnsTheSameIdsWithoutCreatingMore) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2);
  params["ClientToken"] = "token-1";
  json first = Ok("RunInstances", params);
  json second = Ok("RunInstances", params);
  EXPECT_EQ(first["InstanceIdSet"], second["InstanceIdSet"]);
  EXPECT_EQ(InstanceCount(), 2);
  // Tokens are kept per region: the same token in Shanghai is a new request.
  json shanghai = SpotRun("ap-shanghai-2", "S5.MEDIUM4", 1);
  shanghai["ClientToken"] = "token-1";
  EXPECT_EQ(Ok("RunInstances", shanghai, "ap-shanghai")["InstanceIdSet"].size(), 1u);
  EXPECT_EQ(InstanceCount(), 3);
}

TEST_F(CvmLaunchTest, ClientTokenReplayWorksEvenAfterStockRanOut) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 2}).ok());
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2);
  params["ClientToken"] = "crash-safe";
  json first = Ok("RunInstances", params);
  EXPECT_EQ(Ok("RunInstances", params)["InstanceIdSet"], first["InstanceIdSet"]);
}

TEST_F(CvmLaunchTest, ClientTokenLongerThan64BytesIsRejected) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["ClientToken"] = std::string(65, 'a');
  EXPECT_EQ(Code("RunInstances", params), "InvalidClientToken.TooLong");
  params["ClientToken"] = std::string(64, 'a');
  EXPECT_EQ(Code("RunInstances", params), "");
}

TEST_F(CvmLaunchTest, DryRunChecksStockAndPriceAndCreatesNothing) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2);
  params["DryRun"] = true;
  EXPECT_EQ(Code("RunInstances", params), "DryRunOperation");
  params["InstanceMarketOptions"]["SpotOptions"]["MaxPrice"] = "0.01";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue.InsufficientPrice");
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 1}).ok());
  params["InstanceMarketOptions"]["SpotOptions"]["MaxPrice"] = "1.0";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue.InsufficientOffering");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(CvmLaunchTest, ZoneMustBelongToTheRegion) {
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-shanghai-2", "S5.MEDIUM4", 1)),
            "InvalidZone.MismatchRegion");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-beijing-1", "S5.MEDIUM4", 1)),
            "InvalidZone.MismatchRegion");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-9", "S5.MEDIUM4", 1)),
            "InvalidParameterValue.ZoneNotSupported");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-shanghai-2", "S5.MEDIUM4", 1), "ap-shanghai"), "");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1), "ap-mars"),
            "UnsupportedRegion");
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["Placement"].erase("Zone");
  EXPECT_EQ(Code("RunInstances", params), "MissingParameter");
  params.erase("Placement");
  EXPECT_EQ(Code("RunInstances", params), "MissingParameter");
}

TEST_F(CvmLaunchTest, InstanceTypeMustExistAndBeSoldInTheZone) {
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "X9.HUGE", 1)),
            "InvalidParameterValue.InstanceTypeNotFound");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "C5.LARGE8", 1)),
            "ResourceUnavailable.InstanceType");
}

TEST_F(CvmLaunchTest, InstanceCountMustBeBetween1And100) {
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 0)),
            "InvalidParameterValue.Range");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 101)),
            "InvalidParameterValue.Range");
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["InstanceCount"] = 18446744073709551615ULL;
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue");
  params["InstanceCount"] = -9223372036854775807LL;
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue.Range");
  params["InstanceCount"] = 1.5;
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameter");
  params["InstanceCount"] = "3";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameter");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 100)), "");
  EXPECT_EQ(InstanceCount(), 100);
}

TEST_F(CvmLaunchTest, ImageIdIsRequiredAndWellFormed) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["ImageId"] = "img-123";
  EXPECT_EQ(Code("RunInstances", params), "InvalidImageId.Malformed");
  params["ImageId"] = "img-ABCDEFGH";
  EXPECT_EQ(Code("RunInstances", params), "InvalidImageId.Malformed");
  params.erase("ImageId");
  EXPECT_EQ(Code("RunInstances", params), "MissingParameter");
}

TEST_F(CvmLaunchTest, TagSpecificationTagsTheInstances) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["TagSpecification"] = {
      {{"ResourceType", "instance"},
       {"Tags",
        {{{"Key", "spotform:env"}, {"Value", "render"}}, {{"Key", "team"}, {"Value", "vfx"}}}}}};
  json out = Ok("RunInstances", params);
  json described = Ok("DescribeInstances", {{"InstanceIds", out["InstanceIdSet"]}});
  EXPECT_EQ(
      described["InstanceSet"][0]["Tags"],
      json::parse(R"([{"Key":"spotform:env","Value":"render"},{"Key":"team","Value":"vfx"}])"));
  params["TagSpecification"][0]["Tags"][1]["Key"] = "spotform:env";
  EXPECT_EQ(Code("RunInstances", params), "InvalidParameterValue.DuplicateTags");
}

TEST_F(CvmLaunchTest, InstanceNamesFollowThePatternRules) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2);
  params["InstanceName"] = "render-{R:7,F:3}";
  json ids = Ok("RunInstances", params)["InstanceIdSet"];
  json described = Ok("DescribeInstances", {{"InstanceIds", ids}});
  EXPECT_EQ(described["InstanceSet"][0]["InstanceName"], "render-007");
  EXPECT_EQ(described["InstanceSet"][1]["InstanceName"], "render-008");
  params["InstanceName"] = "single";
  params["InstanceCount"] = 1;
  ids = Ok("RunInstances", params)["InstanceIdSet"];
  EXPECT_EQ(Ok("DescribeInstances", {{"InstanceIds", ids}})["InstanceSet"][0]["InstanceName"],
            "single");
  params["InstanceName"] = std::string(61, 'n');
  EXPECT_EQ(Code("RunInstances", params), "InvalidInstanceName.TooLong");
}

TEST_F(CvmLaunchTest, NonObjectParamsAndUnknownActionsAreErrors) {
  EXPECT_EQ(Code("RunInstances", json::array()), "InvalidParameter");
  EXPECT_EQ(Code("StopInstances", json::object()), "InvalidAction");
  EXPECT_TRUE(CloudModel::Supports("RunInstances"));
  EXPECT_FALSE(CloudModel::Supports("StopInstances"));
  EXPECT_EQ(CloudModel::ProductOf("DescribeInstances"), "cvm");
  EXPECT_EQ(CloudModel::ProductOf("ModifyComputeEnv"), "batch");
  EXPECT_EQ(CloudModel::ProductOf("Nope"), "");
}

TEST_F(CvmLaunchTest, InquiryPriceReportsSpotAndListPrice) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2);
  json out = Ok("InquiryPriceRunInstances", params);
  const json& price = out["Price"]["InstancePrice"];
  EXPECT_DOUBLE_EQ(price["UnitPrice"].get<double>(), 0.88);
  EXPECT_DOUBLE_EQ(price["UnitPriceDiscount"].get<double>(), 0.18);
  EXPECT_EQ(price["ChargeUnit"], "HOUR");
  EXPECT_TRUE(out["Price"].contains("BandwidthPrice"));
  params["InstanceMarketOptions"]["SpotOptions"]["MaxPrice"] = "0.01";
  EXPECT_EQ(Code("InquiryPriceRunInstances", params), "InvalidParameterValue.InsufficientPrice");
  params.erase("ImageId");
  EXPECT_EQ(Code("InquiryPriceRunInstances", params), "MissingParameter");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(CvmLaunchTest, InquiryPriceOfOneSpotInstanceIsTheOffersSpotPrice) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-4", "S5.LARGE8", 0.2345, 10}).ok());
  json out = Ok("InquiryPriceRunInstances", SpotRun("ap-guangzhou-4", "S5.LARGE8", 1));
  const json& price = out["Price"]["InstancePrice"];
  EXPECT_DOUBLE_EQ(price["UnitPriceDiscount"].get<double>(), 0.2345);
  EXPECT_DOUBLE_EQ(price["UnitPrice"].get<double>(), 0.88);  // the POSTPAID list price
  // The same figure DescribeZoneInstanceConfigInfos reports for the offer.
  json filters = {{{"Name", "zone"}, {"Values", {"ap-guangzhou-4"}}},
                  {{"Name", "instance-type"}, {"Values", {"S5.LARGE8"}}},
                  {{"Name", "instance-charge-type"}, {"Values", {"SPOTPAID"}}}};
  json item =
      Ok("DescribeZoneInstanceConfigInfos", {{"Filters", filters}})["InstanceTypeQuotaSet"][0];
  EXPECT_EQ(item["Price"]["UnitPriceDiscount"], price["UnitPriceDiscount"]);
}

}  // namespace
}  // namespace spotform::sim
