// What apply and destroy print around the core, read as a new user reads it (issue 15): the
// progress in the user's words, short id lists, a final table and summary that add up, the
// live line on a terminal, the lock holder's name.
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

// The names of the executor's step kinds: internal, never printed.
const std::vector<std::string> kStepKindNames = {
    "create_pool", "set_expected_count", "record_spec",        "wait_for_capacity", "launch done",
    "delete_pool", "release done",       "set_instance_types", "forget done"};

void ExpectNoStepKindNames(const std::string& text) {
  for (const std::string& name : kStepKindNames) {
    EXPECT_FALSE(Contains(text, name)) << name << " in\n" << text;
  }
}

class ApplyOutputE2E : public ApplyFixture {};

TEST_F(ApplyOutputE2E, ProgressSpeaksTheUsersLanguage) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3));
  CliResult created = Apply();
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  ExpectContainsAll(
      created.out,
      {"env.render: add capacity S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h, "
       "expected count 3...\n",
       "env.render: capacity recorded (expected count 3)\n", "env.render: 3 instances running\n",
       "env.render: record the applied configuration...\n",
       "env.render: configuration recorded\n"});
  ExpectNoStepKindNames(created.out);

  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  CliResult down = Apply();
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  ExpectContainsAll(
      down.out, {"env.render: expected count lowered to 1\n", "env.render: 2 instances released\n",
                 "env.render: configuration recorded\n"});
  ExpectNoStepKindNames(down.out);

  CliResult destroyed = Destroy();
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  ExpectContainsAll(destroyed.out, {"env.render: expected count lowered to 0\n",
                                    "env.render: 1 instance released\n",
                                    "env.render: retired capacity dropped from state\n"});
  ExpectNoStepKindNames(destroyed.out);
}

TEST_F(ApplyOutputE2E, BatchNodesCountAsLaunchedAndTheChangeHeaderDoesNotRepeatDestroy) {
  WriteConfig(EnvYaml("farm", "batch", "ap-guangzhou-4", 2, "0.60", "S5.LARGE8"));
  CliResult created = Apply();
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  ExpectContainsAll(created.out,
                    {"env.farm: Batch compute environment created; Batch requests 2 nodes\n",
                     "env.farm: 2 nodes running\n",
                     "ENVIRONMENT  LAUNCHED  RELEASED  RESULT       ERROR\n"
                     "env.farm            2         0  done\n"});
  ExpectNoStepKindNames(created.out);

  WriteConfig(EnvYaml("farm", "batch", "ap-guangzhou-4", 3, "0.60", "S5.LARGE8"));
  CliResult raised = Apply();
  ASSERT_EQ(raised.exit_code, 0) << raised.out << raised.err;
  ExpectContainsAll(raised.out,
                    {"env.farm: Batch desired count raised to 3\n", "env.farm: 3 nodes running\n",
                     "env.farm            1         0  done\n"});

  CliResult destroyed = Destroy();
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  ExpectContainsAll(destroyed.out, {"  # env.farm will be destroyed\n",
                                    "env.farm: Batch compute environment deleted\n",
                                    "env.farm            0         3  done\n"});
  EXPECT_FALSE(Contains(destroyed.out, "will be destroyed: destroy")) << destroyed.out;
}

TEST_F(ApplyOutputE2E, LongIdListsAreShortInTextAndWholeInJson) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 9));
  ASSERT_EQ(Apply().exit_code, 0);
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));

  CliResult text = Run({"plan", "--out", "down.plan"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(std::regex_search(
      text.out, std::regex("2\\. release (ins-[a-z0-9]+, ){5}\\.\\.\\. and 3 more \\(")))
      << text.out;

  CliResult saved = Run({"show", "--json", "down.plan"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  const json plan = json::parse(saved.out);
  ASSERT_EQ(plan["changes"][0]["steps"][1]["kind"], "release");
  EXPECT_EQ(plan["changes"][0]["steps"][1]["ids"].size(), 8u);

  CliResult shown = Run({"show", "down.plan"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(Contains(shown.out, ", ... and 3 more (")) << shown.out;

  CliResult down = Run({"apply", "down.plan", "--poll-interval", "50ms"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_TRUE(Contains(down.out, ", ... and 3 more (")) << down.out;
  EXPECT_TRUE(Contains(down.out, "env.render: 8 instances released\n")) << down.out;
}

TEST_F(ApplyOutputE2E, DriftOfManyInstancesIsOneShortLine) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 8));
  ASSERT_EQ(Apply().exit_code, 0);
  const std::set<std::string> live = LiveIdsOfEnvironment(*sim_, "render");
  ASSERT_EQ(live.size(), 8u);
  ASSERT_TRUE(sim_->Reclaim(std::vector<std::string>(live.begin(), std::prev(live.end()))).ok());
  ASSERT_TRUE(sim_->Tick(5).ok());

  CliResult planned = Run({"plan"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  EXPECT_TRUE(
      std::regex_search(planned.err, std::regex(R"(\nenv\.render (ins-[a-z0-9]+, ){5}\.\.\. and 2 )"
                                                R"(more: [^\n]+\n)")))
      << planned.err;
}

TEST_F(ApplyOutputE2E, DestroyOfATargetSaysWhatItNoLongerCosts) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2) +
              EnvYaml("train", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  CliResult plan = Run({"plan"});
  EXPECT_TRUE(Contains(plan.out, "No changes.")) << plan.out;
  CliResult destroyed = Destroy({"--target", "env.render"});
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  EXPECT_TRUE(Contains(destroyed.out,
                       "Plan: 0 to add, 0 to change, 1 to destroy; 0 instances to launch, 2 to "
                       "release; removes 1.20/h at your bids.\n"))
      << destroyed.out;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "train").size(), 1u);
}

TEST_F(ApplyOutputE2E, OnlyChangesThatDidSomethingCountAsDone) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  // env.render is unchanged (a no-op); env.cheap fails: nothing was done.
  WriteConfig(EnvYaml("cheap", "cvm", "ap-guangzhou-3", 1, "0.01") +
              EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  CliResult result = Apply();
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(Contains(result.out, "Apply failed: 1 failed, 0 interrupted, 0 not started, 0 done."))
      << result.out;
  EXPECT_FALSE(Contains(result.out, "\nenv.render   ")) << "no-ops are not in the table";
  EXPECT_TRUE(Contains(result.err, "fix what the errors say")) << result.err;
}

TEST_F(ApplyOutputE2E, CtrlCWithNoErrorDoesNotAskToFixErrors) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  ticker_.reset();  // instances stay PENDING: apply waits
  SpawnedSpotform apply({"--no-color", "apply", "--auto-approve", "--poll-interval", "50ms"},
                        dir_.path(), SimCredentials());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (CallsOf(*sim_, "RunInstances").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(CallsOf(*sim_, "RunInstances").empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // into the wait
  apply.Signal(SIGINT);
  CliResult stopped = apply.Wait();
  EXPECT_EQ(stopped.exit_code, 1) << stopped.out << stopped.err;
  EXPECT_TRUE(Contains(stopped.out, "Apply interrupted: 0 failed, 1 interrupted")) << stopped.out;
  EXPECT_FALSE(Contains(stopped.err, "fix what the errors say")) << stopped.err;
  EXPECT_TRUE(Contains(stopped.err,
                       "spotform: stopped with 1 change not done; run `spotform apply` again "
                       "to finish\n"))
      << stopped.err;
  // The wait's last state stays printed.
  EXPECT_TRUE(Contains(stopped.out, "env.render  0/2 running, 2 pending, ")) << stopped.out;
}

TEST_F(ApplyOutputE2E, OnATerminalTheTimerMovesAndTheLastStateStaysOnScreen) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  ticker_.reset();  // PENDING until the ticker starts again, after a few redraws
  std::jthread later([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    StartTicking();
  });
  // `script` gives spotform a terminal for stdout; the polls are 3s apart, so the timer
  // between them moves by the printer's own redraws.
  const std::string command = std::string(SPOTFORM_BINARY) +
                              " --no-color apply --auto-approve --poll-interval 3s --timeout 60s";
  CliResult result = RunProgram("/usr/bin/script", {"-qefc", command, "/dev/null"}, dir_.path(),
                                SimCredentials(), "");
  later.join();
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string& out = result.out;
  EXPECT_TRUE(Contains(out, "\x1b[A")) << "the live line is redrawn in place";
  EXPECT_TRUE(Contains(out, "env.render  0/2 running, 2 pending, 0:01")) << out;
  EXPECT_TRUE(Contains(out, "env.render  0/2 running, 2 pending, 0:02")) << out;
  // The last state of the wait is printed after the last redraw, and stays.
  const size_t last_redraw = out.rfind("\x1b[A");
  const size_t final_line = out.rfind("env.render  2/2 running, 0 pending, ");
  ASSERT_NE(final_line, std::string::npos) << out;
  EXPECT_GT(final_line, last_redraw) << out;
  EXPECT_TRUE(Contains(out.substr(final_line), "env.render: 2 instances running")) << out;
}

TEST_F(ApplyOutputE2E, TheLockHolderIsTheAccountNameWithoutUser) {
  const passwd* account = getpwuid(getuid());
  ASSERT_NE(account, nullptr);
  const std::string name = account->pw_name;
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  ticker_.reset();  // the first apply waits, holding the lock
  TempDir io;
  const pid_t first = StartProgram("/usr/bin/env",
                                   {"-u", "USER", SPOTFORM_BINARY, "--no-color", "apply",
                                    "--auto-approve", "--poll-interval", "50ms"},
                                   dir_.path(), SimCredentials(), "/dev/null", io.path() + "/out",
                                   io.path() + "/err");
  ASSERT_GT(first, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (CallsOf(*sim_, "RunInstances").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CliResult blocked = Apply();
  kill(first, SIGINT);
  WaitForProgram(first, io.path() + "/out", io.path() + "/err");
  EXPECT_EQ(blocked.exit_code, 1);
  EXPECT_TRUE(Contains(blocked.err, "held by " + name + "@")) << blocked.err;
  EXPECT_FALSE(Contains(blocked.err, "held by unknown@")) << blocked.err;
}

}  // namespace
}  // namespace spotform::e2e
