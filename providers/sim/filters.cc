#include "providers/sim/filters.h"

#include <algorithm>
#include <string_view>

#include "providers/sim/request_params.h"

namespace spotform::sim {

using nlohmann::json;

Result<Filter> ParseFilter(const json& item, const FilterRules& rules) {
  if (!item.is_object()) return ApiError("InvalidParameter", "a filter must be an object");
  Result<std::optional<std::string>> name = OptString(item, "Name");
  if (!name.ok()) return name.error();
  if (!name->has_value() || (*name)->empty()) {
    return ApiError("MissingParameter", "the request is missing required parameter `Filters.Name`");
  }
  Filter filter;
  filter.name = **name;
  bool known = std::find(rules.names.begin(), rules.names.end(), filter.name) != rules.names.end();
  if (!known && rules.allow_tag_key_prefix && filter.name.starts_with("tag:") &&
      filter.name.size() > 4) {
    known = true;
  }
  if (!known) {
    return ApiError(rules.unknown_name_code, "filter name `" + filter.name + "` is not supported");
  }
  Result<std::vector<std::string>> values = StringArray(item, "Values");
  if (!values.ok()) return values.error();
  if (values->empty()) {
    return ApiError("MissingParameter",
                    "the request is missing required parameter `Filters.Values`");
  }
  if (values->size() > rules.max_values) {
    return ApiError(rules.too_many_values_code, "filter `" + filter.name + "` has more than " +
                                                    std::to_string(rules.max_values) + " values");
  }
  filter.values = std::move(*values);
  return filter;
}

Result<std::vector<Filter>> ParseFilters(const json* filters, const FilterRules& rules) {
  std::vector<Filter> out;
  if (filters == nullptr || filters->is_null()) return out;
  if (!filters->is_array()) return ApiError("InvalidParameter", "Filters must be an array");
  if (filters->size() > rules.max_filters) {
    return ApiError(rules.too_many_filters_code,
                    "at most " + std::to_string(rules.max_filters) + " filters are allowed");
  }
  for (const json& item : *filters) {
    Result<Filter> filter = ParseFilter(item, rules);
    if (!filter.ok()) return filter.error();
    out.push_back(std::move(*filter));
  }
  return out;
}

bool MatchesValue(const Filter& filter, const std::string& value) {
  return std::find(filter.values.begin(), filter.values.end(), value) != filter.values.end();
}

bool IsTagFilter(const std::string& name) {
  return name == "tag-key" || name == "tag-value" || name.starts_with("tag:");
}

bool MatchesTags(const Filter& filter, const std::vector<Tag>& tags) {
  for (const Tag& tag : tags) {
    if (filter.name == "tag-key" && MatchesValue(filter, tag.key)) return true;
    if (filter.name == "tag-value" && MatchesValue(filter, tag.value)) return true;
    if (filter.name.starts_with("tag:") && std::string_view(filter.name).substr(4) == tag.key &&
        MatchesValue(filter, tag.value)) {
      return true;
    }
  }
  return false;
}

}  // namespace spotform::sim
