// The Batch reconciler: fill-up, retry on stock/price, refill, the refill trap, and the
// scale-in / terminate-node switches in all four combinations.
#include <string>
#include <tuple>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

json SpotEnv(int desired, const std::string& max_price = "0.50") {
  return {{"ComputeEnv",
           {{"EnvName", "farm"},
            {"DesiredComputeNodeCount", desired},
            {"EnvData",
             {{"InstanceTypes", {"S5.MEDIUM4", "SA2.MEDIUM4"}},
              {"ImageId", "img-pmqg1cw7"},
              {"InstanceChargeType", "SPOTPAID"},
              {"InstanceMarketOptions", {{"SpotOptions", {{"MaxPrice", max_price}}}}}}}}},
          {"Placement", {{"Zone", "ap-guangzhou-3"}}}};
}

class ReconcilerFixture : public ModelTest {
 protected:
  explicit ReconcilerFixture(const CloudModelOptions& options = {}) : ModelTest(options) {}

  std::string Create(int desired, const std::string& max_price = "0.50") {
    return Ok("CreateComputeEnv", SpotEnv(desired, max_price))["EnvId"];
  }
  json Env(const std::string& env_id) { return Ok("DescribeComputeEnv", {{"EnvId", env_id}}); }
  int64_t Desired(const std::string& env_id) {
    return Env(env_id)["DesiredComputeNodeCount"].get<int64_t>();
  }
  // Nodes that are CREATING or RUNNING.
  int Live(const std::string& env_id) {
    json metrics = Env(env_id)["ComputeNodeMetrics"];
    return metrics["CreatingCount"].get<int>() + metrics["RunningCount"].get<int>();
  }
  int Running(const std::string& env_id) {
    return Env(env_id)["ComputeNodeMetrics"]["RunningCount"].get<int>();
  }
  int NodeCount(const std::string& env_id) {
    return static_cast<int>(Env(env_id)["ComputeNodeSet"].size());
  }
  // Instance id of the newest RUNNING node.
  std::string NewestRunningInstance(const std::string& env_id) {
    std::string id;
    json env = Env(env_id);  // keep the document alive while iterating it
    for (const json& node : env["ComputeNodeSet"]) {
      if (node["ComputeNodeState"] == "RUNNING") id = node["ComputeNodeInstanceId"];
    }
    return id;
  }
  std::string Modify(const std::string& env_id, int desired) {
    return Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", desired}});
  }
};

class ReconcilerTest : public ReconcilerFixture {};

TEST_F(ReconcilerTest, FillsUpToTheDesiredCount) {
  std::string env_id = Create(3);
  Ticks(3);
  EXPECT_EQ(Running(env_id), 3);
  EXPECT_EQ(NodeCount(env_id), 3);
  Ticks(5);
  EXPECT_EQ(NodeCount(env_id), 3);  // stable
}

TEST_F(ReconcilerTest, RetriesWhileStockIsShortAndRecordsFailures) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 1}).ok());
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "SA2.MEDIUM4", std::nullopt, 0}).ok());
  std::string env_id = Create(3);
  Ticks(1);
  // One node got the last slot; the two others exist as SUBMITTED placeholders.
  json env = Env(env_id);
  EXPECT_EQ(env["ComputeNodeSet"].size(), 3u);
  EXPECT_EQ(env["ComputeNodeMetrics"]["CreatingCount"], 1);
  EXPECT_EQ(env["ComputeNodeMetrics"]["SubmittedCount"], 2);
  Ticks(1);  // their retry fails: CREATION_FAILED, with the reason in a FAILED activity
  EXPECT_EQ(Env(env_id)["ComputeNodeMetrics"]["CreationFailedCount"], 2);
  json activities = Ok("DescribeComputeEnvActivities", {{"EnvId", env_id}});
  ASSERT_EQ(activities["TotalCount"], 3);
  EXPECT_EQ(activities["ActivitySet"][0]["ActivityState"], "PROCESSING");
  EXPECT_EQ(activities["ActivitySet"][1]["ActivityState"], "FAILED");
  EXPECT_EQ(activities["ActivitySet"][1]["StateReason"],
            "InvalidParameterValue.InsufficientOffering: S5.MEDIUM4 is out of stock in "
            "ap-guangzhou-3");
  // Stock returns: the next tick gives both placeholders an instance.
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "SA2.MEDIUM4", std::nullopt, 5}).ok());
  Ticks(1);
  EXPECT_EQ(Live(env_id), 3);
  EXPECT_EQ(NodeCount(env_id), 3);
}

TEST_F(ReconcilerTest, WaitsWhileTheBidIsBelowTheMarket) {
  std::string env_id = Create(2, "0.05");  // S5.MEDIUM4 0.09, SA2.MEDIUM4 0.07
  Ticks(3);
  json env = Env(env_id);
  EXPECT_EQ(env["ComputeNodeSet"].size(), 2u);  // placeholders, no instance
  EXPECT_EQ(env["ComputeNodeMetrics"]["CreationFailedCount"], 2);
  EXPECT_EQ(InstanceCount(), 0);
  json activities = Ok("DescribeComputeEnvActivities", {{"EnvId", env_id}});
  // One activity per node: a failure repeating the same reason is not logged again.
  EXPECT_EQ(activities["TotalCount"], 2);
  EXPECT_EQ(activities["ActivitySet"][0]["StateReason"].get<std::string>().rfind(
                "InvalidParameterValue.InsufficientPrice", 0),
            0u);
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "SA2.MEDIUM4", 0.04, std::nullopt}).ok());
  Ticks(1);
  EXPECT_EQ(Live(env_id), 2);
  json node = Env(env_id)["ComputeNodeSet"][0];
  json instance =
      Ok("DescribeInstances", {{"InstanceIds", {node["ComputeNodeInstanceId"]}}})["InstanceSet"][0];
  EXPECT_EQ(instance["InstanceType"], "SA2.MEDIUM4");  // the second type was usable
}

TEST_F(ReconcilerTest, RefillsANodeReclaimedByTheMarket) {
  std::string env_id = Create(2);
  Ticks(3);
  ASSERT_TRUE(model_.Reclaim({NewestRunningInstance(env_id)}).ok());
  EXPECT_EQ(Live(env_id), 1);
  Ticks(1);
  EXPECT_EQ(Live(env_id), 2);
  Ticks(2);
  EXPECT_EQ(Running(env_id), 2);
  EXPECT_EQ(NodeCount(env_id), 2);  // the reclaimed node is gone
}

TEST_F(ReconcilerTest, RefillsLaunchFailures) {
  ASSERT_TRUE(model_
                  .LoadScenario("market:\n"
                                "  - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, "
                                "fail_next_launches: 1}\n")
                  .ok());
  std::string env_id = Create(1);
  Ticks(3);  // launched at tick 1, LAUNCH_FAILED at tick 3
  json env = Env(env_id);
  EXPECT_EQ(env["ComputeNodeMetrics"]["CreationFailedCount"], 1);
  Ticks(1);
  EXPECT_EQ(Live(env_id), 1);
  Ticks(2);
  EXPECT_EQ(Running(env_id), 1);
}

TEST_F(ReconcilerTest, RefillTrapTerminatingThroughCvmWithoutLoweringIsRefilled) {
  std::string env_id = Create(2);
  Ticks(3);
  std::string victim = NewestRunningInstance(env_id);
  ASSERT_EQ(Code("TerminateInstances", {{"InstanceIds", {victim}}}), "");
  EXPECT_EQ(Live(env_id), 1);  // the node is DELETING in Batch's view too
  Ticks(3);
  EXPECT_EQ(Running(env_id), 2);
  EXPECT_EQ(Desired(env_id), 2);
  EXPECT_EQ(StateOf(victim), "");
}

TEST_F(ReconcilerTest, RefillTrapLoweringFirstThenTerminatingIsNotRefilled) {
  std::string env_id = Create(2);
  Ticks(3);
  ASSERT_EQ(Modify(env_id, 1), "");  // manual scale-in: nothing destroyed yet
  Ticks(1);
  EXPECT_EQ(Running(env_id), 2);
  std::string victim = NewestRunningInstance(env_id);
  ASSERT_EQ(Code("TerminateInstances", {{"InstanceIds", {victim}}}), "");
  Ticks(5);
  EXPECT_EQ(Running(env_id), 1);
  EXPECT_EQ(NodeCount(env_id), 1);
}

// All four switch combinations.
class SwitchTest
    : public ReconcilerFixture,
      public ::testing::WithParamInterface<std::tuple<ScaleInPolicy, TerminateNodePolicy>> {
 protected:
  static CloudModelOptions Options() {
    CloudModelOptions options;
    options.scale_in = std::get<0>(GetParam());
    options.terminate_node = std::get<1>(GetParam());
    return options;
  }
  SwitchTest() : ReconcilerFixture(Options()) {}
  bool BatchPicks() const { return std::get<0>(GetParam()) == ScaleInPolicy::kBatchPicks; }
  bool Decrements() const { return std::get<1>(GetParam()) == TerminateNodePolicy::kDecrements; }
};

TEST_P(SwitchTest, LoweringTheDesiredCount) {
  std::string env_id = Create(4);
  Ticks(3);
  ASSERT_EQ(Running(env_id), 4);
  ASSERT_EQ(Modify(env_id, 1), "");
  EXPECT_EQ(Desired(env_id), 1);
  Ticks(3);
  // batch-picks destroys 3 nodes itself; manual keeps the surplus forever.
  EXPECT_EQ(Running(env_id), BatchPicks() ? 1 : 4);
  Ticks(5);
  EXPECT_EQ(Running(env_id), BatchPicks() ? 1 : 4);
}

TEST_P(SwitchTest, ScaleInDestroysOnlyCreatedNodes) {
  std::string env_id = Create(2);
  Ticks(3);
  ASSERT_EQ(Modify(env_id, 4), "");
  Ticks(1);  // two new nodes CREATING
  ASSERT_EQ(Live(env_id), 4);
  if (BatchPicks()) {
    // Lowering by 3 needs 3 RUNNING nodes; CREATING ones may not be destroyed.
    EXPECT_EQ(Modify(env_id, 1), "UnsupportedOperation.NotEnoughComputeNodesToTerminate");
    EXPECT_EQ(Desired(env_id), 4);
    EXPECT_EQ(Live(env_id), 4);
  }
  ASSERT_EQ(Modify(env_id, 2), "");
  json env = Env(env_id);
  if (BatchPicks()) {  // the two RUNNING nodes go, never the CREATING ones
    EXPECT_EQ(env["ComputeNodeMetrics"]["RunningCount"], 0);
    EXPECT_EQ(env["ComputeNodeMetrics"]["CreatingCount"], 2);
    EXPECT_EQ(env["ComputeNodeMetrics"]["DeletingCount"], 2);
  } else {
    EXPECT_EQ(Live(env_id), 4);
  }
}

TEST_P(SwitchTest, TerminatingANodeThroughBatch) {
  std::string env_id = Create(3);
  Ticks(3);
  std::string node = Env(env_id)["ComputeNodeSet"][0]["ComputeNodeId"];
  ASSERT_EQ(Code("TerminateComputeNode", {{"EnvId", env_id}, {"ComputeNodeId", node}}), "");
  EXPECT_EQ(Desired(env_id), Decrements() ? 2 : 3);
  Ticks(4);
  EXPECT_EQ(Running(env_id), Decrements() ? 2 : 3);
  EXPECT_EQ(NodeCount(env_id), Decrements() ? 2 : 3);
}

TEST_P(SwitchTest, LowerFirstThenReleaseTheSurplus) {
  // The ordering rule spotform follows: lower the count, confirm, then release what is left.
  std::string env_id = Create(4);
  Ticks(3);
  ASSERT_EQ(Modify(env_id, 2), "");
  Ticks(1);
  ASSERT_EQ(Desired(env_id), 2);
  int live = Live(env_id);
  EXPECT_EQ(live, BatchPicks() ? 2 : 4);
  std::vector<std::string> surplus;
  json env = Env(env_id);
  for (const json& node : env["ComputeNodeSet"]) {
    if (node["ComputeNodeState"] == "RUNNING" && static_cast<int>(surplus.size()) < live - 2) {
      surplus.push_back(node["ComputeNodeId"]);
    }
  }
  if (!surplus.empty()) {
    ASSERT_EQ(Code("TerminateComputeNodes", {{"EnvId", env_id}, {"ComputeNodeIds", surplus}}), "");
  }
  Ticks(5);
  EXPECT_EQ(Running(env_id), 2);
  EXPECT_EQ(NodeCount(env_id), 2);
  // With kDecrements, releasing the surplus also lowers the count (2 -> 0); the surplus rule
  // of manual scale-in keeps the remaining two. Clients re-read DesiredComputeNodeCount.
  EXPECT_EQ(Desired(env_id), !BatchPicks() && Decrements() ? 0 : 2);
}

INSTANTIATE_TEST_SUITE_P(AllCombinations, SwitchTest,
                         ::testing::Combine(::testing::Values(ScaleInPolicy::kManual,
                                                              ScaleInPolicy::kBatchPicks),
                                            ::testing::Values(TerminateNodePolicy::kRefills,
                                                              TerminateNodePolicy::kDecrements)));

}  // namespace
}  // namespace spotform::sim
