// Batch mode's fallback instance types (spec §3 "Fallback candidates"): up to 10 names that
// become the compute environment's EnvData.InstanceTypes, one bid, one zone.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/config/config.h"

namespace spotform {
namespace {

std::string BatchYaml(const std::string& types) {
  return "provider: {region: ap-guangzhou}\n"
         "environments:\n"
         "  train:\n"
         "    mode: batch\n"
         "    zone: ap-guangzhou-3\n"
         "    instance_types: " +
         types +
         "\n"
         "    image_id: img-pmqg1cw7\n"
         "    max_price: \"0.60\"\n"
         "    desired_count: 4\n";
}

ConfigParseResult ParseBatch(const std::string& types) {
  EnvLookup env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return ParseConfig(BatchYaml(types), "spotform.yaml", env);
}

std::vector<std::string> DiagnosticLines(const ConfigParseResult& result) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : result.diagnostics) lines.push_back(diagnostic.ToString());
  return lines;
}

TEST(ConfigBatchTypes, AcceptsSeveralTypesInOrder) {
  ConfigParseResult result = ParseBatch("[S5.MEDIUM4, SA2.MEDIUM4, S5.LARGE8]");
  ASSERT_TRUE(result.config.has_value()) << ::testing::PrintToString(DiagnosticLines(result));
  const EnvironmentSpec& spec = result.config->environments.at("train");
  ASSERT_EQ(spec.instance_types.size(), 3u);
  EXPECT_EQ(spec.instance_types[0].type, "S5.MEDIUM4");
  EXPECT_EQ(spec.instance_types[1].type, "SA2.MEDIUM4");
  EXPECT_EQ(spec.instance_types[2].type, "S5.LARGE8");
  EXPECT_EQ(spec.zones, std::vector<std::string>{"ap-guangzhou-3"});
}

TEST(ConfigBatchTypes, AcceptsTenTypes) {
  std::string types = "[";
  for (int i = 1; i <= 10; ++i) types += (i > 1 ? ", S" : "S") + std::to_string(i) + ".MEDIUM4";
  ConfigParseResult result = ParseBatch(types + "]");
  ASSERT_TRUE(result.config.has_value()) << ::testing::PrintToString(DiagnosticLines(result));
  EXPECT_EQ(result.config->environments.at("train").instance_types.size(), 10u);
}

TEST(ConfigBatchTypes, RefusesElevenTypesAtTheList) {
  std::string types = "[";
  for (int i = 1; i <= 11; ++i) types += (i > 1 ? ", S" : "S") + std::to_string(i) + ".MEDIUM4";
  ConfigParseResult result = ParseBatch(types + "]");
  EXPECT_FALSE(result.config.has_value());
  EXPECT_EQ(DiagnosticLines(result),
            std::vector<std::string>{
                "spotform.yaml:6:21: environments.train.instance_types: a Batch compute "
                "environment takes at most 10 instance types (EnvData.InstanceTypes), got 11; "
                "use `mode: cvm` for more"});
}

TEST(ConfigBatchTypes, RefusesAPerTypeBidAtItsKey) {
  ConfigParseResult result = ParseBatch("[S5.MEDIUM4, {type: SA2.MEDIUM4, max_price: \"0.40\"}]");
  EXPECT_FALSE(result.config.has_value());
  EXPECT_EQ(DiagnosticLines(result),
            std::vector<std::string>{
                "spotform.yaml:6:54: environments.train.instance_types[1].max_price: Batch "
                "compute environments have one bid: set max_price on the environment"});
}

TEST(ConfigBatchTypes, AcceptsAnEntryWithoutBidInMapForm) {
  ConfigParseResult result = ParseBatch("[{type: S5.MEDIUM4}, SA2.MEDIUM4]");
  ASSERT_TRUE(result.config.has_value()) << ::testing::PrintToString(DiagnosticLines(result));
  EXPECT_EQ(result.config->environments.at("train").instance_types.size(), 2u);
}

TEST(ConfigBatchTypes, StillRefusesADuplicate) {
  ConfigParseResult result = ParseBatch("[S5.MEDIUM4, S5.MEDIUM4]");
  EXPECT_FALSE(result.config.has_value());
  EXPECT_EQ(DiagnosticLines(result),
            std::vector<std::string>{"spotform.yaml:6:34: environments.train.instance_types[1]: "
                                     "instance type `S5.MEDIUM4` is listed twice"});
}

}  // namespace
}  // namespace spotform
