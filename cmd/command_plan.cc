#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/drift_report.h"
#include "cmd/workspace.h"
#include "engine/model/words.h"
#include "engine/plan/market_survey.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/plan_render_text.h"
#include "engine/plan/planner.h"
#include "engine/plan/refresh.h"
#include "engine/plan/targets.h"

namespace spotform {

namespace po = boost::program_options;

int RunPlan(CommandContext& context) {
  CommandOptions options(
      "spotform plan [--out PLANFILE] [--json] [--detailed-exitcode] [--refresh=false] "
      "[--target env.NAME]...",
      "Refreshes the recorded state from the cloud (nothing in the cloud changes), compares\n"
      "it with the config and prints what `spotform apply` would do, step by step and why.\n"
      "Examples:\n"
      "  spotform plan                          review the changes\n"
      "  spotform plan --out release.plan       save them; `spotform apply release.plan`\n"
      "                                         then does exactly that or refuses\n"
      "  spotform plan --json | jq .summary     for scripts\n"
      "  spotform plan --detailed-exitcode      exit 2 when there are changes (CI drift check)");
  std::string out_file;
  bool json = false;
  bool detailed = false;
  bool refresh = true;
  std::vector<std::string> targets;
  options.Add()("out", po::value<std::string>(&out_file)->value_name("PLANFILE"),
                "save the plan for `spotform apply PLANFILE`")(
      "json", po::bool_switch(&json), "print the plan as one JSON document")(
      "detailed-exitcode", po::bool_switch(&detailed),
      "exit 0 with no changes, 2 with changes, 1 on error")(
      "refresh", po::value<bool>(&refresh)->value_name("true/false")->default_value(true, "true"),
      "refresh from the cloud first; --refresh=false plans from the recorded state only")(
      "target", po::value<std::vector<std::string>>(&targets)->value_name("env.NAME"),
      "plan only this environment (repeatable)");
  options.LogsApiCalls();
  if (auto stop = options.Parse(context)) return *stop;

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  const Config& config = workspace->config;
  StateStore& store = *workspace->store;
  Result<StateSnapshot> state = store.Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  if (Status ok = CheckTargets(targets, config, *state); !ok.ok()) {
    return Fail(context, ok.error().message());
  }

  StateSnapshot snapshot = std::move(state.value());
  // The cloud, opened once when the plan asks it anything (not with --refresh=false).
  std::unique_ptr<CloudConnection> cloud;
  if (refresh && (!snapshot.environments.empty() || !config.environments.empty())) {
    Result<std::unique_ptr<CloudConnection>> opened = CloudConnection::Open(config, context);
    if (!opened.ok()) return Fail(context, opened.error().ToString());
    cloud = std::move(opened.value());
  }
  if (cloud && snapshot.environments.empty()) {
    Status access = CheckCloudAccess(cloud->cloud(), snapshot.lineage);
    if (!access.ok()) return Fail(context, access.error().ToString());
  }
  if (cloud && !snapshot.environments.empty()) {
    context.err << "Refreshing "
                << Plural(snapshot.environments.size(), "environment", "environments") << " from "
                << config.provider.region << "...\n";
    Result<RefreshResult> refreshed = Refresh(cloud->cloud(), snapshot);
    if (!refreshed.ok()) return Fail(context, refreshed.error().ToString());
    PrintDrift(context.err, refreshed->drift);
    snapshot = std::move(refreshed->refreshed);
  }

  PlanOptions plan_options;
  plan_options.targets = targets;
  if (cloud) plan_options.spot_prices = PricesForReleases(cloud->cloud(), config);
  Plan plan = MakePlan(config, snapshot, plan_options);
  if (cloud) {
    // Where the launches would go now, the quota they need and a launch check (issue 14).
    Status surveyed = SurveyMarket(cloud->cloud(), plan, /*launch_checks=*/true,
                                   HoldsInForce(snapshot.candidate_holds, context.clock.Now()));
    if (!surveyed.ok()) return Fail(context, surveyed.error().ToString());
  }
  if (json) {
    context.out << RenderPlanJson(plan);
  } else {
    context.out << RenderPlanText(plan, RenderOptions{.color = context.Color()});
  }
  if (!out_file.empty()) {
    if (Status saved = WritePlanFile(out_file, plan); !saved.ok()) {
      return Fail(context, saved.error().ToString());
    }
    context.err << "Saved the plan to " << out_file << ". Apply exactly this plan with:\n"
                << "  spotform apply " << out_file << "\n";
  }
  return detailed && plan.HasChanges() ? kExitChanges : kExitOk;
}

}  // namespace spotform
