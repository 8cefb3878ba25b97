#include "engine/config/config_append.h"

#include <optional>
#include <string_view>

namespace spotform {
namespace {

// One line of the text: where it starts and ends (before its line break), and where the next
// line starts.
struct AppendLine {
  size_t start = 0;
  size_t end = 0;
  size_t next = 0;
  std::string_view text;  // without the line break (and without a '\r' before it)
};

std::vector<AppendLine> SplitAppendLines(const std::string& text) {
  std::vector<AppendLine> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    const size_t next = end == std::string::npos ? text.size() : end + 1;
    if (end == std::string::npos) end = text.size();
    size_t content_end = end;
    if (content_end > start && text[content_end - 1] == '\r') --content_end;
    lines.push_back({start, end, next, std::string_view(text).substr(start, content_end - start)});
    start = next;
  }
  return lines;
}

bool IsBlankOrComment(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first == std::string_view::npos || line[first] == '#';
}

bool IsDocumentMarker(std::string_view line) {
  return (line.starts_with("---") || line.starts_with("...")) &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
}

// The value written on the key's own line after "environments:", comments dropped; nullopt
// when the line is not the top-level key `environments`.
std::optional<std::string_view> EnvironmentsKeyValue(std::string_view line) {
  constexpr std::string_view kKey = "environments";
  for (std::string_view quote : {"", "\"", "'"}) {
    const std::string key = std::string(quote) + std::string(kKey) + std::string(quote);
    if (!line.starts_with(key)) continue;
    std::string_view rest = line.substr(key.size());
    const size_t colon = rest.find_first_not_of(" \t");
    if (colon == std::string_view::npos || rest[colon] != ':') continue;
    rest = rest.substr(colon + 1);
    if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t') continue;  // "environments:x"
    const size_t value = rest.find_first_not_of(" \t");
    if (value == std::string_view::npos || rest[value] == '#') return std::string_view();
    return rest.substr(value);
  }
  return std::nullopt;
}

Error CannotAppend(const std::string& file, size_t line, const std::string& why) {
  return Error(ErrorKind::kInvalidInput,
               file + ":" + std::to_string(line) + ": " + why +
                   "; nothing was imported. Rewrite it, or pass --generate-config with a new "
                   "file name to get a complete config to review instead");
}

}  // namespace

Result<std::string> AppendEnvironmentsToConfigText(const std::string& text, const std::string& file,
                                                   const std::vector<ConfigEntry>& entries,
                                                   const std::vector<std::string>& intro) {
  const std::string eol = text.find("\r\n") != std::string::npos ? "\r\n" : "\n";
  const std::vector<AppendLine> lines = SplitAppendLines(text);

  std::optional<size_t> key;  // index of the `environments:` line
  bool content_seen = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i].text;
    if (IsDocumentMarker(line)) {
      if (content_seen) {
        return CannotAppend(
            file, i + 1,
            "holds more than one YAML document (`" + std::string(line.substr(0, 3)) + "`)");
      }
      continue;
    }
    if (IsBlankOrComment(line)) continue;
    content_seen = true;
    if (line[0] == '\t') return CannotAppend(file, i + 1, "is indented with a tab");
    if (line[0] == ' ') continue;
    std::optional<std::string_view> value = EnvironmentsKeyValue(line);
    if (!value.has_value()) continue;
    if (key.has_value()) {
      return CannotAppend(
          file, i + 1,
          "`environments:` appears a second time (first at line " + std::to_string(*key + 1) + ")");
    }
    if (!value->empty()) {
      return CannotAppend(
          file, i + 1,
          "`environments:` has its value on the same line (`" + std::string(*value) +
              "`), so adopted environments cannot be appended below it without rewriting "
              "it: write `environments:` alone on its line with each environment indented "
              "below it (for an empty `environments: {}`, delete the `{}`)");
    }
    key = i;
  }

  std::string entries_text = EmitEnvironmentEntriesYaml(entries);
  if (!key.has_value()) {
    std::string out = text;
    if (!out.empty() && out.back() != '\n') out += eol;
    out += "environments:" + eol;
    for (const std::string& line : intro) out += "  # " + line + eol;
    size_t start = 0;
    while (start < entries_text.size()) {
      const size_t end = entries_text.find('\n', start);
      const std::string_view line = std::string_view(entries_text).substr(start, end - start);
      out += (line.empty() ? "" : "  ") + std::string(line) + eol;
      start = end + 1;
    }
    return out;
  }

  // The block runs until the next line at column 0 that is neither blank nor a comment.
  std::string indent;
  size_t insert_at = lines[*key].next;
  bool needs_break = lines[*key].next == lines[*key].end;  // the key ends the text unbroken
  for (size_t i = *key + 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i].text;
    if (!line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '#') break;
    if (IsBlankOrComment(line)) {
      if (!line.empty() && line[0] == ' ' && !indent.empty()) {  // an indented comment
        insert_at = lines[i].next;
        needs_break = lines[i].next == lines[i].end;
      }
      continue;
    }
    const size_t first = line.find_first_not_of(' ');
    if (line[first] == '\t') return CannotAppend(file, i + 1, "is indented with a tab");
    if (indent.empty()) {
      if (line[first] == '{' || line[first] == '[') {
        return CannotAppend(file, i + 1,
                            "`environments:` is written in flow style (`" +
                                std::string(line.substr(first, 1)) +
                                "...`): write each environment as `NAME:` indented below "
                                "`environments:` (block style)");
      }
      if (line[first] == '-') {
        return CannotAppend(file, i + 1, "`environments:` holds a list, not a mapping");
      }
      indent = std::string(line.substr(0, first));
    }
    insert_at = lines[i].next;
    needs_break = lines[i].next == lines[i].end;
  }
  if (indent.empty()) indent = "  ";

  std::string added = needs_break ? eol : "";
  for (const std::string& line : intro) added += indent + "# " + line + eol;
  size_t start = 0;
  while (start < entries_text.size()) {
    const size_t end = entries_text.find('\n', start);
    const std::string_view line = std::string_view(entries_text).substr(start, end - start);
    added += (line.empty() ? "" : indent) + std::string(line) + eol;
    start = end + 1;
  }
  return text.substr(0, insert_at) + added + text.substr(insert_at);
}

}  // namespace spotform
