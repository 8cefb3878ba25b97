#pragma once

#include <string>

#include "engine/plan/json_field_reader.h"
#include "engine/plan/market_report.h"

namespace spotform {

// The saved plan's lossless form of a MarketReport (part of EncodePlan, plan_codec.h), so
// `spotform show PLANFILE` shows the market the plan was made with:
//   {"address", "mode", "allocation", "launch_count", "market_known", "unknown_reason",
//    "placed", "candidates": [{"zone", "instance_type", "max_price", "rank", "offer",
//    "skip", "cooling", "place", "why"}], "quota": [{"zone", "needed_vcpus",
//    "remaining_vcpus"}], "launch_check": {...}, "cost_at_market", "cost_at_bids",
//    "warnings"}
// where "offer" is null or {"price", "on_sale", "stock", "cpu", "memory_gb"} and
// "cost_at_market" may be null.
PlanJson EncodeMarketReport(const MarketReport& report);

// The reverse, reading through `reader` (a problem is recorded with its path under `path`,
// nothing throws).
MarketReport DecodeMarketReport(FieldReader& reader, const PlanJson& json, const std::string& path);

}  // namespace spotform
