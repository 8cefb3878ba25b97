// `spotform import --discover` (engine/import/discovery.h, engine/import/import_cloud.h,
// engine/import/import_config.h, engine/config/config_writer.h): what counts as unmanaged, how it
// is grouped and named, and the config written for it reads back as what is recorded.

#include "engine/import/discovery.h"

#include <gtest/gtest.h>

#include "engine/config/config_writer.h"
#include "engine/import/import_cloud.h"
#include "engine/import/import_config.h"
#include "engine/plan/refresh.h"
#include "tests/support/fake_cloud.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

ObservedInstance Spot(const std::string& id, const std::string& zone = "ap-guangzhou-3",
                      const std::string& type = "S5.MEDIUM4", Tags tags = {}) {
  ObservedInstance instance = testing::Observed(id, InstanceState::kRunning, zone, type);
  instance.tags = std::move(tags);
  return instance;
}

std::vector<std::string> Names(const DiscoveryResult& result) {
  std::vector<std::string> names;
  for (const ProposedEnvironment& proposal : result.environments) {
    names.push_back(proposal.spec.name);
  }
  return names;
}

std::vector<std::string> Ids(const ProposedEnvironment& proposal) {
  std::vector<std::string> ids;
  for (const RecordedInstance& instance : proposal.instances) ids.push_back(instance.id);
  return ids;
}

TEST(DiscoveryTest, GroupsUnmanagedSpotInstancesByZoneTypeAndImage) {
  CloudInventory inventory;
  inventory.instances = {
      Spot("ins-00000001", "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}, {"job", "a"}}),
      Spot("ins-00000002", "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}, {"job", "b"}}),
      Spot("ins-00000003", "ap-guangzhou-4", "S5.MEDIUM4", {{"team", "vfx"}}),
  };
  DiscoveryResult result = DiscoverUnmanaged(inventory, StateSnapshot{}, {}, {});
  EXPECT_EQ(Names(result),
            (std::vector<std::string>{"s5-medium4-ap-guangzhou-3", "s5-medium4-ap-guangzhou-4"}));
  const ProposedEnvironment& first = result.environments[0];
  EXPECT_EQ(first.spec.mode, Mode::kCvm);
  EXPECT_EQ(first.spec.zone(), "ap-guangzhou-3");
  EXPECT_EQ(first.spec.instance_type(), "S5.MEDIUM4");
  EXPECT_EQ(first.spec.image_id, "img-pmqg1cw7");
  EXPECT_EQ(first.spec.desired_count, 2);
  EXPECT_EQ(first.expected_count, 2);
  EXPECT_EQ(first.spec.tags, (Tags{{"team", "vfx"}}));  // common to both, and a valid key
  EXPECT_EQ(Ids(first), (std::vector<std::string>{"ins-00000001", "ins-00000002"}));
  EXPECT_EQ(first.instances[0].origin, InstanceOrigin::kImported);
}

TEST(DiscoveryTest, LeavesManagedOwnedNonSpotLeavingAndBatchInstancesAlone) {
  const EnvironmentSpec render = Spec("render", 1);
  const StateSnapshot state =
      StateOf({{render, {PoolOf("p-1", render, 1, {Ins("ins-00000001", "RUNNING")})}}});
  ObservedInstance owned = Spot("ins-00000002");
  owned.tags[kOwnerLineageTag] = "some-other-state";
  ObservedInstance paid = Spot("ins-00000003");
  paid.charge_type = ChargeType::kPayAsYouGo;
  ObservedInstance leaving = Spot("ins-00000004");
  leaving.state = InstanceState::kTerminating;
  CloudInventory inventory;
  inventory.instances = {Spot("ins-00000001"), owned, paid, leaving, Spot("ins-00000005"),
                         Spot("ins-00000006")};
  ComputeEnv batch;  // ins-00000005 is a Batch node's instance; its environment is managed
  batch.info.id = "env-managed1";
  batch.nodes.push_back(BatchNode("node-00000005", "ins-00000005"));
  inventory.compute_envs.push_back(batch);
  const EnvironmentSpec farm = Spec("farm", 1, Mode::kBatch);
  StateSnapshot with_batch = state;
  with_batch.environments["farm"] = RecordedEnvironment{"farm", farm, {PoolOf("p-x", farm, 1, {})}};
  with_batch.environments["farm"].pools[0].batch_env_id = "env-managed1";

  DiscoveryResult result = DiscoverUnmanaged(inventory, with_batch, {}, {"render", "farm"});
  ASSERT_EQ(result.environments.size(), 1u);
  EXPECT_EQ(Ids(result.environments[0]), (std::vector<std::string>{"ins-00000006"}));
}

TEST(DiscoveryTest, FiltersByEveryTagAndTheZone) {
  CloudInventory inventory;
  inventory.instances = {
      Spot("ins-00000001", "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}, {"tier", "a"}}),
      Spot("ins-00000002", "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "vfx"}}),
      Spot("ins-00000003", "ap-guangzhou-4", "S5.MEDIUM4", {{"team", "vfx"}, {"tier", "a"}}),
      Spot("ins-00000004", "ap-guangzhou-3", "S5.MEDIUM4", {{"team", "ml"}, {"tier", "a"}}),
  };
  DiscoveryFilter filter{{{"team", "vfx"}, {"tier", "a"}}, "ap-guangzhou-3"};
  DiscoveryResult result = DiscoverUnmanaged(inventory, StateSnapshot{}, filter, {});
  ASSERT_EQ(result.environments.size(), 1u);
  EXPECT_EQ(Ids(result.environments[0]), (std::vector<std::string>{"ins-00000001"}));
}

TEST(DiscoveryTest, NamesAvoidTakenNamesAndEachOther) {
  CloudInventory inventory;
  ObservedInstance other_image = Spot("ins-00000002");
  other_image.image_id = "img-aaaaaaaa";
  inventory.instances = {Spot("ins-00000001"), other_image};
  DiscoveryResult result =
      DiscoverUnmanaged(inventory, StateSnapshot{}, {}, {"s5-medium4-ap-guangzhou-3"});
  EXPECT_EQ(Names(result), (std::vector<std::string>{"s5-medium4-ap-guangzhou-3-2",
                                                     "s5-medium4-ap-guangzhou-3-3"}));
}

TEST(DiscoveryTest, BatchEnvironmentTakesTypeAndImageFromItsNodes) {
  CloudInventory inventory;
  inventory.instances = {Spot("ins-00000001", "ap-guangzhou-3", "S5.LARGE8")};
  ComputeEnv env;
  env.info.id = "env-4bz2kw1q";
  env.info.name = "Render Farm";
  env.info.zone = "ap-guangzhou-3";
  env.info.desired_count = 2;
  env.info.tags = {{"team", "vfx"}};
  env.nodes = {BatchNode("node-00000001", "ins-00000001"),
               BatchNode("node-00000002", "", ComputeNodeState::kCreating)};
  ComputeEnv empty;
  empty.info.id = "env-emptyenv";
  empty.info.name = "idle";
  empty.info.zone = "ap-guangzhou-3";
  inventory.compute_envs = {env, empty};

  DiscoveryResult result = DiscoverUnmanaged(inventory, StateSnapshot{}, {}, {});
  ASSERT_EQ(result.environments.size(), 1u);  // the node instance is not a cvm proposal
  const ProposedEnvironment& farm = result.environments[0];
  EXPECT_EQ(farm.spec.name, "render-farm");
  EXPECT_EQ(farm.spec.mode, Mode::kBatch);
  EXPECT_EQ(farm.spec.instance_type(), "S5.LARGE8");
  EXPECT_EQ(farm.spec.desired_count, 2);
  EXPECT_EQ(farm.batch_env_id, "env-4bz2kw1q");
  EXPECT_EQ(farm.spec.tags, (Tags{{"team", "vfx"}}));
  ASSERT_EQ(farm.instances.size(), 2u);
  EXPECT_EQ(farm.instances[1].node_id, "node-00000002");
  EXPECT_EQ(result.notes,
            (std::vector<std::string>{
                "env-emptyenv (idle) left alone: no node has an instance yet to tell its "
                "instance type and image; declare it and run `spotform import env.NAME "
                "env-emptyenv`"}));
}

TEST(DiscoveryTest, CeilingPriceRoundsUpToTheCent) {
  EXPECT_EQ(CeilingPrice(0.1234), "0.13");
  EXPECT_EQ(CeilingPrice(0.12), "0.12");
  EXPECT_EQ(CeilingPrice(0.0), "0.01");
  EXPECT_EQ(CeilingPrice(1.001), "1.01");
}

TEST(DiscoveryTest, DiscoverAndPriceAsksTheMarketOncePerShape) {
  FakeCloud cloud;
  cloud.AddInstance(Spot("ins-00000001"));
  cloud.AddInstance(Spot("ins-00000002"));
  SpotOffer offer;
  offer.hourly_price = 0.1234;
  offer.on_sale = true;
  cloud.SetSpotOffer(offer);
  Result<DiscoveryResult> result = DiscoverAndPrice(cloud, StateSnapshot{}, {}, {});
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  ASSERT_EQ(result->environments.size(), 1u);
  EXPECT_EQ(result->environments[0].spec.max_price, "0.13");
  EXPECT_EQ(result->environments[0].price_note,
            "review: spot price 0.1234/h rounded up; the API does not report the launch bid");
  EXPECT_EQ(cloud.calls(), (std::vector<std::string>{"FindInstances", "ListComputeEnvs",
                                                     "GetSpotOffer ap-guangzhou-3 S5.MEDIUM4"}));
}

TEST(DiscoveryTest, GeneratedConfigReadsBackAsTheRecordedEnvironments) {
  Config existing;
  existing.file = "/work/project/spotform.yaml";
  existing.provider.region = "ap-guangzhou";
  existing.provider.endpoint = "http://127.0.0.1:9000";
  existing.state.path = "/work/project/.spotform/state.db";
  EnvironmentSpec kept = Spec("render", 2);
  kept.tags = {{"adopted", "yes"}, {"team", "vfx"}};
  existing.environments["render"] = kept;
  ProposedEnvironment proposal;
  proposal.spec =
      Spec("s5-medium4-ap-guangzhou-3", 2, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.13");
  proposal.spec.tags = {{"note", "null"}, {"flag", "true"}};
  proposal.instances = {Ins("ins-00000001", "RUNNING"), Ins("ins-00000002", "RUNNING")};
  proposal.price_note = "review: the current spot price (0.1234/h) rounded up";

  const std::string text = EmitConfigYaml(
      DiscoveredConfig(existing, {proposal}, "/work/project/adopted.yaml", "2026-11-27 08:00 UTC"));
  EXPECT_NE(text.find("# Written by `spotform import --discover` at 2026-11-27 08:00 UTC."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("s5-medium4-ap-guangzhou-3:  # adopted 2 instances: ins-00000001, "
                      "ins-00000002"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("max_price: \"0.13\"  # review: the current spot price (0.1234/h) "
                      "rounded up"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("state:"), std::string::npos) << text;  // same folder: the default

  ConfigParseResult parsed = ParseConfig(text, "/work/project/adopted.yaml",
                                         [](const std::string&) { return std::nullopt; });
  ASSERT_TRUE(parsed.config.has_value()) << text;
  EXPECT_EQ(parsed.config->provider.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(parsed.config->state.path, "/work/project/.spotform/state.db");
  ASSERT_EQ(parsed.config->environments.size(), 2u);
  const EnvironmentSpec& read = parsed.config->environments.at("s5-medium4-ap-guangzhou-3");
  EXPECT_TRUE(SameCapacityShape(read, proposal.spec));
  EXPECT_EQ(read.max_price, "0.13");
  EXPECT_EQ(read.desired_count, 2);
  EXPECT_EQ(read.tags, proposal.spec.tags);  // "null" and "true" stay strings
  EXPECT_EQ(parsed.config->environments.at("render").tags, kept.tags);
}

TEST(DiscoveryTest, GeneratedConfigElsewhereNamesTheSameState) {
  Config existing;
  existing.file = "/work/project/spotform.yaml";
  existing.provider.region = "ap-guangzhou";
  existing.state.path = "/work/project/.spotform/state.db";
  const std::string text =
      EmitConfigYaml(DiscoveredConfig(existing, {}, "/work/project/review/adopted.yaml", "now"));
  ConfigParseResult parsed = ParseConfig(text, "/work/project/review/adopted.yaml",
                                         [](const std::string&) { return std::nullopt; });
  ASSERT_TRUE(parsed.config.has_value()) << text;
  EXPECT_EQ(parsed.config->state.path, "/work/project/.spotform/state.db");
  EXPECT_NE(text.find("path: ../.spotform/state.db"), std::string::npos) << text;
}

}  // namespace
}  // namespace spotform
