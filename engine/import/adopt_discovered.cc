#include "engine/import/adopt_discovered.h"

#include "engine/import/import_plan.h"

namespace spotform {

std::set<std::string> NamesInUse(const Config& config, const StateSnapshot& state) {
  std::set<std::string> names;
  for (const auto& [name, spec] : config.environments) names.insert(name);
  for (const auto& [name, env] : state.environments) names.insert(name);
  return names;
}

StateEdit AdoptDiscovered(const std::vector<ProposedEnvironment>& proposals,
                          const StateSnapshot& state) {
  StateEdit edit;
  for (const ProposedEnvironment& proposal : proposals) {
    AddAdoptedEnvironment(proposal.spec, proposal.batch_env_id, proposal.expected_count,
                          proposal.instances, state, edit);
  }
  return edit;
}

}  // namespace spotform
