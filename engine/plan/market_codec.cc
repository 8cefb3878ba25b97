#include "engine/plan/market_codec.h"

#include <optional>
#include <utility>

namespace spotform {
namespace {

using Json = PlanJson;
using Outcome = LaunchCheck::Outcome;

constexpr std::pair<Outcome, const char*> kOutcomeNames[] = {
    {Outcome::kNotRun, "not_run"}, {Outcome::kPassed, "passed"}, {Outcome::kFailed, "failed"}};

const char* OutcomeName(Outcome outcome) {
  for (const auto& [value, name] : kOutcomeNames) {
    if (value == outcome) return name;
  }
  return "not_run";
}

Json EncodeOffer(const std::optional<SpotOffer>& offer) {
  if (!offer) return Json(nullptr);
  return Json{{"price", offer->hourly_price},
              {"on_sale", offer->on_sale},
              {"stock", StockLevelName(offer->stock)},
              {"cpu", offer->cpu},
              {"memory_gb", offer->memory_gb}};
}

Json EncodeAssessment(const CandidateAssessment& c) {
  return Json{{"zone", c.candidate.zone},
              {"instance_type", c.candidate.instance_type},
              {"max_price", c.candidate.max_price},
              {"rank", c.candidate.rank},
              {"offer", EncodeOffer(c.offer)},
              {"skip", SkipReasonName(c.skip)},
              {"cooling", c.cooling},
              {"place", c.place},
              {"why", c.why}};
}

Json EncodeLaunchCheck(const LaunchCheck& check) {
  return Json{{"outcome", OutcomeName(check.outcome)},
              {"zone", check.zone},
              {"instance_type", check.instance_type},
              {"image_id", check.image_id},
              {"max_price", check.max_price},
              {"count", check.count},
              {"error_code", check.error_code},
              {"error_message", check.error_message},
              {"advice", check.advice}};
}

std::optional<SpotOffer> DecodeOffer(FieldReader& reader, const Json& json, const std::string& path,
                                     const Candidate& candidate) {
  const Json* value = reader.Member(json, path, "offer");
  if (value == nullptr || value->is_null()) return std::nullopt;
  const std::string at = FieldReader::Join(path, "offer");
  SpotOffer offer;
  offer.zone = candidate.zone;
  offer.instance_type = candidate.instance_type;
  offer.hourly_price = reader.Double(*value, at, "price");
  offer.on_sale = reader.Bool(*value, at, "on_sale");
  const std::string stock = reader.String(*value, at, "stock");
  if (std::optional<StockLevel> level = ParseStockLevel(stock)) {
    offer.stock = *level;
  } else if (!reader.failed()) {
    reader.Fail(FieldReader::Join(at, "stock"), "unknown stock level \"" + stock + "\"");
  }
  offer.cpu = reader.Int64(*value, at, "cpu");
  offer.memory_gb = reader.Int64(*value, at, "memory_gb");
  return offer;
}

CandidateAssessment DecodeAssessment(FieldReader& reader, const Json& json,
                                     const std::string& path) {
  CandidateAssessment c;
  c.candidate.zone = reader.String(json, path, "zone");
  c.candidate.instance_type = reader.String(json, path, "instance_type");
  c.candidate.max_price = reader.String(json, path, "max_price");
  c.candidate.rank = reader.Int(json, path, "rank");
  c.offer = DecodeOffer(reader, json, path, c.candidate);
  const std::string skip = reader.String(json, path, "skip");
  if (std::optional<SkipReason> reason = ParseSkipReason(skip)) {
    c.skip = *reason;
  } else if (!reader.failed()) {
    reader.Fail(FieldReader::Join(path, "skip"), "unknown skip reason \"" + skip + "\"");
  }
  c.cooling = reader.Bool(json, path, "cooling");
  c.place = reader.Int(json, path, "place");
  c.why = reader.String(json, path, "why");
  return c;
}

LaunchCheck DecodeLaunchCheck(FieldReader& reader, const Json& json, const std::string& path) {
  LaunchCheck check;
  const Json* value = reader.Member(json, path, "launch_check");
  if (value == nullptr) return check;
  const std::string at = FieldReader::Join(path, "launch_check");
  const std::string outcome = reader.String(*value, at, "outcome");
  bool known = false;
  for (const auto& [candidate, name] : kOutcomeNames) {
    if (outcome == name) {
      check.outcome = candidate;
      known = true;
    }
  }
  if (!known && !reader.failed()) {
    reader.Fail(FieldReader::Join(at, "outcome"), "unknown outcome \"" + outcome + "\"");
  }
  check.zone = reader.String(*value, at, "zone");
  check.instance_type = reader.String(*value, at, "instance_type");
  check.image_id = reader.String(*value, at, "image_id");
  check.max_price = reader.String(*value, at, "max_price");
  check.count = reader.Int(*value, at, "count");
  check.error_code = reader.String(*value, at, "error_code");
  check.error_message = reader.String(*value, at, "error_message");
  check.advice = reader.String(*value, at, "advice");
  return check;
}

}  // namespace

PlanJson EncodeMarketReport(const MarketReport& report) {
  Json candidates = Json::array();
  for (const CandidateAssessment& c : report.placement.candidates) {
    candidates.push_back(EncodeAssessment(c));
  }
  Json quota = Json::array();
  for (const QuotaNeed& need : report.quota) {
    quota.push_back(Json{{"zone", need.zone},
                         {"needed_vcpus", need.needed_vcpus},
                         {"remaining_vcpus", need.remaining_vcpus}});
  }
  return Json{
      {"address", report.address},
      {"mode", ModeName(report.mode)},
      {"allocation", AllocationName(report.allocation)},
      {"launch_count", report.launch_count},
      {"market_known", report.market_known},
      {"unknown_reason", report.unknown_reason},
      {"placed", report.placement.placed},
      {"candidates", std::move(candidates)},
      {"quota", std::move(quota)},
      {"launch_check", EncodeLaunchCheck(report.launch_check)},
      {"cost_at_market", report.cost_at_market ? Json(*report.cost_at_market) : Json(nullptr)},
      {"cost_at_bids", report.cost_at_bids},
      {"warnings", report.warnings}};
}

MarketReport DecodeMarketReport(FieldReader& reader, const PlanJson& json,
                                const std::string& path) {
  MarketReport report;
  report.address = reader.String(json, path, "address");
  const std::string mode = reader.String(json, path, "mode");
  if (mode == ModeName(Mode::kBatch)) {
    report.mode = Mode::kBatch;
  } else if (mode != ModeName(Mode::kCvm) && !reader.failed()) {
    reader.Fail(FieldReader::Join(path, "mode"), "unknown mode \"" + mode + "\"");
  }
  const std::string allocation = reader.String(json, path, "allocation");
  if (std::optional<Allocation> parsed = ParseAllocation(allocation)) {
    report.allocation = *parsed;
  } else if (!reader.failed()) {
    reader.Fail(FieldReader::Join(path, "allocation"), "unknown allocation \"" + allocation + "\"");
  }
  report.launch_count = reader.Int(json, path, "launch_count");
  report.market_known = reader.Bool(json, path, "market_known");
  report.unknown_reason = reader.String(json, path, "unknown_reason");
  report.placement.placed = reader.Int(json, path, "placed");
  const Json* candidates = reader.Array(json, path, "candidates");
  for (size_t i = 0; candidates != nullptr && i < candidates->size() && !reader.failed(); ++i) {
    report.placement.candidates.push_back(DecodeAssessment(
        reader, (*candidates)[i], FieldReader::Index(FieldReader::Join(path, "candidates"), i)));
  }
  const Json* quota = reader.Array(json, path, "quota");
  for (size_t i = 0; quota != nullptr && i < quota->size() && !reader.failed(); ++i) {
    const std::string at = FieldReader::Index(FieldReader::Join(path, "quota"), i);
    QuotaNeed need;
    need.zone = reader.String((*quota)[i], at, "zone");
    need.needed_vcpus = reader.Int64((*quota)[i], at, "needed_vcpus");
    need.remaining_vcpus = reader.Int64((*quota)[i], at, "remaining_vcpus");
    report.quota.push_back(std::move(need));
  }
  report.launch_check = DecodeLaunchCheck(reader, json, path);
  const Json* at_market = reader.Member(json, path, "cost_at_market");
  if (at_market != nullptr && !at_market->is_null()) {
    report.cost_at_market = reader.Double(json, path, "cost_at_market");
  }
  report.cost_at_bids = reader.Double(json, path, "cost_at_bids");
  report.warnings = reader.Strings(json, path, "warnings");
  return report;
}

}  // namespace spotform
