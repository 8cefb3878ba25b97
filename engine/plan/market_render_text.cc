#include <algorithm>
#include <vector>

#include "engine/model/words.h"
#include "engine/plan/market_render.h"
#include "engine/plan/plan_render_text.h"

namespace spotform {
namespace {

constexpr size_t kMarketMaxWidth = 100;
constexpr char kMarketIndent[] = "      ";           // the section's lines, as "steps:"
constexpr char kMarketRowIndent[] = "        ";      // then "* " or "  "
constexpr char kMarketWhyIndent[] = "            ";  // a reason on a line of its own
constexpr char kMarketBatchNote[] = "Batch places the nodes itself; the market moves";

std::string MarketPadRight(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string MarketPadLeft(std::string text, size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

// "enough", "low", "sold out", ...: the sell status column.
std::string SaleText(const MarketReport& report, const CandidateAssessment& c) {
  if (!c.offer) return report.market_known ? "not sold" : "?";
  if (!c.offer->on_sale || c.offer->stock == StockLevel::kNone) return "sold out";
  if (c.offer->stock == StockLevel::kUnknown) return "on sale";
  return std::string(StockLevelName(c.offer->stock));
}

// One table row's cells: zone, type, price, stock, bid, place.
std::vector<std::string> RowCells(const MarketReport& report, const CandidateAssessment& c) {
  return {c.candidate.zone,
          c.candidate.instance_type,
          c.offer ? FormatHourlyCost(c.offer->hourly_price) : (report.market_known ? "-" : "?"),
          SaleText(report, c),
          c.candidate.max_price,
          c.place > 0 ? std::to_string(c.place) : "-"};
}

void WriteTable(const MarketReport& report, const TextStyle& style, std::string& out) {
  const std::vector<std::string> header = {"zone", "instance_type", "price/h",
                                           "stock", "bid",           "place"};
  const bool right[] = {false, false, true, false, false, true};
  std::vector<std::vector<std::string>> rows;
  for (const CandidateAssessment& c : report.placement.candidates) {
    rows.push_back(RowCells(report, c));
  }
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    width[i] = header[i].size();
    for (const auto& row : rows) width[i] = std::max(width[i], row[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) text += "  ";
      text += right[i] ? MarketPadLeft(cells[i], width[i])
                       : (i + 1 == cells.size() ? cells[i] : MarketPadRight(cells[i], width[i]));
    }
    return text;
  };
  out += std::string(kMarketRowIndent) + "  " + line(header) + "\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    const CandidateAssessment& c = report.placement.candidates[r];
    const std::string row = line(rows[r]);
    const std::string mark = c.place > 0 ? style.Green("*") + " " : "  ";
    out += kMarketRowIndent + mark + row;
    const bool show_why = !c.why.empty() && c.skip != SkipReason::kNotNeeded;
    if (!show_why) {
      out += "\n";
    } else if (std::string(kMarketRowIndent).size() + 2 + row.size() + 2 + c.why.size() <=
               kMarketMaxWidth) {
      out += "  " + c.why + "\n";
    } else {
      out += "\n" + std::string(kMarketWhyIndent) + c.why + "\n";
    }
  }
}

std::string LaunchCheckText(const LaunchCheck& check, const TextStyle& style) {
  std::string text = std::string(kMarketIndent) + "launch check (RunInstances DryRun of " +
                     std::to_string(check.count) + " " + check.instance_type + " in " + check.zone +
                     " at max " + check.max_price + "): ";
  if (check.outcome == LaunchCheck::Outcome::kPassed) return text + style.Green("passed") + "\n";
  // The cloud's words and the advice on lines of their own: they are long.
  text += style.Red("failed") + "\n" + kMarketRowIndent +
          (check.error_code.empty() ? "" : check.error_code + ": ") + check.error_message + "\n";
  if (!check.advice.empty()) text += std::string(kMarketRowIndent) + check.advice + "\n";
  return text;
}

}  // namespace

std::string QuotaNeedText(const QuotaNeed& need) {
  std::string text = "needs " + std::to_string(need.needed_vcpus) + " vCPUs in " + need.zone +
                     ", " + std::to_string(need.remaining_vcpus) + " left";
  if (need.missing_vcpus() > 0) {
    text += ": request " + std::to_string(need.missing_vcpus()) + " more";
  }
  return text;
}

void WriteMarketText(const MarketReport& report, const TextStyle& style, std::string& out) {
  const std::string indent = kMarketIndent;
  if (!report.market_known) {
    out += indent + style.Yellow("market unknown") + ": " + report.unknown_reason + "\n";
  } else if (!report.unknown_reason.empty()) {
    out += indent + report.unknown_reason + "\n";
  }
  const std::string note = report.mode == Mode::kBatch ? kMarketBatchNote : kPlacementNote;
  out += indent + "candidates now (" + note + "):\n";
  WriteTable(report, style, out);
  for (const QuotaNeed& need : report.quota) {
    const std::string text = "spot quota: " + QuotaNeedText(need);
    out += indent + (need.missing_vcpus() > 0 ? style.Yellow(text) : text) + "\n";
  }
  if (report.launch_check.requested() &&
      report.launch_check.outcome != LaunchCheck::Outcome::kNotRun) {
    out += LaunchCheckText(report.launch_check, style);
  }
  if (report.placement.placed > 0) {
    out += indent + "cost of the launches placed now: ";
    if (report.cost_at_market) {
      out += FormatHourlyCost(*report.cost_at_market) + "/h at current spot prices (at bids " +
             FormatHourlyCost(report.cost_at_bids) + "/h)\n";
    } else {
      out += FormatHourlyCost(report.cost_at_bids) + "/h at bids (spot prices unknown)\n";
    }
  }
}

}  // namespace spotform
