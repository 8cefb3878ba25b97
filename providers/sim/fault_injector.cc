#include "providers/sim/fault_injector.h"

namespace spotform::sim {

void FaultInjector::Add(const std::string& action, const std::string& code, int count) {
  if (count <= 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  faults_[action].push_back(Fault{code, count});
}

std::optional<std::string> FaultInjector::Take(const std::string& action) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (faults_.empty()) return std::nullopt;  // the common case: one cheap check
  const auto it = faults_.find(action);
  if (it == faults_.end()) return std::nullopt;
  Fault& fault = it->second.front();
  std::string code = fault.code;
  if (--fault.remaining == 0) {
    it->second.pop_front();
    if (it->second.empty()) faults_.erase(it);
  }
  return code;
}

void FaultInjector::SetLatency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(mutex_);
  latency_ = latency;
}

std::chrono::milliseconds FaultInjector::latency() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latency_;
}

void FaultInjector::Reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
  latency_ = std::chrono::milliseconds(0);
}

}  // namespace spotform::sim
