#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/workspace.h"
#include "engine/model/words.h"

namespace spotform {

int RunValidate(CommandContext& context) {
  CommandOptions options("spotform validate [-c FILE]",
                         "Parses and checks the config without contacting the cloud or reading "
                         "state.\nEvery problem is reported at once as FILE:LINE:COL: message.");
  if (auto stop = options.Parse(context)) return *stop;
  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  context.out << "The configuration is valid: "
              << Plural(config->environments.size(), "environment", "environments") << " in "
              << config->provider.region << ".\n";
  return kExitOk;
}

}  // namespace spotform
