// ParseConfig and LoadConfigFile: spotform.yaml to a validated Config (spec §3).
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "engine/config.h"
#include "engine/config_checks.h"
#include "engine/config_digest.h"
#include "engine/config_environments.h"
#include "engine/config_keys.h"
#include "engine/config_yaml.h"

namespace spotform {
namespace {

// True when line `index` (0-based) of `text` is indented with a tab, which YAML forbids and
// yaml-cpp reports obscurely.
bool IndentedWithTab(const std::string& text, int index) {
  size_t start = 0;
  for (int line = 0; line < index && start != std::string::npos; ++line) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos || index < 0) return false;
  size_t end = text.find_first_not_of(" \t", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start)
             .find('\t') != std::string::npos;
}

// The one document of the file; null for an empty file. Syntax errors and extra documents
// are reported.
std::optional<YAML::Node> LoadDocument(const std::string& text, DiagnosticSink& sink) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    std::string hint = IndentedWithTab(text, e.mark.line) ? " (indent with spaces, not tabs)" : "";
    sink.Add(e.mark, "invalid YAML: " + e.msg + hint);
    return std::nullopt;
  }
  for (size_t i = 1; i < documents.size(); ++i) {
    if (!documents[i].IsNull()) {
      sink.Add(documents[i].Mark(),
               "the config must be a single YAML document; another one starts here");
    }
  }
  return documents.empty() ? YAML::Node() : documents.front();
}

// A section (`provider:`, `state:`) as a mapping; null counts as empty. Otherwise reported.
bool IsSection(const YamlField* field, DiagnosticSink& sink) {
  if (field == nullptr || field->value.IsNull() || field->value.IsMap()) return true;
  sink.Add(field->ValueMark(),
           field->path + ": must be a mapping, got " + DescribeNode(field->value));
  return false;
}

// The region from the file, else from TENCENTCLOUD_REGION; "" when missing or invalid.
std::string ReadRegion(const YamlField* section, const MapReader& provider, const EnvLookup& env,
                       DiagnosticSink& sink) {
  std::string region;
  if (provider.Find("region") != nullptr) {
    ReadCheckedString(provider, "region", "a region name", CheckRegion, region, sink);
    return region;
  }
  std::optional<std::string> from_env = env ? env(std::string(kRegionVariable)) : std::nullopt;
  if (from_env && !from_env->empty()) {
    if (Status status = CheckRegion(*from_env); !status.ok()) {
      sink.AddAt(0, 0, std::string(kRegionVariable) + ": " + status.error().message());
      return "";
    }
    return *from_env;
  }
  std::string message =
      "provider.region: required; set it here or in " + std::string(kRegionVariable);
  if (section != nullptr) {
    sink.Add(section->KeyMark(), message);
  } else {
    sink.AddAt(1, 1, message);
  }
  return "";
}

// Where the state file is: `path` as written, relative to the config file's folder.
std::string ResolveStatePath(const std::string& config_file, const std::string& path) {
  namespace fs = std::filesystem;
  fs::path state_path(path);
  if (state_path.is_relative()) {
    state_path = fs::path(config_file).parent_path() / state_path;
  }
  std::error_code error;
  fs::path absolute = fs::absolute(state_path, error);
  return (error ? state_path : absolute).lexically_normal().string();
}

// Fills config.state; returns the state path as written (or the default).
std::string ReadState(const YamlField* section, const std::string& file, StateConfig& state,
                      DiagnosticSink& sink) {
  std::string path(kDefaultStatePath);
  state.backend = std::string(kDefaultBackend);
  state.workspace = std::string(kDefaultWorkspace);
  if (IsSection(section, sink) && section != nullptr) {
    MapReader reader(section->value, section->path, kStateKeys, sink);
    ReadCheckedString(reader, "backend", "`sqlite`", CheckBackend, state.backend, sink);
    ReadCheckedString(reader, "path", "a file path", CheckStatePath, path, sink);
    ReadCheckedString(
        reader, "url", "a URL",
        [](std::string_view) {
          return Status(Error(ErrorKind::kInvalidInput,
                              "only the postgres backend uses a URL, and it is not available "
                              "yet; remove it"));
        },
        state.url, sink);
    ReadCheckedString(reader, "workspace", "a workspace name", CheckWorkspace, state.workspace,
                      sink);
  }
  state.path = ResolveStatePath(file, path);
  return path;
}

// Reads the three sections of `root` (a mapping or null) into `config` (whose `file` is
// set); returns the state path as written.
std::string ReadContent(const YAML::Node& root, const EnvLookup& env, Config& config,
                        DiagnosticSink& sink) {
  MapReader top(root, "", kTopLevelKeys, sink);
  const YamlField* provider_section = top.Find("provider");
  if (IsSection(provider_section, sink)) {
    YAML::Node provider_map = provider_section ? provider_section->value : YAML::Node();
    MapReader provider(provider_map, "provider", kProviderKeys, sink);
    config.provider.region = ReadRegion(provider_section, provider, env, sink);
    ReadCheckedString(provider, "endpoint", "a URL", CheckEndpoint, config.provider.endpoint, sink);
    ReadCheckedString(provider, "profile", "a profile name", CheckProfile, config.provider.profile,
                      sink);
  }
  std::string state_path = ReadState(top.Find("state"), config.file, config.state, sink);
  if (const YamlField* environments = top.Find("environments")) {
    config.environments = ReadEnvironments(*environments, config.provider.region, sink);
  }
  return state_path;
}

}  // namespace

std::string Diagnostic::ToString() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

ConfigParseResult ParseConfig(const std::string& text, const std::string& file,
                              const EnvLookup& env) {
  DiagnosticSink sink(file);
  std::optional<YAML::Node> root = LoadDocument(text, sink);
  if (!root) return {std::nullopt, sink.TakeInFileOrder()};
  if (!root->IsNull() && !root->IsMap()) {
    sink.Add(root->Mark(),
             "the config must be a mapping with provider, state and environments, got " +
                 DescribeNode(*root));
    return {std::nullopt, sink.TakeInFileOrder()};
  }
  Config config;
  config.file = file;
  std::string state_path;
  try {
    state_path = ReadContent(*root, env, config, sink);
  } catch (const YAML::Exception& e) {  // not expected: every node is checked before use
    sink.Add(e.mark, "cannot read config: " + e.msg);
  }
  if (!sink.empty()) return {std::nullopt, sink.TakeInFileOrder()};
  config.digest = ConfigDigest(config, state_path);
  return {std::move(config), {}};
}

ConfigParseResult LoadConfigFile(const std::string& file, const EnvLookup& env) {
  auto cannot_read = [&file](const std::string& why) {
    return ConfigParseResult{std::nullopt, {Diagnostic{file, 0, 0, "cannot read config: " + why}}};
  };
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) {
    return cannot_read("it is a directory; give the path of a spotform.yaml file");
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> handle(std::fopen(file.c_str(), "rb"),
                                                         &std::fclose);
  if (!handle) {
    int code = errno;
    std::string why = std::generic_category().message(code);
    if (code == ENOENT) why += "; run `spotform init` to write a starter spotform.yaml";
    return cannot_read(why);
  }
  std::string text;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), handle.get())) > 0) text.append(buffer, n);
  if (std::ferror(handle.get())) {
    return cannot_read(std::generic_category().message(errno));
  }
  return ParseConfig(text, file, env);
}

}  // namespace spotform
