#include "engine/config/config_digest.h"

#include <nlohmann/json.hpp>

#include "engine/model/crypto.h"
#include "engine/model/spec_json.h"

namespace spotform {
namespace {

// Bumped when the canonical form changes, so old and new digests never collide.
constexpr int kCanonicalFormVersion = 1;

}  // namespace

std::string CanonicalConfigJson(const Config& config, std::string_view state_path_as_written) {
  nlohmann::json environments = nlohmann::json::object();
  for (const auto& [name, spec] : config.environments) {
    environments[name] = SpecFieldsJson(spec);
  }
  nlohmann::json canonical = {
      {"version", kCanonicalFormVersion},
      {"provider",
       {{"region", config.provider.region},
        {"endpoint", config.provider.endpoint},
        {"profile", config.provider.profile}}},
      {"state",
       {{"backend", config.state.backend},
        {"path", std::string(state_path_as_written)},
        // Only a URL written in the file counts: SPOTFORM_PG_URL is, like credentials, the
        // user's environment, and may hold a password that must not change a digest.
        {"url", config.state.url_from_environment ? std::string() : config.state.url},
        {"workspace", config.state.workspace}}},
      {"environments", environments},
  };
  // Invalid UTF-8 is replaced, not thrown: the digest of any parsed config exists.
  return canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ConfigDigest(const Config& config, std::string_view state_path_as_written) {
  return Sha256Hex(CanonicalConfigJson(config, state_path_as_written));
}

}  // namespace spotform
