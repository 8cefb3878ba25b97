#pragma once

#include <string>
#include <vector>

#include "engine/config/config_writer.h"
#include "engine/model/result.h"

namespace spotform {

// Appends environments to the text of a config a person wrote, changing nothing else: every
// byte before and after the insertion point stays as written (comments, order, quoting,
// line endings). The entries go at the end of the top-level block `environments:`, indented
// like its existing entries (2 spaces when it has none), after `intro` (comment lines,
// without `# `); a file without `environments:` gains one at its end. Refuses (kInvalidInput,
// naming `file`, the line and what to do) what it cannot append to safely: `environments:`
// written in flow style (`environments: {}`) or with a value on its line, more than one
// `environments:` key, several YAML documents, or tab indentation. Pure: the caller reads
// and writes the file, and should parse the result before using it.
Result<std::string> AppendEnvironmentsToConfigText(const std::string& text, const std::string& file,
                                                   const std::vector<ConfigEntry>& entries,
                                                   const std::vector<std::string>& intro);

}  // namespace spotform
