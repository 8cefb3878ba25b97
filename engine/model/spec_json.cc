#include "engine/model/spec_json.h"

namespace spotform {

nlohmann::ordered_json SpecToJson(const EnvironmentSpec& spec) {
  nlohmann::ordered_json tags = nlohmann::ordered_json::object();
  for (const auto& [key, value] : spec.tags) tags[key] = value;
  return nlohmann::ordered_json{{"mode", ModeName(spec.mode)},
                                {"zone", spec.zone},
                                {"instance_type", spec.instance_type},
                                {"image_id", spec.image_id},
                                {"max_price", spec.max_price},
                                {"desired_count", spec.desired_count},
                                {"tags", tags}};
}

}  // namespace spotform
