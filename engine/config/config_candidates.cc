#include "engine/config/config_candidates.h"

#include <algorithm>
#include <array>

#include "engine/config/config_checks.h"
#include "engine/model/cloud.h"

namespace spotform {
namespace {

constexpr std::array<std::string_view, 2> kTypeEntryKeys = {"type", "max_price"};

// The field of the one-element form or of the list form; reports both set or neither set.
const YamlField* OneOf(const MapReader& reader, std::string_view single, std::string_view list,
                       const YAML::Mark& where, const std::string& path, DiagnosticSink& sink) {
  const YamlField* one = reader.Find(single);
  const YamlField* many = reader.Find(list);
  if (one != nullptr && many != nullptr) {
    sink.Add(many->KeyMark(), many->path + ": set `" + std::string(single) + "` or `" +
                                  std::string(list) + "`, not both");
    return nullptr;
  }
  if (one == nullptr && many == nullptr) {
    sink.Add(where, path + ": missing required key `" + std::string(single) + "` (or `" +
                        std::string(list) + "` for fallback candidates)");
    return nullptr;
  }
  return one != nullptr ? one : many;
}

// The items of a list field, each as a YamlField named "PATH[i]"; reports a non-list or an
// empty list.
std::vector<YamlField> ListItems(const YamlField& field, std::string_view what,
                                 DiagnosticSink& sink) {
  std::vector<YamlField> items;
  if (!field.value.IsSequence() || field.value.size() == 0) {
    sink.Add(
        field.ValueMark(),
        field.path + ": must be a list of " + std::string(what) + ", most preferred first, got " +
            (field.value.IsSequence() ? std::string("an empty list") : DescribeNode(field.value)));
    return items;
  }
  for (size_t i = 0; i < field.value.size(); ++i) {
    YamlField item;
    item.path = field.path + "[" + std::to_string(i) + "]";
    item.key = field.value[i];
    item.value = field.value[i];
    items.push_back(std::move(item));
  }
  return items;
}

void ReadZones(const YamlField& field, const std::string& region, EnvironmentSpec& spec,
               DiagnosticSink& sink) {
  auto check = [&region](std::string_view zone) { return CheckZone(zone, region); };
  if (field.name == "zone") {
    if (std::optional<std::string> text = ReadScalar(field, "a zone name", sink)) {
      if (Status status = check(*text); !status.ok()) {
        ReportAt(field.ValueMark(), field.path, status.error(), sink);
      } else {
        spec.zones = {*text};
      }
    }
    return;
  }
  for (const YamlField& item : ListItems(field, "zone names", sink)) {
    std::optional<std::string> text = ReadScalar(item, "a zone name", sink);
    if (!text) continue;
    if (Status status = check(*text); !status.ok()) {
      ReportAt(item.ValueMark(), item.path, status.error(), sink);
    } else if (std::find(spec.zones.begin(), spec.zones.end(), *text) != spec.zones.end()) {
      sink.Add(item.ValueMark(), item.path + ": zone " + Quoted(*text) + " is listed twice");
    } else {
      spec.zones.push_back(*text);
    }
  }
  if (spec.mode == Mode::kBatch && spec.zones.size() > 1) {
    sink.Add(field.ValueMark(),
             field.path +
                 ": a Batch compute environment lives in one zone; list one zone, or "
                 "use `mode: cvm` to fall back across zones");
  }
}

// One `instance_types:` entry: a name, or {type: NAME, max_price: "0.90"}. A Batch compute
// environment has one bid (EnvData.InstanceMarketOptions), so batch mode refuses a per-type
// max_price.
std::optional<InstanceTypeChoice> ReadTypeEntry(const YamlField& item, Mode mode,
                                                DiagnosticSink& sink) {
  InstanceTypeChoice choice;
  if (item.value.IsMap()) {
    MapReader entry(item.value, item.path, kTypeEntryKeys, sink);
    const std::array<std::string_view, 1> required = {"type"};
    entry.RequireKeys(required, item.ValueMark());
    ReadCheckedString(entry, "type", "an instance type", CheckInstanceType, choice.type, sink);
    const YamlField* price = entry.Find("max_price");
    if (mode == Mode::kBatch && price != nullptr) {
      sink.Add(price->KeyMark(), price->path +
                                     ": Batch compute environments have one bid: set max_price "
                                     "on the environment");
    } else {
      ReadCheckedString(entry, "max_price", "a decimal price such as \"0.60\"", CheckMaxPrice,
                        choice.max_price, sink);
    }
  } else {
    std::optional<std::string> text =
        ReadScalar(item, "an instance type or {type: NAME, max_price: \"0.90\"}", sink);
    if (!text) return std::nullopt;
    if (Status status = CheckInstanceType(*text); !status.ok()) {
      ReportAt(item.ValueMark(), item.path, status.error(), sink);
      return std::nullopt;
    }
    choice.type = *text;
  }
  if (choice.type.empty()) return std::nullopt;
  return choice;
}

void ReadTypes(const YamlField& field, EnvironmentSpec& spec, DiagnosticSink& sink) {
  if (field.name == "instance_type") {
    if (std::optional<std::string> text = ReadScalar(field, "an instance type", sink)) {
      if (Status status = CheckInstanceType(*text); !status.ok()) {
        ReportAt(field.ValueMark(), field.path, status.error(), sink);
      } else {
        spec.instance_types = {InstanceTypeChoice{*text, ""}};
      }
    }
    return;
  }
  for (const YamlField& item : ListItems(field, "instance types", sink)) {
    std::optional<InstanceTypeChoice> choice = ReadTypeEntry(item, spec.mode, sink);
    if (!choice) continue;
    auto same = [&](const InstanceTypeChoice& c) { return c.type == choice->type; };
    if (std::any_of(spec.instance_types.begin(), spec.instance_types.end(), same)) {
      sink.Add(item.ValueMark(),
               item.path + ": instance type " + Quoted(choice->type) + " is listed twice");
      continue;
    }
    spec.instance_types.push_back(*choice);
  }
  if (spec.mode == Mode::kBatch && field.value.IsSequence() &&
      field.value.size() > kMaxBatchInstanceTypes) {
    sink.Add(field.ValueMark(), field.path + ": a Batch compute environment takes at most " +
                                    std::to_string(kMaxBatchInstanceTypes) +
                                    " instance types (EnvData.InstanceTypes), got " +
                                    std::to_string(field.value.size()) +
                                    "; use `mode: cvm` for more");
  }
}

void ReadAllocation(const MapReader& reader, EnvironmentSpec& spec, DiagnosticSink& sink) {
  const YamlField* field = reader.Find("allocation");
  if (field == nullptr) return;
  std::optional<std::string> text =
      ReadScalar(*field, "`ordered`, `lowest-price` or `diversified`", sink);
  if (!text) return;
  std::optional<Allocation> allocation = ParseAllocation(*text);
  if (!allocation) {
    sink.Add(field->ValueMark(), field->path +
                                     ": must be `ordered`, `lowest-price` or "
                                     "`diversified`, got " +
                                     Quoted(*text));
    return;
  }
  spec.allocation = *allocation;
}

}  // namespace

void ReadCandidates(const MapReader& reader, const std::string& region, const YAML::Mark& where,
                    EnvironmentSpec& spec, DiagnosticSink& sink) {
  const std::string path = "environments." + spec.name;
  if (const YamlField* zones = OneOf(reader, "zone", "zones", where, path, sink)) {
    ReadZones(*zones, region, spec, sink);
  }
  if (const YamlField* types =
          OneOf(reader, "instance_type", "instance_types", where, path, sink)) {
    ReadTypes(*types, spec, sink);
  }
  ReadAllocation(reader, spec, sink);
}

}  // namespace spotform
