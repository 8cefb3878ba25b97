#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"

namespace spotform {

// One environment of a generated config, with optional comments for the reviewer.
struct ConfigEntry {
  EnvironmentSpec spec;
  std::string comment;            // after the environment's name, e.g. "adopted: 2 instances"
  std::string max_price_comment;  // after max_price, e.g. "review: ..."
};

// A spotform.yaml to write: header comment lines, the provider, a state path (written only
// when not ""), and environments in order.
struct ConfigDocument {
  std::vector<std::string> header;
  ProviderConfig provider;
  std::string state_path;
  std::vector<ConfigEntry> environments;
};

// The document as YAML a person can review and commit (yaml-cpp's emitter): keys in the
// order of the schema, prices and tag values quoted so they read back as the same strings.
// ParseConfig of the text yields the same environments.
std::string EmitConfigYaml(const ConfigDocument& document);

// Only the entries, as the body of `environments:` at column 0 ("NAME:" then the fields
// indented below), in the order given; for appending to a file a person wrote.
std::string EmitEnvironmentEntriesYaml(const std::vector<ConfigEntry>& entries);

}  // namespace spotform
