// Batch mode's refill trap, end to end: a farm created, scaled down and destroyed under every
// combination of the emulator's --scale-in and --terminate-node switches. Checked through the
// emulator's request log (no node of an environment released before a ModifyComputeEnv that
// lowered it and a DescribeComputeEnv confirming it) and its instance list (exact counts,
// no refill).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <tuple>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

// Checks the ordering rule in the request log for Batch environment `env_id`, from call
// number `from` on: every TerminateComputeNode(s) comes after a ModifyComputeEnv setting
// DesiredComputeNodeCount to at most `lowered_to`, and after a DescribeComputeEnv of it made
// since that modify.
void ExpectReleasesAfterConfirmedLowering(SimProcess& sim, const std::string& env_id, size_t from,
                                          int lowered_to) {
  bool lowered = false;
  bool confirmed = false;
  for (const json& call : SucceededCallsOfEnv(sim, env_id, from)) {
    const std::string action = call.value("action", "");
    const json& params = call["params"];
    if (action == "ModifyComputeEnv" && params.contains("DesiredComputeNodeCount")) {
      if (params["DesiredComputeNodeCount"].get<int>() <= lowered_to) {
        lowered = true;
        confirmed = false;
      }
    } else if (action == "DescribeComputeEnv" && lowered) {
      confirmed = true;
    } else if (action == "TerminateComputeNode" || action == "TerminateComputeNodes") {
      EXPECT_TRUE(lowered && confirmed)
          << action << " seq " << call["seq"] << " before the lowered count was confirmed";
    }
  }
}

class BatchApplyE2E : public ApplyFixture,
                      public ::testing::WithParamInterface<std::tuple<std::string, std::string>> {
 protected:
  void SetUp() override {
    StartSim({"--no-rate-limit", "--scale-in", std::get<0>(GetParam()), "--terminate-node",
              std::get<1>(GetParam())});
  }
  size_t CallCount() {
    Result<json> requests = sim_->Requests();
    EXPECT_TRUE(requests.ok());
    return requests.ok() ? requests->size() : 0;
  }
};

TEST_P(BatchApplyE2E, AFarmScalesDownToExactlyTheDesiredCountAndIsDestroyedWithoutRefill) {
  WriteConfig(EnvYaml("farm", "batch", "ap-guangzhou-4", 4));
  CliResult created = Apply();
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string env_id = BatchEnvId("farm");
  ASSERT_FALSE(env_id.empty());
  EXPECT_EQ(LiveCountOfBatchEnv(*sim_, env_id), 4);

  WriteConfig(EnvYaml("farm", "batch", "ap-guangzhou-4", 1));
  const size_t before_down = CallCount();
  CliResult down = Apply();
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  ExpectReleasesAfterConfirmedLowering(*sim_, env_id, before_down, 1);
  ASSERT_TRUE(sim_->Tick(20).ok());  // time for a refill, which must not come
  EXPECT_EQ(LiveCountOfBatchEnv(*sim_, env_id), 1);
  CliResult settled = Apply();
  ASSERT_EQ(settled.exit_code, 0) << settled.out << settled.err;
  EXPECT_TRUE(settled.out.find("No changes.") != std::string::npos) << settled.out;

  const size_t before_destroy = CallCount();
  CliResult destroyed = Destroy();
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  ExpectReleasesAfterConfirmedLowering(*sim_, env_id, before_destroy, 0);
  ASSERT_TRUE(sim_->Tick(20).ok());
  EXPECT_EQ(LiveCountOfBatchEnv(*sim_, env_id), 0);
  EXPECT_FALSE(CallsOf(*sim_, "DeleteComputeEnv").empty());
  EXPECT_TRUE(LoadState().environments.empty());
}

INSTANTIATE_TEST_SUITE_P(EverySwitchCombination, BatchApplyE2E,
                         ::testing::Combine(::testing::Values("manual", "batch-picks"),
                                            ::testing::Values("refills", "decrements")),
                         [](const ::testing::TestParamInfo<BatchApplyE2E::ParamType>& info) {
                           std::string name =
                               std::get<0>(info.param) + "_" + std::get<1>(info.param);
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace spotform::e2e
