#pragma once
// spotform.yaml texts and files for tests: one builder for the configs the suites write, and
// the file helpers they read and write them with.

#include <string>

namespace spotform::testing {

// One environment of a spotform.yaml in block style, valid as it stands. Its lines, in this
// order, one key a line (so a test knows the line of each key):
//   "  render:"                        the name
//   "    mode: cvm"
//   "    zone: ap-guangzhou-3"
//   "    instance_type: S5.MEDIUM4"
//   "    image_id: img-pmqg1cw7"
//   "    max_price: \"0.60\""
//   "    desired_count: 4"
// then `more` as given (e.g. "    tags: {team: vfx}\n"). Values are YAML as written (a quoted
// price keeps its quotes); an empty value leaves the key without one ("    desired_count:").
// Tests change the fields they are about:
//   EnvironmentYaml{.zone = "ap-shanghai-2"}.Yaml()
struct EnvironmentYaml {
  std::string name = "render";
  std::string mode = "cvm";
  std::string zone = "ap-guangzhou-3";
  std::string instance_type = "S5.MEDIUM4";
  std::string image_id = "img-pmqg1cw7";
  std::string max_price = "\"0.60\"";
  std::string desired_count = "4";
  std::string more = "";

  std::string Yaml() const;
};

// A config of the environment `env` alone, with the provider on one line:
//   line 1  provider: {region: ap-guangzhou}
//   line 2  environments:
//   line 3    NAME:           (its keys on lines 4 to 9, then env.more)
std::string OneEnvironmentYaml(const EnvironmentYaml& env);

// The environment `name` with `count` instances: the short form the end-to-end suites use.
std::string EnvYaml(const std::string& name, const std::string& mode, const std::string& zone,
                    int count, const std::string& max_price = "0.60",
                    const std::string& instance_type = "S5.MEDIUM4");

// A whole spotform.yaml in block style:
//   provider:
//     region: ap-guangzhou
//     endpoint: ENDPOINT          (left out when "")
//   STATE                         (the state section's lines as given; "" for none)
//   environments:
//   ENVIRONMENTS                  (EnvYaml / EnvironmentYaml texts)
std::string ConfigYaml(const std::string& endpoint, const std::string& environments,
                       const std::string& state = "");

// The bytes of the file at `path` ("" when it cannot be read).
std::string ReadFile(const std::string& path);

// Writes `bytes` to `path` (replacing it), creating its folders.
void WriteFile(const std::string& path, const std::string& bytes);

}  // namespace spotform::testing
