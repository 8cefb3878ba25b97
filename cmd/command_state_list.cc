// `spotform state list`: every recorded address, like `terraform state list`.
#include <nlohmann/json.hpp>

#include "cmd/command_options.h"
#include "cmd/command_state.h"
#include "cmd/json_output.h"
#include "engine/plan/state_address.h"

namespace spotform {
namespace {

// {format_version, lineage, serial, addresses: [{address, kind, ...}]}.
nlohmann::ordered_json AddressesToJson(const StateSnapshot& state) {
  nlohmann::ordered_json addresses = nlohmann::ordered_json::array();
  for (const auto& [name, env] : state.environments) {
    addresses.push_back({{"address", env.applied.Address()},
                         {"kind", "environment"},
                         {"mode", std::string(ModeName(env.applied.mode))}});
    for (const Pool& pool : env.pools) {
      for (const RecordedInstance& instance : pool.instances) {
        addresses.push_back({{"address", "env." + name + "." + InstanceAddressId(instance)},
                             {"kind", instance.node_id.empty() ? "instance" : "node"},
                             {"id", instance.id},
                             {"node_id", instance.node_id},
                             {"pool", pool.id},
                             {"state", instance.state}});
      }
    }
  }
  return {{"format_version", "1.0"},
          {"lineage", state.lineage},
          {"serial", state.serial},
          {"addresses", addresses}};
}

}  // namespace

int RunStateList(CommandContext& context) {
  CommandOptions options(
      "spotform state list [--json]",
      "Lists every address recorded in the state, one a line: each environment (env.NAME)\n"
      "followed by its instances (env.NAME.ins-...; Batch nodes env.NAME.node-...).\n"
      "Reads only: no lock (it works while an apply runs) and no cloud calls, so it shows\n"
      "what was last recorded; `spotform refresh` records what the cloud reports now.\n"
      "Examples:\n"
      "  spotform state list\n"
      "  spotform state list --json | jq -r '.addresses[] | select(.state == \"GONE\")'");
  bool json = false;
  options.Add()("json", boost::program_options::bool_switch(&json),
                "print one JSON document (format_version, lineage, serial, addresses with "
                "their kind, pool and state)");
  if (auto stop = options.Parse(context)) return *stop;

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  Result<StateSnapshot> state = workspace->store->Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  if (json) {
    context.out << JsonOutput(AddressesToJson(*state));
    return kExitOk;
  }
  if (state->environments.empty()) {
    context.err << "The state is empty: no environments are managed yet.\n";
    return kExitOk;
  }
  for (const std::string& address : ListStateAddresses(*state)) context.out << address << "\n";
  return kExitOk;
}

}  // namespace spotform
