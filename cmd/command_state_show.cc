// `spotform state show ADDR`: the recorded details of one environment or instance.
#include <nlohmann/json.hpp>
#include <sstream>

#include "cmd/command_options.h"
#include "cmd/command_state.h"
#include "cmd/json_output.h"
#include "engine/model/spec_json.h"
#include "engine/plan/state_address.h"
#include "engine/plan/state_render.h"

namespace spotform {
namespace {

// The pool of an instance is current when it has the environment's applied shape, else it
// is being replaced (retiring).
bool IsCurrentPool(const AddressTarget& target) {
  return SameCapacityShape(target.pool->spec, target.environment->applied);
}

std::string InstanceText(const AddressTarget& target) {
  const RecordedInstance& instance = *target.instance;
  std::ostringstream out;
  out << "env." << target.environment->name << "." << InstanceAddressId(instance) << "\n";
  auto line = [&out](const std::string& key, const std::string& value) {
    if (!value.empty()) out << "  " << key << std::string(14 - key.size(), ' ') << value << "\n";
  };
  line("instance", instance.id.empty() ? "(not created yet)" : instance.id);
  line("batch node", instance.node_id);
  line("state", instance.state);
  line("zone", instance.zone);
  line("type", instance.instance_type);
  line("launched", FormatRecordedTime(instance.launch_time));
  line("origin", InstanceOriginName(instance.origin));
  line("client token", instance.client_token);
  line("pool", target.pool->id + " (" + std::string(ModeName(target.pool->spec.mode)) + ", " +
                   target.pool->spec.image_id + ", max " + target.pool->spec.max_price + "/h" +
                   (IsCurrentPool(target) ? "" : ", retiring") + ")");
  line("batch env", target.pool->batch_env_id);
  return out.str();
}

nlohmann::ordered_json InstanceJson(const StateSnapshot& state, const AddressTarget& target) {
  const RecordedInstance& instance = *target.instance;
  return {{"format_version", "1.0"},
          {"lineage", state.lineage},
          {"serial", state.serial},
          {"address", "env." + target.environment->name + "." + InstanceAddressId(instance)},
          {"environment", target.environment->applied.Address()},
          {"pool",
           {{"id", target.pool->id},
            {"spec", SpecToJson(target.pool->spec)},
            {"batch_env_id", target.pool->batch_env_id},
            {"current", IsCurrentPool(target)}}},
          {"instance", RecordedInstanceToJson(instance)}};
}

}  // namespace

int RunStateShow(CommandContext& context) {
  CommandOptions options(
      "spotform state show ADDR [--json]",
      "Shows what the state records for one address: an environment (env.NAME: its applied\n"
      "spec, pools, expected counts and instances) or one instance (env.NAME.ins-..., or\n"
      "env.NAME.node-... for a Batch node). Reads only: no lock, no cloud calls.\n"
      "Examples:\n"
      "  spotform state show env.render\n"
      "  spotform state show env.render.ins-1a2b3c4d --json");
  bool json = false;
  std::vector<std::string> addresses;
  options.Add()("json", boost::program_options::bool_switch(&json), "print one JSON document")(
      "address", boost::program_options::value<std::vector<std::string>>(&addresses),
      "env.NAME or env.NAME.ID");
  options.Positional("address", 1);
  if (auto stop = options.Parse(context)) return *stop;
  if (addresses.empty()) {
    return Fail(context,
                "state show: which address? e.g. `spotform state show env.render` "
                "(`spotform state list` lists them)");
  }
  Result<StateAddress> address = ParseStateAddress(addresses.front());
  if (!address.ok()) return Fail(context, address.error().message());

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  Result<StateSnapshot> state = workspace->store->Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  Result<AddressTarget> target = FindStateAddress(*state, *address);
  if (!target.ok()) return Fail(context, target.error().message());

  if (address->IsInstance()) {
    if (json) {
      context.out << JsonOutput(InstanceJson(*state, *target));
    } else {
      context.out << InstanceText(*target);
    }
    return kExitOk;
  }
  StateSnapshot one;
  one.lineage = state->lineage;
  one.serial = state->serial;
  one.environments[address->environment] = *target->environment;
  if (json) {
    context.out << JsonOutput(StateToJson(one));
  } else {
    context.out << RenderStateText(one, RenderOptions{.color = context.Color()});
  }
  return kExitOk;
}

}  // namespace spotform
