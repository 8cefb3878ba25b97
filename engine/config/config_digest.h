#pragma once

#include <string>
#include <string_view>

#include "engine/config/config.h"

namespace spotform {

// The canonical JSON of a config's content (sorted keys, no spaces): the provider, the
// state settings with the state path as written in the file (so the digest does not depend
// on where the repository is checked out), and every environment with its price as written.
// Config::file and the resolved absolute state path are left out.
std::string CanonicalConfigJson(const Config& config, std::string_view state_path_as_written);

// SHA-256 (hex) of CanonicalConfigJson: what Config::digest holds.
std::string ConfigDigest(const Config& config, std::string_view state_path_as_written);

// The canonical JSON of the settings every environment shares: the provider and the state
// settings, as CanonicalConfigJson writes them, under a version of its own, so it never
// equals a whole config's canonical JSON.
std::string CanonicalSharedConfigJson(const Config& config, std::string_view state_path_as_written);

// SHA-256 (hex) of CanonicalSharedConfigJson: what Config::shared_digest holds.
std::string SharedConfigDigest(const Config& config, std::string_view state_path_as_written);

// SHA-256 (hex) of the canonical JSON of one environment's declared spec (its fields as
// CanonicalConfigJson writes them, name left out, under a version of its own): a saved plan
// records it for each environment it changes (issue 16).
std::string EnvironmentDigest(const EnvironmentSpec& spec);

}  // namespace spotform
