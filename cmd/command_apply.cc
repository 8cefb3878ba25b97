#include "cmd/apply_flow.h"
#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/executor_flags.h"

namespace spotform {

int RunApply(CommandContext& context) {
  CommandOptions options(
      "spotform apply [PLANFILE] [--auto-approve] [--parallelism N] [--target env.NAME]... "
      "[--no-wait] [--timeout DURATION] [--lock-timeout DURATION]",
      "Makes the cloud match the config. Without PLANFILE: takes the state's lock, finishes\n"
      "what an interrupted run left open, refreshes, shows the plan and asks for `yes`\n"
      "(unless --auto-approve), then acts. With PLANFILE (from `spotform plan --out`): does\n"
      "exactly that plan without asking, or refuses when the state or config changed since.\n"
      "Ctrl-C stops after the calls in flight; a second Ctrl-C exits at once (the next\n"
      "apply finishes what was left). Exits 0 only when every change is done.\n"
      "Examples:\n"
      "  spotform apply                         review, confirm, apply\n"
      "  spotform apply --auto-approve          in CI\n"
      "  spotform apply release.plan            apply a reviewed plan exactly");
  std::vector<std::string> plan_file;
  options.Add()("plan-file", boost::program_options::value<std::vector<std::string>>(&plan_file),
                "saved plan to apply");
  options.Positional("plan-file", 1);
  ExecutorFlags flags;
  flags.Register(options);
  if (auto stop = options.Parse(context)) return *stop;

  ApplyFlowOptions flow;
  flow.operation = "apply";
  if (Status filled = flags.Fill(flow); !filled.ok()) {
    return Fail(context, filled.error().message());
  }
  if (!plan_file.empty()) {
    if (!flow.targets.empty()) {
      return Fail(context,
                  "--target cannot be combined with a saved plan: the plan already "
                  "says what it covers");
    }
    flow.plan_file = plan_file.front();
  }
  return RunApplyFlow(context, flow);
}

}  // namespace spotform
