#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cmd/cli_context.h"
#include "engine/apply/executor.h"

namespace spotform {

// What `apply` or `destroy` was asked to do, from their flags.
struct ApplyFlowOptions {
  std::string operation = "apply";       // "apply" or "destroy": the lock's operation
  bool destroy = false;                  // plan the removal of everything in state
  std::optional<std::string> plan_file;  // apply PLANFILE: execute exactly this plan
  bool auto_approve = false;             // skip the question
  std::vector<std::string> targets;      // --target env.NAME
  std::chrono::milliseconds lock_timeout{0};
  ExecutorOptions executor;
};

// The shared flow of `apply` and `destroy`: load the config, take the state's lock (released
// on every way out), settle an interrupted run's journal, refresh and record what the cloud
// reports, plan (or read a saved plan and check it is current), show the plan, ask for
// `yes`, execute with live progress, print what each environment did. SIGINT/SIGTERM stop
// it after the calls in flight. Returns the exit code: 0 only when every change is done.
int RunApplyFlow(CommandContext& context, const ApplyFlowOptions& options);

}  // namespace spotform
