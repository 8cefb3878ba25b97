// --target checks (engine/plan/targets.h): `plan` and `apply` accept env.NAME of an
// environment declared in the config or recorded in the state.
#include "engine/plan/targets.h"

#include <gtest/gtest.h>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using testing::ConfigOf;
using testing::PoolOf;
using testing::Spec;
using testing::StateOf;

struct TargetCase {
  std::vector<std::string> targets;
  std::string error;  // "" when accepted
};

TEST(Targets, NameADeclaredOrRecordedEnvironment) {
  Config config = ConfigOf({Spec("render", 2), Spec("preview", 1)});
  config.file = "spotform.yaml";
  const EnvironmentSpec retired = Spec("retired", 1);
  const StateSnapshot state = StateOf({{retired, {PoolOf("p-1", retired, 1, {})}}});
  const TargetCase cases[] = {
      {{}, ""},
      {{"env.render"}, ""},
      {{"env.retired"}, ""},  // recorded only: a target may destroy it
      {{"env.render", "env.preview"}, ""},
      {{"render"}, "--target render: addresses look like env.NAME"},
      {{"env."}, "--target env.: addresses look like env.NAME"},
      {{"env.rendr"},
       "--target env.rendr: no such environment in spotform.yaml or in the state; did you mean "
       "env.render?"},
      {{"env.retird"},
       "--target env.retird: no such environment in spotform.yaml or in the state; did you mean "
       "env.retired?"},
      {{"env.science"},
       "--target env.science: no such environment in spotform.yaml or in the state"},
      {{"env.render", "env.nope", "bad"},
       "--target env.nope: no such environment in spotform.yaml or in the state"},
  };
  for (const TargetCase& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.targets));
    Status checked = CheckTargets(c.targets, config, state);
    if (c.error.empty()) {
      EXPECT_TRUE(checked.ok()) << checked.error().message();
      continue;
    }
    ASSERT_FALSE(checked.ok());
    EXPECT_EQ(checked.error().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(checked.error().message(), c.error);
  }
}

}  // namespace
}  // namespace spotform
