// Tencent Batch's documented rules, as the emulator applies them: placeholder nodes while
// stock or price is short, the CREATING time, the busy window, the batch-picks scale-in rule
// (NotEnoughComputeNodesToTerminate), the states TerminateComputeNode(s) accepts, manual
// scale-in cancelling placeholders, and DeleteComputeEnv removing placeholders.
#include <string>
#include <tuple>
#include <vector>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

constexpr char kRulesZone[] = "ap-guangzhou-3";
constexpr char kRulesType[] = "S5.MEDIUM4";

// A ModelTest with helpers for one-type (S5.MEDIUM4) spot environments whose stock the test
// sets with Stock().
class BatchRulesFixture : public ModelTest {
 protected:
  explicit BatchRulesFixture(const CloudModelOptions& options = {}) : ModelTest(options) {}

  static CloudModelOptions WithScaleIn(ScaleInPolicy policy) {
    CloudModelOptions options;
    options.scale_in = policy;
    return options;
  }
  void Stock(int capacity) {
    ASSERT_TRUE(model_.UpdateMarket({kRulesZone, kRulesType, std::nullopt, capacity}).ok());
  }
  std::string Create(int desired) {
    json params = {{"ComputeEnv",
                    {{"EnvName", "rules"},
                     {"DesiredComputeNodeCount", desired},
                     {"EnvData",
                      {{"InstanceType", kRulesType},
                       {"InstanceChargeType", "SPOTPAID"},
                       {"InstanceMarketOptions", {{"SpotOptions", {{"MaxPrice", "0.50"}}}}}}}}},
                   {"Placement", {{"Zone", kRulesZone}}}};
    return Ok("CreateComputeEnv", params)["EnvId"];
  }
  json Env(const std::string& env_id) { return Ok("DescribeComputeEnv", {{"EnvId", env_id}}); }
  json Metrics(const std::string& env_id) { return Env(env_id)["ComputeNodeMetrics"]; }
  int64_t Desired(const std::string& env_id) {
    return Env(env_id)["DesiredComputeNodeCount"].get<int64_t>();
  }
  // ComputeNodeState of every node, in the order DescribeComputeEnv lists them.
  std::vector<std::string> States(const std::string& env_id) {
    std::vector<std::string> states;
    json env = Env(env_id);  // keep the document alive while iterating it
    for (const json& node : env["ComputeNodeSet"]) states.push_back(node["ComputeNodeState"]);
    return states;
  }
  std::vector<std::string> NodeIds(const std::string& env_id) {
    std::vector<std::string> ids;
    json env = Env(env_id);
    for (const json& node : env["ComputeNodeSet"]) ids.push_back(node["ComputeNodeId"]);
    return ids;
  }
  std::string Modify(const std::string& env_id, int desired) {
    return Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", desired}});
  }
  std::string Terminate(const std::string& env_id, const std::vector<std::string>& nodes) {
    return Code("TerminateComputeNodes", {{"EnvId", env_id}, {"ComputeNodeIds", nodes}});
  }
  json Activities(const std::string& env_id) {
    return Ok("DescribeComputeEnvActivities", {{"EnvId", env_id}, {"Limit", 100}})["ActivitySet"];
  }
};

using Strings = std::vector<std::string>;

class BatchRulesTest : public BatchRulesFixture {};

TEST_F(BatchRulesTest, PlaceholdersAppearWithoutStockAndAreCreatedWhenStockReturns) {
  Stock(0);
  std::string env_id = Create(2);
  Ticks(1);
  json env = Env(env_id);
  ASSERT_EQ(env["ComputeNodeSet"].size(), 2u);
  for (const json& node : env["ComputeNodeSet"]) {
    EXPECT_EQ(node["ComputeNodeState"], "SUBMITTED");
    EXPECT_EQ(node["ComputeNodeInstanceId"], "");
    EXPECT_EQ(node["ComputeNodeId"].get<std::string>().substr(0, 5), "node-");
  }
  EXPECT_EQ(env["ComputeNodeMetrics"]["SubmittedCount"], 2);
  EXPECT_EQ(env["DesiredComputeNodeCount"], 2);
  EXPECT_EQ(InstanceCount(), 0);
  Strings ids = NodeIds(env_id);

  Ticks(1);  // the first retry fails
  EXPECT_EQ(States(env_id), (Strings{"CREATION_FAILED", "CREATION_FAILED"}));
  EXPECT_EQ(Metrics(env_id)["CreationFailedCount"], 2);
  EXPECT_EQ(Metrics(env_id)["SubmittedCount"], 0);
  json activities = Activities(env_id);
  ASSERT_EQ(activities.size(), 2u);
  for (const json& activity : activities) {
    EXPECT_EQ(activity["ComputeNodeActivityType"], "CREATE_COMPUTE_NODE");
    EXPECT_EQ(activity["ActivityState"], "FAILED");
    EXPECT_EQ(activity["StateReason"],
              "InvalidParameterValue.InsufficientOffering: S5.MEDIUM4 is out of stock in "
              "ap-guangzhou-3");
    EXPECT_TRUE(activity["InstanceId"].is_null());
  }
  Ticks(5);  // retried every tick; the same failure again is not logged again
  EXPECT_EQ(Activities(env_id).size(), 2u);
  EXPECT_EQ(InstanceCount(), 0);

  Stock(5);
  Ticks(1);  // the same nodes get an instance
  EXPECT_EQ(NodeIds(env_id), ids);
  EXPECT_EQ(States(env_id), (Strings{"CREATING", "CREATING"}));
  EXPECT_EQ(
      Env(env_id)["ComputeNodeSet"][0]["ComputeNodeInstanceId"].get<std::string>().substr(0, 4),
      "ins-");
  EXPECT_EQ(InstanceCount(), 2);
  Ticks(2);
  EXPECT_EQ(States(env_id), (Strings{"RUNNING", "RUNNING"}));
  EXPECT_EQ(Metrics(env_id)["RunningCount"], 2);
}

TEST_F(BatchRulesTest, PartialStockLeavesPlaceholdersForTheRest) {
  Stock(1);
  std::string env_id = Create(3);
  Ticks(1);
  EXPECT_EQ(States(env_id), (Strings{"CREATING", "SUBMITTED", "SUBMITTED"}));
  Ticks(2);
  EXPECT_EQ(States(env_id), (Strings{"RUNNING", "CREATION_FAILED", "CREATION_FAILED"}));
  json metrics = Metrics(env_id);
  EXPECT_EQ(metrics["RunningCount"], 1);
  EXPECT_EQ(metrics["CreationFailedCount"], 2);
}

TEST_F(BatchRulesTest, ALaunchFailureMakesTheNodeAPlaceholderThatIsRetried) {
  ASSERT_TRUE(model_
                  .LoadScenario("market:\n"
                                "  - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, "
                                "fail_next_launches: 1}\n")
                  .ok());
  std::string env_id = Create(1);
  Ticks(1);
  std::string node_id = NodeIds(env_id)[0];
  std::string failed_instance = Env(env_id)["ComputeNodeSet"][0]["ComputeNodeInstanceId"];
  Ticks(2);  // the instance ends in LAUNCH_FAILED
  json node = Env(env_id)["ComputeNodeSet"][0];
  EXPECT_EQ(node["ComputeNodeState"], "CREATION_FAILED");
  EXPECT_EQ(node["ComputeNodeInstanceId"], "");
  EXPECT_EQ(StateOf(failed_instance), "LAUNCH_FAILED");
  Ticks(1);  // retried in place with a new instance
  node = Env(env_id)["ComputeNodeSet"][0];
  EXPECT_EQ(node["ComputeNodeId"], node_id);
  EXPECT_EQ(node["ComputeNodeState"], "CREATING");
  EXPECT_NE(node["ComputeNodeInstanceId"], failed_instance);
  Ticks(10);  // the failed instance vanishes; the node stays
  EXPECT_EQ(StateOf(failed_instance), "");
  EXPECT_EQ(States(env_id), (Strings{"RUNNING"}));
}

class CreateTicksTest : public BatchRulesFixture {
 protected:
  static CloudModelOptions FiveCreateTicks() {
    CloudModelOptions options;
    options.create_ticks = 5;
    return options;
  }
  CreateTicksTest() : BatchRulesFixture(FiveCreateTicks()) {}
};

TEST_F(CreateTicksTest, NodesStayCreatingForCreateTicks) {
  std::string env_id = Create(1);
  std::string instance = Launch(kRulesZone, kRulesType, 1)[0];  // plain CVM: pending_ticks (2)
  Ticks(1);
  EXPECT_EQ(States(env_id), (Strings{"CREATING"}));
  Ticks(4);
  EXPECT_EQ(States(env_id), (Strings{"CREATING"}));
  EXPECT_EQ(StateOf(instance), "RUNNING");
  std::string node_id = NodeIds(env_id)[0];
  EXPECT_EQ(Terminate(env_id, {node_id}), "UnsupportedOperation.ComputeNodeForbidTerminate");
  Ticks(1);
  EXPECT_EQ(States(env_id), (Strings{"RUNNING"}));
  EXPECT_EQ(Terminate(env_id, {node_id}), "");
}

class BusyTicksTest : public BatchRulesFixture {
 protected:
  static CloudModelOptions ThreeBusyTicks() {
    CloudModelOptions options;
    options.busy_ticks = 3;
    return options;
  }
  BusyTicksTest() : BatchRulesFixture(ThreeBusyTicks()) {}
};

TEST_F(BusyTicksTest, ModifyingCallsAreRefusedForBusyTicks) {
  std::string env_id = Create(1);
  ASSERT_EQ(Modify(env_id, 2), "");
  Ticks(2);
  EXPECT_EQ(Modify(env_id, 3), "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
  EXPECT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}),
            "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
  EXPECT_EQ(Desired(env_id), 2);
  Ticks(1);
  EXPECT_EQ(Modify(env_id, 3), "");
}

class BatchPicksTest : public BatchRulesFixture {
 protected:
  BatchPicksTest() : BatchRulesFixture(WithScaleIn(ScaleInPolicy::kBatchPicks)) {}
};

TEST_F(BatchPicksTest, ScaleInDestroysTheNewestRunningNodes) {
  std::string env_id = Create(3);
  Ticks(3);
  ASSERT_EQ(Modify(env_id, 5), "");
  Ticks(3);
  ASSERT_EQ(States(env_id), Strings(5, "RUNNING"));
  Strings ids = NodeIds(env_id);
  ASSERT_EQ(Modify(env_id, 3), "");
  EXPECT_EQ(Desired(env_id), 3);
  EXPECT_EQ(States(env_id), (Strings{"RUNNING", "RUNNING", "RUNNING", "DELETING", "DELETING"}));
  Ticks(3);
  EXPECT_EQ(NodeIds(env_id), (Strings{ids[0], ids[1], ids[2]}));
  EXPECT_EQ(States(env_id), Strings(3, "RUNNING"));
  Ticks(5);
  EXPECT_EQ(NodeIds(env_id).size(), 3u);  // no refill
}

TEST_F(BatchPicksTest, NotEnoughDestroyableNodesFailsAndChangesNothing) {
  Stock(1);
  std::string env_id = Create(3);
  Ticks(3);  // one RUNNING node, two CREATION_FAILED placeholders
  ASSERT_EQ(States(env_id), (Strings{"RUNNING", "CREATION_FAILED", "CREATION_FAILED"}));
  Strings ids = NodeIds(env_id);
  EXPECT_EQ(Code("ModifyComputeEnv",
                 {{"EnvId", env_id}, {"DesiredComputeNodeCount", 1}, {"EnvName", "renamed"}}),
            "UnsupportedOperation.NotEnoughComputeNodesToTerminate");
  json env = Env(env_id);
  EXPECT_EQ(env["DesiredComputeNodeCount"], 3);
  EXPECT_EQ(env["EnvName"], "rules");
  EXPECT_EQ(NodeIds(env_id), ids);
  EXPECT_EQ(States(env_id), (Strings{"RUNNING", "CREATION_FAILED", "CREATION_FAILED"}));
  EXPECT_EQ(Modify(env_id, 0), "UnsupportedOperation.NotEnoughComputeNodesToTerminate");
  // Lowering by one is possible: the documented rule destroys the RUNNING node, not a
  // placeholder (the refused calls did not make the environment busy either).
  ASSERT_EQ(Modify(env_id, 2), "");
  EXPECT_EQ(States(env_id), (Strings{"DELETING", "CREATION_FAILED", "CREATION_FAILED"}));
  EXPECT_EQ(Desired(env_id), 2);
}

TEST_F(BatchPicksTest, CreatingAndSubmittedNodesAreNotDestroyable) {
  Stock(1);
  std::string env_id = Create(2);
  Ticks(1);  // CREATING + SUBMITTED
  ASSERT_EQ(States(env_id), (Strings{"CREATING", "SUBMITTED"}));
  EXPECT_EQ(Modify(env_id, 1), "UnsupportedOperation.NotEnoughComputeNodesToTerminate");
  EXPECT_EQ(Desired(env_id), 2);
  ASSERT_EQ(Modify(env_id, 2), "");  // equal: no change
  EXPECT_EQ(States(env_id), (Strings{"CREATING", "SUBMITTED"}));
}

class ManualScaleInTest : public BatchRulesFixture {};

TEST_F(ManualScaleInTest, SurplusPlaceholdersAreCancelledNewestFirst) {
  Stock(1);
  std::string env_id = Create(4);
  Ticks(3);
  ASSERT_EQ(States(env_id),
            (Strings{"RUNNING", "CREATION_FAILED", "CREATION_FAILED", "CREATION_FAILED"}));
  Strings ids = NodeIds(env_id);
  ASSERT_EQ(Modify(env_id, 3), "");
  EXPECT_EQ(NodeIds(env_id).size(), 4u);  // cancelled at the next reconcile
  Ticks(1);
  EXPECT_EQ(NodeIds(env_id), (Strings{ids[0], ids[1], ids[2]}));
  ASSERT_EQ(Modify(env_id, 0), "");
  Ticks(1);
  EXPECT_EQ(NodeIds(env_id), (Strings{ids[0]}));  // the RUNNING surplus stays
  EXPECT_EQ(States(env_id), (Strings{"RUNNING"}));
  json activities = Activities(env_id);
  int cancelled = 0;
  for (const json& activity : activities) {
    if (activity["ComputeNodeActivityType"] == "TERMINATE_COMPUTE_NODE") {
      EXPECT_EQ(activity["ActivityState"], "SUCCEED");
      EXPECT_NE(activity["ComputeNodeId"], ids[0]);
      ++cancelled;
    }
  }
  EXPECT_EQ(cancelled, 3);
}

TEST_F(ManualScaleInTest, CreatingAndRunningSurplusStays) {
  std::string env_id = Create(2);
  Ticks(1);
  ASSERT_EQ(Modify(env_id, 0), "");
  Ticks(1);
  EXPECT_EQ(States(env_id), (Strings{"CREATING", "CREATING"}));
  Ticks(5);
  EXPECT_EQ(States(env_id), (Strings{"RUNNING", "RUNNING"}));
}

TEST_F(BatchRulesTest, TerminateRefusesSubmittedAndCreatingNodes) {
  Stock(1);
  std::string env_id = Create(2);
  Ticks(1);
  ASSERT_EQ(States(env_id), (Strings{"CREATING", "SUBMITTED"}));
  Strings ids = NodeIds(env_id);
  EXPECT_EQ(Terminate(env_id, {ids[0]}), "UnsupportedOperation.ComputeNodeForbidTerminate");
  EXPECT_EQ(Terminate(env_id, {ids[1]}), "UnsupportedOperation.ComputeNodeForbidTerminate");
  EXPECT_EQ(Code("TerminateComputeNode", {{"EnvId", env_id}, {"ComputeNodeId", ids[1]}}),
            "UnsupportedOperation.ComputeNodeForbidTerminate");
  Ticks(2);  // RUNNING + CREATION_FAILED: both may go, and a DELETING one not
  ASSERT_EQ(States(env_id), (Strings{"RUNNING", "CREATION_FAILED"}));
  ASSERT_EQ(Terminate(env_id, {ids[0]}), "");
  Ticks(1);
  EXPECT_EQ(Terminate(env_id, {ids[0]}), "UnsupportedOperation.ComputeNodeIsTerminating");
}

TEST_F(BatchRulesTest, TerminateChecksEveryNodeBeforeChangingAny) {
  Stock(1);
  std::string env_id = Create(2);
  Ticks(3);                          // RUNNING + CREATION_FAILED
  ASSERT_EQ(Modify(env_id, 3), "");  // + a SUBMITTED placeholder at the next tick
  Ticks(1);
  ASSERT_EQ(States(env_id), (Strings{"RUNNING", "CREATION_FAILED", "SUBMITTED"}));
  Strings ids = NodeIds(env_id);
  EXPECT_EQ(Terminate(env_id, {ids[0], ids[1], ids[2]}),
            "UnsupportedOperation.ComputeNodeForbidTerminate");
  EXPECT_EQ(States(env_id), (Strings{"RUNNING", "CREATION_FAILED", "SUBMITTED"}));
}

// CREATION_FAILED placeholders may be terminated under both --terminate-node policies.
class TerminatePlaceholderTest : public BatchRulesFixture,
                                 public ::testing::WithParamInterface<TerminateNodePolicy> {
 protected:
  static CloudModelOptions Options() {
    CloudModelOptions options;
    options.terminate_node = GetParam();
    return options;
  }
  TerminatePlaceholderTest() : BatchRulesFixture(Options()) {}
  bool Decrements() const { return GetParam() == TerminateNodePolicy::kDecrements; }
};

TEST_P(TerminatePlaceholderTest, ACreationFailedNodeIsRemovedAtOnce) {
  Stock(0);
  std::string env_id = Create(2);
  Ticks(2);
  ASSERT_EQ(States(env_id), (Strings{"CREATION_FAILED", "CREATION_FAILED"}));
  Strings ids = NodeIds(env_id);
  ASSERT_EQ(Terminate(env_id, {ids[0]}), "");
  EXPECT_EQ(NodeIds(env_id), (Strings{ids[1]}));
  EXPECT_EQ(Desired(env_id), Decrements() ? 1 : 2);
  Ticks(1);
  // refills: a new node is submitted (still no stock); decrements: nothing to add.
  Strings after = NodeIds(env_id);
  ASSERT_EQ(after.size(), Decrements() ? 1u : 2u);
  EXPECT_EQ(after[0], ids[1]);
  if (!Decrements()) {
    EXPECT_NE(after[1], ids[0]);
    EXPECT_EQ(States(env_id), (Strings{"CREATION_FAILED", "SUBMITTED"}));
  }
}

INSTANTIATE_TEST_SUITE_P(BothPolicies, TerminatePlaceholderTest,
                         ::testing::Values(TerminateNodePolicy::kRefills,
                                           TerminateNodePolicy::kDecrements));

TEST_F(BatchRulesTest, DeleteRemovesPlaceholdersAtOnce) {
  Stock(1);
  std::string env_id = Create(3);
  Ticks(1);
  ASSERT_EQ(States(env_id), (Strings{"CREATING", "SUBMITTED", "SUBMITTED"}));
  ASSERT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}), "");
  json env = Env(env_id);
  EXPECT_EQ(env["NextAction"], "DELETING");
  EXPECT_EQ(States(env_id), (Strings{"DELETING"}));
  Ticks(2);
  EXPECT_EQ(Code("DescribeComputeEnv", {{"EnvId", env_id}}), "ResourceNotFound.ComputeEnv");
  EXPECT_EQ(InstanceCount(), 0);
}

TEST_F(BatchRulesTest, DeletingAnEnvOfPlaceholdersOnlyEmptiesItAtOnce) {
  Stock(0);
  std::string env_id = Create(2);
  Ticks(2);
  ASSERT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}), "");
  EXPECT_EQ(Env(env_id)["ComputeNodeSet"].size(), 0u);
  Ticks(1);
  EXPECT_EQ(Code("DescribeComputeEnv", {{"EnvId", env_id}}), "ResourceNotFound.ComputeEnv");
}

}  // namespace
}  // namespace spotform::sim
