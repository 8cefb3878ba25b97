// Inputs the fuzzers (tests/fuzz) found that broke spotform, and what the audit of every
// library call on outside data found beside them, each kept as a test of the clean error it
// must now give. The fuzzers' inputs are also in their seed corpora.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/apply/journal.h"
#include "engine/config/config.h"
#include "engine/plan/plan_file.h"

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

// plan_file_fuzzer: a number beyond a double's range made nlohmann's parser throw
// out_of_range (406), which the plan file reader did not catch: `spotform show FILE` aborted
// (exit 134). Corpus: tests/fuzz/corpus/plan_file/regression-7e908 (create.plan with a
// desired_count of 7e908).
std::string PlanFileError(const std::string& text) {
  Result<Plan> plan = ParsePlanFile("saved.plan", text);
  EXPECT_FALSE(plan.ok());
  if (plan.ok()) return "";
  EXPECT_EQ(plan.error().kind(), ErrorKind::kInvalidInput);
  return plan.error().message();
}

TEST(PlanFileFuzzRegression, ANumberBeyondADoubleIsACorruptFileNamingItsField) {
  EXPECT_EQ(PlanFileError(R"({"spotform_plan": 7e908})"),
            "saved.plan: the plan file is corrupt: spotform_plan: number out of range");
  EXPECT_EQ(PlanFileError(R"({"spotform_plan": 1, "plan": {"serial": -1e400}})"),
            "saved.plan: the plan file is corrupt: plan.serial: number out of range");
  EXPECT_EQ(PlanFileError(R"({"plan": {"changes": [{"address": "env.a", "steps": []},)"
                          R"( {"steps": [{"ids": ["a"]}, {"count": 1, "ids": [[], 7E+908]}]}]}})"),
            "saved.plan: the plan file is corrupt: plan.changes[1].steps[1].ids[1]: number out "
            "of range");
}

TEST(PlanFileFuzzRegression, TheFoundFileIsRefusedWithThePathOfItsNumber) {
  const std::string path =
      std::string(SPOTFORM_SOURCE_DIR) + "/tests/fuzz/corpus/plan_file/regression-7e908";
  Result<Plan> plan = ReadPlanFile(path);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message(),
            path +
                ": the plan file is corrupt: plan.changes[0].after.desired_count: number out "
                "of range");
}

// Found beside it: the checksum is the SHA-256 of the plan object's dump, which recurses once
// per level, so a file of a million brackets overflowed the stack (SIGSEGV). The reader now
// stops at 64 levels; a plan has 8.
std::string PlanNestedIn(int arrays) {
  return R"({"spotform_plan": 1, "checksum": "sha256:0", "plan": {"a": )" +
         std::string(arrays, '[') + std::string(arrays, ']') + "}}";
}

TEST(PlanFileFuzzRegression, AFileNestedDeeperThan64LevelsIsRefusedBeforeItsChecksum) {
  const std::string too_deep =
      "saved.plan: the plan file is corrupt: its JSON nests more than 64 levels deep";
  EXPECT_EQ(PlanFileError(PlanNestedIn(500000)), too_deep);
  EXPECT_EQ(PlanFileError(PlanNestedIn(63)), too_deep);
  // 64 levels in all (the document, plan, then 62 arrays) are still read, and checked.
  EXPECT_EQ(PlanFileError(PlanNestedIn(62)),
            "saved.plan: the plan file was altered (checksum mismatch): run `spotform plan` again");
}

// Found by the audit: journal payloads are JSON in the state file, and get<int>() cast a count
// of 2.5 or 2^32 without a word, and 1e300 with undefined behaviour (UBSan aborts). A count
// that is not a whole number an int holds is now an unreadable payload.
JournalEntry Intent(const char* kind, const std::string& payload) {
  JournalEntry entry;
  entry.id = 7;
  entry.kind = kind;
  entry.payload = payload;
  return entry;
}

std::string Unreadable(const char* kind, const std::string& why) {
  return std::string("journal: intent 7 (") + kind + ") has an unreadable payload: " + why;
}

TEST(JournalFuzzRegression, ALaunchCountThatIsNotAnIntIsAnUnreadablePayload) {
  const std::string fields =
      R"("zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4", "image_id": "img-1",)"
      R"( "max_price": "0.60", "tags": {}, "count": )";
  for (const char* count : {"1e300", "2.5", "4294967296", "-2147483649", "\"3\""}) {
    Result<LaunchSpec> spec =
        DecodeLaunchPayload(Intent(kIntentLaunch, "{" + fields + count + "}"));
    ASSERT_FALSE(spec.ok()) << count;
    EXPECT_EQ(spec.error().message(), Unreadable(kIntentLaunch, "count: expected a whole number"))
        << count;
  }
  Result<LaunchSpec> spec = DecodeLaunchPayload(Intent(kIntentLaunch, "{" + fields + "3}"));
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  EXPECT_EQ(spec->count, 3);
}

TEST(JournalFuzzRegression, ADesiredCountBeyondAnIntIsAnUnreadablePayload) {
  Result<ComputeEnvSpec> spec = DecodeCreateEnvPayload(
      Intent(kIntentCreateEnv, R"({"name": "bake", "desired_count": 1e300})"));
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().message(),
            Unreadable(kIntentCreateEnv, "desired_count: expected a whole number"));
}

TEST(JournalFuzzRegression, ATargetCountBeyondAnIntIsAnUnreadablePayloadAndAMissingOneIsZero) {
  Result<IntentTarget> bad = DecodeTargetPayload(Intent(kIntentSetCount, R"({"to": -7e300})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), Unreadable(kIntentSetCount, "to: expected a whole number"));
  Result<IntentTarget> none =
      DecodeTargetPayload(Intent(kIntentRelease, R"({"ids": ["ins-00000001"]})"));
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_EQ(none->to, 0);
  EXPECT_EQ(none->ids, std::vector<std::string>{"ins-00000001"});
}

TEST(JournalFuzzRegression, ANumberBeyondADoubleIsAnUnreadablePayload) {
  Result<IntentTarget> target = DecodeTargetPayload(Intent(kIntentSetCount, R"({"to": 7e908})"));
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.error().message().rfind(Unreadable(kIntentSetCount, ""), 0), 0u)
      << target.error().message();
}

// Found by the audit: dump() throws on invalid UTF-8, and a tag value in spotform.yaml may hold
// any bytes (an id in a state edited by hand too): apply aborted writing the intent before the
// cloud call. The byte is now written as U+FFFD, and the call itself fails cleanly.
TEST(JournalFuzzRegression, AnInvalidUtf8ByteIsWrittenAsAReplacementCharacter) {
  LaunchSpec launch;
  launch.count = 1;
  launch.tags = {{"team", "v\xff"}};
  const std::string payload = EncodeLaunchPayload(launch);
  EXPECT_NE(payload.find("\"tags\":{\"team\":\"v\xEF\xBF\xBD\"}"), std::string::npos) << payload;
  Result<LaunchSpec> read = DecodeLaunchPayload(Intent(kIntentLaunch, payload));
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(read->tags.at("team"), "v\xEF\xBF\xBD");

  ComputeEnvSpec env;
  env.tags = {{"team\xfe", "vfx"}};
  EXPECT_NE(EncodeCreateEnvPayload(env).find("{\"team\xEF\xBF\xBD\":\"vfx\"}"), std::string::npos);
  IntentTarget target;
  target.ids = {"ins-\xff"};
  EXPECT_EQ(EncodeTargetPayload(target),
            "{\"env_id\":\"\",\"ids\":[\"ins-\xEF\xBF\xBD\"],\"to\":0}");
}

}  // namespace
}  // namespace spotform
