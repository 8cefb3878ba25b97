#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace spotform::sim {

// RequestLog records every API call the emulator answered (once its action was known), in
// arrival order, for GET /_sim/requests: {"seq", "time_ms", "action", "params", "error"}
// where error is the code or null. Sequence numbers start at 1 and restart after Clear().
// Passwords in params are masked before they are stored. Thread-safe: Append holds the lock
// only to push an already-built entry.
class RequestLog {
 public:
  struct Entry {
    int64_t seq = 0;
    int64_t time_ms = 0;
    std::string action;
    nlohmann::json params;             // null when the body was not valid JSON
    std::optional<std::string> error;  // the error code, if the call failed
  };

  // Returns the entry's sequence number.
  int64_t Append(int64_t time_ms, std::string action, nlohmann::json params,
                 std::optional<std::string> error);
  // Entries with seq > `since`, as a JSON array in order.
  nlohmann::json Since(int64_t since) const;
  std::vector<Entry> Entries() const;
  void Clear();

 private:
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  int64_t next_seq_ = 1;
};

}  // namespace spotform::sim
