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

}  // namespace spotform
