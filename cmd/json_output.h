#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace spotform {

// A JSON document as `--json` prints it: indented by 2, one line break at the end. A stray
// invalid UTF-8 byte (a state file edited by hand can hold one) is printed as U+FFFD: dump()
// would otherwise throw.
inline std::string JsonOutput(const nlohmann::ordered_json& document) {
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace spotform
