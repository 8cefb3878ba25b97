#include "providers/sim/rate_limiter.h"

#include <chrono>
#include <string_view>

namespace spotform::sim {
namespace {

struct PublishedLimit {
  std::string_view action;
  int per_second;
};

// Reference §1.6. Batch DescribeComputeEnvs: the China site says 10/s, the international site
// 2/s; the emulator takes the lower figure so clients are tested against the stricter one.
// CVM DescribeAccountQuota has no published figure (UNCONFIRMED): 20/s, the rate of CVM's
// other account-level queries (DescribeZones, DescribeRegions).
constexpr PublishedLimit kPublishedLimits[] = {
    {"RunInstances", 10},
    {"DescribeInstances", 40},
    {"DescribeInstancesStatus", 40},
    {"TerminateInstances", 10},
    {"InquiryPriceRunInstances", 10},
    {"DescribeZoneInstanceConfigInfos", 40},
    {"DescribeAccountQuota", 20},  // UNCONFIRMED, see above
    {"CreateComputeEnv", 2},
    {"DeleteComputeEnv", 2},
    {"DescribeComputeEnv", 2},
    {"DescribeComputeEnvActivities", 2},
    {"ModifyComputeEnv", 2},
    {"DescribeComputeEnvs", 2},
    {"TerminateComputeNode", 20},
    {"TerminateComputeNodes", 20},
    {"DescribeCvmZoneInstanceConfigInfos", 5},
};

}  // namespace

ServerRateLimiter::ServerRateLimiter(const Clock& clock, bool enabled)
    : clock_(clock), enabled_(enabled) {}

int ServerRateLimiter::LimitOf(const std::string& action) {
  for (const PublishedLimit& limit : kPublishedLimits) {
    if (limit.action == action) return limit.per_second;
  }
  return 0;
}

bool ServerRateLimiter::Admit(const std::string& action) {
  if (!enabled_) return true;
  const int limit = LimitOf(action);
  if (limit == 0) return true;
  const int64_t second =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  std::lock_guard<std::mutex> lock(mutex_);
  Window& window = windows_[action];
  if (window.second != second) {
    window.second = second;
    window.count = 0;
  }
  if (window.count >= limit) return false;
  ++window.count;
  return true;
}

void ServerRateLimiter::Reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  windows_.clear();
}

}  // namespace spotform::sim
