#include "providers/sim/spot_quota.h"

#include <algorithm>

namespace spotform::sim {

void SpotQuota::SetAll(std::optional<int64_t> vcpus) {
  every_zone_ = vcpus;
  per_zone_.clear();
}

void SpotQuota::Set(const std::string& zone, std::optional<int64_t> vcpus) {
  per_zone_[zone] = vcpus;
}

std::optional<int64_t> SpotQuota::Limit(const std::string& zone) const {
  auto it = per_zone_.find(zone);
  return it == per_zone_.end() ? every_zone_ : it->second;
}

int64_t SpotQuota::Used(const std::string& zone) const {
  auto it = used_.find(zone);
  return it == used_.end() ? 0 : it->second;
}

std::optional<int64_t> SpotQuota::Remaining(const std::string& zone) const {
  std::optional<int64_t> limit = Limit(zone);
  if (!limit) return std::nullopt;
  return std::max<int64_t>(0, *limit - Used(zone));
}

int64_t SpotQuota::TotalShown(const std::string& zone) const {
  return Limit(zone).value_or(kUnlimitedTotal);
}

int64_t SpotQuota::InstancesThatFit(const std::string& zone, int64_t cpu, int64_t wanted) const {
  std::optional<int64_t> remaining = Remaining(zone);
  if (!remaining || cpu <= 0) return wanted;
  return std::min(wanted, *remaining / cpu);
}

void SpotQuota::Use(const std::string& zone, int64_t vcpus) { used_[zone] += vcpus; }

void SpotQuota::Release(const std::string& zone, int64_t vcpus) {
  auto it = used_.find(zone);
  if (it == used_.end()) return;
  it->second = std::max<int64_t>(0, it->second - vcpus);
}

}  // namespace spotform::sim
