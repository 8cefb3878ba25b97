// The CLI's bad-input corpus (issue 7): every case of tests/e2e/bad_inputs/cases.yaml runs the
// real spotform binary in a fresh copy of a real workspace (a config, a state written by a
// real apply against spotform-sim, saved plans), with the case's files laid over it, and
// checks the exit code, the messages, that no byte of the workspace changed (no new file,
// no file touched: the state stays byte-identical) and that no API call was made.
// The manifest's header comment describes the case format.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>

#include "engine/model/crypto.h"
#include "tests/e2e/apply_e2e_support.h"

namespace spotform {
namespace {

namespace fs = std::filesystem;

const std::string kDataDir = std::string(SPOTFORM_SOURCE_DIR) + "/tests/e2e/bad_inputs";

// What a case expects; `as_root` replaces it when the tests run as root (which reads files
// whatever their mode).
struct Expectation {
  int exit_code = 1;
  std::vector<std::string> stderr_has;
  std::vector<std::string> stdout_has;  // when empty and exit_code != 0: stdout must be empty
};

struct BadInputCase {
  std::string name;
  YAML::Node files;  // path -> file spec
  std::vector<std::string> args;
  Expectation expect;
  std::optional<Expectation> as_root;
  std::vector<std::string> new_files;      // files the command may create
  std::map<std::string, std::string> env;  // over the base workspace's environment
  std::string load_error;                  // the manifest could not be read
};

// gtest prints a failing case by its name.
void PrintTo(const BadInputCase& bad, std::ostream* out) { *out << bad.name; }

Expectation ReadExpectation(const YAML::Node& node) {
  Expectation expect;
  expect.exit_code = node["exit"].as<int>();
  if (node["stderr"]) expect.stderr_has = node["stderr"].as<std::vector<std::string>>();
  if (node["stdout"]) expect.stdout_has = node["stdout"].as<std::vector<std::string>>();
  return expect;
}

// Every case of the manifest; a manifest that does not load becomes one failing case.
std::vector<BadInputCase> LoadCases() {
  std::vector<BadInputCase> cases;
  try {
    const YAML::Node manifest = YAML::LoadFile(kDataDir + "/cases.yaml");
    for (const YAML::Node& node : manifest) {
      BadInputCase one;
      one.name = node["name"].as<std::string>();
      if (node["files"]) one.files.reset(node["files"]);
      one.args = node["args"].as<std::vector<std::string>>();
      one.expect = ReadExpectation(node);
      if (node["as_root"]) one.as_root = ReadExpectation(node["as_root"]);
      if (node["new_files"]) one.new_files = node["new_files"].as<std::vector<std::string>>();
      if (node["env"]) one.env = node["env"].as<std::map<std::string, std::string>>();
      cases.push_back(std::move(one));
    }
  } catch (const YAML::Exception& e) {
    cases.clear();
    BadInputCase broken;
    broken.name = "manifest";
    broken.load_error = e.what();
    cases.push_back(std::move(broken));
  }
  return cases;
}

// Runs SQL on an SQLite file (created when missing); "" or the error.
std::string RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    error = db != nullptr ? sqlite3_errmsg(db) : "cannot open";
  } else if (char* message = nullptr;
             sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    error = message != nullptr ? message : "sqlite3_exec failed";
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

// The workspace every case starts from, made once: a state written by a real apply (desired
// 2, then the tags changed, so the state has moved on since old.plan), the config asking for
// 3, saved.plan (current), old.plan (same lineage, older serial) and other.plan (another
// state's lineage).
class BaseWorkspace {
 public:
  BaseWorkspace() {
    auto sim = SimProcess::Start({"--no-rate-limit"});
    if (!sim.ok()) {
      error_ = sim.error().ToString();
      return;
    }
    sim_ = std::move(sim.value());
    // Launched instances start running while the setup's applies wait for them; the cases
    // then run against a world that no longer moves.
    e2e::SimTicker ticker(*sim_, std::chrono::milliseconds(20));
    auto run = [this](const TempDir& dir, const std::vector<std::string>& args) {
      CliResult result = RunSpotform(args, dir.path(), Env());
      if (result.exit_code != 0 && error_.empty()) {
        error_ = "setup: spotform " + args.front() + " exited " + std::to_string(result.exit_code) +
                 ": " + result.err;
      }
    };
    dir_.Write("spotform.yaml", Config(2));
    run(dir_, {"apply", "--auto-approve", "--no-wait"});
    dir_.Write("spotform.yaml", Config(3, "{team: vfx}"));
    run(dir_, {"plan", "--out", "old.plan"});
    dir_.Write("spotform.yaml", Config(2, "{team: vfx}"));
    run(dir_, {"apply", "--auto-approve", "--no-wait"});
    dir_.Write("spotform.yaml", Config(3, "{team: vfx}"));
    run(dir_, {"plan", "--out", "saved.plan"});

    TempDir other;
    other.Write("spotform.yaml", Config(2, "{team: vfx}"));
    run(other, {"apply", "--auto-approve", "--no-wait"});
    other.Write("spotform.yaml", Config(3, "{team: vfx}"));
    run(other, {"plan", "--out", "other.plan"});
    dir_.Write("other.plan", other.Read("other.plan"));
  }

  const std::string& error() const { return error_; }
  SimProcess& sim() { return *sim_; }
  const std::string& path() const { return dir_.path(); }
  std::map<std::string, std::string> Env() const {
    return {{"TENCENTCLOUD_SECRET_ID", kSimSecretId},
            {"TENCENTCLOUD_SECRET_KEY", kSimSecretKey},
            {"HOME", dir_.path()}};
  }
  // The cases' line numbers count on this layout: render's keys on lines 5 to 12.
  std::string Config(int count, const std::string& tags = "{}") const {
    return testing::ConfigYaml(sim_->endpoint(),
                               testing::EnvironmentYaml{.desired_count = std::to_string(count),
                                                        .more = "    tags: " + tags + "\n"}
                                   .Yaml());
  }

 private:
  std::string error_;
  std::unique_ptr<SimProcess> sim_;
  TempDir dir_;
};

// Expands {endpoint}, {workspace} and {repeat:N:TEXT} in manifest strings.
std::string Expand(std::string text, const std::string& endpoint, const std::string& workspace) {
  auto replace_all = [&text](const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  replace_all("{endpoint}", endpoint);
  replace_all("{workspace}", workspace);
  static const std::regex kRepeat(R"(\{repeat:(\d+):(.[^}]*)\})");
  std::smatch match;
  while (std::regex_search(text, match, kRepeat)) {
    std::string repeated;
    const size_t count = std::stoul(match[1].str());
    const std::string unit = match[2].str();
    repeated.reserve(count * unit.size());
    for (size_t i = 0; i < count; ++i) repeated += unit;
    text = match.prefix().str() + repeated + match.suffix().str();
  }
  return text;
}

// Lays one file spec of the manifest at `path` in the workspace `root`. "" or what is wrong.
std::string LayFile(const std::string& endpoint, const std::string& root, const std::string& name,
                    const YAML::Node& spec) {
  const std::string path = root + "/" + name;
  auto expand = [&](const std::string& text) { return Expand(text, endpoint, root); };
  if (spec.IsScalar()) {
    testing::WriteFile(path, expand(spec.as<std::string>()));
    return "";
  }
  if (spec["directory"]) {
    fs::remove_all(path);
    fs::create_directories(path);
    return "";
  }
  if (spec["fifo"]) {
    fs::remove_all(path);
    return mkfifo(path.c_str(), 0600) == 0 ? "" : "mkfifo failed";
  }
  if (spec["symlink"]) {
    fs::remove_all(path);
    fs::create_symlink(spec["symlink"].as<std::string>(), path);
    return "";
  }
  std::string bytes;
  if (spec["data"]) {
    bytes = expand(testing::ReadFile(kDataDir + "/" + spec["data"].as<std::string>()));
    if (bytes.empty()) return "no data file " + spec["data"].as<std::string>();
  } else if (spec["from"]) {
    bytes = testing::ReadFile(root + "/" + spec["from"].as<std::string>());
  } else if (spec["random_bytes"]) {
    std::mt19937 random(spec["seed"] ? spec["seed"].as<unsigned>() : 7u);
    bytes.resize(spec["random_bytes"].as<size_t>());
    for (char& byte : bytes) byte = static_cast<char>(random() & 0xff);
  }
  if (spec["replace"]) {
    for (const auto& pair : spec["replace"]) {
      const std::string from = expand(pair.first.as<std::string>());
      const size_t at = bytes.find(from);
      if (at == std::string::npos) return "replace: `" + from + "` not found in " + name;
      bytes.replace(at, from.size(), expand(pair.second.as<std::string>()));
    }
  }
  if (spec["append"]) bytes += expand(spec["append"].as<std::string>());
  if (spec["truncate"]) bytes.resize(std::min(bytes.size(), spec["truncate"].as<size_t>()));
  if (spec["sqlite"]) {
    // A fresh SQLite database, or the laid bytes (e.g. a copy of the state) edited with SQL.
    fs::remove(path);
    if (!bytes.empty()) testing::WriteFile(path, bytes);
    std::string error = RunSql(path, spec["sqlite"].as<std::string>());
    if (!error.empty()) return "sqlite: " + error;
  } else {
    testing::WriteFile(path, bytes);
  }
  if (spec["mode"]) fs::permissions(path, static_cast<fs::perms>(spec["mode"].as<int>()));
  return "";
}

// Everything in a workspace: path -> type, mode and content digest.
std::map<std::string, std::string> Snapshot(const std::string& root) {
  std::map<std::string, std::string> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string relative = it->path().lexically_relative(root).string();
    struct stat info {};
    lstat(it->path().c_str(), &info);
    std::string entry = "mode " + std::to_string(info.st_mode);
    if (S_ISREG(info.st_mode)) {
      std::ifstream in(it->path(), std::ios::binary);
      entry += in ? " sha256 " + Sha256Hex(testing::ReadFile(it->path())) : " unreadable";
      entry += " size " + std::to_string(info.st_size);
    } else if (S_ISLNK(info.st_mode)) {
      entry += " -> " + fs::read_symlink(it->path()).string();
    }
    files[relative] = entry;
  }
  return files;
}

size_t ApiCalls(SimProcess& sim) {
  Result<nlohmann::json> requests = sim.Requests();
  return requests.ok() ? requests->size() : 0;
}

// One base workspace (and its emulator) for the whole suite; each case copies it.
class CliBadInput : public ::testing::TestWithParam<BadInputCase> {
 protected:
  static void SetUpTestSuite() { base_ = std::make_unique<BaseWorkspace>(); }
  static void TearDownTestSuite() { base_.reset(); }

  static std::unique_ptr<BaseWorkspace> base_;
};

std::unique_ptr<BaseWorkspace> CliBadInput::base_;

TEST_P(CliBadInput, IsRefusedClearlyAndChangesNothing) {
  const BadInputCase& bad = GetParam();
  ASSERT_EQ(bad.load_error, "") << kDataDir << "/cases.yaml";
  BaseWorkspace& base = *base_;
  ASSERT_EQ(base.error(), "");
  const std::string endpoint = base.sim().endpoint();

  TempDir dir;
  fs::copy(base.path(), dir.path(), fs::copy_options::recursive);
  if (bad.files) {
    for (const auto& file : bad.files) {
      ASSERT_EQ(LayFile(endpoint, dir.path(), file.first.as<std::string>(), file.second), "")
          << "case " << bad.name;
    }
  }
  std::vector<std::string> args = {"--no-color"};
  for (const std::string& arg : bad.args) args.push_back(Expand(arg, endpoint, dir.path()));
  const Expectation& expect = geteuid() == 0 && bad.as_root ? *bad.as_root : bad.expect;

  const std::map<std::string, std::string> before = Snapshot(dir.path());
  const size_t calls_before = ApiCalls(base.sim());
  std::map<std::string, std::string> env = base.Env();
  for (const auto& [name, value] : bad.env) env[name] = Expand(value, endpoint, dir.path());
  const CliResult result = RunSpotform(args, dir.path(), env);

  EXPECT_EQ(result.exit_code, expect.exit_code) << result.err;
  for (const std::string& part : expect.stderr_has) {
    EXPECT_NE(result.err.find(Expand(part, endpoint, dir.path())), std::string::npos)
        << "stderr lacks: " << Expand(part, endpoint, dir.path()) << "\nstderr: " << result.err;
  }
  for (const std::string& part : expect.stdout_has) {
    EXPECT_NE(result.out.find(Expand(part, endpoint, dir.path())), std::string::npos)
        << "stdout lacks: " << part << "\nstdout: " << result.out;
  }
  if (expect.stdout_has.empty() && expect.exit_code != 0) {
    EXPECT_EQ(result.out, "");
  }

  std::map<std::string, std::string> after = Snapshot(dir.path());
  for (const std::string& allowed : bad.new_files) {
    if (before.count(allowed) == 0) after.erase(allowed);
  }
  EXPECT_EQ(after, before) << "the workspace changed";
  EXPECT_EQ(ApiCalls(base.sim()), calls_before) << "a bad input reached the cloud";
}

std::string CaseName(const ::testing::TestParamInfo<BadInputCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Corpus, CliBadInput, ::testing::ValuesIn(LoadCases()), CaseName);

TEST(CliBadInputCorpus, HasAtLeastFiftyCases) {
  const std::vector<BadInputCase> cases = LoadCases();
  EXPECT_GE(cases.size(), 50u) << cases.front().load_error;
}

}  // namespace
}  // namespace spotform
