#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/candidate_hold.h"
#include "engine/model/cloud_types.h"
#include "engine/model/environment_spec.h"
#include "engine/model/result.h"

namespace spotform {

// One place an environment may launch: a zone, an instance type and the bid for that type.
struct Candidate {
  std::string zone;
  std::string instance_type;
  std::string max_price;  // the bid: the type's own, else the environment's
  int rank = 0;           // 0 = most preferred

  std::pair<std::string, std::string> Key() const { return {zone, instance_type}; }
};

// An environment's candidates in preference order: type-major (the first type in each listed
// zone, then the second type in each zone, ...). Types differ in size and speed; zones of one
// region serve the same work.
std::vector<Candidate> CandidatesOf(const EnvironmentSpec& spec);

// The rank of (zone, type) among the spec's candidates, or nullopt when it is not one.
std::optional<int> CandidateRank(const EnvironmentSpec& spec, const std::string& zone,
                                 const std::string& instance_type);

// The spot market as read once per run: offers by (zone, type), quotas by zone.
struct MarketView {
  bool read = false;  // false: not read (or unreadable); candidates are tried in order
  std::map<std::pair<std::string, std::string>, SpotOffer> offers;  // absent = not sold as spot
  std::map<std::string, SpotQuota> quotas;                          // absent zone = no known limit
  std::string unread_reason;  // why read is false, for messages ("" = not asked)
};

class Cloud;

// Reads the market for the given specs' candidates: one DescribeSpotOffers for every zone and
// type they list, and one DescribeSpotQuota. A read that fails gives read=false with the
// reason (placement then tries candidates in order and the cloud's refusals decide); an
// authentication failure is returned as an error, since nothing else would work either.
Result<MarketView> ReadMarket(Cloud& cloud, const std::vector<const EnvironmentSpec*>& specs);

// Candidates recently found wanting, as of one moment: `unavailable` refused a launch for
// stock, price or quota and are skipped; `cooling` just lost instances to a reclaim and go
// last. Keys are (zone, type).
struct CandidateHolds {
  std::set<std::pair<std::string, std::string>> unavailable;
  std::set<std::pair<std::string, std::string>> cooling;
};

// The holds of `holds` (as recorded in the state) in force at `now`.
CandidateHolds HoldsInForce(const std::vector<CandidateHold>& holds, Clock::WallTime now);

// Why a candidate takes no launches now.
enum class SkipReason {
  kNone,         // usable
  kNotSold,      // the market does not sell the type as spot in the zone
  kSoldOut,      // sold out
  kBidTooLow,    // the spot price is above the bid
  kUnavailable,  // refused a launch moments ago (stock, price or quota)
  kQuotaFull,    // the zone's spot quota has no room for one more instance
  kNotNeeded,    // usable, but the policy placed everything elsewhere
};

// One candidate as the placement judged it.
struct CandidateAssessment {
  Candidate candidate;
  std::optional<SpotOffer> offer;  // as the market reported it
  SkipReason skip = SkipReason::kNone;
  bool cooling = false;  // lost instances to a reclaim recently: tried last
  int place = 0;         // instances to launch here now
  std::string why;       // for a skipped candidate: what to do about it
};

// Where `count` launches go now.
struct Placement {
  std::vector<CandidateAssessment> candidates;  // in preference order (rank)
  int placed = 0;
  // The vCPUs each zone would use and its remaining spot quota, for zones with a known quota.
  std::map<std::string, std::pair<int64_t, int64_t>> quota_use;  // zone -> (needed, remaining)

  int unplaced(int count) const { return count - placed; }
  // The candidates with place > 0, in the order launches should try them.
  std::vector<const CandidateAssessment*> LaunchOrder() const;
};

// Decides where `count` instances of `spec` go (spec §3 "Fallback candidates"): usable
// candidates are those the market sells, not sold out, with a spot price at or under their
// bid, not unavailable, and with spot quota in their zone for at least one instance. Then
// `ordered` fills them in preference order, `lowest-price` cheapest first, `diversified`
// evenly; each zone's quota caps what goes there; cooling candidates come after the others.
// Stock is not known in numbers (the market only says enough/low/none), so a candidate gets
// all that fits its quota; the launcher moves the rest on when the cloud delivers less.
// Pure: the same inputs give the same placement.
Placement Place(const EnvironmentSpec& spec, int count, const MarketView& market,
                const CandidateHolds& holds);

// Current spot prices by (zone, type), as a plan may know them.
using SpotPrices = std::map<std::pair<std::string, std::string>, double>;
SpotPrices PricesOf(const MarketView& market);

// The lowest bid that would clear the market for a candidate, formatted like a price.
std::string MinimumBid(const SpotOffer& offer);

}  // namespace spotform
