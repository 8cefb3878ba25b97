// TencentCloud's Batch Compute verbs against a scripted ApiCaller: exact requests, paging,
// chunking, decoding and errors.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "providers/tencent/tencent_cloud.h"
#include "tests/support/spec_builders.h"
#include "tests/tencent/scripted_api_caller.h"

namespace spotform {
namespace {

using nlohmann::json;

json MetricsJson() {
  return {{"SubmittedCount", 0}, {"CreatingCount", 1}, {"CreationFailedCount", 0},
          {"CreatedCount", 0},   {"RunningCount", 2},  {"DeletingCount", 0},
          {"AbnormalCount", 0}};
}

json EnvJson(const std::string& id) {
  return {{"EnvId", id},
          {"EnvName", "farm"},
          {"Placement", {{"Zone", "ap-guangzhou-3"}}},
          {"CreateTime", "2026-01-01T00:00:10Z"},
          {"ComputeNodeMetrics", MetricsJson()},
          {"EnvType", "MANAGED"},
          {"DesiredComputeNodeCount", 3},
          {"ResourceType", "CVM"},
          {"NextAction", ""},
          {"AttachedComputeNodeCount", 0},
          {"Tags", {{{"Key", "spotform-env"}, {"Value", "farm"}}}}};
}

json DescribeEnvReply() {
  json reply = EnvJson("env-c96rwhnf");
  reply["ComputeNodeSet"] = json::parse(R"([
    {"ComputeNodeId": "node-00000001", "ComputeNodeInstanceId": "ins-00000001",
     "ComputeNodeState": "RUNNING", "Cpu": 2, "Mem": 4},
    {"ComputeNodeId": "node-00000002", "ComputeNodeInstanceId": "ins-00000002",
     "ComputeNodeState": "RUNNING", "Cpu": 2, "Mem": 4},
    {"ComputeNodeId": "node-00000003", "ComputeNodeInstanceId": "",
     "ComputeNodeState": "CREATING", "Cpu": 2, "Mem": 4}])");
  return reply;
}

class TencentCloudBatchTest : public ::testing::Test {
 protected:
  ScriptedApiCaller caller_;
  TencentCloud cloud_{caller_, TencentCloudOptions{"ap-guangzhou", 4}};
};

ComputeEnvSpec FarmSpec() {
  ComputeEnvSpec spec = testing::ComputeEnvOf("farm", 3, "create-farm-1");
  spec.tags = {{"spotform-env", "farm"}};
  return spec;
}

TEST_F(TencentCloudBatchTest, CreateSendsAManagedSpotEnvironmentWithToken) {
  caller_.Reply("CreateComputeEnv", {{"EnvId", "env-c96rwhnf"}});

  Result<std::string> env_id = cloud_.CreateComputeEnv(FarmSpec());

  ASSERT_TRUE(env_id.ok()) << env_id.error().ToString();
  EXPECT_EQ(*env_id, "env-c96rwhnf");
  ApiRequest request = caller_.requests().at(0);
  EXPECT_EQ(request.service, "batch");
  EXPECT_EQ(request.version, "2017-03-12");
  EXPECT_EQ(request.region, "ap-guangzhou");
  EXPECT_EQ(request.params, json::parse(R"({
    "ComputeEnv": {
      "EnvName": "farm",
      "EnvType": "MANAGED",
      "EnvData": {
        "InstanceType": "S5.MEDIUM4",
        "ImageId": "img-pmqg1cw7",
        "InstanceChargeType": "SPOTPAID",
        "InstanceMarketOptions": {"MarketType": "spot",
                                  "SpotOptions": {"MaxPrice": "0.30",
                                                  "SpotInstanceType": "one-time"}}
      },
      "DesiredComputeNodeCount": 3,
      "Tags": [{"Key": "spotform-env", "Value": "farm"}]
    },
    "Placement": {"Zone": "ap-guangzhou-3"},
    "ClientToken": "create-farm-1"
  })"));
}

TEST_F(TencentCloudBatchTest, CreateRefusesADesiredCountAbove2000AndAMissingToken) {
  ComputeEnvSpec spec = FarmSpec();
  spec.desired_count = 2001;
  Result<std::string> too_many = cloud_.CreateComputeEnv(spec);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().message(),
            "CreateComputeEnv farm ap-guangzhou-3 S5.MEDIUM4: desired count 2001 is outside "
            "0..2000");
  spec = FarmSpec();
  spec.client_token.clear();
  Result<std::string> no_token = cloud_.CreateComputeEnv(spec);
  ASSERT_FALSE(no_token.ok());
  EXPECT_EQ(no_token.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudBatchTest, DescribeReadsNodesMetricsAndDesiredCount) {
  caller_.Reply("DescribeComputeEnv", DescribeEnvReply());

  Result<ComputeEnv> env = cloud_.DescribeComputeEnv("env-c96rwhnf");

  ASSERT_TRUE(env.ok()) << env.error().ToString();
  EXPECT_EQ(caller_.requests().at(0).params, (json{{"EnvId", "env-c96rwhnf"}}));
  EXPECT_EQ(env->info.id, "env-c96rwhnf");
  EXPECT_EQ(env->info.name, "farm");
  EXPECT_EQ(env->info.zone, "ap-guangzhou-3");
  EXPECT_EQ(env->info.desired_count, 3);
  EXPECT_EQ(env->info.next_action, "");
  EXPECT_EQ(env->info.metrics.running, 2);
  EXPECT_EQ(env->info.metrics.creating, 1);
  EXPECT_EQ(env->info.tags, (Tags{{"spotform-env", "farm"}}));
  ASSERT_EQ(env->nodes.size(), 3u);
  EXPECT_EQ(env->nodes[0].id, "node-00000001");
  EXPECT_EQ(env->nodes[0].instance_id, "ins-00000001");
  EXPECT_EQ(env->nodes[0].state, ComputeNodeState::kRunning);
  EXPECT_EQ(env->nodes[2].instance_id, "");
  EXPECT_EQ(env->nodes[2].state, ComputeNodeState::kCreating);
  EXPECT_EQ(env->nodes[2].state_text, "CREATING");
}

TEST_F(TencentCloudBatchTest, DescribeOfAnUnknownEnvironmentIsNotFound) {
  caller_.Fail("DescribeComputeEnv", Error(ErrorKind::kNotFound, "compute env not found",
                                           "ResourceNotFound.ComputeEnv", "rid-1"));

  Result<ComputeEnv> env = cloud_.DescribeComputeEnv("env-00000000");

  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(env.error().code(), "ResourceNotFound.ComputeEnv");
  EXPECT_EQ(env.error().message(), "DescribeComputeEnv env-00000000: compute env not found");
}

TEST_F(TencentCloudBatchTest, DescribeNamesMissingNodeAndMetricFields) {
  json reply = DescribeEnvReply();
  reply["ComputeNodeSet"][1].erase("ComputeNodeState");
  caller_.Reply("DescribeComputeEnv", reply);
  Result<ComputeEnv> env = cloud_.DescribeComputeEnv("env-c96rwhnf");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().message(),
            "DescribeComputeEnv: response field ComputeNodeSet[1].ComputeNodeState missing");

  reply = DescribeEnvReply();
  reply["ComputeNodeMetrics"].erase("RunningCount");
  caller_.Reply("DescribeComputeEnv", reply);
  env = cloud_.DescribeComputeEnv("env-c96rwhnf");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().message(),
            "DescribeComputeEnv: response field ComputeNodeMetrics.RunningCount missing");

  reply = DescribeEnvReply();
  reply["DesiredComputeNodeCount"] = "3";
  caller_.Reply("DescribeComputeEnv", reply);
  env = cloud_.DescribeComputeEnv("env-c96rwhnf");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().message(),
            "DescribeComputeEnv: response field DesiredComputeNodeCount has type string, "
            "expected integer");
}

TEST_F(TencentCloudBatchTest, ListPagesWithZoneNameAndTagFilters) {
  caller_.On("DescribeComputeEnvs", [](const ApiRequest& request) -> Result<json> {
    int offset = request.params.at("Offset").get<int>();
    json set = json::array();
    for (int i = offset; i < std::min(130, offset + 100); ++i) {
      set.push_back(EnvJson("env-" + std::to_string(10000000 + i)));
    }
    return json{{"TotalCount", 130}, {"ComputeEnvSet", set}};
  });

  Result<std::vector<ComputeEnvInfo>> envs =
      cloud_.ListComputeEnvs(ComputeEnvQuery{{{"spotform-env", "farm"}}, "ap-guangzhou-3", "farm"});

  ASSERT_TRUE(envs.ok()) << envs.error().ToString();
  EXPECT_EQ(envs->size(), 130u);
  EXPECT_EQ(envs->front().id, "env-10000000");
  EXPECT_EQ(envs->back().id, "env-10000129");
  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 2u);
  std::set<int> offsets;
  for (const ApiRequest& request : requests) {
    offsets.insert(request.params["Offset"].get<int>());
    json expected = json::parse(R"({"Limit": 100, "Filters": [
      {"Name": "zone", "Values": ["ap-guangzhou-3"]},
      {"Name": "env-name", "Values": ["farm"]},
      {"Name": "tag:spotform-env", "Values": ["farm"]}]})");
    expected["Offset"] = request.params["Offset"];
    EXPECT_EQ(request.params, expected);
  }
  EXPECT_EQ(offsets, (std::set<int>{0, 100}));
}

TEST_F(TencentCloudBatchTest, SetDesiredCountSendsModifyComputeEnv) {
  caller_.Reply("ModifyComputeEnv", json::object());

  ASSERT_TRUE(cloud_.SetDesiredCount("env-c96rwhnf", 0).ok());

  ApiRequest request = caller_.requests().at(0);
  EXPECT_EQ(request.action, "ModifyComputeEnv");
  EXPECT_EQ(request.params, (json{{"EnvId", "env-c96rwhnf"}, {"DesiredComputeNodeCount", 0}}));
  Status negative = cloud_.SetDesiredCount("env-c96rwhnf", -1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message(),
            "ModifyComputeEnv env-c96rwhnf desired -1: desired count -1 is outside 0..2000");
  EXPECT_EQ(caller_.requests().size(), 1u);
}

TEST_F(TencentCloudBatchTest, SetDesiredCountErrorKeepsTheBusyCode) {
  caller_.Fail("ModifyComputeEnv",
               Error(ErrorKind::kRetryable, "env is processing another request",
                     "UnsupportedOperation.ComputeEnvAcceptOtherRequest", "rid-4"));

  Status status = cloud_.SetDesiredCount("env-c96rwhnf", 2);

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
  EXPECT_EQ(status.error().message(),
            "ModifyComputeEnv env-c96rwhnf desired 2: env is processing another request");
}

TEST_F(TencentCloudBatchTest, TerminateNodesGoesInChunksOfHundredInOrder) {
  caller_.Reply("TerminateComputeNodes", json::object());
  std::vector<std::string> nodes;
  for (int i = 0; i < 250; ++i) nodes.push_back("node-" + std::to_string(10000000 + i));

  ASSERT_TRUE(cloud_.TerminateComputeNodes("env-c96rwhnf", nodes).ok());

  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(
      requests[0].params,
      (json{{"EnvId", "env-c96rwhnf"},
            {"ComputeNodeIds", std::vector<std::string>(nodes.begin(), nodes.begin() + 100)}}));
  EXPECT_EQ(requests[1].params["ComputeNodeIds"].size(), 100u);
  EXPECT_EQ(requests[2].params["ComputeNodeIds"],
            json(std::vector<std::string>(nodes.begin() + 200, nodes.end())));
}

TEST_F(TencentCloudBatchTest, TerminateNodesStopsAtTheFirstFailedChunk) {
  caller_.Fail("TerminateComputeNodes",
               Error(ErrorKind::kNotFound, "no such node", "ResourceNotFound.ComputeNode"));
  std::vector<std::string> nodes;
  for (int i = 0; i < 150; ++i) nodes.push_back("node-" + std::to_string(10000000 + i));

  Status status = cloud_.TerminateComputeNodes("env-c96rwhnf", nodes);

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            "TerminateComputeNodes env-c96rwhnf node-10000000 and 99 more: no such node");
  EXPECT_EQ(caller_.requests().size(), 1u);
}

TEST_F(TencentCloudBatchTest, DeleteSendsTheEnvId) {
  caller_.Reply("DeleteComputeEnv", json::object());

  ASSERT_TRUE(cloud_.DeleteComputeEnv("env-c96rwhnf").ok());

  EXPECT_EQ(caller_.requests().at(0).params, (json{{"EnvId", "env-c96rwhnf"}}));
}

TEST_F(TencentCloudBatchTest, ActivitiesArePagedAndDecoded) {
  caller_.On("DescribeComputeEnvActivities", [](const ApiRequest& request) -> Result<json> {
    int offset = request.params.at("Offset").get<int>();
    json set = json::array();
    for (int i = offset; i < std::min(150, offset + 100); ++i) {
      set.push_back({{"ActivityId", "act-" + std::to_string(i)},
                     {"ComputeNodeId", "node-00000001"},
                     {"ComputeNodeActivityType", "CREATE_COMPUTE_NODE"},
                     {"EnvId", "env-c96rwhnf"},
                     {"Cause", "scale out"},
                     {"ActivityState", "FAILED"},
                     {"StateReason", "InvalidParameterValue.InsufficientOffering"},
                     {"StartTime", "2026-01-01T00:00:00Z"},
                     {"EndTime", nullptr},
                     {"InstanceId", nullptr}});
    }
    return json{{"TotalCount", 150}, {"ActivitySet", set}};
  });

  Result<std::vector<ComputeEnvActivity>> activities =
      cloud_.DescribeComputeEnvActivities("env-c96rwhnf");

  ASSERT_TRUE(activities.ok()) << activities.error().ToString();
  ASSERT_EQ(activities->size(), 150u);
  const ComputeEnvActivity& last = activities->back();
  EXPECT_EQ(last.id, "act-149");
  EXPECT_EQ(last.type, "CREATE_COMPUTE_NODE");
  EXPECT_EQ(last.state, "FAILED");
  EXPECT_EQ(last.reason, "InvalidParameterValue.InsufficientOffering");
  EXPECT_EQ(last.end_time, "");
  EXPECT_EQ(last.instance_id, "");
  std::set<json> params;
  for (const ApiRequest& request : caller_.requests()) params.insert(request.params);
  EXPECT_EQ(params,
            (std::set<json>{json{{"EnvId", "env-c96rwhnf"}, {"Offset", 0}, {"Limit", 100}},
                            json{{"EnvId", "env-c96rwhnf"}, {"Offset", 100}, {"Limit", 100}}}));
}

}  // namespace
}  // namespace spotform
