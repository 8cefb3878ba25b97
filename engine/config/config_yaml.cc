#include "engine/config/config_yaml.h"

#include <algorithm>

#include "engine/config/config_checks.h"
#include "engine/model/did_you_mean.h"

namespace spotform {
namespace {

std::string JoinPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// "PATH: ", or nothing at the top level.
std::string Subject(const std::string& path) { return path.empty() ? "" : path + ": "; }

std::string ListOfKeys(std::span<const std::string_view> keys) {
  std::string out;
  for (std::string_view key : keys) {
    if (!out.empty()) out += ", ";
    out += key;
  }
  return out;
}

}  // namespace

void DiagnosticSink::Add(const YAML::Mark& mark, std::string message) {
  if (mark.line < 0 || mark.column < 0) {
    AddAt(1, 1, std::move(message));
  } else {
    AddAt(mark.line + 1, mark.column + 1, std::move(message));
  }
}

void DiagnosticSink::AddAt(int line, int column, std::string message) {
  diagnostics_.push_back(Diagnostic{file_, line, column, std::move(message)});
}

std::vector<Diagnostic> DiagnosticSink::TakeInFileOrder() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                   });
  return std::move(diagnostics_);
}

YAML::Mark YamlField::ValueMark() const { return value.IsNull() ? key.Mark() : value.Mark(); }

std::string DescribeNode(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a string";
    default:
      return "nothing";
  }
}

bool IsPlainScalar(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

MapReader::MapReader(const YAML::Node& map, std::string path, DiagnosticSink& sink)
    : path_(std::move(path)), sink_(sink) {
  Read(map, nullptr);
}

MapReader::MapReader(const YAML::Node& map, std::string path,
                     std::span<const std::string_view> allowed, DiagnosticSink& sink)
    : path_(std::move(path)), sink_(sink) {
  Read(map, &allowed);
}

void MapReader::Read(const YAML::Node& map, const std::span<const std::string_view>* allowed) {
  if (!map.IsMap()) return;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;  // copies: `it->` yields a temporary
    const YAML::Node value = it->second;
    if (!key.IsScalar()) {
      sink_.Add(key.Mark(), Subject(path_) + "keys must be plain names, got " + DescribeNode(key));
      continue;
    }
    const std::string& name = key.Scalar();
    if (LooksLikeSecret(name)) {
      sink_.Add(key.Mark(), Subject(path_) + CredentialsMessage());
      continue;
    }
    const std::string path = JoinPath(path_, name);
    if (IsCredentialKey(name)) {
      sink_.Add(key.Mark(), path + ": " + CredentialsMessage());
      continue;
    }
    if (const YamlField* first = Find(name)) {
      sink_.Add(key.Mark(), path + ": duplicate key (first set on line " +
                                std::to_string(first->KeyMark().line + 1) + ")");
      continue;
    }
    if (allowed != nullptr && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
      if (value.IsScalar() && LooksLikeSecret(value.Scalar())) {
        sink_.Add(value.Mark(), path + ": " + CredentialsMessage());
      } else if (std::optional<std::string> hint = ClosestName(name, *allowed)) {
        sink_.Add(key.Mark(), path + ": unknown key; did you mean `" + *hint + "`?");
      } else {
        sink_.Add(key.Mark(), path + ": unknown key; expected one of " + ListOfKeys(*allowed));
      }
      continue;
    }
    index_.emplace(name, fields_.size());
    fields_.push_back(YamlField{name, path, key, value});
  }
}

const YamlField* MapReader::Find(std::string_view name) const {
  auto found = index_.find(name);
  return found == index_.end() ? nullptr : &fields_[found->second];
}

void MapReader::RequireKeys(std::span<const std::string_view> required,
                            const YAML::Mark& where) const {
  for (std::string_view key : required) {
    if (Find(key) == nullptr) {
      sink_.Add(where, path_ + ": missing required key `" + std::string(key) + "`");
    }
  }
}

std::optional<std::string> ReadScalar(const YamlField& field, std::string_view what,
                                      DiagnosticSink& sink) {
  if (!field.value.IsScalar()) {
    sink.Add(field.ValueMark(),
             field.path + ": must be " + std::string(what) + ", got " + DescribeNode(field.value));
    return std::nullopt;
  }
  std::string text = field.value.Scalar();
  if (LooksLikeSecret(text)) {
    sink.Add(field.ValueMark(), field.path + ": " + CredentialsMessage());
    return std::nullopt;
  }
  return text;
}

void ReportAt(const YAML::Mark& mark, const std::string& path, const Error& error,
              DiagnosticSink& sink) {
  sink.Add(mark, path + ": " + error.message());
}

}  // namespace spotform
