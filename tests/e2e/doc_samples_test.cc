// The documentation's command samples are run, so what README.md, docs/*.md and
// examples/**/README.md show is what the tool does.
//
// Rules for the markdown (scanned: README.md, docs/*.md, examples/README.md,
// examples/*/README.md):
//
// 1. Every command line in a fenced block tagged `sh`, `bash`, `shell` or `console` must
//    parse. In `sh`/`bash`/`shell` blocks every line that is not a comment is a command line
//    (a trailing `\` continues it); in `console` blocks the lines starting with `$ ` are. A line
//    is split like a shell would (quotes, `|`, `&&`, `;`, `&`, redirections, `# comment`); each
//    piece that runs `spotform` or `spotform-sim` is run again with `--help` appended (unless
//    it already asks for help) and must exit 0. With --help the command name and every option
//    name must be known, and nothing is done; option values are not checked. Blocks tagged
//    `text` (synopses with [OPTIONS], log excerpts) are not checked.
//
// 2. A `console` block shows commands and their output, and must be preceded (on the line
//    right before its fence) by a marker that makes it a sample:
//
//        <!-- sample: NAME
//        example: cvm-fleet              start from examples/cvm-fleet/spotform.yaml
//        config: above                   or: the nearest ```yaml block above, as spotform.yaml
//        sim: --scale-in batch-picks     extra spotform-sim flags (before any other step)
//        replace: OLD => NEW             edit spotform.yaml (OLD must be there)
//        run: spotform apply --auto-approve   a hidden step; must exit 0; output not shown
//        -->
//        ```console
//        $ spotform plan
//        ...the output, as printed...
//        ```
//
//    The directives are optional and run in order. Each sample gets a fresh spotform-sim
//    (ticked every 20 ms, no rate limits, default market) and a fresh project folder whose
//    spotform.yaml has `provider.endpoint` pointed at it. Each `$ ` line runs there through
//    /bin/sh with stderr merged into stdout (`2>&1`, as a terminal shows them), with the
//    emulator's credentials, NO_COLOR=1, and a PATH holding `spotform` and `spotform-sim`:
//    `127.0.0.1:9000` in a command is replaced by the emulator's address, so `curl` calls of
//    the control API work as written. `spotform apply`, `destroy` and `watch` get
//    `--poll-interval 50ms` (the emulator is fast; the output is the same). Exit codes are not
//    compared (show them with `; echo "exit $?"` where they matter).
//
//    The output is compared line by line (trailing spaces and trailing blank lines ignored)
//    after replacing on both sides what varies from run to run: instance, Batch environment,
//    node and pool ids, UUIDs (lineages), hex digests and lock ids, timestamps, emulator
//    ports, pids, ages and the project folder (`/srv/farm`). Progress lines
//    (`env.X  3/6 running, 3 pending, 0:01`) are dropped on both sides: how many appear
//    depends on timing.
//
// Refreshing the samples after a change of wording: run
//
//     SPOTFORM_UPDATE_DOC_SAMPLES=1 build/tests/e2e_tests --gtest_filter='DocSample*'
//
// in one process (not through ctest -j): every sample block is rewritten with what the
// binaries print now (project folder as /srv/farm, emulator port as 9000). Review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e::doc_samples {

namespace fs = std::filesystem;

constexpr char kShownProjectDir[] = "/srv/farm";

std::string SourceDir() { return SPOTFORM_SOURCE_DIR; }

std::vector<std::string> DocFiles() {
  std::vector<std::string> files = {"README.md", "examples/README.md"};
  std::vector<std::string> more;
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/docs")) {
    if (entry.path().extension() == ".md")
      more.push_back("docs/" + entry.path().filename().string());
  }
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/examples")) {
    if (fs::exists(entry.path() / "README.md")) {
      more.push_back("examples/" + entry.path().filename().string() + "/README.md");
    }
  }
  std::sort(more.begin(), more.end());
  files.insert(files.end(), more.begin(), more.end());
  return files;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string TrimRight(const std::string& text) {
  const size_t end = text.find_last_not_of(" \t\r");
  return end == std::string::npos ? "" : text.substr(0, end + 1);
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// One fenced block of a markdown file.
struct DocBlock {
  std::string file;               // relative to the repository
  size_t fence = 0;               // line index of the opening fence
  size_t close = 0;               // line index of the closing fence
  size_t indent = 0;              // the fence's indentation (blocks inside list items)
  std::string lang;               // the tag after ```
  std::vector<std::string> body;  // without the indentation
  std::string sample;             // the marker's NAME, or ""
  std::vector<std::string> directives;
  std::string yaml_above;  // the nearest ```yaml block before this one
};

std::vector<DocBlock> BlocksOf(const std::string& file) {
  const std::vector<std::string> lines = SplitLines(testing::ReadFile(SourceDir() + "/" + file));
  std::vector<DocBlock> blocks;
  std::string last_yaml;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string trimmed = Trim(lines[i]);
    if (!StartsWith(trimmed, "```")) continue;
    DocBlock block;
    block.file = file;
    block.fence = i;
    block.indent = lines[i].find('`');
    block.lang = Trim(trimmed.substr(3));
    size_t j = i + 1;
    for (; j < lines.size() && Trim(lines[j]) != "```"; ++j) {
      const std::string& line = lines[j];
      const size_t strip = std::min(block.indent, line.find_first_not_of(' ') == std::string::npos
                                                      ? line.size()
                                                      : line.find_first_not_of(' '));
      block.body.push_back(line.substr(strip));
    }
    block.close = j;
    // The marker: `<!-- sample: NAME` ... `-->` ending on the line before the fence.
    if (i > 0 && Trim(lines[i - 1]).size() >= 3 &&
        Trim(lines[i - 1]).substr(Trim(lines[i - 1]).size() - 3) == "-->") {
      size_t k = i - 1;
      while (k > 0 && Trim(lines[k]).find("<!--") == std::string::npos) --k;
      const std::string first = Trim(lines[k]);
      if (StartsWith(first, "<!-- sample:")) {
        std::string name = Trim(first.substr(12));
        if (name.size() >= 3 && name.substr(name.size() - 3) == "-->") {
          name = Trim(name.substr(0, name.size() - 3));
        }
        block.sample = name;
        for (size_t d = k + 1; d < i; ++d) {
          std::string directive = Trim(lines[d]);
          if (directive.size() >= 3 && directive.substr(directive.size() - 3) == "-->") {
            directive = Trim(directive.substr(0, directive.size() - 3));
          }
          if (!directive.empty()) block.directives.push_back(directive);
        }
      }
    }
    block.yaml_above = last_yaml;
    if (block.lang == "yaml") {
      std::string text;
      for (const std::string& line : block.body) text += line + "\n";
      last_yaml = text;
    }
    blocks.push_back(block);
    i = j;
  }
  return blocks;
}

// --- Rule 1: command lines parse -------------------------------------------------------------

struct CommandLine {
  std::string text;
  size_t line = 0;  // 1-based line in the file
};

std::vector<CommandLine> CommandLinesOf(const DocBlock& block) {
  std::vector<CommandLine> commands;
  const bool console = block.lang == "console";
  if (!console && block.lang != "sh" && block.lang != "bash" && block.lang != "shell") {
    return commands;
  }
  for (size_t i = 0; i < block.body.size(); ++i) {
    std::string line = block.body[i];
    if (console) {
      if (!StartsWith(line, "$ ")) continue;
      line = line.substr(2);
    } else if (Trim(line).empty() || StartsWith(Trim(line), "#")) {
      continue;
    }
    CommandLine command{Trim(line), block.fence + 2 + i};
    while (!command.text.empty() && command.text.back() == '\\' && i + 1 < block.body.size()) {
      command.text.pop_back();
      command.text += " " + Trim(block.body[++i]);
    }
    commands.push_back(command);
  }
  return commands;
}

// Splits a command line into words and operators as /bin/sh would, roughly: quotes group,
// an unquoted `#` at a word's start ends the line, `|`, `&&`, `||`, `;`, `&` become operator
// words, and redirections (`>`, `>>`, `2>&1`, `<`) are dropped with their target.
std::vector<std::vector<std::string>> ShellPieces(const std::string& line) {
  std::vector<std::vector<std::string>> pieces(1);
  std::string word;
  bool in_word = false;
  bool skip_next_word = false;
  auto finish = [&]() {
    if (!in_word) return;
    if (skip_next_word) {
      skip_next_word = false;
    } else {
      pieces.back().push_back(word);
    }
    word.clear();
    in_word = false;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'' || c == '"') {
      const size_t end = line.find(c, i + 1);
      word += line.substr(i + 1, (end == std::string::npos ? line.size() : end) - i - 1);
      in_word = true;
      i = end == std::string::npos ? line.size() : end;
    } else if (c == ' ' || c == '\t') {
      finish();
    } else if (c == '#' && !in_word) {
      break;
    } else if (c == '|' || c == ';' || c == '&') {
      if (c == '&' && i > 0 && line[i - 1] == '>') {  // 2>&1
        word.clear();
        in_word = false;
        while (i + 1 < line.size() && line[i + 1] != ' ') ++i;
        continue;
      }
      finish();
      if (i + 1 < line.size() && line[i + 1] == c) ++i;
      pieces.emplace_back();
    } else if (c == '>' || c == '<') {
      if (in_word && std::all_of(word.begin(), word.end(), ::isdigit)) {
        word.clear();
        in_word = false;
      }
      finish();
      if (i + 1 < line.size() && line[i + 1] == '>') ++i;
      if (i + 1 < line.size() && line[i + 1] == '&') {  // >&2
        while (i + 1 < line.size() && line[i + 1] != ' ') ++i;
        continue;
      }
      skip_next_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  finish();
  return pieces;
}

struct ToolCall {
  std::string binary;  // built path
  std::vector<std::string> args;
};

std::vector<ToolCall> ToolCallsOf(const std::string& line) {
  std::vector<ToolCall> calls;
  for (std::vector<std::string> words : ShellPieces(line)) {
    while (!words.empty() && (words.front() == "nohup" || words.front() == "time" ||
                              (words.front().find('=') != std::string::npos &&
                               words.front().find('=') > 0 && words.front()[0] != '-'))) {
      words.erase(words.begin());
    }
    if (words.empty()) continue;
    const std::string program = words.front();
    if (program != "spotform" && program != "spotform-sim") continue;
    ToolCall call{program == "spotform" ? SPOTFORM_BINARY : SPOTFORM_SIM_BINARY,
                  std::vector<std::string>(words.begin() + 1, words.end())};
    calls.push_back(call);
  }
  return calls;
}

TEST(DocCommandLines, AllParse) {
  int checked = 0;
  TempDir cwd;
  for (const std::string& file : DocFiles()) {
    for (const DocBlock& block : BlocksOf(file)) {
      for (const CommandLine& command : CommandLinesOf(block)) {
        for (ToolCall call : ToolCallsOf(command.text)) {
          const bool asks_help =
              std::find_if(call.args.begin(), call.args.end(), [](const std::string& arg) {
                return arg == "--help" || arg == "-h";
              }) != call.args.end();
          if (!asks_help) call.args.push_back("--help");
          const CliResult result = RunProgram(call.binary, call.args, cwd.path(), {}, "");
          EXPECT_EQ(result.exit_code, 0)
              << file << ":" << command.line << ": `" << command.text << "` does not parse:\n"
              << result.err;
          ++checked;
        }
      }
    }
  }
  // A scanner that found nothing would pass everything.
  EXPECT_GT(checked, 30);
}

TEST(DocCommandLines, ShellSplitting) {
  const auto pieces =
      ShellPieces("nohup spotform watch --interval 1m >> watch.log 2>&1 &  # or systemd 'x'");
  ASSERT_GE(pieces.size(), 1u);
  EXPECT_EQ(pieces[0],
            (std::vector<std::string>{"nohup", "spotform", "watch", "--interval", "1m"}));
  const auto calls = ToolCallsOf("spotform plan --json | jq '.changes[] | .address'");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].args, (std::vector<std::string>{"plan", "--json"}));
}

// --- Rule 2: samples ------------------------------------------------------------------------

struct SampleRef {
  std::string file;
  std::string name;
};

// GoogleTest prints a failing case's parameter with this.
void PrintTo(const SampleRef& ref, std::ostream* out) { *out << ref.file << " " << ref.name; }

std::vector<SampleRef> AllSamples() {
  std::vector<SampleRef> samples;
  for (const std::string& file : DocFiles()) {
    for (const DocBlock& block : BlocksOf(file)) {
      if (!block.sample.empty()) samples.push_back({file, block.sample});
    }
  }
  return samples;
}

TEST(DocSampleMarkers, EveryConsoleBlockIsASampleWithAUniqueName) {
  std::set<std::string> names;
  for (const std::string& file : DocFiles()) {
    for (const DocBlock& block : BlocksOf(file)) {
      if (block.lang == "console") {
        EXPECT_FALSE(block.sample.empty())
            << file << ":" << block.fence + 1
            << ": a console block needs a `<!-- sample: NAME -->` marker (see "
               "tests/e2e/doc_samples_test.cc)";
      }
      if (!block.sample.empty()) {
        EXPECT_EQ(block.lang, "console") << file << ":" << block.fence + 1;
        EXPECT_TRUE(names.insert(block.sample).second)
            << file << ":" << block.fence + 1 << ": sample name used twice: " << block.sample;
      }
    }
  }
  EXPECT_GE(names.size(), 5u);
}

// What varies from run to run, replaced on both sides before comparing.
std::string Normalised(const std::string& original) {
  std::string text = original;
  static const std::vector<std::pair<std::regex, std::string>> kRules = {
      {std::regex(R"(\bins-[a-z0-9]{8}\b)"), "ins-XXXXXXXX"},
      {std::regex(R"(\benv-[a-z0-9]{8}\b)"), "env-XXXXXXXX"},
      {std::regex(R"(\bnode-[a-z0-9]{8}\b)"), "node-XXXXXXXX"},
      {std::regex(R"(\bp-[0-9a-f]{8}\b)"), "p-XXXXXXXX"},
      {std::regex(R"(\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)"), "UUID"},
      {std::regex(R"(\b[0-9a-f]{64}\b)"), "DIGEST"},
      {std::regex(R"(\b[0-9a-f]{16}\b)"), "HEX16"},
      {std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)"), "TIMESTAMP"},
      {std::regex(R"(127\.0\.0\.1:\d+)"), "127.0.0.1:PORT"},
      {std::regex(R"(\bpid \d+)"), "pid N"},
      {std::regex(R"re("(time_ms|seq)": ?\d+)re"), "\"$1\":N"},
      {std::regex(R"(\b(\d+h)?(\d+m)?\d+(\.\d+)?m?s ago\b)"), "AGE ago"},
  };
  static const std::regex kProgress(R"(^\S+\s+\d+/\d+ running, \d+ pending, \d+:\d\d$)");
  std::string kept;
  for (const std::string& raw : SplitLines(text)) {
    const std::string line = TrimRight(raw);
    if (std::regex_match(line, kProgress)) continue;
    kept += line + "\n";
  }
  for (const auto& [pattern, replacement] : kRules) {
    kept = std::regex_replace(kept, pattern, replacement);
  }
  while (kept.size() >= 2 && kept.substr(kept.size() - 2) == "\n\n") kept.pop_back();
  if (kept == "\n") kept.clear();
  return kept;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// `yaml` with provider.endpoint set to `endpoint` (a commented `# endpoint:` line counts).
std::string WithEndpoint(const std::string& yaml, const std::string& endpoint) {
  static const std::regex kEndpointLine(R"((^|\n)(  )#? ?endpoint:[^\n]*)");
  if (std::regex_search(yaml, kEndpointLine)) {
    return std::regex_replace(yaml, kEndpointLine, "$1$2endpoint: " + endpoint,
                              std::regex_constants::format_first_only);
  }
  static const std::regex kProviderLine(R"((^|\n)provider:[^\n]*\n)");
  std::smatch match;
  if (std::regex_search(yaml, match, kProviderLine)) {
    return yaml.substr(0, match.position(0) + match.length(0)) + "  endpoint: " + endpoint + "\n" +
           yaml.substr(match.position(0) + match.length(0));
  }
  return "provider:\n  region: ap-guangzhou\n  endpoint: " + endpoint + "\n" + yaml;
}

DocBlock FindSample(const SampleRef& ref) {
  for (const DocBlock& block : BlocksOf(ref.file)) {
    if (block.sample == ref.name) return block;
  }
  ADD_FAILURE() << "sample " << ref.name << " not found in " << ref.file;
  return {};
}

// Replaces the body of `block` in its file with `body` (indented like the fence).
void RewriteBlock(const DocBlock& block, const std::vector<std::string>& body) {
  const std::string path = SourceDir() + "/" + block.file;
  const std::vector<std::string> lines = SplitLines(testing::ReadFile(path));
  std::string text;
  for (size_t i = 0; i <= block.fence; ++i) text += lines[i] + "\n";
  for (const std::string& line : body) {
    text += (line.empty() ? "" : std::string(block.indent, ' ') + line) + "\n";
  }
  for (size_t i = block.close; i < lines.size(); ++i) text += lines[i] + "\n";
  testing::WriteFile(path, text);
}

class DocSample : public ::testing::TestWithParam<SampleRef> {
 protected:
  void SetUp() override {
    bin_ = std::make_unique<TempDir>();
    const std::string wrapper = std::string("#!/bin/sh\n") +
                                "case \"$1\" in\n"
                                "  apply|destroy|watch) sub=\"$1\"; shift; exec \"" +
                                SPOTFORM_BINARY +
                                "\" \"$sub\" --poll-interval 50ms \"$@\" ;;\n"
                                "esac\n"
                                "exec \"" +
                                SPOTFORM_BINARY + "\" \"$@\"\n";
    const std::string path = bin_->Write("spotform", wrapper);
    fs::permissions(path, fs::perms::owner_all);
    fs::create_symlink(SPOTFORM_SIM_BINARY, bin_->path() + "/spotform-sim");
  }

  void StartSimWith(std::vector<std::string> args) {
    for (std::string& arg : args) {
      if (StartsWith(arg, "examples/")) arg = SourceDir() + "/" + arg;
    }
    args.push_back("--no-rate-limit");
    ticker_.reset();
    sim_.reset();
    auto sim = SimProcess::Start(args);
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    ticker_ = std::make_unique<SimTicker>(*sim_, std::chrono::milliseconds(20));
  }

  std::string HostPort() const { return "127.0.0.1:" + std::to_string(sim_->port()); }

  CliResult Shell(const std::string& command) {
    std::map<std::string, std::string> env = SimCredentials();
    env["NO_COLOR"] = "1";
    const char* path = std::getenv("PATH");
    env["PATH"] = bin_->path() + ":" + (path != nullptr ? path : "/usr/bin:/bin");
    const std::string line = ReplaceAll(command, "127.0.0.1:9000", HostPort());
    return RunProgram("/bin/sh", {"-c", "{ " + line + "\n} 2>&1"}, dir_.path(), env, "");
  }

  // What the doc would show: the project folder and the emulator's port as written there.
  std::string AsShown(const std::string& output) const {
    return ReplaceAll(ReplaceAll(output, dir_.path(), kShownProjectDir), HostPort(),
                      "127.0.0.1:9000");
  }

  std::unique_ptr<TempDir> bin_;
  TempDir dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<SimTicker> ticker_;
};

TEST_P(DocSample, MatchesTheTool) {
  const DocBlock block = FindSample(GetParam());
  ASSERT_FALSE(block.body.empty()) << GetParam().file;
  const std::string where =
      block.file + ":" + std::to_string(block.fence + 1) + " (sample " + block.sample + ")";

  // Directives.
  std::vector<std::string> sim_args;
  for (const std::string& directive : block.directives) {
    if (StartsWith(directive, "sim:")) {
      std::stringstream words(directive.substr(4));
      for (std::string word; words >> word;) sim_args.push_back(word);
    }
  }
  StartSimWith(sim_args);
  ASSERT_NE(sim_, nullptr);
  const std::string endpoint = sim_->endpoint();
  for (const std::string& directive : block.directives) {
    const size_t colon = directive.find(':');
    ASSERT_NE(colon, std::string::npos) << where << ": bad directive " << directive;
    const std::string key = directive.substr(0, colon);
    const std::string value = Trim(directive.substr(colon + 1));
    if (key == "sim") {
      continue;
    } else if (key == "example") {
      const std::string yaml =
          testing::ReadFile(SourceDir() + "/examples/" + value + "/spotform.yaml");
      ASSERT_FALSE(yaml.empty()) << where << ": no example " << value;
      dir_.Write("spotform.yaml", WithEndpoint(yaml, endpoint));
    } else if (key == "config") {
      ASSERT_EQ(value, "above") << where;
      ASSERT_FALSE(block.yaml_above.empty()) << where << ": no ```yaml block above";
      dir_.Write("spotform.yaml", WithEndpoint(block.yaml_above, endpoint));
    } else if (key == "replace") {
      const size_t arrow = value.find(" => ");
      ASSERT_NE(arrow, std::string::npos) << where << ": replace: OLD => NEW";
      const std::string old_text = value.substr(0, arrow);
      const std::string config = dir_.Read("spotform.yaml");
      ASSERT_TRUE(Contains(config, old_text)) << where << ": `" << old_text << "` not in\n"
                                              << config;
      dir_.Write("spotform.yaml", ReplaceAll(config, old_text, value.substr(arrow + 4)));
    } else if (key == "run") {
      const CliResult result = Shell(value);
      ASSERT_EQ(result.exit_code, 0) << where << ": hidden step `" << value << "` failed:\n"
                                     << result.out;
    } else {
      FAIL() << where << ": unknown directive " << key;
    }
  }

  // The shown commands, each with the output the doc expects.
  struct Step {
    std::string command;
    std::string expected;
  };
  std::vector<Step> steps;
  for (const std::string& line : block.body) {
    if (StartsWith(line, "$ ")) {
      steps.push_back({line.substr(2), ""});
    } else if (!steps.empty() && !steps.back().command.empty() &&
               steps.back().command.back() == '\\' && steps.back().expected.empty()) {
      steps.back().command += "\n" + line;
    } else {
      ASSERT_FALSE(steps.empty()) << where << ": output before the first `$ ` command";
      steps.back().expected += line + "\n";
    }
  }
  ASSERT_FALSE(steps.empty()) << where << ": no `$ ` command";

  const bool update = std::getenv("SPOTFORM_UPDATE_DOC_SAMPLES") != nullptr &&
                      std::string(std::getenv("SPOTFORM_UPDATE_DOC_SAMPLES")) == "1";
  std::vector<std::string> new_body;
  bool changed = false;
  for (const Step& step : steps) {
    const CliResult result = Shell(step.command);
    const std::string shown = AsShown(result.out);
    std::vector<std::string> command_lines = SplitLines(step.command);
    if (!new_body.empty()) new_body.push_back("");
    new_body.push_back("$ " + command_lines.front());
    new_body.insert(new_body.end(), command_lines.begin() + 1, command_lines.end());
    std::vector<std::string> output_lines;
    for (const std::string& line : SplitLines(shown)) output_lines.push_back(TrimRight(line));
    while (!output_lines.empty() && output_lines.back().empty()) output_lines.pop_back();
    new_body.insert(new_body.end(), output_lines.begin(), output_lines.end());
    if (Normalised(step.expected) != Normalised(shown)) {
      changed = true;
      if (!update) {
        ADD_FAILURE() << where << ": `" << step.command
                      << "` prints something else (refresh with SPOTFORM_UPDATE_DOC_SAMPLES=1, "
                         "see tests/e2e/doc_samples_test.cc).\n--- the doc, normalised:\n"
                      << Normalised(step.expected) << "--- the tool, normalised:\n"
                      << Normalised(shown);
      }
    }
  }
  if (update && changed) {
    RewriteBlock(block, new_body);
    std::cout << "rewrote " << where << "\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, DocSample, ::testing::ValuesIn(AllSamples()),
                         [](const ::testing::TestParamInfo<SampleRef>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(DocSampleNormalising, HidesWhatVaries) {
  EXPECT_EQ(Normalised("release ins-i8ry1mhh, ins-lfmrep1e at 2026-11-27T08:00:00Z  \n\n"),
            "release ins-XXXXXXXX, ins-XXXXXXXX at TIMESTAMP\n");
  EXPECT_EQ(Normalised("env.a  0/6 running, 6 pending, 0:00\nApply complete.\n"),
            "Apply complete.\n");
  EXPECT_EQ(WithEndpoint("provider:\n  region: r\n  # endpoint: http://x # y\n", "http://e"),
            "provider:\n  region: r\n  endpoint: http://e\n");
  EXPECT_EQ(WithEndpoint("provider:\n  region: r\nenvironments: {}\n", "http://e"),
            "provider:\n  endpoint: http://e\n  region: r\nenvironments: {}\n");
}

}  // namespace spotform::e2e::doc_samples
