#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "state/lock_message.h"
#include "state/lock_wait.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

using std::chrono::milliseconds;

// A FakeClock that runs a hook before each sleep (e.g. the holder letting go meanwhile).
class HookedClock final : public Clock {
 public:
  WallTime Now() const override { return fake_.Now(); }
  SteadyTime SteadyNow() const override { return fake_.SteadyNow(); }
  void SleepFor(std::chrono::nanoseconds duration) override {
    if (on_sleep_) on_sleep_(fake_.sleeps().size());
    fake_.SleepFor(duration);
  }
  std::function<void(size_t)> on_sleep_;
  FakeClock fake_;
};

TEST_P(BackendStoreTest, LockIsRecordedWithItsHolderAndTime) {
  auto store = OpenStore();
  Result<LockInfo> lock = store->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  EXPECT_EQ(lock->id.size(), 32u);
  EXPECT_EQ(lock->created, clock_.Now());
  Result<std::optional<LockInfo>> current = OpenStore()->CurrentLock();
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->id, lock->id);
  EXPECT_EQ((*current)->operation, "apply");
  EXPECT_EQ((*current)->user, "alice");
  EXPECT_EQ((*current)->host, "ci-3");
  EXPECT_EQ((*current)->pid, 4242);
  EXPECT_EQ((*current)->created, lock->created);
}

TEST_P(BackendStoreTest, SecondWriterFailsAtOnceNamingTheHolder) {
  auto alice = OpenStore();
  auto bob = OpenStore();
  Result<LockInfo> held = alice->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(held.ok());
  clock_.Advance(std::chrono::seconds(133));
  Result<LockInfo> refused = bob->Lock(LockRequestBy("bob", 7));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(
      refused.error().message(),
      "state " + state_name_ +
          " is locked: held by alice@ci-3 (pid 4242) for apply of the whole state, 2m13s ago; "
          "lock ID " +
          held->id + "; if that process is gone, run `spotform force-unlock " + held->id + "`");
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_P(BackendStoreTest, UnlockLetsTheNextWriterIn) {
  auto alice = OpenStore();
  auto bob = OpenStore();
  Result<LockInfo> held = alice->Lock(LockRequestBy("alice", 1));
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(alice->Unlock(held->id).ok());
  EXPECT_FALSE(alice->CurrentLock()->has_value());
  Result<LockInfo> next = bob->Lock(LockRequestBy("bob", 2));
  ASSERT_TRUE(next.ok());
  EXPECT_NE(next->id, held->id);
}

TEST_P(BackendStoreTest, UnlockOfALockNotHeldIsNotFound) {
  auto store = OpenStore();
  Status unlocked = store->Unlock("feedface");
  ASSERT_FALSE(unlocked.ok());
  EXPECT_EQ(unlocked.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(unlocked.error().message(), "state " + state_name_ + " is not locked");

  Result<LockInfo> held = store->Lock(LockRequestBy("alice", 1));
  ASSERT_TRUE(held.ok());
  Status wrong = store->ForceUnlock("feedface");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(wrong.error().message(), "lock ID feedface is not held on state " + state_name_ +
                                         " (it is locked with lock ID " + held->id + ")");
  EXPECT_TRUE(store->CurrentLock()->has_value()) << "a wrong ID removes nothing";
}

TEST_P(BackendStoreTest, ForceUnlockRemovesAnotherHoldersLock) {
  auto alice = OpenStore();
  Result<LockInfo> held = alice->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(held.ok());
  auto bob = OpenStore();
  ASSERT_TRUE(bob->ForceUnlock(held->id).ok());
  EXPECT_TRUE(bob->Lock(LockRequestBy("bob", 7)).ok());
}

TEST_P(BackendStoreTest, WaitingForAHeldLockPollsThroughTheClockThenFails) {
  auto alice = OpenStore();  // holds the lock while it lives
  Result<LockInfo> held = alice->Lock(LockRequestBy("alice", 4242));
  ASSERT_TRUE(held.ok());
  Result<LockInfo> refused = OpenStore()->Lock(LockRequestBy("bob", 7, milliseconds(1100)));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(refused.error().message(),
            "state " + state_name_ +
                " is still locked after waiting 1s: held by alice@ci-3 (pid "
                "4242) for apply of the whole state, 1s ago; lock ID " +
                held->id + "; if that process is gone, run `spotform force-unlock " + held->id +
                "`");
  EXPECT_EQ(clock_.sleeps(), (std::vector<std::chrono::nanoseconds>{
                                 milliseconds(250), milliseconds(250), milliseconds(250),
                                 milliseconds(250), milliseconds(100)}));
}

TEST_P(BackendStoreTest, WaitingWriterGetsTheLockOnceTheHolderLetsGo) {
  HookedClock clock;
  Result<std::unique_ptr<StateStore>> alice = TryOpenStore(clock);
  Result<std::unique_ptr<StateStore>> bob = TryOpenStore(clock);
  ASSERT_TRUE(alice.ok() && bob.ok());
  Result<LockInfo> held = (*alice)->Lock(LockRequestBy("alice", 1));
  ASSERT_TRUE(held.ok());
  clock.on_sleep_ = [&](size_t sleeps_so_far) {
    if (sleeps_so_far == 2) {
      ASSERT_TRUE((*alice)->Unlock(held->id).ok());
    }
  };
  Result<LockInfo> got = (*bob)->Lock(LockRequestBy("bob", 2, std::chrono::seconds(30)));
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(got->user, "bob");
  EXPECT_EQ(clock.fake_.sleeps().size(), 3u);
}

TEST_P(BackendStoreTest, LockOnAMissingStateCreatesIt) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Lock(LockRequestBy("alice", 1)).ok());
  if (GetParam() == Backend::kSqlite) {
    EXPECT_TRUE(std::filesystem::exists(path_));
  }
  EXPECT_EQ(MustLoad(*store).serial, 0) << "a lock is not a state change";
}

TEST_P(BackendStoreTest, LockHeldByAnotherProcessNamesItsPid) {
  int to_parent[2];
  int to_child[2];
  ASSERT_EQ(::pipe(to_parent), 0);
  ASSERT_EQ(::pipe(to_child), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SystemClock clock;
    const Result<std::unique_ptr<StateStore>> store = TryOpenStore(clock);
    const LockInfo lock = LockForParentOrExit(store, to_parent[1]);
    char go = 0;
    if (::read(to_child[0], &go, 1) != 1) ::_exit(5);
    ::_exit((*store)->Unlock(lock.id).ok() ? 0 : 6);
  }
  char id[32];
  ASSERT_EQ(::read(to_parent[0], id, sizeof(id)), static_cast<ssize_t>(sizeof(id)));
  const std::string lock_id(id, sizeof(id));

  auto store = OpenStore();
  Result<LockInfo> refused = store->Lock(LockRequestBy("parent", ::getpid()));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kConflict);
  EXPECT_NE(refused.error().message().find("held by child@ci-3 (pid " + std::to_string(child) +
                                           ") for apply"),
            std::string::npos)
      << refused.error().message();
  EXPECT_NE(refused.error().message().find("lock ID " + lock_id), std::string::npos);

  ASSERT_EQ(::write(to_child[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(store->Lock(LockRequestBy("parent", ::getpid())).ok());
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) ::close(fd);
}

TEST(LockAgeTest, ReadsLikeADuration) {
  using std::chrono::seconds;
  EXPECT_EQ(FormatLockAge(seconds(-5)), "0s");
  EXPECT_EQ(FormatLockAge(seconds(0)), "0s");
  EXPECT_EQ(FormatLockAge(milliseconds(59999)), "59s");
  EXPECT_EQ(FormatLockAge(seconds(60)), "1m00s");
  EXPECT_EQ(FormatLockAge(seconds(133)), "2m13s");
  EXPECT_EQ(FormatLockAge(seconds(3600 + 5 * 60 + 9)), "1h05m");
  EXPECT_EQ(FormatLockAge(seconds(3 * 86400 + 4 * 3600)), "3d04h");
}

}  // namespace
}  // namespace spotform
