#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/model/text_style.h"
#include "engine/plan/market_report.h"

namespace spotform {

// The market section under an environment's change in the text plan (plan_render_text.h),
// within 100 columns but for long reasons and error texts:
//       candidates now (placement is decided at launch; the market moves):
//             zone            instance_type  price/h  sale      bid   place
//           * ap-guangzhou-3  S5.MEDIUM4        0.18  enough    0.60     25
//             ap-guangzhou-4  S5.MEDIUM4        0.31  enough    0.30      -
//               bid 0.30 < market 0.31: raise max_price to at least 0.31
//       spot quota: needs 50 vCPUs in ap-guangzhou-3, 50 left
//       launch check (RunInstances DryRun of 25 S5.MEDIUM4 in ap-guangzhou-3 at max 0.60): passed
//       cost of the launches placed now: 4.50/h at current spot prices (at bids 15.00/h)
// `*` marks the candidates that take launches now; a skipped candidate's reason follows its
// row, or goes on the next line when the row would be too wide. A failed launch check is
// followed by the cloud's code and message and the advice, on lines of their own.
void WriteMarketText(const MarketReport& report, const TextStyle& style, std::string& out);

// The report as the JSON of `plan --json` (plan_render_json.h `market`):
//   {"mode", "allocation", "launch", "placed", "note", "market_known", "unknown_reason",
//    "candidates": [{"zone", "instance_type", "price", "on_sale", "stock", "cpu", "bid",
//                    "place", "chosen", "skip", "why"}],
//    "quota": [{"zone", "needed_vcpus", "remaining_vcpus", "request_vcpus"}],
//    "dry_run": null | {"zone", "instance_type", "image_id", "max_price", "count", "result",
//                       "error": null | {"code", "message"}, "advice"},
//    "cost": {"at_market", "at_bids"}, "warnings": [...]}
// Unknown values are null: price, on_sale, stock and cpu without an offer, skip and why of a
// candidate that takes launches, at_market when the market is unknown.
nlohmann::ordered_json MarketReportToJson(const MarketReport& report);

// "needs 120 vCPUs in ap-guangzhou-3, 50 left: request 70 more"
std::string QuotaNeedText(const QuotaNeed& need);

}  // namespace spotform
