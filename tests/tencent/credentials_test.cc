// Credential lookup: environment first, then tccli profile files under an injected HOME; clear
// errors naming the places looked at; secrets never printable.
#include "providers/tencent/credentials.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace spotform {
namespace {

namespace fs = std::filesystem;

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "spotform-cred-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    home_ = pattern;
  }
  void TearDown() override { fs::remove_all(home_); }

  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((fs::path(home_) / relative).parent_path());
    std::ofstream(fs::path(home_) / relative) << text;
  }

  CredentialSources Sources(std::string profile = "") {
    CredentialSources sources;
    sources.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    sources.home = home_;
    sources.profile = std::move(profile);
    return sources;
  }

  std::string home_;
  std::map<std::string, std::string> env_;
};

TEST_F(CredentialsTest, EnvironmentVariablesComeFirst) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "AKIDenv0000000001"},
          {"TENCENTCLOUD_SECRET_KEY", "env-secret"},
          {"TENCENTCLOUD_SECURITY_TOKEN", "env-token"},
          {"TENCENTCLOUD_REGION", "ap-shanghai"}};
  Write(".tccli/default.credential", R"({"secretId":"AKIDfile","secretKey":"file-secret"})");

  Result<CredentialLookup> found = LookupCredentials(Sources());

  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->credentials.secret_id(), "AKIDenv0000000001");
  EXPECT_EQ(found->credentials.secret_key(), "env-secret");
  EXPECT_EQ(found->credentials.token(), "env-token");
  EXPECT_EQ(found->region, "ap-shanghai");
  EXPECT_EQ(found->source, "environment");
}

TEST_F(CredentialsTest, HalfSetEnvironmentIsAnError) {
  env_ = {{"TENCENTCLOUD_SECRET_ID", "AKIDenv"}};
  Result<CredentialLookup> found = LookupCredentials(Sources());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kAuth);
  EXPECT_EQ(found.error().message(),
            "credentials: TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not");
}

TEST_F(CredentialsTest, DefaultTccliProfileWithRegionFromConfigure) {
  Write(".tccli/default.credential",
        R"({"secretId":"AKIDfile","secretKey":"file-secret","token":"file-token"})");
  Write(".tccli/default.configure",
        R"({"_sys_param":{"region":"ap-guangzhou","output":"json"},)"
        R"("cvm":{"endpoint":"cvm.tencentcloudapi.com","version":"2017-03-12"}})");

  Result<CredentialLookup> found = LookupCredentials(Sources());

  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->credentials.secret_id(), "AKIDfile");
  EXPECT_EQ(found->credentials.secret_key(), "file-secret");
  EXPECT_EQ(found->credentials.token(), "file-token");
  EXPECT_EQ(found->region, "ap-guangzhou");
  EXPECT_EQ(found->source, home_ + "/.tccli/default.credential");
}

TEST_F(CredentialsTest, OlderTopLevelRegionAndEnvironmentRegionOverride) {
  Write(".tccli/default.credential", R"({"secretId":"AKIDfile","secretKey":"file-secret"})");
  Write(".tccli/default.configure", R"({"region":"ap-beijing"})");
  Result<CredentialLookup> found = LookupCredentials(Sources());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->region, "ap-beijing");
  EXPECT_EQ(found->credentials.token(), "");

  env_ = {{"TENCENTCLOUD_REGION", "ap-chengdu"}};
  found = LookupCredentials(Sources());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->region, "ap-chengdu");
}

TEST_F(CredentialsTest, ProfileFromConfigBeatsProfileFromEnvironment) {
  Write(".tccli/prod.credential", R"({"secretId":"AKIDprod","secretKey":"prod-secret"})");
  Write(".tccli/dev.credential", R"({"secretId":"AKIDdev","secretKey":"dev-secret"})");
  env_ = {{"TENCENTCLOUD_PROFILE", "dev"}};

  Result<CredentialLookup> from_env = LookupCredentials(Sources());
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->credentials.secret_id(), "AKIDdev");

  Result<CredentialLookup> from_config = LookupCredentials(Sources("prod"));
  ASSERT_TRUE(from_config.ok());
  EXPECT_EQ(from_config->credentials.secret_id(), "AKIDprod");
}

TEST_F(CredentialsTest, NothingFoundNamesEveryPlace) {
  Result<CredentialLookup> found = LookupCredentials(Sources("prod"));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kAuth);
  EXPECT_EQ(found.error().message(),
            "credentials: none found: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY "
            "(optionally TENCENTCLOUD_SECURITY_TOKEN), or create the tccli profile " +
                home_ + "/.tccli/prod.credential (tccli configure --profile prod)");
}

TEST_F(CredentialsTest, BrokenProfileFileErrorNeverQuotesItsContents) {
  Write(".tccli/default.credential", R"({"secretId":"AKIDfile","secretKey":"leaky-secret)");
  Result<CredentialLookup> found = LookupCredentials(Sources());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kAuth);
  EXPECT_EQ(found.error().message().find("leaky"), std::string::npos);
  EXPECT_EQ(found.error().message().rfind(
                "credentials: " + home_ + "/.tccli/default.credential: not valid JSON", 0),
            0u)
      << found.error().message();
}

TEST_F(CredentialsTest, ProfileMissingAKeyIsAnError) {
  Write(".tccli/default.credential", R"({"secretId":"AKIDfile"})");
  Result<CredentialLookup> found = LookupCredentials(Sources());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message(), "credentials: " + home_ +
                                         "/.tccli/default.credential: needs string fields "
                                         "secretId and secretKey");
}

TEST_F(CredentialsTest, ProfileNameCannotEscapeTheTccliFolder) {
  Result<CredentialLookup> found = LookupCredentials(Sources("../../etc/x"));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kInvalidInput);
}

TEST(Credentials, RedactedViewHidesTheKeyAndToken) {
  Credentials credentials("AKIDSPOTFORMSIM000000000000000000000", "spotform-sim-secret",
                          "session-token-xyz");
  const std::string shown = credentials.Redacted();
  EXPECT_EQ(shown, "SecretId AKID...0000, SecretKey <redacted>, token <redacted>");
  EXPECT_EQ(Credentials("AKIDx", "k").Redacted(),
            "SecretId <redacted>, SecretKey <redacted>, token <none>");
}

}  // namespace
}  // namespace spotform
