// Files spotform creates are private whatever the umask (spec §4): the state file 0600 in
// folders it creates 0700, saved plans 0600 — also when spotform runs under umask 0000,
// which would otherwise make them world-writable.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform {
namespace {

std::string FileModesConfig(const std::string& endpoint, const std::string& state_path) {
  return e2e::ConfigYaml(endpoint, e2e::EnvYaml("render", "cvm", "ap-guangzhou-3", 1),
                         state_path.empty() ? "" : "state:\n  path: " + state_path + "\n");
}

// The permission bits of `path`, or -1 when it does not exist.
int ModeOf(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 07777);
}

class FileModesE2E : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto sim = SimProcess::Start({"--no-rate-limit"});
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    ticker_ = std::make_unique<e2e::SimTicker>(*sim_, std::chrono::milliseconds(20));
  }

  // spotform ARGS in the workspace under umask GetParam(), set by a shell that then execs it.
  CliResult Run(const std::vector<std::string>& args) {
    std::vector<std::string> shell_args = {
        "-c", std::string("umask ") + GetParam() + " && exec \"$0\" \"$@\"", SPOTFORM_BINARY};
    shell_args.insert(shell_args.end(), args.begin(), args.end());
    std::map<std::string, std::string> env = SimCredentials();
    env["HOME"] = dir_.path();
    return RunProgram("/bin/sh", shell_args, dir_.path(), env, "");
  }

  TempDir dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<e2e::SimTicker> ticker_;  // declared last: stops before the sim goes
};

TEST_P(FileModesE2E, StateIsPrivateInAPrivateFolder) {
  dir_.Write("spotform.yaml", FileModesConfig(sim_->endpoint(), ""));
  CliResult applied = Run({"apply", "--auto-approve", "--no-wait"});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(ModeOf(dir_.path() + "/.spotform"), 0700);
  EXPECT_EQ(ModeOf(dir_.path() + "/.spotform/state.db"), 0600);
  // Whatever SQLite leaves beside the database (WAL, shared memory) is private too.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const int mode = ModeOf(dir_.path() + "/.spotform/state.db" + suffix);
    if (mode != -1) {
      EXPECT_EQ(mode & 077, 0) << suffix << " has mode " << std::oct << mode;
    }
  }
}

TEST_P(FileModesE2E, EveryFolderCreatedForANestedStatePathIsPrivate) {
  dir_.Write("spotform.yaml", FileModesConfig(sim_->endpoint(), "var/lib/spotform/prod.db"));
  CliResult applied = Run({"apply", "--auto-approve", "--no-wait"});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(ModeOf(dir_.path() + "/var"), 0700);
  EXPECT_EQ(ModeOf(dir_.path() + "/var/lib"), 0700);
  EXPECT_EQ(ModeOf(dir_.path() + "/var/lib/spotform"), 0700);
  EXPECT_EQ(ModeOf(dir_.path() + "/var/lib/spotform/prod.db"), 0600);
}

TEST_P(FileModesE2E, SavedPlansArePrivateEvenWhenReplacingAPublicFile) {
  dir_.Write("spotform.yaml", FileModesConfig(sim_->endpoint(), ""));
  CliResult fresh = Run({"plan", "--out", "fresh.plan"});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(ModeOf(dir_.path() + "/fresh.plan"), 0600);
  EXPECT_EQ(ModeOf(dir_.path() + "/.spotform"), -1) << "a plan writes no state";

  const std::string open_plan = dir_.Write("open.plan", "an old world-readable file\n");
  ASSERT_EQ(chmod(open_plan.c_str(), 0666), 0);
  CliResult replaced = Run({"plan", "--out", "open.plan"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(ModeOf(open_plan), 0600);
}

INSTANTIATE_TEST_SUITE_P(Umask, FileModesE2E, ::testing::Values("0022", "0000"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string("umask_") + info.param;
                         });

}  // namespace
}  // namespace spotform
