// Batch fallback instance types (spec §3 "Fallback candidates", batch mode): the list becomes
// the compute environment's EnvData.InstanceTypes, and a change of the list alone is an
// in-place ModifyComputeEnv (kSetInstanceTypes), recorded on the pool, never a replacement.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/apply/journal.h"
#include "engine/plan/plan_codec.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/step_text.h"
#include "tests/engine/apply/executor_test_support.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

EnvironmentSpec BakeOf(int desired, const std::vector<std::string>& types) {
  EnvironmentSpec spec = Bake(desired);
  spec.instance_types.clear();
  for (const std::string& type : types) spec.instance_types.push_back({type, ""});
  return spec;
}

const Change& OnlyChange(const Plan& plan) {
  EXPECT_EQ(plan.changes.size(), 1u);
  return plan.changes.front();
}

std::vector<StepKind> KindsOf(const Change& change) {
  std::vector<StepKind> kinds;
  for (const Step& step : change.steps) kinds.push_back(step.kind);
  return kinds;
}

class ExecutorBatchTypesTest : public ExecutorTest {};

TEST_F(ExecutorBatchTypesTest, CreateSendsEveryTypeInOrder) {
  options_.wait = false;
  ApplyReport report = ApplySpecs({BakeOf(2, {"S5.MEDIUM4", "SA2.MEDIUM4"})});
  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  const Pool pool = PoolOfEnv("bake");
  EXPECT_EQ(cloud_.env_instance_types(pool.batch_env_id),
            (std::vector<std::string>{"S5.MEDIUM4", "SA2.MEDIUM4"}));
  EXPECT_EQ(TypeNames(pool.spec), (std::vector<std::string>{"S5.MEDIUM4", "SA2.MEDIUM4"}));
}

TEST_F(ExecutorBatchTypesTest, AChangedListIsSetInPlaceAndRecorded) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({BakeOf(2, {"S5.MEDIUM4", "SA2.MEDIUM4"})}).ok());
  const Pool before = PoolOfEnv("bake");

  const Plan plan = PlanFor({BakeOf(2, {"S5.MEDIUM4", "S5.LARGE8"})});
  const Change& change = OnlyChange(plan);
  EXPECT_EQ(change.action, ChangeAction::kUpdate);
  EXPECT_EQ(KindsOf(change),
            (std::vector<StepKind>{StepKind::kSetInstanceTypes, StepKind::kRecordSpec}));
  EXPECT_EQ(change.steps[0].pool_id, before.id);
  EXPECT_EQ(change.steps[0].reason,
            "instance_types changed: [S5.MEDIUM4, SA2.MEDIUM4] -> [S5.MEDIUM4, S5.LARGE8]");
  EXPECT_EQ(DescribeStep(change.steps[0]),
            "set the Batch compute environment's instance types in place (instance_types "
            "changed: [S5.MEDIUM4, SA2.MEDIUM4] -> [S5.MEDIUM4, S5.LARGE8])");

  const size_t mark = cloud_.calls().size();
  ApplyReport report = Execute(plan);
  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  std::vector<std::string> calls = CallsSince(mark);
  EXPECT_EQ(std::count(calls.begin(), calls.end(),
                       "SetInstanceTypes " + before.batch_env_id + " S5.MEDIUM4,S5.LARGE8"),
            1);
  EXPECT_TRUE(std::none_of(calls.begin(), calls.end(), [](const std::string& call) {
    return call.starts_with("CreateComputeEnv") || call.starts_with("DeleteComputeEnv");
  }));
  const Pool after = PoolOfEnv("bake");
  EXPECT_EQ(after.id, before.id);
  EXPECT_EQ(after.batch_env_id, before.batch_env_id);
  EXPECT_EQ(TypeNames(after.spec), (std::vector<std::string>{"S5.MEDIUM4", "S5.LARGE8"}));
  EXPECT_EQ(after.instances.size(), before.instances.size());
  EXPECT_EQ(cloud_.env_instance_types(before.batch_env_id),
            (std::vector<std::string>{"S5.MEDIUM4", "S5.LARGE8"}));

  EXPECT_EQ(OnlyChange(PlanFor({BakeOf(2, {"S5.MEDIUM4", "S5.LARGE8"})})).action,
            ChangeAction::kNoOp);
}

TEST_F(ExecutorBatchTypesTest, ListAndCountChangeTogetherSetTheTypesFirst) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({BakeOf(1, {"S5.MEDIUM4"})}).ok());
  const Change change = OnlyChange(PlanFor({BakeOf(3, {"SA2.MEDIUM4", "S5.MEDIUM4"})}));
  EXPECT_EQ(change.action, ChangeAction::kUpdate);
  ASSERT_FALSE(change.steps.empty());
  EXPECT_EQ(change.steps.front().kind, StepKind::kSetInstanceTypes);
  EXPECT_EQ(change.steps.back().kind, StepKind::kRecordSpec);
  EXPECT_EQ(change.steps.front().reason,
            "instance_types changed: [S5.MEDIUM4] -> [SA2.MEDIUM4, S5.MEDIUM4]");
}

TEST_F(ExecutorBatchTypesTest, ZoneImageOrBidChangesStillReplace) {
  ASSERT_TRUE(ApplySpecs({BakeOf(0, {"S5.MEDIUM4", "SA2.MEDIUM4"})}).ok());
  EnvironmentSpec zone = BakeOf(0, {"S5.MEDIUM4", "S5.LARGE8"});
  zone.zones = {"ap-guangzhou-4"};
  EnvironmentSpec image = BakeOf(0, {"S5.MEDIUM4", "SA2.MEDIUM4"});
  image.image_id = "img-22222222";
  EnvironmentSpec bid = BakeOf(0, {"S5.MEDIUM4", "SA2.MEDIUM4"});
  bid.max_price = "0.45";
  for (const EnvironmentSpec& spec : {zone, image, bid}) {
    const Change change = OnlyChange(PlanFor({spec}));
    EXPECT_EQ(change.action, ChangeAction::kReplace);
    EXPECT_TRUE(std::none_of(change.steps.begin(), change.steps.end(), [](const Step& step) {
      return step.kind == StepKind::kSetInstanceTypes;
    }));
  }
}

TEST_F(ExecutorBatchTypesTest, CvmTypeChangesStillReplace) {
  options_.wait = false;
  EnvironmentSpec cvm = Spec("render", 0);
  cvm.instance_types = {{"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", ""}};
  ASSERT_TRUE(ApplySpecs({cvm}).ok());
  cvm.instance_types = {{"S5.MEDIUM4", ""}, {"S5.LARGE8", ""}};
  EXPECT_EQ(OnlyChange(PlanFor({cvm})).action, ChangeAction::kReplace);
}

TEST_F(ExecutorBatchTypesTest, ABusyEnvironmentIsWaitedOut) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({BakeOf(1, {"S5.MEDIUM4"})}).ok());
  int refusals = 2;
  cloud_.SetBeforeHook([&](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("SetInstanceTypes") || refusals-- <= 0) return std::nullopt;
    return Error(ErrorKind::kConflict, "busy", "UnsupportedOperation.ComputeEnvAcceptOtherRequest");
  });
  ApplyReport report = ApplySpecs({BakeOf(1, {"SA2.MEDIUM4"})});
  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  std::vector<std::string> calls = cloud_.calls();
  EXPECT_EQ(std::count_if(calls.begin(), calls.end(),
                          [](const std::string& c) { return c.starts_with("SetInstanceTypes"); }),
            3);
  EXPECT_EQ(TypeNames(PoolOfEnv("bake").spec), std::vector<std::string>{"SA2.MEDIUM4"});
}

TEST_F(ExecutorBatchTypesTest, ARefusalLeavesThePoolAsItWas) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({BakeOf(1, {"S5.MEDIUM4"})}).ok());
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("SetInstanceTypes")) return std::nullopt;
    return Error(ErrorKind::kTerminal, "no such type", "InvalidParameterValue.InstanceType");
  });
  ApplyReport report = ApplySpecs({BakeOf(1, {"SA2.MEDIUM4"})});
  ASSERT_EQ(report.changes[0].result, Failed());
  EXPECT_NE(report.changes[0].error.find("set instance types failed"), std::string::npos)
      << report.changes[0].error;
  EXPECT_EQ(TypeNames(PoolOfEnv("bake").spec), std::vector<std::string>{"S5.MEDIUM4"});
}

TEST_F(ExecutorBatchTypesTest, ThePlanFileAndJsonCarryTheStep) {
  cloud_.SetBatchBehaviour({.fill = true});
  ASSERT_TRUE(ApplySpecs({BakeOf(1, {"S5.MEDIUM4"})}).ok());
  const Plan plan = PlanFor({BakeOf(1, {"S5.MEDIUM4", "SA2.MEDIUM4"})});
  Result<Plan> decoded = DecodePlan(EncodePlan(plan));
  ASSERT_TRUE(decoded.ok()) << decoded.error().ToString();
  ASSERT_EQ(decoded->changes.size(), 1u);
  ASSERT_EQ(decoded->changes[0].steps.size(), 2u);
  EXPECT_EQ(decoded->changes[0].steps[0].kind, StepKind::kSetInstanceTypes);
  EXPECT_EQ(TypeNames(decoded->changes[0].steps[0].spec),
            (std::vector<std::string>{"S5.MEDIUM4", "SA2.MEDIUM4"}));
  const nlohmann::ordered_json step = PlanToJson(plan).at("changes").at(0).at("steps").at(0);
  EXPECT_EQ(step.at("kind"), "set_instance_types");
  EXPECT_EQ(step.at("mode"), "batch");
  EXPECT_EQ(step.at("instance_types"), nlohmann::ordered_json({"S5.MEDIUM4", "SA2.MEDIUM4"}));
}

TEST(CreateEnvPayload, KeepsTheInstanceTypeList) {
  ComputeEnvSpec spec = ComputeEnvOf("spotform-bake-p-1", 2, "token-1");
  spec.instance_types = {"S5.MEDIUM4", "SA2.MEDIUM4"};
  JournalEntry entry;
  entry.payload = EncodeCreateEnvPayload(spec);
  entry.client_token = "token-1";
  Result<ComputeEnvSpec> decoded = DecodeCreateEnvPayload(entry);
  ASSERT_TRUE(decoded.ok()) << decoded.error().ToString();
  EXPECT_EQ(decoded->instance_types, spec.instance_types);
  EXPECT_EQ(decoded->instance_type, "S5.MEDIUM4");
}

}  // namespace
}  // namespace spotform
