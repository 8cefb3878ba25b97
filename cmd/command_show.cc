#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/json_output.h"
#include "cmd/workspace.h"
#include "engine/model/words.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/plan_render_text.h"
#include "engine/plan/state_render.h"

namespace spotform {
namespace {

// The candidate holds in force at `now` (spec §3), one line each; "" when none.
std::string ActiveHoldsText(const StateSnapshot& state, Clock::WallTime now) {
  std::string text;
  for (const CandidateHold& hold : state.candidate_holds) {
    if (hold.until <= now) continue;
    const bool cooling = hold.kind == HoldKind::kCooling;
    text += "  " + hold.instance_type + " in " + hold.zone + "  " +
            (cooling ? "tried last" : "skipped") + " until " +
            FormatUtc(hold.until, "%Y-%m-%dT%H:%M:%SZ") +
            (cooling ? " (lost instances to a reclaim)\n" : " (refused a launch)\n");
  }
  return text.empty() ? "" : "Held candidates:\n" + text;
}

}  // namespace

int RunShow(CommandContext& context) {
  CommandOptions options(
      "spotform show [--json] [PLANFILE]",
      "Shows the recorded state, or a plan saved with `spotform plan --out PLANFILE`.\n"
      "Reads only: no cloud calls, no lock.");
  bool json = false;
  std::vector<std::string> files;
  options.Add()("json", boost::program_options::bool_switch(&json), "print one JSON document")(
      "planfile", boost::program_options::value<std::vector<std::string>>(&files), "a saved plan");
  options.Positional("planfile", 1);
  if (auto stop = options.Parse(context)) return *stop;

  if (!files.empty()) {
    Result<Plan> plan = ReadPlanFile(files.front());
    if (!plan.ok()) return Fail(context, plan.error().ToString());
    if (json) {
      context.out << RenderPlanJson(*plan);
    } else {
      context.out << RenderPlanText(*plan, RenderOptions{.color = context.Color()});
    }
    return kExitOk;
  }

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  Result<StateSnapshot> state = workspace->store->Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  if (json) {
    context.out << JsonOutput(StateToJson(*state));
  } else {
    context.out << RenderStateText(*state, RenderOptions{.color = context.Color()})
                << ActiveHoldsText(*state, context.clock.Now());
  }
  return kExitOk;
}

}  // namespace spotform
