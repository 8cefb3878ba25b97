#include "providers/sim/request_log.h"

#include <algorithm>
#include <utility>

namespace spotform::sim {
namespace {

constexpr char kMasked[] = "******";

// Replaces the value of every "Password" field (LoginSettings.Password and the like).
void MaskPasswords(nlohmann::json& value) {
  if (value.is_object()) {
    for (auto& [key, child] : value.items()) {
      if (key == "Password" && child.is_string()) {
        child = kMasked;
      } else {
        MaskPasswords(child);
      }
    }
  } else if (value.is_array()) {
    for (auto& child : value) MaskPasswords(child);
  }
}

nlohmann::json ToJson(const RequestLog::Entry& entry) {
  return nlohmann::json{{"seq", entry.seq},
                        {"time_ms", entry.time_ms},
                        {"action", entry.action},
                        {"params", entry.params},
                        {"error", entry.error ? nlohmann::json(*entry.error) : nullptr}};
}

}  // namespace

int64_t RequestLog::Append(int64_t time_ms, std::string action, nlohmann::json params,
                           std::optional<std::string> error) {
  MaskPasswords(params);
  Entry entry{0, time_ms, std::move(action), std::move(params), std::move(error)};
  std::lock_guard<std::mutex> lock(mutex_);
  entry.seq = next_seq_++;
  entries_.push_back(std::move(entry));
  return entries_.back().seq;
}

nlohmann::json RequestLog::Since(int64_t since) const {
  nlohmann::json out = nlohmann::json::array();
  std::lock_guard<std::mutex> lock(mutex_);
  // Sequence numbers are dense from 1, so the first wanted entry is found by binary search.
  auto first = std::upper_bound(entries_.begin(), entries_.end(), since,
                                [](int64_t s, const Entry& e) { return s < e.seq; });
  for (auto it = first; it != entries_.end(); ++it) out.push_back(ToJson(*it));
  return out;
}

std::vector<RequestLog::Entry> RequestLog::Entries() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_;
}

void RequestLog::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  next_seq_ = 1;
}

}  // namespace spotform::sim
