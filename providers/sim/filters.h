#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/model/result.h"
#include "providers/sim/sim_types.h"

namespace spotform::sim {

// One `{Name, Values}` filter. Different filters AND, values within one filter OR.
struct Filter {
  std::string name;
  std::vector<std::string> values;
};

// What a Describe action accepts and which codes it answers.
struct FilterRules {
  std::vector<std::string> names;  // accepted names, besides `tag:KEY` when allowed
  bool allow_tag_key_prefix = false;
  size_t max_filters = 10;
  size_t max_values = 5;
  std::string unknown_name_code = "InvalidFilter";
  std::string too_many_values_code = "InvalidFilterValue.LimitExceeded";
  std::string too_many_filters_code = "InvalidParameterValue.LimitExceeded";
};

// Parses a Filters array (null/absent -> no filters).
Result<std::vector<Filter>> ParseFilters(const nlohmann::json* filters, const FilterRules& rules);
// Parses one Filter object (DescribeComputeEnvActivities' `Filters`).
Result<Filter> ParseFilter(const nlohmann::json& item, const FilterRules& rules);

bool MatchesValue(const Filter& filter, const std::string& value);
// True if `name` is tag-key, tag-value or tag:KEY.
bool IsTagFilter(const std::string& name);
// tag-key: some tag has one of the keys; tag-value: some tag has one of the values;
// tag:KEY: the KEY tag has one of the values.
bool MatchesTags(const Filter& filter, const std::vector<Tag>& tags);

}  // namespace spotform::sim
