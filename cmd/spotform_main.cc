// spotform: declarative spot capacity for Tencent Cloud. Wires the commands to the process:
// arguments, streams, environment, clock; turns their results into exit codes.
#include <curl/curl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmd/cli_context.h"
#include "cmd/commands.h"
#include "engine/model/did_you_mean.h"

namespace spotform {
namespace {

constexpr char kVersion[] = "spotform " SPOTFORM_VERSION;  // project() version (cmd/CMakeLists)

struct CommandEntry {
  const char* name;
  int (*run)(CommandContext&);
  const char* summary;
};

constexpr CommandEntry kCommands[] = {
    {"init", RunInit, "write a starter spotform.yaml and keep .spotform/ out of git"},
    {"validate", RunValidate, "check the config; errors as FILE:LINE:COL: message"},
    {"schema", RunSchema, "print the config's JSON Schema (for editors)"},
    {"plan", RunPlan, "refresh, compare with the config, print what apply would do"},
    {"show", RunShow, "show the recorded state or a saved plan"},
    {"apply", RunApply, "make the cloud match the config (asks first)"},
    {"destroy", RunDestroy, "release everything recorded in the state (asks first)"},
    {"refresh", RunRefresh, "record what the cloud reports; change nothing in the cloud"},
    {"import", RunImport, "adopt existing spot instances or Batch environments"},
    {"state", RunState, "inspect and edit the state: list, show, rm, mv, migrate"},
    {"watch", RunWatch, "keep cvm environments full while spot instances come and go"},
    {"force-unlock", RunForceUnlock, "remove a stale state lock by its ID"},
    {"completion", RunCompletion, "print the bash completion script: completion bash"},
};

void PrintUsage(std::ostream& out) {
  out << "Usage: spotform [-c FILE] [--no-color] [-v] COMMAND [options]\n\n"
         "Declarative spot capacity for Tencent Cloud: environments of spot instances are\n"
         "declared in spotform.yaml; `plan` shows the difference with the cloud, `apply`\n"
         "makes it so.\n\nCommands:\n";
  for (const CommandEntry& entry : kCommands) {
    out << "  " << entry.name << std::string(14 - std::string(entry.name).size(), ' ')
        << entry.summary << "\n";
  }
  out << "\nGlobal options:\n"
         "  -c, --config FILE   config file (default: spotform.yaml)\n"
         "  --no-color          no colour (also with NO_COLOR or when stdout is not a tty)\n"
         "  -v, --verbose       log every API request (redacted), where a command makes them\n"
         "  -h, --help          help; `spotform COMMAND --help` for a command's options\n"
         "  --version           print the version\n\n"
         "Credentials: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (and\n"
         "TENCENTCLOUD_SECURITY_TOKEN), or a tccli profile (provider.profile).\n";
}

// Splits argv into the command word and the rest, skipping the values of global flags.
bool FindCommand(const std::vector<std::string>& argv, std::string& command,
                 std::vector<std::string>& rest) {
  bool found = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (!found && (arg == "-c" || arg == "--config") && i + 1 < argv.size()) {
      rest.push_back(arg);
      rest.push_back(argv[++i]);
    } else if (!found && !arg.empty() && arg[0] != '-') {
      command = arg;
      found = true;
    } else {
      rest.push_back(arg);
    }
  }
  return found;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command;
  std::vector<std::string> rest;
  if (!FindCommand(args, command, rest)) {
    for (const std::string& arg : args) {
      if (arg == "--version") {
        std::cout << kVersion << "\n";
        return kExitOk;
      }
    }
    const bool asked = !args.empty() && (args[0] == "-h" || args[0] == "--help");
    PrintUsage(asked ? std::cout : std::cerr);
    return asked ? kExitOk : kExitError;
  }
  for (const CommandEntry& entry : kCommands) {
    if (command != entry.name) continue;
    SystemClock clock;
    CommandContext context{
        .command = command,
        .args = rest,
        .global = {},
        .out = std::cout,
        .err = std::cerr,
        .env = [](const std::string& name) -> std::optional<std::string> {
          // NOLINTNEXTLINE(concurrency-mt-unsafe): spotform never calls setenv
          const char* value = std::getenv(name.c_str());
          return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
        },
        .clock = clock,
        .stdout_is_terminal = isatty(STDOUT_FILENO) == 1,
    };
    return entry.run(context);
  }
  std::vector<std::string_view> names;
  for (const CommandEntry& entry : kCommands) names.emplace_back(entry.name);
  const std::optional<std::string> meant = ClosestName(command, names);
  std::cerr << "spotform: unknown command `" << command << "`"
            << (meant ? "; did you mean `" + *meant + "`?" : std::string()) << "\n\n";
  PrintUsage(std::cerr);
  return kExitError;
}

}  // namespace
}  // namespace spotform

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int code = spotform::Main(argc, argv);
  curl_global_cleanup();
  return code;
}
