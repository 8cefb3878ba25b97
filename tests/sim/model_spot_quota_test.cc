// The per-zone spot quota in vCPUs: RunInstances refuses launches over it
// (LimitExceeded.UserSpotQuota), instances use it while they hold a slot, and
// DescribeAccountQuota reports it.
#include <string>
#include <vector>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

CloudModelOptions QuotaOf(int64_t vcpus) {
  CloudModelOptions options;
  options.spot_quota = vcpus;
  return options;
}

json QuotaFilter(const std::string& name, std::vector<std::string> values) {
  return {{"Name", name}, {"Values", std::move(values)}};
}

// A new account: 10 vCPUs of spot quota per zone (S5.MEDIUM4 has 2 vCPUs, S5.LARGE8 4).
class SpotQuotaTest : public ModelTest {
 protected:
  SpotQuotaTest() : ModelTest(QuotaOf(10)) {}

  // The SpotPaidQuotaSet entry of `zone` (ap-guangzhou).
  json SpotQuotaOf(const std::string& zone) {
    json out = Ok("DescribeAccountQuota",
                  {{"Filters", {QuotaFilter("zone", {zone})}}})["AccountQuotaOverview"];
    const json& set = out["AccountQuota"]["SpotPaidQuotaSet"];
    EXPECT_EQ(set.size(), 1u) << out;
    return set.empty() ? json() : set[0];
  }
};

class UnlimitedQuotaTest : public ModelTest {};

TEST_F(SpotQuotaTest, LaunchOverTheQuotaFailsNamingTheZoneAndCreatesNothing) {
  Result<json> result = Call("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 6));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(result.error().message(),
            "You are short of the spot instance quota in ap-guangzhou-3: 10 vCPUs left of 10, "
            "InstanceCount needs 12 vCPUs (6 x S5.MEDIUM4, 2 vCPUs each)");
  EXPECT_EQ(InstanceCount(), 0);
  // Exactly the quota fits; then nothing more in that zone.
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 5).size(), 5u);
  result = Call("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), "LimitExceeded.UserSpotQuota");
  EXPECT_NE(result.error().message().find("ap-guangzhou-3: 0 vCPUs left of 10"), std::string::npos)
      << result.error().message();
  EXPECT_EQ(InstanceCount(), 5);
}

TEST_F(SpotQuotaTest, TheQuotaIsPerZoneAndCountsVcpusNotInstances) {
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.LARGE8", 2).size(), 2u);  // 8 of 10 vCPUs
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.LARGE8", 1)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 1).size(), 1u);  // the last 2 vCPUs
  EXPECT_EQ(Launch("ap-guangzhou-4", "S5.LARGE8", 2).size(), 2u);   // its own 10
}

TEST_F(SpotQuotaTest, PostpaidInstancesDoNotUseTheSpotQuota) {
  json params = {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                 {"InstanceType", "S5.MEDIUM4"},
                 {"ImageId", "img-pmqg1cw7"},
                 {"InstanceCount", 8}};
  EXPECT_EQ(Code("RunInstances", params), "");
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["UsedQuota"], 0);
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 5).size(), 5u);
}

TEST_F(SpotQuotaTest, TerminatingInstancesHoldTheirVcpusUntilTheyAreGone) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 5);
  Ticks(2);
  ASSERT_EQ(StateOf(ids[0]), "RUNNING");
  ASSERT_EQ(Code("TerminateInstances", {{"InstanceIds", {ids[0], ids[1]}}}), "");
  ASSERT_EQ(StateOf(ids[0]), "TERMINATING");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["UsedQuota"], 10);
  Ticks(2);
  ASSERT_EQ(StateOf(ids[0]), "");
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["UsedQuota"], 6);
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 2).size(), 2u);
}

TEST_F(SpotQuotaTest, LaunchFailedInstancesFreeTheirVcpus) {
  ASSERT_TRUE(model_
                  .LoadScenario("spot_quota: 4\n"
                                "market:\n"
                                "  - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4,\n"
                                "     price: 0.09, capacity: 10, fail_next_launches: 1}\n")
                  .ok());
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["UsedQuota"], 4);
  Ticks(2);
  ASSERT_EQ(StateOf(ids[0]), "LAUNCH_FAILED");
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["UsedQuota"], 2);
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 1).size(), 1u);
  Ticks(10);  // the failed one vanishes: nothing more is released
  EXPECT_EQ(StateOf(ids[0]), "");
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["UsedQuota"], 4);
}

TEST_F(SpotQuotaTest, ControlSetsOneZoneOrEveryZoneUntilReset) {
  ASSERT_TRUE(model_.SetSpotQuota("ap-guangzhou-3", 2).ok());
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 2)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(Launch("ap-guangzhou-4", "S5.MEDIUM4", 5).size(), 5u);  // still 10 there
  ASSERT_TRUE(model_.SetSpotQuota(std::nullopt, 100).ok());
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 50).size(), 50u);
  ASSERT_TRUE(model_.SetSpotQuota("ap-guangzhou-3", std::nullopt).ok());  // unlimited
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 100).size(), 100u);

  Status unknown = model_.SetSpotQuota("ap-nowhere-1", 5);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), "InvalidParameterValue.ZoneNotSupported");
  EXPECT_FALSE(model_.SetSpotQuota(std::nullopt, -1).ok());

  model_.Reset();  // back to the option's 10 per zone
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 6)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 5).size(), 5u);
}

TEST_F(UnlimitedQuotaTest, TheDefaultQuotaIsUnlimited) {
  // 100 x 8 vCPUs = 800 vCPUs in one zone, far over a new account's 50.
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.2XLARGE16", 100).size(), 100u);
  json out = Ok("DescribeAccountQuota", {{"Filters", {QuotaFilter("zone", {"ap-guangzhou-3"})}}});
  json entry = out["AccountQuotaOverview"]["AccountQuota"]["SpotPaidQuotaSet"][0];
  EXPECT_EQ(entry["TotalQuota"], 100000);
  EXPECT_EQ(entry["UsedQuota"], 800);
  EXPECT_EQ(entry["RemainingQuota"], 100000 - 800);
}

TEST_F(SpotQuotaTest, DescribeAccountQuotaHasTheSdkShapeWithOneSpotEntryPerZone) {
  Launch("ap-guangzhou-3", "S5.LARGE8", 2);
  json out = Ok("DescribeAccountQuota", json::object());
  EXPECT_EQ(out["AppId"], 1300000000);
  ASSERT_TRUE(out["AppId"].is_number_integer());
  const json& overview = out["AccountQuotaOverview"];
  EXPECT_EQ(overview["Region"], "ap-guangzhou");
  const json& quota = overview["AccountQuota"];
  for (const char* set :
       {"PostPaidQuotaSet", "PrePaidQuotaSet", "ImageQuotaSet", "DisasterRecoverGroupQuotaSet"}) {
    EXPECT_EQ(quota[set], json::array()) << set;
  }
  EXPECT_EQ(quota.size(), 5u) << quota;
  const json& spot = quota["SpotPaidQuotaSet"];
  ASSERT_EQ(spot.size(), 4u);  // ap-guangzhou-3, -4, -6, -7
  EXPECT_EQ(spot[0], json({{"UsedQuota", 8},
                           {"RemainingQuota", 2},
                           {"TotalQuota", 10},
                           {"Zone", "ap-guangzhou-3"}}));
  EXPECT_EQ(spot[1], json({{"UsedQuota", 0},
                           {"RemainingQuota", 10},
                           {"TotalQuota", 10},
                           {"Zone", "ap-guangzhou-4"}}));
  EXPECT_EQ(spot[3]["Zone"], "ap-guangzhou-7");
  // Shanghai lists its own zones, and the Guangzhou instances are not in them.
  json shanghai = Ok("DescribeAccountQuota", json::object(), "ap-shanghai");
  EXPECT_EQ(shanghai["AccountQuotaOverview"]["Region"], "ap-shanghai");
  const json& shanghai_spot = shanghai["AccountQuotaOverview"]["AccountQuota"]["SpotPaidQuotaSet"];
  ASSERT_EQ(shanghai_spot.size(), 3u);
  for (const json& entry : shanghai_spot) EXPECT_EQ(entry["UsedQuota"], 0);
}

TEST_F(SpotQuotaTest, DescribeAccountQuotaFilters) {
  json out = Ok("DescribeAccountQuota",
                {{"Filters", {QuotaFilter("zone", {"ap-guangzhou-4", "ap-guangzhou-6"})}}});
  const json& spot = out["AccountQuotaOverview"]["AccountQuota"]["SpotPaidQuotaSet"];
  ASSERT_EQ(spot.size(), 2u);
  EXPECT_EQ(spot[0]["Zone"], "ap-guangzhou-4");
  EXPECT_EQ(spot[1]["Zone"], "ap-guangzhou-6");

  json prepaid_only =
      Ok("DescribeAccountQuota", {{"Filters", {QuotaFilter("quota-type", {"PrePaidQuotaSet"})}}});
  EXPECT_EQ(prepaid_only["AccountQuotaOverview"]["AccountQuota"]["SpotPaidQuotaSet"],
            json::array());
  json spot_only = Ok("DescribeAccountQuota", {{"Filters",
                                                {QuotaFilter("quota-type", {"SpotPaidQuotaSet"}),
                                                 QuotaFilter("zone", {"ap-guangzhou-3"})}}});
  EXPECT_EQ(spot_only["AccountQuotaOverview"]["AccountQuota"]["SpotPaidQuotaSet"].size(), 1u);

  EXPECT_EQ(Code("DescribeAccountQuota", {{"Filters", {QuotaFilter("instance-type", {"S5"})}}}),
            "InvalidFilter");
  EXPECT_EQ(
      Code("DescribeAccountQuota", {{"Filters", {QuotaFilter("quota-type", {"SpotQuotaSet"})}}}),
      "InvalidFilter");
  EXPECT_EQ(Code("DescribeAccountQuota", {{"Filters", {QuotaFilter("zone", {"ap-shanghai-2"})}}}),
            "InvalidZone.MismatchRegion");
  EXPECT_EQ(Code("DescribeAccountQuota",
                 {{"Filters", {QuotaFilter("zone", {"a", "b", "c", "d", "e", "f"})}}}),
            "InvalidFilterValue.LimitExceeded");
  EXPECT_EQ(Code("DescribeAccountQuota", json::object(), "ap-mars"), "UnsupportedRegion");
  EXPECT_EQ(CloudModel::ProductOf("DescribeAccountQuota"), "cvm");
}

TEST_F(SpotQuotaTest, BatchNodesIgnoreTheQuotaButUseIt) {
  // 3 BS1.LARGE8 nodes = 12 vCPUs, over the 10 of the zone: Batch launches them anyway.
  json env = Ok("CreateComputeEnv", SpotComputeEnv(3));
  Ticks(3);
  json described = Ok("DescribeComputeEnv", {{"EnvId", env["EnvId"]}});
  EXPECT_EQ(described["ComputeNodeMetrics"]["RunningCount"], 3) << described;
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["UsedQuota"], 12);
  EXPECT_EQ(SpotQuotaOf("ap-guangzhou-3")["RemainingQuota"], 0);
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)),
            "LimitExceeded.UserSpotQuota");
}

}  // namespace
}  // namespace spotform::sim
