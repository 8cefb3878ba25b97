#include "engine/import/import_config.h"

#include <filesystem>

#include "engine/config/config_keys.h"

namespace spotform {
namespace {

namespace fs = std::filesystem;

// How FILE must name the existing state so that it reads the same one: "" for the default.
std::string StatePathFor(const Config& existing, const std::string& file) {
  std::error_code error;
  fs::path folder = fs::absolute(fs::path(file), error).parent_path();
  if (error) folder = fs::path(file).parent_path();
  const fs::path state(existing.state.path);
  if ((folder / kDefaultStatePath).lexically_normal() == state.lexically_normal()) return "";
  const fs::path relative = state.lexically_relative(folder);
  return relative.empty() ? state.string() : relative.string();
}

std::string AdoptedComment(const ProposedEnvironment& proposal) {
  const size_t n = proposal.instances.size();
  if (!proposal.batch_env_id.empty()) {
    return "adopted Batch compute environment " + proposal.batch_env_id + " (" + std::to_string(n) +
           (n == 1 ? " node" : " nodes") + ")";
  }
  std::string ids;
  for (size_t i = 0; i < n && i < 3; ++i) ids += (i == 0 ? "" : ", ") + proposal.instances[i].id;
  if (n > 3) ids += ", ...";
  return "adopted " + std::to_string(n) + (n == 1 ? " instance: " : " instances: ") + ids;
}

}  // namespace

ConfigDocument DiscoveredConfig(const Config& existing,
                                const std::vector<ProposedEnvironment>& discovered,
                                const std::string& file, const std::string& generated_at) {
  ConfigDocument document;
  const size_t n = discovered.size();
  document.header = {
      "Written by `spotform import --discover` at " + generated_at + ".",
      "It holds the provider and environments of " + existing.file + " (" +
          std::to_string(existing.environments.size()) + ") and " + std::to_string(n) +
          (n == 1 ? " discovered environment" : " discovered environments") + ",",
      "already adopted into the state.",
      "Review the lines marked `review` (the API does not report an instance's bid), then use",
      "this file as " + existing.file + " (or copy the new environments into it) and commit it.",
      "Until then, a plan with the old file would release the adopted capacity.",
  };
  document.provider = existing.provider;
  document.state_path = StatePathFor(existing, file);
  for (const auto& [name, spec] : existing.environments) {
    document.environments.push_back(ConfigEntry{spec, "", ""});
  }
  for (const ProposedEnvironment& proposal : discovered) {
    document.environments.push_back({proposal.spec, AdoptedComment(proposal), proposal.price_note});
  }
  return document;
}

}  // namespace spotform
