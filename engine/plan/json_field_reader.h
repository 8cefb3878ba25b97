#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace spotform {

// The JSON value type of the saved plan's body (plan_codec.h).
using PlanJson = nlohmann::ordered_json;

// Reads typed fields out of JSON objects, remembering the first problem with its path.
// After a failure every read returns a default value, so decoding code reads straight
// through and checks failed() at the end. Never throws: each value's type is checked before
// it is read. Used by the saved plan's decoders (plan_codec.cc, market_codec.cc); a reader
// belongs to one decode.
class FieldReader {
 public:
  bool failed() const { return error_.has_value(); }
  const std::string& error() const { return *error_; }

  void Fail(const std::string& path, const std::string& problem) {
    if (!error_) error_ = path + ": " + problem;
  }

  // The member `key` of `object` (at `path`), or nullptr after recording it missing.
  const PlanJson* Member(const PlanJson& object, const std::string& path, const std::string& key) {
    if (failed()) return nullptr;
    if (!object.is_object()) {
      Fail(path, "expected an object");
      return nullptr;
    }
    auto it = object.find(key);
    if (it == object.end()) {
      Fail(Join(path, key), "missing");
      return nullptr;
    }
    return &*it;
  }

  std::string String(const PlanJson& object, const std::string& path, const std::string& key) {
    const PlanJson* value = Member(object, path, key);
    return value ? AsString(*value, Join(path, key)) : "";
  }

  std::string AsString(const PlanJson& value, const std::string& path) {
    if (failed()) return "";
    if (!value.is_string()) {
      Fail(path, "expected a string");
      return "";
    }
    return value.get<std::string>();
  }

  int64_t Int64(const PlanJson& object, const std::string& path, const std::string& key) {
    return Integer(object, path, key, std::numeric_limits<int64_t>::max());
  }

  int Int(const PlanJson& object, const std::string& path, const std::string& key) {
    return static_cast<int>(Integer(object, path, key, std::numeric_limits<int>::max()));
  }

  bool Bool(const PlanJson& object, const std::string& path, const std::string& key) {
    const PlanJson* value = Member(object, path, key);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      Fail(Join(path, key), "expected true or false");
      return false;
    }
    return value->get<bool>();
  }

  // A number (integer or not), or 0 after recording the problem.
  double Double(const PlanJson& object, const std::string& path, const std::string& key) {
    const PlanJson* value = Member(object, path, key);
    if (value == nullptr) return 0;
    if (!value->is_number()) {
      Fail(Join(path, key), "expected a number");
      return 0;
    }
    return value->get<double>();
  }

  // True when `object` is an object holding `key` (no failure either way): for members that
  // older files do not have.
  static bool Has(const PlanJson& object, const std::string& key) {
    return object.is_object() && object.contains(key);
  }

  // The array member `key`, or nullptr (and a failure) when missing or not an array.
  const PlanJson* Array(const PlanJson& object, const std::string& path, const std::string& key) {
    const PlanJson* value = Member(object, path, key);
    if (value != nullptr && !value->is_array()) {
      Fail(Join(path, key), "expected an array");
      return nullptr;
    }
    return value;
  }

  std::vector<std::string> Strings(const PlanJson& object, const std::string& path,
                                   const std::string& key) {
    std::vector<std::string> out;
    const PlanJson* array = Array(object, path, key);
    if (array == nullptr) return out;
    for (size_t i = 0; i < array->size(); ++i) {
      out.push_back(AsString((*array)[i], Index(Join(path, key), i)));
    }
    return out;
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string Index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  int64_t Integer(const PlanJson& object, const std::string& path, const std::string& key,
                  int64_t max) {
    const PlanJson* value = Member(object, path, key);
    if (value == nullptr) return 0;
    if (!value->is_number_integer()) {
      Fail(Join(path, key), "expected an integer");
      return 0;
    }
    if (value->is_number_unsigned() ? value->get<uint64_t>() > static_cast<uint64_t>(max)
                                    : value->get<int64_t>() < -max) {
      Fail(Join(path, key), "out of range");
      return 0;
    }
    return value->get<int64_t>();
  }

  std::optional<std::string> error_;
};

}  // namespace spotform
