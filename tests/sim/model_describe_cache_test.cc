// DescribeInstances serves each instance from a cached JSON text (SimWorld::DescribeText).
// These tests prove the cache never serves stale data: every test describes the instances
// first (filling the cache), changes them through one kind of mutation, and checks that the
// next DescribeInstances shows the new state, field for field equal to a fresh rendering.
#include <map>
#include <string>
#include <vector>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class DescribeCacheTest : public ModelTest {
 protected:
  explicit DescribeCacheTest(const CloudModelOptions& options = {}) : ModelTest(options) {}

  json Describe(const std::vector<std::string>& ids) {
    return Ok("DescribeInstances", {{"InstanceIds", ids}, {"Limit", 100}});
  }
  // Every live instance rendered afresh (the control API's listing, which bypasses the
  // cache) without its sim-only fields, by id.
  std::map<std::string, json> Fresh() {
    std::map<std::string, json> fresh;
    for (json instance : model_.ListInstances()) {
      for (const char* key : {"SimRegion", "SimComputeEnvId", "SimComputeNodeId"}) {
        instance.erase(key);
      }
      fresh[instance["InstanceId"]] = instance;
    }
    return fresh;
  }
  // Describes `ids` (request order) and checks that the live ones, and only they, are shown,
  // each identical to a fresh rendering.
  void ExpectFresh(const std::vector<std::string>& ids) {
    std::map<std::string, json> fresh = Fresh();
    std::vector<std::string> live;
    for (const std::string& id : ids) {
      if (fresh.count(id)) live.push_back(id);
    }
    json out = Describe(ids);
    ASSERT_EQ(out["TotalCount"], live.size());
    ASSERT_EQ(out["InstanceSet"].size(), live.size());
    for (size_t i = 0; i < live.size(); ++i) {
      EXPECT_EQ(out["InstanceSet"][i], fresh[live[i]]) << live[i];
    }
  }
  std::string Field(const std::string& id, const char* field) {
    json out = Describe({id});
    if (out["InstanceSet"].empty()) return "<gone>";
    return out["InstanceSet"][0][field];
  }
  // Instance ids of a Batch environment's nodes, in node order.
  std::vector<std::string> NodeInstances(const std::string& env_id) {
    std::vector<std::string> ids;
    json env = Ok("DescribeComputeEnv", {{"EnvId", env_id}});
    for (const json& node : env["ComputeNodeSet"]) ids.push_back(node["ComputeNodeInstanceId"]);
    return ids;
  }
  std::string NodeIdOf(const std::string& env_id, const std::string& instance_id) {
    json env = Ok("DescribeComputeEnv", {{"EnvId", env_id}});
    for (const json& node : env["ComputeNodeSet"]) {
      if (node["ComputeNodeInstanceId"] == instance_id) return node["ComputeNodeId"];
    }
    return "";
  }
};

TEST_F(DescribeCacheTest, TickFromPendingToRunningIsShownAtOnce) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 3);
  EXPECT_EQ(Field(ids[0], "InstanceState"), "PENDING");
  EXPECT_EQ(Field(ids[0], "LatestOperationState"), "OPERATING");
  ExpectFresh(ids);
  Ticks(1);  // still PENDING: the cached text stays right
  ExpectFresh(ids);
  Ticks(1);
  EXPECT_EQ(Field(ids[0], "InstanceState"), "RUNNING");
  EXPECT_EQ(Field(ids[0], "LatestOperationState"), "SUCCESS");
  ExpectFresh(ids);
}

TEST_F(DescribeCacheTest, LaunchFailureIsShownThenTheInstanceIsGone) {
  ASSERT_TRUE(model_
                  .LoadScenario("market:\n  - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, "
                                "fail_next_launches: 1}\n")
                  .ok());
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  ExpectFresh(ids);
  Ticks(2);
  EXPECT_EQ(Field(ids[0], "InstanceState"), "LAUNCH_FAILED");
  EXPECT_EQ(Field(ids[0], "LatestOperationState"), "FAILED");
  EXPECT_EQ(Field(ids[0], "LatestOperationErrorMsg"),
            "ResourceInsufficient.SpecifiedInstanceType: the instance could not be launched "
            "(scenario launch failure)");
  EXPECT_EQ(Field(ids[1], "InstanceState"), "RUNNING");
  ExpectFresh(ids);
  Ticks(10);
  EXPECT_EQ(Field(ids[0], "InstanceState"), "<gone>");
  ExpectFresh(ids);
}

TEST_F(DescribeCacheTest, TerminateShowsTerminatingWithTheTerminateRequestThenGone) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  Ticks(2);
  EXPECT_EQ(Field(ids[0], "LatestOperation"), "RunInstances");
  EXPECT_EQ(Field(ids[0], "LatestOperationRequestId"), "req-1");
  ExpectFresh(ids);
  ASSERT_EQ(Code("TerminateInstances", {{"InstanceIds", {ids[0]}}}), "");
  const std::string terminate_request = "req-" + std::to_string(calls_);
  EXPECT_EQ(Field(ids[0], "InstanceState"), "TERMINATING");
  EXPECT_EQ(Field(ids[0], "LatestOperation"), "TerminateInstances");
  EXPECT_EQ(Field(ids[0], "LatestOperationRequestId"), terminate_request);
  EXPECT_EQ(Field(ids[0], "LatestOperationState"), "OPERATING");
  EXPECT_EQ(Field(ids[1], "InstanceState"), "RUNNING");
  ExpectFresh(ids);
  Ticks(2);
  EXPECT_EQ(Field(ids[0], "InstanceState"), "<gone>");
  EXPECT_EQ(Describe(ids)["TotalCount"], 1);
  ExpectFresh(ids);
}

TEST_F(DescribeCacheTest, ControlApiReclaimIsShownThenTheInstanceIsGone) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  Ticks(2);
  ExpectFresh(ids);
  ASSERT_TRUE(model_.Reclaim({ids[1]}).ok());
  EXPECT_EQ(Field(ids[1], "InstanceState"), "TERMINATING");
  EXPECT_EQ(Field(ids[1], "LatestOperation"), "TerminateInstances");
  ExpectFresh(ids);
  Ticks(2);
  EXPECT_EQ(Field(ids[1], "InstanceState"), "<gone>");
  ExpectFresh(ids);
}

TEST_F(DescribeCacheTest, LoweredCapacityReclaimsTheNewestAndIsShown) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 3);
  Ticks(2);
  ExpectFresh(ids);
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 1}).ok());
  EXPECT_EQ(Field(ids[0], "InstanceState"), "RUNNING");
  EXPECT_EQ(Field(ids[1], "InstanceState"), "TERMINATING");
  EXPECT_EQ(Field(ids[2], "InstanceState"), "TERMINATING");
  ExpectFresh(ids);
}

TEST_F(DescribeCacheTest, ScenarioPriceCapacityAndReclaimEventsAreShown) {
  ASSERT_TRUE(model_.LoadScenario(kMarketEvents).ok());
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 4);
  Ticks(2);
  ExpectFresh(ids);
  Ticks(1);  // tick 3: a price change does not touch the instances
  ExpectFresh(ids);
  Ticks(1);  // tick 4: the newest RUNNING instance is reclaimed
  EXPECT_EQ(Field(ids[3], "InstanceState"), "TERMINATING");
  EXPECT_EQ(Field(ids[2], "InstanceState"), "RUNNING");
  ExpectFresh(ids);
  Ticks(1);  // tick 5: capacity 1 reclaims all but the oldest
  EXPECT_EQ(Field(ids[0], "InstanceState"), "RUNNING");
  EXPECT_EQ(Field(ids[1], "InstanceState"), "TERMINATING");
  EXPECT_EQ(Field(ids[2], "InstanceState"), "TERMINATING");
  ExpectFresh(ids);
  Ticks(2);
  EXPECT_EQ(Describe(ids)["TotalCount"], 1);
  ExpectFresh(ids);
}

TEST_F(DescribeCacheTest, BatchNodeCreationAndTerminationAreShown) {
  std::string env_id = Ok("CreateComputeEnv", SpotComputeEnv(2))["EnvId"];
  Ticks(1);  // the reconciler launches two nodes
  std::vector<std::string> first = NodeInstances(env_id);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(Field(first[0], "InstanceState"), "PENDING");
  ExpectFresh(first);
  Ticks(2);
  EXPECT_EQ(Field(first[0], "InstanceState"), "RUNNING");
  ExpectFresh(first);

  ASSERT_EQ(Code("TerminateComputeNode",
                 {{"EnvId", env_id}, {"ComputeNodeId", NodeIdOf(env_id, first[0])}}),
            "");
  EXPECT_EQ(Field(first[0], "InstanceState"), "TERMINATING");
  EXPECT_EQ(Field(first[0], "LatestOperation"), "TerminateInstances");
  ExpectFresh(first);
  Ticks(2);  // gone, and the reconciler refilled the count with a new node
  EXPECT_EQ(Field(first[0], "InstanceState"), "<gone>");
  std::vector<std::string> now = NodeInstances(env_id);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0], first[1]);
  ExpectFresh(now);

  ASSERT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}), "");
  EXPECT_EQ(Field(now[0], "InstanceState"), "TERMINATING");
  ExpectFresh(now);
  Ticks(10);
  EXPECT_EQ(Describe(now)["TotalCount"], 0);
}

class DescribeCacheScaleInTest : public DescribeCacheTest {
 protected:
  static CloudModelOptions BatchPicks() {
    CloudModelOptions options;
    options.scale_in = ScaleInPolicy::kBatchPicks;
    return options;
  }
  DescribeCacheScaleInTest() : DescribeCacheTest(BatchPicks()) {}
};

TEST_F(DescribeCacheScaleInTest, NodesBatchReleasesOnScaleInAreShown) {
  std::string env_id = Ok("CreateComputeEnv", SpotComputeEnv(3))["EnvId"];
  Ticks(3);
  std::vector<std::string> nodes = NodeInstances(env_id);
  ASSERT_EQ(nodes.size(), 3u);
  ExpectFresh(nodes);
  ASSERT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 1}}), "");
  int terminating = 0;
  for (const std::string& id : nodes) terminating += Field(id, "InstanceState") == "TERMINATING";
  EXPECT_EQ(terminating, 2);
  ExpectFresh(nodes);
}

TEST_F(DescribeCacheTest, ListingsAndFiltersShowTheNewStateToo) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 3);
  auto by_state = [&](const std::string& state) {
    json filters = {{{"Name", "instance-state"}, {"Values", {state}}}};
    return Ok("DescribeInstances", {{"Filters", filters}})["TotalCount"].get<int>();
  };
  EXPECT_EQ(by_state("PENDING"), 3);
  json listing = Ok("DescribeInstances", json::object());
  EXPECT_EQ(listing["InstanceSet"][0]["InstanceState"], "PENDING");
  Ticks(2);
  EXPECT_EQ(by_state("PENDING"), 0);
  EXPECT_EQ(by_state("RUNNING"), 3);
  listing = Ok("DescribeInstances", json::object());
  std::map<std::string, json> fresh = Fresh();
  ASSERT_EQ(listing["InstanceSet"].size(), 3u);
  for (const json& instance : listing["InstanceSet"]) {
    EXPECT_EQ(instance, fresh[instance["InstanceId"]]);
  }
  json filtered =
      Ok("DescribeInstances", {{"Filters", {{{"Name", "instance-id"}, {"Values", {ids[1]}}}}}});
  EXPECT_EQ(filtered["InstanceSet"][0], fresh[ids[1]]);
}

TEST_F(DescribeCacheTest, AResetWorldShowsNoneOfTheOldInstances) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  ExpectFresh(ids);
  model_.Reset();
  EXPECT_EQ(Describe(ids)["TotalCount"], 0);
}

}  // namespace
}  // namespace spotform::sim
