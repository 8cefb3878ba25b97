// `spotform refresh`: records what the cloud reports; changes nothing in the cloud.
#include <nlohmann/json.hpp>

#include "cmd/command_options.h"
#include "cmd/command_state.h"
#include "cmd/commands.h"
#include "cmd/drift_report.h"
#include "cmd/duration_flag.h"
#include "cmd/json_output.h"
#include "cmd/state_lock_guard.h"
#include "cmd/workspace.h"
#include "engine/model/words.h"
#include "engine/plan/lock_scopes.h"
#include "engine/plan/refresh.h"
#include "engine/plan/state_render.h"
#include "engine/plan/targets.h"

namespace spotform {
namespace {

namespace po = boost::program_options;

// What one refresh did, for the closing words and for --json.
struct RefreshOutcome {
  int64_t serial_before = 0;
  int64_t serial_after = 0;
  bool recorded = false;  // the state changed
  size_t open_intents = 0;
  std::vector<Drift> drift;
};

void PrintText(CommandContext& context, const RefreshOutcome& outcome) {
  PrintDrift(context.out, outcome.drift);
  if (!outcome.recorded) {
    if (NewsworthyDrift(outcome.drift).empty()) {
      context.out << "No changes: the state matches the cloud.\n";
    } else {
      context.out << "\nNothing to record: the state is unchanged.\n";
    }
  } else {
    context.out << (NewsworthyDrift(outcome.drift).empty() ? "" : "\n")
                << "Recorded what the cloud reports: state serial " << outcome.serial_before
                << " -> " << outcome.serial_after << ". Nothing in the cloud was changed.\n";
  }
}

nlohmann::ordered_json OutcomeJson(const RefreshOutcome& outcome) {
  return {{"format_version", "1.0"},
          {"serial_before", outcome.serial_before},
          {"serial", outcome.serial_after},
          {"recorded", outcome.recorded},
          {"open_intents", outcome.open_intents},
          {"drift", DriftToJson(outcome.drift)}};
}

}  // namespace

int RunRefresh(CommandContext& context) {
  CommandOptions options(
      "spotform refresh [--target env.NAME]... [--json] [--lock-timeout DURATION]",
      "Asks the cloud about everything the state records and records what it reports:\n"
      "instances reclaimed by the spot market or released outside spotform (GONE), launches\n"
      "that failed, Batch counts changed by hand, instances an interrupted apply launched.\n"
      "Prints each difference. Nothing in the cloud is changed (only Describe calls); the\n"
      "state is written in one change under its lock. `spotform plan` refreshes too, without\n"
      "writing; use refresh to record the cloud's view for `show`, `state list` or scripts.\n"
      "It locks only the environments it refreshes (--target, else all), so it runs beside\n"
      "an apply of other environments.\n"
      "Examples:\n"
      "  spotform refresh\n"
      "  spotform refresh --json | jq '.drift[] | select(.kind == \"gone\")'\n"
      "  spotform refresh --target env.render     only env.render\n"
      "  spotform refresh --lock-timeout 5m      wait for a running apply to finish");
  bool json = false;
  std::vector<std::string> targets;
  std::string lock_timeout = "0s";
  options.Add()("target", po::value<std::vector<std::string>>(&targets)->value_name("env.NAME"),
                "refresh only this environment (repeatable)")(
      "json", po::bool_switch(&json),
      "print one JSON document (format_version, serial, recorded, drift)")(
      "lock-timeout",
      po::value<std::string>(&lock_timeout)->value_name("DURATION")->default_value("0s"),
      "wait this long for another run's lock instead of failing at once");
  options.LogsApiCalls();
  if (auto stop = options.Parse(context)) return *stop;
  Result<std::chrono::milliseconds> wait = ParseDuration(lock_timeout);
  if (!wait.ok()) return Fail(context, "--lock-timeout: " + wait.error().message());

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  const Config& config = workspace->config;
  StateStore& store = *workspace->store;
  Result<StateSnapshot> first = store.Load();
  if (!first.ok()) return Fail(context, first.error().ToString());
  if (Status ok = CheckTargets(targets, config, *first); !ok.ok()) {
    return Fail(context, ok.error().message());
  }
  RefreshOutcome outcome;
  if (first->environments.empty()) {
    outcome.serial_before = outcome.serial_after = first->serial;
    if (json) {
      context.out << JsonOutput(OutcomeJson(outcome));
    } else {
      context.out << "The state records no environments: nothing to refresh.\n";
    }
    return kExitOk;
  }
  Result<std::unique_ptr<CloudConnection>> cloud = CloudConnection::Open(config, context);
  if (!cloud.ok()) return Fail(context, cloud.error().ToString());
  Result<std::unique_ptr<StateLockGuard>> lock = StateLockGuard::AcquireCovering(
      store, "refresh", *wait, context.err, [&]() -> Result<LockScope> {
        Result<StateSnapshot> now = store.Load();
        if (!now.ok()) return now.error();
        return ScopeOfRun(config, *now, targets);
      });
  if (!lock.ok()) return Fail(context, lock.error().message());
  const LockScope& scope = (*lock)->scope();

  // Read again under the lock: what was recorded before may have changed while waiting.
  Result<StateSnapshot> state = store.Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  outcome.serial_before = outcome.serial_after = state->serial;
  outcome.open_intents = state->open_intents.size();
  size_t refreshing = 0;
  for (const auto& [name, environment] : state->environments) refreshing += scope.Covers(name);
  context.err << "Refreshing " << Plural(refreshing, "environment", "environments") << " from "
              << config.provider.region << "...\n";
  Result<RefreshResult> refreshed = Refresh((*cloud)->cloud(), *state, scope);
  if (!refreshed.ok()) return Fail(context, refreshed.error().ToString());
  // The edit holds only what changed: an unchanged cloud leaves the serial alone.
  if (!refreshed->edit.empty()) {
    // Observations only: the journal's open intents are kept for the next apply to settle.
    Result<ApplyOutcome> recorded = store.Apply(refreshed->edit);
    if (!recorded.ok()) return Fail(context, recorded.error().ToString());
    outcome.recorded = true;
    outcome.serial_after = recorded->serial;
  }
  outcome.drift = std::move(refreshed->drift);
  if (json) {
    context.out << JsonOutput(OutcomeJson(outcome));
  } else {
    PrintText(context, outcome);
  }
  if (outcome.open_intents > 0) {
    context.err << "Note: " << Plural(outcome.open_intents, "operation", "operations")
                << " of an interrupted run " << (outcome.open_intents == 1 ? "is" : "are")
                << " still open in the journal; `spotform apply` finishes "
                << (outcome.open_intents == 1 ? "it" : "them") << ".\n";
  }
  return kExitOk;
}

}  // namespace spotform
