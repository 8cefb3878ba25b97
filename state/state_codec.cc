#include "state/state_codec.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "engine/model/spec_json.h"

namespace spotform {
namespace {

Error Unreadable(const std::string& what, const std::string& why) {
  return Error(ErrorKind::kInvalidInput, what + " is unreadable: " + why);
}

// Whether `value` is a whole number an int holds.
bool FitsInt(const nlohmann::json& value) {
  constexpr int64_t kMin = std::numeric_limits<int>::min();
  constexpr int64_t kMax = std::numeric_limits<int>::max();
  if (value.is_number_unsigned()) return value.get<uint64_t>() <= static_cast<uint64_t>(kMax);
  return value.is_number_integer() && value.get<int64_t>() >= kMin && value.get<int64_t>() <= kMax;
}

}  // namespace

std::string EncodeSpec(const EnvironmentSpec& spec) {
  nlohmann::json json = SpecFieldsJson(spec);
  json["name"] = spec.name;
  // An invalid UTF-8 byte (a tag value in spotform.yaml) is written as U+FFFD: dump() would
  // throw.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<EnvironmentSpec> DecodeSpec(std::string_view json_text, const std::string& what) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    return Unreadable(what, "invalid JSON at byte " + std::to_string(e.byte));
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double's range: 7e908
    return Unreadable(what, "a number is out of range");
  }
  if (!json.is_object()) return Unreadable(what, "expected a JSON object");
  // Each member is checked before it is read, so nothing below throws.
  EnvironmentSpec spec;
  std::string mode;
  const std::pair<const char*, std::string*> strings[] = {{"name", &spec.name},
                                                          {"mode", &mode},
                                                          {"image_id", &spec.image_id},
                                                          {"max_price", &spec.max_price}};
  for (const auto& [key, out] : strings) {
    auto it = json.find(key);
    if (it == json.end()) return Unreadable(what, std::string(key) + ": missing");
    if (!it->is_string()) return Unreadable(what, std::string(key) + ": expected a string");
    *out = it->get<std::string>();
  }
  if (std::optional<std::string> problem = ReadPlacementFields(json, spec)) {
    return Unreadable(what, *problem);
  }
  if (mode == "cvm") {
    spec.mode = Mode::kCvm;
  } else if (mode == "batch") {
    spec.mode = Mode::kBatch;
  } else {
    return Unreadable(what, "unknown mode \"" + mode + "\"");
  }
  // Not get<int>(), which casts 2.5 or 2^40 without a word (and 1e300 with undefined behaviour).
  auto count = json.find("desired_count");
  if (count == json.end()) return Unreadable(what, "desired_count: missing");
  if (!FitsInt(*count)) return Unreadable(what, "desired_count: expected a whole number");
  spec.desired_count = static_cast<int>(count->get<int64_t>());
  auto tags = json.find("tags");
  if (tags == json.end() || !tags->is_object()) {
    return Unreadable(what, tags == json.end() ? "tags: missing" : "tags: expected an object");
  }
  for (const auto& [key, value] : tags->items()) {
    if (!value.is_string()) return Unreadable(what, "tags." + key + ": expected a string");
    spec.tags[key] = value.get<std::string>();
  }
  return spec;
}

int64_t EncodeTime(Clock::WallTime time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

Clock::WallTime DecodeTime(int64_t nanos) {
  return Clock::WallTime(
      std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::nanoseconds(nanos)));
}

std::string_view EncodeOrigin(InstanceOrigin origin) {
  return origin == InstanceOrigin::kImported ? "imported" : "created";
}

Result<InstanceOrigin> DecodeOrigin(std::string_view text, const std::string& what) {
  if (text == "created") return InstanceOrigin::kCreated;
  if (text == "imported") return InstanceOrigin::kImported;
  return Unreadable(what, "unknown origin \"" + std::string(text) + "\"");
}

std::string_view EncodeHoldKind(HoldKind kind) {
  return kind == HoldKind::kCooling ? "cooling" : "unavailable";
}

Result<HoldKind> DecodeHoldKind(std::string_view text, const std::string& what) {
  if (text == "unavailable") return HoldKind::kUnavailable;
  if (text == "cooling") return HoldKind::kCooling;
  return Unreadable(what, "unknown hold kind \"" + std::string(text) + "\"");
}

}  // namespace spotform
