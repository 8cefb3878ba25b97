#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/model/cloud_types.h"
#include "engine/model/environment_spec.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// What `spotform import --discover` looks for: resources carrying every tag, in the zone
// (empty: any zone).
struct DiscoveryFilter {
  Tags tags;
  std::string zone;
};

// What the cloud holds, as the command read it: the region's instances (FindInstances), its
// Batch environments with their nodes (DescribeComputeEnv each), and the nodes' instances.
struct CloudInventory {
  std::vector<ObservedInstance> instances;
  std::vector<ComputeEnv> compute_envs;
};

// One environment proposed for adoption: its spec (max_price empty until priced with
// PriceProposal) and what it adopts.
struct ProposedEnvironment {
  EnvironmentSpec spec;
  std::string batch_env_id;  // batch: the adopted env-...; cvm: ""
  int expected_count = 0;    // cvm: instances adopted; batch: DesiredComputeNodeCount
  std::vector<RecordedInstance> instances;
  std::string price_note;  // why max_price is what it is, for the `# review` comment
};

// What discovery found: proposals in a stable order, and notes on what it left alone.
struct DiscoveryResult {
  std::vector<ProposedEnvironment> environments;
  std::vector<std::string> notes;
};

// Groups the unmanaged spot capacity of `inventory` into proposed environments (pure).
// Unmanaged: not recorded in `state`, not carrying spotform's owner tags (those belong to a
// spotform state already), not a node of any Batch environment (cvm), and matching `filter`.
// Instances must be SPOTPAID and pending or running; they are grouped by zone, instance
// type and image into cvm environments named from the type and zone
// ("s5-medium4-ap-guangzhou-3"). Each Batch environment becomes a batch environment named
// after its EnvName; its type and image come from its nodes' instances (one without an
// instance yet is left out, with a note). Names avoid `taken` (config and state names).
// Tags common to every adopted resource become the environment's tags (valid user tags only).
DiscoveryResult DiscoverUnmanaged(const CloudInventory& inventory, const StateSnapshot& state,
                                  const DiscoveryFilter& filter,
                                  const std::set<std::string>& taken);

// A bid for a discovered environment: the current spot price rounded up to the cent
// (0.1234 -> "0.13"; at least "0.01"). The API does not report the bid an instance was
// launched with, so a person reviews it.
std::string CeilingPrice(double hourly_price);

// Sets proposal.spec.max_price from the market's current offer and explains it.
void PriceProposal(ProposedEnvironment& proposal, const SpotOffer& offer);

}  // namespace spotform
