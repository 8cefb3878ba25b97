#include "providers/sim/cvm_queries.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <utility>

#include "providers/sim/cvm_launch.h"
#include "providers/sim/filters.h"
#include "providers/sim/instance_view.h"
#include "providers/sim/request_params.h"

namespace spotform::sim {

using nlohmann::json;

namespace {

constexpr size_t kMaxIds = 100;

const FilterRules& InstanceFilterRules() {
  static const FilterRules kRules = [] {
    FilterRules rules;
    rules.names = {"zone",
                   "project-id",
                   "host-id",
                   "dedicated-cluster-id",
                   "vpc-id",
                   "subnet-id",
                   "instance-id",
                   "uuid",
                   "security-group-id",
                   "instance-name",
                   "instance-charge-type",
                   "instance-state",
                   "private-ip-address",
                   "public-ip-address",
                   "ipv6-address",
                   "tag-key",
                   "tag-value",
                   "creation-start-time",
                   "creation-end-time"};
    rules.allow_tag_key_prefix = true;
    return rules;
  }();
  return kRules;
}

// "YYYY-MM-DD hh:mm:ss" (UTC) -> unix seconds.
std::optional<int64_t> ParseFilterTime(const std::string& text) {
  std::tm parts{};
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%c", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &tail) != 6) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&parts));
}

Status CheckFilterValues(const std::vector<Filter>& filters) {
  for (const Filter& filter : filters) {
    if (filter.name != "creation-start-time" && filter.name != "creation-end-time") continue;
    for (const std::string& value : filter.values) {
      if (!ParseFilterTime(value)) {
        return ApiError(
            "InvalidParameterValue.InvalidTimeFormat",
            "filter `" + filter.name + "` value `" + value + "` is not like 2023-06-01 00:00:00");
      }
    }
  }
  return Status::Ok();
}

bool MatchesFilter(const Instance& instance, const Filter& filter) {
  const std::string& name = filter.name;
  if (IsTagFilter(name)) return MatchesTags(filter, instance.tags);
  if (name == "zone") return MatchesValue(filter, instance.zone);
  if (name == "instance-id") return MatchesValue(filter, instance.id);
  if (name == "instance-state") return MatchesValue(filter, InstanceStateName(instance.state));
  if (name == "instance-charge-type") {
    return MatchesValue(filter, ChargeTypeName(instance.charge_type));
  }
  if (name == "instance-name") {  // fuzzy, like the console: a substring matches
    return std::any_of(filter.values.begin(), filter.values.end(), [&](const std::string& v) {
      return instance.name.find(v) != std::string::npos;
    });
  }
  if (name == "project-id") return MatchesValue(filter, std::to_string(instance.project_id));
  if (name == "vpc-id") return MatchesValue(filter, instance.vpc_id);
  if (name == "subnet-id") return MatchesValue(filter, instance.subnet_id);
  if (name == "security-group-id") {
    return std::any_of(instance.security_group_ids.begin(), instance.security_group_ids.end(),
                       [&](const std::string& group) { return MatchesValue(filter, group); });
  }
  if (name == "private-ip-address") return MatchesValue(filter, PrivateIpOf(instance));
  if (name == "public-ip-address") {
    return instance.public_ip && MatchesValue(filter, PublicIpOf(instance));
  }
  if (name == "uuid") {
    return MatchesValue(filter, UuidOf(instance));
  }
  if (name == "creation-start-time" || name == "creation-end-time") {
    bool start = name == "creation-start-time";
    return std::any_of(filter.values.begin(), filter.values.end(), [&](const std::string& v) {
      int64_t bound = ParseFilterTime(v).value_or(0);
      return start ? instance.created_unix >= bound : instance.created_unix <= bound;
    });
  }
  return false;  // host-id, dedicated-cluster-id, ipv6-address: no emulated instance has one
}

bool MatchesAll(const Instance& instance, const std::vector<Filter>& filters) {
  return std::all_of(filters.begin(), filters.end(),
                     [&](const Filter& filter) { return MatchesFilter(instance, filter); });
}

Result<std::vector<std::string>> ReadInstanceIds(const json& params) {
  Result<std::vector<std::string>> ids = StringArray(params, "InstanceIds");
  if (!ids.ok()) return ids.error();
  if (ids->size() > kMaxIds) {
    return ApiError("InvalidParameterValue.LimitExceeded", "at most 100 InstanceIds per request");
  }
  for (const std::string& id : *ids) {
    if (!IsWellFormedId(id, "ins")) {
      return ApiError("InvalidInstanceId.Malformed", "malformed instance id: " + id);
    }
  }
  return ids;
}

// Live instances of `region` named by `ids`, deduplicated, in request order. At most 100 ids
// come in, so a linear duplicate check beats hashing every id a second time.
std::vector<const Instance*> LookUp(const SimWorld& world, const std::vector<std::string>& ids,
                                    const std::string& region) {
  std::vector<const Instance*> found;
  found.reserve(ids.size());
  for (const std::string& id : ids) {
    const Instance* instance = world.FindInstance(id);
    if (instance != nullptr && instance->region == region &&
        std::find(found.begin(), found.end(), instance) == found.end()) {
      found.push_back(instance);
    }
  }
  return found;
}

// The [begin, end) indexes of the page `paging` selects out of `count` matches.
std::pair<size_t, size_t> PageRange(size_t count, const Paging& paging) {
  size_t begin = static_cast<size_t>(std::min<int64_t>(paging.offset, count));
  size_t end = std::min(count, begin + static_cast<size_t>(paging.limit));
  return {begin, end};
}

// Candidates for a listing with `tag:KEY` filters, from the tag index: the instances of the
// tag filter that selects the fewest, in creation order. Nullopt when no tag filter selects
// fewer than every instance (the caller then scans them all). Each candidate still has to
// pass every filter.
std::optional<std::vector<const Instance*>> TaggedCandidates(const SimWorld& world,
                                                             const std::vector<Filter>& filters) {
  using Tagged = std::map<uint64_t, Instance*>;
  std::vector<const Tagged*> best;
  size_t best_size = world.instance_count();
  bool found = false;
  for (const Filter& filter : filters) {
    if (!filter.name.starts_with("tag:")) continue;
    const std::string key = filter.name.substr(4);
    std::vector<const Tagged*> sets;
    size_t size = 0;
    for (const std::string& value : filter.values) {
      const Tagged* tagged = world.InstancesTagged(key, value);
      if (tagged == nullptr || std::find(sets.begin(), sets.end(), tagged) != sets.end()) continue;
      sets.push_back(tagged);
      size += tagged->size();
    }
    if (size < best_size || (size == 0 && !found)) {
      best = std::move(sets);
      best_size = size;
      found = true;
    }
  }
  if (!found) return std::nullopt;
  std::vector<const Instance*> candidates;
  candidates.reserve(best_size);
  for (const Tagged* tagged : best) {
    for (const auto& [seq, instance] : *tagged) candidates.push_back(instance);
  }
  // An instance has one value per key, so the sets are disjoint: only their order is merged.
  if (best.size() > 1) {
    std::sort(candidates.begin(), candidates.end(),
              [](const Instance* a, const Instance* b) { return a->seq < b->seq; });
  }
  return candidates;
}

json Page(const std::vector<const Instance*>& matches, const Paging& paging,
          const std::function<json(const Instance&)>& view) {
  json set = json::array();
  const auto [begin, end] = PageRange(matches.size(), paging);
  for (size_t i = begin; i < end; ++i) set.push_back(view(*matches[i]));
  return set;
}

}  // namespace

const char* StockCategory(int64_t free_capacity) {
  if (free_capacity >= 100) return "EnoughStock";
  if (free_capacity >= 20) return "NormalStock";
  if (free_capacity > 0) return "UnderStock";
  return "WithoutStock";
}

Result<ApiReply> DescribeInstances(SimWorld& world, const CallContext& context,
                                   const json& params) {
  if (Status status = CheckRegion(context.region, world.market()); !status.ok()) {
    return status.error();
  }
  Result<std::vector<std::string>> ids = ReadInstanceIds(params);
  if (!ids.ok()) return ids.error();
  Result<const json*> raw_filters = OptArray(params, "Filters");
  if (!raw_filters.ok()) return raw_filters.error();
  if (!ids->empty() && *raw_filters != nullptr && !(*raw_filters)->empty()) {
    return ApiError("InvalidParameter",
                    "InstanceIds and Filters cannot be specified at the same time");
  }
  Result<std::vector<Filter>> filters = ParseFilters(*raw_filters, InstanceFilterRules());
  if (!filters.ok()) return filters.error();
  if (Status status = CheckFilterValues(*filters); !status.ok()) return status.error();
  Result<Paging> paging =
      ReadPaging(params, "InvalidParameterValue", "InvalidParameterValue.LimitExceeded");
  if (!paging.ok()) return paging.error();

  std::vector<const Instance*> matches;
  auto id_filter = std::find_if(filters->begin(), filters->end(),
                                [](const Filter& f) { return f.name == "instance-id"; });
  if (!ids->empty()) {
    matches = LookUp(world, *ids, context.region);
  } else if (id_filter != filters->end()) {  // no scan: candidates come from the hash map
    matches = LookUp(world, id_filter->values, context.region);
    std::erase_if(matches, [&](const Instance* i) { return !MatchesAll(*i, *filters); });
    std::sort(matches.begin(), matches.end(),
              [](const Instance* a, const Instance* b) { return a->seq < b->seq; });
  } else if (std::optional<std::vector<const Instance*>> tagged =
                 TaggedCandidates(world, *filters)) {  // no scan: the tag index
    for (const Instance* instance : *tagged) {
      if (instance->region == context.region && MatchesAll(*instance, *filters)) {
        matches.push_back(instance);
      }
    }
  } else {
    for (const auto& [seq, instance] : world.instances_in_order()) {
      if (instance->region == context.region && MatchesAll(*instance, *filters)) {
        matches.push_back(instance);
      }
    }
  }
  ApiReply reply(json{{"TotalCount", matches.size()}});
  reply.spliced_key = "InstanceSet";
  const auto [begin, end] = PageRange(matches.size(), *paging);
  reply.spliced.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) reply.spliced.push_back(world.DescribeText(*matches[i]));
  return reply;
}

Result<json> DescribeInstancesStatus(SimWorld& world, const CallContext& context,
                                     const json& params) {
  if (Status status = CheckRegion(context.region, world.market()); !status.ok()) {
    return status.error();
  }
  Result<std::vector<std::string>> ids = ReadInstanceIds(params);
  if (!ids.ok()) return ids.error();
  Result<Paging> paging =
      ReadPaging(params, "InvalidParameterValue", "InvalidParameterValue.LimitExceeded");
  if (!paging.ok()) return paging.error();
  std::vector<const Instance*> matches;
  if (!ids->empty()) {
    matches = LookUp(world, *ids, context.region);
  } else {
    for (const auto& [seq, instance] : world.instances_in_order()) {
      if (instance->region == context.region) matches.push_back(instance);
    }
  }
  json set = Page(matches, *paging, [](const Instance& instance) {
    return json{{"InstanceId", instance.id}, {"InstanceState", InstanceStateName(instance.state)}};
  });
  return json{{"TotalCount", matches.size()}, {"InstanceStatusSet", std::move(set)}};
}

Result<json> DescribeZoneInstanceConfigInfos(SimWorld& world, const CallContext& context,
                                             const json& params) {
  const Market& market = world.market();
  if (Status status = CheckRegion(context.region, market); !status.ok()) return status.error();
  FilterRules rules;
  rules.names = {"zone", "instance-family", "instance-type", "instance-charge-type", "sort-keys"};
  rules.max_values = 100;
  Result<const json*> raw_filters = OptArray(params, "Filters");
  if (!raw_filters.ok()) return raw_filters.error();
  Result<std::vector<Filter>> filters = ParseFilters(*raw_filters, rules);
  if (!filters.ok()) return filters.error();

  auto passes = [&](const std::string& name, const std::string& value) {
    for (const Filter& filter : *filters) {
      if (filter.name == name && !MatchesValue(filter, value)) return false;
    }
    return true;
  };
  json set = json::array();
  for (const auto& [key, offer] : market.offers()) {
    const auto& [zone, type_name] = key;
    const InstanceTypeInfo* type = market.FindType(type_name);
    if (type == nullptr || market.RegionOfZone(zone) != context.region) continue;
    if (!passes("zone", zone) || !passes("instance-type", type_name) ||
        !passes("instance-family", type->family)) {
      continue;
    }
    for (ChargeType charge : {ChargeType::kPostpaidByHour, ChargeType::kSpotPaid}) {
      if (!passes("instance-charge-type", ChargeTypeName(charge))) continue;
      double paid = charge == ChargeType::kSpotPaid ? offer.price : type->list_price;
      double discount =
          type->list_price > 0 ? std::round(paid / type->list_price * 1000.0) / 10.0 : 100.0;
      int64_t free = offer.Free();
      set.push_back({{"Zone", zone},
                     {"InstanceType", type_name},
                     {"InstanceChargeType", ChargeTypeName(charge)},
                     {"NetworkCard", 25},
                     {"Externals", json::object()},
                     {"Cpu", type->cpu},
                     {"Memory", type->memory_gb},
                     {"InstanceFamily", type->family},
                     {"TypeName", type->type_name},
                     {"LocalDiskTypeList", json::array()},
                     {"Status", free > 0 ? "SELL" : "SOLD_OUT"},
                     {"Price",
                      {{"UnitPrice", type->list_price},
                       {"UnitPriceDiscount", paid},
                       {"Discount", discount},
                       {"ChargeUnit", "HOUR"}}},
                     {"SoldOutReason", free > 0 ? "" : "spot stock exhausted"},
                     {"InstanceBandwidth", 1.5 * static_cast<double>(type->cpu)},
                     {"InstancePps", 25 * type->cpu},
                     {"StorageBlockAmount", 0},
                     {"CpuType", "Intel Xeon Cascade Lake 8255C(2.5 GHz/3.1 GHz)"},
                     {"Gpu", 0},
                     {"Fpga", 0},
                     {"Remark", ""},
                     {"GpuCount", 0},
                     {"Frequency", "2.5/3.1GHz"},
                     {"StatusCategory", StockCategory(free)}});
    }
  }
  return json{{"InstanceTypeQuotaSet", std::move(set)}};
}

}  // namespace spotform::sim
