#include "engine/apply/executor.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "engine/apply/cvm_launcher.h"
#include "engine/apply/settle.h"
#include "engine/apply/step_context.h"
#include "engine/apply/step_runner_batch.h"
#include "engine/apply/step_runner_cvm.h"
#include "engine/apply/synchronized_state_store.h"
#include "engine/model/words.h"

namespace spotform {
namespace {

std::string EnvironmentName(const Change& change) {
  if (change.after.has_value()) return change.after->name;
  if (change.before.has_value()) return change.before->name;
  return EnvironmentNameOf(change.address);
}

// The user's stop request, or the store's lock lost: either way nothing new starts, and
// waits end. Borrows both, which outlive it.
class StopOrLockLost final : public StopSignal {
 public:
  StopOrLockLost(const StopSignal& user, StateStore& store) : user_(user), store_(store) {}
  bool StopRequested() const override {
    return user_.StopRequested() || store_.LockLost().has_value();
  }

 private:
  const StopSignal& user_;
  StateStore& store_;
};

Status Applied(const Result<ApplyOutcome>& outcome) {
  return outcome.ok() ? Status::Ok() : Status(outcome.error());
}

// Records the environment before its first pool, so pools have somewhere to live.
Status EnsureEnvironment(StepContext& context, const EnvironmentSpec& applied) {
  Result<StateSnapshot> state = context.store.Load();
  if (!state.ok()) return state.error();
  if (state->environments.count(context.environment) > 0) return Status::Ok();
  return Applied(context.store.Apply(StateEdit().Add(StateEdit::PutEnvironment{applied})));
}

Status RunStep(StepContext& context, const Change& change, const Step& step, StepTally& tally) {
  const bool batch = step.spec.mode == Mode::kBatch;
  switch (step.kind) {
    case StepKind::kCreatePool: {
      Status recorded =
          EnsureEnvironment(context, change.after.has_value() ? *change.after : step.spec);
      if (!recorded.ok()) return recorded;
      if (!batch) return CvmCreatePool(context, step);
      Status created = BatchCreatePool(context, step);
      if (created.ok()) tally.launched += step.count;  // nodes Batch now brings up
      return created;
    }
    case StepKind::kLaunch:
      return CvmLauncher(context, step, tally).Run();
    case StepKind::kWaitForCapacity:
      return batch ? BatchWaitForCapacity(context, step, tally)
                   : CvmWaitForCapacity(context, step, tally);
    case StepKind::kSetExpectedCount: {
      if (!batch) return CvmSetExpectedCount(context, step);
      Status set = BatchSetExpectedCount(context, step, tally);
      if (set.ok() && step.to > step.from) tally.launched += step.to - step.from;
      return set;
    }
    case StepKind::kRelease:
      return batch ? BatchRelease(context, step, tally) : CvmRelease(context, step, tally);
    case StepKind::kForget:
      return Applied(context.store.Apply(StateEdit().Add(
          StateEdit::RemoveInstances{context.environment, step.pool_id, step.ids})));
    case StepKind::kDeletePool:
      return batch ? BatchDeletePool(context, step, tally) : CvmDeletePool(context, step);
    case StepKind::kRecordSpec:
      return Applied(context.store.Apply(StateEdit().Add(StateEdit::PutEnvironment{step.spec})));
    case StepKind::kSetInstanceTypes:
      if (!batch) {
        return Error(ErrorKind::kInternal,
                     context.Address() + ": set_instance_types is a batch-mode step");
      }
      return BatchSetInstanceTypes(context, step, tally);
  }
  return Error(ErrorKind::kInternal, context.Address() + ": unknown step kind");
}

// True for a step that lowers, releases or deletes a pool other than `new_pool`: retiring old
// capacity, which must wait until the new capacity runs.
bool RetiresOtherPool(const Step& step, const std::string& new_pool) {
  if (step.pool_id.empty() || step.pool_id == new_pool) return false;
  return step.kind == StepKind::kSetExpectedCount || step.kind == StepKind::kRelease ||
         step.kind == StepKind::kDeletePool;
}

// After a create failed: when nothing exists in the cloud for the new environment (no
// instance or node recorded, no Batch environment, nothing open in the journal), its records
// go too, so the state never holds a pool expected to run N with none live.
Status ForgetEmptyCreation(StepContext& context) {
  Result<StateSnapshot> state = context.store.Load();
  if (!state.ok()) return state.error();
  auto env = state->environments.find(context.environment);
  if (env == state->environments.end()) return Status::Ok();
  for (const Pool& pool : env->second.pools) {
    if (!pool.instances.empty() || !pool.batch_env_id.empty()) return Status::Ok();
  }
  for (const JournalEntry& entry : state->open_intents) {
    if (entry.environment == context.environment) return Status::Ok();
  }
  return Applied(
      context.store.Apply(StateEdit().Add(StateEdit::RemoveEnvironment{context.environment})));
}

// Removes a deleted environment's record once its steps are done.
Status RemoveEnvironment(StepContext& context) {
  Result<StateSnapshot> state = context.store.Load();
  if (!state.ok()) return state.error();
  if (state->environments.count(context.environment) == 0) return Status::Ok();
  return Applied(
      context.store.Apply(StateEdit().Add(StateEdit::RemoveEnvironment{context.environment})));
}

}  // namespace

bool ApplyReport::ok() const {
  if (interrupted || !lock_lost.empty()) return false;
  return std::all_of(changes.begin(), changes.end(), [](const ChangeOutcome& change) {
    return change.result == ChangeOutcome::Result::kDone;
  });
}

Executor::Executor(Cloud& cloud, StateStore& store, Clock& clock, ProgressObserver& progress,
                   const StopSignal& stop, const ExecutorOptions& options)
    : cloud_(cloud),
      store_(store),
      clock_(clock),
      progress_(progress),
      stop_(stop),
      options_(options) {}

Status Executor::Settle(const std::string& lineage, const LockScope& scope) {
  SynchronizedStateStore store(store_);
  const StopOrLockLost stop(stop_, store);
  Result<StateSnapshot> state = store.Load();
  if (!state.ok()) return state.error();
  std::vector<std::string> failures;
  LaunchMarket own_market;
  LaunchMarket& market = options_.market != nullptr ? *options_.market : own_market;
  market.Seed(state->candidate_holds);  // holds recorded by earlier runs
  for (const JournalEntry& entry : state->open_intents) {
    // Another run's, maybe in flight right now: its own lock keeps it.
    if (!scope.Covers(entry.environment)) continue;
    StepContext context{
        cloud_, store, clock_, progress_, stop, options_, lineage, entry.environment, market};
    Status settled = SettleIntent(context, entry);
    if (std::optional<Error> lost = store.LockLost()) return *lost;  // settle nothing more
    if (!settled.ok()) failures.push_back(settled.error().message());
  }
  if (failures.empty()) return Status::Ok();
  std::string message = "could not settle " +
                        Plural(failures.size(), "interrupted operation", "interrupted operations") +
                        ": ";
  for (size_t i = 0; i < failures.size(); ++i) message += (i == 0 ? "" : "; ") + failures[i];
  return Error(ErrorKind::kConflict, message);
}

ApplyReport Executor::Apply(const Plan& plan, const std::string& lineage) {
  SynchronizedStateStore store(store_);
  const StopOrLockLost stop(stop_, store);
  ApplyReport report;
  report.changes.resize(plan.changes.size());
  for (size_t i = 0; i < plan.changes.size(); ++i) {
    report.changes[i].address = plan.changes[i].address;
  }

  LaunchMarket own_market;
  LaunchMarket& market = options_.market != nullptr ? *options_.market : own_market;
  // Holds recorded by earlier runs; unreadable here, the first step's read reports it.
  if (Result<StateSnapshot> state = store.Load(); state.ok()) {
    market.Seed(state->candidate_holds);
  }
  auto run_change = [&](const Change& change, ChangeOutcome& outcome) {
    StepContext context{
        cloud_, store, clock_, progress_, stop, options_, lineage, EnvironmentName(change), market};
    std::string unconfirmed_pool;  // new capacity not waited for (--no-wait)
    for (const Step& step : change.steps) {
      if (!unconfirmed_pool.empty() && RetiresOtherPool(step, unconfirmed_pool)) {
        progress_.Note(change.address,
                       "kept the replaced capacity (pool " + step.pool_id +
                           "): the new capacity is not running yet (--no-wait); a later apply "
                           "retires it once the new runs");
        break;
      }
      if (stop.StopRequested()) {
        outcome.result = outcome.steps_done > 0 ? ChangeOutcome::Result::kInterrupted
                                                : ChangeOutcome::Result::kNotStarted;
        return;
      }
      progress_.StepStarted(change.address, step);
      StepTally tally;
      Status status = RunStep(context, change, step, tally);
      progress_.StepFinished(change.address, step, status);
      outcome.launched += tally.launched;
      outcome.released += tally.released;
      if (tally.capacity_unconfirmed) unconfirmed_pool = step.pool_id;
      if (!status.ok()) {
        outcome.result = tally.interrupted ? ChangeOutcome::Result::kInterrupted
                                           : ChangeOutcome::Result::kFailed;
        outcome.error = status.error().message();
        if (change.action == ChangeAction::kCreate && !tally.interrupted &&
            !store.LockLost().has_value()) {
          Status forgotten = ForgetEmptyCreation(context);
          if (!forgotten.ok()) outcome.error += "; " + forgotten.error().message();
        }
        return;
      }
      ++outcome.steps_done;
    }
    if (change.action == ChangeAction::kDelete) {
      Status removed = RemoveEnvironment(context);
      if (!removed.ok()) {
        outcome.result = ChangeOutcome::Result::kFailed;
        outcome.error = change.address + ": " + removed.error().message();
        return;
      }
    }
    outcome.result = ChangeOutcome::Result::kDone;
  };

  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < plan.changes.size(); i = next++) {
      run_change(plan.changes[i], report.changes[i]);
    }
  };
  const size_t threads =
      std::min(plan.changes.size(), static_cast<size_t>(std::max(1, options_.parallelism)));
  {
    std::vector<std::jthread> workers;
    for (size_t i = 0; i < threads; ++i) workers.emplace_back(worker);
  }
  if (std::optional<Error> lost = store.LockLost()) report.lock_lost = lost->message();
  report.interrupted =
      stop_.StopRequested() ||
      std::any_of(report.changes.begin(), report.changes.end(), [](const ChangeOutcome& c) {
        return c.result == ChangeOutcome::Result::kInterrupted;
      });
  return report;
}

}  // namespace spotform
