// Refresh: what the cloud reports, recorded and classified.
#include "engine/plan/refresh.h"

#include <gtest/gtest.h>

#include "tests/support/fake_cloud.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

ObservedInstance RefreshObserved(const std::string& id, InstanceState state,
                                 const std::string& text, Tags tags = {}) {
  ObservedInstance instance = testing::Observed(id, state);
  instance.state_text = text;
  instance.tags = std::move(tags);
  return instance;
}

std::vector<std::string> Kinds(const RefreshResult& result) {
  std::vector<std::string> out;
  for (const Drift& drift : result.drift) {
    out.push_back(drift.address + " " + drift.subject + " " + drift.kind);
  }
  return out;
}

const RecordedInstance& Member(const StateSnapshot& state, const std::string& env,
                               const std::string& id) {
  for (const RecordedInstance& instance : state.environments.at(env).pools.at(0).instances) {
    if (instance.id == id || instance.node_id == id) return instance;
  }
  ADD_FAILURE() << id << " not recorded";
  static RecordedInstance none;
  return none;
}

TEST(Refresh, AnEmptyStateNeedsNoCalls) {
  FakeCloud cloud;
  Result<RefreshResult> result = Refresh(cloud, StateOf({}));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(cloud.calls().empty());
  EXPECT_TRUE(result->edit.empty());
}

TEST(Refresh, RecordsStatesAndMarksVanishedInstancesGone) {
  const EnvironmentSpec spec = Spec("render", 3);
  FakeCloud cloud;
  cloud.AddInstance(RefreshObserved("ins-a", InstanceState::kRunning, "RUNNING"));
  cloud.AddInstance(RefreshObserved("ins-b", InstanceState::kRunning, "RUNNING"));
  const StateSnapshot state = StateOf(
      {{spec,
        {PoolOf("p-1", spec, 3,
                {Ins("ins-a", "RUNNING"), Ins("ins-b", "PENDING"), Ins("ins-c", "RUNNING")})}}});

  Result<RefreshResult> result = Refresh(cloud, state);

  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(cloud.calls(), (std::vector<std::string>{"FindInstances", "DescribeInstances 3 ids"}));
  EXPECT_EQ(Member(result->refreshed, "render", "ins-b").state, "RUNNING");
  EXPECT_EQ(Member(result->refreshed, "render", "ins-c").state, "GONE");
  EXPECT_EQ(Kinds(*result),
            (std::vector<std::string>{"env.render ins-b state_changed", "env.render ins-c gone"}));
  EXPECT_EQ(result->drift[1].message,
            "no longer exists: reclaimed by the spot market or released outside spotform");
  ASSERT_EQ(result->edit.ops().size(), 1u);
  const auto& put = std::get<StateEdit::PutInstances>(result->edit.ops()[0]);
  EXPECT_EQ(put.pool_id, "p-1");
  EXPECT_EQ(put.instances.size(), 2u);
}

TEST(Refresh, GoneInstancesAreNotDescribedAgain) {
  const EnvironmentSpec spec = Spec("render", 1);
  FakeCloud cloud;
  cloud.AddInstance(RefreshObserved("ins-a", InstanceState::kRunning, "RUNNING"));
  Result<RefreshResult> result = Refresh(
      cloud,
      StateOf(
          {{spec, {PoolOf("p-1", spec, 1, {Ins("ins-a", "RUNNING"), Ins("ins-old", "GONE")})}}}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(cloud.calls().back(), "DescribeInstances 1 ids");
  EXPECT_TRUE(result->drift.empty());
  EXPECT_TRUE(result->edit.empty());
}

TEST(Refresh, InstancesTheOwnerTagSearchReturnsAreNotDescribedAgain) {
  const EnvironmentSpec spec = Spec("render", 2);
  StateSnapshot state = StateOf(
      {{spec, {PoolOf("p-1", spec, 2, {Ins("ins-a", "RUNNING"), Ins("ins-b", "RUNNING")})}}});
  FakeCloud cloud;
  cloud.AddInstance(RefreshObserved("ins-a", InstanceState::kRunning, "RUNNING",
                                    {{kOwnerLineageTag, state.lineage}}));
  Result<RefreshResult> result = Refresh(cloud, state);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(cloud.calls(), (std::vector<std::string>{"FindInstances", "DescribeInstances 1 ids"}));
  EXPECT_EQ(Member(result->refreshed, "render", "ins-a").state, "RUNNING");
  EXPECT_EQ(Member(result->refreshed, "render", "ins-b").state, "GONE");
}

TEST(Refresh, ReportsLaunchFailuresWithTheCloudsReason) {
  const EnvironmentSpec spec = Spec("render", 1);
  FakeCloud cloud;
  ObservedInstance failed = RefreshObserved("ins-a", InstanceState::kLaunchFailed, "LAUNCH_FAILED");
  failed.latest_error = "image not ready";
  cloud.AddInstance(failed);
  Result<RefreshResult> result =
      Refresh(cloud, StateOf({{spec, {PoolOf("p-1", spec, 1, {Ins("ins-a", "PENDING")})}}}));
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->drift.size(), 1u);
  EXPECT_EQ(result->drift[0].kind, "launch_failed");
  EXPECT_EQ(result->drift[0].message, "launch failed: image not ready");
}

TEST(Refresh, AdoptsInstancesAnInterruptedApplyLaunchedButNeverRecorded) {
  const EnvironmentSpec spec = Spec("render", 2);
  StateSnapshot state = StateOf({{spec, {PoolOf("p-1", spec, 2, {Ins("ins-a", "RUNNING")})}}});
  FakeCloud cloud;
  cloud.AddInstance(RefreshObserved("ins-a", InstanceState::kRunning, "RUNNING"));
  const Tags ours = {
      {kOwnerLineageTag, state.lineage}, {kOwnerEnvironmentTag, "render"}, {kOwnerPoolTag, "p-1"}};
  cloud.AddInstance(RefreshObserved("ins-orphan", InstanceState::kPending, "PENDING", ours));
  Tags unknown_pool = ours;
  unknown_pool[kOwnerPoolTag] = "p-zzz";
  cloud.AddInstance(RefreshObserved("ins-stray", InstanceState::kRunning, "RUNNING", unknown_pool));
  Tags other_state = ours;
  other_state[kOwnerLineageTag] = "another-lineage";
  cloud.AddInstance(
      RefreshObserved("ins-foreign", InstanceState::kRunning, "RUNNING", other_state));

  Result<RefreshResult> result = Refresh(cloud, state);

  ASSERT_TRUE(result.ok());
  const Pool& pool = result->refreshed.environments.at("render").pools.at(0);
  ASSERT_EQ(pool.instances.size(), 2u);
  EXPECT_EQ(pool.instances[1].id, "ins-orphan");
  EXPECT_EQ(pool.instances[1].state, "PENDING");
  EXPECT_EQ(Kinds(*result), (std::vector<std::string>{"env.render ins-orphan unrecorded",
                                                      "env.render ins-stray unrecorded"}));
  EXPECT_EQ(result->drift[0].message, "launched by an interrupted apply; now recorded");
}

ComputeEnv BatchEnv(const std::string& id, int desired, std::vector<ComputeNode> nodes) {
  ComputeEnv env;
  env.info.id = id;
  env.info.desired_count = desired;
  env.nodes = std::move(nodes);
  return env;
}

TEST(Refresh, BatchPoolsTakeTheNodeListAndReportAnOutsideCountChange) {
  const EnvironmentSpec spec = Spec("farm", 2, Mode::kBatch);
  FakeCloud cloud;
  cloud.PutComputeEnv(BatchEnv("env-1", 5,
                               {BatchNode("node-aaaaaaaa", "ins-aaaaaaaa"),
                                BatchNode("node-cccccccc", "", ComputeNodeState::kCreating)}));
  const StateSnapshot state =
      StateOf({{spec,
                {PoolOf("p-1", spec, 2,
                        {Node("node-aaaaaaaa", "CREATING"), Node("node-bbbbbbbb", "RUNNING")})}}});

  Result<RefreshResult> result = Refresh(cloud, state);

  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(cloud.calls(), (std::vector<std::string>{"FindInstances", "ListComputeEnvs",
                                                     "DescribeComputeEnv env-1"}));
  const Pool& pool = result->refreshed.environments.at("farm").pools.at(0);
  EXPECT_EQ(pool.expected_count, 5);
  ASSERT_EQ(pool.instances.size(), 2u);
  EXPECT_EQ(pool.instances[0].node_id, "node-aaaaaaaa");
  EXPECT_EQ(pool.instances[0].state, "RUNNING");
  EXPECT_EQ(pool.instances[1].node_id, "node-cccccccc");
  EXPECT_EQ(Kinds(*result),
            (std::vector<std::string>{"env.farm env-1 desired_count_changed",
                                      "env.farm node-bbbbbbbb (ins-bbbbbbbb) gone"}));
  EXPECT_EQ(result->drift[0].message, "DesiredComputeNodeCount changed outside spotform: 2 -> 5");
  EXPECT_EQ(result->drift[1].message,
            "no longer exists: reclaimed by the spot market or released outside spotform; "
            "Batch refills up to the desired count");
}

// A Batch environment created for this state's pool `pool_id` of environment `env`.
ComputeEnv OwnedBatchEnv(const std::string& id, const std::string& env,
                         const std::string& pool_id) {
  ComputeEnv owned = BatchEnv(id, 1, {BatchNode("node-aaaaaaaa", "ins-aaaaaaaa")});
  owned.info.tags = {{kOwnerLineageTag, "11111111-2222-4333-8444-555555555555"},
                     {kOwnerEnvironmentTag, env},
                     {kOwnerPoolTag, pool_id}};
  return owned;
}

TEST(Refresh, ABatchEnvironmentWhoseCreateAnswerWasLostIsAdoptedIntoItsPool) {
  const EnvironmentSpec spec = Spec("farm", 1, Mode::kBatch);
  FakeCloud cloud;
  cloud.PutComputeEnv(OwnedBatchEnv("env-lost", "farm", "p-1"));
  cloud.PutComputeEnv(OwnedBatchEnv("env-stray", "farm", "p-dropped"));
  ComputeEnv foreign = OwnedBatchEnv("env-foreign", "farm", "p-1");
  foreign.info.tags[kOwnerLineageTag] = "another-state";
  cloud.PutComputeEnv(foreign);
  Pool waiting = PoolOf("p-1", spec, 1, {});
  waiting.batch_env_id.clear();

  Result<RefreshResult> result = Refresh(cloud, StateOf({{spec, {waiting}}}));

  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const Pool& pool = result->refreshed.environments.at("farm").pools.at(0);
  EXPECT_EQ(pool.batch_env_id, "env-lost");
  ASSERT_EQ(pool.instances.size(), 1u);
  EXPECT_EQ(pool.instances[0].node_id, "node-aaaaaaaa");
  EXPECT_EQ(Kinds(*result), (std::vector<std::string>{"env.farm env-lost unrecorded",
                                                      "env.farm env-stray unrecorded"}));
  EXPECT_EQ(result->drift[0].message, "created by an interrupted apply; now recorded");
}

TEST(Refresh, ACvmOnlyStateDoesNotSearchForBatchEnvironments) {
  FakeCloud cloud;
  const EnvironmentSpec spec = Spec("render", 1);
  Result<RefreshResult> result = Refresh(cloud, StateOf({{spec, {PoolOf("p-1", spec, 1, {})}}}));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(cloud.calls(), std::vector<std::string>{"FindInstances"});
}

TEST(Refresh, ACountLoweredByAnInterruptedReleaseIsNotAChangeOutside) {
  // terminate-decrements: Batch lowered the count with a release whose run then died; the
  // next apply settles the open intent and restores the count.
  const EnvironmentSpec spec = Spec("farm", 2, Mode::kBatch);
  FakeCloud cloud;
  cloud.PutComputeEnv(BatchEnv("env-1", 1, {BatchNode("node-aaaaaaaa", "ins-aaaaaaaa")}));
  StateSnapshot state =
      StateOf({{spec, {PoolOf("p-1", spec, 2, {Node("node-aaaaaaaa", "RUNNING")})}}});
  JournalEntry release;
  release.id = 3;
  release.environment = "farm";
  release.pool_id = "p-1";
  release.kind = "release";
  state.open_intents.push_back(release);

  Result<RefreshResult> result = Refresh(cloud, state);

  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->refreshed.environments.at("farm").pools.at(0).expected_count, 2);
  EXPECT_EQ(Kinds(*result), std::vector<std::string>{"env.farm env-1 pending"});
}

TEST(Refresh, ABatchPoolThatSawNothingNewWritesNothing) {
  // A refresh with no news leaves the state's serial alone, so saved plans stay valid.
  const EnvironmentSpec spec = Spec("farm", 2, Mode::kBatch);
  FakeCloud cloud;
  cloud.PutComputeEnv(BatchEnv(
      "env-1", 2,
      {BatchNode("node-aaaaaaaa", "ins-aaaaaaaa"), BatchNode("node-bbbbbbbb", "ins-bbbbbbbb")}));
  const StateSnapshot first =
      StateOf({{spec,
                {PoolOf("p-1", spec, 2,
                        {Node("node-aaaaaaaa", "CREATING"), Node("node-bbbbbbbb", "RUNNING")})}}});
  Result<RefreshResult> seen = Refresh(cloud, first);
  ASSERT_TRUE(seen.ok()) << seen.error().ToString();
  EXPECT_FALSE(seen->edit.empty()) << "node-aaaaaaaa now runs: news";

  Result<RefreshResult> again = Refresh(cloud, seen->refreshed);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_TRUE(again->edit.empty());
  EXPECT_TRUE(again->drift.empty());
}

TEST(Refresh, ABatchNodeWithoutStockIsReportedOnce) {
  const EnvironmentSpec spec = Spec("farm", 1, Mode::kBatch);
  FakeCloud cloud;
  cloud.PutComputeEnv(
      BatchEnv("env-1", 1, {BatchNode("node-aaaaaaaa", "", ComputeNodeState::kCreationFailed)}));
  const StateSnapshot state =
      StateOf({{spec, {PoolOf("p-1", spec, 1, {Node("node-aaaaaaaa", "SUBMITTED")})}}});
  Result<RefreshResult> result = Refresh(cloud, state);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(Kinds(*result), std::vector<std::string>{"env.farm node-aaaaaaaa launch_failed"});
  Result<RefreshResult> again = Refresh(cloud, result->refreshed);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->drift.empty());
}

TEST(Refresh, AVanishedBatchEnvironmentDropsItsPool) {
  const EnvironmentSpec spec = Spec("farm", 2, Mode::kBatch);
  FakeCloud cloud;
  Result<RefreshResult> result = Refresh(
      cloud, StateOf({{spec, {PoolOf("p-1", spec, 2, {Node("node-aaaaaaaa", "RUNNING")})}}}));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_TRUE(result->refreshed.environments.at("farm").pools.empty());
  EXPECT_EQ(Kinds(*result), std::vector<std::string>{"env.farm env-1 env_gone"});
  ASSERT_EQ(result->edit.ops().size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StateEdit::RemovePool>(result->edit.ops()[0]));
}

}  // namespace
}  // namespace spotform
