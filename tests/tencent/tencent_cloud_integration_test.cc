// TencentCloud end to end: the full client stack (curl, TC3 signing, throttle, retries) against
// the real spotform-sim binary. Every typed operation, and a check through the emulator's request
// log that no request carried a field the API does not define.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "engine/model/clock.h"
#include "providers/tencent/client_factory.h"
#include "providers/tencent/tencent_cloud.h"
#include "tests/support/sim_process.h"

namespace spotform {
namespace {

constexpr char kZone[] = "ap-guangzhou-3";
constexpr char kType[] = "S5.MEDIUM4";

class TencentCloudIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<SimProcess>> sim = SimProcess::Start({"--no-rate-limit"});
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    ClientOptions options;
    options.endpoint = sim_->endpoint();
    options.retry.base_delay = std::chrono::milliseconds(20);
    Result<std::unique_ptr<ClientStack>> stack =
        ClientStack::Create(options, Credentials(kSimSecretId, kSimSecretKey), clock_);
    ASSERT_TRUE(stack.ok()) << stack.error().ToString();
    stack_ = std::move(stack.value());
    cloud_ = std::make_unique<TencentCloud>(*stack_, TencentCloudOptions{"ap-guangzhou", 4});
  }

  // Every API call the emulator saw answered without an error.
  void ExpectNoRejectedRequest() {
    Result<nlohmann::json> log = sim_->Requests();
    ASSERT_TRUE(log.ok()) << log.error().ToString();
    for (const auto& entry : *log) {
      EXPECT_TRUE(entry["error"].is_null()) << entry.dump();
    }
  }

  LaunchSpec Launch(const std::string& token, int count) {
    LaunchSpec spec;
    spec.zone = kZone;
    spec.instance_type = kType;
    spec.image_id = "img-pmqg1cw7";
    spec.max_price = "0.50";
    spec.count = count;
    spec.tags = {{"spotform-env", "render"}, {"spotform-lineage", "it-1"}};
    spec.client_token = token;
    spec.name = "render";
    return spec;
  }

  SystemClock clock_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<ClientStack> stack_;
  std::unique_ptr<TencentCloud> cloud_;
};

TEST_F(TencentCloudIntegrationTest, SpotOfferReportsTheMarket) {
  ASSERT_TRUE(sim_->SetMarket(kZone, kType, 0.12, 40).ok());

  Result<SpotOffer> offer = cloud_->GetSpotOffer(kZone, kType);

  ASSERT_TRUE(offer.ok()) << offer.error().ToString();
  EXPECT_EQ(offer->zone, kZone);
  EXPECT_EQ(offer->instance_type, kType);
  EXPECT_DOUBLE_EQ(offer->hourly_price, 0.12);
  EXPECT_TRUE(offer->on_sale);
  EXPECT_EQ(offer->cpu, 2);
  EXPECT_EQ(offer->memory_gb, 4);
  Result<SpotOffer> missing = cloud_->GetSpotOffer("ap-guangzhou-7", "S5.LARGE8");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
  ExpectNoRejectedRequest();
}

TEST_F(TencentCloudIntegrationTest, SpotOffersOfSeveralZonesAndTypesInOneCall) {
  ASSERT_TRUE(sim_->SetMarket(kZone, kType, 0.12, 40).ok());
  ASSERT_TRUE(sim_->SetMarket("ap-guangzhou-4", "S5.LARGE8", 0.19, 0).ok());  // sold out

  // ap-guangzhou-7 sells no S5.LARGE8 (the emulator's default market): 5 of the 6 pairs.
  Result<std::vector<SpotOffer>> offers =
      cloud_->DescribeSpotOffers({kZone, "ap-guangzhou-4", "ap-guangzhou-7"}, {kType, "S5.LARGE8"});

  ASSERT_TRUE(offers.ok()) << offers.error().ToString();
  std::map<std::pair<std::string, std::string>, SpotOffer> by_pair;
  for (const SpotOffer& offer : *offers) by_pair[{offer.zone, offer.instance_type}] = offer;
  EXPECT_EQ(offers->size(), 5u);
  EXPECT_EQ(by_pair.size(), 5u);
  EXPECT_EQ(by_pair.count({"ap-guangzhou-7", "S5.LARGE8"}), 0u);
  const SpotOffer& set = by_pair[{kZone, kType}];
  EXPECT_DOUBLE_EQ(set.hourly_price, 0.12);
  EXPECT_TRUE(set.on_sale);
  EXPECT_EQ(set.cpu, 2);
  EXPECT_EQ(set.memory_gb, 4);
  const SpotOffer& sold_out = by_pair[{"ap-guangzhou-4", "S5.LARGE8"}];
  EXPECT_FALSE(sold_out.on_sale);
  EXPECT_EQ(sold_out.stock, StockLevel::kNone);
  EXPECT_EQ(sold_out.cpu, 4);
  Result<nlohmann::json> log = sim_->Requests();
  ASSERT_TRUE(log.ok());
  int describes = 0;
  for (const auto& entry : *log) describes += entry["action"] == "DescribeZoneInstanceConfigInfos";
  EXPECT_EQ(describes, 1);
  ExpectNoRejectedRequest();
}

TEST_F(TencentCloudIntegrationTest, ADryRunPassesOrRefusesAndLaunchesNothing) {
  ASSERT_TRUE(sim_->SetMarket(kZone, kType, 0.12, 40).ok());

  Status passed = cloud_->DryRunLaunch(Launch("it-dry-1", 3));
  ASSERT_TRUE(passed.ok()) << passed.error().ToString();
  LaunchSpec without_token = Launch("", 3);
  Status also_passed = cloud_->DryRunLaunch(without_token);
  ASSERT_TRUE(also_passed.ok()) << also_passed.error().ToString();

  LaunchSpec low_bid = Launch("it-dry-2", 1);
  low_bid.max_price = "0.05";
  Status refused = cloud_->DryRunLaunch(low_bid);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kCapacity);
  EXPECT_EQ(refused.error().code(), "InvalidParameterValue.InsufficientPrice");
  EXPECT_EQ(
      refused.error().message().rfind("RunInstances (dry run) ap-guangzhou-3 S5.MEDIUM4: ", 0), 0u)
      << refused.error().message();
  Status out_of_stock = cloud_->DryRunLaunch(Launch("it-dry-3", 41));
  ASSERT_FALSE(out_of_stock.ok());
  EXPECT_EQ(out_of_stock.error().kind(), ErrorKind::kCapacity);

  Result<nlohmann::json> instances = sim_->Instances();
  ASSERT_TRUE(instances.ok()) << instances.error().ToString();
  EXPECT_TRUE(instances->empty()) << instances->dump();
  // The dry run did not use up its ClientToken: the real launch with it creates instances.
  Result<std::vector<std::string>> ids = cloud_->LaunchSpotInstances(Launch("it-dry-1", 3));
  ASSERT_TRUE(ids.ok()) << ids.error().ToString();
  EXPECT_EQ(ids->size(), 3u);
  // Every request was well formed: the emulator refused none for its shape (only the dry runs'
  // answers and the price and stock refusals asked for are errors in its log).
  Result<nlohmann::json> log = sim_->Requests();
  ASSERT_TRUE(log.ok());
  for (const auto& entry : *log) {
    if (entry["error"].is_null()) continue;
    const std::string code = entry["error"].get<std::string>();
    EXPECT_TRUE(code == "DryRunOperation" ||
                code.rfind("InvalidParameterValue.Insufficient", 0) == 0)
        << entry.dump();
  }
}

TEST_F(TencentCloudIntegrationTest, LaunchDescribeFindAndTerminateInstances) {
  Result<std::vector<std::string>> ids = cloud_->LaunchSpotInstances(Launch("it-launch-1", 3));
  ASSERT_TRUE(ids.ok()) << ids.error().ToString();
  ASSERT_EQ(ids->size(), 3u);

  // The same ClientToken again launches nothing new.
  Result<std::vector<std::string>> replay = cloud_->LaunchSpotInstances(Launch("it-launch-1", 3));
  ASSERT_TRUE(replay.ok()) << replay.error().ToString();
  EXPECT_EQ(*replay, *ids);

  std::vector<std::string> asked = *ids;
  asked.push_back("ins-zzzzzzzz");  // well formed, never existed
  Result<InstanceObservation> observed = cloud_->DescribeInstances(asked);
  ASSERT_TRUE(observed.ok()) << observed.error().ToString();
  ASSERT_EQ(observed->found.size(), 3u);
  EXPECT_EQ(observed->missing, (std::vector<std::string>{"ins-zzzzzzzz"}));
  for (const ObservedInstance& instance : observed->found) {
    EXPECT_EQ(instance.zone, kZone);
    EXPECT_EQ(instance.instance_type, kType);
    EXPECT_EQ(instance.image_id, "img-pmqg1cw7");
    EXPECT_EQ(instance.charge_type, ChargeType::kSpot);
    EXPECT_EQ(instance.state, InstanceState::kPending);
    EXPECT_EQ(instance.tags.at("spotform-env"), "render");
  }

  ASSERT_TRUE(sim_->Tick(5).ok());
  observed = cloud_->DescribeInstances(*ids);
  ASSERT_TRUE(observed.ok()) << observed.error().ToString();
  for (const ObservedInstance& instance : observed->found) {
    EXPECT_EQ(instance.state, InstanceState::kRunning) << instance.state_text;
  }

  // A second fleet without our tags is not found by the tag search.
  LaunchSpec other = Launch("it-launch-2", 2);
  other.tags = {{"team", "other"}};
  ASSERT_TRUE(cloud_->LaunchSpotInstances(other).ok());
  Result<std::vector<ObservedInstance>> found =
      cloud_->FindInstances(InstanceQuery{{{"spotform-lineage", "it-1"}}, kZone});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  std::set<std::string> found_ids;
  for (const ObservedInstance& instance : *found) found_ids.insert(instance.id);
  EXPECT_EQ(found_ids, std::set<std::string>(ids->begin(), ids->end()));

  std::vector<InstanceRef> refs;
  for (const std::string& id : *ids) refs.push_back({id, std::nullopt});
  refs.push_back({"ins-zzzzzzzz", std::nullopt});
  Result<TerminateOutcome> outcome = cloud_->TerminateInstances(refs);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  std::vector<std::string> terminated = outcome->terminated;
  std::sort(terminated.begin(), terminated.end());
  std::vector<std::string> expected = *ids;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(terminated, expected);
  EXPECT_EQ(outcome->skipped, (std::vector<std::string>{"ins-zzzzzzzz"}));

  ASSERT_TRUE(sim_->Tick(10).ok());
  observed = cloud_->DescribeInstances(*ids);
  ASSERT_TRUE(observed.ok()) << observed.error().ToString();
  EXPECT_TRUE(observed->found.empty());
  EXPECT_EQ(observed->missing.size(), 3u);
  ExpectNoRejectedRequest();
}

TEST_F(TencentCloudIntegrationTest, ABidBelowTheMarketIsACapacityErrorNamingZoneAndType) {
  ASSERT_TRUE(sim_->SetMarket(kZone, kType, 0.12, 40).ok());
  LaunchSpec spec = Launch("it-low-bid", 1);
  spec.max_price = "0.05";

  Result<std::vector<std::string>> ids = cloud_->LaunchSpotInstances(spec);

  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.error().kind(), ErrorKind::kCapacity);
  EXPECT_EQ(ids.error().code(), "InvalidParameterValue.InsufficientPrice");
  EXPECT_EQ(ids.error().message().rfind("RunInstances ap-guangzhou-3 S5.MEDIUM4: ", 0), 0u)
      << ids.error().message();
  EXPECT_FALSE(ids.error().request_id().empty());
}

TEST_F(TencentCloudIntegrationTest, DescribesManyInstancesInParallelChunks) {
  Result<std::vector<std::string>> first = cloud_->LaunchSpotInstances(Launch("it-many-1", 100));
  Result<std::vector<std::string>> second = cloud_->LaunchSpotInstances(Launch("it-many-2", 100));
  Result<std::vector<std::string>> third = cloud_->LaunchSpotInstances(Launch("it-many-3", 50));
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  std::vector<std::string> ids = *first;
  ids.insert(ids.end(), second->begin(), second->end());
  ids.insert(ids.end(), third->begin(), third->end());

  Result<InstanceObservation> observed = cloud_->DescribeInstances(ids);

  ASSERT_TRUE(observed.ok()) << observed.error().ToString();
  EXPECT_EQ(observed->found.size(), 250u);
  EXPECT_TRUE(observed->missing.empty());
  Result<std::vector<ObservedInstance>> found =
      cloud_->FindInstances(InstanceQuery{{{"spotform-env", "render"}}, ""});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->size(), 250u);
  Result<nlohmann::json> log = sim_->Requests();
  ASSERT_TRUE(log.ok());
  int describes = 0;
  for (const auto& entry : *log) describes += entry["action"] == "DescribeInstances";
  EXPECT_EQ(describes, 3 + 3);  // 100/100/50 by id, then 3 pages by tag
  ExpectNoRejectedRequest();
}

TEST_F(TencentCloudIntegrationTest, BatchEnvironmentLifecycle) {
  ComputeEnvSpec spec;
  spec.name = "farm";
  spec.zone = kZone;
  spec.instance_type = kType;
  spec.image_id = "img-pmqg1cw7";
  spec.max_price = "0.50";
  spec.desired_count = 3;
  spec.tags = {{"spotform-env", "farm"}};
  spec.client_token = "it-farm-1";
  Result<std::string> env_id = cloud_->CreateComputeEnv(spec);
  ASSERT_TRUE(env_id.ok()) << env_id.error().ToString();
  Result<std::string> replay = cloud_->CreateComputeEnv(spec);
  ASSERT_TRUE(replay.ok()) << replay.error().ToString();
  EXPECT_EQ(*replay, *env_id);

  ASSERT_TRUE(sim_->Tick(10).ok());
  Result<ComputeEnv> env = cloud_->DescribeComputeEnv(*env_id);
  ASSERT_TRUE(env.ok()) << env.error().ToString();
  EXPECT_EQ(env->info.id, *env_id);
  EXPECT_EQ(env->info.name, "farm");
  EXPECT_EQ(env->info.zone, kZone);
  EXPECT_EQ(env->info.desired_count, 3);
  EXPECT_EQ(env->info.tags.at("spotform-env"), "farm");
  ASSERT_EQ(env->nodes.size(), 3u);
  EXPECT_EQ(env->info.metrics.running, 3);
  for (const ComputeNode& node : env->nodes) {
    EXPECT_EQ(node.state, ComputeNodeState::kRunning) << node.state_text;
    EXPECT_EQ(node.instance_id.rfind("ins-", 0), 0u);
  }

  Result<std::vector<ComputeEnvInfo>> listed =
      cloud_->ListComputeEnvs(ComputeEnvQuery{{{"spotform-env", "farm"}}, kZone, ""});
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, *env_id);

  Status lowered = cloud_->SetDesiredCount(*env_id, 2);
  ASSERT_TRUE(lowered.ok()) << lowered.error().ToString();
  ASSERT_TRUE(sim_->Tick(5).ok());  // Batch is busy with the change until it has applied it
  env = cloud_->DescribeComputeEnv(*env_id);
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->info.desired_count, 2);
  Status terminated = cloud_->TerminateComputeNodes(*env_id, {env->nodes.front().id});
  ASSERT_TRUE(terminated.ok()) << terminated.error().ToString();
  ASSERT_TRUE(sim_->Tick(5).ok());

  Result<std::vector<ComputeEnvActivity>> activities =
      cloud_->DescribeComputeEnvActivities(*env_id);
  ASSERT_TRUE(activities.ok()) << activities.error().ToString();
  EXPECT_GE(activities->size(), 4u);  // three creations and one termination at least
  EXPECT_EQ(activities->front().type, "CREATE_COMPUTE_NODE");

  Status zero = cloud_->SetDesiredCount(*env_id, 0);
  ASSERT_TRUE(zero.ok()) << zero.error().ToString();
  ASSERT_TRUE(sim_->Tick(10).ok());
  Status deleted = cloud_->DeleteComputeEnv(*env_id);
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  ASSERT_TRUE(sim_->Tick(20).ok());
  Result<ComputeEnv> gone = cloud_->DescribeComputeEnv(*env_id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(gone.error().code(), "ResourceNotFound.ComputeEnv");
  EXPECT_EQ(gone.error().message().rfind("DescribeComputeEnv " + *env_id + ": ", 0), 0u);
}

}  // namespace
}  // namespace spotform
