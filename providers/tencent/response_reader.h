#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/result.h"
#include "providers/tencent/api_caller.h"

namespace spotform {

// ResponseReader reads the fields of one JSON object of an API reply and turns every absent
// or mistyped field into an Error that names the action and the field's path, e.g.
// "DescribeInstances: response field InstanceSet[3].InstanceState missing" (kind kTransport,
// with the reply's RequestId). It never throws and never substitutes a default for a field
// that must be there. A reader points into the reply it was made from, which the caller owns
// and must keep alive while the reader (or a reader derived from it) is used.
class ResponseReader {
 public:
  // A reader of the whole reply of `action`.
  ResponseReader(std::string_view action, const ApiResponse& response);

  Result<std::string> String(std::string_view key) const;
  // For fields the API documents as nullable: "" when missing or null.
  Result<std::string> OptionalString(std::string_view key) const;
  // An integer (a JSON number without fraction).
  Result<int64_t> Int(std::string_view key) const;
  // Any JSON number.
  Result<double> Number(std::string_view key) const;
  Result<ResponseReader> Object(std::string_view key) const;
  // An array of objects, one reader per element (paths "Key[i]").
  Result<std::vector<ResponseReader>> Array(std::string_view key) const;
  // Like Array, but missing or null reads as empty (nullable lists such as Tags).
  Result<std::vector<ResponseReader>> OptionalArray(std::string_view key) const;
  Result<std::vector<std::string>> StringArray(std::string_view key) const;
  // Like StringArray, but missing or null reads as empty.
  Result<std::vector<std::string>> OptionalStringArray(std::string_view key) const;

  // An error about a field whose value is present but unusable, e.g. BadValue("CreatedTime",
  // "\"yesterday\" is not a time like 2026-01-01T00:00:00Z").
  Error BadValue(std::string_view key, std::string_view detail) const;

  // The path of this object inside the reply ("" for the reply itself).
  const std::string& path() const { return path_; }

 private:
  struct Origin {
    std::string action;
    std::string request_id;
  };
  ResponseReader(std::shared_ptr<const Origin> origin, const nlohmann::json* node,
                 std::string path);

  // The field `key`, or nullptr when absent (or when this node is not an object).
  const nlohmann::json* Find(std::string_view key) const;
  std::string PathOf(std::string_view key) const;
  Error Missing(std::string_view key) const;
  Error WrongType(const std::string& path, const nlohmann::json& value,
                  std::string_view expected) const;
  Result<std::vector<ResponseReader>> ReadArray(std::string_view key, bool optional) const;
  Result<std::vector<std::string>> ReadStringArray(std::string_view key, bool optional) const;

  std::shared_ptr<const Origin> origin_;
  const nlohmann::json* node_;
  std::string path_;
};

}  // namespace spotform
