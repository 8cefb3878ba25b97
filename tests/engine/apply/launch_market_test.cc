// LaunchMarket (spec §3 "Fallback candidates"): the spot market as read once per run for the
// candidates launches ask about, the spot quota used since, and the holds on candidates that
// refused a launch (skipped for 3 minutes) or lost instances to a reclaim (tried last for 10).
#include "engine/apply/launch_market.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/support/fake_clock.h"
#include "tests/support/fake_cloud.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kMarketGz3[] = "ap-guangzhou-3";
constexpr char kMarketGz4[] = "ap-guangzhou-4";

// env.render over `zones` x `types` at 0.60.
EnvironmentSpec MarketSpec(std::vector<std::string> zones, std::vector<std::string> types) {
  EnvironmentSpec spec = testing::Spec("render", 4);
  spec.zones = std::move(zones);
  spec.instance_types.clear();
  for (const std::string& type : types) spec.instance_types.push_back({type, ""});
  return spec;
}

SpotOffer MarketOffer(const std::string& zone, const std::string& type, double price, int64_t cpu) {
  SpotOffer offer;
  offer.zone = zone;
  offer.instance_type = type;
  offer.hourly_price = price;
  offer.on_sale = true;
  offer.stock = StockLevel::kEnough;
  offer.cpu = cpu;
  return offer;
}

// How many times `verb` was called on `cloud`.
int CallsOf(const FakeCloud& cloud, const std::string& verb) {
  std::vector<std::string> calls = cloud.calls();
  return static_cast<int>(std::count_if(
      calls.begin(), calls.end(), [&](const std::string& call) { return call.starts_with(verb); }));
}

class LaunchMarketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cloud_.SetSpotOffer(MarketOffer(kMarketGz3, "S5.MEDIUM4", 0.10, 2));
    cloud_.SetSpotOffer(MarketOffer(kMarketGz4, "S5.MEDIUM4", 0.12, 2));
    cloud_.SetSpotOffer(MarketOffer(kMarketGz3, "S5.LARGE8", 0.20, 4));
    cloud_.SetSpotOffer(MarketOffer(kMarketGz4, "S5.LARGE8", 0.22, 4));
    cloud_.SetSpotQuota({SpotQuota{kMarketGz3, 50, 10, 40}, SpotQuota{kMarketGz4, 50, 0, 50}});
  }

  MarketView MustView(LaunchMarket& market, const EnvironmentSpec& spec) {
    Result<MarketView> view = market.View(cloud_, spec);
    EXPECT_TRUE(view.ok()) << view.error().ToString();
    return view.ok() ? *view : MarketView();
  }

  FakeClock clock_;
  FakeCloud cloud_;
};

// --- holds ---

TEST_F(LaunchMarketTest, HoldsDefaultToThreeMinutesUnavailableAndTenMinutesCooling) {
  EXPECT_EQ(LaunchMarket::kDefaultUnavailableTtl, minutes(3));
  EXPECT_EQ(LaunchMarket::kDefaultReclaimCooldown, minutes(10));
}

TEST_F(LaunchMarketTest, AnUnavailableCandidateIsHeldUntilItsTtlHasPassed) {
  LaunchMarket market;
  const Clock::WallTime marked = clock_.Now();
  market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", marked);

  clock_.Advance(minutes(3) - seconds(1));
  CandidateHolds held = market.Holds(clock_.Now());
  EXPECT_EQ(held.unavailable,
            (std::set<std::pair<std::string, std::string>>{{kMarketGz3, "S5.MEDIUM4"}}));
  EXPECT_TRUE(held.cooling.empty());

  clock_.Advance(seconds(1));
  EXPECT_TRUE(market.Holds(clock_.Now()).unavailable.empty());
}

TEST_F(LaunchMarketTest, ACandidateThatLostInstancesCoolsForTheReclaimCooldown) {
  LaunchMarket market;
  const CandidateHold hold = market.MarkReclaimed(kMarketGz4, "S5.LARGE8", clock_.Now());
  EXPECT_EQ(hold, (CandidateHold{kMarketGz4, "S5.LARGE8", HoldKind::kCooling,
                                 clock_.Now() + minutes(10)}));

  clock_.Advance(minutes(9));
  CandidateHolds held = market.Holds(clock_.Now());
  EXPECT_EQ(held.cooling,
            (std::set<std::pair<std::string, std::string>>{{kMarketGz4, "S5.LARGE8"}}));
  EXPECT_TRUE(held.unavailable.empty());

  clock_.Advance(minutes(1));
  EXPECT_TRUE(market.Holds(clock_.Now()).cooling.empty());
}

TEST_F(LaunchMarketTest, HoldsFollowTheTtlsItWasMadeWith) {
  LaunchMarket market(seconds(30), seconds(90));
  market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", clock_.Now());
  market.MarkReclaimed(kMarketGz4, "S5.MEDIUM4", clock_.Now());

  clock_.Advance(seconds(29));
  EXPECT_EQ(market.Holds(clock_.Now()).unavailable.size(), 1u);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(market.Holds(clock_.Now()).unavailable.empty());
  EXPECT_EQ(market.Holds(clock_.Now()).cooling.size(), 1u);
  clock_.Advance(seconds(60));
  EXPECT_TRUE(market.Holds(clock_.Now()).cooling.empty());
}

TEST_F(LaunchMarketTest, MarkingACandidateAgainRestartsItsHold) {
  LaunchMarket market;
  market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", clock_.Now());
  clock_.Advance(minutes(2));
  market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", clock_.Now());

  clock_.Advance(minutes(2));

  EXPECT_EQ(market.Holds(clock_.Now()).unavailable.size(), 1u);
}

TEST_F(LaunchMarketTest, HoldsSeededFromTheStateApplyUntilTheirEnd) {
  LaunchMarket market;
  market.Seed(
      {CandidateHold{kMarketGz3, "S5.MEDIUM4", HoldKind::kUnavailable, clock_.Now() + minutes(1)},
       CandidateHold{kMarketGz4, "S5.MEDIUM4", HoldKind::kCooling, clock_.Now() + minutes(5)}});

  CandidateHolds held = market.Holds(clock_.Now());
  EXPECT_EQ(held.unavailable,
            (std::set<std::pair<std::string, std::string>>{{kMarketGz3, "S5.MEDIUM4"}}));
  EXPECT_EQ(held.cooling,
            (std::set<std::pair<std::string, std::string>>{{kMarketGz4, "S5.MEDIUM4"}}));
  clock_.Advance(minutes(1));
  EXPECT_TRUE(market.Holds(clock_.Now()).unavailable.empty());
  EXPECT_EQ(market.Holds(clock_.Now()).cooling.size(), 1u);
}

TEST_F(LaunchMarketTest, ACandidateHeldTwiceKeepsTheLaterEnd) {
  LaunchMarket market;
  market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", clock_.Now());  // until +3 min
  market.Seed(
      {CandidateHold{kMarketGz3, "S5.MEDIUM4", HoldKind::kUnavailable, clock_.Now() + minutes(1)}});

  clock_.Advance(minutes(2));

  EXPECT_EQ(market.Holds(clock_.Now()).unavailable.size(), 1u);
}

TEST_F(LaunchMarketTest, MarkingReturnsTheHoldForTheStateEndingAfterTheTtl) {
  LaunchMarket market(seconds(30), seconds(90));
  const Clock::WallTime now = clock_.Now();
  EXPECT_EQ(market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", now),
            (CandidateHold{kMarketGz3, "S5.MEDIUM4", HoldKind::kUnavailable, now + seconds(30)}));
  EXPECT_EQ(market.MarkReclaimed(kMarketGz4, "S5.LARGE8", now),
            (CandidateHold{kMarketGz4, "S5.LARGE8", HoldKind::kCooling, now + seconds(90)}));
}

TEST_F(LaunchMarketTest, SeededHoldsAreInForceUntilTheirRecordedEnd) {
  LaunchMarket market;
  const Clock::WallTime now = clock_.Now();
  market.Seed({{kMarketGz3, "S5.MEDIUM4", HoldKind::kUnavailable, now + minutes(1)},
               {kMarketGz4, "S5.LARGE8", HoldKind::kCooling, now + minutes(4)},
               {kMarketGz4, "S5.MEDIUM4", HoldKind::kUnavailable, now}});  // already over

  CandidateHolds held = market.Holds(clock_.Now());
  EXPECT_EQ(held.unavailable,
            (std::set<std::pair<std::string, std::string>>{{kMarketGz3, "S5.MEDIUM4"}}));
  EXPECT_EQ(held.cooling,
            (std::set<std::pair<std::string, std::string>>{{kMarketGz4, "S5.LARGE8"}}));

  clock_.Advance(minutes(1));
  EXPECT_TRUE(market.Holds(clock_.Now()).unavailable.empty());
  EXPECT_EQ(market.Holds(clock_.Now()).cooling.size(), 1u);
  clock_.Advance(minutes(3));
  EXPECT_TRUE(market.Holds(clock_.Now()).cooling.empty());
}

TEST_F(LaunchMarketTest, SeedingKeepsTheLaterEndOfAHoldKnownAlready) {
  LaunchMarket market;
  market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", clock_.Now());  // until +3m
  const Clock::WallTime now = clock_.Now();
  market.Seed({{kMarketGz3, "S5.MEDIUM4", HoldKind::kUnavailable, now + minutes(1)}});
  clock_.Advance(minutes(2));
  EXPECT_EQ(market.Holds(clock_.Now()).unavailable.size(), 1u) << "the earlier end is ignored";

  market.Seed({{kMarketGz3, "S5.MEDIUM4", HoldKind::kUnavailable, now + minutes(5)}});
  clock_.Advance(minutes(2));
  EXPECT_EQ(market.Holds(clock_.Now()).unavailable.size(), 1u) << "the later end extends it";
  clock_.Advance(minutes(1));
  EXPECT_TRUE(market.Holds(clock_.Now()).unavailable.empty());
}

// --- reading the market ---

TEST_F(LaunchMarketTest, ViewReadsOffersAndQuotasOnceForCandidatesAlreadyRead) {
  LaunchMarket market;
  const EnvironmentSpec both = MarketSpec({kMarketGz3, kMarketGz4}, {"S5.MEDIUM4", "S5.LARGE8"});

  MarketView first = MustView(market, both);
  MarketView again = MustView(market, both);
  MarketView part = MustView(market, MarketSpec({kMarketGz4}, {"S5.LARGE8"}));

  EXPECT_EQ(cloud_.calls(),
            (std::vector<std::string>{"DescribeSpotOffers 2 zones 2 types", "DescribeSpotQuota"}));
  for (const MarketView& view : {first, again, part}) {
    EXPECT_TRUE(view.read);
    EXPECT_EQ(view.offers.size(), 4u);
    EXPECT_DOUBLE_EQ(view.offers.at({kMarketGz4, "S5.LARGE8"}).hourly_price, 0.22);
    EXPECT_EQ(view.quotas.at(kMarketGz3).remaining_vcpus, 40);
  }
}

TEST_F(LaunchMarketTest, ViewReadsAgainForACandidateNotYetReadAndKeepsWhatItRead) {
  LaunchMarket market;
  MustView(market, MarketSpec({kMarketGz3}, {"S5.MEDIUM4"}));

  MarketView view = MustView(market, MarketSpec({kMarketGz3, kMarketGz4}, {"S5.MEDIUM4"}));

  EXPECT_EQ(CallsOf(cloud_, "DescribeSpotOffers"), 2);
  EXPECT_EQ(cloud_.calls()[2], "DescribeSpotOffers 2 zones 1 types");
  EXPECT_EQ(view.offers.size(), 2u);
  EXPECT_EQ(view.offers.count({kMarketGz4, "S5.MEDIUM4"}), 1u);
  // A third spec of candidates read by the two before: no read.
  MustView(market, MarketSpec({kMarketGz4}, {"S5.MEDIUM4"}));
  EXPECT_EQ(CallsOf(cloud_, "DescribeSpotOffers"), 2);
}

TEST_F(LaunchMarketTest, ViewOnlyKeepsQuotasOfTheZonesItAskedAbout) {
  cloud_.SetSpotQuota({SpotQuota{kMarketGz3, 50, 10, 40}, SpotQuota{"ap-guangzhou-7", 8, 0, 8}});
  LaunchMarket market;
  MarketView view = MustView(market, MarketSpec({kMarketGz3}, {"S5.MEDIUM4"}));
  EXPECT_EQ(view.quotas.size(), 1u);
  EXPECT_EQ(view.quotas.count(kMarketGz3), 1u);
}

TEST_F(LaunchMarketTest, NoteLaunchedTakesTheLaunchedVcpusOffTheZonesRemainingQuota) {
  LaunchMarket market;
  const EnvironmentSpec spec = MarketSpec({kMarketGz3, kMarketGz4}, {"S5.MEDIUM4"});
  MustView(market, spec);

  market.NoteLaunched(kMarketGz3, 3, 4);
  market.NoteLaunched(kMarketGz3, 2, 2);
  MarketView view = MustView(market, spec);

  EXPECT_EQ(view.quotas.at(kMarketGz3).remaining_vcpus, 40 - 16);
  EXPECT_EQ(view.quotas.at(kMarketGz3).used_vcpus, 10 + 16);
  EXPECT_EQ(view.quotas.at(kMarketGz3).total_vcpus, 50);
  EXPECT_EQ(view.quotas.at(kMarketGz4).remaining_vcpus, 50);
  EXPECT_EQ(CallsOf(cloud_, "DescribeSpotQuota"), 1);
}

TEST_F(LaunchMarketTest, RemainingQuotaNeverGoesBelowZero) {
  LaunchMarket market;
  const EnvironmentSpec spec = MarketSpec({kMarketGz3}, {"S5.MEDIUM4"});
  MustView(market, spec);
  market.NoteLaunched(kMarketGz3, 11, 4);
  EXPECT_EQ(MustView(market, spec).quotas.at(kMarketGz3).remaining_vcpus, 0);
}

TEST_F(LaunchMarketTest, ARereadQuotaIsNotChargedAgainForLaunchesItAlreadyCounts) {
  LaunchMarket market;
  MustView(market, MarketSpec({kMarketGz3}, {"S5.MEDIUM4"}));
  market.NoteLaunched(kMarketGz3, 3, 4);
  // The cloud counts the 12 vCPUs launched since.
  cloud_.SetSpotQuota({SpotQuota{kMarketGz3, 50, 22, 28}, SpotQuota{kMarketGz4, 50, 0, 50}});

  MarketView view = MustView(market, MarketSpec({kMarketGz3}, {"S5.MEDIUM4", "S5.LARGE8"}));

  EXPECT_EQ(CallsOf(cloud_, "DescribeSpotQuota"), 2);
  EXPECT_EQ(view.quotas.at(kMarketGz3).remaining_vcpus, 28);
}

TEST_F(LaunchMarketTest, ForgetMarketReadsAgainButKeepsTheHolds) {
  LaunchMarket market;
  const EnvironmentSpec spec = MarketSpec({kMarketGz3}, {"S5.MEDIUM4"});
  MustView(market, spec);
  market.NoteLaunched(kMarketGz3, 5, 2);
  market.MarkUnavailable(kMarketGz3, "S5.MEDIUM4", clock_.Now());

  market.ForgetMarket();
  MarketView view = MustView(market, spec);

  EXPECT_EQ(CallsOf(cloud_, "DescribeSpotOffers"), 2);
  EXPECT_EQ(view.quotas.at(kMarketGz3).remaining_vcpus, 40);  // as the cloud now says
  EXPECT_EQ(market.Holds(clock_.Now()).unavailable.size(), 1u);
}

TEST_F(LaunchMarketTest, AnUnreadableMarketIsAnUnreadViewWithTheReasonAndIsNotAskedAgain) {
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("DescribeSpotOffers")) return std::nullopt;
    return Error(ErrorKind::kTransport, "DescribeSpotOffers: connection reset",
                 "ClientNetworkError");
  });
  LaunchMarket market;
  const EnvironmentSpec spec = MarketSpec({kMarketGz3, kMarketGz4}, {"S5.MEDIUM4"});

  MarketView view = MustView(market, spec);
  MustView(market, spec);

  EXPECT_FALSE(view.read);
  EXPECT_TRUE(view.offers.empty());
  EXPECT_EQ(view.unread_reason, "ClientNetworkError: DescribeSpotOffers: connection reset");
  EXPECT_EQ(CallsOf(cloud_, "DescribeSpotOffers"), 1);
}

TEST_F(LaunchMarketTest, ACandidateWhoseReadFailedIsNotTakenForOneTheMarketDoesNotSell) {
  LaunchMarket market;
  MustView(market, MarketSpec({kMarketGz3}, {"S5.MEDIUM4"}));
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("DescribeSpotOffers")) return std::nullopt;
    return Error(ErrorKind::kTransport, "DescribeSpotOffers: connection reset",
                 "ClientNetworkError");
  });
  const EnvironmentSpec other = MarketSpec({kMarketGz4}, {"S5.LARGE8"});

  Result<MarketView> view = market.View(cloud_, other);

  ASSERT_TRUE(view.ok()) << view.error().ToString();
  // Nothing is known of ap-guangzhou-4 S5.LARGE8: placement must try it, not skip it.
  Placement placement = Place(other, 2, *view, {});
  EXPECT_EQ(placement.placed, 2) << placement.candidates[0].why;
}

TEST_F(LaunchMarketTest, AnAuthenticationFailureIsAnError) {
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (!call.starts_with("DescribeSpotOffers")) return std::nullopt;
    return Error(ErrorKind::kAuth, "DescribeSpotOffers: the SecretId was refused",
                 "AuthFailure.SecretIdNotFound");
  });
  LaunchMarket market;

  Result<MarketView> view = market.View(cloud_, MarketSpec({kMarketGz3}, {"S5.MEDIUM4"}));

  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.error().kind(), ErrorKind::kAuth);
}

TEST_F(LaunchMarketTest, AnUnreadableQuotaLeavesTheOffersReadAndEveryZoneUnlimited) {
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (call != "DescribeSpotQuota") return std::nullopt;
    return Error(ErrorKind::kRetryable, "DescribeSpotQuota: throttled", "RequestLimitExceeded");
  });
  LaunchMarket market;

  MarketView view = MustView(market, MarketSpec({kMarketGz3}, {"S5.MEDIUM4"}));

  EXPECT_TRUE(view.read);
  EXPECT_EQ(view.offers.size(), 1u);
  EXPECT_TRUE(view.quotas.empty());
}

}  // namespace
}  // namespace spotform
