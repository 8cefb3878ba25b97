// Placement over fallback candidates (spec §3 "Fallback candidates"): which zone x type pairs an
// environment may launch in, in what order, which are skipped and why, and how many instances
// each takes now under the three allocation policies and the zones' spot quotas.
#include "engine/model/placement.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

constexpr char kGz3[] = "ap-guangzhou-3";
constexpr char kGz4[] = "ap-guangzhou-4";
constexpr char kGz6[] = "ap-guangzhou-6";

// env.render over `zones` x `types` (each {name, own bid or ""}) at the environment's bid 0.60.
EnvironmentSpec PlacementSpec(std::vector<std::string> zones, std::vector<InstanceTypeChoice> types,
                              Allocation allocation = Allocation::kOrdered) {
  EnvironmentSpec spec = testing::Spec("render", 10);
  spec.zones = std::move(zones);
  spec.instance_types = std::move(types);
  spec.allocation = allocation;
  return spec;
}

// S5.MEDIUM4 in three zones, most preferred first.
EnvironmentSpec ThreeZoneSpec(Allocation allocation = Allocation::kOrdered) {
  return PlacementSpec({kGz3, kGz4, kGz6}, {{"S5.MEDIUM4", ""}}, allocation);
}

// A spot offer on sale with enough stock at `price`, of `cpu` vCPUs per instance.
SpotOffer PlacementOffer(const std::string& zone, const std::string& type, double price,
                         int64_t cpu = 2) {
  SpotOffer offer;
  offer.zone = zone;
  offer.instance_type = type;
  offer.hourly_price = price;
  offer.on_sale = true;
  offer.stock = StockLevel::kEnough;
  offer.cpu = cpu;
  return offer;
}

// A market that was read and sells exactly `offers`.
MarketView PlacementMarket(const std::vector<SpotOffer>& offers) {
  MarketView market;
  market.read = true;
  for (const SpotOffer& offer : offers) market.offers[{offer.zone, offer.instance_type}] = offer;
  return market;
}

// Every zone of ThreeZoneSpec selling S5.MEDIUM4 at 0.10, 2 vCPUs.
MarketView ThreeZoneMarket() {
  return PlacementMarket({PlacementOffer(kGz3, "S5.MEDIUM4", 0.10),
                          PlacementOffer(kGz4, "S5.MEDIUM4", 0.10),
                          PlacementOffer(kGz6, "S5.MEDIUM4", 0.10)});
}

SpotQuota QuotaOf(const std::string& zone, int64_t total, int64_t remaining) {
  return SpotQuota{zone, total, total - remaining, remaining};
}

// The instances placed per candidate, in preference order: {"ap-guangzhou-3 S5.MEDIUM4", 4}.
std::vector<std::pair<std::string, int>> PlacedCounts(const Placement& placement) {
  std::vector<std::pair<std::string, int>> out;
  for (const CandidateAssessment& c : placement.candidates) {
    out.emplace_back(c.candidate.zone + " " + c.candidate.instance_type, c.place);
  }
  return out;
}

// The candidates in the order launches try them: "ap-guangzhou-4 S5.MEDIUM4".
std::vector<std::string> LaunchOrderNames(const Placement& placement) {
  std::vector<std::string> out;
  for (const CandidateAssessment* c : placement.LaunchOrder()) {
    out.push_back(c->candidate.zone + " " + c->candidate.instance_type);
  }
  return out;
}

const CandidateAssessment& AssessmentAt(const Placement& placement, const std::string& zone,
                                        const std::string& type) {
  for (const CandidateAssessment& c : placement.candidates) {
    if (c.candidate.zone == zone && c.candidate.instance_type == type) return c;
  }
  ADD_FAILURE() << zone << " " << type << " is not a candidate";
  static const CandidateAssessment kNone;
  return kNone;
}

// --- candidates ---

TEST(Placement, CandidatesAreTypeMajorWithEachTypesOwnBid) {
  EnvironmentSpec spec =
      PlacementSpec({kGz3, kGz4}, {{"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", "0.40"}, {"S5.LARGE8", ""}});

  std::vector<Candidate> candidates = CandidatesOf(spec);

  ASSERT_EQ(candidates.size(), 6u);
  const std::vector<std::vector<std::string>> expected = {
      {kGz3, "S5.MEDIUM4", "0.60"},  {kGz4, "S5.MEDIUM4", "0.60"}, {kGz3, "SA2.MEDIUM4", "0.40"},
      {kGz4, "SA2.MEDIUM4", "0.40"}, {kGz3, "S5.LARGE8", "0.60"},  {kGz4, "S5.LARGE8", "0.60"}};
  for (size_t i = 0; i < candidates.size(); ++i) {
    EXPECT_EQ((std::vector<std::string>{candidates[i].zone, candidates[i].instance_type,
                                        candidates[i].max_price}),
              expected[i])
        << i;
    EXPECT_EQ(candidates[i].rank, static_cast<int>(i));
  }
  EXPECT_EQ(CandidateRank(spec, kGz4, "SA2.MEDIUM4"), 3);
  EXPECT_EQ(CandidateRank(spec, kGz6, "S5.MEDIUM4"), std::nullopt);
}

TEST(Placement, ASingleCandidateSpecHasOneCandidateAtTheEnvironmentsBid) {
  std::vector<Candidate> candidates = CandidatesOf(testing::Spec("render", 4));
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].zone, kGz3);
  EXPECT_EQ(candidates[0].instance_type, "S5.MEDIUM4");
  EXPECT_EQ(candidates[0].max_price, "0.60");
  EXPECT_EQ(candidates[0].rank, 0);
}

// --- the three policies ---

TEST(Placement, OrderedFillsTheFirstCandidateWithStockAndPrice) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].on_sale = false;

  Placement placement = Place(ThreeZoneSpec(), 7, market, {});

  EXPECT_EQ(placement.placed, 7);
  EXPECT_EQ(placement.unplaced(7), 0);
  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 0},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 7},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 0}}));
  EXPECT_EQ(LaunchOrderNames(placement), (std::vector<std::string>{"ap-guangzhou-4 S5.MEDIUM4"}));
  const CandidateAssessment& spare = AssessmentAt(placement, kGz6, "S5.MEDIUM4");
  EXPECT_EQ(spare.skip, SkipReason::kNotNeeded);
  EXPECT_EQ(spare.why, "not needed now");
}

TEST(Placement, OrderedIgnoresPricesAmongUsableCandidates) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].hourly_price = 0.50;

  Placement placement = Place(ThreeZoneSpec(), 3, market, {});

  EXPECT_EQ(LaunchOrderNames(placement), (std::vector<std::string>{"ap-guangzhou-3 S5.MEDIUM4"}));
}

TEST(Placement, LowestPricePicksTheCheapestCandidate) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].hourly_price = 0.30;
  market.offers[{kGz4, "S5.MEDIUM4"}].hourly_price = 0.20;
  market.offers[{kGz6, "S5.MEDIUM4"}].hourly_price = 0.15;

  Placement placement = Place(ThreeZoneSpec(Allocation::kLowestPrice), 5, market, {});

  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 0},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 0},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 5}}));
}

TEST(Placement, LowestPriceBreaksTiesByPreference) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].hourly_price = 0.30;
  market.offers[{kGz4, "S5.MEDIUM4"}].hourly_price = 0.15;
  market.offers[{kGz6, "S5.MEDIUM4"}].hourly_price = 0.15;

  Placement placement = Place(ThreeZoneSpec(Allocation::kLowestPrice), 5, market, {});

  EXPECT_EQ(LaunchOrderNames(placement), (std::vector<std::string>{"ap-guangzhou-4 S5.MEDIUM4"}));
}

TEST(Placement, LowestPriceMovesWhatTheCheapestZonesQuotaCannotTakeToTheNextCheapest) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].hourly_price = 0.30;
  market.offers[{kGz4, "S5.MEDIUM4"}].hourly_price = 0.20;
  market.offers[{kGz6, "S5.MEDIUM4"}].hourly_price = 0.15;
  market.quotas[kGz6] = QuotaOf(kGz6, 50, 6);  // 3 instances of 2 vCPUs

  Placement placement = Place(ThreeZoneSpec(Allocation::kLowestPrice), 5, market, {});

  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 0},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 3}}));
  EXPECT_EQ(LaunchOrderNames(placement),
            (std::vector<std::string>{"ap-guangzhou-4 S5.MEDIUM4", "ap-guangzhou-6 S5.MEDIUM4"}));
}

TEST(Placement, DiversifiedSpreadsEvenlyOverTheUsableCandidates) {
  Placement placement = Place(ThreeZoneSpec(Allocation::kDiversified), 10, ThreeZoneMarket(), {});

  EXPECT_EQ(placement.placed, 10);
  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 4},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 3},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 3}}));
}

TEST(Placement, DiversifiedSkipsUnusableCandidatesWhenSpreading) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz4, "S5.MEDIUM4"}].stock = StockLevel::kNone;

  Placement placement = Place(ThreeZoneSpec(Allocation::kDiversified), 5, market, {});

  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 3},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 0},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 2}}));
}

TEST(Placement, DiversifiedCapsAZoneByItsQuotaAndMovesTheRestToTheOthers) {
  MarketView market = ThreeZoneMarket();
  market.quotas[kGz3] = QuotaOf(kGz3, 50, 4);  // 2 instances of 2 vCPUs

  Placement placement = Place(ThreeZoneSpec(Allocation::kDiversified), 10, market, {});

  EXPECT_EQ(placement.placed, 10);
  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 4},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 4}}));
}

// --- why a candidate is skipped ---

TEST(Placement, ABidBelowTheMarketIsSkippedWithTheBidThatWouldClearIt) {
  EnvironmentSpec spec = PlacementSpec({kGz3}, {{"S5.MEDIUM4", "0.10"}, {"SA2.MEDIUM4", ""}});
  MarketView market = PlacementMarket(
      {PlacementOffer(kGz3, "S5.MEDIUM4", 0.18), PlacementOffer(kGz3, "SA2.MEDIUM4", 0.18)});

  Placement placement = Place(spec, 2, market, {});

  const CandidateAssessment& low = AssessmentAt(placement, kGz3, "S5.MEDIUM4");
  EXPECT_EQ(low.skip, SkipReason::kBidTooLow);
  EXPECT_EQ(low.why, "bid 0.10 < market 0.18: raise max_price to at least 0.18");
  EXPECT_EQ(low.place, 0);
  ASSERT_TRUE(low.offer.has_value());
  EXPECT_DOUBLE_EQ(low.offer->hourly_price, 0.18);
  // The other type bids the environment's 0.60 and takes the launches.
  EXPECT_EQ(AssessmentAt(placement, kGz3, "SA2.MEDIUM4").place, 2);
}

TEST(Placement, ABidEqualToTheMarketIsUsable) {
  EnvironmentSpec spec = PlacementSpec({kGz3}, {{"S5.MEDIUM4", "0.18"}});
  Placement placement =
      Place(spec, 1, PlacementMarket({PlacementOffer(kGz3, "S5.MEDIUM4", 0.18)}), {});
  EXPECT_EQ(placement.placed, 1);
  EXPECT_EQ(placement.candidates[0].skip, SkipReason::kNone);
}

TEST(Placement, ASoldOutCandidateIsSkipped) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].on_sale = false;
  market.offers[{kGz4, "S5.MEDIUM4"}].stock = StockLevel::kNone;

  Placement placement = Place(ThreeZoneSpec(), 2, market, {});

  for (const char* zone : {kGz3, kGz4}) {
    const CandidateAssessment& c = AssessmentAt(placement, zone, "S5.MEDIUM4");
    EXPECT_EQ(c.skip, SkipReason::kSoldOut) << zone;
    EXPECT_EQ(c.why, "sold out") << zone;
  }
  EXPECT_EQ(AssessmentAt(placement, kGz6, "S5.MEDIUM4").place, 2);
}

TEST(Placement, LowStockIsStillUsable) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].stock = StockLevel::kLow;
  EXPECT_EQ(AssessmentAt(Place(ThreeZoneSpec(), 2, market, {}), kGz3, "S5.MEDIUM4").place, 2);
}

TEST(Placement, ATypeTheMarketDoesNotSellInAZoneIsSkipped) {
  MarketView market = ThreeZoneMarket();
  market.offers.erase({kGz3, "S5.MEDIUM4"});

  Placement placement = Place(ThreeZoneSpec(), 2, market, {});

  const CandidateAssessment& c = AssessmentAt(placement, kGz3, "S5.MEDIUM4");
  EXPECT_EQ(c.skip, SkipReason::kNotSold);
  EXPECT_EQ(c.why, "not sold as spot in ap-guangzhou-3");
  EXPECT_FALSE(c.offer.has_value());
  EXPECT_EQ(AssessmentAt(placement, kGz4, "S5.MEDIUM4").place, 2);
}

TEST(Placement, AnUnavailableCandidateIsSkippedEvenWhenTheMarketLooksFine) {
  CandidateHolds holds;
  holds.unavailable.insert({kGz3, "S5.MEDIUM4"});

  Placement placement = Place(ThreeZoneSpec(), 2, ThreeZoneMarket(), holds);

  const CandidateAssessment& c = AssessmentAt(placement, kGz3, "S5.MEDIUM4");
  EXPECT_EQ(c.skip, SkipReason::kUnavailable);
  EXPECT_EQ(c.why, "refused a launch moments ago (stock, price or quota); skipped for a while");
  EXPECT_EQ(LaunchOrderNames(placement), (std::vector<std::string>{"ap-guangzhou-4 S5.MEDIUM4"}));
}

TEST(Placement, NoUsableCandidatePlacesNothingAndSaysWhyForEach) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].on_sale = false;
  market.offers[{kGz4, "S5.MEDIUM4"}].hourly_price = 0.70;
  CandidateHolds holds;
  holds.unavailable.insert({kGz6, "S5.MEDIUM4"});

  Placement placement = Place(ThreeZoneSpec(), 3, market, holds);

  EXPECT_EQ(placement.placed, 0);
  EXPECT_EQ(placement.unplaced(3), 3);
  EXPECT_TRUE(placement.LaunchOrder().empty());
  std::vector<std::string> whys;
  for (const CandidateAssessment& c : placement.candidates) whys.push_back(c.why);
  EXPECT_EQ(whys,
            (std::vector<std::string>{
                "sold out", "bid 0.60 < market 0.7: raise max_price to at least 0.7",
                "refused a launch moments ago (stock, price or quota); skipped for a while"}));
}

// --- cooling: lost instances to a reclaim recently ---

TEST(Placement, OrderedTriesACoolingCandidateLast) {
  CandidateHolds holds;
  holds.cooling.insert({kGz3, "S5.MEDIUM4"});
  MarketView market = ThreeZoneMarket();
  market.quotas[kGz4] = QuotaOf(kGz4, 50, 4);  // 2 instances
  market.quotas[kGz6] = QuotaOf(kGz6, 50, 2);  // 1 instance

  Placement placement = Place(ThreeZoneSpec(), 5, market, holds);

  const CandidateAssessment& cooling = AssessmentAt(placement, kGz3, "S5.MEDIUM4");
  EXPECT_TRUE(cooling.cooling);
  EXPECT_EQ(cooling.skip, SkipReason::kNone);
  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 1}}));
}

TEST(Placement, OrderedLeavesACoolingCandidateOutWhileOthersHaveRoom) {
  CandidateHolds holds;
  holds.cooling.insert({kGz3, "S5.MEDIUM4"});

  Placement placement = Place(ThreeZoneSpec(), 5, ThreeZoneMarket(), holds);

  EXPECT_EQ(LaunchOrderNames(placement), (std::vector<std::string>{"ap-guangzhou-4 S5.MEDIUM4"}));
}

TEST(Placement, LowestPriceTriesACoolingCheapestCandidateLast) {
  MarketView market = ThreeZoneMarket();
  market.offers[{kGz3, "S5.MEDIUM4"}].hourly_price = 0.30;
  market.offers[{kGz4, "S5.MEDIUM4"}].hourly_price = 0.20;
  market.offers[{kGz6, "S5.MEDIUM4"}].hourly_price = 0.15;
  CandidateHolds holds;
  holds.cooling.insert({kGz6, "S5.MEDIUM4"});

  Placement placement = Place(ThreeZoneSpec(Allocation::kLowestPrice), 4, market, holds);

  EXPECT_EQ(LaunchOrderNames(placement), (std::vector<std::string>{"ap-guangzhou-4 S5.MEDIUM4"}));
}

TEST(Placement, DiversifiedSpreadsOverTheOthersAndNotOverACoolingCandidate) {
  CandidateHolds holds;
  holds.cooling.insert({kGz4, "S5.MEDIUM4"});

  Placement placement = Place(ThreeZoneSpec(Allocation::kDiversified), 6, ThreeZoneMarket(), holds);

  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 3},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 0},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 3}}));
}

TEST(Placement, DiversifiedSpreadsOverCoolingCandidatesWhenAllAreCooling) {
  CandidateHolds holds;
  for (const char* zone : {kGz3, kGz4, kGz6}) holds.cooling.insert({zone, "S5.MEDIUM4"});

  Placement placement = Place(ThreeZoneSpec(Allocation::kDiversified), 6, ThreeZoneMarket(), holds);

  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 2}}));
}

// --- spot quota per zone ---

TEST(Placement, AZonesQuotaCapsWhatGoesThereAndTheRestMovesOn) {
  MarketView market = ThreeZoneMarket();
  market.quotas[kGz3] = QuotaOf(kGz3, 50, 7);  // 3 instances of 2 vCPUs; 1 vCPU to spare

  Placement placement = Place(ThreeZoneSpec(), 5, market, {});

  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 3},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 0}}));
  EXPECT_EQ(placement.quota_use.at(kGz3), (std::pair<int64_t, int64_t>{6, 7}));
}

TEST(Placement, AZoneWithoutQuotaForOneInstanceIsSkippedWithWhatIsLeft) {
  EnvironmentSpec spec = PlacementSpec({kGz3, kGz4}, {{"S5.LARGE8", ""}});
  MarketView market = PlacementMarket(
      {PlacementOffer(kGz3, "S5.LARGE8", 0.20, 4), PlacementOffer(kGz4, "S5.LARGE8", 0.20, 4)});
  market.quotas[kGz3] = QuotaOf(kGz3, 50, 2);

  Placement placement = Place(spec, 3, market, {});

  const CandidateAssessment& full = AssessmentAt(placement, kGz3, "S5.LARGE8");
  EXPECT_EQ(full.skip, SkipReason::kQuotaFull);
  EXPECT_EQ(full.why, "spot quota: 2 of 50 vCPUs left in ap-guangzhou-3");
  EXPECT_EQ(AssessmentAt(placement, kGz4, "S5.LARGE8").place, 3);
}

TEST(Placement, TwoTypesInOneZoneShareItsQuota) {
  EnvironmentSpec spec =
      PlacementSpec({kGz3}, {{"S5.MEDIUM4", ""}, {"S5.LARGE8", ""}}, Allocation::kDiversified);
  MarketView market = PlacementMarket(
      {PlacementOffer(kGz3, "S5.MEDIUM4", 0.10, 2), PlacementOffer(kGz3, "S5.LARGE8", 0.20, 4)});
  market.quotas[kGz3] = QuotaOf(kGz3, 50, 14);

  // One at a time: MEDIUM4 (12 left), LARGE8 (8), MEDIUM4 (6), LARGE8 (2), MEDIUM4 (0); then
  // LARGE8 has no room: 5 of the 6 wanted fit 2*3 + 4*2 = 14 vCPUs.
  Placement placement = Place(spec, 6, market, {});

  EXPECT_EQ(placement.placed, 5);
  EXPECT_EQ(placement.unplaced(6), 1);
  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 3},
                                                      {"ap-guangzhou-3 S5.LARGE8", 2}}));
  EXPECT_EQ(placement.quota_use.at(kGz3), (std::pair<int64_t, int64_t>{14, 14}));
}

TEST(Placement, OrderedFillsTheFirstTypeUpToTheZonesQuotaBeforeTheSecondTypeThere) {
  EnvironmentSpec spec = PlacementSpec({kGz3}, {{"S5.MEDIUM4", ""}, {"S5.LARGE8", ""}});
  MarketView market = PlacementMarket(
      {PlacementOffer(kGz3, "S5.MEDIUM4", 0.10, 2), PlacementOffer(kGz3, "S5.LARGE8", 0.20, 4)});
  market.quotas[kGz3] = QuotaOf(kGz3, 50, 10);

  Placement placement = Place(spec, 7, market, {});

  // MEDIUM4 takes all 10 vCPUs; LARGE8 is left nothing in the shared zone.
  EXPECT_EQ(placement.placed, 5);
  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 5},
                                                      {"ap-guangzhou-3 S5.LARGE8", 0}}));
  EXPECT_EQ(placement.candidates[1].skip, SkipReason::kQuotaFull);
  EXPECT_EQ(placement.candidates[1].why,
            "spot quota: 10 of 50 vCPUs left in ap-guangzhou-3, taken by the candidates before it");
}

TEST(Placement, QuotaUseListsTheVcpusEachZoneWouldUseAgainstWhatIsLeft) {
  EnvironmentSpec spec =
      PlacementSpec({kGz3, kGz4, kGz6}, {{"S5.MEDIUM4", ""}}, Allocation::kDiversified);
  MarketView market = ThreeZoneMarket();
  market.quotas[kGz3] = QuotaOf(kGz3, 50, 40);
  market.quotas[kGz4] = QuotaOf(kGz4, 100, 100);
  // ap-guangzhou-6 has no known quota: not listed; nor is a zone that gets nothing.
  market.quotas["ap-guangzhou-7"] = QuotaOf("ap-guangzhou-7", 10, 10);

  Placement placement = Place(spec, 5, market, {});

  EXPECT_EQ(placement.quota_use, (std::map<std::string, std::pair<int64_t, int64_t>>{
                                     {kGz3, {4, 40}}, {kGz4, {4, 100}}}));
}

// --- an unread market ---

TEST(Placement, WithTheMarketUnreadEveryCandidateIsUsableInPreferenceOrder) {
  EnvironmentSpec spec = PlacementSpec({kGz3, kGz4}, {{"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", ""}},
                                       Allocation::kLowestPrice);
  MarketView unread;
  unread.unread_reason = "DescribeSpotOffers: connection reset";

  Placement placement = Place(spec, 4, unread, {});

  EXPECT_EQ(placement.placed, 4);
  EXPECT_EQ(LaunchOrderNames(placement), (std::vector<std::string>{"ap-guangzhou-3 S5.MEDIUM4"}));
  for (const CandidateAssessment& c : placement.candidates) {
    EXPECT_FALSE(c.offer.has_value());
    EXPECT_NE(c.skip, SkipReason::kNotSold) << c.candidate.zone << " " << c.candidate.instance_type;
  }
  EXPECT_TRUE(placement.quota_use.empty());
}

TEST(Placement, WithTheMarketUnreadDiversifiedSpreadsOverEveryCandidate) {
  Placement placement = Place(ThreeZoneSpec(Allocation::kDiversified), 4, MarketView(), {});
  EXPECT_EQ(PlacedCounts(placement),
            (std::vector<std::pair<std::string, int>>{{"ap-guangzhou-3 S5.MEDIUM4", 2},
                                                      {"ap-guangzhou-4 S5.MEDIUM4", 1},
                                                      {"ap-guangzhou-6 S5.MEDIUM4", 1}}));
}

TEST(Placement, IsPureTheSameInputsGiveTheSamePlacement) {
  MarketView market = ThreeZoneMarket();
  market.quotas[kGz3] = QuotaOf(kGz3, 50, 4);
  const EnvironmentSpec spec = ThreeZoneSpec(Allocation::kDiversified);
  EXPECT_EQ(PlacedCounts(Place(spec, 9, market, {})), PlacedCounts(Place(spec, 9, market, {})));
}

// --- the bid that clears the market ---

TEST(Placement, MinimumBidRoundsUpToFourDecimals) {
  EXPECT_EQ(MinimumBid(PlacementOffer(kGz3, "S5.MEDIUM4", 0.12345)), "0.1235");
  EXPECT_EQ(MinimumBid(PlacementOffer(kGz3, "S5.MEDIUM4", 0.12341)), "0.1235");
  EXPECT_EQ(MinimumBid(PlacementOffer(kGz3, "S5.MEDIUM4", 0.18)), "0.18");
  EXPECT_EQ(MinimumBid(PlacementOffer(kGz3, "S5.MEDIUM4", 0.1)), "0.1");
  EXPECT_EQ(MinimumBid(PlacementOffer(kGz3, "S5.MEDIUM4", 1.5)), "1.5");
}

TEST(Placement, TheMinimumBidInASkipReasonClearsAPriceBetweenTwoDecimals) {
  EnvironmentSpec spec = PlacementSpec({kGz3}, {{"S5.MEDIUM4", "0.12"}});
  Placement placement =
      Place(spec, 1, PlacementMarket({PlacementOffer(kGz3, "S5.MEDIUM4", 0.12345)}), {});
  EXPECT_EQ(placement.candidates[0].why,
            "bid 0.12 < market 0.1235: raise max_price to at least 0.1235");
}

}  // namespace
}  // namespace spotform
