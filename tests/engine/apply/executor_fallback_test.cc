// Executor, cvm mode with fallback candidates (spec §3 "Fallback candidates"): a launch is
// placed at launch time, asks for partial delivery (MinCount 1), moves what a candidate could
// not deliver to the next one, halves refused requests where the cloud has no MinCount, and
// records every instance with the zone and type it really runs in.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "tests/engine/apply/executor_test_support.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

constexpr char kFallbackGz3[] = "ap-guangzhou-3";
constexpr char kFallbackGz4[] = "ap-guangzhou-4";
constexpr char kFallbackGz6[] = "ap-guangzhou-6";

// env.render of `desired` S5.MEDIUM4 over ap-guangzhou-3, -4 and -6, in that order, at 0.60.
EnvironmentSpec ThreeZoneRender(int desired) {
  EnvironmentSpec spec = Spec("render", desired);
  spec.zones = {kFallbackGz3, kFallbackGz4, kFallbackGz6};
  return spec;
}

// Each launch request as (zone, type, count, min_count, max_price).
using LaunchRequest = std::tuple<std::string, std::string, int, int, std::string>;
std::vector<LaunchRequest> FallbackRequests(const FakeCloud& cloud) {
  std::vector<LaunchRequest> out;
  for (const LaunchSpec& launch : cloud.launches()) {
    out.emplace_back(launch.zone, launch.instance_type, launch.count, launch.min_count,
                     launch.max_price);
  }
  return out;
}

// How many instances of the pool are recorded per "ZONE TYPE".
std::map<std::string, int> RecordedPlaces(const Pool& pool) {
  std::map<std::string, int> out;
  for (const RecordedInstance& instance : pool.instances) {
    ++out[instance.zone + " " + instance.instance_type];
  }
  return out;
}

// How many instances run in the fake cloud per "ZONE TYPE".
std::map<std::string, int> CloudPlaces(const FakeCloud& cloud) {
  std::map<std::string, int> out;
  for (const ObservedInstance& instance : cloud.instances()) {
    ++out[instance.zone + " " + instance.instance_type];
  }
  return out;
}

class ExecutorFallbackTest : public ExecutorTest {};

TEST_F(ExecutorFallbackTest, MovesWhatACandidateCannotDeliverToTheNextCandidates) {
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 3);
  cloud_.SetStock(kFallbackGz4, "S5.MEDIUM4", 0);
  cloud_.SetStock(kFallbackGz6, "S5.MEDIUM4", 5);

  ApplyReport report = ApplySpecs({ThreeZoneRender(7)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(report.changes[0].launched, 7);
  // All 7 asked of the first; its 3 taken, the 4 left asked of the second (refused once),
  // then of the third. Every request asks for partial delivery.
  EXPECT_EQ(FallbackRequests(cloud_),
            (std::vector<LaunchRequest>{{kFallbackGz3, "S5.MEDIUM4", 7, 1, "0.60"},
                                        {kFallbackGz4, "S5.MEDIUM4", 4, 1, "0.60"},
                                        {kFallbackGz6, "S5.MEDIUM4", 4, 1, "0.60"}}));
  const Pool pool = PoolOfEnv("render");
  EXPECT_EQ(RecordedPlaces(pool), (std::map<std::string, int>{{"ap-guangzhou-3 S5.MEDIUM4", 3},
                                                              {"ap-guangzhou-6 S5.MEDIUM4", 4}}));
  EXPECT_EQ(CloudPlaces(cloud_), RecordedPlaces(pool));
  EXPECT_EQ(CountInState(pool, "RUNNING"), 7);
  EXPECT_EQ(pool.expected_count, 7);
  EXPECT_TRUE(State().open_intents.empty());
  EXPECT_EQ(progress_.Lines("note"),
            (std::vector<std::string>{
                "note env.render S5.MEDIUM4 in ap-guangzhou-3 ran out after 3 instances; placing "
                "4 instances on the next candidates",
                "note env.render S5.MEDIUM4 in ap-guangzhou-4 refused "
                "(ResourceInsufficient.InsufficientOfferingMinimum); trying the next candidate"}));
}

TEST_F(ExecutorFallbackTest, ReadsTheMarketOnceAndSkipsCandidatesItSaysCannotServe) {
  SpotOffer offer;
  offer.instance_type = "S5.MEDIUM4";
  offer.on_sale = true;
  offer.stock = StockLevel::kEnough;
  offer.hourly_price = 0.20;
  offer.zone = kFallbackGz3;
  offer.on_sale = false;  // sold out
  cloud_.SetSpotOffer(offer);
  offer.zone = kFallbackGz4;
  offer.on_sale = true;
  offer.hourly_price = 0.70;  // above the bid
  cloud_.SetSpotOffer(offer);
  offer.zone = kFallbackGz6;
  offer.hourly_price = 0.20;
  cloud_.SetSpotOffer(offer);
  const size_t mark = cloud_.calls().size();

  ApplyReport report = ApplySpecs({ThreeZoneRender(5)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(FallbackRequests(cloud_),
            (std::vector<LaunchRequest>{{kFallbackGz6, "S5.MEDIUM4", 5, 1, "0.60"}}));
  std::vector<std::string> reads;
  for (const std::string& call : CallsSince(mark)) {
    if (call.starts_with("DescribeSpot")) reads.push_back(call);
  }
  EXPECT_EQ(reads,
            (std::vector<std::string>{"DescribeSpotOffers 3 zones 1 types", "DescribeSpotQuota"}));
}

TEST_F(ExecutorFallbackTest, EachTypeLaunchesAtItsOwnBidAndIsRecordedAsThatType) {
  EnvironmentSpec render = Spec("render", 5);
  render.instance_types = {{"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", "0.40"}};
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 2);

  ApplyReport report = ApplySpecs({render});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(FallbackRequests(cloud_),
            (std::vector<LaunchRequest>{{kFallbackGz3, "S5.MEDIUM4", 5, 1, "0.60"},
                                        {kFallbackGz3, "SA2.MEDIUM4", 3, 1, "0.40"}}));
  const Pool pool = PoolOfEnv("render");
  EXPECT_EQ(RecordedPlaces(pool), (std::map<std::string, int>{{"ap-guangzhou-3 S5.MEDIUM4", 2},
                                                              {"ap-guangzhou-3 SA2.MEDIUM4", 3}}));
  EXPECT_EQ(CloudPlaces(cloud_), RecordedPlaces(pool));
  for (const RecordedInstance& instance : pool.instances) {
    EXPECT_EQ(instance.origin, InstanceOrigin::kCreated);
    EXPECT_FALSE(instance.client_token.empty());
  }
}

TEST_F(ExecutorFallbackTest, WithoutMinCountTheLauncherAsksAllOrNoneAndHalvesOnRefusals) {
  cloud_.SetMinCountSupported(false);
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 3);
  cloud_.SetStock(kFallbackGz4, "S5.MEDIUM4", 0);
  cloud_.SetStock(kFallbackGz6, "S5.MEDIUM4", 5);

  ApplyReport report = ApplySpecs({ThreeZoneRender(7)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(FallbackRequests(cloud_),
            (std::vector<LaunchRequest>{
                {kFallbackGz3, "S5.MEDIUM4", 7, 1, "0.60"},  // MinCount unsupported
                {kFallbackGz3, "S5.MEDIUM4", 7, 0, "0.60"},  // refused: 3 in stock
                {kFallbackGz3, "S5.MEDIUM4", 3, 0, "0.60"},  // launched
                {kFallbackGz3, "S5.MEDIUM4", 3, 0, "0.60"},  // refused: none left
                {kFallbackGz3, "S5.MEDIUM4", 1, 0, "0.60"},  // refused: given up
                {kFallbackGz4, "S5.MEDIUM4", 4, 0, "0.60"},
                {kFallbackGz4, "S5.MEDIUM4", 2, 0, "0.60"},
                {kFallbackGz4, "S5.MEDIUM4", 1, 0, "0.60"},  // refused: given up
                {kFallbackGz6, "S5.MEDIUM4", 4, 0, "0.60"}}));
  const Pool pool = PoolOfEnv("render");
  EXPECT_EQ(RecordedPlaces(pool), (std::map<std::string, int>{{"ap-guangzhou-3 S5.MEDIUM4", 3},
                                                              {"ap-guangzhou-6 S5.MEDIUM4", 4}}));
  EXPECT_EQ(CountInState(pool, "RUNNING"), 7);
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorFallbackTest, WhenNoCandidateCanServeTheErrorSaysWhyForEachAndKeepsWhatLaunched) {
  SpotOffer offer;
  offer.instance_type = "S5.MEDIUM4";
  offer.on_sale = true;
  offer.stock = StockLevel::kEnough;
  offer.hourly_price = 0.20;
  offer.zone = kFallbackGz3;
  cloud_.SetSpotOffer(offer);
  offer.zone = kFallbackGz4;
  offer.stock = StockLevel::kNone;
  cloud_.SetSpotOffer(offer);
  offer.zone = kFallbackGz6;
  offer.stock = StockLevel::kEnough;
  offer.hourly_price = 0.70;
  cloud_.SetSpotOffer(offer);
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 1);

  ApplyReport report = ApplySpecs({ThreeZoneRender(4)});

  ASSERT_EQ(report.changes[0].result, Failed());
  EXPECT_EQ(report.changes[0].launched, 1);
  EXPECT_EQ(report.changes[0].error,
            "env.render: no candidate can launch 3 instances now (1 launched): S5.MEDIUM4 in "
            "ap-guangzhou-3: refused a launch moments ago (stock, price or quota); skipped for a "
            "while; S5.MEDIUM4 in ap-guangzhou-4: sold out; S5.MEDIUM4 in ap-guangzhou-6: bid "
            "0.60 < market 0.7: raise max_price to at least 0.7");
  EXPECT_EQ(FallbackRequests(cloud_),
            (std::vector<LaunchRequest>{{kFallbackGz3, "S5.MEDIUM4", 4, 1, "0.60"}}));
  // Only the instance that launched is recorded, where it runs.
  const Pool pool = PoolOfEnv("render");
  ASSERT_EQ(pool.instances.size(), 1u);
  ASSERT_EQ(cloud_.instances().size(), 1u);
  EXPECT_EQ(pool.instances[0].id, cloud_.instances()[0].id);
  EXPECT_EQ(pool.instances[0].zone, kFallbackGz3);
  EXPECT_EQ(pool.instances[0].instance_type, "S5.MEDIUM4");
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorFallbackTest, WhenEveryCandidateRefusesNothingIsRecorded) {
  for (const char* zone : {kFallbackGz3, kFallbackGz4, kFallbackGz6}) {
    cloud_.SetStock(zone, "S5.MEDIUM4", 0);
  }

  ApplyReport report = ApplySpecs({ThreeZoneRender(2)});

  ASSERT_EQ(report.changes[0].result, Failed());
  EXPECT_EQ(report.changes[0].launched, 0);
  const std::string skipped =
      "refused a launch moments ago (stock, price or quota); skipped for a while";
  EXPECT_EQ(report.changes[0].error,
            "env.render: no candidate can launch 2 instances now (0 launched): S5.MEDIUM4 in "
            "ap-guangzhou-3: " +
                skipped + "; S5.MEDIUM4 in ap-guangzhou-4: " + skipped +
                "; S5.MEDIUM4 in ap-guangzhou-6: " + skipped);
  EXPECT_EQ(FallbackRequests(cloud_).size(), 3u);
  EXPECT_TRUE(cloud_.instances().empty());
  const StateSnapshot state = State();
  EXPECT_EQ(state.environments.count("render"), 0u)
      << "nothing was launched, so nothing stays recorded (no pool expected 2 with 0 live)";
  EXPECT_TRUE(state.open_intents.empty());
  // The refusals are remembered for later runs: each candidate is held for 3 minutes.
  std::vector<std::string> held;
  for (const CandidateHold& hold : state.candidate_holds) {
    EXPECT_EQ(hold.kind, HoldKind::kUnavailable);
    EXPECT_EQ(hold.until, clock_.Now() + std::chrono::minutes(3));
    held.push_back(hold.zone + " " + hold.instance_type);
  }
  std::sort(held.begin(), held.end());
  EXPECT_EQ(held,
            (std::vector<std::string>{"ap-guangzhou-3 S5.MEDIUM4", "ap-guangzhou-4 S5.MEDIUM4",
                                      "ap-guangzhou-6 S5.MEDIUM4"}));
}

TEST_F(ExecutorFallbackTest, CandidatesThatRefusedAreHeldInTheStateForTheUnavailableTtl) {
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 3);
  cloud_.SetStock(kFallbackGz4, "S5.MEDIUM4", 0);
  cloud_.SetStock(kFallbackGz6, "S5.MEDIUM4", 5);
  const Clock::WallTime now = clock_.Now();

  ApplyReport report = ApplySpecs({ThreeZoneRender(7)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  // The first ran out, the second refused; both are held 3 minutes from when they did.
  const StateSnapshot state = State();
  ASSERT_EQ(state.candidate_holds.size(), 2u);
  for (const CandidateHold& hold : state.candidate_holds) {
    EXPECT_EQ(hold.kind, HoldKind::kUnavailable);
    EXPECT_EQ(hold.instance_type, "S5.MEDIUM4");
    EXPECT_GE(hold.until, now + std::chrono::minutes(3));
    EXPECT_LE(hold.until, clock_.Now() + std::chrono::minutes(3));
  }
  EXPECT_EQ(state.candidate_holds[0].zone, kFallbackGz3);
  EXPECT_EQ(state.candidate_holds[1].zone, kFallbackGz4);
}

TEST_F(ExecutorFallbackTest, ALaterApplySkipsTheCandidatesTheStateHoldsUntilTheHoldEnds) {
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 0);
  ASSERT_TRUE(ApplySpecs({ThreeZoneRender(2)}).ok());
  ASSERT_EQ(State().candidate_holds.size(), 1u);
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 100);  // back in stock; the hold still stands
  const size_t before = cloud_.launches().size();

  // Another run (a new executor, so nothing in memory): it learns the hold from the state.
  clock_.Advance(std::chrono::minutes(2));
  ApplyReport report = ApplySpecs({ThreeZoneRender(4)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  std::vector<LaunchRequest> later = FallbackRequests(cloud_);
  later.erase(later.begin(), later.begin() + static_cast<std::ptrdiff_t>(before));
  EXPECT_EQ(later, (std::vector<LaunchRequest>{{kFallbackGz4, "S5.MEDIUM4", 2, 1, "0.60"}}));

  // Once the hold has ended, the preferred candidate is used again.
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(ApplySpecs({ThreeZoneRender(5)}).ok());
  EXPECT_EQ(FallbackRequests(cloud_).back(),
            (LaunchRequest{kFallbackGz3, "S5.MEDIUM4", 1, 1, "0.60"}));
}

TEST_F(ExecutorFallbackTest, ASingleCandidateSpecLaunchesAllOrNoneAsBefore) {
  cloud_.SetStock(kFallbackGz3, "S5.MEDIUM4", 10);

  ApplyReport report = ApplySpecs({Spec("render", 4)});

  ASSERT_TRUE(report.ok()) << report.changes[0].error;
  EXPECT_EQ(FallbackRequests(cloud_),
            (std::vector<LaunchRequest>{{kFallbackGz3, "S5.MEDIUM4", 4, 0, "0.60"}}));
  for (const std::string& call : cloud_.calls()) {
    EXPECT_FALSE(call.starts_with("DescribeSpotOffers")) << call;
  }
}

}  // namespace
}  // namespace spotform
