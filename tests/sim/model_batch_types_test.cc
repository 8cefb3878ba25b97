// Batch fallback instance types in the emulator: EnvData.InstanceTypes tried in order (stock
// and price at or under the bid), a placeholder while none is usable, and ModifyComputeEnv
// EnvData.InstanceTypes for the nodes created afterwards.
#include <algorithm>
#include <string>
#include <vector>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class BatchTypesTest : public ModelTest {
 protected:
  // A spot environment naming `types` as EnvData.InstanceTypes (no InstanceType).
  static json TypesEnv(int desired, const std::vector<std::string>& types,
                       const std::string& max_price = "0.50") {
    json params = SpotComputeEnv(desired, max_price);
    params["ComputeEnv"]["EnvData"].erase("InstanceType");
    params["ComputeEnv"]["EnvData"]["InstanceTypes"] = types;
    return params;
  }
  std::string Create(int desired, const std::vector<std::string>& types,
                     const std::string& max_price = "0.50") {
    return Ok("CreateComputeEnv", TypesEnv(desired, types, max_price))["EnvId"];
  }
  // The instance types of the environment's nodes that have an instance, sorted.
  std::vector<std::string> NodeTypes(const std::string& env_id) {
    json env = Ok("DescribeComputeEnv", {{"EnvId", env_id}});
    std::vector<std::string> types;
    for (const json& node : env["ComputeNodeSet"]) {
      const std::string id = node["ComputeNodeInstanceId"].get<std::string>();
      if (id.empty()) continue;
      json instance = Ok("DescribeInstances", {{"InstanceIds", {id}}})["InstanceSet"][0];
      types.push_back(instance["InstanceType"].get<std::string>());
    }
    std::sort(types.begin(), types.end());
    return types;
  }
  // ModifyComputeEnv, ticking while the environment is busy with an earlier request.
  std::string ModifyWhenIdle(const json& params) {
    std::string code;
    for (int i = 0; i < 20; ++i) {
      code = Code("ModifyComputeEnv", params);
      if (code != "UnsupportedOperation.ComputeEnvAcceptOtherRequest") return code;
      Ticks(1);
    }
    return code;
  }
};

TEST_F(BatchTypesTest, UsesTheFirstTypeWhileItHasStock) {
  std::string env_id = Create(2, {"S5.MEDIUM4", "SA2.MEDIUM4"});
  Ticks(3);
  EXPECT_EQ(NodeTypes(env_id), (std::vector<std::string>{"S5.MEDIUM4", "S5.MEDIUM4"}));
}

TEST_F(BatchTypesTest, FallsBackToTheSecondTypeWhenTheFirstIsSoldOut) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 0}).ok());
  std::string env_id = Create(2, {"S5.MEDIUM4", "SA2.MEDIUM4"});
  Ticks(3);
  EXPECT_EQ(NodeTypes(env_id), (std::vector<std::string>{"SA2.MEDIUM4", "SA2.MEDIUM4"}));
}

TEST_F(BatchTypesTest, FallsBackPastATypePricedAboveTheBid) {
  // S5.MEDIUM4 0.09 and SA2.MEDIUM4 0.07 in the default market: a bid of 0.08 takes SA2 only.
  std::string env_id = Create(1, {"S5.MEDIUM4", "SA2.MEDIUM4"}, "0.08");
  Ticks(3);
  EXPECT_EQ(NodeTypes(env_id), std::vector<std::string>{"SA2.MEDIUM4"});
}

TEST_F(BatchTypesTest, WaitsAsAPlaceholderWhileNoTypeIsUsable) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 0}).ok());
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "SA2.MEDIUM4", std::nullopt, 0}).ok());
  std::string env_id = Create(1, {"S5.MEDIUM4", "SA2.MEDIUM4"});
  Ticks(3);
  json env = Ok("DescribeComputeEnv", {{"EnvId", env_id}});
  ASSERT_EQ(env["ComputeNodeSet"].size(), 1u);
  EXPECT_EQ(env["ComputeNodeSet"][0]["ComputeNodeInstanceId"], "");
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "SA2.MEDIUM4", std::nullopt, 5}).ok());
  Ticks(3);
  EXPECT_EQ(NodeTypes(env_id), std::vector<std::string>{"SA2.MEDIUM4"});
}

TEST_F(BatchTypesTest, CreateRefusesBadLists) {
  json both = TypesEnv(1, {"S5.MEDIUM4"});
  both["ComputeEnv"]["EnvData"]["InstanceType"] = "S5.MEDIUM4";
  EXPECT_EQ(Code("CreateComputeEnv", both), "InvalidParameter.InvalidParameterCombination");
  std::vector<std::string> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back("S5.MEDIUM4");
  EXPECT_NE(Code("CreateComputeEnv", TypesEnv(1, eleven)), "");
  EXPECT_EQ(Code("CreateComputeEnv", TypesEnv(1, {"S5.MEDIUM4", "S5.MEDIUM4"})),
            "InvalidParameterValue.InstanceTypeDuplicate");
  EXPECT_EQ(Code("CreateComputeEnv", TypesEnv(1, {"S5.MEDIUM4", "ZZ9.HUGE1"})),
            "InvalidParameterValue.InstanceType");
  EXPECT_EQ(Code("CreateComputeEnv", TypesEnv(1, {})), "InvalidParameterValue.InstanceTypesEmpty");
}

TEST_F(BatchTypesTest, ModifiedTypesApplyToNodesCreatedAfterwards) {
  std::string env_id = Create(1, {"S5.MEDIUM4"});
  Ticks(3);
  EXPECT_EQ(NodeTypes(env_id), std::vector<std::string>{"S5.MEDIUM4"});
  EXPECT_EQ(ModifyWhenIdle({{"EnvId", env_id}, {"EnvData", {{"InstanceTypes", {"SA2.MEDIUM4"}}}}}),
            "");
  EXPECT_EQ(ModifyWhenIdle({{"EnvId", env_id}, {"DesiredComputeNodeCount", 2}}), "");
  Ticks(3);
  // The first node keeps its type; the new one is of the new list.
  EXPECT_EQ(NodeTypes(env_id), (std::vector<std::string>{"S5.MEDIUM4", "SA2.MEDIUM4"}));
}

TEST_F(BatchTypesTest, ModifyTakesOnlyInstanceTypesInEnvData) {
  std::string env_id = Create(1, {"S5.MEDIUM4"});
  EXPECT_NE(
      ModifyWhenIdle(
          {{"EnvId", env_id},
           {"EnvData", {{"InstanceTypes", {"SA2.MEDIUM4"}}, {"InstanceType", "SA2.MEDIUM4"}}}}),
      "");
  EXPECT_EQ(ModifyWhenIdle({{"EnvId", env_id},
                            {"EnvData", {{"InstanceTypes", {"SA2.MEDIUM4", "SA2.MEDIUM4"}}}}}),
            "InvalidParameterValue.InstanceTypeDuplicate");
  EXPECT_EQ(ModifyWhenIdle({{"EnvId", env_id}, {"EnvData", {{"InstanceTypes", {"ZZ9.HUGE1"}}}}}),
            "InvalidParameterValue.InstanceType");
}

}  // namespace
}  // namespace spotform::sim
