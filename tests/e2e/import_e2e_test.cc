// `spotform import` end to end: the real spotform binary against a real spotform-sim, with a
// real SQLite state in a temporary project. Capacity "launched by hand" goes through a signed
// client of the test's own (the official API shape: RunInstances, CreateComputeEnv), exactly
// as a console or tccli would create it.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>

#include "providers/tencent/tencent_cloud.h"
#include "tests/e2e/apply_e2e_support.h"
#include "tests/support/sim_client.h"

namespace spotform::e2e {
namespace {

// Someone else's hands on the same account: launches spot and pay-as-you-go instances and
// Batch environments that spotform did not make.
class Console {
 public:
  explicit Console(const SimProcess& sim) : stack_(SimClientStack(sim, clock_)) {
    cloud_ = std::make_unique<TencentCloud>(*stack_, TencentCloudOptions{"ap-guangzhou", 4});
  }

  std::vector<std::string> LaunchSpot(int count, const std::string& zone = "ap-guangzhou-3",
                                      const std::string& type = "S5.MEDIUM4", Tags tags = {}) {
    const LaunchSpec spec{.zone = zone,
                          .instance_type = type,
                          .image_id = "img-pmqg1cw7",
                          .max_price = "0.50",
                          .count = count,
                          .tags = std::move(tags),
                          .client_token = NextToken(),
                          .name = ""};
    Result<std::vector<std::string>> ids = cloud_->LaunchSpotInstances(spec);
    EXPECT_TRUE(ids.ok()) << ids.error().ToString();
    return ids.ok() ? *ids : std::vector<std::string>{};
  }

  std::string LaunchPayAsYouGo() {
    ApiRequest request;
    request.service = "cvm";
    request.action = "RunInstances";
    request.region = "ap-guangzhou";
    request.params = {{"Placement", {{"Zone", "ap-guangzhou-3"}}},
                      {"InstanceType", "S5.MEDIUM4"},
                      {"ImageId", "img-pmqg1cw7"},
                      {"InstanceChargeType", "POSTPAID_BY_HOUR"},
                      {"InstanceCount", 1}};
    Result<ApiResponse> reply = stack_->Call(request);
    EXPECT_TRUE(reply.ok()) << reply.error().ToString();
    return reply.ok() ? reply->body["InstanceIdSet"][0].get<std::string>() : "";
  }

  std::string CreateBatchEnv(int desired, Tags tags = {}) {
    const ComputeEnvSpec spec{.name = "render-farm",
                              .zone = "ap-guangzhou-3",
                              .instance_type = "S5.MEDIUM4",
                              .instance_types = {},
                              .image_id = "img-pmqg1cw7",
                              .max_price = "0.50",
                              .desired_count = desired,
                              .tags = std::move(tags),
                              .client_token = NextToken(),
                              .description = ""};
    Result<std::string> id = cloud_->CreateComputeEnv(spec);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    return id.ok() ? *id : "";
  }

  // Waits (real time, the emulator ticks in the background) until `env_id` has `count` nodes
  // whose instances exist.
  void WaitForNodes(const std::string& env_id, int count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      Result<ComputeEnv> env = cloud_->DescribeComputeEnv(env_id);
      int with_instance = 0;
      if (env.ok()) {
        for (const ComputeNode& node : env->nodes) with_instance += !node.instance_id.empty();
      }
      if (with_instance >= count) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << env_id << " never had " << count << " nodes with instances";
  }

 private:
  std::string NextToken() { return "console-" + std::to_string(++tokens_); }

  SystemClock clock_;
  std::unique_ptr<ClientStack> stack_;
  std::unique_ptr<TencentCloud> cloud_;
  std::atomic<int> tokens_{0};
};

class ImportE2eTest : public ApplyFixture {
 protected:
  void SetUp() override {
    ApplyFixture::SetUp();
    console_ = std::make_unique<Console>(*sim_);
  }

  CliResult Import(std::vector<std::string> args) {
    args.insert(args.begin(), "import");
    return Run(args);
  }
  // The state as `spotform show --json` prints it (what a person or script sees).
  std::string ShownState() { return Run({"show", "--json"}).out; }
  const Pool& OnlyPool(const StateSnapshot& state, const std::string& env) {
    EXPECT_EQ(state.environments.at(env).pools.size(), 1u);
    return state.environments.at(env).pools.at(0);
  }

  std::unique_ptr<Console> console_;
};

TEST_F(ImportE2eTest, ImportMatchingTheConfigPlansNoChanges) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  const std::vector<std::string> ids = console_->LaunchSpot(1);
  ASSERT_EQ(ids.size(), 1u);

  CliResult imported = Import({"env.render", ids[0]});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out,
            "env.render: imported 1 instance: " + ids[0] +
                "\n"
                "env.render: expected count is 1; the config declares desired_count 1\n"
                "Run `spotform plan` to see how the config and the adopted capacity differ.\n");
  const StateSnapshot state = LoadState();
  EXPECT_EQ(state.serial, 1);
  EXPECT_EQ(state.environments.at("render").applied.desired_count, 1);
  const Pool& pool = OnlyPool(state, "render");
  EXPECT_EQ(pool.expected_count, 1);
  ASSERT_EQ(pool.instances.size(), 1u);
  EXPECT_EQ(pool.instances[0].id, ids[0]);
  EXPECT_EQ(pool.instances[0].origin, InstanceOrigin::kImported);
  EXPECT_EQ(pool.spec.max_price, "0.60");  // declared; the API does not report the bid (0.50)

  // CI checks drift right after an import: the config declares what was adopted.
  CliResult plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("update in place"), std::string::npos) << plan.out;

  const size_t launches = CallsOf(*sim_, "RunInstances").size();
  CliResult apply = Apply();
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(CallsOf(*sim_, "RunInstances").size(), launches);
  EXPECT_EQ(RecordedIds("render"), std::set<std::string>(ids.begin(), ids.end()));
}

TEST_F(ImportE2eTest, ImportingFewerThanDeclaredPlansTheLaunchOfTheRest) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  const std::vector<std::string> ids = console_->LaunchSpot(1);
  ASSERT_EQ(ids.size(), 1u);
  CliResult imported = Import({"env.render", ids[0]});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  CliResult plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("desired 1 -> 3"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("2 instances to launch, 0 to release"), std::string::npos) << plan.out;
}

TEST_F(ImportE2eTest, SeveralInstancesAndARepeatIsANoOp) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  const std::vector<std::string> ids = console_->LaunchSpot(3);
  ASSERT_EQ(ids.size(), 3u);

  CliResult imported = Import({"env.render", ids[0], ids[1], ids[2]});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(RecordedIds("render"), std::set<std::string>(ids.begin(), ids.end()));
  const int64_t serial = LoadState().serial;

  CliResult repeat = Import({"env.render", ids[1]});
  ASSERT_EQ(repeat.exit_code, 0) << repeat.err;
  EXPECT_EQ(repeat.out, "env.render: " + ids[1] + " already imported; nothing to do for it\n");
  EXPECT_EQ(LoadState().serial, serial);  // nothing written

  // Three adopted, two declared: the plan lowers to 2 first and releases one, and says so.
  CliResult plan = Run({"plan", "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << plan.err;
  EXPECT_NE(plan.out.find("0 instances to launch, 1 to release"), std::string::npos) << plan.out;
  CliResult apply = Apply();
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(RecordedIds("render").size(), 2u);
  EXPECT_EQ(Run({"plan", "--detailed-exitcode"}).exit_code, 0);
}

TEST_F(ImportE2eTest, ZoneOrTypeMismatchNamesTheFieldAndForceAdoptsIt) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  const std::vector<std::string> wrong_zone = console_->LaunchSpot(1, "ap-guangzhou-4");
  const std::vector<std::string> wrong_type =
      console_->LaunchSpot(1, "ap-guangzhou-3", "S5.LARGE8");
  ASSERT_EQ(wrong_zone.size() + wrong_type.size(), 2u);

  CliResult refused = Import({"env.render", wrong_zone[0], wrong_type[0]});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err,
            "spotform: " + wrong_zone[0] +
                ": zone is ap-guangzhou-4 but env.render declares ap-guangzhou-3; use --force "
                "to adopt it anyway\n"
                "spotform: " +
                wrong_type[0] +
                ": instance_type is S5.LARGE8 but env.render declares S5.MEDIUM4; use --force "
                "to adopt it anyway\n"
                "spotform: nothing was imported; the state is unchanged\n");
  EXPECT_TRUE(LoadState().environments.empty());

  CliResult forced = Import({"env.render", "--force", wrong_zone[0]});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(forced.err.find("note: " + wrong_zone[0] +
                            ": zone ap-guangzhou-4 differs from the declared ap-guangzhou-3; "
                            "adopted anyway (--force)"),
            std::string::npos)
      << forced.err;
  EXPECT_EQ(RecordedIds("render"), std::set<std::string>{wrong_zone[0]});
}

TEST_F(ImportE2eTest, NonSpotUnknownAndOtherwiseManagedInstancesAreRefused) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1) +
              EnvYaml("other", "cvm", "ap-guangzhou-3", 1));
  const std::vector<std::string> spot = console_->LaunchSpot(1);
  const std::string paid = console_->LaunchPayAsYouGo();
  ASSERT_EQ(Import({"env.other", spot[0]}).exit_code, 0);

  CliResult refused = Import({"env.render", spot[0], paid, "ins-zzzzzzzz", "ins-nope"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err,
            "spotform: " + spot[0] +
                " is already managed by env.other\n"
                "spotform: " +
                paid +
                ": is not a spot instance (charge type POSTPAID_BY_HOUR); "
                "spotform manages SPOTPAID instances only\n"
                "spotform: ins-zzzzzzzz: not found in ap-guangzhou\n"
                "spotform: ins-nope: not an instance id (ins- and 8 lower-case letters or digits)\n"
                "spotform: nothing was imported; the state is unchanged\n");
}

TEST_F(ImportE2eTest, OneBadIdAmongGoodOnesLeavesTheStateAsItWas) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  const std::vector<std::string> ids = console_->LaunchSpot(3);
  ASSERT_EQ(Import({"env.render", ids[0]}).exit_code, 0);
  const std::string before = ShownState();
  const int64_t serial = LoadState().serial;

  CliResult failed = Import({"env.render", ids[1], "ins-zzzzzzzz", ids[2]});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("spotform: ins-zzzzzzzz: not found in ap-guangzhou\n"),
            std::string::npos)
      << failed.err;
  EXPECT_EQ(ShownState(), before);
  EXPECT_EQ(LoadState().serial, serial);
  EXPECT_EQ(RecordedIds("render"), std::set<std::string>{ids[0]});
}

TEST_F(ImportE2eTest, ImportTakesTheWriterLockAndWaitsOnlyWhenAsked) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  const std::vector<std::string> ids = console_->LaunchSpot(1);
  std::filesystem::create_directories(dir_.path() + "/.spotform");
  SystemClock clock;
  auto store = OpenSqliteStateStore(dir_.path() + "/.spotform/state.db", clock);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto lock = (*store)->Lock(
      LockRequest{.operation = "apply", .user = "alice", .host = "build-7", .pid = 4242});
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();

  CliResult blocked = Import({"env.render", ids[0]});
  EXPECT_EQ(blocked.exit_code, 1);
  EXPECT_NE(blocked.err.find(lock->id), std::string::npos) << blocked.err;
  EXPECT_NE(blocked.err.find("alice"), std::string::npos) << blocked.err;
  CliResult waited = Import({"env.render", ids[0], "--lock-timeout", "300ms"});
  EXPECT_EQ(waited.exit_code, 1);
  EXPECT_TRUE(LoadState().environments.empty());
  CliResult bad = Import({"env.render", ids[0], "--lock-timeout", "soon"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err.rfind("spotform: --lock-timeout: ", 0), 0u) << bad.err;

  ASSERT_TRUE((*store)->Unlock(lock->id).ok());
  CliResult imported = Import({"env.render", ids[0]});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  auto held = (*store)->CurrentLock();
  ASSERT_TRUE(held.ok());
  EXPECT_FALSE(held->has_value()) << "import releases its lock";
}

TEST_F(ImportE2eTest, UnknownEnvironmentGetsADidYouMean) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  CliResult result = Import({"env.rendr", "ins-aaaaaaaa"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "spotform: import: env.rendr is not declared in spotform.yaml; did you "
            "mean env.render?\n");
}

TEST_F(ImportE2eTest, BatchEnvironmentIsAdoptedWithItsNodes) {
  WriteConfig(EnvYaml("farm", "batch", "ap-guangzhou-3", 2));
  const std::string env_id = console_->CreateBatchEnv(2);
  ASSERT_FALSE(env_id.empty());
  console_->WaitForNodes(env_id, 2);

  CliResult imported = Import({"env.farm", env_id});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(
      imported.out.find("env.farm: imported Batch compute environment " + env_id + " with 2 nodes"),
      std::string::npos)
      << imported.out;
  const StateSnapshot state = LoadState();
  const Pool& pool = OnlyPool(state, "farm");
  EXPECT_EQ(pool.batch_env_id, env_id);
  EXPECT_EQ(pool.expected_count, 2);
  EXPECT_EQ(pool.instances.size(), 2u);

  // Batch's count matches the declared one: nothing to do.
  CliResult plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  CliResult repeat = Import({"env.farm", env_id});
  EXPECT_EQ(repeat.exit_code, 0) << repeat.err;
  EXPECT_EQ(repeat.out, "env.farm: " + env_id + " already imported; nothing to do for it\n");
}

TEST_F(ImportE2eTest, DiscoveryWritesAConfigThatPlansToNoChanges) {
  dir_.Write("spotform.yaml",
             "provider:\n  region: ap-guangzhou\n  endpoint: " + sim_->endpoint() + "\n");
  const std::vector<std::string> tagged =
      console_->LaunchSpot(2, "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}});
  const std::vector<std::string> untagged = console_->LaunchSpot(1);
  const std::string env_id = console_->CreateBatchEnv(1, {{"team", "vfx"}});
  console_->WaitForNodes(env_id, 1);

  CliResult discovered =
      Import({"--discover", "--tag", "team=vfx", "--generate-config", "adopted.yaml"});
  ASSERT_EQ(discovered.exit_code, 0) << discovered.out << discovered.err;
  EXPECT_NE(discovered.out.find("env.s5-medium4-ap-guangzhou-3: imported 2 instances"),
            std::string::npos)
      << discovered.out;
  EXPECT_NE(discovered.out.find("env.render-farm: imported Batch compute environment " + env_id),
            std::string::npos)
      << discovered.out;
  const std::string yaml = dir_.Read("adopted.yaml");
  EXPECT_NE(yaml.find("# Written by `spotform import --discover`"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("max_price: \"0.09\"  # review:"), std::string::npos) << yaml;

  std::set<std::string> adopted = RecordedIds("s5-medium4-ap-guangzhou-3");
  EXPECT_EQ(adopted, std::set<std::string>(tagged.begin(), tagged.end()));
  EXPECT_EQ(BatchEnvId("render-farm"), env_id);

  CliResult plan = Run({"-c", "adopted.yaml", "plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << yaml << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  // A second discovery finds nothing new with that tag, and writes nothing.
  CliResult again = Import({"--discover", "--tag", "team=vfx", "--generate-config", "again.yaml"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("No unmanaged spot instances"), std::string::npos) << again.out;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/again.yaml"));
}

TEST_F(ImportE2eTest, DiscoveryAppendsToAnExistingConfigKeepingEveryByte) {
  const std::string original =
      "# Our render farm. Edited by hand: keep these comments!\n"
      "provider:\n"
      "  region: ap-guangzhou   # the only region we use\n"
      "  endpoint: " +
      sim_->endpoint() +
      "\n"
      "environments:\n"
      "    # nothing of ours yet\n"
      "    render:\n"
      "        mode: cvm\n"
      "        zone: ap-guangzhou-3\n"
      "        instance_type: S5.MEDIUM4\n"
      "        image_id: img-pmqg1cw7\n"
      "        max_price: '0.60'   # single quotes on purpose\n"
      "        desired_count: 0\n"
      "# a comment after the block\n";
  dir_.Write("spotform.yaml", original);
  const std::string file = dir_.path() + "/spotform.yaml";
  ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
  ASSERT_EQ(Apply().exit_code, 0);  // env.render is recorded, empty
  const std::vector<std::string> tagged =
      console_->LaunchSpot(2, "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}});

  CliResult discovered =
      Import({"--discover", "--tag", "team=vfx", "--generate-config", "spotform.yaml"});
  ASSERT_EQ(discovered.exit_code, 0) << discovered.out << discovered.err;
  const std::string yaml = dir_.Read("spotform.yaml");
  // Every byte the owner wrote is still there; the new environment sits inside the block,
  // indented like its neighbours, before the comment that follows it.
  const std::string head = original.substr(0, original.find("# a comment after the block"));
  ASSERT_EQ(yaml.substr(0, head.size()), head) << yaml;
  EXPECT_TRUE(yaml.ends_with("# a comment after the block\n")) << yaml;
  EXPECT_NE(yaml.find("\n    s5-medium4-ap-guangzhou-3:  # adopted 2 instances"), std::string::npos)
      << yaml;
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
  // The terminal says it, not only the file.
  EXPECT_NE(discovered.err.find("warning: spotform.yaml now declares the adopted environment"),
            std::string::npos)
      << discovered.err;
  EXPECT_EQ(RecordedIds("s5-medium4-ap-guangzhou-3"),
            std::set<std::string>(tagged.begin(), tagged.end()));

  CliResult plan = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << yaml << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
}

TEST_F(ImportE2eTest, DiscoveryIntoANewFileWarnsThatTheOldConfigWouldRelease) {
  dir_.Write("spotform.yaml",
             "provider:\n  region: ap-guangzhou\n  endpoint: " + sim_->endpoint() + "\n");
  console_->LaunchSpot(1, "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}});
  CliResult discovered =
      Import({"--discover", "--tag", "team=vfx", "--generate-config", "adopted.yaml"});
  ASSERT_EQ(discovered.exit_code, 0) << discovered.err;
  EXPECT_NE(discovered.err.find("warning: spotform.yaml does not declare the adopted "
                                "environment: until it is replaced by adopted.yaml"),
            std::string::npos)
      << discovered.err;
  EXPECT_NE(discovered.err.find("would release the adopted capacity"), std::string::npos);
}

TEST_F(ImportE2eTest, DiscoveryRefusesAFlowStyleEnvironmentsAndSaysWhatToDo) {
  const std::string original =
      "provider:\n  region: ap-guangzhou\n  endpoint: " + sim_->endpoint() +
      "\nenvironments: {}  # none yet\n";
  dir_.Write("spotform.yaml", original);
  console_->LaunchSpot(1, "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}});
  CliResult discovered =
      Import({"--discover", "--tag", "team=vfx", "--generate-config", "spotform.yaml"});
  EXPECT_EQ(discovered.exit_code, 1) << discovered.out << discovered.err;
  EXPECT_NE(discovered.err.find("spotform.yaml:4: `environments:` has its value on the same "
                                "line (`{}  # none yet`)"),
            std::string::npos)
      << discovered.err;
  EXPECT_NE(discovered.err.find("delete the `{}`"), std::string::npos) << discovered.err;
  EXPECT_EQ(dir_.Read("spotform.yaml"), original);
  EXPECT_TRUE(LoadState().environments.empty());
}

}  // namespace
}  // namespace spotform::e2e
