#include <gtest/gtest.h>

#include <map>

#include "engine/config/config.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

// The `state:` section for the postgres backend: the URL from the file (never with a
// password) or SPOTFORM_PG_URL, the workspace, and a digest that ignores the environment.

ConfigParseResult Parse(const std::string& state_section,
                        const std::map<std::string, std::string>& env = {}) {
  return ParseConfig("provider: {region: ap-guangzhou}\n" + state_section, "spotform.yaml",
                     [env](const std::string& name) -> std::optional<std::string> {
                       auto found = env.find(name);
                       if (found == env.end()) return std::nullopt;
                       return found->second;
                     });
}

std::vector<std::string> Errors(const ConfigParseResult& parsed) {
  std::vector<std::string> out;
  for (const Diagnostic& diagnostic : parsed.diagnostics) out.push_back(diagnostic.ToString());
  return out;
}

TEST(PgConfigTest, PostgresBackendWithUrlAndWorkspace) {
  ConfigParseResult parsed = Parse(
      "state:\n  backend: postgres\n  url: postgresql://ci@db.internal:5432/spotform\n"
      "  workspace: prod\n");
  ASSERT_TRUE(parsed.config.has_value()) << ::testing::PrintToString(Errors(parsed));
  EXPECT_EQ(parsed.config->state.backend, "postgres");
  EXPECT_EQ(parsed.config->state.url, "postgresql://ci@db.internal:5432/spotform");
  EXPECT_FALSE(parsed.config->state.url_from_environment);
  EXPECT_EQ(parsed.config->state.workspace, "prod");
}

TEST(PgConfigTest, PasswordInTheUrlIsRefusedWithWhereItBelongsAndNeverEchoed) {
  ConfigParseResult parsed =
      Parse("state:\n  backend: postgres\n  url: postgres://spotform:hunter2@db/spotform\n");
  EXPECT_EQ(Errors(parsed),
            std::vector<std::string>{
                "spotform.yaml:4:8: state.url: holds a password, which does not belong in "
                "spotform.yaml: put the whole URL in SPOTFORM_PG_URL (and leave state.url out), "
                "or the password in ~/.pgpass (or PGPASSFILE)"});
  ConfigParseResult parameter =
      Parse("state:\n  backend: postgres\n  url: postgresql://db/spotform?password=hunter2\n");
  ASSERT_EQ(parameter.diagnostics.size(), 1u);
  EXPECT_EQ(parameter.diagnostics[0].message.find("hunter2"), std::string::npos);
}

TEST(PgConfigTest, UrlComesFromTheEnvironmentWhenTheFileHasNone) {
  ConfigParseResult parsed =
      Parse("state: {backend: postgres, workspace: ci}\n",
            {{"SPOTFORM_PG_URL", "postgresql://ci:s3cret@db.internal/spotform"}});
  ASSERT_TRUE(parsed.config.has_value()) << ::testing::PrintToString(Errors(parsed));
  EXPECT_EQ(parsed.config->state.url, "postgresql://ci:s3cret@db.internal/spotform");
  EXPECT_TRUE(parsed.config->state.url_from_environment);
}

TEST(PgConfigTest, TheFilesUrlWinsOverTheEnvironment) {
  ConfigParseResult parsed = Parse("state:\n  backend: postgres\n  url: postgresql://a/spotform\n",
                                   {{"SPOTFORM_PG_URL", "postgresql://b/spotform"}});
  ASSERT_TRUE(parsed.config.has_value());
  EXPECT_EQ(parsed.config->state.url, "postgresql://a/spotform");
}

TEST(PgConfigTest, DigestDoesNotChangeWithThePasswordOrTheEnvironment) {
  auto digest = [](const std::string& url) {
    ConfigParseResult parsed = Parse("state: {backend: postgres}\n", {{"SPOTFORM_PG_URL", url}});
    EXPECT_TRUE(parsed.config.has_value());
    return parsed.config ? parsed.config->digest : "";
  };
  EXPECT_EQ(digest("postgresql://ci:one@db/spotform"), digest("postgresql://ci:two@db/spotform"));
  EXPECT_EQ(digest("postgresql://ci:one@db/spotform"), digest("postgresql://ci@db/spotform"));
  ConfigParseResult other_workspace =
      Parse("state: {backend: postgres, workspace: other}\n",
            {{"SPOTFORM_PG_URL", "postgresql://ci:one@db/spotform"}});
  ASSERT_TRUE(other_workspace.config.has_value());
  EXPECT_NE(other_workspace.config->digest, digest("postgresql://ci:one@db/spotform"));
}

TEST(PgConfigTest, PostgresWithoutAnyUrlSaysWhereToSetIt) {
  EXPECT_EQ(Errors(Parse("state:\n  backend: postgres\n")),
            std::vector<std::string>{
                "spotform.yaml:3:3: state.url: required by the postgres backend; set it here "
                "(postgresql://[USER@]HOST[:PORT]/DATABASE, without the password) or in "
                "SPOTFORM_PG_URL"});
}

TEST(PgConfigTest, EachBackendRefusesTheOthersSetting) {
  EXPECT_EQ(Errors(Parse("state:\n  url: postgresql://db/spotform\n")),
            std::vector<std::string>{"spotform.yaml:3:3: state.url: only the postgres backend "
                                     "uses a URL; remove it or set `backend: postgres`"});
  EXPECT_EQ(Errors(Parse("state:\n  backend: postgres\n  url: postgresql://db/spotform\n"
                         "  path: x.db\n")),
            std::vector<std::string>{"spotform.yaml:5:3: state.path: only the sqlite backend "
                                     "uses a path; remove it (the postgres backend uses `url`)"});
  EXPECT_EQ(Errors(Parse("state:\n  backend: postgres\n  url: mysql://db/spotform\n")),
            std::vector<std::string>{
                "spotform.yaml:4:8: state.url: `mysql://db/spotform` is not a PostgreSQL URL; "
                "write postgresql://[USER@]HOST[:PORT]/DATABASE[?PARAMETERS]"});
}

}  // namespace
}  // namespace spotform
