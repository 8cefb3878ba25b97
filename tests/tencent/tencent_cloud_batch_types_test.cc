// TencentCloud's Batch fallback instance types: CreateComputeEnv sends EnvData.InstanceTypes
// (instead of InstanceType) for more than one type, and SetInstanceTypes is ModifyComputeEnv
// with EnvData { InstanceTypes } only.

#include <gtest/gtest.h>

#include "providers/tencent/tencent_cloud.h"
#include "tests/support/spec_builders.h"
#include "tests/tencent/scripted_api_caller.h"

namespace spotform {
namespace {

using nlohmann::json;

class TencentCloudBatchTypesTest : public ::testing::Test {
 protected:
  ScriptedApiCaller caller_;
  TencentCloud cloud_{caller_, TencentCloudOptions{"ap-guangzhou", 4}};
};

TEST_F(TencentCloudBatchTypesTest, CreateSendsSeveralTypesAsInstanceTypes) {
  caller_.Reply("CreateComputeEnv", {{"EnvId", "env-c96rwhnf"}});
  ComputeEnvSpec spec = testing::ComputeEnvOf("farm", 3, "create-farm-1");
  spec.instance_types = {"S5.MEDIUM4", "SA2.MEDIUM4"};

  ASSERT_TRUE(cloud_.CreateComputeEnv(spec).ok());

  const json data = caller_.requests().at(0).params.at("ComputeEnv").at("EnvData");
  EXPECT_EQ(data.at("InstanceTypes"), json({"S5.MEDIUM4", "SA2.MEDIUM4"}));
  EXPECT_FALSE(data.contains("InstanceType"));
  EXPECT_EQ(data.at("InstanceChargeType"), "SPOTPAID");
}

TEST_F(TencentCloudBatchTypesTest, CreateSendsOneTypeAsInstanceType) {
  caller_.Reply("CreateComputeEnv", {{"EnvId", "env-c96rwhnf"}});
  ComputeEnvSpec spec = testing::ComputeEnvOf("farm", 3, "create-farm-1");
  spec.instance_types = {"S5.MEDIUM4"};

  ASSERT_TRUE(cloud_.CreateComputeEnv(spec).ok());

  const json data = caller_.requests().at(0).params.at("ComputeEnv").at("EnvData");
  EXPECT_EQ(data.at("InstanceType"), "S5.MEDIUM4");
  EXPECT_FALSE(data.contains("InstanceTypes"));
}

TEST_F(TencentCloudBatchTypesTest, CreateRefusesADuplicateOrTooManyTypesWithoutACall) {
  ComputeEnvSpec spec = testing::ComputeEnvOf("farm", 3, "create-farm-1");
  spec.instance_types = {"S5.MEDIUM4", "S5.MEDIUM4"};
  Result<std::string> duplicate = cloud_.CreateComputeEnv(spec);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().kind(), ErrorKind::kInvalidInput);
  spec.instance_types.clear();
  for (int i = 0; i < 11; ++i) spec.instance_types.push_back("S" + std::to_string(i) + ".MEDIUM4");
  EXPECT_FALSE(cloud_.CreateComputeEnv(spec).ok());
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudBatchTypesTest, SetInstanceTypesSendsModifyComputeEnvEnvData) {
  caller_.Reply("ModifyComputeEnv", json::object());

  ASSERT_TRUE(cloud_.SetInstanceTypes("env-c96rwhnf", {"SA2.MEDIUM4", "S5.MEDIUM4"}).ok());

  ApiRequest request = caller_.requests().at(0);
  EXPECT_EQ(request.service, "batch");
  EXPECT_EQ(request.action, "ModifyComputeEnv");
  EXPECT_EQ(request.params, json::parse(R"({
    "EnvId": "env-c96rwhnf",
    "EnvData": {"InstanceTypes": ["SA2.MEDIUM4", "S5.MEDIUM4"]}
  })"));
}

TEST_F(TencentCloudBatchTypesTest, SetInstanceTypesRefusesAnEmptyOrDuplicatedList) {
  Status empty = cloud_.SetInstanceTypes("env-c96rwhnf", {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_FALSE(cloud_.SetInstanceTypes("env-c96rwhnf", {"S5.MEDIUM4", "S5.MEDIUM4"}).ok());
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudBatchTypesTest, SetInstanceTypesKeepsTheBusyCode) {
  caller_.Fail("ModifyComputeEnv",
               Error(ErrorKind::kRetryable, "env is processing another request",
                     "UnsupportedOperation.ComputeEnvAcceptOtherRequest", "rid-4"));

  Status status = cloud_.SetInstanceTypes("env-c96rwhnf", {"SA2.MEDIUM4"});

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
  EXPECT_EQ(status.error().message(),
            "ModifyComputeEnv env-c96rwhnf instance types SA2.MEDIUM4: env is processing "
            "another request");
}

}  // namespace
}  // namespace spotform
