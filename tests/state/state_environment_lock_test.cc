// Locks per environment (issue 16), on both backends: runs on disjoint environments hold
// their locks at once; overlapping ones and the whole-state lock are refused naming the
// holder and what is in conflict; a writer writes only what it locked; force-unlock removes
// one lock and leaves the others; every write moves on the serials of the environments it
// touches, and only theirs.
#include <gtest/gtest.h>

#include "state/pg_connection.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

class EnvironmentLockTest : public BackendStoreTest {
 protected:
  static LockRequest On(const std::string& user, int64_t pid, std::vector<std::string> names) {
    LockRequest request = LockRequestBy(user, pid);
    request.scope = LockScope::Environments(std::move(names));
    return request;
  }
  static LockRequest OnWholeState(const std::string& user, int64_t pid) {
    LockRequest request = LockRequestBy(user, pid);
    request.operation = "state mv";
    return request;
  }
  static StateEdit Put(const EnvironmentSpec& spec) {
    return StateEdit().Add(StateEdit::PutEnvironment{spec});
  }
  // Locks `request` on a new store, expecting success.
  std::pair<std::unique_ptr<StateStore>, LockInfo> Holder(const LockRequest& request) {
    std::unique_ptr<StateStore> store = OpenStore();
    Result<LockInfo> lock = store->Lock(request);
    EXPECT_TRUE(lock.ok()) << lock.error().message();
    return {std::move(store), lock.ok() ? *lock : LockInfo()};
  }
  // The refusal `request` gets on a new store.
  std::string Refusal(const LockRequest& request) {
    Result<LockInfo> lock = OpenStore()->Lock(request);
    EXPECT_FALSE(lock.ok());
    if (lock.ok()) return "";
    EXPECT_EQ(lock.error().kind(), ErrorKind::kConflict);
    return lock.error().message();
  }
};

TEST_P(EnvironmentLockTest, DisjointEnvironmentsAreLockedAndWrittenAtOnce) {
  auto [render_run, render_lock] = Holder(On("alice", 1, {"render"}));
  auto [ci_run, ci_lock] = Holder(On("bob", 2, {"ci"}));
  MustApply(*render_run, Put(RenderSpec()));
  MustApply(*ci_run, Put(testing::Spec("ci", 2)));
  MustApply(*render_run, Put(RenderSpec()));

  Result<std::vector<LockInfo>> held = OpenStore()->CurrentLocks();
  ASSERT_TRUE(held.ok()) << held.error().message();
  ASSERT_EQ(held->size(), 2u);
  std::set<std::string> scopes;
  for (const LockInfo& lock : *held) scopes.insert(lock.scope.Describe());
  EXPECT_EQ(scopes, (std::set<std::string>{"env.render", "env.ci"}));
  EXPECT_EQ(MustLoad(*OpenStore()).serial, 3);
}

TEST_P(EnvironmentLockTest, AnOverlappingLockIsRefusedNamingTheHolderAndTheSharedEnvironments) {
  auto [holder, lock] = Holder(On("alice", 4242, {"ci", "render"}));
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(Refusal(On("bob", 7, {"bake", "ci"})),
            "state " + state_name_ +
                " is locked: held by alice@ci-3 (pid 4242) for apply of env.ci, 5s ago; lock ID " +
                lock.id + "; if that process is gone, run `spotform force-unlock " + lock.id + "`");
  // What does not overlap is free.
  Holder(On("bob", 7, {"bake"}));
}

TEST_P(EnvironmentLockTest, TheWholeStateLockConflictsWithEveryEnvironmentLock) {
  {
    auto [holder, lock] = Holder(On("alice", 1, {"render"}));
    auto [other, other_lock] = Holder(On("bob", 2, {"ci"}));
    const std::string refused = Refusal(OnWholeState("carol", 3));
    EXPECT_NE(refused.find("held by alice@ci-3 (pid 1) for apply of env.render"), std::string::npos)
        << refused;
    EXPECT_NE(refused.find("held by bob@ci-3 (pid 2) for apply of env.ci"), std::string::npos)
        << refused;
    EXPECT_NE(refused.find("; and held by "), std::string::npos) << refused;
    EXPECT_NE(refused.find("if one of those processes is gone"), std::string::npos) << refused;
    ASSERT_TRUE(holder->Unlock(lock.id).ok());
    ASSERT_TRUE(other->Unlock(other_lock.id).ok());
  }
  auto [mover, lock] = Holder(OnWholeState("carol", 3));
  EXPECT_NE(Refusal(On("alice", 1, {"render"}))
                .find("held by carol@ci-3 (pid 3) for state mv of the whole state"),
            std::string::npos);
}

TEST_P(EnvironmentLockTest, AWriterWritesOnlyTheEnvironmentsItLocked) {
  auto [holder, lock] = Holder(On("alice", 1, {"render"}));
  MustApply(*holder, Put(RenderSpec()));
  Result<ApplyOutcome> outside =
      holder->Apply(Put(RenderSpec()).Add(StateEdit::PutEnvironment{testing::Spec("ci", 1)}));
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().kind(), ErrorKind::kInternal);
  EXPECT_EQ(outside.error().message(), "state " + state_name_ +
                                           ": this run locked env.render but tried to write "
                                           "env.ci; nothing was written");
  const StateSnapshot now = MustLoad(*OpenStore());
  EXPECT_EQ(now.serial, 1);
  EXPECT_EQ(now.environments.count("ci"), 0u);
  // The lock still holds: a slip is not a lost lock.
  EXPECT_FALSE(holder->LockLost().has_value());
  EXPECT_EQ(MustApply(*holder, Put(RenderSpec())).serial, 2);
}

TEST_P(EnvironmentLockTest, ForceUnlockRemovesThatLockAndLeavesTheOthers) {
  auto [render_run, render_lock] = Holder(On("alice", 1, {"render"}));
  auto [ci_run, ci_lock] = Holder(On("bob", 2, {"ci"}));
  ASSERT_TRUE(OpenStore()->ForceUnlock(render_lock.id).ok());

  Result<std::vector<LockInfo>> held = OpenStore()->CurrentLocks();
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ(held->front().id, ci_lock.id);
  EXPECT_EQ(MustApply(*ci_run, Put(testing::Spec("ci", 2))).serial, 1);
  Result<ApplyOutcome> fenced = render_run->Apply(Put(RenderSpec()));
  ASSERT_FALSE(fenced.ok());
  EXPECT_EQ(fenced.error().kind(), ErrorKind::kConflict);
  EXPECT_NE(fenced.error().message().find(render_lock.id), std::string::npos);
  // Another run takes env.render at once.
  Holder(On("carol", 3, {"render"}));
  // An unknown id names the locks there are.
  const Status unknown = OpenStore()->ForceUnlock("feedface");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(unknown.error().message().find(ci_lock.id), std::string::npos)
      << unknown.error().message();
}

TEST_P(EnvironmentLockTest, EachWriteMovesOnTheSerialsOfTheEnvironmentsItTouchesOnly) {
  std::unique_ptr<StateStore> store = OpenStore();
  MustApply(*store, Put(RenderSpec()));            // serial 1
  MustApply(*store, Put(testing::Spec("ci", 2)));  // serial 2
  MustApply(
      *store,
      Put(RenderSpec())
          .Add(StateEdit::PutCandidateHold{{"ap-guangzhou-3", "S5.MEDIUM4", HoldKind::kUnavailable,
                                            clock_.Now() + std::chrono::minutes(3)}}));  // serial 3
  EXPECT_EQ(MustLoad(*store).environment_serials,
            (std::map<std::string, int64_t>{{"ci", 2}, {"render", 3}}));
  // A removed environment keeps its serial: a plan made before the removal is stale.
  MustApply(*store, StateEdit().Add(StateEdit::RemoveEnvironment{"ci"}));  // serial 4
  EXPECT_EQ(MustLoad(*store).environment_serials,
            (std::map<std::string, int64_t>{{"ci", 4}, {"render", 3}}));
  // A restore moves every environment on, those of the backup and of the replaced state.
  std::unique_ptr<StateStore> restorer = OpenStore();
  Result<LockInfo> lock = restorer->Lock(OnWholeState("carol", 3));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  MustApply(*restorer, Put(testing::Spec("bake", 1)));  // serial 5; backup = serial 4
  Result<RestoreOutcome> restored = restorer->RestoreBackup();
  ASSERT_TRUE(restored.ok()) << restored.error().message();
  EXPECT_EQ(restored->serial, 6);
  EXPECT_EQ(MustLoad(*store).environment_serials,
            (std::map<std::string, int64_t>{{"bake", 6}, {"ci", 6}, {"render", 6}}));
}

TEST_P(EnvironmentLockTest, AnInstanceIsRecordedInOneEnvironmentOnlyWhoeverHoldsWhichLock) {
  const EnvironmentSpec ci = testing::Spec("ci", 1);
  MustApply(*OpenStore(), Put(RenderSpec())
                              .Add(StateEdit::PutPool{"render", MakePool("p-1", RenderSpec(), 1)})
                              .Add(StateEdit::PutEnvironment{ci})
                              .Add(StateEdit::PutPool{"ci", MakePool("p-2", ci, 1)}));
  // Two imports of one instance, each under its own environment's lock.
  auto [render_run, render_lock] = Holder(On("alice", 1, {"render"}));
  auto [ci_run, ci_lock] = Holder(On("bob", 2, {"ci"}));
  const RecordedInstance adopted = Instance("ins-0000000a", "RUNNING", clock_.Now());
  MustApply(*render_run, StateEdit().Add(StateEdit::PutInstances{"render", "p-1", {adopted}}));
  Result<ApplyOutcome> second =
      ci_run->Apply(StateEdit().Add(StateEdit::PutInstances{"ci", "p-2", {adopted}}));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(second.error().message(),
            "ins-0000000a is already recorded in env.render; it was not recorded in env.ci");
  const StateSnapshot now = MustLoad(*OpenStore());
  EXPECT_EQ(now.environments.at("ci").pools.at(0).instances.size(), 0u);
  EXPECT_EQ(now.environments.at("render").pools.at(0).instances.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EnvironmentLockTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// PostgreSQL only: the advisory locks keep conflicting scopes apart, and a holder whose
// session ended leaves a row that the next conflicting run takes over.
class PgEnvironmentLockTest : public EnvironmentLockTest {};

TEST_P(PgEnvironmentLockTest, ARowLeftByAnEndedSessionIsTakenOverByTheNextConflictingLock) {
  std::string dead_id;
  {
    auto [holder, lock] = Holder(On("alice", 1, {"ci", "render"}));
    dead_id = lock.id;
    Result<PgConnection> raw = PgConnection::Connect(url_, "test");
    ASSERT_TRUE(raw.ok());
    Result<int64_t> ended = raw->QueryInt(
        "SELECT pg_terminate_backend(backend_pid, 5000)::int FROM spotform_locks "
        "WHERE workspace = $1 AND id = $2",
        {settings_.workspace, lock.id});
    ASSERT_TRUE(ended.ok() && *ended == 1);
  }
  auto [bake_run, bake_lock] = Holder(On("carol", 3, {"bake"}));
  auto [next, lock] = Holder(On("bob", 2, {"render"}));
  Result<std::vector<LockInfo>> held = OpenStore()->CurrentLocks();
  ASSERT_TRUE(held.ok());
  std::set<std::string> ids;
  for (const LockInfo& row : *held) ids.insert(row.id);
  EXPECT_EQ(ids, (std::set<std::string>{bake_lock.id, lock.id})) << "the dead row " << dead_id;
}

INSTANTIATE_TEST_SUITE_P(Backends, PgEnvironmentLockTest, ::testing::Values(Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace spotform
