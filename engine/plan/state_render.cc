#include "engine/plan/state_render.h"

#include <chrono>
#include <sstream>

#include "engine/model/spec_json.h"
#include "engine/model/text_style.h"
#include "engine/model/words.h"

namespace spotform {
namespace {

int LiveCount(const Pool& pool) {
  int live = 0;
  for (const RecordedInstance& instance : pool.instances) {
    if (instance.state == "RUNNING" || instance.state == "PENDING" ||
        instance.state == "CREATING" || instance.state == "CREATED" ||
        instance.state == "SUBMITTED") {
      ++live;
    }
  }
  return live;
}

}  // namespace

std::string RenderStateText(const StateSnapshot& state, const RenderOptions& options) {
  const TextStyle style(options.color);
  std::ostringstream out;
  if (state.environments.empty()) {
    out << "The state is empty: no environments are managed yet.\n";
    return out.str();
  }
  for (const auto& [name, env] : state.environments) {
    const EnvironmentSpec& spec = env.applied;
    out << style.Bold(spec.Address()) << "  (" << ModeName(spec.mode) << ", " << ZonesText(spec)
        << ", " << TypesText(spec) << ", " << spec.image_id << ", max " << spec.max_price
        << "/h, desired " << spec.desired_count << ")\n";
    for (const Pool& pool : env.pools) {
      out << "  pool " << pool.id << ": expected " << pool.expected_count << ", "
          << LiveCount(pool) << " live";
      if (!pool.batch_env_id.empty()) out << ", Batch " << pool.batch_env_id;
      if (!SameCapacityShape(pool.spec, spec)) out << " (retiring)";
      out << "\n";
      for (const RecordedInstance& instance : pool.instances) {
        out << "    " << (instance.node_id.empty() ? instance.id : instance.node_id);
        if (!instance.node_id.empty() && !instance.id.empty()) out << " (" << instance.id << ")";
        out << "  " << instance.state;
        const std::string launched = FormatRecordedTime(instance.launch_time);
        if (!launched.empty()) out << "  launched " << launched;
        if (instance.origin == InstanceOrigin::kImported) out << "  imported";
        out << "\n";
      }
    }
  }
  out << "Lineage " << state.lineage << ", serial " << state.serial << ".\n";
  return out.str();
}

nlohmann::ordered_json StateToJson(const StateSnapshot& state) {
  nlohmann::ordered_json environments = nlohmann::ordered_json::array();
  for (const auto& [name, env] : state.environments) {
    nlohmann::ordered_json pools = nlohmann::ordered_json::array();
    for (const Pool& pool : env.pools) {
      nlohmann::ordered_json instances = nlohmann::ordered_json::array();
      for (const RecordedInstance& instance : pool.instances) {
        instances.push_back(RecordedInstanceToJson(instance));
      }
      pools.push_back({{"id", pool.id},
                       {"spec", SpecToJson(pool.spec)},
                       {"batch_env_id", pool.batch_env_id},
                       {"expected_count", pool.expected_count},
                       {"instances", instances}});
    }
    environments.push_back({{"address", env.applied.Address()},
                            {"applied", SpecToJson(env.applied)},
                            {"pools", pools}});
  }
  return nlohmann::ordered_json{{"format_version", "1.0"},
                                {"lineage", state.lineage},
                                {"serial", state.serial},
                                {"environments", environments}};
}

nlohmann::ordered_json RecordedInstanceToJson(const RecordedInstance& instance) {
  return {{"id", instance.id},
          {"node_id", instance.node_id},
          {"zone", instance.zone},
          {"instance_type", instance.instance_type},
          {"state", instance.state},
          {"launch_time", FormatRecordedTime(instance.launch_time)},
          {"origin", InstanceOriginName(instance.origin)},
          {"client_token", instance.client_token}};
}

std::string FormatRecordedTime(Clock::WallTime time) {
  return time == Clock::WallTime{} ? "" : FormatUtc(time, "%Y-%m-%dT%H:%M:%SZ");
}

std::string InstanceOriginName(InstanceOrigin origin) {
  return origin == InstanceOrigin::kImported ? "imported" : "created";
}

}  // namespace spotform
