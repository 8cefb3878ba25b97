// What `spotform COMMAND --help` shows a new user (issue 15): the options one can type, no
// positional arguments dressed up as flags, booleans as true/false, and -v/--verbose only
// where the command calls the cloud API.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/cli_runner.h"

namespace spotform {
namespace {

struct HelpCase {
  std::vector<std::string> command;
  bool calls_the_api;
};

const std::vector<HelpCase>& HelpCases() {
  static const std::vector<HelpCase> cases = {
      {{"init"}, false},          {{"validate"}, false},
      {{"schema"}, false},        {{"plan"}, true},
      {{"show"}, false},          {{"apply"}, true},
      {{"destroy"}, true},        {{"refresh"}, true},
      {{"import"}, true},         {{"watch"}, true},
      {{"force-unlock"}, false},  {{"state", "list"}, false},
      {{"state", "show"}, false}, {{"state", "rm"}, false},
      {{"state", "mv"}, false},   {{"state", "migrate"}, false},
  };
  return cases;
}

std::string Help(const std::vector<std::string>& command, const TempDir& dir) {
  std::vector<std::string> args = command;
  args.push_back("--help");
  CliResult result = RunSpotform(args, dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

TEST(CliHelpTest, PositionalArgumentsAreNotListedAsOptions) {
  TempDir dir;
  for (const HelpCase& help : HelpCases()) {
    const std::string text = Help(help.command, dir);
    SCOPED_TRACE(help.command.front() + (help.command.size() > 1 ? " " + help.command[1] : ""));
    EXPECT_NE(text.find("Usage: spotform"), std::string::npos) << text;
    for (const char* hidden : {"--planfile", "--plan-file", "--ids", "--address", "--lock-id"}) {
      EXPECT_EQ(text.find(hidden), std::string::npos) << hidden << " in\n" << text;
    }
    // Every option that takes a value names it (FILE, DURATION, true/false...), never "arg".
    EXPECT_EQ(text.find(" arg "), std::string::npos) << text;
    EXPECT_EQ(text.find(" arg\n"), std::string::npos) << text;
  }
}

TEST(CliHelpTest, VerboseIsListedOnlyWhereTheCommandCallsTheApi) {
  TempDir dir;
  for (const HelpCase& help : HelpCases()) {
    const std::string text = Help(help.command, dir);
    SCOPED_TRACE(help.command.front() + (help.command.size() > 1 ? " " + help.command[1] : ""));
    EXPECT_EQ(text.find("--verbose") != std::string::npos, help.calls_the_api) << text;
  }
}

TEST(CliHelpTest, BooleanValuesReadTrueOrFalse) {
  TempDir dir;
  const std::string text = Help({"plan"}, dir);
  EXPECT_NE(text.find("--refresh true/false (=true)"), std::string::npos) << text;
  EXPECT_EQ(text.find("BOOL"), std::string::npos) << text;
  EXPECT_EQ(text.find("(=1)"), std::string::npos) << text;
}

TEST(CliHelpTest, VerboseIsStillAcceptedBeforeAnyCommand) {
  TempDir dir;
  dir.Write("spotform.yaml", "provider: {region: ap-guangzhou}\nenvironments: {}\n");
  CliResult result = RunSpotform({"-v", "validate"}, dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

}  // namespace
}  // namespace spotform
