// Redaction and the --verbose request dump: the secret key and token never reach the sink.
#include "providers/tencent/redaction.h"

#include <gtest/gtest.h>

#include "providers/tencent/api_log.h"
#include "providers/tencent/signed_api_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_http_transport.h"

namespace spotform {
namespace {

constexpr char kSecretKey[] = "very-secret-key-bytes";
constexpr char kToken[] = "session-token-bytes";

TEST(Redaction, AuthorizationKeepsScopeAndDropsSignature) {
  EXPECT_EQ(RedactAuthorization("TC3-HMAC-SHA256 Credential=AKIDx/2026-01-01/cvm/tc3_request, "
                                "SignedHeaders=content-type;host, Signature=abcdef0123"),
            "TC3-HMAC-SHA256 Credential=AKIDx/2026-01-01/cvm/tc3_request, "
            "SignedHeaders=content-type;host, Signature=<redacted>");
  EXPECT_EQ(RedactAuthorization("Basic dXNlcjpwYXNz"), "<redacted>");
}

TEST(Redaction, HeadersRedactAuthorizationAndTokenCaseInsensitively) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-TC-Action", "RunInstances"},
      {"x-tc-token", kToken},
      {"authorization", "garbage"},
  };
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"X-TC-Action", "RunInstances"},
      {"x-tc-token", "<redacted>"},
      {"authorization", "<redacted>"},
  };
  EXPECT_EQ(RedactHeaders(headers), expected);
}

TEST(Redaction, JsonPasswordsAtAnyDepth) {
  nlohmann::json params = {
      {"LoginSettings", {{"Password", "hunter2"}, {"KeyIds", {"skey-1"}}}},
      {"Items", {{{"SecretKey", "k"}}, {{"Token", "t"}}}},
      {"InstanceCount", 2},
  };
  nlohmann::json expected = {
      {"LoginSettings", {{"Password", "<redacted>"}, {"KeyIds", {"skey-1"}}}},
      {"Items", {{{"SecretKey", "<redacted>"}}, {{"Token", "<redacted>"}}}},
      {"InstanceCount", 2},
  };
  EXPECT_EQ(RedactJson(params), expected);
}

TEST(Redaction, ScrubRemovesEveryOccurrence) {
  EXPECT_EQ(ScrubSecrets("a s3cr s3cr b", {"s3cr", ""}), "a <redacted> <redacted> b");
}

TEST(ApiLog, VerboseDumpShowsTheCallButNeverTheSecrets) {
  std::vector<std::string> records;
  ApiLog log([&](std::string_view record) { records.emplace_back(record); }, {kSecretKey, kToken});
  FakeHttpTransport transport;
  // A reply that (absurdly) echoes the secrets: still scrubbed.
  transport.PushBody(std::string(R"({"Response":{"Echo":")") + kSecretKey + kToken +
                     R"(","RequestId":"r-1"}})");
  FakeClock clock;
  Result<EndpointResolver> endpoints = EndpointResolver::Create("http://127.0.0.1:9000", false);
  ASSERT_TRUE(endpoints.ok());
  SignedApiClient client(transport, *endpoints, Credentials("AKIDlogtest0001", kSecretKey, kToken),
                         clock, &log);
  ApiRequest request;
  request.service = "cvm";
  request.action = "RunInstances";
  request.region = "ap-guangzhou";
  request.params = {{"LoginSettings", {{"Password", kSecretKey}}}, {"InstanceCount", 1}};

  ASSERT_TRUE(client.Call(request).ok());

  ASSERT_EQ(records.size(), 2u);
  const std::string& sent = records[0];
  EXPECT_NE(sent.find("api> RunInstances region=ap-guangzhou endpoint=http://127.0.0.1:9000/"),
            std::string::npos)
      << sent;
  EXPECT_NE(sent.find("X-TC-Action: RunInstances"), std::string::npos);
  EXPECT_NE(sent.find("X-TC-Token: <redacted>"), std::string::npos);
  EXPECT_NE(sent.find("Signature=<redacted>"), std::string::npos);
  EXPECT_NE(sent.find(R"(body: {"InstanceCount":1,"LoginSettings":{"Password":"<redacted>"}})"),
            std::string::npos)
      << sent;
  EXPECT_NE(records[1].find("api< RunInstances HTTP 200"), std::string::npos);
  for (const std::string& record : records) {
    EXPECT_EQ(record.find(kSecretKey), std::string::npos) << record;
    EXPECT_EQ(record.find(kToken), std::string::npos) << record;
  }
}

}  // namespace
}  // namespace spotform
