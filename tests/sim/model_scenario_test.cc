// Scenario files: parsing errors with line numbers, market overrides, scheduled events.
#include <fstream>
#include <sstream>
#include <string>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class ScenarioTest : public ModelTest {
 protected:
  std::string LoadError(const std::string& yaml) {
    Status status = model_.LoadScenario(yaml);
    if (status.ok()) return "ok";
    return status.error().code() + " " + status.error().message();
  }
};

TEST_F(ScenarioTest, ErrorsNameTheLineAndColumn) {
  EXPECT_EQ(LoadError("market:\n  - zone: ap-guangzhou-3\n    instance_type: S5.MEDIUM4\n"
                      "    price: cheap\n"),
            "InvalidParameterValue scenario line 4, column 12: price must be a number");
  EXPECT_EQ(LoadError("market:\n  - {zone: ap-nowhere-1, instance_type: S5.MEDIUM4}\n"),
            "InvalidParameterValue scenario line 2, column 12: unknown zone ap-nowhere-1");
  EXPECT_EQ(LoadError("events:\n  - {at_tick: 0, reclaim: 1}\n"),
            "InvalidParameterValue scenario line 2, column 15: at_tick must be at least 1");
  EXPECT_EQ(LoadError("events:\n  - {at_tick: 3}\n"),
            "InvalidParameterValue scenario line 2, column 5: an event needs reclaim, or "
            "price/capacity/launch failures");
  EXPECT_EQ(LoadError("markets: []\n"),
            "InvalidParameterValue scenario line 1, column 1: unknown key `markets` in a scenario");
  EXPECT_EQ(LoadError("market:\n  - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, "
                      "capacity: -1}\n"),
            "InvalidParameterValue scenario line 2, column 65: capacity must be at least 0");
  std::string unclosed = LoadError("market: [\n  {zone: ap-guangzhou-3\n");
  EXPECT_EQ(unclosed.rfind("InvalidParameterValue scenario line ", 0), 0u) << unclosed;
  EXPECT_EQ(LoadError(""), "ok");
}

TEST_F(ScenarioTest, AFailedLoadChangesNothing) {
  std::string id = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];
  EXPECT_FALSE(model_.LoadScenario("market: 3\n").ok());
  EXPECT_EQ(StateOf(id), "PENDING");
}

TEST_F(ScenarioTest, MarketEntriesOverrideTheCatalogueAndSurviveReset) {
  ASSERT_TRUE(model_
                  .LoadScenario("market:\n"
                                "  - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, "
                                "price: 0.30, capacity: 2}\n")
                  .ok());
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1, "0.29")),
            "InvalidParameterValue.InsufficientPrice");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 3)),
            "InvalidParameterValue.InsufficientOffering");
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  model_.Reset();
  EXPECT_EQ(InstanceCount(), 0);
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 3)),
            "InvalidParameterValue.InsufficientOffering");
}

TEST_F(ScenarioTest, ScheduledEventsChangeTheMarketAndReclaim) {
  ASSERT_TRUE(model_.LoadScenario(kMarketEvents).ok());
  std::vector<std::string> ids = Launch("ap-guangzhou-3", "S5.MEDIUM4", 4);
  Ticks(2);
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1, "0.2")), "");
  Ticks(1);  // tick 3: price 0.5
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1, "0.2")),
            "InvalidParameterValue.InsufficientPrice");
  Ticks(1);  // tick 4: the newest RUNNING instance is reclaimed
  EXPECT_EQ(StateOf(ids[2]), "RUNNING");
  EXPECT_EQ(StateOf(ids[3]), "RUNNING");
  int terminating = 0;
  for (const json& instance : model_.ListInstances()) {
    if (instance["InstanceState"] == "TERMINATING") ++terminating;
  }
  EXPECT_EQ(terminating, 1);  // the one launched at tick 2 is the newest
  Ticks(1);                   // tick 5: capacity 1 reclaims all but the oldest
  EXPECT_EQ(StateOf(ids[0]), "RUNNING");
  EXPECT_EQ(StateOf(ids[1]), "TERMINATING");
  Ticks(2);
  EXPECT_EQ(InstanceCount(), 1);
}

TEST_F(ScenarioTest, ReclaimByIdEvents) {
  // Ids are deterministic for a given history of resets, so a scenario can name them: a
  // first model tells which id the first launch after loading a scenario gets.
  const std::string scenario = "events:\n  - {at_tick: 3, reclaim: [ins-placeho1]}\n";
  ASSERT_TRUE(model_.LoadScenario(scenario).ok());
  std::string id = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];

  CloudModel second({}, clock_);
  ASSERT_TRUE(second.LoadScenario("events:\n  - {at_tick: 3, reclaim: [" + id + "]}\n").ok());
  Result<json> launched = second.Call({"ap-guangzhou", "r"}, "RunInstances",
                                      SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1));
  ASSERT_TRUE(launched.ok());
  ASSERT_EQ((*launched)["InstanceIdSet"][0], id);
  second.Tick();
  second.Tick();
  EXPECT_EQ(second.ListInstances()[0]["InstanceState"], "RUNNING");
  second.Tick();
  EXPECT_EQ(second.ListInstances()[0]["InstanceState"], "TERMINATING");
}

TEST_F(ScenarioTest, CreateTicksAndBusyTicksOverrideTheOptions) {
  EXPECT_EQ(LoadError("create_ticks: 0\n"),
            "InvalidParameterValue scenario line 1, column 15: create_ticks must be at least 1");
  EXPECT_EQ(LoadError("busy_ticks: -1\n"),
            "InvalidParameterValue scenario line 1, column 13: busy_ticks must be at least 0");
  EXPECT_EQ(LoadError("busy_ticks: 2000000\n"),
            "InvalidParameterValue scenario line 1, column 13: busy_ticks must be at most 1000000");
  ASSERT_EQ(LoadError("create_ticks: 4\nbusy_ticks: 0\n"), "ok");
  json params = SpotComputeEnv(1);
  std::string env_id = Ok("CreateComputeEnv", params)["EnvId"];
  auto state = [&] {
    return Ok("DescribeComputeEnv", {{"EnvId", env_id}})["ComputeNodeSet"][0]["ComputeNodeState"];
  };
  Ticks(4);  // created at tick 1, RUNNING at tick 5
  EXPECT_EQ(state(), "CREATING");
  Ticks(1);
  EXPECT_EQ(state(), "RUNNING");
  // No busy window: modifying calls follow each other at once.
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 2}}), "");
  EXPECT_EQ(Code("ModifyComputeEnv", {{"EnvId", env_id}, {"DesiredComputeNodeCount", 3}}), "");
  model_.Reset();  // the scenario is the baseline: its timings survive a reset
  env_id = Ok("CreateComputeEnv", params)["EnvId"];
  Ticks(4);
  EXPECT_EQ(state(), "CREATING");
}

TEST_F(ScenarioTest, SpotQuotaAndMinCountFieldsAreChecked) {
  EXPECT_EQ(LoadError("spot_quota: -1\n"),
            "InvalidParameterValue scenario line 1, column 13: spot_quota must be at least 0");
  EXPECT_EQ(LoadError("spot_quota: [1]\n"),
            "InvalidParameterValue scenario line 1, column 13: spot_quota must be a number of "
            "vCPUs or a mapping zone: vCPUs");
  EXPECT_EQ(LoadError("spot_quota: {ap-nowhere-1: 5}\n"),
            "InvalidParameterValue scenario line 1, column 14: unknown zone ap-nowhere-1");
  EXPECT_EQ(LoadError("spot_quota: {ap-guangzhou-3: lots}\n"),
            "InvalidParameterValue scenario line 1, column 30: spot_quota of ap-guangzhou-3 must "
            "be an integer");
  EXPECT_EQ(LoadError("min_count: maybe\n"),
            "InvalidParameterValue scenario line 1, column 12: min_count must be supported or "
            "unsupported");
}

TEST_F(ScenarioTest, SpotQuotaForEveryZoneSurvivesReset) {
  ASSERT_EQ(LoadError("spot_quota: 4\n"), "ok");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 3)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-6", "S5.MEDIUM4", 3)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(Launch("ap-guangzhou-3", "S5.MEDIUM4", 2).size(), 2u);
  model_.Reset();
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 3)),
            "LimitExceeded.UserSpotQuota");
}

CloudModelOptions SpotQuotaFlag(int64_t vcpus) {
  CloudModelOptions options;
  options.spot_quota = vcpus;
  return options;
}

// spotform-sim --spot-quota 4 with a scenario.
class ScenarioQuotaOptionTest : public ModelTest {
 protected:
  ScenarioQuotaOptionTest() : ModelTest(SpotQuotaFlag(4)) {}
};

TEST_F(ScenarioQuotaOptionTest, PerZoneSpotQuotaOverridesTheOptionForItsZonesOnly) {
  ASSERT_TRUE(model_.LoadScenario("spot_quota: {ap-guangzhou-3: 20, ap-guangzhou-4: 0}\n").ok());
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 10)), "");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 1)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-4", "S5.MEDIUM4", 1)),
            "LimitExceeded.UserSpotQuota");
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-6", "S5.MEDIUM4", 3)),
            "LimitExceeded.UserSpotQuota");  // the option's 4 vCPUs
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-6", "S5.MEDIUM4", 2)), "");
}

TEST_F(ScenarioQuotaOptionTest, AScalarSpotQuotaReplacesTheOption) {
  ASSERT_TRUE(model_.LoadScenario("spot_quota: 40\n").ok());
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-6", "S5.MEDIUM4", 20)), "");
}

TEST_F(ScenarioTest, ResetNeverReusesIds) {
  std::string first = Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0];
  model_.Reset();
  EXPECT_NE(Launch("ap-guangzhou-3", "S5.MEDIUM4", 1)[0], first);
}

TEST_F(ScenarioTest, ExampleFileLoads) {
  std::ifstream file(std::string(SPOTFORM_SOURCE_DIR) +
                     "/examples/sim-scenarios/stock-shortage.yaml");
  ASSERT_TRUE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  Status status = model_.LoadScenario(text.str());
  EXPECT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(Code("RunInstances", SpotRun("ap-guangzhou-3", "S5.MEDIUM4", 7)),
            "InvalidParameterValue.InsufficientOffering");
}

}  // namespace
}  // namespace spotform::sim
