#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/clock.h"
#include "engine/config/config.h"

namespace spotform {

// Process exit codes (spec §2).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;  // plan --detailed-exitcode found changes

// Options every command accepts.
struct GlobalOptions {
  std::string config_path = "spotform.yaml";
  bool no_color = false;
  bool verbose = false;
};

// What a command runs with: its arguments, the global options, the process's streams,
// environment and clock. Owned by main; commands borrow it.
struct CommandContext {
  std::string command;             // "plan", "state list", ...
  std::vector<std::string> args;   // the arguments after the command word(s)
  GlobalOptions global;
  std::ostream& out;
  std::ostream& err;
  EnvLookup env;
  Clock& clock;
  bool stdout_is_terminal = false;

  // Human output gets colour unless --no-color, NO_COLOR or a non-terminal stdout.
  bool Color() const;
};

}  // namespace spotform
