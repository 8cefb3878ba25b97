#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace spotform::sim {

// FaultInjector holds the faults a test asked for through POST /_sim/faults: an error code
// answered by the next `count` calls of an action (queued faults of one action are served in
// order), and a latency added to every API call. Thread-safe; owned by the server.
class FaultInjector {
 public:
  // Queues `code` for the next `count` calls of `action` (count >= 1).
  void Add(const std::string& action, const std::string& code, int count);
  // If a fault is queued for `action`, consumes one call of it and returns its code.
  std::optional<std::string> Take(const std::string& action);
  // Latency added to every API call; zero clears it.
  void SetLatency(std::chrono::milliseconds latency);
  std::chrono::milliseconds latency() const;
  // Drops every fault and the latency.
  void Reset();

 private:
  struct Fault {
    std::string code;
    int remaining = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Fault>> faults_;
  std::chrono::milliseconds latency_{0};
};

}  // namespace spotform::sim
