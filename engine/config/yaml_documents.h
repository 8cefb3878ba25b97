#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace spotform {

// The documents of a YAML stream: the first as a node, and where each later document that is
// not empty starts. What YAML::LoadAll gives, minus its hang: yaml-cpp 0.7 (Debian 12) loops
// forever, allocating, on a stream such as "," whose document consumes no token
// (jbeder/yaml-cpp#1040, fixed upstream by #1319, found here by tests/fuzz/config_fuzzer).
// Here a parser that stops advancing is a syntax error at the token it is stuck on.
struct YamlDocuments {
  YAML::Node first;                         // null for an empty stream
  std::vector<YAML::Mark> later_documents;  // where each later, non-empty document starts
};

// Reads `text`. Syntax errors throw YAML::Exception (as YAML::LoadAll does; a stuck parser
// throws YAML::ParserException "unexpected ','" at the token); the caller,
// engine/config/config_parser.cc, turns them into diagnostics.
YamlDocuments LoadYamlDocuments(const std::string& text);

}  // namespace spotform
