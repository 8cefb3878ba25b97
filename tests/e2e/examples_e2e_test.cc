// Every example in examples/ is planned, applied, found converged and destroyed against the
// emulator, as scripts/run-example.sh does for people: the examples cannot rot.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

std::vector<std::string> ExampleNames() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SPOTFORM_SOURCE_DIR) + "/examples")) {
    if (std::filesystem::exists(entry.path() / "spotform.yaml")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ExamplesList, HoldsTheWalkthroughs) {
  const std::vector<std::string> names = ExampleNames();
  for (const char* expected :
       {"batch-render-farm", "cvm-fleet", "fallback-fleet", "import-walkthrough", "two-zones"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

class ExampleE2E : public ApplyFixture, public ::testing::WithParamInterface<std::string> {
 protected:
  // The example's config with provider.endpoint pointed at this test's emulator.
  void CopyExample() {
    std::ifstream in(std::string(SPOTFORM_SOURCE_DIR) + "/examples/" + GetParam() +
                     "/spotform.yaml");
    std::stringstream text;
    text << in.rdbuf();
    const std::regex endpoint(R"((\n  endpoint:)[^\n]*)");
    dir_.Write("spotform.yaml", std::regex_replace(text.str(), endpoint, "$1 " + sim_->endpoint()));
  }

  // Live instances launched for this state: cvm ones by owner tag, Batch ones by env id.
  int LiveInstancesOfState() {
    const StateSnapshot state = LoadState();
    std::set<std::string> batch_envs;
    for (const auto& [name, environment] : state.environments) {
      for (const Pool& pool : environment.pools) {
        if (!pool.batch_env_id.empty()) batch_envs.insert(pool.batch_env_id);
      }
    }
    int count = 0;
    for (const json& instance : LiveInstances(*sim_)) {
      if (batch_envs.count(instance.value("SimComputeEnvId", "")) > 0 ||
          (instance.value("SimComputeEnvId", "").empty() &&
           TagValue(instance, "spotform-lineage") == state.lineage)) {
        ++count;
      }
    }
    return count;
  }
};

TEST_P(ExampleE2E, IsPlannedAppliedAndDestroyed) {
  CopyExample();
  CliResult plan = Run({"plan", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const int launch = json::parse(plan.out)["summary"]["launch"];
  EXPECT_GT(launch, 0);

  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(LiveInstancesOfState(), launch);
  CliResult again = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;

  CliResult destroyed = Destroy();
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  ASSERT_TRUE(sim_->Tick(10).ok());
  EXPECT_EQ(LiveInstancesOfState(), 0);
  for (const json& instance : LiveInstances(*sim_)) {
    ADD_FAILURE() << "left running: " << instance.dump();
  }
  EXPECT_TRUE(LoadState().environments.empty());
}

INSTANTIATE_TEST_SUITE_P(EveryExample, ExampleE2E, ::testing::ValuesIn(ExampleNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace spotform::e2e
