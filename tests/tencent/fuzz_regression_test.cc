// Replies the API response fuzzer (tests/fuzz/api_response_fuzzer.cc) is built to throw at the
// client, kept as tests of the clean error each must give. A list reply claiming a TotalCount
// no list can hold used to make FetchAllPages size one slot per page up front (gigabytes for
// 10^12) or overflow int64 while counting pages (INT64_MAX): now it is a corrupt reply.
// A CreatedTime past 2261 overflowed Clock::WallTime's int64 nanoseconds (the fuzzer found
// "4052-01-01T00:00:00Z"; tests/fuzz/corpus/api_response/1-describe-instances-year-4052).
// A tccli credential file holding a number beyond a double's range made nlohmann throw an
// exception nobody caught (tests/fuzz/corpus/credentials/regression-7e999).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "providers/tencent/credentials.h"
#include "providers/tencent/tencent_cloud.h"
#include "providers/tencent/wire_values.h"
#include "tests/tencent/scripted_api_caller.h"

namespace spotform {
namespace {

using nlohmann::json;

class ApiReplyFuzzRegression : public ::testing::Test {
 protected:
  ScriptedApiCaller caller_;
  TencentCloud cloud_{caller_, TencentCloudOptions{"ap-guangzhou", 4}};
};

std::string Corrupt(int64_t total) {
  return "the reply's TotalCount " + std::to_string(total) +
         " is more than any list holds (10000000): the reply is corrupt";
}

TEST_F(ApiReplyFuzzRegression, AnInstanceListClaimingInt64MaxItemsIsACorruptReply) {
  const int64_t total = std::numeric_limits<int64_t>::max();
  caller_.Reply("DescribeInstances", json{{"TotalCount", total}, {"InstanceSet", json::array()}});
  Result<std::vector<ObservedInstance>> found = cloud_.FindInstances(InstanceQuery{});
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(found.error().code(), "ClientError.BadResponse");
  EXPECT_EQ(found.error().message(), Corrupt(total));
  EXPECT_EQ(caller_.requests().size(), 1u);  // no page was asked for
}

TEST_F(ApiReplyFuzzRegression, AnEnvironmentListClaimingATrillionItemsIsACorruptReply) {
  caller_.Reply("DescribeComputeEnvs",
                json{{"TotalCount", int64_t{1'000'000'000'000}}, {"ComputeEnvSet", json::array()}});
  Result<std::vector<ComputeEnvInfo>> envs = cloud_.ListComputeEnvs(ComputeEnvQuery{});
  ASSERT_FALSE(envs.ok());
  EXPECT_EQ(envs.error().code(), "ClientError.BadResponse");
  EXPECT_EQ(envs.error().message(), Corrupt(1'000'000'000'000));
  EXPECT_EQ(caller_.requests().size(), 1u);
}

TEST_F(ApiReplyFuzzRegression, ATotalCountThatJumpsWhilePagingIsACorruptReply) {
  caller_.On("DescribeComputeEnvActivities", [](const ApiRequest& request) -> Result<json> {
    const int64_t offset = request.params.value("Offset", int64_t{0});
    return json{{"TotalCount", offset == 0 ? 150 : int64_t{5'000'000'000'000'000'000}},
                {"ActivitySet", json::array()}};
  });
  Result<std::vector<ComputeEnvActivity>> activities =
      cloud_.DescribeComputeEnvActivities("env-00000001");
  ASSERT_FALSE(activities.ok());
  EXPECT_EQ(activities.error().code(), "ClientError.BadResponse");
  EXPECT_EQ(activities.error().message(), Corrupt(5'000'000'000'000'000'000));
}

TEST(ApiTimeFuzzRegression, TimesBeyondWhatWallTimeHoldsAreBadValues) {
  ApiResponse reply{json::parse(R"({"Far": "4052-01-01T00:00:00Z", "Last": "2261-12-31T23:59:59Z",
                                    "Early": "1969-12-31T23:59:59Z"})"),
                    "rid"};
  ResponseReader reader("DescribeInstances", reply);
  Result<Clock::WallTime> far = DecodeTime(reader, "Far");
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.error().message(),
            "DescribeInstances: response field Far \"4052-01-01T00:00:00Z\" is outside the years "
            "1970 to 2261");
  EXPECT_FALSE(DecodeTime(reader, "Early").ok());
  Result<Clock::WallTime> last = DecodeTime(reader, "Last");
  ASSERT_TRUE(last.ok()) << last.error().ToString();
  EXPECT_EQ(*last, std::chrono::sys_days(std::chrono::year{2261} / 12 / 31) +
                       std::chrono::hours(23) + std::chrono::minutes(59) +
                       std::chrono::seconds(59));
}

// credentials_fuzzer: nlohmann's parser throws out_of_range (406) for 7e999, and the profile
// reader caught only parse_error: `spotform apply` with that credential file aborted (exit
// 134). Now it is a broken credential file like any other; the message quotes nothing of it.
class CredentialFileFuzzRegression : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "spotform-cred-fuzz-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    home_ = pattern;
    std::filesystem::create_directories(home_ + "/.tccli");
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(home_ + "/.tccli/" + name) << text;
  }
  Result<CredentialLookup> Lookup() {
    CredentialSources sources;
    sources.getenv = [](const std::string&) -> std::optional<std::string> { return {}; };
    sources.home = home_;
    return LookupCredentials(sources);
  }

  std::string home_;
};

TEST_F(CredentialFileFuzzRegression, ANumberBeyondADoubleMakesItABrokenCredentialFile) {
  Write("default.credential", R"({"secretId": "AKIDfile", "secretKey": 7e999})");
  Result<CredentialLookup> found = Lookup();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kAuth);
  EXPECT_EQ(found.error().message(), "credentials: " + home_ +
                                         "/.tccli/default.credential: not valid JSON (a number "
                                         "is out of range)");
}

TEST_F(CredentialFileFuzzRegression, TheFoundFileIsRefusedTheSameWay) {
  std::ifstream in(std::string(SPOTFORM_SOURCE_DIR) +
                   "/tests/fuzz/corpus/credentials/regression-7e999");
  ASSERT_TRUE(in);
  Write("default.credential", std::string(std::istreambuf_iterator<char>(in), {}));
  Result<CredentialLookup> found = Lookup();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message(), "credentials: " + home_ +
                                         "/.tccli/default.credential: not valid JSON (a number "
                                         "is out of range)");
}

// The .configure file beside it only lends a region: one that does not parse is skipped, as
// before, whether its JSON is broken or holds 7e999.
TEST_F(CredentialFileFuzzRegression, ANumberBeyondADoubleInTheConfigureFileLendsNoRegion) {
  Write("default.credential", R"({"secretId": "AKIDfile", "secretKey": "file-secret"})");
  Write("default.configure", R"({"_sys_param": {"region": "ap-beijing", "timeout": 7e999}})");
  Result<CredentialLookup> found = Lookup();
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->credentials.secret_id(), "AKIDfile");
  EXPECT_EQ(found->region, "");
}

}  // namespace
}  // namespace spotform
