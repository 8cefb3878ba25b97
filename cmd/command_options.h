#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <set>
#include <string>

#include "cmd/cli_context.h"

namespace spotform {

// CommandOptions parses one command's flags (plus the global ones) with
// Boost.Program_options and answers --help with the command's usage text. Program_options
// exceptions stop here and become a message naming the bad flag.
class CommandOptions {
 public:
  // `usage` is the first help line ("spotform plan [options]"); `summary` says what the
  // command does, in a paragraph.
  CommandOptions(std::string usage, std::string summary);

  boost::program_options::options_description_easy_init Add() { return own_.add_options(); }
  // Collects the remaining non-flag arguments into `name` (repeatable). `name` is added
  // with Add() like a flag, but --help leaves it out: the usage line names it.
  void Positional(const std::string& name, int max_count = -1);
  // For commands that call the cloud API: --help lists -v/--verbose. Elsewhere it is
  // accepted (it may stand before any command) but has nothing to log and is not listed.
  void LogsApiCalls() { logs_api_calls_ = true; }

  // Parses context.args. Returns the exit code to stop with (help printed: 0; bad flags: 1,
  // with the error and a pointer to --help on stderr), or nullopt to go on.
  std::optional<int> Parse(CommandContext& context);

  const boost::program_options::variables_map& values() const { return values_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }

 private:
  std::string usage_;
  std::string summary_;
  boost::program_options::options_description own_;
  boost::program_options::positional_options_description positional_;
  std::set<std::string> positional_names_;
  bool logs_api_calls_ = false;
  boost::program_options::variables_map values_;
};

// "spotform: <message>" to stderr; returns kExitError.
int Fail(CommandContext& context, const std::string& message);

}  // namespace spotform
