#pragma once

#include <string>
#include <vector>

#include "engine/model/placement.h"
#include "engine/plan/plan.h"
#include "tests/engine/plan/plan_examples.h"

// Literal markets and plans with launches for the market report tests (issue 14): offers and
// quotas as ReadMarket would return them, and plans shaped like the planner's.
namespace spotform::market_examples {

inline SpotOffer Offer(const std::string& zone, const std::string& type, double price,
                       int64_t cpu = 2, bool on_sale = true,
                       StockLevel stock = StockLevel::kEnough) {
  SpotOffer offer;
  offer.zone = zone;
  offer.instance_type = type;
  offer.hourly_price = price;
  offer.on_sale = on_sale;
  offer.stock = on_sale ? stock : StockLevel::kNone;
  offer.cpu = cpu;
  offer.memory_gb = cpu * 2;
  return offer;
}

inline SpotQuota Quota(const std::string& zone, int64_t remaining, int64_t total) {
  return SpotQuota{zone, total, total - remaining, remaining};
}

inline MarketView MarketOf(const std::vector<SpotOffer>& offers,
                           const std::vector<SpotQuota>& quotas = {}) {
  MarketView market;
  market.read = true;
  for (const SpotOffer& offer : offers) market.offers[{offer.zone, offer.instance_type}] = offer;
  for (const SpotQuota& quota : quotas) market.quotas[quota.zone] = quota;
  return market;
}

// env.render over ap-guangzhou-3 and -4, S5.MEDIUM4 at the environment's 0.60, then
// SA2.MEDIUM4 at its own 0.40.
inline EnvironmentSpec Fallbacks(int desired) {
  EnvironmentSpec spec = plan_examples::Render(desired);
  spec.zones = {"ap-guangzhou-3", "ap-guangzhou-4"};
  spec.instance_types = {{"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", "0.40"}};
  return spec;
}

// The creation of `spec` with `count` launches.
inline Change CreateWithLaunches(const EnvironmentSpec& spec, int count) {
  using namespace plan_examples;  // NOLINT: test-local literals
  return ChangeOf(
      ChangeAction::kCreate, std::nullopt, spec,
      {"new environment: " + std::to_string(count) + " instances"},
      {
          Counted(StepKind::kCreatePool, "p-1a2b3c4d", spec, count,
                  "record the new capacity with expected count " + std::to_string(count)),
          Counted(StepKind::kLaunch, "p-1a2b3c4d", spec, count, "desired " + std::to_string(count)),
          RecordSpec(spec),
      });
}

}  // namespace spotform::market_examples
