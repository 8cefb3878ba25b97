// validate, plan and show, run as a user would: the built spotform binary against a real
// spotform-sim, with a real SQLite state in a temporary folder.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "engine/plan/refresh.h"
#include "providers/tencent/tencent_cloud.h"
#include "state/sqlite_state_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/sim_client.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_config.h"

namespace spotform {
namespace {

std::string ConfigFor(const std::string& endpoint, int render_count = 3) {
  return testing::ConfigYaml(endpoint,
                             testing::EnvYaml("render", "cvm", "ap-guangzhou-3", render_count) +
                                 testing::EnvYaml("farm", "batch", "ap-guangzhou-4", 2));
}

class PlanE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = SimProcess::Start();
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    dir_.Write("spotform.yaml", ConfigFor(sim_->endpoint()));
  }

  CliResult Run(std::vector<std::string> args,
                const std::map<std::string, std::string>& env = SimCredentials()) {
    args.insert(args.begin(), "--no-color");
    return RunSpotform(args, dir_.path(), env);
  }

  size_t ApiCalls() {
    Result<nlohmann::json> requests = sim_->Requests();
    EXPECT_TRUE(requests.ok());
    return requests.ok() ? requests->size() : 0;
  }

  // Launches `count` instances in the sim through spotform's own client, waits until they
  // run, and records them in the state as env.render's pool p-seeded.
  std::vector<std::string> SeedRender(int count) {
    SystemClock clock;  // the client signs with real timestamps, which the sim checks
    std::unique_ptr<ClientStack> client = SimClientStack(*sim_, clock);
    TencentCloud cloud(*client, TencentCloudOptions{.region = "ap-guangzhou"});

    auto store = OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock);
    EXPECT_TRUE(store.ok());
    auto snapshot = (*store)->Load();
    EXPECT_TRUE(snapshot.ok());

    LaunchSpec spec{.zone = "ap-guangzhou-3",
                    .instance_type = "S5.MEDIUM4",
                    .image_id = "img-pmqg1cw7",
                    .max_price = "0.60",
                    .count = count,
                    .tags = {{kOwnerLineageTag, snapshot->lineage},
                             {kOwnerEnvironmentTag, "render"},
                             {kOwnerPoolTag, "p-seeded"}},
                    .client_token = "seed-" + std::to_string(count),
                    .name = ""};
    auto ids = cloud.LaunchSpotInstances(spec);
    EXPECT_TRUE(ids.ok()) << ids.error().ToString();
    EXPECT_TRUE(sim_->Tick(5).ok());

    EnvironmentSpec applied{.name = "render",
                            .mode = Mode::kCvm,
                            .zones = {"ap-guangzhou-3"},
                            .instance_types = {{"S5.MEDIUM4", ""}},
                            .image_id = "img-pmqg1cw7",
                            .max_price = "0.60",
                            .desired_count = count,
                            .tags = {}};
    Pool pool{.id = "p-seeded",
              .spec = applied,
              .batch_env_id = "",
              .expected_count = count,
              .instances = {}};
    for (const std::string& id : *ids) {
      pool.instances.push_back(RecordedInstance{.id = id,
                                                .node_id = "",
                                                .zone = "ap-guangzhou-3",
                                                .instance_type = "S5.MEDIUM4",
                                                .state = "RUNNING",
                                                .launch_time = clock.Now(),
                                                .client_token = spec.client_token,
                                                .origin = InstanceOrigin::kCreated});
    }
    StateEdit edit;
    edit.Add(StateEdit::PutEnvironment{applied}).Add(StateEdit::PutPool{"render", pool});
    auto applied_edit = (*store)->Apply(edit);
    EXPECT_TRUE(applied_edit.ok()) << applied_edit.error().ToString();
    return *ids;
  }

  TempDir dir_;
  std::unique_ptr<SimProcess> sim_;
};

TEST_F(PlanE2E, ValidateReportsEveryErrorWithItsPosition) {
  dir_.Write("bad.yaml",
             "provider:\n"
             "  region: ap-guangzhou\n"
             "environments:\n"
             "  render:\n"
             "    mode: cvm\n"
             "    zone: ap-shanghai-2\n"
             "    instance_typo: S5.MEDIUM4\n"
             "    image_id: img-pmqg1cw7\n"
             "    max_price: \"0.60\"\n"
             "    desired_count: 3\n");
  CliResult result = Run({"validate", "-c", "bad.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("bad.yaml:6:11: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("bad.yaml:7:5: environments.render.instance_typo: unknown key; did "
                            "you mean `instance_type`?"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(Run({"validate"}).exit_code, 0);
}

TEST_F(PlanE2E, APlanOfAFreshConfigChecksAccessWithOneReadAndCreatesEverything) {
  CliResult text = Run({"plan"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("+ env.farm"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("+ env.render"), std::string::npos);
  EXPECT_NE(text.out.find("Plan: 2 to add, 0 to change, 0 to destroy; 5 instances to launch"),
            std::string::npos)
      << text.out;

  CliResult json = Run({"plan", "--json", "--detailed-exitcode"});
  EXPECT_EQ(json.exit_code, 2);
  const nlohmann::json plan = nlohmann::json::parse(json.out);
  EXPECT_EQ(plan["format_version"], "1.0");
  EXPECT_EQ(plan["summary"]["add"], 2);
  EXPECT_EQ(plan["summary"]["launch"], 5);
  EXPECT_EQ(plan["changes"][0]["address"], "env.farm");
  EXPECT_EQ(plan["changes"][0]["action"], "create");
  EXPECT_EQ(plan["serial"], 0);
  Result<nlohmann::json> requests = sim_->Requests();
  ASSERT_TRUE(requests.ok());
  // Per plan: one cheap read to check the credentials, one read of the market and of the spot
  // quota for the launches (issue 14), and the launch check of env.render (Batch launches
  // env.farm itself).
  std::vector<std::string> actions;
  for (const nlohmann::json& call : *requests) actions.push_back(call["action"]);
  const std::vector<std::string> one_plan = {"DescribeInstances", "DescribeZoneInstanceConfigInfos",
                                             "DescribeAccountQuota", "RunInstances"};
  std::vector<std::string> two_plans = one_plan;
  two_plans.insert(two_plans.end(), one_plan.begin(), one_plan.end());
  ASSERT_EQ(actions, two_plans);
  EXPECT_EQ((*requests)[3]["params"]["DryRun"], true);

  EXPECT_EQ(Run({"plan", "--refresh=false"}).exit_code, 0);
  EXPECT_EQ(ApiCalls(), 8u) << "--refresh=false plans offline";
}

TEST_F(PlanE2E, AWrongKeyFailsThePlanOfAFreshConfigNotTheApplyAfterIt) {
  std::map<std::string, std::string> wrong = SimCredentials();
  wrong["TENCENTCLOUD_SECRET_KEY"] = "not-the-secret";
  CliResult plan = Run({"plan"}, wrong);
  EXPECT_EQ(plan.exit_code, 1) << plan.out << plan.err;
  EXPECT_TRUE(plan.err.find("AuthFailure.SignatureFailure") != std::string::npos) << plan.err;
  EXPECT_TRUE(plan.out.find("Plan:") == std::string::npos) << plan.out;
}

TEST_F(PlanE2E, ASavedPlanIsPrivateAndShowsAsPlanned) {
  CliResult planned = Run({"plan", "--out", "release.plan"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  EXPECT_NE(planned.err.find("spotform apply release.plan"), std::string::npos);
  struct stat info {};
  ASSERT_EQ(stat((dir_.path() + "/release.plan").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);

  CliResult shown = Run({"show", "release.plan"});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_EQ(shown.out, planned.out);
  // A state never written has no lineage yet (each run makes a candidate; the first write
  // keeps one), so plans of serial 0 are compared without it, as CheckPlanIsCurrent does.
  nlohmann::json shown_json = nlohmann::json::parse(Run({"show", "--json", "release.plan"}).out);
  nlohmann::json fresh_json = nlohmann::json::parse(Run({"plan", "--json"}).out);
  ASSERT_EQ(shown_json["serial"], 0);
  shown_json.erase("lineage");
  fresh_json.erase("lineage");
  EXPECT_EQ(shown_json, fresh_json);

  dir_.Write("release.plan", dir_.Read("release.plan").substr(0, 100));
  CliResult truncated = Run({"show", "release.plan"});
  EXPECT_EQ(truncated.exit_code, 1);
  EXPECT_NE(truncated.err.find("release.plan"), std::string::npos) << truncated.err;
}

TEST_F(PlanE2E, PlanRefreshesAndReplacesReclaimedInstances) {
  dir_.Write("spotform.yaml", ConfigFor(sim_->endpoint(), 3));
  const std::vector<std::string> ids = SeedRender(3);
  ASSERT_EQ(ids.size(), 3u);
  const size_t calls_before = ApiCalls();
  ASSERT_TRUE(sim_->Reclaim({ids[1]}).ok());
  ASSERT_TRUE(sim_->Tick(10).ok());

  CliResult result = Run({"plan", "--target", "env.render"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("env.render " + ids[1] +
                            ": no longer exists: reclaimed by the spot market or released "
                            "outside spotform"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("reclaimed"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Plan: 0 to add, 1 to change, 0 to destroy; 1 instance to launch"),
            std::string::npos)
      << result.out;
  // One describe by ids and one owner-tag search: as few calls as the API allows; then the
  // replacement's market (offers, quota) and its launch check (issue 14).
  EXPECT_EQ(ApiCalls() - calls_before, 5u);

  const size_t calls_after_refresh = ApiCalls();
  CliResult offline = Run({"plan", "--refresh=false", "--detailed-exitcode"}, {});
  EXPECT_EQ(ApiCalls(), calls_after_refresh) << "--refresh=false must not call the cloud";
  EXPECT_EQ(offline.exit_code, 2) << offline.err;  // env.farm is still to be created
  EXPECT_EQ(offline.out.find("reclaimed"), std::string::npos)
      << "without a refresh the recorded state still has 3 running";
}

TEST_F(PlanE2E, ShowPrintsTheRecordedState) {
  const std::vector<std::string> ids = SeedRender(2);
  CliResult text = Run({"show"}, {});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("env.render"), std::string::npos);
  EXPECT_NE(text.out.find(ids[0] + "  RUNNING"), std::string::npos) << text.out;
  const nlohmann::json json = nlohmann::json::parse(Run({"show", "--json"}, {}).out);
  EXPECT_EQ(json["format_version"], "1.0");
  EXPECT_EQ(json["environments"][0]["address"], "env.render");
  EXPECT_EQ(json["environments"][0]["pools"][0]["instances"].size(), 2u);
}

TEST_F(PlanE2E, RefreshingWithoutCredentialsSaysWhereTheyGo) {
  SeedRender(1);
  CliResult result = Run({"plan"}, {{"HOME", dir_.path()}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("TENCENTCLOUD_SECRET_ID"), std::string::npos) << result.err;
}

TEST_F(PlanE2E, AWrongSecretKeyIsAClearAuthErrorThatNeverShowsTheKey) {
  SeedRender(1);
  CliResult result = Run({"plan", "--verbose"}, {{"TENCENTCLOUD_SECRET_ID", kSimSecretId},
                                                 {"TENCENTCLOUD_SECRET_KEY", "not-the-key-42"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("AuthFailure.SignatureFailure"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("not-the-key-42"), std::string::npos);
  EXPECT_EQ(result.out.find("not-the-key-42"), std::string::npos);
}

}  // namespace
}  // namespace spotform
