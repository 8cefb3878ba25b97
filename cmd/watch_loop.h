#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "cmd/cli_context.h"
#include "engine/apply/backoff.h"
#include "engine/apply/executor.h"
#include "engine/apply/keeper.h"
#include "engine/apply/launch_market.h"
#include "engine/apply/progress.h"
#include "engine/model/cloud.h"
#include "engine/model/state_store.h"
#include "engine/plan/refresh.h"

namespace spotform {

// What `spotform watch` was asked to do, from its flags.
struct WatchOptions {
  std::chrono::milliseconds interval{30'000};      // between rounds
  std::chrono::milliseconds lock_timeout{1'000};   // wait for another run's lock, per round
  std::chrono::milliseconds max_backoff{600'000};  // cap of a refused pool's back-off
  bool once = false;                               // one round, then exit
  // Fallback candidates: how long one that refused a launch is skipped, and one that lost
  // instances to a reclaim is tried last.
  std::chrono::seconds unavailable_ttl = LaunchMarket::kDefaultUnavailableTtl;
  std::chrono::seconds reclaim_cooldown = LaunchMarket::kDefaultReclaimCooldown;
  ExecutorOptions executor;
};

// WatchLog writes the keeper's log: one line per event, "2026-11-27T08:00:00Z " (UTC, from
// the clock) then the event, flushed at once so `tail -f` and journald see it. It is also
// the executor's progress observer: notes become lines, and the result of each launch step is
// kept (by pool id) for the round to read. Thread-safe. Borrows the stream and the clock.
class WatchLog final : public ProgressObserver {
 public:
  WatchLog(std::ostream& out, Clock& clock) : out_(out), clock_(clock) {}

  void Line(const std::string& text);

  void StepStarted(const std::string&, const Step&) override {}
  void StepFinished(const std::string& address, const Step& step, const Status& status) override;
  void Waiting(const std::string&, int, int, int, std::chrono::seconds) override {}
  void Note(const std::string& address, const std::string& message) override;

  // The launch results recorded since the last call, by pool id; clears them.
  std::map<std::string, Status> TakeLaunchResults();

 private:
  std::mutex mutex_;
  std::ostream& out_;
  Clock& clock_;
  std::map<std::string, Status> launch_results_;
};

// WatchLoop is the cvm keeper behind `spotform watch`. Each round locks the environments no
// other run holds (waiting at most options.lock_timeout; those held are skipped with a
// "waiting" line naming the holder), settles what an interrupted run left open, refreshes and
// records what the cloud reports, decides with PlanKeeperRound (the recorded expected counts, never
// the config's), runs the launches through the Executor, and releases the lock before sleeping. A
// pool whose launch is refused backs off (Backoff: twice the interval, doubling, capped). Transient
// errors are logged and retried next round; only an unreadable state ends it. Borrows everything it
// is given; they must outlive it.
class WatchLoop {
 public:
  WatchLoop(CommandContext& context, StateStore& store, Cloud& cloud, const StopSignal& stop,
            const WatchOptions& options);

  // Runs rounds until the stop signal is set (or one round with options.once). Returns the
  // exit code: 0 when stopped by a signal, 1 for a fatal error; with --once, 0 when the round
  // did all it had to and 1 when something was left undone (lock held, refusals, errors).
  int Run();

 private:
  enum class RoundEnd { kComplete, kIncomplete, kFatal };

  RoundEnd Round();
  // The locked part of a round, on the environments of `scope`.
  RoundEnd KeepLocked(const LockScope& scope);
  // Runs the launches and forgets of `keeper`; false when something was not done.
  bool Execute(const StateSnapshot& state, const KeeperPlan& keeper);
  void ReportSkips(const KeeperPlan& keeper);
  // Puts the candidates of instances a refresh found gone (reclaimed) last for a while;
  // returns the holds, for the state.
  std::vector<CandidateHold> NoteReclaims(const StateSnapshot& before,
                                          const std::vector<Drift>& drift);
  // A "waiting:" line (with --once, "not kept:") for each lock in `held`.
  void LogLocksHeld(const std::vector<LockInfo>& held);
  // "; trying again in 30s", or "" with --once.
  std::string RetryText() const;
  // Sleeps options_.interval on the clock in short slices, returning early on a stop.
  void SleepBetweenRounds();

  CommandContext& context_;
  StateStore& store_;
  Cloud& cloud_;
  const StopSignal& stop_;
  WatchOptions options_;
  WatchLog log_;
  LaunchMarket market_;  // shared by the rounds (declared before executor_, which borrows it)
  Executor executor_;
  Backoff backoff_;
  std::map<std::string, std::string> reported_skips_;  // address -> the reason last logged
  bool reported_empty_ = false;                        // "nothing to keep" was logged
  std::string fatal_;                                  // why the loop ended, when fatal
};

// "2026-11-27T08:00:00Z"
std::string FormatUtcTimestamp(Clock::WallTime time);

}  // namespace spotform
