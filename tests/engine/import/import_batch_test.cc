// `spotform import env.NAME env-...` (engine/import/import_plan.h, engine/import/import_cloud.h): a
// Batch compute environment adopted with its nodes, through a FakeCloud.

#include <gtest/gtest.h>

#include "engine/import/import_cloud.h"
#include "engine/import/import_plan.h"
#include "tests/support/fake_cloud.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

const ImportOptions kBatchImportOptions{"ap-guangzhou", false};

class ImportBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ComputeEnv env;
    env.info.id = "env-4bz2kw1q";
    env.info.name = "render-farm";
    env.info.zone = "ap-guangzhou-3";
    env.info.desired_count = 3;
    for (int i = 1; i <= 2; ++i) {
      const std::string n = std::to_string(i);
      env.nodes.push_back(testing::BatchNode("node-0000000" + n, "ins-0000000" + n));
      cloud_.AddInstance(testing::Observed("ins-0000000" + n));
    }
    cloud_.PutComputeEnv(env);
  }

  FakeCloud cloud_;
};

TEST_F(ImportBatchTest, AdoptsTheEnvironmentWithItsNodesAndBatchsDesiredCount) {
  const EnvironmentSpec spec = Spec("farm", 2, Mode::kBatch);
  Result<ImportOutcome> outcome =
      ImportComputeEnv(cloud_, spec, StateSnapshot{}, "env-4bz2kw1q", kBatchImportOptions);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->adopted, (std::vector<std::string>{"env-4bz2kw1q"}));
  EXPECT_EQ(outcome->node_count, 2);
  EXPECT_EQ(outcome->expected_count, 3);  // Batch keeps 3: spotform owns that count now
  ASSERT_EQ(outcome->edit.ops().size(), 2u);
  const auto* env = std::get_if<StateEdit::PutEnvironment>(&outcome->edit.ops()[0]);
  ASSERT_NE(env, nullptr);
  EXPECT_EQ(env->applied.desired_count, 3);
  const auto* put = std::get_if<StateEdit::PutPool>(&outcome->edit.ops()[1]);
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->pool.batch_env_id, "env-4bz2kw1q");
  EXPECT_EQ(put->pool.expected_count, 3);
  EXPECT_EQ(put->pool.spec.max_price, "0.60");
  ASSERT_EQ(put->pool.instances.size(), 2u);
  EXPECT_EQ(put->pool.instances[0].node_id, "node-00000001");
  EXPECT_EQ(put->pool.instances[0].id, "ins-00000001");
  EXPECT_EQ(put->pool.instances[0].state, "RUNNING");
  EXPECT_EQ(put->pool.instances[0].origin, InstanceOrigin::kImported);
  EXPECT_EQ(cloud_.calls(), (std::vector<std::string>{"DescribeComputeEnv env-4bz2kw1q",
                                                      "DescribeInstances 2 ids"}));
}

TEST_F(ImportBatchTest, UnknownEnvironmentIsNotFoundInTheRegion) {
  Result<ImportOutcome> outcome = ImportComputeEnv(
      cloud_, Spec("farm", 2, Mode::kBatch), StateSnapshot{}, "env-zzzzzzzz", kBatchImportOptions);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(outcome.error().message(), "env-zzzzzzzz: not found in ap-guangzhou");
}

TEST_F(ImportBatchTest, TypeMismatchNamesTheFieldUnlessForced) {
  const EnvironmentSpec spec = Spec("farm", 2, Mode::kBatch, "ap-guangzhou-3", "S5.LARGE8");
  Result<ImportOutcome> refused =
      ImportComputeEnv(cloud_, spec, StateSnapshot{}, "env-4bz2kw1q", kBatchImportOptions);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(),
            "env-4bz2kw1q: instance_type is S5.MEDIUM4 but env.farm declares S5.LARGE8; use "
            "--force to adopt it anyway");
  Result<ImportOutcome> forced = ImportComputeEnv(cloud_, spec, StateSnapshot{}, "env-4bz2kw1q",
                                                  ImportOptions{"ap-guangzhou", true});
  ASSERT_TRUE(forced.ok()) << forced.error().ToString();
  EXPECT_EQ(forced->notes.size(), 1u);
}

TEST_F(ImportBatchTest, ZoneMismatchNamesTheField) {
  const EnvironmentSpec spec = Spec("farm", 2, Mode::kBatch, "ap-guangzhou-4");
  Result<ImportOutcome> refused =
      ImportComputeEnv(cloud_, spec, StateSnapshot{}, "env-4bz2kw1q", kBatchImportOptions);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(),
            "env-4bz2kw1q: zone is ap-guangzhou-3 but env.farm declares ap-guangzhou-4; use "
            "--force to adopt it anyway");
}

TEST_F(ImportBatchTest, AlreadyManagedHereIsANoOpAndElsewhereIsRefused) {
  const EnvironmentSpec farm = Spec("farm", 2, Mode::kBatch);
  Pool pool = PoolOf("p-4bz2kw1q", farm, 3, {});  // batch_env_id env-4bz2kw1q
  const StateSnapshot state = StateOf({{farm, {pool}}});
  Result<ImportOutcome> again =
      ImportComputeEnv(cloud_, farm, state, "env-4bz2kw1q", kBatchImportOptions);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_TRUE(again->edit.empty());
  EXPECT_EQ(again->already, (std::vector<std::string>{"env-4bz2kw1q"}));
  EXPECT_TRUE(cloud_.calls().empty());

  Result<ImportOutcome> elsewhere = ImportComputeEnv(cloud_, Spec("other", 1, Mode::kBatch), state,
                                                     "env-4bz2kw1q", kBatchImportOptions);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().message(), "env-4bz2kw1q is already managed by env.farm");
}

TEST_F(ImportBatchTest, ACvmEnvironmentTakesInstancesNotBatchEnvironments) {
  Result<ImportOutcome> outcome = ImportComputeEnv(cloud_, Spec("render", 2), StateSnapshot{},
                                                   "env-4bz2kw1q", kBatchImportOptions);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().message(),
            "env.render is a cvm environment: import its instances (ins-...) instead of a "
            "Batch compute environment");
  EXPECT_TRUE(cloud_.calls().empty());
}

}  // namespace
}  // namespace spotform
