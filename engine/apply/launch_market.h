#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/candidate_hold.h"
#include "engine/model/clock.h"
#include "engine/model/cloud.h"
#include "engine/model/placement.h"

namespace spotform {

// LaunchMarket is what the launches of environments with fallback candidates know about the
// spot market (spec §3): the market as read for this run (once per set of candidates, not
// per launch), the spot quota used since, and the candidates recently found wanting:
// unavailable for `unavailable_ttl` after a stock, price or quota refusal, and tried last for
// `reclaim_cooldown` after losing instances to a reclaim. Holds are wall-clock moments kept
// in the state too (StateSnapshot::candidate_holds): Seed takes the state's, and the Mark
// calls return the hold for the caller to record (PutCandidateHold), so separate runs
// (`apply`, `watch --once` from cron) share them. Thread-safe: the environments of a run
// launch in parallel. Owned by whoever runs the executor: apply makes one per run; watch
// keeps one for the whole process (ForgetMarket between rounds re-reads prices and stock).
class LaunchMarket {
 public:
  static constexpr std::chrono::seconds kDefaultUnavailableTtl{180};
  static constexpr std::chrono::seconds kDefaultReclaimCooldown{600};

  explicit LaunchMarket(std::chrono::seconds unavailable_ttl = kDefaultUnavailableTtl,
                        std::chrono::seconds reclaim_cooldown = kDefaultReclaimCooldown);

  // The market for `spec`'s candidates: read through `cloud` the first time a candidate not
  // yet read is asked for, then from memory, with the quota this run used taken off.
  Result<MarketView> View(Cloud& cloud, const EnvironmentSpec& spec);
  // Drops what was read (not the holds): the next View reads again.
  void ForgetMarket();

  // `count` instances of `cpu` vCPUs each were launched in `zone`.
  void NoteLaunched(const std::string& zone, int count, int64_t cpu);
  // Holds the candidate from `now` for the TTL; returns the hold, for the state.
  CandidateHold MarkUnavailable(const std::string& zone, const std::string& instance_type,
                                Clock::WallTime now);
  CandidateHold MarkReclaimed(const std::string& zone, const std::string& instance_type,
                              Clock::WallTime now);
  // Takes holds recorded in the state; a candidate held already keeps the later end.
  void Seed(const std::vector<CandidateHold>& holds);
  // The holds in force at `now`.
  CandidateHolds Holds(Clock::WallTime now) const;

 private:
  using Key = std::pair<std::string, std::string>;

  const std::chrono::seconds unavailable_ttl_;
  const std::chrono::seconds reclaim_cooldown_;
  mutable std::mutex mutex_;
  MarketView market_;                          // merged reads of this run
  std::set<Key> read_;                         // candidates covered by market_
  std::map<std::string, int64_t> used_vcpus_;  // launched since the read, by zone
  std::map<Key, Clock::WallTime> unavailable_until_;
  std::map<Key, Clock::WallTime> cooling_until_;
};

}  // namespace spotform
