// `spotform state restore --backup` end to end: the real spotform binary against
// spotform-sim, with a real SQLite state and its backup beside it.
#include <gtest/gtest.h>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

class StateRestoreE2E : public ApplyFixture {
 protected:
  std::string StatePath() { return dir_.path() + "/.spotform/state.db"; }
  // `show --json` without the serial, which a restore moves on.
  nlohmann::json Shown() {
    CliResult shown = Run({"show", "--json"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    nlohmann::json json = nlohmann::json::parse(shown.out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << shown.out;
    if (json.is_object()) json.erase("serial");
    return json;
  }
};

TEST_F(StateRestoreE2E, RestoreBringsBackTheStateBeforeTheLatestApply) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  CliResult none = Run({"state", "restore", "--backup"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no backup of state " + StatePath() + " exists"), std::string::npos)
      << none.err;

  ASSERT_EQ(Apply().exit_code, 0);
  const nlohmann::json first = Shown();
  const int64_t first_serial = LoadState().serial;
  // The first command wrote into a new state: there was nothing before it to keep.
  EXPECT_FALSE(std::filesystem::exists(StatePath() + ".backup"));

  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  ASSERT_EQ(Apply().exit_code, 0);
  const int64_t second_serial = LoadState().serial;
  ASSERT_NE(Shown(), first);
  EXPECT_TRUE(std::filesystem::exists(StatePath() + ".backup"));

  CliResult restored = Run({"state", "restore", "--backup"});
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  EXPECT_NE(restored.err.find("Restoring state " + StatePath() + " to serial " +
                              std::to_string(first_serial) + " from " + StatePath() +
                              ".backup (taking the state lock)"),
            std::string::npos)
      << restored.err;
  EXPECT_NE(restored.out.find("State serial " + std::to_string(second_serial) + " -> " +
                              std::to_string(second_serial + 1)),
            std::string::npos)
      << restored.out;
  EXPECT_EQ(Shown(), first);
  EXPECT_EQ(LoadState().serial, second_serial + 1);
  EXPECT_EQ(RecordedIds("render").size(), 1u);
}

TEST_F(StateRestoreE2E, RestoreIsRefusedWhileAnotherRunHoldsTheLock) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 1));
  ASSERT_EQ(Apply().exit_code, 0);
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  ASSERT_EQ(Apply().exit_code, 0);
  const int64_t serial = LoadState().serial;

  SystemClock clock;
  auto store = OpenSqliteStateStore(StatePath(), clock);
  ASSERT_TRUE(store.ok());
  LockRequest request;
  request.operation = "apply";
  request.user = "alice";
  request.host = "ci-runner-elsewhere";
  request.pid = 4242;
  Result<LockInfo> lock = (*store)->Lock(request);
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();

  CliResult refused = Run({"state", "restore", "--backup"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.err.find("is locked: held by alice@ci-runner-elsewhere"), std::string::npos)
      << refused.err;
  EXPECT_EQ(LoadState().serial, serial);
  ASSERT_TRUE((*store)->Unlock(lock->id).ok());
}

}  // namespace
}  // namespace spotform::e2e
