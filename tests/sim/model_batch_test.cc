// Batch actions: CreateComputeEnv, Describe*, Modify, TerminateComputeNode(s), Delete,
// activities, and their error codes.
#include <string>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class BatchTest : public ModelTest {
 protected:
  std::string CreateEnv(int desired) {
    return Ok("CreateComputeEnv", SpotComputeEnv(desired))["EnvId"];
  }
  json Env(const std::string& env_id) { return Ok("DescribeComputeEnv", {{"EnvId", env_id}}); }
  std::vector<std::string> NodeIds(const std::string& env_id) {
    std::vector<std::string> ids;
    json env = Env(env_id);  // keep the document alive while iterating it
    for (const json& node : env["ComputeNodeSet"]) ids.push_back(node["ComputeNodeId"]);
    return ids;
  }
};

TEST_F(BatchTest, CreateReturnsAnEnvThatFillsAsynchronously) {
  std::string env_id = CreateEnv(2);
  EXPECT_EQ(env_id.size(), 12u);
  EXPECT_EQ(env_id.substr(0, 4), "env-");
  json env = Env(env_id);
  EXPECT_EQ(env["EnvName"], "render");
  EXPECT_EQ(env["DesiredComputeNodeCount"], 2);
  EXPECT_EQ(env["ComputeNodeSet"].size(), 0u);
  EXPECT_EQ(env["NextAction"], "");
  EXPECT_EQ(env["ResourceType"], "CVM");
  EXPECT_EQ(env["CreateTime"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(env["Placement"]["Zone"], "ap-guangzhou-3");

  Ticks(1);
  env = Env(env_id);
  ASSERT_EQ(env["ComputeNodeSet"].size(), 2u);
  const json& node = env["ComputeNodeSet"][0];
  EXPECT_EQ(node["ComputeNodeState"], "CREATING");
  EXPECT_EQ(node["ComputeNodeId"].get<std::string>().substr(0, 5), "node-");
  EXPECT_EQ(node["ResourceOrigin"], "BATCH_CREATED");
  EXPECT_EQ(node["Cpu"], 4);
  EXPECT_EQ(node["Mem"], 8);
  EXPECT_EQ(env["ComputeNodeMetrics"]["CreatingCount"], 2);

  // Each node is a SPOTPAID CVM instance carrying the env's tags.
  std::string instance_id = node["ComputeNodeInstanceId"];
  json instance = Ok("DescribeInstances", {{"InstanceIds", {instance_id}}})["InstanceSet"][0];
  EXPECT_EQ(instance["InstanceChargeType"], "SPOTPAID");
  EXPECT_EQ(instance["InstanceType"], "BS1.LARGE8");
  EXPECT_EQ(instance["Tags"], json::parse(R"([{"Key":"team","Value":"vfx"}])"));

  Ticks(2);
  env = Env(env_id);
  EXPECT_EQ(env["ComputeNodeSet"][0]["ComputeNodeState"], "RUNNING");
  EXPECT_EQ(env["ComputeNodeMetrics"]["RunningCount"], 2);
}

TEST_F(BatchTest, CreateValidatesItsInput) {
  json params = SpotComputeEnv(2);
  params["ComputeEnv"]["DesiredComputeNodeCount"] = 2001;
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameterValue.ComputeEnv");
  params["ComputeEnv"]["DesiredComputeNodeCount"] = -1;
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameterValue.Negative");
  params = SpotComputeEnv(2);
  params["ComputeEnv"]["EnvData"]["ImageId"] = "img-x";
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameter.ImageIdMalformed");
  params = SpotComputeEnv(2);
  params["ComputeEnv"]["EnvData"]["InstanceTypes"] = {"S5.MEDIUM4"};
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameter.InvalidParameterCombination");
  params["ComputeEnv"]["EnvData"].erase("InstanceType");
  params["ComputeEnv"]["EnvData"]["InstanceTypes"] = {"S5.MEDIUM4", "S5.MEDIUM4"};
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameterValue.InstanceTypeDuplicate");
  params["ComputeEnv"]["EnvData"]["InstanceTypes"] = {"C5.LARGE8"};
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameterValue.InstanceType");
  params["ComputeEnv"]["EnvData"]["InstanceTypes"] = json::array();
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameterValue.InstanceTypesEmpty");
  params = SpotComputeEnv(2);
  params["ComputeEnv"]["EnvData"]["InstanceMarketOptions"]["SpotOptions"]["MaxPrice"] = "x";
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameterValue.NotFloat");
  params = SpotComputeEnv(2);
  params["ComputeEnv"]["EnvData"]["InstanceChargeType"] = "PREPAID";
  EXPECT_EQ(Code("CreateComputeEnv", params),
            "InvalidParameterValue.UnsupportedBatchInstanceChargeType");
  params = SpotComputeEnv(2);
  params["ComputeEnv"]["EnvName"] = std::string(61, 'n');
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameter.EnvNameTooLong");
  params = SpotComputeEnv(2);
  params["ComputeEnv"].erase("EnvName");
  EXPECT_EQ(Code("CreateComputeEnv", params), "MissingParameter");
  params = SpotComputeEnv(2);
  json tags = json::array();
  for (int i = 0; i < 11; ++i) tags.push_back({{"Key", "k" + std::to_string(i)}, {"Value", "v"}});
  params["ComputeEnv"]["Tags"] = tags;
  EXPECT_EQ(Code("CreateComputeEnv", params), "InvalidParameterValue.ComputeEnv");
  EXPECT_EQ(Code("CreateComputeEnv", SpotComputeEnv(2, "0.5", "ap-shanghai-2")),
            "InvalidZone.MismatchRegion");
  EXPECT_EQ(Code("CreateComputeEnv", SpotComputeEnv(2, "0.5", "ap-guangzhou-1")),
            "InvalidParameterValue.UnavailableZone");
  EXPECT_EQ(Ok("DescribeComputeEnvs", json::object())["TotalCount"], 0);
}

TEST_F(BatchTest, CreateClientTokenReplayReturnsTheSameEnv) {
  json params = SpotComputeEnv(1);
  params["ClientToken"] = "env-token";
  std::string first = Ok("CreateComputeEnv", params)["EnvId"];
  EXPECT_EQ(Ok("CreateComputeEnv", params)["EnvId"], first);
  EXPECT_EQ(Ok("DescribeComputeEnvs", json::object())["TotalCount"], 1);
}

TEST_F(BatchTest, AtMostTenEnvsPerRegion) {
  for (int i = 0; i < 10; ++i) CreateEnv(0);
  EXPECT_EQ(Code("CreateComputeEnv", SpotComputeEnv(0)), "LimitExceeded.ComputeEnvQuota");
  EXPECT_EQ(Code("CreateComputeEnv", SpotComputeEnv(0, "0.5", "ap-shanghai-2"), "ap-shanghai"), "");
}

TEST_F(BatchTest, EnvIdErrors) {
  EXPECT_EQ(Code("DescribeComputeEnv", {{"EnvId", "env-1"}}), "InvalidParameter.EnvIdMalformed");
  EXPECT_EQ(Code("DescribeComputeEnv", {{"EnvId", "env-zzzzzzzz"}}), "ResourceNotFound.ComputeEnv");
  EXPECT_EQ(Code("DescribeComputeEnv", json::object()), "MissingParameter");
  std::string env_id = CreateEnv(0);
  EXPECT_EQ(Code("DescribeComputeEnv", {{"EnvId", env_id}}, "ap-shanghai"),
            "ResourceNotFound.ComputeEnv");
  for (const char* action :
       {"ModifyComputeEnv", "DeleteComputeEnv", "DescribeComputeEnvActivities"}) {
    EXPECT_EQ(Code(action, {{"EnvId", "env-zzzzzzzz"}}), "ResourceNotFound.ComputeEnv") << action;
  }
}

TEST_F(BatchTest, DescribeComputeEnvsFiltersAndPages) {
  std::string a = CreateEnv(0);
  json other = SpotComputeEnv(0, "0.5", "ap-guangzhou-4");
  other["ComputeEnv"]["EnvName"] = "ml";
  other["ComputeEnv"]["Tags"] = {{{"Key", "team"}, {"Value", "ml"}}};
  std::string b = Ok("CreateComputeEnv", other)["EnvId"];
  json all = Ok("DescribeComputeEnvs", json::object());
  EXPECT_EQ(all["TotalCount"], 2);
  EXPECT_EQ(all["ComputeEnvSet"][0]["EnvId"], a);
  EXPECT_FALSE(all["ComputeEnvSet"][0].contains("ComputeNodeSet"));
  auto filtered = [&](const std::string& name, const std::string& value) {
    json out = Ok("DescribeComputeEnvs", {{"Filters", {{{"Name", name}, {"Values", {value}}}}}});
    return out["TotalCount"].get<int>() == 1 ? out["ComputeEnvSet"][0]["EnvId"].get<std::string>()
                                             : std::string("?");
  };
  EXPECT_EQ(filtered("zone", "ap-guangzhou-4"), b);
  EXPECT_EQ(filtered("env-name", "render"), a);
  EXPECT_EQ(filtered("env-id", b), b);
  EXPECT_EQ(filtered("tag:team", "ml"), b);
  EXPECT_EQ(filtered("tag-value", "vfx"), a);
  EXPECT_EQ(Ok("DescribeComputeEnvs", {{"EnvIds", {b}}})["ComputeEnvSet"][0]["EnvId"], b);
  json page = Ok("DescribeComputeEnvs", {{"Offset", 1}, {"Limit", 1}});
  EXPECT_EQ(page["TotalCount"], 2);
  EXPECT_EQ(page["ComputeEnvSet"][0]["EnvId"], b);
  EXPECT_EQ(Code("DescribeComputeEnvs",
                 {{"EnvIds", {a}}, {"Filters", {{{"Name", "zone"}, {"Values", {"x"}}}}}}),
            "InvalidParameter.InvalidParameterCombination");
  EXPECT_EQ(Code("DescribeComputeEnvs", {{"Filters", {{{"Name", "state"}, {"Values", {"x"}}}}}}),
            "InvalidFilter");
  EXPECT_EQ(Code("DescribeComputeEnvs", {{"Limit", 101}}), "InvalidParameterValue.LimitExceeded");
  EXPECT_EQ(Code("DescribeComputeEnvs", {{"EnvIds", {"env-bad"}}}),
            "InvalidParameter.EnvIdMalformed");
}

TEST_F(BatchTest, ModifyChangesTheDesiredCountAndMakesTheEnvBusy) {
  std::string env_id = CreateEnv(1);
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 3}}), "");
  EXPECT_EQ(Env(env_id)["DesiredComputeNodeCount"], 3);
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 4}}),
            "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
  EXPECT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}),
            "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
  EXPECT_EQ(Env(env_id)["DesiredComputeNodeCount"], 3);
  Ticks(1);
  EXPECT_EQ(Env(env_id)["ComputeNodeSet"].size(), 3u);
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"EnvName", "renamed"}}), "");
  EXPECT_EQ(Env(env_id)["EnvName"], "renamed");
}

TEST_F(BatchTest, ModifyValidatesItsInput) {
  std::string env_id = CreateEnv(1);
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 2001}}),
            "InvalidParameterValue.LimitExceeded");
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", -2}}),
            "InvalidParameterValue.Negative");
  EXPECT_EQ(Code("ModifyComputeEnv",
                 {{"EnvId", env_id}, {"EnvData", {{"InstanceTypes", json::array()}}}}),
            "InvalidParameterValue.InstanceTypesEmpty");
  EXPECT_EQ(
      Code("ModifyComputeEnv", {{"EnvId", env_id}, {"EnvData", {{"ImageId", "img-pmqg1cw7"}}}}),
      "InvalidParameter");
  EXPECT_EQ(
      Code("ModifyComputeEnv",
           {{"EnvId", env_id}, {"EnvData", {{"InstanceTypes", {"S5.MEDIUM4", "BS1.LARGE8"}}}}}),
      "");
  // Failed calls did not make the env busy; the last one did.
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 1}}),
            "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
}

TEST_F(BatchTest, TerminateComputeNodeErrors) {
  std::string env_id = CreateEnv(2);
  Ticks(1);
  std::vector<std::string> nodes = NodeIds(env_id);
  auto terminate = [&](const std::string& node) {
    return Code("TerminateComputeNode", {{"EnvId", env_id}, {"ComputeNodeId", node}});
  };
  EXPECT_EQ(terminate(nodes[0]), "UnsupportedOperation.ComputeNodeForbidTerminate");  // CREATING
  Ticks(2);
  EXPECT_EQ(terminate("node-1"), "InvalidParameter.ComputeNodeIdMalformed");
  EXPECT_EQ(terminate("node-zzzzzzzz"), "ResourceNotFound.ComputeNode");
  EXPECT_EQ(terminate(nodes[0]), "");
  Ticks(1);
  EXPECT_EQ(terminate(nodes[0]), "UnsupportedOperation.ComputeNodeIsTerminating");
  EXPECT_EQ(
      Code("TerminateComputeNodes", {{"EnvId", env_id}, {"ComputeNodeIds", {nodes[1], nodes[1]}}}),
      "UnsupportedOperation.ComputeNodeIsTerminating");
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back(nodes[1]);
  EXPECT_EQ(Code("TerminateComputeNodes", {{"EnvId", env_id}, {"ComputeNodeIds", many}}),
            "InvalidParameterValue.LimitExceeded");
  EXPECT_EQ(Code("TerminateComputeNodes", {{"EnvId", env_id}, {"ComputeNodeIds", json::array()}}),
            "MissingParameter");
}

TEST_F(BatchTest, TerminateComputeNodesIsAllOrNothing) {
  std::string env_id = CreateEnv(2);
  Ticks(3);
  std::vector<std::string> nodes = NodeIds(env_id);
  EXPECT_EQ(Code("TerminateComputeNodes",
                 {{"EnvId", env_id}, {"ComputeNodeIds", {nodes[0], "node-zzzzzzzz"}}}),
            "ResourceNotFound.ComputeNode");
  EXPECT_EQ(Env(env_id)["ComputeNodeMetrics"]["RunningCount"], 2);
  EXPECT_EQ(Code("TerminateComputeNodes", {{"EnvId", env_id}, {"ComputeNodeIds", nodes}}), "");
  EXPECT_EQ(Env(env_id)["ComputeNodeMetrics"]["DeletingCount"], 2);
}

TEST_F(BatchTest, DeleteTearsDownNodesThenTheEnv) {
  std::string env_id = CreateEnv(2);
  Ticks(3);
  EXPECT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}), "");
  json env = Env(env_id);
  EXPECT_EQ(env["NextAction"], "DELETING");
  EXPECT_EQ(env["ComputeNodeMetrics"]["DeletingCount"], 2);
  Ticks(1);
  EXPECT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}),
            "UnsupportedOperation.ComputeEnvOperation");
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 5}}),
            "UnsupportedOperation.ComputeEnvOperation");
  Ticks(1);
  EXPECT_EQ(Code("DescribeComputeEnv", {{"EnvId", env_id}}), "ResourceNotFound.ComputeEnv");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(BatchTest, DeleteAnEnvWithPendingNodes) {
  std::string env_id = CreateEnv(2);
  Ticks(1);  // nodes CREATING
  EXPECT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}), "");
  Ticks(2);
  EXPECT_EQ(Code("DescribeComputeEnv", {{"EnvId", env_id}}), "ResourceNotFound.ComputeEnv");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(BatchTest, ActivitiesRecordCreationAndTermination) {
  std::string env_id = CreateEnv(1);
  Ticks(3);
  std::string node = NodeIds(env_id)[0];
  ASSERT_EQ(Code("TerminateComputeNode", {{"EnvId", env_id}, {"ComputeNodeId", node}}), "");
  Ticks(2);
  json out =
      Ok("DescribeComputeEnvActivities",
         {{"EnvId", env_id}, {"Filters", {{"Name", "compute-node-id"}, {"Values", {node}}}}});
  ASSERT_EQ(out["TotalCount"], 2);
  const json& create = out["ActivitySet"][0];
  EXPECT_EQ(create["ComputeNodeActivityType"], "CREATE_COMPUTE_NODE");
  EXPECT_EQ(create["ActivityState"], "SUCCEED");
  EXPECT_EQ(create["EnvId"], env_id);
  EXPECT_EQ(create["ComputeNodeId"], node);
  EXPECT_EQ(create["InstanceId"].get<std::string>().substr(0, 4), "ins-");
  const json& terminate = out["ActivitySet"][1];
  EXPECT_EQ(terminate["ComputeNodeActivityType"], "TERMINATE_COMPUTE_NODE");
  EXPECT_EQ(terminate["ActivityState"], "SUCCEED");
  EXPECT_EQ(terminate["Cause"], "TerminateComputeNode request");
  // The refill (kRefills) is a third activity for another node.
  EXPECT_EQ(Ok("DescribeComputeEnvActivities", {{"EnvId", env_id}})["TotalCount"], 3);
  EXPECT_EQ(
      Ok("DescribeComputeEnvActivities", {{"EnvId", env_id}, {"Limit", 1}})["ActivitySet"].size(),
      1u);
  EXPECT_EQ(
      Code("DescribeComputeEnvActivities",
           {{"EnvId", env_id}, {"Filters", {{"Name", "compute-node-id"}, {"Values", {"node-x"}}}}}),
      "InvalidParameter.ComputeNodeIdMalformed");
  EXPECT_EQ(Code("DescribeComputeEnvActivities",
                 {{"EnvId", env_id}, {"Filters", {{"Name", "state"}, {"Values", {"x"}}}}}),
            "InvalidFilter");
  EXPECT_EQ(Code("DescribeComputeEnvActivities", {{"EnvId", env_id}, {"Limit", 101}}),
            "InvalidParameterValue.LimitExceeded");
}

}  // namespace
}  // namespace spotform::sim
