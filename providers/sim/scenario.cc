#include "providers/sim/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "providers/sim/request_params.h"

namespace spotform::sim {
namespace {

// Every yaml-cpp call of the emulator happens in this file; its exceptions stop here.

constexpr int64_t kMaxScenarioTicks = 1000000;  // bound of create_ticks / busy_ticks

Error At(const YAML::Mark& mark, const std::string& message) {
  return ApiError("InvalidParameterValue", "scenario line " + std::to_string(mark.line + 1) +
                                               ", column " + std::to_string(mark.column + 1) +
                                               ": " + message);
}

Result<double> Number(const YAML::Node& node, const std::string& key) {
  try {
    if (!node.IsScalar()) return At(node.Mark(), key + " must be a number");
    double value = node.as<double>();
    if (!std::isfinite(value)) return At(node.Mark(), key + " must be a finite number");
    return value;
  } catch (const YAML::Exception&) {
    return At(node.Mark(), key + " must be a number");
  }
}

Result<int64_t> Integer(const YAML::Node& node, const std::string& key, int64_t min) {
  try {
    if (!node.IsScalar()) return At(node.Mark(), key + " must be an integer");
    int64_t value = node.as<int64_t>();
    if (value < min) {
      return At(node.Mark(), key + " must be at least " + std::to_string(min));
    }
    return value;
  } catch (const YAML::Exception&) {
    return At(node.Mark(), key + " must be an integer");
  }
}

// A duration in ticks, from `min` to kMaxScenarioTicks.
Result<int64_t> TickCount(const YAML::Node& node, const std::string& key, int64_t min) {
  Result<int64_t> value = Integer(node, key, min);
  if (value.ok() && *value > kMaxScenarioTicks) {
    return At(node.Mark(), key + " must be at most " + std::to_string(kMaxScenarioTicks));
  }
  return value;
}

Result<std::string> Text(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) return At(node.Mark(), key + " must be a string");
  return node.Scalar();
}

// Reads the offer fields of `map` (market entry or event) into `change`. `seen` reports
// whether any offer field was present.
Status ReadOfferFields(const YAML::Node& map, const Market& market, OfferChange& change,
                       bool& any_value) {
  any_value = false;
  if (map["zone"]) {
    Result<std::string> zone = Text(map["zone"], "zone");
    if (!zone.ok()) return zone.error();
    if (!market.RegionOfZone(*zone)) return At(map["zone"].Mark(), "unknown zone " + *zone);
    change.zone = *zone;
  }
  if (map["instance_type"]) {
    Result<std::string> type = Text(map["instance_type"], "instance_type");
    if (!type.ok()) return type.error();
    if (market.FindType(*type) == nullptr) {
      return At(map["instance_type"].Mark(), "unknown instance type " + *type);
    }
    change.instance_type = *type;
  }
  if (map["price"]) {
    Result<double> price = Number(map["price"], "price");
    if (!price.ok()) return price.error();
    if (*price <= 0) return At(map["price"].Mark(), "price must be positive");
    change.price = *price;
    any_value = true;
  }
  if (map["capacity"]) {
    Result<int64_t> capacity = Integer(map["capacity"], "capacity", 0);
    if (!capacity.ok()) return capacity.error();
    change.capacity = *capacity;
    any_value = true;
  }
  if (map["fail_next_launches"]) {
    Result<int64_t> count = Integer(map["fail_next_launches"], "fail_next_launches", 0);
    if (!count.ok()) return count.error();
    change.fail_next_launches = *count;
    any_value = true;
  }
  if (map["launch_failure_rate"]) {
    Result<double> rate = Number(map["launch_failure_rate"], "launch_failure_rate");
    if (!rate.ok()) return rate.error();
    if (*rate < 0 || *rate > 1) {
      return At(map["launch_failure_rate"].Mark(), "launch_failure_rate must be in [0, 1]");
    }
    change.launch_failure_rate = *rate;
    any_value = true;
  }
  return Status::Ok();
}

Status CheckKeys(const YAML::Node& map, const std::set<std::string>& allowed,
                 const std::string& where) {
  for (const auto& entry : map) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (!allowed.contains(key)) {
      return At(entry.first.Mark(), "unknown key `" + key + "` in " + where);
    }
  }
  return Status::Ok();
}

Status ReadMarket(const YAML::Node& market_node, const Market& market, Scenario& scenario) {
  if (!market_node.IsSequence()) return At(market_node.Mark(), "market must be a list");
  static const std::set<std::string> kKeys = {
      "zone", "instance_type", "price", "capacity", "fail_next_launches", "launch_failure_rate"};
  for (const YAML::Node& entry : market_node) {
    if (!entry.IsMap()) return At(entry.Mark(), "a market entry must be a mapping");
    if (Status status = CheckKeys(entry, kKeys, "a market entry"); !status.ok()) return status;
    OfferChange change;
    bool any_value = false;
    if (Status status = ReadOfferFields(entry, market, change, any_value); !status.ok()) {
      return status;
    }
    if (change.zone.empty() || change.instance_type.empty()) {
      return At(entry.Mark(), "a market entry needs zone and instance_type");
    }
    scenario.market.push_back(std::move(change));
  }
  return Status::Ok();
}

Status ReadEvent(const YAML::Node& entry, const Market& market, Scenario& scenario) {
  if (!entry.IsMap()) return At(entry.Mark(), "an event must be a mapping");
  static const std::set<std::string> kKeys = {
      "at_tick",  "zone",    "instance_type",      "price",
      "capacity", "reclaim", "fail_next_launches", "launch_failure_rate"};
  if (Status status = CheckKeys(entry, kKeys, "an event"); !status.ok()) return status;
  if (!entry["at_tick"]) return At(entry.Mark(), "an event needs at_tick");
  Result<int64_t> at_tick = Integer(entry["at_tick"], "at_tick", 1);
  if (!at_tick.ok()) return at_tick.error();
  ScenarioEvent event;
  event.at_tick = *at_tick;
  OfferChange change;
  bool any_value = false;
  if (Status status = ReadOfferFields(entry, market, change, any_value); !status.ok()) {
    return status;
  }
  if (const YAML::Node reclaim = entry["reclaim"]) {
    if (any_value) return At(reclaim.Mark(), "an event either reclaims or changes the market");
    if (reclaim.IsSequence()) {
      for (const YAML::Node& id : reclaim) {
        Result<std::string> text = Text(id, "reclaim id");
        if (!text.ok()) return text.error();
        if (!IsWellFormedId(*text, "ins")) return At(id.Mark(), "malformed instance id " + *text);
        event.reclaim_ids.push_back(*text);
      }
    } else {
      Result<int64_t> count = Integer(reclaim, "reclaim", 1);
      if (!count.ok()) return count.error();
      event.reclaim_count = *count;
    }
    event.zone = change.zone;
    event.instance_type = change.instance_type;
  } else {
    if (!any_value) {
      return At(entry.Mark(), "an event needs reclaim, or price/capacity/launch failures");
    }
    if (change.zone.empty() || change.instance_type.empty()) {
      return At(entry.Mark(), "a market event needs zone and instance_type");
    }
    event.offer = std::move(change);
  }
  scenario.events.push_back(std::move(event));
  return Status::Ok();
}

// `spot_quota: N` (every zone) or `spot_quota: {ZONE: N, ...}`; N is vCPUs, >= 0.
Status ReadSpotQuota(const YAML::Node& node, const Market& market, Scenario& scenario) {
  if (node.IsScalar()) {
    Result<int64_t> vcpus = Integer(node, "spot_quota", 0);
    if (!vcpus.ok()) return vcpus.error();
    scenario.spot_quota = *vcpus;
    return Status::Ok();
  }
  if (!node.IsMap()) {
    return At(node.Mark(), "spot_quota must be a number of vCPUs or a mapping zone: vCPUs");
  }
  for (const auto& entry : node) {
    Result<std::string> zone = Text(entry.first, "spot_quota zone");
    if (!zone.ok()) return zone.error();
    if (!market.RegionOfZone(*zone)) return At(entry.first.Mark(), "unknown zone " + *zone);
    Result<int64_t> vcpus = Integer(entry.second, "spot_quota of " + *zone, 0);
    if (!vcpus.ok()) return vcpus.error();
    scenario.zone_spot_quota[*zone] = *vcpus;
  }
  return Status::Ok();
}

Status ReadMinCount(const YAML::Node& node, Scenario& scenario) {
  Result<std::string> value = Text(node, "min_count");
  if (!value.ok()) return value.error();
  if (*value == "supported") {
    scenario.min_count = MinCountSupport::kSupported;
  } else if (*value == "unsupported") {
    scenario.min_count = MinCountSupport::kUnsupported;
  } else {
    return At(node.Mark(), "min_count must be supported or unsupported");
  }
  return Status::Ok();
}

Result<Scenario> Parse(const YAML::Node& root, const Market& market) {
  Scenario scenario;
  if (root.IsNull()) return scenario;
  if (!root.IsMap()) return At(root.Mark(), "a scenario must be a mapping");
  if (Status status = CheckKeys(root,
                                {"launch_failure_rate", "create_ticks", "busy_ticks", "spot_quota",
                                 "min_count", "market", "events"},
                                "a scenario");
      !status.ok()) {
    return status.error();
  }
  if (const YAML::Node rate = root["launch_failure_rate"]) {
    Result<double> value = Number(rate, "launch_failure_rate");
    if (!value.ok()) return value.error();
    if (*value < 0 || *value > 1) {
      return At(rate.Mark(), "launch_failure_rate must be in [0, 1]");
    }
    scenario.launch_failure_rate = *value;
  }
  if (const YAML::Node ticks = root["create_ticks"]) {
    Result<int64_t> value = TickCount(ticks, "create_ticks", 1);
    if (!value.ok()) return value.error();
    scenario.create_ticks = *value;
  }
  if (const YAML::Node ticks = root["busy_ticks"]) {
    Result<int64_t> value = TickCount(ticks, "busy_ticks", 0);
    if (!value.ok()) return value.error();
    scenario.busy_ticks = *value;
  }
  if (const YAML::Node quota = root["spot_quota"]) {
    if (Status status = ReadSpotQuota(quota, market, scenario); !status.ok()) {
      return status.error();
    }
  }
  if (const YAML::Node min_count = root["min_count"]) {
    if (Status status = ReadMinCount(min_count, scenario); !status.ok()) return status.error();
  }
  if (const YAML::Node market_node = root["market"]) {
    if (Status status = ReadMarket(market_node, market, scenario); !status.ok()) {
      return status.error();
    }
  }
  if (const YAML::Node events = root["events"]) {
    if (!events.IsSequence()) return At(events.Mark(), "events must be a list");
    for (const YAML::Node& entry : events) {
      if (Status status = ReadEvent(entry, market, scenario); !status.ok()) return status.error();
    }
  }
  std::stable_sort(
      scenario.events.begin(), scenario.events.end(),
      [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.at_tick < b.at_tick; });
  return scenario;
}

}  // namespace

Result<Scenario> ParseScenario(const std::string& yaml_text, const Market& market) {
  try {
    return Parse(YAML::Load(yaml_text), market);
  } catch (const YAML::Exception& error) {
    return At(error.mark, error.msg);
  }
}

}  // namespace spotform::sim
