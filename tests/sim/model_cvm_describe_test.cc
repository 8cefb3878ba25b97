// DescribeInstances, DescribeInstancesStatus, DescribeZoneInstanceConfigInfos.
#include <set>
#include <string>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class CvmDescribeTest : public ModelTest {
 protected:
  json Tagged(const std::string& zone, int count, const std::string& team) {
    json params = SpotRun(zone, "S5.MEDIUM4", count);
    params["TagSpecification"] = {
        {{"ResourceType", "instance"}, {"Tags", {{{"Key", "team"}, {"Value", team}}}}}};
    return Ok("RunInstances", params)["InstanceIdSet"];
  }
  static json Filter(const std::string& name, const std::vector<std::string>& values) {
    return {{"Name", name}, {"Values", values}};
  }
  std::set<std::string> IdsOf(const json& out) {
    std::set<std::string> ids;
    for (const json& instance : out["InstanceSet"]) ids.insert(instance["InstanceId"]);
    return ids;
  }
};

TEST_F(CvmDescribeTest, NoArgumentsListsTheRegionWithDefaultLimit20) {
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 25);
  Ok("RunInstances", SpotRun("ap-shanghai-2", "S5.MEDIUM4", 1), "ap-shanghai");
  json out = Ok("DescribeInstances", json::object());
  EXPECT_EQ(out["TotalCount"], 25);
  EXPECT_EQ(out["InstanceSet"].size(), 20u);
  EXPECT_EQ(Ok("DescribeInstances", json::object(), "ap-shanghai")["TotalCount"], 1);
}

TEST_F(CvmDescribeTest, PagingIsStableAndCoversEveryInstanceOnce) {
  std::vector<std::string> launched = Launch("ap-guangzhou-3", "S5.MEDIUM4", 45);
  std::vector<std::string> seen;
  for (int offset = 0; offset < 45; offset += 20) {
    json page = Ok("DescribeInstances", {{"Offset", offset}, {"Limit", 20}});
    EXPECT_EQ(page["TotalCount"], 45);
    for (const json& instance : page["InstanceSet"]) seen.push_back(instance["InstanceId"]);
  }
  EXPECT_EQ(seen, launched);
  EXPECT_EQ(Ok("DescribeInstances", {{"Offset", 100}})["InstanceSet"].size(), 0u);
}

TEST_F(CvmDescribeTest, LimitAbove100AndNegativeOffsetAreRejected) {
  EXPECT_EQ(Code("DescribeInstances", {{"Limit", 101}}), "InvalidParameterValue.LimitExceeded");
  EXPECT_EQ(Code("DescribeInstances", {{"Offset", -1}}), "InvalidParameterValue");
  EXPECT_EQ(Code("DescribeInstances", {{"Limit", 100}}), "");
}

TEST_F(CvmDescribeTest, IdsLookUpExactlyAndUnknownIdsAreAbsent) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 3);
  json out = Ok("DescribeInstances", {{"InstanceIds", {ids[2], "ins-zzzzzzzz", ids[0], ids[2]}}});
  EXPECT_EQ(out["TotalCount"], 2);
  EXPECT_EQ(out["InstanceSet"][0]["InstanceId"], ids[2]);
  EXPECT_EQ(out["InstanceSet"][1]["InstanceId"], ids[0]);
  // An instance of another region is invisible.
  EXPECT_EQ(Ok("DescribeInstances", {{"InstanceIds", {ids[0]}}}, "ap-shanghai")["TotalCount"], 0);
}

TEST_F(CvmDescribeTest, MalformedOrTooManyIdsAreRejected) {
  EXPECT_EQ(Code("DescribeInstances", {{"InstanceIds", {"ins-1122"}}}),
            "InvalidInstanceId.Malformed");
  EXPECT_EQ(Code("DescribeInstances", {{"InstanceIds", {"i-12345678"}}}),
            "InvalidInstanceId.Malformed");
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back("ins-aaaaaaaa");
  EXPECT_EQ(Code("DescribeInstances", {{"InstanceIds", many}}),
            "InvalidParameterValue.LimitExceeded");
}

TEST_F(CvmDescribeTest, IdsAndFiltersTogetherAreInvalidParameter) {
  EXPECT_EQ(Code("DescribeInstances", {{"InstanceIds", {"ins-aaaaaaaa"}},
                                       {"Filters", {Filter("zone", {"ap-guangzhou-3"})}}}),
            "InvalidParameter");
}

TEST_F(CvmDescribeTest, FiltersAndAcrossOrWithin) {
  json vfx3 = Tagged("ap-guangzhou-3", 2, "vfx");
  json vfx4 = Tagged("ap-guangzhou-4", 1, "vfx");
  json ml3 = Tagged("ap-guangzhou-3", 1, "ml");
  // A vector, not a json: `json x = {one}` is a copy of `one` for clang, an array for gcc.
  auto describe = [&](const std::vector<json>& filters) {
    return IdsOf(Ok("DescribeInstances", {{"Filters", json(filters)}}));
  };
  EXPECT_EQ(describe({Filter("zone", {"ap-guangzhou-3"})}).size(), 3u);
  EXPECT_EQ(describe({Filter("zone", {"ap-guangzhou-3", "ap-guangzhou-4"})}).size(), 4u);
  EXPECT_EQ(describe({Filter("zone", {"ap-guangzhou-3"}), Filter("tag:team", {"vfx"})}),
            (std::set<std::string>{vfx3[0], vfx3[1]}));
  EXPECT_EQ(describe({Filter("tag-key", {"team"})}).size(), 4u);
  EXPECT_EQ(describe({Filter("tag-value", {"ml"})}), (std::set<std::string>{ml3[0]}));
  EXPECT_EQ(describe({Filter("instance-state", {"PENDING"})}).size(), 4u);
  EXPECT_EQ(describe({Filter("instance-state", {"RUNNING"})}).size(), 0u);
  EXPECT_EQ(describe({Filter("instance-charge-type", {"SPOTPAID"})}).size(), 4u);
  EXPECT_EQ(describe({Filter("instance-charge-type", {"POSTPAID_BY_HOUR"})}).size(), 0u);
  EXPECT_EQ(describe({Filter("instance-id", {vfx4[0], "ins-zzzzzzzz"})}),
            (std::set<std::string>{vfx4[0]}));
  EXPECT_EQ(describe({Filter("instance-id", {vfx4[0]}), Filter("zone", {"ap-guangzhou-3"})}).size(),
            0u);
  EXPECT_EQ(describe({Filter("instance-name", {"未命名"})}).size(), 4u);
  Ticks(2);
  EXPECT_EQ(describe({Filter("instance-state", {"RUNNING"})}).size(), 4u);
}

TEST_F(CvmDescribeTest, FilterErrors) {
  EXPECT_EQ(Code("DescribeInstances", {{"Filters", {Filter("colour", {"red"})}}}), "InvalidFilter");
  EXPECT_EQ(
      Code("DescribeInstances", {{"Filters", {Filter("zone", {"a", "b", "c", "d", "e", "f"})}}}),
      "InvalidFilterValue.LimitExceeded");
  EXPECT_EQ(
      Code("DescribeInstances", {{"Filters", {Filter("creation-start-time", {"yesterday"})}}}),
      "InvalidParameterValue.InvalidTimeFormat");
  EXPECT_EQ(Code("DescribeInstances", {{"Filters", {{{"Name", "zone"}}}}}), "MissingParameter");
}

TEST_F(CvmDescribeTest, CreationTimeFilters) {
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 1);
  clock_.Advance(std::chrono::hours(2));
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 1);
  json filters = json::array({Filter("creation-start-time", {"2026-01-01 01:00:00"})});
  EXPECT_EQ(Ok("DescribeInstances", {{"Filters", filters}})["TotalCount"], 1);
}

TEST_F(CvmDescribeTest, InstancesStatusListsIdsAndStates) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 3);
  json out = Ok("DescribeInstancesStatus", {{"InstanceIds", {ids[1]}}});
  EXPECT_EQ(out["TotalCount"], 1);
  EXPECT_EQ(out["InstanceStatusSet"][0],
            json({{"InstanceId", ids[1]}, {"InstanceState", "PENDING"}}));
  out = Ok("DescribeInstancesStatus", {{"Limit", 2}});
  EXPECT_EQ(out["TotalCount"], 3);
  EXPECT_EQ(out["InstanceStatusSet"].size(), 2u);
  EXPECT_EQ(Code("DescribeInstancesStatus", {{"InstanceIds", {"bad"}}}),
            "InvalidInstanceId.Malformed");
}

TEST_F(CvmDescribeTest, ZoneConfigInfosShowPriceStockAndStatus) {
  json filters = {Filter("zone", {"ap-guangzhou-3"}), Filter("instance-type", {"S5.MEDIUM4"}),
                  Filter("instance-charge-type", {"SPOTPAID"})};
  json out = Ok("DescribeZoneInstanceConfigInfos", {{"Filters", filters}});
  ASSERT_EQ(out["InstanceTypeQuotaSet"].size(), 1u);
  json item = out["InstanceTypeQuotaSet"][0];
  EXPECT_EQ(item["Zone"], "ap-guangzhou-3");
  EXPECT_EQ(item["InstanceChargeType"], "SPOTPAID");
  EXPECT_EQ(item["Status"], "SELL");
  EXPECT_EQ(item["StatusCategory"], "EnoughStock");
  EXPECT_EQ(item["InstanceFamily"], "S5");
  EXPECT_EQ(item["Cpu"], 2);
  EXPECT_DOUBLE_EQ(item["Price"]["UnitPriceDiscount"].get<double>(), 0.09);
  EXPECT_EQ(item["Price"]["ChargeUnit"], "HOUR");

  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", 0.2, 10}).ok());
  json low =
      Ok("DescribeZoneInstanceConfigInfos", {{"Filters", filters}})["InstanceTypeQuotaSet"][0];
  EXPECT_EQ(low["StatusCategory"], "UnderStock");
  EXPECT_DOUBLE_EQ(low["Price"]["UnitPriceDiscount"].get<double>(), 0.2);
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 0}).ok());
  json none =
      Ok("DescribeZoneInstanceConfigInfos", {{"Filters", filters}})["InstanceTypeQuotaSet"][0];
  EXPECT_EQ(none["Status"], "SOLD_OUT");
  EXPECT_EQ(none["StatusCategory"], "WithoutStock");
}

TEST_F(CvmDescribeTest, ZoneConfigInfosShowSoldOutWhenInstancesTakeTheLastSlot) {
  json filters = {Filter("zone", {"ap-guangzhou-3"}), Filter("instance-type", {"S5.MEDIUM4"}),
                  Filter("instance-charge-type", {"SPOTPAID"})};
  auto item = [&] {
    return Ok("DescribeZoneInstanceConfigInfos", {{"Filters", filters}})["InstanceTypeQuotaSet"][0];
  };
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 3}).ok());
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  EXPECT_EQ(item()["Status"], "SELL");
  EXPECT_EQ(item()["StatusCategory"], "UnderStock");
  std::vector<std::string> last = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1);
  EXPECT_EQ(item()["Status"], "SOLD_OUT");  // capacity 3, free 0
  EXPECT_EQ(item()["StatusCategory"], "WithoutStock");
  // The slot comes back once the instance is gone, not while it is TERMINATING.
  Ticks(2);
  ASSERT_EQ(Code("TerminateInstances", {{"InstanceIds", last}}), "");
  EXPECT_EQ(item()["Status"], "SOLD_OUT");
  Ticks(2);
  EXPECT_EQ(item()["Status"], "SELL");
}

TEST_F(CvmDescribeTest, ZoneConfigInfosCoverOnlyTheRegionAndBothChargeTypes) {
  json out = Ok("DescribeZoneInstanceConfigInfos", json::object(), "ap-shanghai");
  std::set<std::string> charges;
  for (const json& item : out["InstanceTypeQuotaSet"]) {
    EXPECT_EQ(item["Zone"].get<std::string>().rfind("ap-shanghai-", 0), 0u);
    charges.insert(item["InstanceChargeType"]);
  }
  EXPECT_EQ(charges, (std::set<std::string>{"SPOTPAID", "POSTPAID_BY_HOUR"}));
  EXPECT_EQ(Code("DescribeZoneInstanceConfigInfos", {{"Filters", {Filter("gpu", {"1"})}}}),
            "InvalidFilter");
  // Batch's copy answers the same shape.
  EXPECT_EQ(Ok("DescribeCvmZoneInstanceConfigInfos", json::object())["InstanceTypeQuotaSet"].size(),
            Ok("DescribeZoneInstanceConfigInfos", json::object())["InstanceTypeQuotaSet"].size());
}

}  // namespace
}  // namespace spotform::sim
