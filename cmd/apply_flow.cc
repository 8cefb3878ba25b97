#include "cmd/apply_flow.h"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "cmd/command_options.h"
#include "cmd/drift_report.h"
#include "cmd/progress_printer.h"
#include "cmd/signals.h"
#include "cmd/state_lock_guard.h"
#include "cmd/workspace.h"
#include "engine/model/words.h"
#include "engine/plan/lock_scopes.h"
#include "engine/plan/market_survey.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/plan_render_text.h"
#include "engine/plan/planner.h"
#include "engine/plan/refresh.h"
#include "engine/plan/targets.h"

namespace spotform {
namespace {

// The open intents of the environments in `scope`: those this run may settle (the others may
// be another run's, in flight right now).
size_t OpenIntentsIn(const StateSnapshot& state, const LockScope& scope) {
  size_t count = 0;
  for (const JournalEntry& entry : state.open_intents) count += scope.Covers(entry.environment);
  return count;
}

// Settles what an interrupted run left open, then refreshes, records what the cloud
// reports (apply may write) and plans; all of it within `scope`, the environments locked.
Result<Plan> RefreshAndPlan(CommandContext& context, const ApplyFlowOptions& options,
                            const Config& config, StateStore& store, Cloud& cloud,
                            Executor& executor, const LockScope& scope) {
  Result<StateSnapshot> state = store.Load();
  if (!state.ok()) return state.error();
  if (const size_t open = OpenIntentsIn(*state, scope); open > 0) {
    context.err << "Finishing " << Plural(open, "operation", "operations")
                << " an interrupted run left open...\n";
    if (Status settled = executor.Settle(state->lineage, scope); !settled.ok()) {
      return settled.error();
    }
    state = store.Load();
    if (!state.ok()) return state.error();
  }
  if (Status ok = CheckTargets(options.targets, config, *state); !ok.ok()) return ok.error();

  StateSnapshot snapshot = std::move(state.value());
  if (snapshot.environments.empty() && !config.environments.empty() && !options.destroy) {
    if (Status access = CheckCloudAccess(cloud, snapshot.lineage); !access.ok()) {
      return access.error();
    }
  }
  size_t refreshing = 0;
  for (const auto& [name, environment] : snapshot.environments) refreshing += scope.Covers(name);
  if (refreshing > 0) {
    context.err << "Refreshing " << Plural(refreshing, "environment", "environments") << " from "
                << config.provider.region << "...\n";
    Result<RefreshResult> refreshed = Refresh(cloud, snapshot, scope);
    if (!refreshed.ok()) return refreshed.error();
    PrintDrift(context.err, refreshed->drift);
    snapshot = std::move(refreshed->refreshed);
    if (!refreshed->edit.empty()) {
      Result<ApplyOutcome> recorded = store.Apply(refreshed->edit);
      if (!recorded.ok()) return recorded.error();
      snapshot.serial = recorded->serial;
    }
  }
  PlanOptions plan_options;
  plan_options.destroy = options.destroy;
  plan_options.targets = options.targets;
  // A destroy releases everything: no order to decide.
  if (!options.destroy) plan_options.spot_prices = PricesForReleases(cloud, config);
  Plan plan = MakePlan(config, snapshot, plan_options);
  // Where the launches would go now and the quota they need (issue 14); the launch check
  // (a RunInstances DryRun) only when someone reads it before saying yes: with
  // --auto-approve the launch follows at once and reports the same refusals itself, and
  // without a terminal nobody is asked.
  const bool someone_confirms = !options.auto_approve && isatty(STDIN_FILENO) == 1;
  Status surveyed = SurveyMarket(cloud, plan, /*launch_checks=*/someone_confirms,
                                 HoldsInForce(snapshot.candidate_holds, context.clock.Now()));
  if (!surveyed.ok()) return surveyed.error();
  return plan;
}

// Reads a saved plan and checks that it can still be applied as it is.
Result<Plan> ReadCurrentPlan(const std::string& path, const Config& config, StateStore& store) {
  Result<Plan> plan = ReadPlanFile(path);
  if (!plan.ok()) return plan.error();
  Result<StateSnapshot> state = store.Load();
  if (!state.ok()) return state.error();
  if (OpenIntentsIn(*state, ScopeOfPlan(*plan)) > 0) {
    return Error(ErrorKind::kConflict,
                 "an earlier apply of " + ScopeOfPlan(*plan).Describe() +
                     " was interrupted: run `spotform apply` without a plan file to finish it, "
                     "then plan again");
  }
  Status current = CheckPlanIsCurrent(*plan, *state, config);
  if (!current.ok()) return current.error();
  return plan;
}

// Asks for `yes` on stdin. An error when stdin is not a terminal (scripts must say
// --auto-approve), false when the answer is anything else.
Result<bool> Confirm(CommandContext& context, const ApplyFlowOptions& options) {
  if (isatty(STDIN_FILENO) != 1) {
    return Error(ErrorKind::kInvalidInput,
                 "stdin is not a terminal, so there is nobody to confirm the plan: pass "
                 "--auto-approve to " +
                     options.operation + " without the question");
  }
  context.out << "\n"
              << (options.destroy ? "Do you really want to destroy everything listed above?"
                                  : "Do you want to perform these actions?")
              << " Only 'yes' will be accepted: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

// The closing lines after the table; returns the exit code. Counts only the changes that
// had something to do (no-ops are not "done"), as the table does.
int ReportOutcome(CommandContext& context, const ApplyFlowOptions& options, const Plan& plan,
                  const ApplyReport& report) {
  size_t done = 0, failed = 0, interrupted = 0, not_started = 0;
  for (size_t i = 0; i < report.changes.size() && i < plan.changes.size(); ++i) {
    if (plan.changes[i].action == ChangeAction::kNoOp) continue;
    switch (report.changes[i].result) {
      case ChangeOutcome::Result::kDone:
        ++done;
        break;
      case ChangeOutcome::Result::kFailed:
        ++failed;
        break;
      case ChangeOutcome::Result::kInterrupted:
        ++interrupted;
        break;
      case ChangeOutcome::Result::kNotStarted:
        ++not_started;
        break;
    }
  }
  const std::string verb = options.destroy ? "Destroy" : "Apply";
  if (report.ok()) {
    context.out << "\n" << verb << " complete.\n";
    return kExitOk;
  }
  context.out << "\n"
              << verb << (report.interrupted ? " interrupted" : " failed") << ": " << failed
              << " failed, " << interrupted << " interrupted, " << not_started << " not started, "
              << done << " done.\n";
  const std::string again = "run `spotform " + options.operation + "` again to finish";
  const std::string not_done =
      Plural(failed + interrupted + not_started, "change", "changes") + " not done";
  if (!report.lock_lost.empty()) {
    // Fenced out: the lock was taken away mid-run; the message says what to do.
    context.err << "spotform: " << not_done << ": " << report.lock_lost << "\n";
  } else if (failed > 0) {
    context.err << "spotform: " << not_done << "; fix what the errors say, then " << again << "\n";
  } else {
    // Stopped (Ctrl-C, SIGTERM) with nothing wrong: nothing to fix.
    context.err << "spotform: stopped with " << not_done << "; " << again << "\n";
  }
  return kExitError;
}

}  // namespace

int RunApplyFlow(CommandContext& context, const ApplyFlowOptions& options) {
  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(*config, context.clock);
  if (!store.ok()) return Fail(context, store.error().ToString());
  // Bad targets and stale or broken plan files are refused before the lock is taken, so
  // they leave the state file untouched; both are checked again under the lock.
  std::optional<LockScope> plan_scope;
  if (options.plan_file) {
    Result<Plan> saved = ReadCurrentPlan(*options.plan_file, *config, **store);
    if (!saved.ok()) return Fail(context, saved.error().message());
    plan_scope = ScopeOfPlan(*saved);
  } else if (!options.targets.empty()) {
    Result<StateSnapshot> state = (*store)->Load();
    if (!state.ok()) return Fail(context, state.error().ToString());
    if (Status ok = CheckTargets(options.targets, *config, *state); !ok.ok()) {
      return Fail(context, ok.error().message());
    }
  }
  Result<std::unique_ptr<CloudConnection>> cloud = CloudConnection::Open(*config, context);
  if (!cloud.ok()) return Fail(context, cloud.error().ToString());

  // Only the environments this run touches are locked: a saved plan's, the targets, else
  // all declared or recorded (issue 16).
  Result<std::unique_ptr<StateLockGuard>> lock = StateLockGuard::AcquireCovering(
      **store, options.operation, options.lock_timeout, context.err, [&]() -> Result<LockScope> {
        if (plan_scope) return *plan_scope;
        Result<StateSnapshot> now = (*store)->Load();
        if (!now.ok()) return now.error();
        return ScopeOfRun(*config, *now, options.targets);
      });
  if (!lock.ok()) return Fail(context, lock.error().message());

  SignalStop stop;
  ProgressPrinter printer(context.out, context.stdout_is_terminal, context.clock);
  Executor executor((*cloud)->cloud(), **store, context.clock, printer, stop, options.executor);

  Result<Plan> plan = options.plan_file
                          ? ReadCurrentPlan(*options.plan_file, *config, **store)
                          : RefreshAndPlan(context, options, *config, **store, (*cloud)->cloud(),
                                           executor, (*lock)->scope());
  if (!plan.ok()) {
    // A settle or refresh write refused because the lock was lost says so, whatever failed.
    if (std::optional<Error> lost = (*store)->LockLost()) return Fail(context, lost->message());
    return Fail(context, plan.error().message());
  }

  if (!options.plan_file) {
    context.out << RenderPlanText(*plan, RenderOptions{.color = context.Color()});
    if (!plan->HasChanges()) return kExitOk;
    if (!options.auto_approve) {
      Result<bool> approved = Confirm(context, options);
      if (!approved.ok()) return Fail(context, approved.error().message());
      if (!*approved) {
        context.out << "\n" << (options.destroy ? "Destroy" : "Apply") << " cancelled.\n";
        return kExitError;
      }
    }
  } else if (!plan->HasChanges()) {
    context.out << "No changes. The saved plan has nothing to do.\n";
    return kExitOk;
  } else {
    context.out << "Applying the saved plan " << *options.plan_file << ".\n";
  }
  if (stop.StopRequested()) return Fail(context, "stopped before anything was changed");

  Result<StateSnapshot> state = (*store)->Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  context.out << "\n";
  const ApplyReport report = executor.Apply(*plan, state->lineage);
  printer.Finish();
  context.out << "\n" << RenderApplyReport(*plan, report);
  return ReportOutcome(context, options, *plan, report);
}

}  // namespace spotform
