#include "cmd/command_options.h"

#include <iostream>
#include <sstream>

#include "engine/model/text_style.h"

namespace spotform {

namespace po = boost::program_options;

bool CommandContext::Color() const {
  return ColorEnabled(global.no_color, env("NO_COLOR"), stdout_is_terminal);
}

CommandOptions::CommandOptions(std::string usage, std::string summary)
    : usage_(std::move(usage)), summary_(std::move(summary)), own_("Options") {
  own_.add_options()("help,h", "show this help");
}

void CommandOptions::Positional(const std::string& name, int max_count) {
  positional_.add(name.c_str(), max_count);
  positional_names_.insert(name);
}

std::optional<int> CommandOptions::Parse(CommandContext& context) {
  po::options_description global("Global options");
  global.add_options()("config,c",
                       po::value<std::string>(&context.global.config_path)->value_name("FILE"),
                       "config file (default: spotform.yaml in the current directory)")(
      "no-color", po::bool_switch(&context.global.no_color),
      "no colour in output (also when NO_COLOR is set or stdout is not a terminal)");
  po::options_description verbose;
  verbose.add_options()("verbose,v", po::bool_switch(&context.global.verbose),
                        "log every API request (redacted: never the secret key or token)");
  po::options_description all;
  all.add(own_).add(global).add(verbose);
  try {
    po::store(
        po::command_line_parser(context.args)
            .options(all)
            .positional(positional_)
            .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
            .run(),
        values_);
    po::notify(values_);
  } catch (const po::error& error) {
    context.err << "spotform " << context.command << ": " << error.what() << "\n"
                << "Run `spotform " << context.command << " --help` for the options.\n";
    return kExitError;
  }
  if (values_.count("help") > 0) {
    // Positional arguments are in the usage line, not options to type as --name.
    po::options_description shown("Options");
    for (const auto& option : own_.options()) {
      if (positional_names_.count(option->long_name()) == 0) shown.add(option);
    }
    if (logs_api_calls_) global.add(verbose);
    context.out << "Usage: " << usage_ << "\n\n"
                << summary_ << "\n\n"
                << shown << "\n"
                << global << "\n";
    return kExitOk;
  }
  return std::nullopt;
}

int Fail(CommandContext& context, const std::string& message) {
  context.err << "spotform: " << message << "\n";
  return kExitError;
}

}  // namespace spotform
