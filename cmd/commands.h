#pragma once

#include "cmd/cli_context.h"

namespace spotform {

// One function per command; each parses its own flags (CommandOptions) and returns the
// process exit code. Wired by name in spotform_main.cc.
int RunInit(CommandContext& context);
int RunValidate(CommandContext& context);
int RunSchema(CommandContext& context);
int RunPlan(CommandContext& context);
int RunShow(CommandContext& context);
int RunApply(CommandContext& context);
int RunDestroy(CommandContext& context);
int RunRefresh(CommandContext& context);
int RunImport(CommandContext& context);
int RunState(CommandContext& context);         // state list|show|rm|mv|migrate
int RunStateMigrate(CommandContext& context);  // called by RunState for `state migrate`
int RunWatch(CommandContext& context);
int RunForceUnlock(CommandContext& context);
int RunCompletion(CommandContext& context);   // cmd/command_completion.cc

}  // namespace spotform
