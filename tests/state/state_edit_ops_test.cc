#include <gtest/gtest.h>

#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

// Each StateEdit op, applied to a state holding env.render with pool p-1 and two instances.
class StateEditOpsTest : public BackendStoreTest {
 protected:
  void SetUp() override {
    BackendStoreTest::SetUp();
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    Pool pool = MakePool("p-1", RenderSpec(), 2);
    pool.instances = {Instance("ins-00000001", "RUNNING", clock_.Now()),
                      Instance("ins-00000002", "PENDING", clock_.Now())};
    MustApply(*store_, StateEdit()
                           .Add(StateEdit::PutEnvironment{RenderSpec()})
                           .Add(StateEdit::PutPool{"render", pool}));
  }

  Pool OnlyPool(const StateSnapshot& snapshot) {
    return snapshot.environments.at("render").pools.at(0);
  }

  std::vector<std::string> InstanceIds(const Pool& pool) {
    std::vector<std::string> ids;
    for (const RecordedInstance& instance : pool.instances) {
      ids.push_back(instance.id.empty() ? instance.node_id : instance.id);
    }
    return ids;
  }

  // The edit fails with `kind` and `message`, and the state is exactly as before.
  void ExpectRefusedUnchanged(const StateEdit& edit, ErrorKind kind, const std::string& message) {
    const std::string before = Dump(MustLoad(*store_));
    Result<ApplyOutcome> outcome = store_->Apply(edit);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().kind(), kind);
    EXPECT_EQ(outcome.error().message(), message);
    EXPECT_EQ(Dump(MustLoad(*store_)), before);
  }

  std::unique_ptr<StateStore> store_;
};

TEST_P(StateEditOpsTest, PutEnvironmentReplacesTheAppliedSpecAndKeepsPools) {
  EnvironmentSpec changed = RenderSpec();
  changed.desired_count = 7;
  changed.tags = {{"team", "lighting"}};
  MustApply(*store_, StateEdit().Add(StateEdit::PutEnvironment{changed}));
  StateSnapshot loaded = MustLoad(*store_);
  EXPECT_EQ(DumpSpec(loaded.environments.at("render").applied), DumpSpec(changed));
  EXPECT_EQ(InstanceIds(OnlyPool(loaded)),
            (std::vector<std::string>{"ins-00000001", "ins-00000002"}));
}

TEST_P(StateEditOpsTest, RemoveEnvironmentDropsItsPoolsAndInstances) {
  MustApply(*store_, StateEdit().Add(StateEdit::RemoveEnvironment{"render"}));
  EXPECT_TRUE(MustLoad(*store_).environments.empty());
  // A new environment of the same name starts with no pools.
  MustApply(*store_, StateEdit().Add(StateEdit::PutEnvironment{RenderSpec()}));
  EXPECT_TRUE(MustLoad(*store_).environments.at("render").pools.empty());
}

TEST_P(StateEditOpsTest, PutPoolUpdatesFieldsAndUpsertsItsInstancesKeepingOthers) {
  Pool update = MakePool("p-1", RenderSpec(), 5);
  update.batch_env_id = "";
  update.instances = {Instance("ins-00000002", "RUNNING", clock_.Now()),
                      Instance("ins-00000003", "PENDING", clock_.Now())};
  MustApply(*store_, StateEdit().Add(StateEdit::PutPool{"render", update}));
  const Pool pool = OnlyPool(MustLoad(*store_));
  EXPECT_EQ(pool.expected_count, 5);
  EXPECT_EQ(InstanceIds(pool),
            (std::vector<std::string>{"ins-00000001", "ins-00000002", "ins-00000003"}));
  EXPECT_EQ(pool.instances[1].state, "RUNNING");
}

TEST_P(StateEditOpsTest, RemovePoolDropsItsInstancesOnly) {
  MustApply(*store_,
            StateEdit().Add(StateEdit::PutPool{"render", MakePool("p-2", RenderSpec(), 1)}));
  MustApply(*store_, StateEdit().Add(StateEdit::RemovePool{"render", "p-1"}));
  const RecordedEnvironment render = MustLoad(*store_).environments.at("render");
  ASSERT_EQ(render.pools.size(), 1u);
  EXPECT_EQ(render.pools[0].id, "p-2");
}

TEST_P(StateEditOpsTest, SetExpectedCountChangesOnlyTheCount) {
  MustApply(*store_, StateEdit().Add(StateEdit::SetExpectedCount{"render", "p-1", 0}));
  const Pool pool = OnlyPool(MustLoad(*store_));
  EXPECT_EQ(pool.expected_count, 0);
  EXPECT_EQ(pool.instances.size(), 2u);
}

TEST_P(StateEditOpsTest, PutInstancesMatchesByIdAndUpdatesEveryField) {
  RecordedInstance changed = Instance("ins-00000001", "TERMINATING", clock_.Now());
  changed.zone = "ap-guangzhou-4";
  changed.client_token = "";
  changed.origin = InstanceOrigin::kImported;
  MustApply(*store_, StateEdit().Add(StateEdit::PutInstances{"render", "p-1", {changed}}));
  const Pool pool = OnlyPool(MustLoad(*store_));
  ASSERT_EQ(pool.instances.size(), 2u);
  EXPECT_EQ(pool.instances[0].state, "TERMINATING");
  EXPECT_EQ(pool.instances[0].zone, "ap-guangzhou-4");
  EXPECT_EQ(pool.instances[0].client_token, "");
  EXPECT_EQ(pool.instances[0].origin, InstanceOrigin::kImported);
}

TEST_P(StateEditOpsTest, BatchNodeIsMatchedByNodeIdWhenItsInstanceAppears) {
  RecordedInstance node;
  node.node_id = "node-abcd0001";
  node.state = "CREATING";
  MustApply(*store_, StateEdit().Add(StateEdit::PutInstances{"render", "p-1", {node}}));
  node.id = "ins-0000000b";
  node.state = "RUNNING";
  MustApply(*store_, StateEdit().Add(StateEdit::PutInstances{"render", "p-1", {node}}));
  const Pool pool = OnlyPool(MustLoad(*store_));
  EXPECT_EQ(InstanceIds(pool),
            (std::vector<std::string>{"ins-00000001", "ins-00000002", "ins-0000000b"}));
  EXPECT_EQ(pool.instances[2].node_id, "node-abcd0001");
  EXPECT_EQ(pool.instances[2].state, "RUNNING");
}

TEST_P(StateEditOpsTest, RemoveInstancesMatchesIdsOrNodeIdsAndSkipsUnknownOnes) {
  RecordedInstance node;
  node.node_id = "node-abcd0001";
  node.state = "CREATING";
  MustApply(*store_, StateEdit().Add(StateEdit::PutInstances{"render", "p-1", {node}}));
  MustApply(*store_, StateEdit().Add(StateEdit::RemoveInstances{
                         "render", "p-1", {"ins-00000002", "node-abcd0001", "ins-gone0000", ""}}));
  EXPECT_EQ(InstanceIds(OnlyPool(MustLoad(*store_))), std::vector<std::string>{"ins-00000001"});
}

TEST_P(StateEditOpsTest, CloseIntentHidesItFromOpenIntents) {
  JournalEntry entry;
  entry.environment = "render";
  entry.pool_id = "p-1";
  entry.kind = "release";
  ApplyOutcome opened = MustApply(
      *store_, StateEdit().Add(StateEdit::OpenIntent{entry}).Add(StateEdit::OpenIntent{entry}));
  MustApply(*store_, StateEdit().Add(StateEdit::CloseIntent{opened.intent_ids[0]}));
  StateSnapshot loaded = MustLoad(*store_);
  ASSERT_EQ(loaded.open_intents.size(), 1u);
  EXPECT_EQ(loaded.open_intents[0].id, opened.intent_ids[1]);
}

TEST_P(StateEditOpsTest, EditNamingAMissingEnvironmentChangesNothing) {
  ExpectRefusedUnchanged(StateEdit()
                             .Add(StateEdit::SetExpectedCount{"render", "p-1", 9})
                             .Add(StateEdit::PutEnvironment{BakeSpec()})
                             .Add(StateEdit::PutPool{"nowhere", MakePool("p-9", BakeSpec(), 1)}),
                         ErrorKind::kNotFound, "env.nowhere is not in the state");
}

TEST_P(StateEditOpsTest, EditNamingAMissingPoolChangesNothing) {
  for (const StateEdit::Op& op : std::vector<StateEdit::Op>{
           StateEdit::RemovePool{"render", "p-404"},
           StateEdit::SetExpectedCount{"render", "p-404", 1},
           StateEdit::PutInstances{"render", "p-404", {Instance("ins-1", "RUNNING", {})}},
           StateEdit::RemoveInstances{"render", "p-404", {"ins-00000001"}}}) {
    ExpectRefusedUnchanged(StateEdit().Add(StateEdit::SetExpectedCount{"render", "p-1", 9}).Add(op),
                           ErrorKind::kNotFound, "pool p-404 of env.render is not in the state");
  }
}

TEST_P(StateEditOpsTest, RemovingAMissingEnvironmentChangesNothing) {
  ExpectRefusedUnchanged(StateEdit()
                             .Add(StateEdit::RemoveEnvironment{"render"})
                             .Add(StateEdit::RemoveEnvironment{"render"}),
                         ErrorKind::kNotFound, "env.render is not in the state");
}

TEST_P(StateEditOpsTest, ClosingAnIntentThatIsNotOpenChangesNothing) {
  JournalEntry entry;
  entry.kind = "launch";
  ExpectRefusedUnchanged(
      StateEdit().Add(StateEdit::OpenIntent{entry}).Add(StateEdit::CloseIntent{77}),
      ErrorKind::kNotFound, "intent 77 is not open");
}

TEST_P(StateEditOpsTest, InstanceWithoutAnyIdIsRefused) {
  RecordedInstance nameless;
  nameless.state = "PENDING";
  ExpectRefusedUnchanged(StateEdit().Add(StateEdit::PutInstances{"render", "p-1", {nameless}}),
                         ErrorKind::kInvalidInput,
                         "an instance to record in pool p-1 of env.render has neither an "
                         "instance id nor a node id");
}

INSTANTIATE_TEST_SUITE_P(Backends, StateEditOpsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace spotform
