#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace spotform::sim {

// SpotQuota is the account's spot quota, counted in vCPUs per availability zone (reference
// §2.5, DescribeAccountQuota's SpotPaidQuotaSet), and what spot instances use of it. A zone's
// limit is the per-zone value if one was set, else the every-zone value; nullopt means
// unlimited. The emulator's default is unlimited: it models an account whose quota was raised
// (a new account's real default is 50 vCPUs per zone, `--spot-quota 50`). Usage is kept by
// SimWorld: a SPOTPAID instance uses its type's vCPUs while PENDING, RUNNING or TERMINATING
// (LAUNCH_FAILED frees them). A plain value owned by SimWorld, copied and reset with it.
class SpotQuota {
 public:
  // TotalQuota (and RemainingQuota + UsedQuota) that DescribeAccountQuota shows for an
  // unlimited zone: the API has no "unlimited" value, so a number no test comes near.
  static constexpr int64_t kUnlimitedTotal = 100000;

  // Sets the limit of every zone (dropping per-zone values); nullopt makes them unlimited.
  void SetAll(std::optional<int64_t> vcpus);
  // Sets one zone's limit; nullopt makes it unlimited.
  void Set(const std::string& zone, std::optional<int64_t> vcpus);

  std::optional<int64_t> Limit(const std::string& zone) const;
  int64_t Used(const std::string& zone) const;
  // vCPUs still free in the zone (never below 0); nullopt when unlimited.
  std::optional<int64_t> Remaining(const std::string& zone) const;
  // Limit, or kUnlimitedTotal when unlimited (DescribeAccountQuota's TotalQuota).
  int64_t TotalShown(const std::string& zone) const;
  // How many instances of `cpu` vCPUs still fit in the zone; `wanted` when unlimited.
  int64_t InstancesThatFit(const std::string& zone, int64_t cpu, int64_t wanted) const;

  // Usage bookkeeping (SimWorld, on state changes of SPOTPAID instances).
  void Use(const std::string& zone, int64_t vcpus);
  void Release(const std::string& zone, int64_t vcpus);

 private:
  std::optional<int64_t> every_zone_;
  std::map<std::string, std::optional<int64_t>> per_zone_;
  std::map<std::string, int64_t> used_;
};

}  // namespace spotform::sim
