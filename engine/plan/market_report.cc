#include "engine/plan/market_report.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <utility>

#include "engine/model/cloud.h"
#include "engine/model/words.h"
#include "engine/plan/plan.h"

namespace spotform {
namespace {

constexpr std::pair<SkipReason, std::string_view> kSkipNames[] = {
    {SkipReason::kNone, "none"},
    {SkipReason::kNotSold, "not_sold"},
    {SkipReason::kSoldOut, "sold_out"},
    {SkipReason::kBidTooLow, "bid_too_low"},
    {SkipReason::kUnavailable, "unavailable"},
    {SkipReason::kQuotaFull, "quota_full"},
    {SkipReason::kNotNeeded, "not_needed"},
};

constexpr std::pair<StockLevel, std::string_view> kStockNames[] = {
    {StockLevel::kEnough, "enough"}, {StockLevel::kNormal, "normal"},   {StockLevel::kLow, "low"},
    {StockLevel::kNone, "none"},     {StockLevel::kUnknown, "unknown"},
};

// The launches a step adds to its environment: cvm launches, and the nodes Batch is asked
// for (a new environment's count, or a raise of its desired count).
int LaunchesOfStep(const Step& step) {
  const bool batch = step.spec.mode == Mode::kBatch;
  if (step.kind == StepKind::kLaunch) return step.count;
  if (step.kind == StepKind::kCreatePool && batch) return step.count;
  if (step.kind == StepKind::kSetExpectedCount && batch && step.to > step.from) {
    return step.to - step.from;
  }
  return 0;
}

// The quota each zone needs: what is placed there, plus the launches the quota kept out,
// counted against the most preferred candidate that only lacked quota.
std::vector<QuotaNeed> QuotaNeeds(const MarketReport& report, const MarketView& market) {
  std::map<std::string, QuotaNeed> needs;
  for (const auto& [zone, use] : report.placement.quota_use) {
    needs[zone] = QuotaNeed{zone, use.first, use.second};
  }
  const int unplaced = report.placement.unplaced(report.launch_count);
  if (unplaced > 0) {
    for (const CandidateAssessment& c : report.placement.candidates) {
      const bool lacks_only_quota = c.skip == SkipReason::kNone ||
                                    c.skip == SkipReason::kQuotaFull ||
                                    c.skip == SkipReason::kNotNeeded;
      auto quota = market.quotas.find(c.candidate.zone);
      if (!lacks_only_quota || quota == market.quotas.end() || !c.offer || c.offer->cpu <= 0) {
        continue;
      }
      QuotaNeed& need = needs[c.candidate.zone];
      need.zone = c.candidate.zone;
      need.remaining_vcpus = quota->second.remaining_vcpus;
      need.needed_vcpus += unplaced * c.offer->cpu;
      break;
    }
  }
  std::vector<QuotaNeed> out;
  for (auto& [zone, need] : needs) out.push_back(std::move(need));
  return out;
}

// "ap-guangzhou-3 S5.MEDIUM4: sold out; ..." for the first three skipped candidates.
std::string SkippedText(const Placement& placement) {
  std::string out;
  int listed = 0, more = 0;
  for (const CandidateAssessment& c : placement.candidates) {
    if (c.skip == SkipReason::kNone || c.skip == SkipReason::kNotNeeded) continue;
    if (listed == 3) {
      ++more;
      continue;
    }
    if (listed++ > 0) out += "; ";
    out += c.candidate.zone + " " + c.candidate.instance_type + ": " + c.why;
  }
  if (more > 0) out += "; and " + std::to_string(more) + " more";
  return out;
}

// "request 70 more vCPUs of spot quota in ap-guangzhou-3" for each zone short of quota.
std::string QuotaRequestText(const std::vector<QuotaNeed>& quota) {
  std::string out;
  for (const QuotaNeed& need : quota) {
    if (need.missing_vcpus() == 0) continue;
    out += (out.empty() ? "" : ", ") + std::string("request ") +
           std::to_string(need.missing_vcpus()) + " more vCPUs of spot quota in " + need.zone;
  }
  return out;
}

std::vector<std::string> WarningsOf(const MarketReport& report) {
  std::vector<std::string> out;
  if (!report.market_known || report.launch_count <= 0) return out;
  const int placed = report.placement.placed;
  const std::string request = QuotaRequestText(report.quota);
  const std::string what = report.mode == Mode::kBatch
                               ? Plural(report.launch_count, "node", "nodes")
                               : Plural(report.launch_count, "launch", "launches");
  if (placed == 0) {
    std::string text = report.address + ": no candidate can take the " + what + " now";
    const std::string skipped = SkippedText(report.placement);
    if (!skipped.empty()) text += ": " + skipped;
    if (!request.empty()) text += "; " + request;
    out.push_back(text);
  } else if (placed < report.launch_count) {
    std::string text = report.address + ": only " + std::to_string(placed) + " of the " + what +
                       " fit the spot quota now";
    if (!request.empty()) text += ": " + request;
    out.push_back(text);
  }
  return out;
}

// The launch to check: the first chosen candidate, else the most preferred one.
LaunchCheck LaunchCheckFor(const MarketReport& report, const EnvironmentSpec& spec) {
  LaunchCheck check;
  if (report.mode != Mode::kCvm || report.placement.candidates.empty()) return check;
  const std::vector<const CandidateAssessment*> order = report.placement.LaunchOrder();
  const CandidateAssessment& target =
      order.empty() ? report.placement.candidates.front() : *order.front();
  check.zone = target.candidate.zone;
  check.instance_type = target.candidate.instance_type;
  check.image_id = spec.image_id;
  check.max_price = target.candidate.max_price;
  check.count =
      std::clamp(target.place > 0 ? target.place : report.launch_count, 1, kMaxLaunchCount);
  return check;
}

}  // namespace

std::string_view SkipReasonName(SkipReason reason) {
  for (const auto& [value, name] : kSkipNames) {
    if (value == reason) return name;
  }
  return "none";
}

std::optional<SkipReason> ParseSkipReason(std::string_view name) {
  for (const auto& [value, word] : kSkipNames) {
    if (word == name) return value;
  }
  return std::nullopt;
}

std::string_view StockLevelName(StockLevel level) {
  for (const auto& [value, name] : kStockNames) {
    if (value == level) return name;
  }
  return "unknown";
}

std::optional<StockLevel> ParseStockLevel(std::string_view name) {
  for (const auto& [value, word] : kStockNames) {
    if (word == name) return value;
  }
  return std::nullopt;
}

std::vector<PlannedLaunches> LaunchesOf(const Plan& plan) {
  std::vector<PlannedLaunches> out;
  for (const Change& change : plan.changes) {
    std::optional<PlannedLaunches> launches;
    for (const Step& step : change.steps) {
      const int count = LaunchesOfStep(step);
      if (count <= 0) continue;
      if (!launches) launches = PlannedLaunches{change.address, step.spec, 0};
      if (SameCapacityShape(launches->spec, step.spec)) launches->count += count;
    }
    if (launches) out.push_back(std::move(*launches));
  }
  return out;
}

std::vector<MarketReport> BuildMarketReports(const Plan& plan, const MarketView& market,
                                             const CandidateHolds& holds) {
  std::vector<MarketReport> reports;
  for (const PlannedLaunches& launches : LaunchesOf(plan)) {
    MarketReport report;
    report.address = launches.address;
    report.mode = launches.spec.mode;
    report.allocation = launches.spec.allocation;
    report.launch_count = launches.count;
    report.market_known = market.read;
    report.unknown_reason = market.unread_reason;
    if (!market.read && report.unknown_reason.empty()) report.unknown_reason = "not read";
    report.placement = Place(launches.spec, launches.count, market, holds);
    report.quota = QuotaNeeds(report, market);
    report.launch_check = LaunchCheckFor(report, launches.spec);
    double at_market = 0;
    for (const CandidateAssessment& c : report.placement.candidates) {
      if (c.place <= 0) continue;
      report.cost_at_bids += c.place * std::strtod(c.candidate.max_price.c_str(), nullptr);
      if (c.offer) at_market += c.place * c.offer->hourly_price;
    }
    if (market.read) report.cost_at_market = at_market;
    report.warnings = WarningsOf(report);
    reports.push_back(std::move(report));
  }
  return reports;
}

std::vector<std::string> MarketWarnings(const std::vector<MarketReport>& reports) {
  std::vector<std::string> out;
  for (const MarketReport& report : reports) {
    out.insert(out.end(), report.warnings.begin(), report.warnings.end());
  }
  return out;
}

}  // namespace spotform
