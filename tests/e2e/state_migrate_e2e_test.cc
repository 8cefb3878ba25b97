// `spotform state migrate`: SQLite -> PostgreSQL -> SQLite keeps every record and the
// lineage, and after each switch `spotform plan` finds nothing to change.
#include <gtest/gtest.h>

#include "tests/e2e/postgres_e2e_support.h"

namespace spotform::e2e {
namespace {

class StateMigrateE2E : public PostgresFixture {
 protected:
  // The config with `state_section` (YAML lines) for its state.
  void WriteConfigWithState(const std::string& state_section) {
    dir_.Write("spotform.yaml",
               ConfigYaml(sim_->endpoint(), EnvYaml("render", "cvm", "ap-guangzhou-3", 3) +
                                                EnvYaml("bake", "batch", "ap-guangzhou-4", 2)) +
                   state_section);
  }

  CliResult Spotform(std::vector<std::string> args) {
    args.insert(args.begin(), "--no-color");
    return RunSpotform(args, dir_.path(), SimCredentials());
  }
};

TEST_F(StateMigrateE2E, SqliteToPostgresAndBackKeepsEveryRecordAndTheLineage) {
  WriteConfigWithState("");
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  const StateSnapshot original = LoadState(dir_.path() + "/.spotform/state.db");
  ASSERT_EQ(original.environments.size(), 2u);
  ASSERT_GT(original.serial, 0);

  // SQLite -> PostgreSQL.
  CliResult to_pg = Spotform({"state", "migrate", "--to", url_, "--workspace", workspace_});
  ASSERT_EQ(to_pg.exit_code, 0) << to_pg.out << to_pg.err;
  size_t instances = 0;
  for (const auto& [name, environment] : original.environments) {
    for (const Pool& pool : environment.pools) instances += pool.instances.size();
  }
  ASSERT_GE(instances, 3u);
  EXPECT_TRUE(Contains(to_pg.out, "lineage " + original.lineage + ", serial " +
                                      std::to_string(original.serial) +
                                      "; 2 environments, 2 pools, " + std::to_string(instances) +
                                      " instances, 0 open intents."))
      << to_pg.out;
  EXPECT_TRUE(Contains(
      to_pg.out, "  backend: postgres\n  url: " + url_ + "\n  workspace: " + workspace_ + "\n"))
      << to_pg.out;
  EXPECT_EQ(Dump(LoadWorkspace()), Dump(original));

  // Switched: nothing to change, and the state is PostgreSQL's from now on.
  WriteConfigWithState("state:\n  backend: postgres\n  url: " + url_ +
                       "\n  workspace: " + workspace_ + "\n");
  CliResult plan = Spotform({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_TRUE(Contains(plan.out, "No changes")) << plan.out;

  // A second migration into the same workspace is refused: it is no longer new.
  WriteConfigWithState("");
  CliResult again = Spotform({"state", "migrate", "--to", url_, "--workspace", workspace_});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(Contains(again.err, "already holds a state (lineage " + original.lineage))
      << again.err;

  // PostgreSQL -> a new SQLite file.
  WriteConfigWithState("state:\n  backend: postgres\n  url: " + url_ +
                       "\n  workspace: " + workspace_ + "\n");
  CliResult back = Spotform({"state", "migrate", "--to", "back/state.db"});
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  const StateSnapshot returned = LoadState(dir_.path() + "/back/state.db");
  EXPECT_EQ(Dump(returned), Dump(original));
  EXPECT_EQ(returned.lineage, original.lineage);

  WriteConfigWithState("state:\n  path: back/state.db\n");
  CliResult plan_back = Spotform({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan_back.exit_code, 0) << plan_back.out << plan_back.err;
}

TEST_F(StateMigrateE2E, PasswordOnTheCommandLineIsRefusedAndNeverEchoed) {
  WriteConfigWithState("");
  CliResult refused =
      Spotform({"state", "migrate", "--to", "postgresql://ci:hunter2@db.internal/spotform"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err,
            "spotform: state migrate: --to holds a password, which would show in the process "
            "list and shell history; remove it and put the password in ~/.pgpass or "
            "PGPASSWORD\n");
}

}  // namespace
}  // namespace spotform::e2e
