#include "tests/support/test_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace spotform::testing {
namespace {

std::string Key(const std::string& key, const std::string& value) {
  return "    " + key + ":" + (value.empty() ? "" : " " + value) + "\n";
}

}  // namespace

std::string EnvironmentYaml::Yaml() const {
  return "  " + name + ":\n" + Key("mode", mode) + Key("zone", zone) +
         Key("instance_type", instance_type) + Key("image_id", image_id) +
         Key("max_price", max_price) + Key("desired_count", desired_count) + more;
}

std::string OneEnvironmentYaml(const EnvironmentYaml& env) {
  return "provider: {region: ap-guangzhou}\nenvironments:\n" + env.Yaml();
}

std::string EnvYaml(const std::string& name, const std::string& mode, const std::string& zone,
                    int count, const std::string& max_price, const std::string& instance_type) {
  return EnvironmentYaml{.name = name,
                         .mode = mode,
                         .zone = zone,
                         .instance_type = instance_type,
                         .max_price = "\"" + max_price + "\"",
                         .desired_count = std::to_string(count)}
      .Yaml();
}

std::string ConfigYaml(const std::string& endpoint, const std::string& environments,
                       const std::string& state) {
  return "provider:\n  region: ap-guangzhou\n" +
         (endpoint.empty() ? "" : "  endpoint: " + endpoint + "\n") + state + "environments:\n" +
         environments;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace spotform::testing
