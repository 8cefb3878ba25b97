#include "engine/model/spec_json.h"

namespace spotform {
namespace {

template <typename Json>
Json SpecJson(const EnvironmentSpec& spec) {
  Json out = {{"mode", std::string(ModeName(spec.mode))}};
  WritePlacementFields(spec, out);
  out["image_id"] = spec.image_id;
  out["max_price"] = spec.max_price;
  out["desired_count"] = spec.desired_count;
  out["tags"] = spec.tags;
  return out;
}

}  // namespace

nlohmann::ordered_json SpecToJson(const EnvironmentSpec& spec) {
  return SpecJson<nlohmann::ordered_json>(spec);
}

nlohmann::json SpecFieldsJson(const EnvironmentSpec& spec) {
  return SpecJson<nlohmann::json>(spec);
}

}  // namespace spotform
