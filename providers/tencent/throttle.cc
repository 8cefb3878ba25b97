#include "providers/tencent/throttle.h"

#include <algorithm>
#include <array>
#include <utility>

namespace spotform {
namespace {

struct ActionRate {
  std::string_view action;
  double per_second;
};

// Reference §1.6 (CVM and Batch API pages).
constexpr std::array kPublishedRates{
    ActionRate{"RunInstances", 10},
    ActionRate{"DescribeInstances", 40},
    ActionRate{"DescribeInstancesStatus", 40},
    ActionRate{"TerminateInstances", 10},
    ActionRate{"InquiryPriceRunInstances", 10},
    ActionRate{"DescribeZoneInstanceConfigInfos", 40},
    ActionRate{"DescribeZones", 20},
    ActionRate{"DescribeRegions", 20},
    ActionRate{"DescribeInstancesOperationLimit", 10},
    // UNCONFIRMED: the reference has no published figure for DescribeAccountQuota; 20/s is the
    // figure of CVM's other account-level describes (DescribeZones, DescribeRegions).
    ActionRate{"DescribeAccountQuota", 20},
    ActionRate{"CreateComputeEnv", 2},
    ActionRate{"DeleteComputeEnv", 2},
    ActionRate{"DescribeComputeEnv", 2},
    ActionRate{"DescribeComputeEnvActivities", 2},
    ActionRate{"DescribeComputeEnvCreateInfo", 2},
    ActionRate{"ModifyComputeEnv", 2},
    ActionRate{"DescribeComputeEnvs", 2},  // 10 (China page) vs 2 (intl page): the lower
    ActionRate{"TerminateComputeNode", 20},
    ActionRate{"TerminateComputeNodes", 20},
    ActionRate{"AttachInstances", 20},
    ActionRate{"DetachInstances", 20},
    ActionRate{"DescribeComputeEnvCreateInfos", 20},
    ActionRate{"DescribeCvmZoneInstanceConfigInfos", 5},
    ActionRate{"DescribeAvailableCvmInstanceTypes", 2},
};

// Holds one in-flight slot for its lifetime.
class SlotGuard {
 public:
  SlotGuard(std::mutex& mutex, std::condition_variable& freed, int& in_flight, int limit)
      : mutex_(mutex), freed_(freed), in_flight_(in_flight) {
    std::unique_lock<std::mutex> lock(mutex_);
    freed_.wait(lock, [&] { return in_flight_ < limit; });
    ++in_flight_;
  }
  ~SlotGuard() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --in_flight_;
    }
    freed_.notify_one();
  }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  std::mutex& mutex_;
  std::condition_variable& freed_;
  int& in_flight_;
};

}  // namespace

double DefaultActionRate(std::string_view action) {
  for (const ActionRate& entry : kPublishedRates) {
    if (entry.action == action) return entry.per_second;
  }
  return 0;
}

ThrottleCaller::ThrottleCaller(ApiCaller& inner, Clock& clock, ThrottleOptions options)
    : inner_(inner), clock_(clock), options_(std::move(options)) {}

TokenBucket& ThrottleCaller::BucketFor(std::string_view action) {
  std::lock_guard<std::mutex> lock(buckets_mutex_);
  auto it = buckets_.find(action);
  if (it != buckets_.end()) return *it->second;
  double rate = options_.default_rate;
  if (auto override = options_.rate_overrides.find(action);
      override != options_.rate_overrides.end()) {
    rate = override->second;
  } else if (double published = DefaultActionRate(action); published > 0) {
    rate = published;
  }
  if (rate <= 0) rate = options_.default_rate > 0 ? options_.default_rate : 1.0;
  auto bucket = std::make_unique<TokenBucket>(rate, options_.burst, clock_);
  TokenBucket& ref = *bucket;
  buckets_.emplace(std::string(action), std::move(bucket));
  return ref;
}

double ThrottleCaller::RateFor(std::string_view action) { return BucketFor(action).rate(); }

Result<ApiResponse> ThrottleCaller::Call(const ApiRequest& request) {
  BucketFor(request.action).Acquire();
  SlotGuard slot(slots_mutex_, slot_freed_, in_flight_, std::max(1, options_.max_in_flight));
  return inner_.Call(request);
}

}  // namespace spotform
