// docs/config-reference.md cannot drift from the config's JSON Schema (`spotform schema`,
// engine/config/config_schema.cc): every key the schema knows, nested ones included
// (provider.*, state.*, environments.NAME.*, environments.NAME.instance_types[].*), has a
// section `### \`PATH\`` in the reference, every such section names a key of the schema, and
// each section shows the schema's facts about its key: the type, the default, every enum
// value, the pattern, the numeric limits (batch mode's too) and whether it is required.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/test_config.h"

namespace spotform::e2e::config_reference_doc {

using nlohmann::json;

// One key of the schema and what the reference must say about it.
struct SchemaKey {
  std::string path;
  json node;
  bool required = false;
  std::string name_pattern;  // for a map's entries (environments.NAME)
  json batch_limits;         // the `then` branch's overrides for this key, or null
};

void WalkProperties(const json& object, const std::string& prefix, const json& batch_then,
                    std::vector<SchemaKey>& keys);

void Visit(const std::string& path, const json& node, bool required, const json& batch_then,
           std::vector<SchemaKey>& keys) {
  SchemaKey key{path, node, required, "", json()};
  if (batch_then.is_object()) {
    const std::string leaf = path.substr(path.rfind('.') + 1);
    if (batch_then.contains(leaf)) key.batch_limits = batch_then[leaf];
  }
  keys.push_back(key);
  if (node.contains("properties")) WalkProperties(node, path + ".", json(), keys);
  // A map of named entries (environments).
  if (node.contains("additionalProperties") && node["additionalProperties"].is_object() &&
      node["additionalProperties"].contains("properties")) {
    const json& entry = node["additionalProperties"];
    SchemaKey named{
        path + ".NAME", entry, false,
        node.contains("propertyNames") ? node["propertyNames"].value("pattern", "") : "", json()};
    keys.push_back(named);
    json then;
    if (entry.contains("then")) then = entry["then"]["properties"];
    WalkProperties(entry, path + ".NAME.", then, keys);
  }
  // A list whose entries may be objects (instance_types).
  if (node.contains("items") && node["items"].contains("oneOf")) {
    for (const json& option : node["items"]["oneOf"]) {
      if (option.contains("properties")) WalkProperties(option, path + "[].", json(), keys);
    }
  }
}

void WalkProperties(const json& object, const std::string& prefix, const json& batch_then,
                    std::vector<SchemaKey>& keys) {
  std::set<std::string> required;
  if (object.contains("required")) {
    for (const json& name : object["required"]) required.insert(name.get<std::string>());
  }
  for (const auto& [name, node] : object["properties"].items()) {
    Visit(prefix + name, node, required.count(name) > 0, batch_then, keys);
  }
}

// The reference's sections: `### \`PATH\`` up to the next heading, with `\|` unescaped.
std::map<std::string, std::string> Sections(const std::string& markdown) {
  std::map<std::string, std::string> sections;
  const std::regex heading(R"(^### `([^`]+)`\s*$)");
  std::string current;
  std::stringstream in(markdown);
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (std::regex_match(line, match, heading)) {
      current = match[1];
      EXPECT_EQ(sections.count(current), 0u) << "two sections for " << current;
      sections[current] = "";
    } else if (line.rfind("#", 0) == 0) {
      current.clear();
    } else if (!current.empty()) {
      size_t at;
      while ((at = line.find("\\|")) != std::string::npos) line.replace(at, 2, "|");
      sections[current] += line + "\n";
    }
  }
  return sections;
}

std::string AsCode(const json& value) {
  return "`" + (value.is_string() ? value.get<std::string>() : value.dump()) + "`";
}

// Every JSON type the node admits (directly, or through its oneOf options; an enum of
// strings is a string).
std::set<std::string> TypesOf(const json& node) {
  std::set<std::string> types;
  if (node.contains("type")) {
    if (node["type"].is_array()) {
      for (const json& type : node["type"]) types.insert(type.get<std::string>());
    } else {
      types.insert(node["type"].get<std::string>());
    }
  } else if (node.contains("enum")) {
    types.insert("string");
  }
  if (node.contains("oneOf")) {
    for (const json& option : node["oneOf"]) {
      if (option.contains("type")) types.insert(option["type"].get<std::string>());
    }
  }
  return types;
}

// The patterns a reader needs: the node's own, its list items', its options'.
std::vector<std::string> PatternsOf(const json& node) {
  std::vector<std::string> patterns;
  auto add = [&](const json& from) {
    if (from.is_object() && from.contains("pattern")) patterns.push_back(from["pattern"]);
  };
  add(node);
  if (node.contains("items")) {
    add(node["items"]);
    if (node["items"].contains("oneOf")) {
      for (const json& option : node["items"]["oneOf"]) add(option);
    }
  }
  if (node.contains("oneOf")) {
    for (const json& option : node["oneOf"]) add(option);
  }
  return patterns;
}

bool HasNumber(const std::string& text, const json& number) {
  return std::regex_search(text, std::regex("(^|[^0-9])" + number.dump() + "([^0-9]|$)"));
}

TEST(DocConfigReference, NamesEveryKeyOfTheSchemaWithItsRules) {
  TempDir cwd;
  const CliResult printed = RunSpotform({"schema"}, cwd.path());
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  const json schema = json::parse(printed.out);
  std::vector<SchemaKey> keys;
  WalkProperties(schema, "", json(), keys);
  ASSERT_GE(keys.size(), 20u);

  const std::string reference =
      testing::ReadFile(std::string(SPOTFORM_SOURCE_DIR) + "/docs/config-reference.md");
  const std::map<std::string, std::string> sections = Sections(reference);

  std::set<std::string> paths;
  for (const SchemaKey& key : keys) {
    paths.insert(key.path);
    auto found = sections.find(key.path);
    if (found == sections.end()) {
      ADD_FAILURE() << "docs/config-reference.md has no section ### `" << key.path << "`";
      continue;
    }
    const std::string& text = found->second;
    const json& node = key.node;
    for (const std::string& type : TypesOf(node)) {
      EXPECT_TRUE(text.find(type) != std::string::npos) << key.path << ": type " << type;
    }
    if (node.contains("default")) {
      EXPECT_TRUE(text.find(AsCode(node["default"])) != std::string::npos)
          << key.path << ": default " << AsCode(node["default"]);
    }
    if (node.contains("enum")) {
      for (const json& value : node["enum"]) {
        EXPECT_TRUE(text.find(AsCode(value)) != std::string::npos)
            << key.path << ": allowed value " << AsCode(value);
      }
    }
    for (const std::string& pattern : PatternsOf(node)) {
      EXPECT_TRUE(text.find(pattern) != std::string::npos) << key.path << ": pattern " << pattern;
    }
    if (!key.name_pattern.empty()) {
      EXPECT_TRUE(text.find(key.name_pattern) != std::string::npos)
          << key.path << ": name pattern " << key.name_pattern;
    }
    for (const char* limit : {"minimum", "maximum", "minItems", "maxItems", "maxProperties"}) {
      if (node.contains(limit)) {
        EXPECT_TRUE(HasNumber(text, node[limit]))
            << key.path << ": " << limit << " " << node[limit];
      }
      if (key.batch_limits.is_object() && key.batch_limits.contains(limit)) {
        EXPECT_TRUE(HasNumber(text, key.batch_limits[limit]))
            << key.path << ": batch mode " << limit << " " << key.batch_limits[limit];
      }
    }
    if (key.required) {
      EXPECT_TRUE(text.find("| yes") != std::string::npos) << key.path << ": required";
    }
  }
  for (const auto& [path, text] : sections) {
    EXPECT_EQ(paths.count(path), 1u)
        << "docs/config-reference.md documents `" << path << "`, which the schema does not know";
  }
}

}  // namespace spotform::e2e::config_reference_doc
