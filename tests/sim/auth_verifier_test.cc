// AuthVerifier: TC3-HMAC-SHA256 verified exactly like the real service, including the
// official documentation's signature vectors.
#include "providers/sim/auth_verifier.h"

#include <gtest/gtest.h>

#include <chrono>

#include "providers/tencent/tc3_signer.h"
#include "tests/sim/sim_request_builder.h"
#include "tests/support/fake_clock.h"

namespace spotform::sim {
namespace {

constexpr char kSignatureFailure[] =
    "AuthFailure.SignatureFailure: The provided credentials could not be validated. Please "
    "check your signature is correct.";

// The official example (reference §1.3.1): DescribeInstances in Guangzhou at 1551113065.
constexpr int64_t kVectorTimestamp = 1551113065;
constexpr char kVectorBody[] =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";

HeaderMap VectorHeaders() {
  return {{"content-type", "application/json; charset=utf-8"},
          {"host", "cvm.tencentcloudapi.com"},
          {"x-tc-action", "DescribeInstances"},
          {"x-tc-version", "2017-03-12"},
          {"x-tc-region", "ap-guangzhou"},
          {"x-tc-timestamp", std::to_string(kVectorTimestamp)}};
}

// The example's headers signed as official vector A (content-type and host).
HeaderMap VectorAHeaders() {
  HeaderMap headers = VectorHeaders();
  headers["authorization"] =
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
      "tc3_request, SignedHeaders=content-type;host, "
      "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";
  return headers;
}

std::string Describe(const Status& status) {
  return status.ok() ? "ok" : status.error().code() + ": " + status.error().message();
}

class AuthTest : public ::testing::Test {
 protected:
  AuthTest() {
    clock_.SetWall(Clock::WallTime(std::chrono::seconds(kVectorTimestamp)));
    builder_.timestamp = kVectorTimestamp;
  }

  std::string Verify(const HttpRequest& request) const {
    return Describe(verifier_.Verify(request.headers, request.body));
  }

  FakeClock clock_;
  AuthVerifier verifier_{
      {{kDefaultSecretId, kDefaultSecretKey, ""},
       {"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", ""},
       {"AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******", ""},
       {"AKIDTEMPORARY", "temporary-key", "session-token"}},
      clock_};
  RequestBuilder builder_;
};

TEST_F(AuthTest, OfficialVectorAIsAccepted) {
  const HeaderMap headers = VectorAHeaders();
  EXPECT_EQ(Describe(verifier_.Verify(headers, kVectorBody)), "ok");
}

TEST_F(AuthTest, OfficialVectorCWithAnExtraSignedHeaderIsAccepted) {
  HeaderMap headers = VectorHeaders();
  headers["authorization"] =
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/"
      "tc3_request, SignedHeaders=content-type;host;x-tc-action, "
      "Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3";
  EXPECT_EQ(Describe(verifier_.Verify(headers, kVectorBody)), "ok");
}

TEST_F(AuthTest, OfficialVectorWithAChangedBodyFails) {
  const HeaderMap headers = VectorAHeaders();
  // Same JSON meaning, different bytes: the hash is over what was received.
  EXPECT_EQ(
      Describe(verifier_.Verify(
          headers, R"({"Limit":1,"Filters":[{"Values":["未命名"],"Name":"instance-name"}]})")),
      kSignatureFailure);
}

TEST_F(AuthTest, SdkStyleServiceIsTheHostsFirstLabel) {
  builder_.host = "127.0.0.1:9000";
  builder_.service = "127";
  EXPECT_EQ(Verify(builder_.Build()), "ok");
}

TEST_F(AuthTest, NodeSdkSignsTheHostWithoutItsPort) {
  // tencentcloud-sdk-nodejs sends `Host: 127.0.0.1:9000` but signs `host:127.0.0.1`.
  builder_.host = "127.0.0.1";
  builder_.service = "127";
  HttpRequest request = builder_.Build();
  request.headers["host"] = "127.0.0.1:9000";
  EXPECT_EQ(Verify(request), "ok");
  request.headers["host"] = "127.0.0.2:9000";
  EXPECT_EQ(Verify(request), kSignatureFailure);
}

TEST_F(AuthTest, CvmAndBatchServicesAreAcceptedOnAnyHost) {
  builder_.host = "127.0.0.1:9000";
  builder_.service = "cvm";
  EXPECT_EQ(Verify(builder_.Build()), "ok");
  builder_.service = "batch";
  EXPECT_EQ(Verify(builder_.Build()), "ok");
}

TEST_F(AuthTest, AnyOtherServiceFails) {
  builder_.host = "127.0.0.1:9000";
  builder_.service = "tke";
  EXPECT_EQ(Verify(builder_.Build()), kSignatureFailure);
}

TEST_F(AuthTest, WrongSecretKeyFails) {
  builder_.secret_key = "not-the-key";
  EXPECT_EQ(Verify(builder_.Build()), kSignatureFailure);
}

TEST_F(AuthTest, UnknownSecretIdFails) {
  builder_.secret_id = "AKIDNOBODY";
  EXPECT_EQ(Verify(builder_.Build()),
            "AuthFailure.SecretIdNotFound: The SecretId is not found, please ensure that your "
            "SecretId is correct.");
}

TEST_F(AuthTest, TimestampWithinFiveMinutesIsAccepted) {
  builder_.timestamp = kVectorTimestamp - 300;
  EXPECT_EQ(Verify(builder_.Build()), "ok");
  builder_.timestamp = kVectorTimestamp + 300;
  EXPECT_EQ(Verify(builder_.Build()), "ok");
}

TEST_F(AuthTest, StaleTimestampExpires) {
  builder_.timestamp = kVectorTimestamp - 301;
  EXPECT_EQ(Verify(builder_.Build()),
            "AuthFailure.SignatureExpire: Signature expired: the request timestamp 1551112764 is "
            "more than 300 seconds away from the server time 1551113065.");
}

TEST_F(AuthTest, FutureTimestampExpires) {
  builder_.timestamp = kVectorTimestamp + 301;
  EXPECT_EQ(verifier_.Verify(builder_.Build().headers, builder_.body).error().code(),
            "AuthFailure.SignatureExpire");
}

TEST_F(AuthTest, ScopeDateMustBeTheUtcDate) {
  // 1551113065 is 2019-02-26 in UTC+8; a signer using local time would scope it so.
  HttpRequest request = builder_.Build();
  const std::string utc_scope = "/2019-02-25/cvm/";
  std::string& authorization = request.headers["authorization"];
  authorization.replace(authorization.find(utc_scope), utc_scope.size(), "/2019-02-26/cvm/");
  EXPECT_EQ(Verify(request), kSignatureFailure);
}

TEST_F(AuthTest, SignedHeaderAbsentFromTheRequestFails) {
  HttpRequest request = builder_.Build();
  std::string& authorization = request.headers["authorization"];
  authorization.replace(authorization.find("content-type;host"), 17,
                        "content-type;host;x-tc-extra");
  EXPECT_EQ(Verify(request), kSignatureFailure);
}

TEST_F(AuthTest, HeaderValueChangedAfterSigningFails) {
  HttpRequest request = builder_.Build();
  request.headers["host"] = "batch.tencentcloudapi.com";
  EXPECT_EQ(Verify(request), kSignatureFailure);
}

TEST_F(AuthTest, MissingAuthorization) {
  HttpRequest request = builder_.Build();
  request.headers.erase("authorization");
  EXPECT_EQ(Verify(request),
            "AuthFailure.InvalidAuthorization: The Authorization header is invalid: the header "
            "is missing.");
}

TEST_F(AuthTest, UnparsableAuthorizations) {
  const std::string good = builder_.Build().headers.at("authorization");
  const std::string signature = good.substr(good.find("Signature=") + 10);
  const struct {
    std::string header;
    std::string why;
  } cases[] = {
      {"Bearer abc", "expected the TC3-HMAC-SHA256 algorithm."},
      {"TC3-HMAC-SHA256 Credential=" + std::string(kDefaultSecretId) +
           "/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host",
       "expected Credential, SignedHeaders and Signature."},
      {"TC3-HMAC-SHA256 Credential=" + std::string(kDefaultSecretId) +
           "/2019-02-25/tc3_request, SignedHeaders=content-type;host, Signature=" + signature,
       "Credential must be SecretId/Date/Service/tc3_request."},
      {"TC3-HMAC-SHA256 Credential=" + std::string(kDefaultSecretId) +
           "/2019-02-25/cvm/tc3_request, SignedHeaders=content-type, Signature=" + signature,
       "SignedHeaders must include content-type and host."},
      {"TC3-HMAC-SHA256 Credential=" + std::string(kDefaultSecretId) +
           "/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=XYZ",
       "malformed Signature."},
      {"TC3-HMAC-SHA256 garbage", "malformed component."},
  };
  for (const auto& c : cases) {
    HttpRequest request = builder_.Build();
    request.headers["authorization"] = c.header;
    EXPECT_EQ(Verify(request),
              "AuthFailure.InvalidAuthorization: The Authorization header is invalid: " + c.why)
        << c.header;
  }
}

TEST_F(AuthTest, MissingOrNonNumericTimestamp) {
  HttpRequest request = builder_.Build();
  request.headers.erase("x-tc-timestamp");
  EXPECT_EQ(Verify(request),
            "MissingParameter: The request is missing a required parameter `Timestamp`.");
  request.headers["x-tc-timestamp"] = "1551113065.5";
  EXPECT_EQ(Verify(request),
            "InvalidParameter: The value type of parameter `Timestamp` is not valid.");
}

TEST_F(AuthTest, TokenIsOptionalAndAnyTokenPassesWhenNoneIsConfigured) {
  HttpRequest request = builder_.Build();
  EXPECT_EQ(Verify(request), "ok");
  request.headers["x-tc-token"] = "whatever";
  EXPECT_EQ(Verify(request), "ok");
}

TEST_F(AuthTest, ConfiguredTokenIsChecked) {
  builder_.secret_id = "AKIDTEMPORARY";
  builder_.secret_key = "temporary-key";
  HttpRequest request = builder_.Build();
  EXPECT_EQ(Verify(request), "ok");
  request.headers["x-tc-token"] = "session-token";
  EXPECT_EQ(Verify(request), "ok");
  request.headers["x-tc-token"] = "stolen-token";
  EXPECT_EQ(Verify(request), "AuthFailure.TokenFailure: The provided X-TC-Token is invalid.");
}

TEST_F(AuthTest, ErrorsNeverContainTheSecretKey) {
  builder_.secret_key = "not-the-key";
  const Status status = verifier_.Verify(builder_.Build().headers, builder_.body);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message().find(kDefaultSecretKey), std::string::npos);
  EXPECT_EQ(status.error().message().find("not-the-key"), std::string::npos);
}

}  // namespace
}  // namespace spotform::sim
