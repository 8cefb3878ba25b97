// Inputs the fuzzers (tests/fuzz) found that broke spotform, each kept as a test of the clean
// error it must now give. The inputs are also in the fuzzers' seed corpora.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/config/config.h"

namespace spotform {
namespace {

std::vector<std::string> Diagnose(const std::string& yaml) {
  ConfigParseResult result = ParseConfig(
      yaml, "spotform.yaml", [](const std::string&) -> std::optional<std::string> { return {}; });
  EXPECT_FALSE(result.config.has_value());
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : result.diagnostics) lines.push_back(diagnostic.ToString());
  return lines;
}

// config_fuzzer: a stray ',' made yaml-cpp 0.7's LoadAll loop forever, allocating
// (jbeder/yaml-cpp#1040); `spotform validate` hung. Corpus: tests/fuzz/corpus/config/stray-comma*.
TEST(ConfigFuzzRegression, AStrayCommaIsASyntaxErrorAtTheComma) {
  EXPECT_EQ(Diagnose(","),
            std::vector<std::string>{"spotform.yaml:1:1: invalid YAML: unexpected ','"});
  EXPECT_EQ(Diagnose("  , so a spot reclaim wave or a stock shortage"),
            std::vector<std::string>{"spotform.yaml:1:3: invalid YAML: unexpected ','"});
}

TEST(ConfigFuzzRegression, AStrayCommaInALaterDocumentIsASyntaxErrorThere) {
  EXPECT_EQ(Diagnose("provider: {region: ap-guangzhou}\n---\n,\n"),
            std::vector<std::string>{"spotform.yaml:3:1: invalid YAML: unexpected ','"});
}

TEST(ConfigFuzzRegression, EmptyDocumentsBeforeAnotherOneAreStillReadToTheEnd) {
  EXPECT_EQ(Diagnose("---\n---\nprovider: {region: ap-guangzhou}\n"),
            (std::vector<std::string>{
                "spotform.yaml:1:1: provider.region: required; set it here or in "
                "TENCENTCLOUD_REGION",
                "spotform.yaml:3:1: the config must be a single YAML document; another one "
                "starts here"}));
}

}  // namespace
}  // namespace spotform
