#include "engine/config/config_writer.h"

#include <yaml-cpp/yaml.h>

namespace spotform {
namespace {

void EmitEnvironment(YAML::Emitter& out, const ConfigEntry& entry) {
  const EnvironmentSpec& spec = entry.spec;
  out << YAML::Key << spec.name;
  if (!entry.comment.empty()) out << YAML::Comment(entry.comment);
  out << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "mode" << YAML::Value << std::string(ModeName(spec.mode));
  out << YAML::Key << "zone" << YAML::Value << spec.zone();
  out << YAML::Key << "instance_type" << YAML::Value << spec.instance_type();
  out << YAML::Key << "image_id" << YAML::Value << spec.image_id;
  out << YAML::Key << "max_price" << YAML::Value << YAML::DoubleQuoted << spec.max_price;
  if (!entry.max_price_comment.empty()) out << YAML::Comment(entry.max_price_comment);
  out << YAML::Key << "desired_count" << YAML::Value << spec.desired_count;
  if (!spec.tags.empty()) {
    out << YAML::Key << "tags" << YAML::Value << YAML::BeginMap;
    for (const auto& [key, value] : spec.tags) {
      out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string EmitEnvironmentEntriesYaml(const std::vector<ConfigEntry>& entries) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const ConfigEntry& entry : entries) EmitEnvironment(out, entry);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string EmitConfigYaml(const ConfigDocument& document) {
  YAML::Emitter out;
  if (!document.header.empty()) {
    std::string header;
    for (const std::string& line : document.header) header += (header.empty() ? "" : "\n") + line;
    out << YAML::Comment(header) << YAML::Newline;
  }
  out << YAML::BeginMap;
  out << YAML::Key << "provider" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "region" << YAML::Value << document.provider.region;
  if (!document.provider.endpoint.empty()) {
    out << YAML::Key << "endpoint" << YAML::Value << document.provider.endpoint;
  }
  if (!document.provider.profile.empty()) {
    out << YAML::Key << "profile" << YAML::Value << document.provider.profile;
  }
  out << YAML::EndMap;
  if (!document.state_path.empty()) {
    out << YAML::Key << "state" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "path" << YAML::Value << document.state_path;
    out << YAML::EndMap;
  }
  out << YAML::Key << "environments" << YAML::Value;
  if (document.environments.empty()) {
    out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  } else {
    out << YAML::BeginMap;
    for (const ConfigEntry& entry : document.environments) EmitEnvironment(out, entry);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace spotform
