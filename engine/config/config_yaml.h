#pragma once

// Helpers the config parser uses to walk yaml-cpp nodes and report problems with their
// positions. Internal to engine/config_*.cc (the only yaml-cpp users in spotform).

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/model/error.h"
#include "engine/model/result.h"

namespace spotform {

// Collects the diagnostics of one file and hands them out in file order (by line, then
// column; problems at the same place keep the order they were found in).
class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

  // At a yaml-cpp mark (0-based); an unknown mark (-1) becomes 1:1, the file's start.
  void Add(const YAML::Mark& mark, std::string message);
  // At a 1-based line and column; 0:0 means "not in the file" (e.g. an environment variable).
  void AddAt(int line, int column, std::string message);

  bool empty() const { return diagnostics_.empty(); }
  std::vector<Diagnostic> TakeInFileOrder();

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

// One key of a mapping, its value, and the dotted path that names it in messages.
struct YamlField {
  std::string name;  // the key's text
  std::string path;  // e.g. "environments.render.zone"
  YAML::Node key;
  YAML::Node value;

  YAML::Mark KeyMark() const { return key.Mark(); }
  // Where the value is; for a missing (null) value, the key's position, since yaml-cpp
  // marks an empty value at the next token.
  YAML::Mark ValueMark() const;
};

// "a mapping", "a list", "nothing", or "a string", for "must be X, got Y" messages.
std::string DescribeNode(const YAML::Node& node);
// True for a scalar written without quotes or an explicit tag (`4`, not `"4"`).
bool IsPlainScalar(const YAML::Node& node);

// Reads the keys of one mapping, reporting those that are not plain strings, duplicated
// (the first one counts), named like credentials, or, when the allowed keys are given, not
// among them (with a "did you mean" hint). Holds copies of yaml-cpp's node handles only.
class MapReader {
 public:
  // Any key is allowed (environment names, tag keys). `map` is a mapping or null (empty).
  MapReader(const YAML::Node& map, std::string path, DiagnosticSink& sink);
  // Only `allowed` keys.
  MapReader(const YAML::Node& map, std::string path, std::span<const std::string_view> allowed,
            DiagnosticSink& sink);

  // The accepted keys, first occurrences only, in file order.
  const std::vector<YamlField>& fields() const { return fields_; }
  const YamlField* Find(std::string_view name) const;
  // Reports "PATH: missing required key `K`" at `where` for each absent key of `required`.
  void RequireKeys(std::span<const std::string_view> required, const YAML::Mark& where) const;

 private:
  void Read(const YAML::Node& map, const std::span<const std::string_view>* allowed);

  std::string path_;
  DiagnosticSink& sink_;
  std::vector<YamlField> fields_;
  std::map<std::string, size_t, std::less<>> index_;  // name -> position in fields_
};

// The text of a scalar value. Anything else is reported as "PATH: must be `what`, got a
// mapping" (or a list, or nothing). A value shaped like a secret is reported as such, never
// echoed, and gives nullopt.
std::optional<std::string> ReadScalar(const YamlField& field, std::string_view what,
                                      DiagnosticSink& sink);

// "PATH: MESSAGE" at `mark`, for an error from the value checks (engine/config/config_checks.h).
void ReportAt(const YAML::Mark& mark, const std::string& path, const Error& error,
              DiagnosticSink& sink);

// Reads an optional string value, runs `check` on it (a callable taking the text and
// returning Status), and stores it in `out` when valid; problems go to `sink` at the value.
template <typename Check>
void ReadCheckedString(const MapReader& reader, std::string_view key, std::string_view what,
                       Check check, std::string& out, DiagnosticSink& sink) {
  const YamlField* field = reader.Find(key);
  if (field == nullptr) return;
  std::optional<std::string> text = ReadScalar(*field, what, sink);
  if (!text) return;
  if (Status status = check(*text); !status.ok()) {
    ReportAt(field->ValueMark(), field->path, status.error(), sink);
    return;
  }
  out = *text;
}

}  // namespace spotform
