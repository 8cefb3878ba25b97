// ParseConfig and LoadConfigFile: spotform.yaml to a validated Config (spec §3).
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "engine/config/config.h"
#include "engine/config/config_checks.h"
#include "engine/config/config_digest.h"
#include "engine/config/config_environments.h"
#include "engine/config/config_keys.h"
#include "engine/config/config_yaml.h"
#include "engine/config/yaml_documents.h"

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
  YamlDocuments documents;
  try {
    documents = LoadYamlDocuments(text);    // not YAML::LoadAll, which can hang (see there)
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own message is "bad file"
    sink.Add(e.mark, "invalid YAML: nested too deeply (more than " + std::to_string(e.depth() - 1) +
                         " levels)");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    std::string hint = IndentedWithTab(text, e.mark.line) ? " (indent with spaces, not tabs)" : "";
    sink.Add(e.mark, "invalid YAML: " + e.msg + hint);
    return std::nullopt;
  }
  for (const YAML::Mark& mark : documents.later_documents) {
    sink.Add(mark, "the config must be a single YAML document; another one starts here");
  }
  return documents.first;
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

// state.url: like ReadCheckedString, but a URL with a password gets the PostgreSQL hint
// (where the password belongs) instead of the generic credentials message; never echoed.
void ReadStateUrl(const MapReader& reader, StateConfig& state, DiagnosticSink& sink) {
  const YamlField* field = reader.Find("url");
  if (field == nullptr) return;
  if (field->value.IsScalar() && UrlHasPassword(field->value.Scalar())) {
    sink.Add(field->ValueMark(), field->path + ": " + PostgresPasswordMessage());
    return;
  }
  ReadCheckedString(reader, "url", "a PostgreSQL URL", CheckStateUrl, state.url, sink);
}

// The backend's own rules: sqlite takes a path, postgres a URL (from the file or
// SPOTFORM_PG_URL, the file winning).
void CheckStateBackend(const YamlField* section, const MapReader* reader, const EnvLookup& env,
                       StateConfig& state, DiagnosticSink& sink) {
  const YamlField* url_field = reader != nullptr ? reader->Find("url") : nullptr;
  const YamlField* path_field = reader != nullptr ? reader->Find("path") : nullptr;
  if (state.backend == "sqlite") {
    const bool password_reported = url_field != nullptr && url_field->value.IsScalar() &&
                                   UrlHasPassword(url_field->value.Scalar());
    if (url_field != nullptr && !password_reported) {
      sink.Add(url_field->KeyMark(), url_field->path +
                                         ": only the postgres backend uses a URL; remove it or "
                                         "set `backend: postgres`");
    }
    return;
  }
  if (path_field != nullptr) {
    sink.Add(path_field->KeyMark(), path_field->path +
                                        ": only the sqlite backend uses a path; remove it (the "
                                        "postgres backend uses `url`)");
  }
  if (url_field != nullptr) return;
  std::optional<std::string> from_env = env ? env(std::string(kPostgresUrlVariable)) : std::nullopt;
  if (from_env && !from_env->empty()) {
    // The environment may hold the password; only the shape is checked here.
    if (!UrlHasPassword(*from_env)) {
      if (Status status = CheckStateUrl(*from_env); !status.ok()) {
        sink.AddAt(0, 0, std::string(kPostgresUrlVariable) + ": " + status.error().message());
        return;
      }
    } else if (RedactUrlPassword(*from_env).rfind("postgres", 0) != 0) {
      sink.AddAt(0, 0,
                 std::string(kPostgresUrlVariable) +
                     ": is not a PostgreSQL URL; write postgresql://USER:PASSWORD@HOST"
                     "[:PORT]/DATABASE");
      return;
    }
    state.url = *from_env;
    state.url_from_environment = true;
    return;
  }
  const std::string message =
      "state.url: required by the postgres backend; set it here "
      "(postgresql://[USER@]HOST[:PORT]/DATABASE, without the password) "
      "or in " +
      std::string(kPostgresUrlVariable);
  const YamlField* backend_field = reader != nullptr ? reader->Find("backend") : nullptr;
  if (backend_field != nullptr) {
    sink.Add(backend_field->KeyMark(), message);
  } else if (section != nullptr) {
    sink.Add(section->KeyMark(), message);
  } else {
    sink.AddAt(1, 1, message);
  }
}

// Fills config.state; returns the state path as written (or the default).
std::string ReadState(const YamlField* section, const std::string& file, const EnvLookup& env,
                      StateConfig& state, DiagnosticSink& sink) {
  std::string path(kDefaultStatePath);
  state.backend = std::string(kDefaultBackend);
  state.workspace = std::string(kDefaultWorkspace);
  if (IsSection(section, sink) && section != nullptr) {
    MapReader reader(section->value, section->path, kStateKeys, sink);
    bool backend_ok = true;
    if (reader.Find("backend") != nullptr) {
      state.backend.clear();  // stays empty when the value is refused
      ReadCheckedString(reader, "backend", "`sqlite` or `postgres`", CheckBackend, state.backend,
                        sink);
      backend_ok = !state.backend.empty();
    }
    ReadCheckedString(reader, "path", "a file path", CheckStatePath, path, sink);
    ReadStateUrl(reader, state, sink);
    ReadCheckedString(reader, "workspace", "a workspace name", CheckWorkspace, state.workspace,
                      sink);
    if (backend_ok) CheckStateBackend(section, &reader, env, state, sink);
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
  std::string state_path = ReadState(top.Find("state"), config.file, env, config.state, sink);
  if (const YamlField* environments = top.Find("environments")) {
    config.environments = ReadEnvironments(*environments, config.provider.region, sink);
  }
  return state_path;
}

}  // namespace

std::string Diagnostic::ToString() const {
  if (line == 0) return message;  // about the whole file, which the message names
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
  config.shared_digest = SharedConfigDigest(config, state_path);
  return {std::move(config), {}};
}

namespace {

// "no spotform.yaml in /srv/farm; run `spotform init`": a missing config is a project not set
// up yet (or the wrong folder), not an error at a position in a file.
std::string NoConfigHere(const std::string& file) {
  std::error_code error;
  const std::filesystem::path path(file);
  std::filesystem::path folder = std::filesystem::absolute(path, error).parent_path();
  if (error) folder = path.parent_path().empty() ? "." : path.parent_path();
  const std::string name = path.filename().string();
  const std::string init = name == "spotform.yaml" ? "spotform init" : "spotform init -c " + file;
  return "no " + name + " in " + folder.string() + "; run `" + init + "`";
}

}  // namespace

ConfigParseResult LoadConfigFile(const std::string& file, const EnvLookup& env) {
  auto file_error = [&file](const std::string& message) {
    return ConfigParseResult{std::nullopt, {Diagnostic{file, 0, 0, message}}};
  };
  auto cannot_read = [&](const std::string& why) {
    return file_error("cannot read config " + file + ": " + why);
  };
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) {
    return cannot_read("it is a directory; give the path of a spotform.yaml file");
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> handle(std::fopen(file.c_str(), "rb"),
                                                         &std::fclose);
  if (!handle) {
    const int code = errno;
    if (code == ENOENT) return file_error(NoConfigHere(file));
    return cannot_read(std::generic_category().message(code));
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
