#include "cmd/apply_flow.h"
#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/executor_flags.h"

namespace spotform {

int RunDestroy(CommandContext& context) {
  CommandOptions options(
      "spotform destroy [--auto-approve] [--target env.NAME]...",
      "Releases everything recorded in the state: for each environment it lowers the\n"
      "expected count (Batch: DesiredComputeNodeCount) and confirms it, then releases the\n"
      "instances or nodes, deletes Batch environments and drops the records. It lists\n"
      "everything it will release and asks for `yes` (unless --auto-approve).\n"
      "Examples:\n"
      "  spotform destroy                       review, confirm, release everything\n"
      "  spotform destroy --target env.render   only that environment");
  ExecutorFlags flags;
  flags.Register(options);
  if (auto stop = options.Parse(context)) return *stop;

  ApplyFlowOptions flow;
  flow.operation = "destroy";
  flow.destroy = true;
  if (Status filled = flags.Fill(flow); !filled.ok()) {
    return Fail(context, filled.error().message());
  }
  return RunApplyFlow(context, flow);
}

}  // namespace spotform
