#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/json_output.h"
#include "cmd/workspace.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/plan_render_text.h"
#include "engine/plan/state_extras_render.h"
#include "engine/plan/state_render.h"

namespace spotform {
int RunShow(CommandContext& context) {
  CommandOptions options(
      "spotform show [--json] [PLANFILE]",
      "Shows the recorded state, with the locks held now (which run holds which\n"
      "environments) and the fallback candidates on hold, or a plan saved with\n"
      "`spotform plan --out PLANFILE`. Reads only: no cloud calls, no lock.");
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
  Result<std::vector<LockInfo>> locks = workspace->store->CurrentLocks();
  if (!locks.ok()) return Fail(context, locks.error().ToString());
  const Clock::WallTime now = context.clock.Now();
  if (json) {
    nlohmann::ordered_json document = StateToJson(*state);
    document["locks"] = LocksToJson(*locks);
    document["candidate_holds"] = HoldsToJson(state->candidate_holds, now);
    context.out << JsonOutput(document);
  } else {
    context.out << RenderStateText(*state, RenderOptions{.color = context.Color()})
                << RenderHoldsText(state->candidate_holds, now) << RenderLocksText(*locks, now);
  }
  return kExitOk;
}

}  // namespace spotform
