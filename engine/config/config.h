#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/environment_spec.h"

namespace spotform {

// Where API calls go (spec §3 `provider`).
struct ProviderConfig {
  std::string region;    // from the file or TENCENTCLOUD_REGION
  std::string endpoint;  // "" = Tencent Cloud's default hosts
  std::string profile;   // tccli credential profile; "" = TENCENTCLOUD_PROFILE or "default"
};

// Where state lives (spec §3 `state`).
struct StateConfig {
  std::string backend = "sqlite";  // "sqlite" or "postgres"
  std::string path;                // sqlite: absolute path, resolved against the config's folder
  // postgres: libpq URL, from state.url (never with a password) or else SPOTFORM_PG_URL (may
  // hold one: print it only through RedactUrlPassword).
  std::string url;
  bool url_from_environment = false;  // url came from SPOTFORM_PG_URL
  std::string workspace = "default";  // postgres: which state of the database
};

// A parsed, validated spotform.yaml. Environments are keyed (and so ordered) by name.
struct Config {
  std::string file;  // the path it was read from, as given
  ProviderConfig provider;
  StateConfig state;
  std::map<std::string, EnvironmentSpec> environments;
  // SHA-256 (hex) of the canonical content above (not of the file's bytes): comments and
  // formatting do not change it; any setting does. Saved plans record it.
  std::string digest;
  // SHA-256 (hex) of the provider and state settings alone (SharedConfigDigest): a saved plan
  // stays current while they and the environments it changes are as they were (issue 16).
  std::string shared_digest;
};

// One problem found in a config file, at a 1-based line and column.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // "FILE:LINE:COL: message"; just the message (which names the file) when line is 0: the
  // diagnostic is about the whole file (missing, unreadable).
  std::string ToString() const;
};

// What reading a config produced: a Config when there were no errors, and every error of
// the file (not only the first), in file order.
struct ConfigParseResult {
  std::optional<Config> config;
  std::vector<Diagnostic> diagnostics;
};

// Reads environment variables (TENCENTCLOUD_REGION); injected so tests control them.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Parses and validates config text. `file` names the file in diagnostics and anchors a
// relative state path. The only user of yaml-cpp in spotform.
ConfigParseResult ParseConfig(const std::string& text, const std::string& file,
                              const EnvLookup& env);

// Reads `file` from disk, then ParseConfig. A missing or unreadable file is one diagnostic
// about the whole file (line 0), e.g. "no spotform.yaml in /srv/farm; run `spotform init`".
ConfigParseResult LoadConfigFile(const std::string& file, const EnvLookup& env);

// The config's JSON Schema (draft 2020-12), for editors' YAML language servers.
std::string ConfigJsonSchema();

}  // namespace spotform
