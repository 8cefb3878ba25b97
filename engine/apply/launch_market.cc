#include "engine/apply/launch_market.h"

#include <algorithm>
#include <set>
#include <vector>

namespace spotform {

LaunchMarket::LaunchMarket(std::chrono::seconds unavailable_ttl,
                           std::chrono::seconds reclaim_cooldown)
    : unavailable_ttl_(unavailable_ttl), reclaim_cooldown_(reclaim_cooldown) {}

Result<MarketView> LaunchMarket::View(Cloud& cloud, const EnvironmentSpec& spec) {
  std::unique_lock lock(mutex_);
  bool covered = market_.read || !market_.unread_reason.empty();
  for (const Candidate& candidate : CandidatesOf(spec)) {
    if (read_.count(candidate.Key()) == 0) covered = false;
  }
  if (!covered) {
    lock.unlock();  // no lock across a cloud call
    Result<MarketView> fresh = ReadMarket(cloud, {&spec});
    if (!fresh.ok()) return fresh.error();
    lock.lock();
    if (fresh->read) {
      for (auto& [key, offer] : fresh->offers) market_.offers[key] = offer;
      for (auto& [zone, quota] : fresh->quotas) {
        market_.quotas[zone] = quota;
        used_vcpus_.erase(zone);  // the fresh quota already counts what this run launched
      }
      market_.read = true;
    } else if (market_.read) {
      // Read before for other candidates, unreadable now for these: nothing is known of
      // them, so this spec's view is unread (placement tries its candidates in order, not
      // as "not sold"), and the next View asks again.
      MarketView unread;
      unread.unread_reason = fresh->unread_reason;
      return unread;
    } else {
      market_.unread_reason = fresh->unread_reason;
    }
    for (const Candidate& candidate : CandidatesOf(spec)) read_.insert(candidate.Key());
  }
  MarketView view = market_;
  for (auto& [zone, quota] : view.quotas) {
    auto used = used_vcpus_.find(zone);
    if (used == used_vcpus_.end()) continue;
    quota.used_vcpus += used->second;
    quota.remaining_vcpus = std::max<int64_t>(0, quota.remaining_vcpus - used->second);
  }
  return view;
}

void LaunchMarket::ForgetMarket() {
  std::lock_guard lock(mutex_);
  market_ = MarketView();
  read_.clear();
  used_vcpus_.clear();
}

void LaunchMarket::NoteLaunched(const std::string& zone, int count, int64_t cpu) {
  std::lock_guard lock(mutex_);
  used_vcpus_[zone] += static_cast<int64_t>(count) * cpu;
}

CandidateHold LaunchMarket::MarkUnavailable(const std::string& zone,
                                            const std::string& instance_type, Clock::WallTime now) {
  std::lock_guard lock(mutex_);
  const Clock::WallTime until = now + unavailable_ttl_;
  unavailable_until_[{zone, instance_type}] = until;
  return CandidateHold{zone, instance_type, HoldKind::kUnavailable, until};
}

CandidateHold LaunchMarket::MarkReclaimed(const std::string& zone, const std::string& instance_type,
                                          Clock::WallTime now) {
  std::lock_guard lock(mutex_);
  const Clock::WallTime until = now + reclaim_cooldown_;
  cooling_until_[{zone, instance_type}] = until;
  return CandidateHold{zone, instance_type, HoldKind::kCooling, until};
}

void LaunchMarket::Seed(const std::vector<CandidateHold>& holds) {
  std::lock_guard lock(mutex_);
  for (const CandidateHold& hold : holds) {
    auto& until = hold.kind == HoldKind::kCooling ? cooling_until_ : unavailable_until_;
    auto [it, inserted] = until.try_emplace({hold.zone, hold.instance_type}, hold.until);
    if (!inserted) it->second = std::max(it->second, hold.until);
  }
}

CandidateHolds LaunchMarket::Holds(Clock::WallTime now) const {
  std::lock_guard lock(mutex_);
  CandidateHolds holds;
  for (const auto& [key, until] : unavailable_until_) {
    if (now < until) holds.unavailable.insert(key);
  }
  for (const auto& [key, until] : cooling_until_) {
    if (now < until) holds.cooling.insert(key);
  }
  return holds;
}

}  // namespace spotform
