#include "cmd/watch_loop.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include "cmd/drift_report.h"
#include "cmd/state_lock_guard.h"
#include "engine/model/words.h"
#include "engine/plan/lock_scopes.h"
#include "engine/plan/refresh.h"
#include "state/lock_message.h"

namespace spotform {
namespace {

// How long one sleep slice lasts: a stop signal is noticed within this time.
constexpr std::chrono::milliseconds kSleepSlice{100};

}  // namespace

std::string FormatUtcTimestamp(Clock::WallTime time) {
  return FormatUtc(time, "%Y-%m-%dT%H:%M:%SZ");
}

// --- WatchLog ---------------------------------------------------------------------------

void WatchLog::Line(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  out_ << FormatUtcTimestamp(clock_.Now()) << " " << text << std::endl;
}

void WatchLog::StepFinished(const std::string&, const Step& step, const Status& status) {
  if (step.kind != StepKind::kLaunch) return;
  std::lock_guard<std::mutex> lock(mutex_);
  launch_results_.insert_or_assign(step.pool_id, status);
}

void WatchLog::Note(const std::string& address, const std::string& message) {
  Line(address + ": " + message);
}

std::map<std::string, Status> WatchLog::TakeLaunchResults() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(launch_results_, {});
}

// --- WatchLoop --------------------------------------------------------------------------

namespace {

ExecutorOptions WithMarket(const ExecutorOptions& options, LaunchMarket& market) {
  ExecutorOptions with = options;
  with.market = &market;
  return with;
}

}  // namespace

WatchLoop::WatchLoop(CommandContext& context, StateStore& store, Cloud& cloud,
                     const StopSignal& stop, const WatchOptions& options)
    : context_(context),
      store_(store),
      cloud_(cloud),
      stop_(stop),
      options_(options),
      log_(context.out, context.clock),
      market_(options.unavailable_ttl, options.reclaim_cooldown),
      executor_(cloud, store, context.clock, log_, stop, WithMarket(options.executor, market_)),
      backoff_(options.interval, std::max(options.max_backoff, options.interval)) {}

int WatchLoop::Run() {
  log_.Line("watch: keeping cvm environments at their recorded expected counts" +
            (options_.once
                 ? std::string(" (one round)")
                 : ", every " + FormatDelay(options_.interval) + "; stop with Ctrl-C or SIGTERM"));
  while (!stop_.StopRequested()) {
    const RoundEnd end = Round();
    if (std::optional<Error> lost = store_.LockLost()) {
      // Fenced out (force-unlock, take-over, lost database session): no more rounds.
      context_.err << "spotform: watch stopped: " << lost->message() << "\n";
      return kExitError;
    }
    if (end == RoundEnd::kFatal) {
      context_.err << "spotform: watch stopped: " << fatal_ << "\n";
      return kExitError;
    }
    if (options_.once) return end == RoundEnd::kComplete ? kExitOk : kExitError;
    SleepBetweenRounds();
  }
  log_.Line("watch stopped");
  return kExitOk;
}

WatchLoop::RoundEnd WatchLoop::Round() {
  Result<StateSnapshot> before = store_.Load();
  if (!before.ok()) {
    fatal_ = "cannot read the state: " + before.error().ToString();
    log_.Line(fatal_);
    return RoundEnd::kFatal;
  }
  if (before->environments.empty() && before->open_intents.empty()) {
    if (!reported_empty_) log_.Line("nothing to keep: the state records no environment yet");
    reported_empty_ = true;
    return RoundEnd::kComplete;
  }
  reported_empty_ = false;
  // Only the environments nobody else holds now: an apply of one does not stop the others
  // being kept (issue 16).
  Result<std::vector<LockInfo>> held = store_.CurrentLocks();
  if (!held.ok()) {
    log_.Line("could not read the state's locks: " + held.error().message() + RetryText());
    return RoundEnd::kIncomplete;
  }
  // A lock left by a process of this host that no longer runs is no reason to skip: taking
  // the lock takes it over.
  std::erase_if(*held, [](const LockInfo& lock) {
    return CheckLockHolder(lock) == LockHolderStatus::kGoneHere;
  });
  const LockScope wanted = ScopeOfKeeper(*before, *held);
  if (wanted.environments().empty()) {
    LogLocksHeld(*held);
    return RoundEnd::kIncomplete;
  }
  std::ostringstream notes;
  Result<std::unique_ptr<StateLockGuard>> lock =
      StateLockGuard::Acquire(store_, "watch", wanted, options_.lock_timeout, notes);
  if (!notes.str().empty()) {
    std::string note = notes.str();
    while (!note.empty() && note.back() == '\n') note.pop_back();
    log_.Line(note.starts_with("spotform: ") ? note.substr(10) : note);
  }
  if (!lock.ok()) {
    // Taken meanwhile by another run: the message names it.
    const std::string what = options_.once ? "nothing done: " : "waiting: ";
    log_.Line((lock.error().kind() == ErrorKind::kConflict
                   ? what
                   : std::string("could not take the state's lock: ")) +
              lock.error().message() + RetryText());
    return RoundEnd::kIncomplete;
  }
  // Environments held by others are not kept this round, and say so.
  const bool all_kept = ScopeOfKeeper(*before, {}).Within((*lock)->scope());
  if (!all_kept) LogLocksHeld(*held);
  // The lock is held from here to the end of the round, so no apply or destroy of these
  // environments runs meanwhile: the expected counts read below stay true until the
  // launches are recorded.
  const RoundEnd end = KeepLocked((*lock)->scope());
  return all_kept || end == RoundEnd::kFatal ? end : RoundEnd::kIncomplete;
}

// Why this is safe against a concurrent apply that lowers a count: the keeper acts on an
// environment only while it holds that environment's lock, and it reads the expected counts
// from the state after taking it. An apply also holds the lock of every environment it
// touches from its first read to its last write. So the two
// never interleave: either this round finishes (launches recorded, lock released) before the
// apply reads the state, and the apply's plan sees and releases what was launched; or the
// apply finishes first (count lowered and confirmed, surplus released, lock released) and this
// round reads the lowered count and launches nothing beyond it. Nothing is remembered between
// rounds except back-off timers, so a count lowered between rounds is always respected.
// A saved plan is applied under the lock as well, and refused as stale when a round changed
// the state (serial) after it was made.
WatchLoop::RoundEnd WatchLoop::KeepLocked(const LockScope& scope) {
  Result<StateSnapshot> state = store_.Load();
  if (!state.ok()) {
    fatal_ = "cannot read the state: " + state.error().ToString();
    log_.Line(fatal_);
    return RoundEnd::kFatal;
  }
  bool complete = true;
  if (!state->open_intents.empty()) {
    log_.Line("finishing " + Plural(state->open_intents.size(), "operation", "operations") +
              " an interrupted run left open");
    if (Status settled = executor_.Settle(state->lineage, scope); !settled.ok()) {
      log_.Line(settled.error().message());
      complete = false;
    }
    state = store_.Load();
    if (!state.ok()) {
      fatal_ = "cannot read the state: " + state.error().ToString();
      log_.Line(fatal_);
      return RoundEnd::kFatal;
    }
  }
  if (state->environments.empty()) {
    if (!reported_empty_) log_.Line("nothing to keep: the state records no environment yet");
    reported_empty_ = true;
    return complete ? RoundEnd::kComplete : RoundEnd::kIncomplete;
  }
  reported_empty_ = false;

  Result<RefreshResult> refreshed = Refresh(cloud_, *state, scope);
  if (!refreshed.ok()) {
    log_.Line("refresh failed: " + refreshed.error().ToString() + RetryText());
    return RoundEnd::kIncomplete;
  }
  // Reclaimed candidates cool in the state too, recorded with the refresh (which records the
  // reclaimed instances anyway): a round that saw nothing new writes nothing.
  const std::vector<CandidateHold> cooling = NoteReclaims(*state, refreshed->drift);
  if (!cooling.empty()) refreshed->edit.Add(StateEdit::PruneCandidateHolds{context_.clock.Now()});
  for (const CandidateHold& hold : cooling) refreshed->edit.Add(StateEdit::PutCandidateHold{hold});
  for (const std::string& line : DriftLines(refreshed->drift)) log_.Line(line);
  StateSnapshot snapshot = std::move(refreshed->refreshed);
  // The keeper sees only what this round locked.
  std::erase_if(snapshot.environments,
                [&](const auto& entry) { return !scope.Covers(entry.first); });
  if (!refreshed->edit.empty()) {
    Result<ApplyOutcome> recorded = store_.Apply(refreshed->edit);
    if (!recorded.ok()) {
      log_.Line("could not record the refresh: " + recorded.error().ToString() + RetryText());
      return RoundEnd::kIncomplete;
    }
    snapshot.serial = recorded->serial;
  }

  const KeeperPlan keeper = PlanKeeperRound(snapshot);
  ReportSkips(keeper);
  if (!keeper.skipped.empty()) {
    for (const KeeperSkip& skip : keeper.skipped) {
      if (!skip.reason.starts_with("batch mode")) complete = false;
    }
  }
  if (!Execute(snapshot, keeper)) complete = false;
  return complete ? RoundEnd::kComplete : RoundEnd::kIncomplete;
}

std::vector<CandidateHold> WatchLoop::NoteReclaims(const StateSnapshot& before,
                                                   const std::vector<Drift>& drift) {
  market_.ForgetMarket();  // prices and stock are read afresh each round
  std::vector<CandidateHold> holds;
  for (const Drift& item : drift) {
    const bool reclaimed = item.kind == "gone" ||
                           (item.kind == "state_changed" && item.message.ends_with("TERMINATING"));
    if (!reclaimed) continue;
    for (const auto& [name, env] : before.environments) {
      if (env.applied.Address() != item.address) continue;
      for (const Pool& pool : env.pools) {
        for (const RecordedInstance& instance : pool.instances) {
          if (instance.id == item.subject && !instance.id.empty()) {
            holds.push_back(
                market_.MarkReclaimed(instance.zone, instance.instance_type, context_.clock.Now()));
          }
        }
      }
    }
  }
  return holds;
}

bool WatchLoop::Execute(const StateSnapshot& state, const KeeperPlan& keeper) {
  const Clock::SteadyTime now = context_.clock.SteadyNow();
  std::set<std::string> hold;
  bool complete = true;
  for (const KeeperPoolRound& pool : keeper.pools) {
    if (pool.launch == 0) continue;
    if (!backoff_.Due(pool.pool_id, now)) {
      hold.insert(pool.pool_id);
      complete = false;
    }
  }
  const Plan plan = KeeperRoundPlan(state, keeper, hold);
  if (plan.changes.empty()) return complete;
  for (const KeeperPoolRound& pool : keeper.pools) {
    if (pool.launch > 0 && hold.count(pool.pool_id) == 0) {
      log_.Line(pool.Address() + ": " + DescribeKeeperLaunch(pool));
    }
  }

  log_.TakeLaunchResults();
  const ApplyReport report = executor_.Apply(plan, state.lineage);
  std::map<std::string, Status> launches = log_.TakeLaunchResults();

  std::set<std::string> reported;  // addresses whose launch result is logged below
  for (const KeeperPoolRound& pool : keeper.pools) {
    auto result = launches.find(pool.pool_id);
    if (result == launches.end()) continue;
    reported.insert(pool.Address());
    if (result->second.ok()) {
      backoff_.Succeeded(pool.pool_id);
      log_.Line(pool.Address() + ": " + Plural(pool.launch, "replacement", "replacements") +
                " running; " + std::to_string(pool.live + pool.launch) + " of " +
                std::to_string(pool.expected) + " expected");
      continue;
    }
    complete = false;
    if (stop_.StopRequested()) continue;  // interrupted: the next run finishes it
    const Error& error = result->second.error();
    const std::chrono::milliseconds delay =
        backoff_.Failed(pool.pool_id, context_.clock.SteadyNow());
    // With --once there is no next round: promise no retry.
    const std::string retry = options_.once ? "" : "; retrying in " + FormatDelay(delay);
    if (error.kind() == ErrorKind::kCapacity && !error.code().empty()) {
      log_.Line(pool.Address() + ": " + DescribeCapacityRefusal(pool, error) + retry);
    } else {
      log_.Line(error.message() + retry);
    }
  }
  // Failures of the other steps (a forget that could not be recorded): next round retries.
  for (const ChangeOutcome& change : report.changes) {
    if (change.result == ChangeOutcome::Result::kDone) continue;
    complete = false;
    if (reported.count(change.address) > 0 || stop_.StopRequested()) continue;
    if (!change.error.empty()) log_.Line(change.error);
  }
  return complete;
}

void WatchLoop::ReportSkips(const KeeperPlan& keeper) {
  std::map<std::string, std::string> now;
  for (const KeeperSkip& skip : keeper.skipped) now[skip.address] = skip.reason;
  for (const auto& [address, reason] : now) {
    auto it = reported_skips_.find(address);
    if (it == reported_skips_.end() || it->second != reason) {
      log_.Line(address + ": skipped: " + reason);
    }
  }
  reported_skips_ = std::move(now);
}

void WatchLoop::LogLocksHeld(const std::vector<LockInfo>& held) {
  // With --once this round is all there is: it did nothing there, and waits for nothing.
  const std::string what = options_.once ? "nothing done: " : "waiting: ";
  for (const LockInfo& info : held) {
    const bool several = !info.scope.whole_state() && info.scope.environments().size() > 1;
    log_.Line(what + info.scope.Describe() + (several ? " are" : " is") + " locked by " +
              info.operation + " (" + info.user + "@" + info.host + ", pid " +
              std::to_string(info.pid) + ", for " +
              FormatLockAge(context_.clock.Now() - info.created) + ", lock ID " + info.id + ")" +
              RetryText());
  }
}

std::string WatchLoop::RetryText() const {
  return options_.once ? "" : "; trying again in " + FormatDelay(options_.interval);
}

void WatchLoop::SleepBetweenRounds() {
  const Clock::SteadyTime until = context_.clock.SteadyNow() + options_.interval;
  while (!stop_.StopRequested()) {
    const Clock::SteadyTime now = context_.clock.SteadyNow();
    if (now >= until) return;
    context_.clock.SleepFor(std::min<std::chrono::nanoseconds>(until - now, kSleepSlice));
  }
}

}  // namespace spotform
