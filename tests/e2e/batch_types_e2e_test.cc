// Batch fallback instance types end to end (spec §3 "Fallback candidates", batch mode):
// `instance_types` becomes the compute environment's EnvData.InstanceTypes, so Batch falls
// back by itself when the first type is sold out, and a change of the list is an in-place
// ModifyComputeEnv, never a replacement. Against spotform-sim.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

constexpr char kBatchZone[] = "ap-guangzhou-4";

// A batch environment "train" in ap-guangzhou-4 over `types` (a YAML list's inside).
std::string TrainYaml(const std::string& types, int count) {
  return "  train:\n"
         "    mode: batch\n"
         "    zone: ap-guangzhou-4\n"
         "    instance_types: [" +
         types +
         "]\n"
         "    image_id: img-pmqg1cw7\n"
         "    max_price: \"0.60\"\n"
         "    desired_count: " +
         std::to_string(count) + "\n";
}

// Live instances of Batch environment `env_id` per instance type.
std::map<std::string, int> TypesOfBatchEnv(SimProcess& sim, const std::string& env_id) {
  std::map<std::string, int> types;
  for (const json& instance : LiveInstances(sim)) {
    if (instance.value("SimComputeEnvId", "") == env_id) ++types[instance["InstanceType"]];
  }
  return types;
}

using BatchTypesE2E = ApplyFixture;

TEST_F(BatchTypesE2E, BatchFallsBackToTheSecondTypeAndAChangedListIsUpdatedInPlace) {
  ASSERT_TRUE(sim_->SetMarket(kBatchZone, "S5.MEDIUM4", 0.10, 0).ok());  // sold out
  WriteConfig(TrainYaml("S5.MEDIUM4, SA2.MEDIUM4", 2));
  CliResult created = Apply();
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string env_id = BatchEnvId("train");
  ASSERT_FALSE(env_id.empty());
  EXPECT_EQ(TypesOfBatchEnv(*sim_, env_id), (std::map<std::string, int>{{"SA2.MEDIUM4", 2}}));
  const std::vector<json> creates = CallsOf(*sim_, "CreateComputeEnv");
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0]["params"]["ComputeEnv"]["EnvData"]["InstanceTypes"],
            json({"S5.MEDIUM4", "SA2.MEDIUM4"}))
      << creates[0].dump();

  WriteConfig(TrainYaml("SA2.MEDIUM4, S5.LARGE8", 2));
  CliResult plan = Run({"plan", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  const json doc = json::parse(plan.out);
  ASSERT_EQ(doc["changes"].size(), 1u) << doc.dump();
  const json& change = doc["changes"][0];
  EXPECT_EQ(change["action"], "update") << change.dump();
  std::vector<std::string> kinds;
  for (const json& step : change["steps"]) kinds.push_back(step["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"set_instance_types", "record_spec"}))
      << change.dump();
  EXPECT_EQ(change["steps"][0]["instance_types"], json({"SA2.MEDIUM4", "S5.LARGE8"}));
  EXPECT_EQ(change["steps"][0]["reason"],
            "instance_types changed: [S5.MEDIUM4, SA2.MEDIUM4] -> [SA2.MEDIUM4, S5.LARGE8]");
  CliResult text = Run({"plan"});
  EXPECT_FALSE(Contains(text.out, "forces replacement")) << text.out;
  EXPECT_TRUE(Contains(text.out, "set the Batch compute environment's instance types")) << text.out;

  const size_t modifies_before = CallsOf(*sim_, "ModifyComputeEnv").size();
  CliResult updated = Apply();
  ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  const std::vector<json> modifies = CallsOf(*sim_, "ModifyComputeEnv");
  ASSERT_EQ(modifies.size(), modifies_before + 1) << updated.out << updated.err;
  EXPECT_EQ(modifies.back()["params"]["EnvData"],
            json({{"InstanceTypes", {"SA2.MEDIUM4", "S5.LARGE8"}}}))
      << modifies.back().dump();
  EXPECT_TRUE(modifies.back()["error"].is_null()) << modifies.back().dump();
  EXPECT_EQ(CallsOf(*sim_, "CreateComputeEnv").size(), 1u);
  EXPECT_TRUE(CallsOf(*sim_, "DeleteComputeEnv").empty());
  EXPECT_EQ(BatchEnvId("train"), env_id);
  EXPECT_EQ(TypesOfBatchEnv(*sim_, env_id), (std::map<std::string, int>{{"SA2.MEDIUM4", 2}}));

  CliResult again = Run({"plan"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_TRUE(Contains(again.out, "No changes.")) << again.out << again.err;

  CliResult destroyed = Destroy();
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  EXPECT_TRUE(LoadState().environments.empty());
}

}  // namespace
}  // namespace spotform::e2e
