#include "cmd/command_options.h"
#include "cmd/commands.h"

namespace spotform {

int RunSchema(CommandContext& context) {
  CommandOptions options("spotform schema",
                         "Prints the JSON Schema of spotform.yaml, for editors' YAML language "
                         "servers.\nExample: spotform schema > spotform.schema.json, then add\n"
                         "  # yaml-language-server: $schema=./spotform.schema.json\n"
                         "at the top of spotform.yaml.");
  if (auto stop = options.Parse(context)) return *stop;
  context.out << ConfigJsonSchema() << "\n";
  return kExitOk;
}

}  // namespace spotform
