#include "providers/sim/request_params.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <set>

namespace spotform::sim {

using nlohmann::json;

Error ApiError(const std::string& code, const std::string& message) {
  ErrorKind kind = ErrorKind::kInvalidInput;
  if (code == "InvalidParameterValue.InsufficientPrice" ||
      code == "InvalidParameterValue.InsufficientOffering" ||
      code == "ResourceUnavailable.InstanceType" || code.starts_with("LimitExceeded") ||
      code.starts_with("ResourceInsufficient")) {
    kind = ErrorKind::kCapacity;
  } else if (code.find("NotFound") != std::string::npos) {
    kind = ErrorKind::kNotFound;
  } else if (code == "UnsupportedOperation.ComputeEnvAcceptOtherRequest") {
    kind = ErrorKind::kRetryable;
  } else if (code.starts_with("UnsupportedOperation")) {
    kind = ErrorKind::kConflict;
  } else if (code == "InternalError") {
    kind = ErrorKind::kInternal;
  }
  return Error(kind, message, code);
}

namespace {

const json* Field(const json& params, const char* name) {
  if (!params.is_object()) return nullptr;
  auto it = params.find(name);
  if (it == params.end() || it->is_null()) return nullptr;
  return &*it;
}

Error WrongType(const char* name, const char* type) {
  return ApiError("InvalidParameter", std::string("parameter `") + name + "` must be " + type);
}

}  // namespace

Result<std::optional<std::string>> OptString(const json& params, const char* name) {
  const json* value = Field(params, name);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return WrongType(name, "a string");
  return std::optional<std::string>(value->get_ref<const std::string&>());
}

Result<std::optional<int64_t>> OptInt(const json& params, const char* name) {
  const json* value = Field(params, name);
  if (value == nullptr) return std::optional<int64_t>();
  if (value->is_number_unsigned()) {
    uint64_t number = value->get<uint64_t>();
    if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return ApiError("InvalidParameterValue",
                      std::string("parameter `") + name + "` is out of range");
    }
    return std::optional<int64_t>(static_cast<int64_t>(number));
  }
  if (value->is_number_integer()) return std::optional<int64_t>(value->get<int64_t>());
  return WrongType(name, "an integer");
}

Result<std::optional<bool>> OptBool(const json& params, const char* name) {
  const json* value = Field(params, name);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return WrongType(name, "a boolean");
  return std::optional<bool>(value->get<bool>());
}

Result<const json*> OptObject(const json& params, const char* name) {
  const json* value = Field(params, name);
  if (value != nullptr && !value->is_object()) return WrongType(name, "an object");
  return value;
}

Result<const json*> OptArray(const json& params, const char* name) {
  const json* value = Field(params, name);
  if (value != nullptr && !value->is_array()) return WrongType(name, "an array");
  return value;
}

Result<std::vector<std::string>> StringArray(const json& params, const char* name) {
  Result<const json*> array = OptArray(params, name);
  if (!array.ok()) return array.error();
  std::vector<std::string> out;
  if (*array == nullptr) return out;
  for (const json& item : **array) {
    if (!item.is_string()) return WrongType(name, "an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::string> RequiredString(const json& params, const char* name,
                                   const std::string& field_path) {
  Result<std::optional<std::string>> value = OptString(params, name);
  if (!value.ok()) return value.error();
  if (!value->has_value() || (*value)->empty()) {
    return ApiError("MissingParameter",
                    "the request is missing required parameter `" + field_path + "`");
  }
  return **value;
}

bool IsWellFormedId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 9 || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '-') {
    return false;
  }
  for (char c : id.substr(prefix.size() + 1)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Result<Paging> ReadPaging(const json& params, const std::string& range_code,
                          const std::string& limit_code) {
  Paging paging;
  Result<std::optional<int64_t>> offset = OptInt(params, "Offset");
  if (!offset.ok()) return offset.error();
  Result<std::optional<int64_t>> limit = OptInt(params, "Limit");
  if (!limit.ok()) return limit.error();
  if (offset->has_value()) paging.offset = **offset;
  if (limit->has_value()) paging.limit = **limit;
  if (paging.offset < 0) return ApiError(range_code, "Offset must not be negative");
  if (paging.limit < 0) return ApiError(range_code, "Limit must not be negative");
  if (paging.limit > 100) return ApiError(limit_code, "Limit must be at most 100");
  return paging;
}

Result<std::vector<Tag>> ReadTags(const json& tags, const std::string& invalid_code,
                                  const std::string& duplicate_code) {
  std::vector<Tag> out;
  if (tags.is_null()) return out;
  if (!tags.is_array()) return ApiError("InvalidParameter", "Tags must be an array");
  std::set<std::string> keys;
  for (const json& item : tags) {
    if (!item.is_object()) return ApiError("InvalidParameter", "a tag must be an object");
    Result<std::optional<std::string>> key = OptString(item, "Key");
    if (!key.ok()) return key.error();
    Result<std::optional<std::string>> value = OptString(item, "Value");
    if (!value.ok()) return value.error();
    if (!key->has_value() || (*key)->empty()) {
      return ApiError(invalid_code, "a tag needs a non-empty Key");
    }
    if ((*key)->size() > 127 || value->value_or("").size() > 255) {
      return ApiError(invalid_code, "tag key or value too long: " + **key);
    }
    if (!keys.insert(**key).second) {
      return ApiError(duplicate_code, "duplicate tag key: " + **key);
    }
    out.push_back(Tag{**key, value->value_or("")});
  }
  return out;
}

json TagsToJson(const std::vector<Tag>& tags) {
  json out = json::array();
  for (const Tag& tag : tags) out.push_back({{"Key", tag.key}, {"Value", tag.value}});
  return out;
}

std::optional<double> ParseDecimal(const std::string& text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  bool seen_dot = false;
  size_t digits = 0;
  for (char c : text) {
    if (c == '.') {
      if (seen_dot || digits == 0) return std::nullopt;
      seen_dot = true;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (text.back() == '.') return std::nullopt;
  return std::strtod(text.c_str(), nullptr);
}

std::string FormatIsoTime(int64_t unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

}  // namespace spotform::sim
