#include "engine/plan/market_survey.h"

#include <string>

#include "engine/model/words.h"

namespace spotform {
namespace {

// The report's assessment of the candidate its launch check asks about, or nullptr.
const CandidateAssessment* CheckedCandidate(const MarketReport& report) {
  for (const CandidateAssessment& c : report.placement.candidates) {
    if (c.candidate.zone == report.launch_check.zone &&
        c.candidate.instance_type == report.launch_check.instance_type) {
      return &c;
    }
  }
  return nullptr;
}

bool CodeHas(const Error& error, const std::string& part) {
  return error.code().find(part) != std::string::npos;
}

}  // namespace

std::string LaunchCheckAdvice(const Error& error, const MarketReport& report) {
  const LaunchCheck& check = report.launch_check;
  const std::string where = check.instance_type + " in " + check.zone;
  if (CodeHas(error, "InsufficientPrice")) {
    const CandidateAssessment* c = CheckedCandidate(report);
    if (c != nullptr && c->offer) {
      return "the spot price of " + where + " is " + FormatPrice(c->offer->hourly_price) +
             ": raise max_price to at least " + MinimumBid(*c->offer);
    }
    return "the spot price of " + where + " is above the bid " + check.max_price +
           ": raise max_price";
  }
  if (CodeHas(error, "Quota")) {
    return "request more spot quota in " + check.zone +
           " (CVM console, quotas), or list another zone under zones";
  }
  if (error.kind() == ErrorKind::kCapacity) {
    return "no spot stock of " + where +
           " now: list fallback zones or instance_types, or try again later";
  }
  if (CodeHas(error, "Image")) {
    return "check image_id " + check.image_id +
           ": it must exist in this region and be usable by this account";
  }
  if (error.kind() == ErrorKind::kAuth) {
    if (error.code().starts_with("UnauthorizedOperation")) {
      return "these credentials may not launch instances: grant them cvm:RunInstances "
             "(a CAM policy)";
    }
    return "check the credentials (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)";
  }
  if (error.kind() == ErrorKind::kRetryable || error.kind() == ErrorKind::kTransport) {
    return "the check could not finish; apply launches anyway and reports what the cloud says";
  }
  return "";
}

void RunLaunchChecks(Cloud& cloud, const Plan& plan, std::vector<MarketReport>& reports) {
  const std::vector<PlannedLaunches> launches = LaunchesOf(plan);
  for (MarketReport& report : reports) {
    LaunchCheck& check = report.launch_check;
    if (report.mode != Mode::kCvm || !check.requested()) continue;
    LaunchSpec spec;
    spec.zone = check.zone;
    spec.instance_type = check.instance_type;
    spec.image_id = check.image_id;
    spec.max_price = check.max_price;
    spec.count = check.count;
    for (const PlannedLaunches& planned : launches) {
      if (planned.address == report.address) spec.tags = planned.spec.tags;
    }
    Status checked = cloud.DryRunLaunch(spec);
    if (checked.ok()) {
      check.outcome = LaunchCheck::Outcome::kPassed;
      continue;
    }
    check.outcome = LaunchCheck::Outcome::kFailed;
    check.error_code = checked.error().code();
    check.error_message = checked.error().message();
    check.advice = LaunchCheckAdvice(checked.error(), report);
    // An environment already warned about (no candidate, too little quota) says enough.
    if (!report.warnings.empty()) continue;
    std::string warning = report.address + ": the launch check failed: " +
                          (check.error_code.empty() ? "" : check.error_code + ": ") +
                          check.error_message;
    if (!check.advice.empty()) warning += "; " + check.advice;
    report.warnings.push_back(std::move(warning));
  }
}

SpotPrices PricesForReleases(Cloud& cloud, const Config& config) {
  std::vector<const EnvironmentSpec*> specs;
  for (const auto& [name, spec] : config.environments) {
    if (spec.allocation == Allocation::kLowestPrice && spec.HasFallbacks()) specs.push_back(&spec);
  }
  if (specs.empty()) return {};
  Result<MarketView> market = ReadMarket(cloud, specs);
  return market.ok() && market->read ? PricesOf(*market) : SpotPrices{};
}

Status SurveyMarket(Cloud& cloud, Plan& plan, bool launch_checks, const CandidateHolds& holds) {
  const std::vector<PlannedLaunches> launches = LaunchesOf(plan);
  if (launches.empty()) return Status::Ok();
  std::vector<const EnvironmentSpec*> specs;
  for (const PlannedLaunches& planned : launches) specs.push_back(&planned.spec);
  Result<MarketView> market = ReadMarket(cloud, specs);
  if (!market.ok()) return market.error();
  plan.market = BuildMarketReports(plan, *market, holds);
  if (launch_checks) RunLaunchChecks(cloud, plan, plan.market);
  plan.warnings = MarketWarnings(plan.market);
  return Status::Ok();
}

}  // namespace spotform
