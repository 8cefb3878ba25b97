// `spotform completion bash`: prints the bash completion script (cmd/completion/spotform.bash,
// embedded at build time) for `source <(spotform completion bash)`.
#include <string>

#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "completion_script.h"

namespace spotform {

int RunCompletion(CommandContext& context) {
  CommandOptions options(
      "spotform completion bash",
      "Prints the bash completion script: commands, `state` subcommands, each command's\n"
      "flags and the addresses recorded in the state (env.NAME) complete on TAB. Packages\n"
      "and `cmake --install` install it already\n"
      "(share/bash-completion/completions/spotform).\n"
      "Examples:\n"
      "  source <(spotform completion bash)                      this shell\n"
      "  echo 'source <(spotform completion bash)' >> ~/.bashrc  every new shell");
  std::string shell;
  options.Add()("shell", boost::program_options::value(&shell), "bash (the only one)");
  options.Positional("shell", 1);
  if (auto stop = options.Parse(context)) return *stop;
  if (shell != "bash") {
    return Fail(context, shell.empty() ? "completion: name the shell: spotform completion bash"
                                       : "completion: only bash is supported, not \"" + shell +
                                             "\"");
  }
  context.out << kBashCompletionScript;
  return kExitOk;
}

}  // namespace spotform
