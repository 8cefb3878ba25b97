// ConfigJsonSchema (`spotform schema`): a draft 2020-12 JSON Schema that names every key the
// parser accepts, marks the required ones, and whose patterns agree with the parser's checks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "engine/config/config.h"
#include "engine/config/config_checks.h"
#include "engine/config/config_keys.h"

namespace spotform {
namespace {

using nlohmann::json;

json Schema() { return json::parse(ConfigJsonSchema()); }  // throws (fails) if not JSON

std::set<std::string> PropertyNames(const json& object_schema) {
  std::set<std::string> names;
  for (const auto& [name, unused] : object_schema.at("properties").items()) names.insert(name);
  return names;
}

template <typename Keys>
std::set<std::string> AsSet(const Keys& keys) {
  return std::set<std::string>(keys.begin(), keys.end());
}

// The JSON Schema pattern semantics (ECMA-262, unanchored search) through std::regex.
bool PatternMatches(const json& schema, const std::string& value) {
  return std::regex_search(value, std::regex(schema.at("pattern").get<std::string>()));
}

json Environment() {
  return Schema().at("properties").at("environments").at("additionalProperties");
}

TEST(ConfigJsonSchema, IsADraft202012ObjectSchema) {
  json schema = Schema();
  EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema.at("type"), "object");
  EXPECT_EQ(schema.at("additionalProperties"), false);
}

TEST(ConfigJsonSchema, NamesEveryKeyTheParserAccepts) {
  json properties = Schema().at("properties");
  EXPECT_EQ(PropertyNames(Schema()), AsSet(kTopLevelKeys));
  EXPECT_EQ(PropertyNames(properties.at("provider")), AsSet(kProviderKeys));
  EXPECT_EQ(PropertyNames(properties.at("state")), AsSet(kStateKeys));
  EXPECT_EQ(PropertyNames(Environment()), AsSet(kEnvironmentKeys));
  // Unknown keys are errors at every level, as in the parser.
  EXPECT_EQ(properties.at("provider").at("additionalProperties"), false);
  EXPECT_EQ(properties.at("state").at("additionalProperties"), false);
  EXPECT_EQ(Environment().at("additionalProperties"), false);
}

TEST(ConfigJsonSchema, MarksTheRequiredKeysOfAnEnvironment) {
  std::set<std::string> required = Environment().at("required").get<std::set<std::string>>();
  EXPECT_EQ(required, AsSet(kEnvironmentRequiredKeys));
  EXPECT_EQ(required.count("tags"), 0u);
  // The region may come from TENCENTCLOUD_REGION, so the file need not hold it.
  EXPECT_FALSE(Schema().at("properties").at("provider").contains("required"));
}

TEST(ConfigJsonSchema, LimitsAgreeWithTheParser) {
  json environment = Environment();
  json count = environment.at("properties").at("desired_count");
  EXPECT_EQ(count.at("type"), "integer");
  EXPECT_EQ(count.at("minimum"), 0);
  EXPECT_EQ(count.at("maximum"), kMaxCvmDesiredCount);
  EXPECT_EQ(environment.at("if").at("properties").at("mode").at("const"), "batch");
  EXPECT_EQ(environment.at("then").at("properties").at("desired_count").at("maximum"),
            kMaxBatchDesiredCount);
  EXPECT_EQ(environment.at("then").at("properties").at("tags").at("maxProperties"),
            kMaxBatchTags - kOwnerTagCount);
  EXPECT_EQ(environment.at("properties").at("mode").at("enum"), json({"cvm", "batch"}));
  EXPECT_EQ(Schema().at("properties").at("state").at("properties").at("backend").at("enum"),
            json({"sqlite", "postgres"}));
}

TEST(ConfigJsonSchema, PatternsAcceptAndRejectWhatTheParserDoes) {
  json environment = Environment().at("properties");
  json provider = Schema().at("properties").at("provider").at("properties");
  json state = Schema().at("properties").at("state").at("properties");
  json names = Schema().at("properties").at("environments").at("propertyNames");
  json price = environment.at("max_price").at("oneOf").at(0);

  struct Sample {
    const json& schema;
    std::string value;
    bool parser_accepts;
  };
  const Sample samples[] = {
      {provider.at("region"), "ap-guangzhou", CheckRegion("ap-guangzhou").ok()},
      {provider.at("region"), "ap-shanghai-fsi", CheckRegion("ap-shanghai-fsi").ok()},
      {provider.at("region"), "ap-guangzhou-3", CheckRegion("ap-guangzhou-3").ok()},
      {provider.at("endpoint"), "http://127.0.0.1:9000", true},
      {provider.at("endpoint"), "127.0.0.1:9000", CheckEndpoint("127.0.0.1:9000").ok()},
      {provider.at("profile"), "my profile", CheckProfile("my profile").ok()},
      {state.at("workspace"), "Prod", CheckWorkspace("Prod").ok()},
      {environment.at("zone"), "ap-guangzhou-3", CheckZone("ap-guangzhou-3", "").ok()},
      {environment.at("zone"), "ap-guangzhou", CheckZone("ap-guangzhou", "").ok()},
      {environment.at("instance_type"), "S5.MEDIUM4", CheckInstanceType("S5.MEDIUM4").ok()},
      {environment.at("instance_type"), "s5.medium4", CheckInstanceType("s5.medium4").ok()},
      {environment.at("image_id"), "img-pmqg1cw7", CheckImageId("img-pmqg1cw7").ok()},
      {environment.at("image_id"), "img-pmqg1cw77", CheckImageId("img-pmqg1cw77").ok()},
      {price, "0.60", CheckMaxPrice("0.60").ok()},
      {price, "0.1234567", CheckMaxPrice("0.1234567").ok()},
      {price, "10000", CheckMaxPrice("10000").ok()},
      {names, "render", CheckEnvironmentName("render").ok()},
      {names, "Render", CheckEnvironmentName("Render").ok()},
  };
  for (const Sample& sample : samples) {
    EXPECT_EQ(PatternMatches(sample.schema, sample.value), sample.parser_accepts) << sample.value;
  }
}

TEST(ConfigJsonSchema, DescribesTheFallbackCandidateKeys) {
  json properties = Environment().at("properties");
  json zones = properties.at("zones");
  EXPECT_EQ(zones.at("type"), "array");
  EXPECT_EQ(zones.at("minItems"), 1);
  EXPECT_EQ(zones.at("uniqueItems"), true);
  EXPECT_EQ(zones.at("items").at("pattern"), properties.at("zone").at("pattern"));

  json types = properties.at("instance_types");
  EXPECT_EQ(types.at("type"), "array");
  EXPECT_EQ(types.at("minItems"), 1);
  // An entry is a name, or {type, max_price} with nothing else and the type required.
  json name = types.at("items").at("oneOf").at(0);
  json entry = types.at("items").at("oneOf").at(1);
  EXPECT_EQ(name.at("pattern"), properties.at("instance_type").at("pattern"));
  EXPECT_EQ(entry.at("type"), "object");
  EXPECT_EQ(entry.at("additionalProperties"), false);
  EXPECT_EQ(entry.at("required"), json({"type"}));
  EXPECT_EQ(PropertyNames(entry), (std::set<std::string>{"type", "max_price"}));
  EXPECT_EQ(entry.at("properties").at("max_price").at("oneOf"),
            properties.at("max_price").at("oneOf"));

  json allocation = properties.at("allocation");
  EXPECT_EQ(allocation.at("enum"), json({"ordered", "lowest-price", "diversified"}));
  EXPECT_EQ(allocation.at("default"), "ordered");
}

TEST(ConfigJsonSchema, RequiresExactlyOneOfEachCandidateForm) {
  const json environment = Environment();
  std::set<std::set<std::string>> one_of_pairs;
  for (const json& rule : environment.at("allOf")) {
    std::set<std::string> pair;
    for (const json& choice : rule.at("oneOf")) {
      pair.insert(choice.at("required").at(0).get<std::string>());
    }
    one_of_pairs.insert(pair);
  }
  EXPECT_EQ(one_of_pairs, (std::set<std::set<std::string>>{{"zone", "zones"},
                                                           {"instance_type", "instance_types"}}));
  std::set<std::string> required = environment.at("required").get<std::set<std::string>>();
  for (const char* key : {"zone", "zones", "instance_type", "instance_types"}) {
    EXPECT_EQ(required.count(key), 0u) << key;
  }
}

TEST(ConfigJsonSchema, BatchModeTakesOneZoneAndTypesWithoutTheirOwnBids) {
  json then = Environment().at("then").at("properties");
  EXPECT_EQ(then.at("zones").at("maxItems"), 1);
  EXPECT_EQ(then.at("instance_types").at("maxItems"), kMaxBatchInstanceTypes);
  // Names only: a Batch compute environment has one bid.
  EXPECT_EQ(then.at("instance_types").at("items").at("type"), "string");
}

}  // namespace
}  // namespace spotform
