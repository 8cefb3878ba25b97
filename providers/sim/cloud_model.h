#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "providers/sim/api_reply.h"

namespace spotform::sim {

// How Batch reacts when DesiredComputeNodeCount is lowered from D to D-n (spec §5).
enum class ScaleInPolicy {
  // UNCONFIRMED variant: no created node is destroyed; placeholder nodes (SUBMITTED /
  // CREATION_FAILED, no instance) above the new count are cancelled at the next reconcile;
  // CREATING / RUNNING surplus stays until the client terminates it.
  kManual,
  // Tencent's documented rule: Batch destroys n nodes itself, only among CREATED / RUNNING /
  // ABNORMAL ones (newest first, an UNCONFIRMED choice); with fewer than n of those the call
  // fails with UnsupportedOperation.NotEnoughComputeNodesToTerminate and changes nothing.
  kBatchPicks,
};

// Whether TerminateComputeNode(s) also lowers DesiredComputeNodeCount (UNCONFIRMED, spec §5).
enum class TerminateNodePolicy {
  kRefills,     // the count stays; the reconciler replaces the node
  kDecrements,  // the count drops by one per terminated node
};

// Whether RunInstances accepts MinCount (partial delivery). Tencent documents it only "for
// accounts, regions and charge types that support partial delivery" (reference §2.1), so
// whether a given account has it is UNCONFIRMED: a switch.
enum class MinCountSupport {
  // MinCount launches min(InstanceCount, free stock, quota fit) if that is >= MinCount.
  kSupported,
  // A request carrying MinCount fails with UnsupportedOperation.MinCountUnsupportedRegion.
  kUnsupported,
};

// The emulator's switches and timings (spotform-sim flags; a scenario may override timings,
// the spot quota and the MinCount switch).
struct CloudModelOptions {
  ScaleInPolicy scale_in = ScaleInPolicy::kManual;
  TerminateNodePolicy terminate_node = TerminateNodePolicy::kRefills;
  MinCountSupport min_count = MinCountSupport::kSupported;
  // Spot quota of every zone in vCPUs (`--spot-quota`); nullopt: unlimited, an account whose
  // quota was raised (a new account's real default is 50 vCPUs per zone). See spot_quota.h.
  std::optional<int64_t> spot_quota;
  int pending_ticks = 2;         // ticks an instance stays PENDING before RUNNING / LAUNCH_FAILED
  int create_ticks = 2;          // ticks a Batch node's instance stays PENDING (node CREATING)
  int terminating_ticks = 2;     // ticks an instance stays TERMINATING before it is gone
  int launch_failed_ticks = 10;  // ticks a LAUNCH_FAILED instance stays visible
  int busy_ticks = 1;            // ticks a compute env refuses modifying calls after a modification
};

// Who is calling: the request's region (X-TC-Region) and its RequestId.
struct CallContext {
  std::string region;
  std::string request_id;
};

// A market entry for the control API and scenarios.
struct MarketUpdate {
  std::string zone;
  std::string instance_type;
  std::optional<double> price;
  // Capacity of the (zone, type) pool in instances. Free capacity = capacity - instances
  // holding a slot, so on an idle pair it is the free capacity; lowering it below what runs
  // reclaims the excess RUNNING/PENDING instances, newest first.
  std::optional<int> capacity;
};

class SimWorld;   // providers/sim/sim_world.h: instances, environments, market
struct Scenario;  // providers/sim/scenario.h: market overrides and scheduled events

// CloudModel is the emulator's cloud: CVM instances, Batch compute environments and the spot
// market, with their rules. It knows nothing of HTTP or signatures: the server validates a
// request's envelope and fields against the official models, then calls Call(). Every method
// is thread-safe (one mutex); time moves only through Tick(), so tests are deterministic.
class CloudModel {
 public:
  CloudModel(const CloudModelOptions& options, const Clock& clock);
  ~CloudModel();

  // Runs one API action. `params` has already passed schema validation (field names and
  // JSON types); the model checks values and business rules. On success returns the
  // Response object without RequestId; on failure an Error whose code() is the API code.
  Result<nlohmann::json> Call(const CallContext& context, const std::string& action,
                              const nlohmann::json& params);
  // Call() for the wire: the same answer as an ApiReply, whose pre-serialized parts
  // (DescribeInstances' InstanceSet) SuccessBody splices into the body without re-parsing.
  Result<ApiReply> Serve(const CallContext& context, const std::string& action,
                         const nlohmann::json& params);
  // True if the model implements `action` (CVM or Batch).
  static bool Supports(const std::string& action);
  // "cvm" or "batch" for a supported action.
  static std::string ProductOf(const std::string& action);

  // Advances the world one step: instance state transitions, Batch reconciliation,
  // scheduled scenario events.
  void Tick();

  // Control API (spec §5, /_sim/...).
  void Reset();
  Status UpdateMarket(const MarketUpdate& update);
  // Sets the spot quota (vCPUs) of `zone`, or of every zone when `zone` is nullopt; `vcpus`
  // nullopt makes it unlimited. Like a market update, it lasts until the next Reset().
  Status SetSpotQuota(const std::optional<std::string>& zone, std::optional<int64_t> vcpus);
  // The market as GET /_sim/market shows it (market_listing.h).
  nlohmann::json MarketListing() const;
  // Reclaims the given instances as the spot market would (RUNNING -> TERMINATING -> gone).
  Status Reclaim(const std::vector<std::string>& instance_ids);
  // Every live instance, as DescribeInstances would show it, plus sim-only fields.
  nlohmann::json ListInstances() const;
  // Loads a scenario (YAML text): market entries and events scheduled by tick. It becomes
  // the baseline of Reset() and the world is reset to it at once (tick 0). On error (message
  // "scenario line L, column C: ...") nothing changes.
  Status LoadScenario(const std::string& yaml_text);
  // Ticks run since the last reset.
  int64_t CurrentTick() const;

 private:
  void ApplyScheduledEvents();

  mutable std::mutex mutex_;
  CloudModelOptions options_;
  const Clock& clock_;
  std::unique_ptr<Scenario> baseline_;
  uint64_t generation_ = 0;  // worlds created so far; seeds each world's ids
  std::unique_ptr<SimWorld> world_;
};

}  // namespace spotform::sim
