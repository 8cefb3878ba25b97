#include "engine/model/placement.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/model/cloud.h"
#include "engine/model/words.h"

namespace spotform {
namespace {

double PriceValue(const std::string& text) {
  // A validated decimal ("0.60"); strtod never throws.
  return std::strtod(text.c_str(), nullptr);
}

// Judges one candidate against the market and the holds; fills skip, why, offer, cooling.
CandidateAssessment Assess(const Candidate& candidate, const MarketView& market,
                           const CandidateHolds& holds) {
  CandidateAssessment out;
  out.candidate = candidate;
  out.cooling = holds.cooling.count(candidate.Key()) > 0;
  auto offer = market.offers.find(candidate.Key());
  if (offer != market.offers.end()) out.offer = offer->second;
  if (holds.unavailable.count(candidate.Key()) > 0) {
    out.skip = SkipReason::kUnavailable;
    out.why = "refused a launch moments ago (stock, price or quota); skipped for a while";
    return out;
  }
  if (!market.read) return out;  // nothing known: try it
  if (!out.offer) {
    out.skip = SkipReason::kNotSold;
    out.why = "not sold as spot in " + candidate.zone;
    return out;
  }
  if (!out.offer->on_sale || out.offer->stock == StockLevel::kNone) {
    out.skip = SkipReason::kSoldOut;
    out.why = "sold out";
    return out;
  }
  if (out.offer->hourly_price > PriceValue(candidate.max_price) + 1e-9) {
    out.skip = SkipReason::kBidTooLow;
    out.why = "bid " + candidate.max_price + " < market " + FormatPrice(out.offer->hourly_price) +
              ": raise max_price to at least " + MinimumBid(*out.offer);
    return out;
  }
  return out;
}

// Instances of `cpu` vCPUs that fit in what is left of `zone`'s quota (unbounded if unknown).
int64_t Fits(const std::map<std::string, int64_t>& left, const std::string& zone, int64_t cpu) {
  auto it = left.find(zone);
  if (it == left.end() || cpu <= 0) return std::numeric_limits<int>::max();
  return std::max<int64_t>(0, it->second / cpu);
}

int64_t CpuOf(const CandidateAssessment& c) { return c.offer ? c.offer->cpu : 0; }

}  // namespace

std::vector<Candidate> CandidatesOf(const EnvironmentSpec& spec) {
  std::vector<Candidate> out;
  for (const InstanceTypeChoice& type : spec.instance_types) {
    for (const std::string& zone : spec.zones) {
      out.push_back(
          Candidate{zone, type.type, spec.BidFor(type.type), static_cast<int>(out.size())});
    }
  }
  return out;
}

std::optional<int> CandidateRank(const EnvironmentSpec& spec, const std::string& zone,
                                 const std::string& instance_type) {
  for (const Candidate& candidate : CandidatesOf(spec)) {
    if (candidate.zone == zone && candidate.instance_type == instance_type) return candidate.rank;
  }
  return std::nullopt;
}

std::vector<const CandidateAssessment*> Placement::LaunchOrder() const {
  std::vector<const CandidateAssessment*> out;
  for (const CandidateAssessment& c : candidates) {
    if (c.place > 0) out.push_back(&c);
  }
  return out;
}

Placement Place(const EnvironmentSpec& spec, int count, const MarketView& market,
                const CandidateHolds& holds) {
  Placement placement;
  std::map<std::string, int64_t> quota_left;
  for (const auto& [zone, quota] : market.quotas) quota_left[zone] = quota.remaining_vcpus;
  std::vector<size_t> usable;
  for (const Candidate& candidate : CandidatesOf(spec)) {
    placement.candidates.push_back(Assess(candidate, market, holds));
    CandidateAssessment& c = placement.candidates.back();
    if (c.skip != SkipReason::kNone) continue;
    if (Fits(quota_left, c.candidate.zone, CpuOf(c)) == 0) {
      const SpotQuota& quota = market.quotas.at(c.candidate.zone);
      c.skip = SkipReason::kQuotaFull;
      c.why = "spot quota: " + std::to_string(quota.remaining_vcpus) + " of " +
              std::to_string(quota.total_vcpus) + " vCPUs left in " + c.candidate.zone;
      continue;
    }
    usable.push_back(placement.candidates.size() - 1);
  }
  // The order launches fill candidates in: cooling ones last, then by the policy.
  auto price = [&](size_t i) {
    const CandidateAssessment& c = placement.candidates[i];
    return c.offer ? c.offer->hourly_price : std::numeric_limits<double>::max();
  };
  std::stable_sort(usable.begin(), usable.end(), [&](size_t a, size_t b) {
    const CandidateAssessment& x = placement.candidates[a];
    const CandidateAssessment& y = placement.candidates[b];
    if (x.cooling != y.cooling) return !x.cooling;
    if (spec.allocation == Allocation::kLowestPrice && price(a) != price(b)) {
      return price(a) < price(b);
    }
    return x.candidate.rank < y.candidate.rank;
  });
  auto give = [&](CandidateAssessment& c, int64_t want) {
    const int64_t n = std::min<int64_t>(want, Fits(quota_left, c.candidate.zone, CpuOf(c)));
    if (n <= 0) return int64_t{0};
    c.place += static_cast<int>(n);
    if (quota_left.count(c.candidate.zone) > 0) quota_left[c.candidate.zone] -= n * CpuOf(c);
    placement.placed += static_cast<int>(n);
    return n;
  };
  if (spec.allocation == Allocation::kDiversified) {
    // Round robin over the non-cooling candidates (all of them if every one is cooling), one
    // at a time, so quota limits move the remainder to the others.
    std::vector<size_t> spread;
    for (size_t i : usable) {
      if (!placement.candidates[i].cooling) spread.push_back(i);
    }
    if (spread.empty()) spread = usable;
    bool progress = true;
    while (placement.placed < count && progress) {
      progress = false;
      for (size_t i : spread) {
        if (placement.placed >= count) break;
        if (give(placement.candidates[i], 1) > 0) progress = true;
      }
    }
  }
  for (size_t i : usable) {
    if (placement.placed >= count) break;
    give(placement.candidates[i], count - placement.placed);
  }
  for (CandidateAssessment& c : placement.candidates) {
    if (c.skip != SkipReason::kNone || c.place != 0) continue;
    if (placement.placed < count && Fits(quota_left, c.candidate.zone, CpuOf(c)) == 0) {
      // Usable alone, but the zone's quota went to the candidates placed before it.
      const SpotQuota& quota = market.quotas.at(c.candidate.zone);
      c.skip = SkipReason::kQuotaFull;
      c.why = "spot quota: " + std::to_string(quota.remaining_vcpus) + " of " +
              std::to_string(quota.total_vcpus) + " vCPUs left in " + c.candidate.zone +
              ", taken by the candidates before it";
      continue;
    }
    c.skip = SkipReason::kNotNeeded;
    c.why = c.cooling ? "cooling down after a reclaim: tried last" : "not needed now";
  }
  for (const auto& [zone, quota] : market.quotas) {
    int64_t needed = 0;
    for (const CandidateAssessment& c : placement.candidates) {
      if (c.candidate.zone == zone) needed += c.place * CpuOf(c);
    }
    if (needed > 0) placement.quota_use[zone] = {needed, quota.remaining_vcpus};
  }
  return placement;
}

Result<MarketView> ReadMarket(Cloud& cloud, const std::vector<const EnvironmentSpec*>& specs) {
  std::set<std::string> zones, types;
  for (const EnvironmentSpec* spec : specs) {
    zones.insert(spec->zones.begin(), spec->zones.end());
    for (const InstanceTypeChoice& choice : spec->instance_types) types.insert(choice.type);
  }
  MarketView market;
  if (zones.empty() || types.empty()) return market;
  Result<std::vector<SpotOffer>> offers =
      cloud.DescribeSpotOffers(std::vector<std::string>(zones.begin(), zones.end()),
                               std::vector<std::string>(types.begin(), types.end()));
  if (!offers.ok()) {
    if (offers.error().kind() == ErrorKind::kAuth) return offers.error();
    market.unread_reason = offers.error().ToString();
    return market;
  }
  for (const SpotOffer& offer : *offers) {
    market.offers[{offer.zone, offer.instance_type}] = offer;
  }
  market.read = true;
  Result<std::vector<SpotQuota>> quotas = cloud.DescribeSpotQuota();
  if (!quotas.ok()) {
    if (quotas.error().kind() == ErrorKind::kAuth) return quotas.error();
    market.unread_reason = "spot quota unknown: " + quotas.error().ToString();
    return market;
  }
  for (const SpotQuota& quota : *quotas) {
    if (zones.count(quota.zone) > 0) market.quotas[quota.zone] = quota;
  }
  return market;
}

CandidateHolds HoldsInForce(const std::vector<CandidateHold>& holds, Clock::WallTime now) {
  CandidateHolds out;
  for (const CandidateHold& hold : holds) {
    if (!(now < hold.until)) continue;
    (hold.kind == HoldKind::kCooling ? out.cooling : out.unavailable)
        .insert({hold.zone, hold.instance_type});
  }
  return out;
}

SpotPrices PricesOf(const MarketView& market) {
  SpotPrices prices;
  for (const auto& [key, offer] : market.offers) prices[key] = offer.hourly_price;
  return prices;
}

std::string MinimumBid(const SpotOffer& offer) {
  // Round up to four decimals so the bid is never a hair under the price.
  return FormatPrice(std::ceil(offer.hourly_price * 10000 - 1e-6) / 10000);
}

}  // namespace spotform
