// Instance states over ticks, TerminateInstances, reclaim, LAUNCH_FAILED, capacity return.
#include <string>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class CvmLifecycleTest : public ModelTest {
 protected:
  std::string Terminate(const std::vector<std::string>& ids) {
    return Code("TerminateInstances", {{"InstanceIds", ids}});
  }
};

TEST_F(CvmLifecycleTest, PendingBecomesRunningAfterPendingTicks) {
  std::string id = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];
  Ticks(1);
  EXPECT_EQ(StateOf(id), "PENDING");
  Ticks(1);
  EXPECT_EQ(StateOf(id), "RUNNING");
  json instance = Ok("DescribeInstances", {{"InstanceIds", {id}}})["InstanceSet"][0];
  EXPECT_EQ(instance["LatestOperationState"], "SUCCESS");
  EXPECT_EQ(model_.CurrentTick(), 2);
}

TEST_F(CvmLifecycleTest, TerminateGoesTerminatingThenGoneAndReturnsCapacity) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 1}).ok());
  std::string id = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];
  Ticks(2);
  EXPECT_EQ(Terminate({id}), "");
  EXPECT_EQ(StateOf(id), "TERMINATING");
  // The slot comes back only when the instance is gone.
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)),
            "InvalidParameterValue.InsufficientOffering");
  Ticks(2);
  EXPECT_EQ(StateOf(id), "");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)), "");
}

TEST_F(CvmLifecycleTest, TerminateErrorCodes) {
  std::string pending = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];
  EXPECT_EQ(Terminate({pending}), "UnsupportedOperation.InstanceStatePending");
  Ticks(2);
  EXPECT_EQ(Terminate({"ins-zzzzzzzz"}), "InvalidInstanceId.NotFound");
  EXPECT_EQ(Terminate({"ins-12"}), "InvalidInstanceId.Malformed");
  EXPECT_EQ(Code("TerminateInstances", json::object()), "MissingParameter");
  std::vector<std::string> many(101, pending);
  EXPECT_EQ(Terminate(many), "InvalidParameterValue.LimitExceeded");
  EXPECT_EQ(Terminate({pending}), "");
  EXPECT_EQ(Terminate({pending}), "UnsupportedOperation.InstanceStateTerminating");
}

TEST_F(CvmLifecycleTest, TerminateIsAllOrNothing) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  Ticks(2);
  EXPECT_EQ(Terminate({ids[0], "ins-zzzzzzzz"}), "InvalidInstanceId.NotFound");
  EXPECT_EQ(StateOf(ids[0]), "RUNNING");
  std::string fresh = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];
  EXPECT_EQ(Terminate({ids[0], fresh}), "UnsupportedOperation.InstanceStatePending");
  EXPECT_EQ(StateOf(ids[0]), "RUNNING");
}

TEST_F(CvmLifecycleTest, MixedChargeTypesAreRejected) {
  std::string spot = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];
  json postpaid = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  postpaid.erase("InstanceMarketOptions");
  postpaid["InstanceChargeType"] = "POSTPAID_BY_HOUR";
  std::string other = Ok("RunInstances", postpaid)["InstanceIdSet"][0];
  Ticks(2);
  EXPECT_EQ(Terminate({spot, other}), "UnsupportedOperation.InstanceMixedPricingModel");
}

TEST_F(CvmLifecycleTest, ProtectedInstancesCannotBeTerminated) {
  json params = SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1);
  params["DisableApiTermination"] = true;
  std::string id = Ok("RunInstances", params)["InstanceIdSet"][0];
  Ticks(2);
  EXPECT_EQ(Terminate({id}), "UnsupportedOperation.InstancesProtected");
}

TEST_F(CvmLifecycleTest, ReclaimTakesRunningInstancesAway) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  Status early = model_.Reclaim({ids[0]});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code(), "InvalidInstanceState");
  Ticks(2);
  ASSERT_TRUE(model_.Reclaim({ids[0]}).ok());
  EXPECT_EQ(StateOf(ids[0]), "TERMINATING");
  EXPECT_EQ(StateOf(ids[1]), "RUNNING");
  Status unknown = model_.Reclaim({ids[1], "ins-zzzzzzzz"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), "InvalidInstanceId.NotFound");
  EXPECT_EQ(StateOf(ids[1]), "RUNNING");  // all or nothing
  Ticks(2);
  EXPECT_EQ(StateOf(ids[0]), "");
}

TEST_F(CvmLifecycleTest, LoweringCapacityBelowWhatRunsReclaimsNewestFirst) {
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 3);
  Ticks(2);
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", std::nullopt, 1}).ok());
  EXPECT_EQ(StateOf(ids[0]), "RUNNING");
  EXPECT_EQ(StateOf(ids[1]), "TERMINATING");
  EXPECT_EQ(StateOf(ids[2]), "TERMINATING");
  Ticks(2);
  EXPECT_EQ(InstanceCount(), 1);
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)),
            "InvalidParameterValue.InsufficientOffering");
}

TEST_F(CvmLifecycleTest, UpdateMarketValidatesItsInput) {
  Status zone = model_.UpdateMarket({"ap-nowhere-1", "S5.MEDIUM4", 0.1, 1});
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().code(), "InvalidParameterValue.ZoneNotSupported");
  Status type = model_.UpdateMarket({"ap-guangzhou-3", "Z1.TINY", 0.1, 1});
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.error().code(), "InvalidParameterValue.InstanceTypeNotFound");
  EXPECT_FALSE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", -1.0, 1}).ok());
  EXPECT_FALSE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", 0.1, -1}).ok());
  // A known type may be offered in a zone that did not sell it.
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "C5.LARGE8", 0.3, 2}).ok());
  EXPECT_EQ(Launch("ap-guangzhou-3", "C5.LARGE8", 2).size(), 2u);
}

TEST_F(CvmLifecycleTest, ScenarioLaunchFailuresEndInLaunchFailedAndVanish) {
  ASSERT_TRUE(model_
                  .LoadScenario("market:\n"
                                "  - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4,\n"
                                "     price: 0.09, capacity: 2, fail_next_launches: 1}\n")
                  .ok());
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  Ticks(2);
  EXPECT_EQ(StateOf(ids[0]), "LAUNCH_FAILED");
  EXPECT_EQ(StateOf(ids[1]), "RUNNING");
  json failed = Ok("DescribeInstances", {{"InstanceIds", {ids[0]}}})["InstanceSet"][0];
  EXPECT_EQ(failed["LatestOperationState"], "FAILED");
  EXPECT_FALSE(failed["LatestOperationErrorMsg"].get<std::string>().empty());
  EXPECT_EQ(Terminate({ids[0]}), "UnsupportedOperation.InstanceStateLaunchFailed");
  // It still holds its slot until it vanishes (launch_failed_ticks = 10).
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)),
            "InvalidParameterValue.InsufficientOffering");
  Ticks(10);
  EXPECT_EQ(StateOf(ids[0]), "");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)), "");
}

TEST_F(CvmLifecycleTest, ResetReturnsToTheBaseline) {
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-3", "S5.MEDIUM4", 0.5, 2}).ok());
  Ticks(3);
  model_.Reset();
  EXPECT_EQ(InstanceCount(), 0);
  EXPECT_EQ(model_.CurrentTick(), 0);
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 5, "0.09")), "");
}

TEST_F(CvmLifecycleTest, ListInstancesShowsEveryRegionWithSimFields) {
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 1);
  Ok("RunInstances", SpotRun("ap-shanghai-2", "S5.MEDIUM4", 1), "ap-shanghai");
  json list = model_.ListInstances();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["SimRegion"], "ap-guangzhou");
  EXPECT_EQ(list[1]["SimRegion"], "ap-shanghai");
  EXPECT_EQ(list[0]["InstanceState"], "PENDING");
}

}  // namespace
}  // namespace spotform::sim
