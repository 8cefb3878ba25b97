// state list/show/rm/mv and refresh, run as a user would: the built spotform binary against a
// real spotform-sim, with a real SQLite state in a temporary folder.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

class StateCommandsE2E : public ApplyFixture {
 protected:
  int64_t Serial() { return LoadState().serial; }
  size_t ApiCalls() {
    Result<json> requests = sim_->Requests();
    EXPECT_TRUE(requests.ok());
    return requests.ok() ? requests->size() : 0;
  }
  // The actions of the API calls made since the first `from` calls.
  std::vector<std::string> ActionsSince(size_t from) {
    std::vector<std::string> actions;
    Result<json> requests = sim_->Requests();
    EXPECT_TRUE(requests.ok());
    if (!requests.ok()) return actions;
    for (size_t i = from; i < requests->size(); ++i) actions.push_back((*requests)[i]["action"]);
    return actions;
  }
  const Pool& OnlyPool(const StateSnapshot& state, const std::string& env) {
    return state.environments.at(env).pools.at(0);
  }
};

TEST_F(StateCommandsE2E, StateListPrintsEachEnvironmentFollowedByItsInstances) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2) +
              EnvYaml("preview", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::set<std::string> render = RecordedIds("render");
  const std::set<std::string> preview = RecordedIds("preview");
  ASSERT_EQ(render.size(), 2u);
  ASSERT_EQ(preview.size(), 1u);
  const size_t calls = ApiCalls();

  CliResult list = Run({"state", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  // Instances in recorded order; compare as sets within each environment.
  std::vector<std::string> expected = {"env.preview", "env.preview." + *preview.begin(),
                                       "env.render"};
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = list.out.find('\n', start)) != std::string::npos;
       start = end + 1) {
    lines.push_back(list.out.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 5u) << list.out;
  EXPECT_EQ(std::vector<std::string>(lines.begin(), lines.begin() + 3), expected);
  EXPECT_EQ(
      (std::set<std::string>{lines[3], lines[4]}),
      (std::set<std::string>{"env.render." + *render.begin(), "env.render." + *render.rbegin()}));

  const json doc = json::parse(Run({"state", "list", "--json"}).out);
  EXPECT_EQ(doc["format_version"], "1.0");
  EXPECT_EQ(doc["serial"], Serial());
  ASSERT_EQ(doc["addresses"].size(), 5u);
  EXPECT_EQ(doc["addresses"][0],
            (json{{"address", "env.preview"}, {"kind", "environment"}, {"mode", "cvm"}}));
  EXPECT_EQ(doc["addresses"][1]["kind"], "instance");
  EXPECT_EQ(doc["addresses"][1]["id"], *preview.begin());
  EXPECT_EQ(doc["addresses"][1]["state"], "RUNNING");
  EXPECT_EQ(ApiCalls(), calls) << "state list reads only the state";
}

TEST_F(StateCommandsE2E, StateShowPrintsOneEnvironmentOrOneInstance) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1) +
              EnvYaml("preview", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::string id = *RecordedIds("render").begin();

  CliResult env = Run({"state", "show", "env.render"});
  ASSERT_EQ(env.exit_code, 0) << env.err;
  EXPECT_TRUE(Contains(env.out, "env.render  (cvm, ap-guangzhou-3, S5.MEDIUM4")) << env.out;
  EXPECT_TRUE(Contains(env.out, id + "  RUNNING")) << env.out;
  EXPECT_FALSE(Contains(env.out, "env.preview")) << env.out;

  CliResult instance = Run({"state", "show", "env.render." + id});
  ASSERT_EQ(instance.exit_code, 0) << instance.err;
  EXPECT_TRUE(Contains(instance.out, "env.render." + id + "\n  instance      " + id +
                                         "\n"
                                         "  state         RUNNING\n"
                                         "  zone          ap-guangzhou-3\n"
                                         "  type          S5.MEDIUM4\n"))
      << instance.out;

  const json doc = json::parse(Run({"state", "show", "env.render." + id, "--json"}).out);
  EXPECT_EQ(doc["format_version"], "1.0");
  EXPECT_EQ(doc["address"], "env.render." + id);
  EXPECT_EQ(doc["environment"], "env.render");
  EXPECT_EQ(doc["instance"]["id"], id);
  EXPECT_EQ(doc["instance"]["origin"], "created");
  EXPECT_EQ(doc["pool"]["current"], true);

  CliResult typo = Run({"state", "show", "env.rendr"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_EQ(typo.err, "spotform: env.rendr is not in the state; did you mean env.render?\n");
  CliResult malformed = Run({"state", "show", "render"});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_TRUE(Contains(malformed.err,
                       "\"render\" is not a state address: addresses look like "
                       "env.NAME or env.NAME.ID"))
      << malformed.err;
}

TEST_F(StateCommandsE2E, StateHelpListsTheSubcommandsAndUnknownOnesGetAHint) {
  CliResult help = Run({"state", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  for (const char* sub : {"list", "show", "rm", "mv", "migrate"}) {
    EXPECT_TRUE(Contains(help.out, std::string("\n  ") + sub + " ")) << sub << "\n" << help.out;
  }
  CliResult unknown = Run({"state", "lst"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err,
            "spotform: unknown state subcommand `lst`; did you mean `spotform state list`?\n");
  CliResult rm_help = Run({"state", "rm", "--help"});
  EXPECT_EQ(rm_help.exit_code, 0);
  EXPECT_TRUE(Contains(rm_help.out, "KEEP RUNNING AND COST MONEY")) << rm_help.out;
}

TEST_F(StateCommandsE2E, StateRmForgetsAnEnvironmentAndLeavesItsInstancesRunning) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1) +
              EnvYaml("preview", "cvm", "ap-guangzhou-3", 2));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::set<std::string> preview = RecordedIds("preview");
  ASSERT_EQ(preview.size(), 2u);
  const int64_t serial = Serial();
  const size_t calls = ApiCalls();

  CliResult removed = Run({"state", "rm", "env.preview"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "Removed env.preview from the state.\nState serial " +
                             std::to_string(serial) + " -> " + std::to_string(serial + 1) + ".\n");
  const std::string ids = *preview.begin() + " " + *preview.rbegin();
  const std::string ids_reversed = *preview.rbegin() + " " + *preview.begin();
  EXPECT_TRUE(Contains(removed.err,
                       "Warning: spotform no longer manages env.preview, but "
                       "nothing in the cloud was changed.\n"))
      << removed.err;
  EXPECT_TRUE(Contains(removed.err, "keep running and cost money")) << removed.err;
  EXPECT_TRUE(Contains(removed.err, "spotform import env.preview " + ids) ||
              Contains(removed.err, "spotform import env.preview " + ids_reversed))
      << removed.err;
  EXPECT_TRUE(Contains(removed.err,
                       "spotform.yaml still declares env.preview: the next apply "
                       "creates it anew"))
      << removed.err;

  EXPECT_EQ(Serial(), serial + 1) << "one change, one serial";
  EXPECT_EQ(LoadState().environments.count("preview"), 0u);
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "preview"), preview) << "the cloud is untouched";
  EXPECT_EQ(ApiCalls(), calls) << "state rm makes no API call";
  CliResult list = Run({"state", "list"});
  EXPECT_EQ(list.out, Lines({"env.render", "env.render." + *RecordedIds("render").begin()}));
}

TEST_F(StateCommandsE2E, StateRmRefusesInstancesUnknownAddressesAndOpenIntents) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::string id = *RecordedIds("render").begin();
  const int64_t serial = Serial();

  CliResult instance = Run({"state", "rm", "env.render." + id});
  EXPECT_EQ(instance.exit_code, 1);
  EXPECT_TRUE(
      Contains(instance.err, "env.render." + id + ": state rm forgets whole environments only"))
      << instance.err;
  CliResult typo = Run({"state", "rm", "env.rendr"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_EQ(typo.err, "spotform: env.rendr is not in the state; did you mean env.render?\n");

  {
    SystemClock clock;
    auto store = OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock);
    ASSERT_TRUE(store.ok());
    JournalEntry entry;
    entry.environment = "render";
    entry.pool_id = OnlyPool(LoadState(), "render").id;
    entry.kind = "release";
    entry.payload = "{\"ids\":[\"" + id + "\"]}";
    ASSERT_TRUE((*store)->Apply(StateEdit().Add(StateEdit::OpenIntent{entry})).ok());
  }
  CliResult open = Run({"state", "rm", "env.render"});
  EXPECT_EQ(open.exit_code, 1);
  EXPECT_EQ(open.err,
            "spotform: env.render has 1 unfinished operation that an interrupted run left in "
            "the journal; run `spotform apply` to settle it first, then edit the state\n");
  EXPECT_EQ(Serial(), serial + 1) << "only the test's own intent was written";
  EXPECT_EQ(LoadState().environments.count("render"), 1u);
}

TEST_F(StateCommandsE2E, StateMvRenamesAnEnvironmentWhoseInstancesRefreshStillFinds) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::set<std::string> ids = RecordedIds("render");
  const int64_t serial = Serial();

  CliResult moved = Run({"state", "mv", "env.render", "env.farm"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(moved.out, "Moved env.render to env.farm.\nState serial " + std::to_string(serial) +
                           " -> " + std::to_string(serial + 1) + ".\n");
  EXPECT_EQ(moved.err,
            "Note: spotform.yaml does not declare env.farm but still declares env.render: "
            "rename it there too, or the next plan creates env.render anew and destroys "
            "env.farm.\n");
  EXPECT_EQ(Serial(), serial + 1);
  EXPECT_EQ(RecordedIds("farm"), ids);
  EXPECT_EQ(LoadState().environments.count("render"), 0u);
  EXPECT_EQ(OnlyPool(LoadState(), "farm").expected_count, 2);

  // The instances still carry spotform-env=render; refresh finds them by id, as env.farm's,
  // and neither reports them as strays nor adopts them anywhere else.
  WriteConfig(EnvYaml("farm", "cvm", "ap-guangzhou-3", 2));
  CliResult plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_FALSE(Contains(plan.err, "unrecorded")) << plan.err;
  EXPECT_FALSE(Contains(plan.err, "owner tags")) << plan.err;

  const std::string reclaimed = *ids.begin();
  ASSERT_TRUE(sim_->Reclaim({reclaimed}).ok());
  ASSERT_TRUE(sim_->Tick(10).ok());
  CliResult refresh = Run({"refresh"});
  ASSERT_EQ(refresh.exit_code, 0) << refresh.err;
  EXPECT_TRUE(Contains(refresh.out, "env.farm " + reclaimed + ": no longer exists")) << refresh.out;
  EXPECT_FALSE(Contains(refresh.out, "unrecorded")) << refresh.out;
  EXPECT_EQ(RecordedIds("farm"), std::set<std::string>{*ids.rbegin()});
  // Apply replaces the reclaimed one under the new name.
  ASSERT_EQ(Apply().exit_code, 0);
  EXPECT_EQ(RecordedIds("farm").size(), 2u);
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "farm").size(), 1u) << "the replacement's tag";
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 1u) << "the survivor's old tag";
}

TEST_F(StateCommandsE2E, StateMvRefusesToMergeOrToMoveIntoADifferentShape) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1) +
              EnvYaml("preview", "cvm", "ap-guangzhou-4", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::string id = *RecordedIds("render").begin();
  const int64_t serial = Serial();

  CliResult merge = Run({"state", "mv", "env.render", "env.preview"});
  EXPECT_EQ(merge.exit_code, 1);
  EXPECT_EQ(merge.err,
            "spotform: state mv: env.preview is already in the state; mv does not merge "
            "environments (`spotform state rm env.preview` first if it should go)\n");
  CliResult shape = Run({"state", "mv", "env.render." + id, "env.preview"});
  EXPECT_EQ(shape.exit_code, 1);
  EXPECT_EQ(shape.err, "spotform: state mv: env.render." + id +
                           " does not fit env.preview: zone ap-guangzhou-3 vs ap-guangzhou-4; "
                           "an instance moves only between environments of one shape\n");
  CliResult args = Run({"state", "mv", "env.render"});
  EXPECT_EQ(args.exit_code, 1);
  EXPECT_EQ(Serial(), serial) << "nothing was written";
}

TEST_F(StateCommandsE2E, StateMvMovesAnInstanceWithItsShareOfTheExpectedCount) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2) +
              EnvYaml("preview", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::string id = *RecordedIds("render").begin();
  const int64_t serial = Serial();

  CliResult moved = Run({"state", "mv", "env.render." + id, "env.preview"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(moved.out, "Moved env.render." + id + " to env.preview." + id +
                           ".\nExpected counts: env.render 2 -> 1, env.preview 1 -> 2.\n"
                           "State serial " +
                           std::to_string(serial) + " -> " + std::to_string(serial + 1) + ".\n");
  EXPECT_EQ(Serial(), serial + 1);
  EXPECT_EQ(RecordedIds("render").count(id), 0u);
  EXPECT_EQ(RecordedIds("preview").count(id), 1u);
  const StateSnapshot state = LoadState();
  EXPECT_EQ(OnlyPool(state, "render").expected_count, 1);
  EXPECT_EQ(OnlyPool(state, "preview").expected_count, 2);

  // With the config following the move, the plan has nothing to do: the moved instance is
  // refreshed as env.preview's, not adopted back into env.render by its owner tags.
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1) +
              EnvYaml("preview", "cvm", "ap-guangzhou-3", 2));
  CliResult plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_EQ(RecordedIds("preview").size(), 2u);
  EXPECT_EQ(RecordedIds("render").size(), 1u);
}

TEST_F(StateCommandsE2E, RefreshRecordsAReclaimedInstanceAndChangesNothingInTheCloud) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::set<std::string> ids = RecordedIds("render");
  ASSERT_EQ(ids.size(), 3u);
  const std::string reclaimed = *ids.begin();
  ASSERT_TRUE(sim_->Reclaim({reclaimed}).ok());
  ASSERT_TRUE(sim_->Tick(10).ok());
  const int64_t serial = Serial();
  const size_t calls = ApiCalls();

  CliResult refresh = Run({"refresh"});
  ASSERT_EQ(refresh.exit_code, 0) << refresh.err;
  EXPECT_EQ(refresh.out, "env.render " + reclaimed +
                             ": no longer exists: reclaimed by the spot market or released "
                             "outside spotform\n\nRecorded what the cloud reports: state serial " +
                             std::to_string(serial) + " -> " + std::to_string(serial + 1) +
                             ". Nothing in the cloud was changed.\n");
  for (const std::string& action : ActionsSince(calls)) {
    EXPECT_EQ(action.rfind("Describe", 0), 0u) << action << " changes the cloud";
  }
  EXPECT_FALSE(ActionsSince(calls).empty());
  EXPECT_EQ(Serial(), serial + 1);
  const StateSnapshot recorded = LoadState();
  for (const RecordedInstance& instance : OnlyPool(recorded, "render").instances) {
    EXPECT_EQ(instance.state, instance.id == reclaimed ? "GONE" : "RUNNING") << instance.id;
  }
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u) << "no replacement launched";

  CliResult again = Run({"refresh"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "No changes: the state matches the cloud.\n");
  EXPECT_EQ(Serial(), serial + 1) << "nothing new, nothing written";

  const json doc = json::parse(Run({"refresh", "--json"}).out);
  EXPECT_EQ(doc["format_version"], "1.0");
  EXPECT_EQ(doc["recorded"], false);
  EXPECT_EQ(doc["serial"], serial + 1);
  EXPECT_TRUE(doc["drift"].empty()) << doc.dump();
}

TEST_F(StateCommandsE2E, RefreshOfAnEmptyStateCallsNothing) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  CliResult refresh = Run({"refresh"});
  EXPECT_EQ(refresh.exit_code, 0) << refresh.err;
  EXPECT_EQ(refresh.out, "The state records no environments: nothing to refresh.\n");
  EXPECT_EQ(ApiCalls(), 0u);
}

}  // namespace
}  // namespace spotform::e2e
