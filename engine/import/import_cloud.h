#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/model/cloud.h"
#include "engine/import/discovery.h"
#include "engine/import/import_plan.h"

namespace spotform {

// The cloud reads of `spotform import`, each followed by the pure decision of
// engine/import/import_plan.h or engine/import/discovery.h. Nothing here changes the cloud or the state:
// the caller applies the returned edit.

// Describes `ids` (ins-...) and decides their import into `spec`'s environment.
Result<ImportOutcome> ImportInstances(Cloud& cloud, const EnvironmentSpec& spec,
                                      const StateSnapshot& state,
                                      const std::vector<std::string>& ids,
                                      const ImportOptions& options);

// Describes Batch environment `env_id` and its nodes' instances, and decides its import.
Result<ImportOutcome> ImportComputeEnv(Cloud& cloud, const EnvironmentSpec& spec,
                                       const StateSnapshot& state, const std::string& env_id,
                                       const ImportOptions& options);

// Reads the region's instances (of `zone`, or all when "") and every Batch environment with
// its nodes: one paged search, one listing, one DescribeComputeEnv per environment.
Result<CloudInventory> ReadInventory(Cloud& cloud, const std::string& zone);

// Discovers unmanaged capacity and prices each proposal from the spot market (one
// GetSpotOffer per zone and type). A shape the market does not sell as spot is left out
// with a note.
Result<DiscoveryResult> DiscoverAndPrice(Cloud& cloud, const StateSnapshot& state,
                                         const DiscoveryFilter& filter,
                                         const std::set<std::string>& taken);

}  // namespace spotform
