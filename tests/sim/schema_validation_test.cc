// RequestSchema: the official SDK models decide which request fields exist, which are
// required and what JSON type each has.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "providers/sim/api_models_data.h"
#include "providers/sim/request_schema.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<RequestSchema> schema = RequestSchema::Embedded();
    ASSERT_TRUE(schema.ok()) << schema.error().message();
    schema_.emplace(std::move(schema).value());
  }

  // "Code: Message" of a validation, or "ok".
  std::string Check(const std::string& action, const std::string& body) {
    Status status = schema_->Validate(action, json::parse(body));
    return status.ok() ? "ok" : status.error().code() + ": " + status.error().message();
  }

  std::optional<RequestSchema> schema_;
};

TEST_F(SchemaTest, EmbeddedModelsComeFromThePinnedSdk) {
  EXPECT_EQ(schema_->sdk_version(), "4.1.313");
  EXPECT_EQ(schema_->ProductOf("RunInstances"), "cvm");
  EXPECT_EQ(schema_->ProductOf("ModifyComputeEnv"), "batch");
  EXPECT_EQ(schema_->ProductOf("StartInstances"), "");
  for (const char* action :
       {"RunInstances", "DescribeInstances", "DescribeInstancesStatus", "TerminateInstances",
        "DescribeZoneInstanceConfigInfos", "InquiryPriceRunInstances", "CreateComputeEnv",
        "DescribeComputeEnv", "DescribeComputeEnvs", "ModifyComputeEnv", "TerminateComputeNode",
        "TerminateComputeNodes", "DeleteComputeEnv", "DescribeComputeEnvActivities",
        "DescribeAccountQuota"}) {
    EXPECT_TRUE(schema_->HasAction(action)) << action;
  }
}

TEST_F(SchemaTest, EmbeddedCopyMatchesTheCommittedJson) {
  std::ifstream in(std::string(SPOTFORM_SOURCE_DIR) + "/providers/sim/api_models.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(json::parse(EmbeddedApiModelsJson()), json::parse(text.str()));
}

TEST_F(SchemaTest, AcceptsAValidSpotRunInstances) {
  EXPECT_EQ(Check("RunInstances", R"({
    "InstanceChargeType": "SPOTPAID",
    "InstanceMarketOptions": {"MarketType": "spot",
                              "SpotOptions": {"MaxPrice": "0.60", "SpotInstanceType": "one-time"}},
    "Placement": {"Zone": "ap-guangzhou-3", "ProjectId": 0},
    "InstanceType": "S5.MEDIUM4", "ImageId": "img-pmqg1cw7", "InstanceCount": 2,
    "ClientToken": "tok-1", "DryRun": false,
    "TagSpecification": [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "vfx"}]}]
  })"),
            "ok");
}

TEST_F(SchemaTest, RunInstancesAcceptsMinCountAsANumber) {
  EXPECT_EQ(Check("RunInstances", R"({"MinCount": 3, "InstanceCount": 5, "DryRun": true})"), "ok");
  EXPECT_EQ(Check("RunInstances", R"({"MinCount": "3"})"),
            "InvalidParameter: The value type of parameter `MinCount` is not valid.");
}

TEST_F(SchemaTest, DescribeAccountQuotaTakesOnlyFilters) {
  EXPECT_EQ(schema_->ProductOf("DescribeAccountQuota"), "cvm");
  EXPECT_EQ(Check("DescribeAccountQuota",
                  R"({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}]})"),
            "ok");
  EXPECT_EQ(Check("DescribeAccountQuota", R"({"Zone": "ap-guangzhou-3"})"),
            "UnknownParameter: The parameter `Zone` is not recognized.");
}

TEST_F(SchemaTest, EmptyBodyIsValidWhenNothingIsRequired) {
  EXPECT_EQ(Check("DescribeInstances", "{}"), "ok");
}

TEST_F(SchemaTest, UnknownTopLevelField) {
  EXPECT_EQ(Check("DescribeInstances", R"({"Limit": 10, "Zone": "ap-guangzhou-3"})"),
            "UnknownParameter: The parameter `Zone` is not recognized.");
}

TEST_F(SchemaTest, UnknownNestedFieldIsNamedByItsPath) {
  EXPECT_EQ(Check("RunInstances", R"({"Placement": {"Zone": "ap-guangzhou-3", "Foo": 1}})"),
            "UnknownParameter: The parameter `Placement.Foo` is not recognized.");
  EXPECT_EQ(Check("RunInstances",
                  R"({"InstanceMarketOptions": {"SpotOptions": {"MaxPrice": "1", "Bid": "2"}}})"),
            "UnknownParameter: The parameter `InstanceMarketOptions.SpotOptions.Bid` is not "
            "recognized.");
}

TEST_F(SchemaTest, UnknownFieldInsideAnArrayOfObjects) {
  EXPECT_EQ(Check("DescribeInstances",
                  R"({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]},
                                  {"Name": "instance-state", "Value": ["RUNNING"]}]})"),
            "UnknownParameter: The parameter `Filters.1.Value` is not recognized.");
}

TEST_F(SchemaTest, BatchOnlyFieldSentToCvmIsUnknown) {
  EXPECT_EQ(Check("DescribeInstances", R"({"EnvId": "env-12345678"})"),
            "UnknownParameter: The parameter `EnvId` is not recognized.");
}

TEST_F(SchemaTest, MissingRequiredTopLevelField) {
  EXPECT_EQ(Check("TerminateInstances", "{}"),
            "MissingParameter: The request is missing a required parameter `InstanceIds`.");
  EXPECT_EQ(Check("ModifyComputeEnv", R"({"DesiredComputeNodeCount": 3})"),
            "MissingParameter: The request is missing a required parameter `EnvId`.");
}

TEST_F(SchemaTest, MissingRequiredNestedField) {
  EXPECT_EQ(Check("RunInstances", R"({"Placement": {"ProjectId": 0}})"),
            "MissingParameter: The request is missing a required parameter `Placement.Zone`.");
  EXPECT_EQ(Check("DescribeInstances", R"({"Filters": [{"Name": "zone"}]})"),
            "MissingParameter: The request is missing a required parameter `Filters.0.Values`.");
}

TEST_F(SchemaTest, NullCountsAsAbsent) {
  EXPECT_EQ(Check("DescribeInstances", R"({"Limit": null})"), "ok");
  EXPECT_EQ(Check("TerminateInstances", R"({"InstanceIds": null})"),
            "MissingParameter: The request is missing a required parameter `InstanceIds`.");
}

TEST_F(SchemaTest, NumberWhereAStringIsExpected) {
  EXPECT_EQ(Check("RunInstances", R"({"ImageId": 12})"),
            "InvalidParameter: The value type of parameter `ImageId` is not valid.");
}

TEST_F(SchemaTest, StringWhereANumberIsExpected) {
  EXPECT_EQ(Check("DescribeInstances", R"({"Limit": "10"})"),
            "InvalidParameter: The value type of parameter `Limit` is not valid.");
}

TEST_F(SchemaTest, IntegersAndFloatsAreNumbers) {
  EXPECT_EQ(Check("DescribeInstances", R"({"Limit": 10, "Offset": 0.0})"), "ok");
}

TEST_F(SchemaTest, BooleanIsNotANumberAndNumberIsNotABoolean) {
  EXPECT_EQ(Check("DescribeInstances", R"({"Limit": true})"),
            "InvalidParameter: The value type of parameter `Limit` is not valid.");
  EXPECT_EQ(Check("RunInstances", R"({"DryRun": 1})"),
            "InvalidParameter: The value type of parameter `DryRun` is not valid.");
}

TEST_F(SchemaTest, ScalarWhereAnObjectIsExpected) {
  EXPECT_EQ(Check("RunInstances", R"({"Placement": "ap-guangzhou-3"})"),
            "InvalidParameter: The value type of parameter `Placement` is not valid.");
}

TEST_F(SchemaTest, ObjectWhereAnArrayIsExpected) {
  EXPECT_EQ(Check("DescribeInstances", R"({"InstanceIds": {"0": "ins-12345678"}})"),
            "InvalidParameter: The value type of parameter `InstanceIds` is not valid.");
}

TEST_F(SchemaTest, WrongElementTypeInAnArrayIsNamedByIndex) {
  EXPECT_EQ(Check("DescribeInstances", R"({"InstanceIds": ["ins-12345678", 7]})"),
            "InvalidParameter: The value type of parameter `InstanceIds.1` is not valid.");
  EXPECT_EQ(Check("DescribeInstances", R"({"Filters": [{"Name": "zone", "Values": [3]}]})"),
            "InvalidParameter: The value type of parameter `Filters.0.Values.0` is not valid.");
}

TEST_F(SchemaTest, BatchActivitiesFilterIsASingleObjectNotAnArray) {
  EXPECT_EQ(Check("DescribeComputeEnvActivities",
                  R"({"EnvId": "env-12345678", "Filters": {"Name": "compute-node-id",
                                                            "Values": ["node-1"]}})"),
            "ok");
  EXPECT_EQ(Check("DescribeComputeEnvActivities",
                  R"({"EnvId": "env-12345678", "Filters": [{"Name": "compute-node-id",
                                                             "Values": ["node-1"]}]})"),
            "InvalidParameter: The value type of parameter `Filters` is not valid.");
}

TEST_F(SchemaTest, UnknownOutranksWrongTypeWhichOutranksMissing) {
  EXPECT_EQ(Check("TerminateInstances", R"({"ReleaseAddress": "yes", "Zzz": 1})"),
            "UnknownParameter: The parameter `Zzz` is not recognized.");
  EXPECT_EQ(Check("TerminateInstances", R"({"ReleaseAddress": "yes"})"),
            "InvalidParameter: The value type of parameter `ReleaseAddress` is not valid.");
}

TEST_F(SchemaTest, BodyThatIsNotAnObject) {
  EXPECT_EQ(Check("DescribeInstances", "[]"),
            "InvalidParameter: The request body must be a JSON object.");
}

TEST_F(SchemaTest, UnknownAction) {
  EXPECT_EQ(Check("StartInstances", "{}"),
            "InvalidAction: The request action=`StartInstances` is invalid or not found.");
}

TEST(SchemaParseTest, RejectsADocumentOfTheWrongShape) {
  EXPECT_FALSE(RequestSchema::Parse("not json").ok());
  EXPECT_FALSE(RequestSchema::Parse(R"({"source": {"version": "1"}, "types": {},
                                        "actions": {"A": {"product": "cvm", "request": "AReq"}}})")
                   .ok());
  Result<RequestSchema> bad_type = RequestSchema::Parse(R"({"source": {"version": "1"},
      "types": {"cvm": {"AReq": {"X": {"type": "date", "required": false}}}},
      "actions": {"A": {"product": "cvm", "request": "AReq"}}})");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.error().message(), "api models: cvm.AReq.X: unknown type \"date\"");
}

}  // namespace
}  // namespace spotform::sim
