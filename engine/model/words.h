#pragma once

#include <chrono>
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace spotform {

// Small helpers every text spotform prints is built with; the one home for each, so a wording
// is changed in one place.

// "1 instance", "3 instances".
std::string Plural(long long n, std::string_view one, std::string_view many);
template <std::integral N>
std::string Plural(N n, std::string_view one, std::string_view many) {
  return Plural(static_cast<long long>(n), one, many);
}

// "ins-a, ins-b, ins-c" (`separator` between items); "" for none.
std::string JoinIds(const std::vector<std::string>& ids, std::string_view separator = ", ");

// How many ids text output names before it says "and N more" (ShortList).
inline constexpr size_t kShortListLimit = 5;

// An id list for people: all of them while there are at most `limit` + 1 (hiding a single
// one saves nothing), else the first `limit` and the count of the rest:
// "ins-a, ins-b, ins-c, ins-d, ins-e, ... and 296 more". Text output shortens every id list
// with it; JSON output keeps the full list.
std::string ShortList(const std::vector<std::string>& ids, size_t limit = kShortListLimit);

// A price as people write it: at most four decimals, no trailing zeros ("0.12", "1.5", "2").
std::string FormatPrice(double price);

// "1h2m3s", "5m", "0s": the way durations are written in flags and messages.
std::string FormatDuration(std::chrono::seconds duration);

// "timed out after 5m": the start of every message about a wait that hit its --timeout.
std::string TimedOutAfter(std::chrono::nanoseconds timeout);

// `time` in UTC as strftime writes it with `format`: "%Y-%m-%dT%H:%M:%SZ" gives
// "2026-11-27T08:05:00Z" (at most 63 characters).
std::string FormatUtc(std::chrono::system_clock::time_point time, const char* format);

}  // namespace spotform
