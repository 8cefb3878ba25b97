// `spotform state`: finds the subcommand word among the arguments and runs it.
#include "cmd/command_state.h"

#include <array>
#include <ostream>
#include <string_view>

#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/workspace.h"
#include "engine/model/did_you_mean.h"

namespace spotform {
namespace {

struct Subcommand {
  const char* name;
  int (*run)(CommandContext&);
  const char* summary;
};

constexpr std::array<Subcommand, 6> kSubcommands = {{
    {"list", RunStateList, "every recorded address, one a line (--json)"},
    {"show", RunStateShow, "the recorded details of one address (--json)"},
    {"rm", RunStateRm, "forget environments without touching the cloud"},
    {"mv", RunStateMv, "rename an environment, or move an instance to another one"},
    {"migrate", RunStateMigrate, "copy the state to another backend"},
    {"restore", RunStateRestore, "bring back the state before the latest command (--backup)"},
}};

void PrintStateUsage(std::ostream& out) {
  out << "Usage: spotform state SUBCOMMAND [options]\n\n"
         "Inspects and edits the recorded state by hand. `list` and `show` only read (no\n"
         "lock, no cloud calls); `rm` and `mv` take the state's lock and make one change\n"
         "(one serial) each, and never call the cloud.\n\n"
         "Addresses: env.NAME (an environment with its pools and instances) and env.NAME.ID\n"
         "(one recorded instance: ins-... or, for Batch, node-...).\n\nSubcommands:\n";
  for (const Subcommand& sub : kSubcommands) {
    out << "  " << sub.name << std::string(10 - std::string_view(sub.name).size(), ' ')
        << sub.summary << "\n";
  }
  out << "\nExamples:\n"
         "  spotform state list\n"
         "  spotform state show env.render.ins-1a2b3c4d\n"
         "  spotform state mv env.render env.render-eu\n"
         "  spotform state rm env.legacy\n\n"
         "`spotform state SUBCOMMAND --help` explains each one.\n";
}

}  // namespace

int RunState(CommandContext& context) {
  // The subcommand is the first word that is neither a flag nor the value of -c/--config.
  std::vector<std::string> rest;
  std::optional<size_t> word;
  bool help = false;
  for (size_t i = 0; i < context.args.size(); ++i) {
    const std::string& arg = context.args[i];
    if (!word && (arg == "-c" || arg == "--config") && i + 1 < context.args.size()) {
      rest.push_back(arg);
      rest.push_back(context.args[++i]);
    } else if (!word && !arg.empty() && arg[0] != '-') {
      word = i;
    } else {
      if (!word && (arg == "-h" || arg == "--help")) help = true;
      rest.push_back(arg);
    }
  }
  if (!word) {
    PrintStateUsage(help ? context.out : context.err);
    return help ? kExitOk : kExitError;
  }
  const std::string& name = context.args[*word];
  for (const Subcommand& sub : kSubcommands) {
    if (name != sub.name) continue;
    CommandContext sub_context = context;
    sub_context.command = "state " + name;
    sub_context.args = rest;
    return sub.run(sub_context);
  }
  std::vector<std::string_view> names;
  for (const Subcommand& sub : kSubcommands) names.push_back(sub.name);
  std::optional<std::string> closest = ClosestName(name, names);
  return Fail(context, "unknown state subcommand `" + name + "`" +
                           (closest ? "; did you mean `spotform state " + *closest + "`?"
                                    : "; run `spotform state --help` for the list"));
}

}  // namespace spotform
