#include "providers/tencent/wire_values.h"

#include <chrono>

#include "engine/model/cloud.h"

namespace spotform {

nlohmann::json EncodeTagList(const Tags& tags) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, value] : tags) list.push_back({{"Key", key}, {"Value", value}});
  return list;
}

Result<Tags> DecodeTagList(const ResponseReader& object, std::string_view key) {
  Result<std::vector<ResponseReader>> items = object.OptionalArray(key);
  if (!items.ok()) return items.error();
  Tags tags;
  for (const ResponseReader& item : *items) {
    Result<std::string> tag_key = item.String("Key");
    if (!tag_key.ok()) return tag_key.error();
    Result<std::string> tag_value = item.String("Value");
    if (!tag_value.ok()) return tag_value.error();
    tags[*tag_key] = *tag_value;
  }
  return tags;
}

nlohmann::json EncodeFilter(const std::string& name, const std::vector<std::string>& values) {
  return {{"Name", name}, {"Values", values}};
}

void AppendTagFilters(const Tags& tags, nlohmann::json& filters) {
  for (const auto& [key, value] : tags) filters.push_back(EncodeFilter("tag:" + key, {value}));
}

nlohmann::json EncodeSpotMarketOptions(const std::string& max_price) {
  return {{"MarketType", "spot"},
          {"SpotOptions", {{"MaxPrice", max_price}, {"SpotInstanceType", "one-time"}}}};
}

Result<Clock::WallTime> DecodeTime(const ResponseReader& object, std::string_view key) {
  Result<std::string> text = object.String(key);
  if (!text.ok()) return text.error();
  // The shape "dddd-dd-ddTdd:dd:ddZ", checked character by character.
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  bool shaped = text->size() == kShape.size();
  for (size_t i = 0; shaped && i < kShape.size(); ++i) {
    char c = (*text)[i];
    shaped = kShape[i] == 'd' ? (c >= '0' && c <= '9') : c == kShape[i];
  }
  auto number = [&](size_t at, size_t length) {
    int value = 0;
    for (size_t i = at; shaped && i < at + length; ++i) value = value * 10 + ((*text)[i] - '0');
    return value;
  };
  int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month(month),
                                   std::chrono::day(day)};
  if (!shaped || !date.ok() || hour > 23 || minute > 59 || second > 60) {
    return object.BadValue(key, "\"" + *text + "\" is not a UTC time like 2026-01-01T00:00:00Z");
  }
  // Clock::WallTime counts nanoseconds in an int64: years past 2261 would overflow it
  // (found by tests/fuzz/api_response_fuzzer).
  if (year < 1970 || year > 2261) {
    return object.BadValue(key, "\"" + *text + "\" is outside the years 1970 to 2261");
  }
  return Clock::WallTime(std::chrono::sys_days(date) + std::chrono::hours(hour) +
                         std::chrono::minutes(minute) + std::chrono::seconds(second));
}

Status CheckClientToken(const std::string& token) {
  if (token.empty()) return Error(ErrorKind::kInvalidInput, "ClientToken is required");
  if (token.size() > kMaxClientTokenLength) {
    return Error(ErrorKind::kInvalidInput,
                 "ClientToken is longer than " + std::to_string(kMaxClientTokenLength) + " bytes");
  }
  for (char c : token) {
    if (c < 0x21 || c > 0x7e) {
      return Error(ErrorKind::kInvalidInput, "ClientToken holds a non-printable or non-ASCII byte");
    }
  }
  return Status::Ok();
}

}  // namespace spotform
