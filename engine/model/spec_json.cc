#include "engine/model/spec_json.h"

namespace spotform {

nlohmann::ordered_json SpecToJson(const EnvironmentSpec& spec) {
  nlohmann::ordered_json out = {{"mode", ModeName(spec.mode)}};
  WriteCapacityFields(spec, out);
  return out;
}

nlohmann::json SpecFieldsJson(const EnvironmentSpec& spec) {
  nlohmann::json out = {{"mode", std::string(ModeName(spec.mode))}};
  WriteCapacityFields(spec, out);
  return out;
}

}  // namespace spotform
