// Saved plans in a state that teams share (issue 16): a plan saved for env.render is still
// applied after another run applied env.ci, and refused once env.render itself moved on
// (applied by another run, or declared differently). The built spotform against spotform-sim,
// with a real SQLite state.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

class SavedPlanEnvE2E : public ApplyFixture {
 protected:
  // Declares env.ci and env.render with these counts.
  void Declare(int render, int ci) {
    WriteConfig(EnvYaml("ci", "cvm", "ap-guangzhou-3", ci) +
                EnvYaml("render", "cvm", "ap-guangzhou-3", render));
  }

  // Both environments applied with one instance each, then env.render raised to 2 and a plan
  // for it alone saved to render.plan.
  void SaveAPlanForRender() {
    Declare(/*render=*/1, /*ci=*/1);
    CliResult applied = Apply();
    ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
    Declare(/*render=*/2, /*ci=*/1);
    CliResult planned = Run({"plan", "--out", "render.plan", "--target", "env.render"});
    ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  }

  CliResult ApplyPlan(const std::string& file) {
    return Run({"apply", file, "--poll-interval", "50ms", "--timeout", "60s"});
  }
};

TEST_F(SavedPlanEnvE2E, APlanForOneEnvironmentSurvivesAnApplyOfAnother) {
  ASSERT_NO_FATAL_FAILURE(SaveAPlanForRender());
  const nlohmann::json shown = nlohmann::json::parse(Run({"show", "--json", "render.plan"}).out);
  ASSERT_EQ(shown["basis"]["environments"].size(), 1u) << shown.dump(2);
  EXPECT_TRUE(shown["basis"]["environments"].contains("env.render")) << shown.dump(2);

  // Another team raises env.ci and applies it: the state and the config move on elsewhere.
  Declare(/*render=*/2, /*ci=*/2);
  CliResult ci = Apply({"--target", "env.ci"});
  ASSERT_EQ(ci.exit_code, 0) << ci.out << ci.err;
  ASSERT_EQ(LiveIdsOfEnvironment(*sim_, "ci").size(), 2u);

  CliResult render = ApplyPlan("render.plan");
  ASSERT_EQ(render.exit_code, 0) << render.out << render.err;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 2u);
  EXPECT_EQ(RecordedIds("render"), LiveIdsOfEnvironment(*sim_, "render"));
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "ci").size(), 2u) << "env.ci is left as it was applied";
  CliResult settled = Run({"plan", "--detailed-exitcode"});
  EXPECT_EQ(settled.exit_code, 0) << settled.out << settled.err;
}

TEST_F(SavedPlanEnvE2E, APlanIsRefusedOnceAnotherRunAppliedItsEnvironment) {
  ASSERT_NO_FATAL_FAILURE(SaveAPlanForRender());
  CliResult other = Apply({"--target", "env.render"});  // someone else applies env.render
  ASSERT_EQ(other.exit_code, 0) << other.out << other.err;
  const std::set<std::string> applied = LiveIdsOfEnvironment(*sim_, "render");
  ASSERT_EQ(applied.size(), 2u);

  CliResult stale = ApplyPlan("render.plan");
  EXPECT_EQ(stale.exit_code, 1) << stale.out << stale.err;
  ExpectContainsAll(stale.err, {"spotform: env.render changed since the plan was made (serial ",
                                "): run `spotform plan` again"});
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render"), applied) << "nothing launched twice";
}

TEST_F(SavedPlanEnvE2E, APlanIsRefusedOnceItsEnvironmentIsDeclaredDifferently) {
  ASSERT_NO_FATAL_FAILURE(SaveAPlanForRender());
  Declare(/*render=*/3, /*ci=*/1);

  CliResult stale = ApplyPlan("render.plan");
  EXPECT_EQ(stale.exit_code, 1) << stale.out << stale.err;
  EXPECT_TRUE(Contains(stale.err,
                       "spotform: the config of env.render changed since the plan was made: run "
                       "`spotform plan` again"))
      << stale.err;
  EXPECT_EQ(LiveIdsOfEnvironment(*sim_, "render").size(), 1u);
}

}  // namespace
}  // namespace spotform::e2e
