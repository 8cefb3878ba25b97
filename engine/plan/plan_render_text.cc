#include "engine/plan/plan_render_text.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "engine/model/text_style.h"
#include "engine/model/words.h"
#include "engine/plan/market_render.h"
#include "engine/plan/step_text.h"

namespace spotform {
namespace {

constexpr size_t kFieldNameWidth = 13;  // "instance_type", "desired_count"

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// The coloured symbol of an action or field difference: "+", "~", "-", "-/+".
std::string Symbol(ChangeAction action, const TextStyle& style) {
  switch (action) {
    case ChangeAction::kCreate:
      return style.Green("+");
    case ChangeAction::kUpdate:
      return style.Yellow("~");
    case ChangeAction::kReplace:
      return style.Red("-") + "/" + style.Green("+");
    case ChangeAction::kDelete:
      return style.Red("-");
    case ChangeAction::kNoOp:
      return " ";
  }
  return " ";
}

// The symbol padded to three columns, so "-/+" and "  +" line up.
std::string PaddedSymbol(ChangeAction action, const TextStyle& style) {
  return action == ChangeAction::kReplace ? Symbol(action, style) : "  " + Symbol(action, style);
}

std::string Headline(const Change& change) {
  std::string line = "# " + change.address;
  switch (change.action) {
    case ChangeAction::kCreate:
      line += " will be created";
      break;
    case ChangeAction::kUpdate:
      line += " will be updated in place";
      break;
    case ChangeAction::kReplace:
      line += " must be replaced";
      break;
    case ChangeAction::kDelete:
      line += " will be destroyed";
      break;
    case ChangeAction::kNoOp:
      line += " is unchanged";
      break;
  }
  bool first = true;
  for (const std::string& reason : change.reasons) {
    // "destroy" says why in the JSON; in the headline it would repeat "will be destroyed".
    if (change.action == ChangeAction::kDelete && reason == "destroy") continue;
    line += (first ? ": " : "; ") + reason;
    first = false;
  }
  return line;
}

bool ShowsAllocation(const EnvironmentSpec& spec) {
  return spec.HasFallbacks() || spec.allocation != Allocation::kOrdered;
}

// Every field of a spec as (name, rendered value), in the config's order. Tags come apart.
// `allocation` is listed when the spec has candidates or a non-default allocation, or when
// `with_allocation` says so (to line up two specs).
std::vector<std::pair<std::string, std::string>> ScalarFields(const EnvironmentSpec& spec,
                                                              bool with_allocation = false) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"mode", Quote(ModeName(spec.mode))},
      {std::string(ZonesKey(spec)), Quote(ZonesText(spec))},
      {std::string(TypesKey(spec)), Quote(TypesText(spec))}};
  if (with_allocation || ShowsAllocation(spec)) {
    fields.emplace_back("allocation", Quote(AllocationName(spec.allocation)));
  }
  fields.insert(fields.end(), {{"image_id", Quote(spec.image_id)},
                               {"max_price", Quote(spec.max_price)},
                               {"desired_count", std::to_string(spec.desired_count)}});
  return fields;
}

// Writes the field lines of the difference between two specs, Terraform style.
class FieldWriter {
 public:
  FieldWriter(const TextStyle& style, std::string& out) : style_(style), out_(out) {}

  // All fields of `spec`, each marked with `sign` ("+" for a create, "-" for a delete).
  void All(const EnvironmentSpec& spec, const std::string& sign) {
    for (const auto& [name, value] : ScalarFields(spec)) Line(sign, name, value);
    TagBlock(sign, spec.tags, spec.tags, sign);
  }

  // Only the fields that differ; shape fields say they force replacement.
  void Differences(const EnvironmentSpec& before, const EnvironmentSpec& after) {
    const bool with_allocation = ShowsAllocation(before) || ShowsAllocation(after);
    const auto old_fields = ScalarFields(before, with_allocation);
    const auto new_fields = ScalarFields(after, with_allocation);
    const std::string tilde = style_.Yellow("~");
    for (size_t i = 0; i < old_fields.size() && i < new_fields.size(); ++i) {
      if (old_fields[i].second == new_fields[i].second) continue;
      const std::string& name = new_fields[i].first;
      const bool cosmetic_price =
          name == "max_price" && SamePrice(before.max_price, after.max_price);
      // A Batch environment's types change in place (ModifyComputeEnv), as does allocation.
      const bool in_place_types = name.starts_with("instance_type") &&
                                  before.mode == Mode::kBatch && after.mode == Mode::kBatch;
      const bool forces =
          name != "desired_count" && name != "allocation" && !cosmetic_price && !in_place_types;
      std::string value = old_fields[i].second + " -> " + new_fields[i].second;
      if (forces) value += " " + style_.Red("(forces replacement)");
      Line(tilde, name, value);
    }
    if (before.tags != after.tags) TagBlock(tilde, before.tags, after.tags, "");
  }

 private:
  void Line(const std::string& sign, const std::string& name, const std::string& value) {
    out_ += "      " + sign + " " + Pad(name, kFieldNameWidth) + " = " + value + "\n";
  }

  // A tags map. With `all_sign` set every key is listed with that sign; otherwise only the
  // keys added (+), changed (~) or removed (-) between `before` and `after`.
  void TagBlock(const std::string& sign, const Tags& before, const Tags& after,
                const std::string& all_sign) {
    std::set<std::string> keys;
    for (const auto& [key, value] : before) keys.insert(key);
    for (const auto& [key, value] : after) keys.insert(key);
    if (keys.empty()) {
      Line(sign, "tags", "{}");
      return;
    }
    size_t width = 0;
    for (const std::string& key : keys) width = std::max(width, Quote(key).size());
    Line(sign, "tags", "{");
    for (const std::string& key : keys) {
      auto old_it = before.find(key);
      auto new_it = after.find(key);
      std::string entry_sign;
      std::string value;
      if (!all_sign.empty()) {
        entry_sign = all_sign;
        value = Quote(new_it->second);
      } else if (old_it == before.end()) {
        entry_sign = style_.Green("+");
        value = Quote(new_it->second);
      } else if (new_it == after.end()) {
        entry_sign = style_.Red("-");
        value = Quote(old_it->second);
      } else if (old_it->second != new_it->second) {
        entry_sign = style_.Yellow("~");
        value = Quote(old_it->second) + " -> " + Quote(new_it->second);
      } else {
        continue;
      }
      out_ += "          " + entry_sign + " " + Pad(Quote(key), width) + " = " + value + "\n";
    }
    out_ += "        }\n";
  }

  const TextStyle& style_;
  std::string& out_;
};

void WriteChange(const Change& change, const MarketReport* market, const TextStyle& style,
                 std::string& out) {
  out += "  " + style.Bold(Headline(change)) + "\n";
  out += PaddedSymbol(change.action, style) + " " + change.address + "\n";
  FieldWriter fields(style, out);
  if (change.action == ChangeAction::kCreate && change.after) {
    fields.All(*change.after, style.Green("+"));
  } else if (change.action == ChangeAction::kDelete && change.before) {
    fields.All(*change.before, style.Red("-"));
  } else if (change.before && change.after) {
    fields.Differences(*change.before, *change.after);
  }
  if (change.steps.empty()) return;
  out += "      steps:\n";
  for (size_t i = 0; i < change.steps.size(); ++i) {
    const Step& step = change.steps[i];
    const bool old_capacity = change.after && step.kind != StepKind::kRecordSpec &&
                              !SameCapacityShape(step.spec, *change.after);
    out += "        " + std::to_string(i + 1) + ". " + (old_capacity ? "old capacity: " : "") +
           DescribeStep(step) + "\n";
  }
  if (market != nullptr) WriteMarketText(*market, style, out);
}

const MarketReport* MarketOf(const Plan& plan, const std::string& address) {
  for (const MarketReport& report : plan.market) {
    if (report.address == address) return &report;
  }
  return nullptr;
}

void WriteLegend(const Plan& plan, const TextStyle& style, std::string& out) {
  std::set<ChangeAction> used;
  for (const Change& change : plan.changes) used.insert(change.action);
  out += "Actions are shown with these symbols:\n";
  const std::pair<ChangeAction, std::string> kLegend[] = {
      {ChangeAction::kCreate, "create"},
      {ChangeAction::kUpdate, "update in place"},
      {ChangeAction::kReplace, "replace (new capacity first, old released after)"},
      {ChangeAction::kDelete, "destroy"},
  };
  for (const auto& [action, words] : kLegend) {
    if (used.count(action) != 0) out += PaddedSymbol(action, style) + " " + words + "\n";
  }
  out += "\n";
}

std::string TargetNote(const Plan& plan) {
  std::string note = "Only the targeted environments are planned:";
  for (const std::string& target : plan.targets) note += " " + target;
  return note + "\n\n";
}

}  // namespace

std::string FormatHourlyCost(double amount) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", std::round(amount * 10000) / 10000);
  std::string text = buffer;
  const size_t dot = text.find('.');
  while (text.size() > dot + 3 && text.back() == '0') text.pop_back();
  return text;
}

std::string SummaryLine(const PlanSummary& summary) {
  std::string line =
      "Plan: " + std::to_string(summary.add) + " to add, " + std::to_string(summary.change) +
      " to change, " + std::to_string(summary.destroy) + " to destroy; " +
      Plural(summary.launch, "instance", "instances") + " to launch, " +
      std::to_string(summary.release) + " to release; " +
      (summary.destroy_plan
           ? "removes " + FormatHourlyCost(summary.hourly_cost_removed_at_bid) + "/h at your bids"
           : "estimated " + FormatHourlyCost(summary.hourly_cost_at_bid) +
                 "/h in total at your bids");
  if (summary.launch_cost_at_market) {
    line += "; launches placed now: " + FormatHourlyCost(*summary.launch_cost_at_market) +
            "/h at current spot prices (at bids " +
            FormatHourlyCost(summary.launch_cost_at_bids.value_or(0)) + "/h)";
  }
  return line + ".";
}

std::string RenderPlanText(const Plan& plan, const RenderOptions& options) {
  const TextStyle style(options.color);
  std::string out;
  if (!plan.targets.empty()) out += TargetNote(plan);
  if (!plan.HasChanges()) {
    out += style.BoldGreen("No changes.");
    out += plan.destroy ? " There is nothing in the state to destroy.\n"
                        : " Your spot capacity matches the configuration.\n";
    return out;
  }
  WriteLegend(plan, style, out);
  out += "spotform will perform the following actions:\n\n";
  for (const Change& change : plan.changes) {
    if (change.action == ChangeAction::kNoOp) continue;
    WriteChange(change, MarketOf(plan, change.address), style, out);
    out += "\n";
  }
  out += style.Bold(SummaryLine(plan.Summary())) + "\n";
  for (const std::string& warning : plan.warnings) {
    out += "\n" + style.Yellow("Warning:") + " " + warning + "\n";
  }
  return out;
}

}  // namespace spotform
