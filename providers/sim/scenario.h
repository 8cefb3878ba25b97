#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/market.h"

namespace spotform::sim {

// A change to one (zone, instance type) offer; unset fields keep their value.
struct OfferChange {
  std::string zone;
  std::string instance_type;
  std::optional<double> price;
  std::optional<int64_t> capacity;  // pool size; below what is in use reclaims the excess
  std::optional<int64_t> fail_next_launches;
  std::optional<double> launch_failure_rate;
};

// Something that happens when the tick counter reaches `at_tick`: an offer change, a reclaim
// of named instances, or a reclaim of `reclaim_count` newest RUNNING instances (restricted to
// `zone` / `instance_type` when those are given).
struct ScenarioEvent {
  int64_t at_tick = 0;
  std::optional<OfferChange> offer;
  std::vector<std::string> reclaim_ids;
  int64_t reclaim_count = 0;
  std::string zone;
  std::string instance_type;
};

// A parsed scenario file. Example (examples/sim-scenarios/stock-shortage.yaml):
//
//   launch_failure_rate: 0.0          # optional, for every offer
//   create_ticks: 2                   # optional, overrides --create-ticks
//   busy_ticks: 1                     # optional, overrides --busy-ticks
//   spot_quota: 50                    # optional, vCPUs per zone, overrides --spot-quota;
//                                     #   or per zone: {ap-guangzhou-3: 50, ap-guangzhou-4: 8}
//                                     #   (zones not named keep --spot-quota)
//   min_count: unsupported            # optional, supported | unsupported, overrides --min-count
//   market:                           # replaces catalogue values for these pairs
//     - {zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, price: 0.08, capacity: 3,
//        fail_next_launches: 1, launch_failure_rate: 0.0}
//   events:
//     - {at_tick: 5, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, capacity: 1}
//     - {at_tick: 8, reclaim: 2}
//     - {at_tick: 9, reclaim: [ins-abcdefgh]}
struct Scenario {
  std::optional<double> launch_failure_rate;
  std::optional<int64_t> create_ticks;             // CloudModelOptions::create_ticks
  std::optional<int64_t> busy_ticks;               // CloudModelOptions::busy_ticks
  std::optional<int64_t> spot_quota;               // every zone (scalar form), replaces the option
  std::map<std::string, int64_t> zone_spot_quota;  // per zone (mapping form)
  std::optional<MinCountSupport> min_count;        // CloudModelOptions::min_count
  std::vector<OfferChange> market;
  std::vector<ScenarioEvent> events;  // ordered by at_tick (stable)
};

// Parses scenario YAML and checks zone and type names against `market`'s catalogue. Errors
// have code InvalidParameterValue and a message "scenario line L, column C: what".
Result<Scenario> ParseScenario(const std::string& yaml_text, const Market& market);

}  // namespace spotform::sim
