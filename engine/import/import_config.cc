#include "engine/import/import_config.h"

#include <filesystem>

#include "engine/config/config_append.h"
#include "engine/config/config_keys.h"
#include "engine/model/words.h"

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
    return "adopted Batch compute environment " + proposal.batch_env_id + " (" +
           Plural(n, "node", "nodes") + ")";
  }
  std::string ids;
  for (size_t i = 0; i < n && i < 3; ++i) ids += (i == 0 ? "" : ", ") + proposal.instances[i].id;
  if (n > 3) ids += ", ...";
  return "adopted " + Plural(n, "instance", "instances") + ": " + ids;
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
          std::to_string(existing.environments.size()) + ") and " +
          Plural(n, "discovered environment", "discovered environments") + ",",
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

std::string GeneratedAtText(Clock::WallTime now) { return FormatUtc(now, "%Y-%m-%d %H:%M UTC"); }

Result<std::string> DiscoveredConfigText(const Config& existing,
                                         const std::vector<ProposedEnvironment>& discovered,
                                         const std::string& file, Clock::WallTime now,
                                         const EnvLookup& env) {
  std::string text =
      EmitConfigYaml(DiscoveredConfig(existing, discovered, file, GeneratedAtText(now)));
  const ConfigParseResult reread = ParseConfig(text, file, env);
  if (reread.config) return text;
  std::string problems;
  for (const Diagnostic& diagnostic : reread.diagnostics) problems += "\n" + diagnostic.ToString();
  return Error(ErrorKind::kInternal,
               "import --discover: the generated config does not validate (a bug; please "
               "report it):" +
                   problems);
}

Result<std::string> AppendedDiscoveredConfigText(const std::string& file_text,
                                                 const std::vector<ProposedEnvironment>& discovered,
                                                 const std::string& file, Clock::WallTime now,
                                                 const EnvLookup& env) {
  std::vector<ConfigEntry> entries;
  for (const ProposedEnvironment& proposal : discovered) {
    entries.push_back({proposal.spec, AdoptedComment(proposal), proposal.price_note});
  }
  const std::vector<std::string> intro = {"Adopted by `spotform import --discover` at " +
                                          GeneratedAtText(now) +
                                          "; review the lines marked `review`."};
  Result<std::string> text = AppendEnvironmentsToConfigText(file_text, file, entries, intro);
  if (!text.ok()) return text.error();
  const ConfigParseResult reread = ParseConfig(*text, file, env);
  std::string problems;
  for (const Diagnostic& diagnostic : reread.diagnostics) problems += "\n" + diagnostic.ToString();
  if (!reread.config) {
    return Error(ErrorKind::kInvalidInput,
                 "import --discover: " + file +
                     " would not be a valid config with the adopted environments appended; "
                     "nothing was imported and it is unchanged:" +
                     problems);
  }
  for (const ProposedEnvironment& proposal : discovered) {
    if (reread.config->environments.count(proposal.spec.name) == 0) {
      return Error(ErrorKind::kInvalidInput,
                   "import --discover: " + file + " does not declare " + proposal.spec.Address() +
                       " once appended to; nothing was imported and it is unchanged");
    }
  }
  return text;
}

}  // namespace spotform
