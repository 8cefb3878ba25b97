#include "engine/model/words.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace spotform {

std::string Plural(long long n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string JoinIds(const std::vector<std::string>& ids, std::string_view separator) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += separator;
    out += id;
  }
  return out;
}

std::string ShortList(const std::vector<std::string>& ids, size_t limit) {
  if (ids.size() <= limit + 1) return JoinIds(ids);
  const std::vector<std::string> shown(ids.begin(), ids.begin() + static_cast<long>(limit));
  return JoinIds(shown) + ", ... and " + std::to_string(ids.size() - limit) + " more";
}

std::string FormatDuration(std::chrono::seconds duration) {
  const int64_t total = duration.count();
  const int64_t hours = total / 3600;
  const int64_t minutes = (total % 3600) / 60;
  const int64_t seconds = total % 60;
  std::string out;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (minutes > 0) out += std::to_string(minutes) + "m";
  if (seconds > 0 || out.empty()) out += std::to_string(seconds) + "s";
  return out;
}

std::string TimedOutAfter(std::chrono::nanoseconds timeout) {
  return "timed out after " +
         FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(timeout));
}

std::string FormatUtc(std::chrono::system_clock::time_point time, const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  return std::string(text, std::strftime(text, sizeof(text), format, &utc));
}

std::string FormatPrice(double price) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", std::round(price * 10000) / 10000);
  std::string out = buffer;
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace spotform
