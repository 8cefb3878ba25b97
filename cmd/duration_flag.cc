#include "cmd/duration_flag.h"

#include <cctype>

namespace spotform {

namespace {

constexpr long long kMaxTotalMs = 1'000'000'000LL * 3'600'000;

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  const Error bad(ErrorKind::kInvalidInput,
                  "invalid duration \"" + text + "\": use a form like 30s, 10m, 1h30m or 500ms");
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.empty()) return bad;
  long long total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return bad;
    long long number = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000'000LL) return bad;
    }
    std::string unit;
    for (; i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])); ++i) {
      unit += text[i];
    }
    if (unit == "h") {
      total_ms += number * 3'600'000;
    } else if (unit == "m") {
      total_ms += number * 60'000;
    } else if (unit == "s") {
      total_ms += number * 1'000;
    } else if (unit == "ms") {
      total_ms += number;
    } else {
      return bad;
    }
    // What one group may be (a billion hours) bounds the sum too, so many groups cannot
    // overflow it, nor a deadline of now + the duration.
    if (total_ms > kMaxTotalMs) return bad;
  }
  return std::chrono::milliseconds(total_ms);
}

}  // namespace spotform
