#include "engine/apply/backoff.h"

#include <algorithm>

namespace spotform {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap)
    : base_(std::max(base, std::chrono::milliseconds(1))), cap_(std::max(cap, base_)) {}

std::chrono::milliseconds Backoff::Failed(const std::string& key, Clock::SteadyTime now) {
  Entry& entry = entries_[key];
  ++entry.failures;
  std::chrono::milliseconds delay = base_;
  for (int i = 0; i < entry.failures && delay < cap_; ++i) delay *= 2;
  delay = std::min(delay, cap_);
  entry.next_try = now + delay;
  return delay;
}

void Backoff::Succeeded(const std::string& key) { entries_.erase(key); }

bool Backoff::Due(const std::string& key, Clock::SteadyTime now) const {
  auto it = entries_.find(key);
  return it == entries_.end() || now >= it->second.next_try;
}

int Backoff::Failures(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : it->second.failures;
}

std::string FormatDelay(std::chrono::milliseconds delay) {
  const long long ms = delay.count();
  if (ms < 1000) return std::to_string(std::max(ms, 0LL)) + "ms";
  long long seconds = ms / 1000;
  const long long rest_ms = ms % 1000;
  const long long hours = seconds / 3600;
  const long long minutes = (seconds % 3600) / 60;
  seconds %= 60;
  std::string out;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (minutes > 0) out += std::to_string(minutes) + "m";
  if (seconds > 0 || rest_ms > 0 || out.empty()) {
    out += std::to_string(seconds);
    if (rest_ms > 0) {
      std::string fraction = std::to_string(rest_ms + 1000).substr(1);
      while (fraction.back() == '0') fraction.pop_back();
      out += "." + fraction;
    }
    out += "s";
  }
  return out;
}

}  // namespace spotform
