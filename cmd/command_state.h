#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cmd/cli_context.h"
#include "cmd/workspace.h"
#include "engine/config/config.h"
#include "engine/model/state_snapshot.h"
#include "engine/model/state_store.h"

namespace spotform {

// The `state` subcommands (cmd/command_state_*.cc); RunState dispatches to them with
// context.command set to "state list", "state show", ... and the arguments after the word.
int RunStateList(CommandContext& context);
int RunStateShow(CommandContext& context);
int RunStateRm(CommandContext& context);
int RunStateMv(CommandContext& context);
int RunStateRestore(CommandContext& context);

// What a `state` subcommand works on: StateWorkspace (cmd/workspace.h).

}  // namespace spotform
