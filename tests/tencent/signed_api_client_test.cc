// The signing layer: exact headers, a TC3 signature that verifies, and the reply envelope
// parsed into a value or a classified Error.
#include "providers/tencent/signed_api_client.h"

#include <gtest/gtest.h>

#include "providers/tencent/error_table.h"
#include "providers/tencent/tc3_signer.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_http_transport.h"

namespace spotform {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr char kId[] = "AKIDSPOTFORMSIM000000000000000000000";
constexpr char kKey[] = "spotform-sim-secret";
constexpr char kTimestamp[] = "1767225600";  // FakeClock's 2026-01-01T00:00:00Z

std::string HeaderValue(const Headers& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

class SignedApiClientTest : public ::testing::Test {
 protected:
  SignedApiClient Client(const std::string& endpoint, std::string token = "") {
    resolver_ = std::make_unique<EndpointResolver>(*EndpointResolver::Create(endpoint, false));
    return SignedApiClient(transport_, *resolver_, Credentials(kId, kKey, std::move(token)),
                           clock_);
  }
  static ApiRequest Describe(const std::string& service = "cvm") {
    ApiRequest request;
    request.service = service;
    request.action = service == "cvm" ? "DescribeInstances" : "DescribeComputeEnvs";
    request.region = "ap-guangzhou";
    request.params = {{"Limit", 100}, {"Offset", 0}};
    return request;
  }

  FakeClock clock_;
  FakeHttpTransport transport_;
  std::unique_ptr<EndpointResolver> resolver_;
};

TEST_F(SignedApiClientTest, SendsTheApi3HeadersAndTheExactBody) {
  SignedApiClient client = Client("");
  ASSERT_TRUE(client.Call(Describe()).ok());

  ASSERT_EQ(transport_.requests().size(), 1u);
  const HttpRequest sent = transport_.requests()[0];
  EXPECT_EQ(sent.url, "https://cvm.tencentcloudapi.com/");
  EXPECT_EQ(sent.body, R"({"Limit":100,"Offset":0})");
  Headers expected = {
      {"Content-Type", "application/json"},
      {"Host", "cvm.tencentcloudapi.com"},
      {"X-TC-Action", "DescribeInstances"},
      {"X-TC-Version", "2017-03-12"},
      {"X-TC-Timestamp", kTimestamp},
      {"X-TC-Language", "en-US"},
      {"X-TC-Region", "ap-guangzhou"},
      {"Authorization", HeaderValue(sent.headers, "Authorization")},
  };
  EXPECT_EQ(sent.headers, expected);
}

TEST_F(SignedApiClientTest, SignatureVerifiesWithTheProductAsService) {
  SignedApiClient client = Client("http://127.0.0.1:9000");
  ASSERT_TRUE(client.Call(Describe("batch")).ok());
  const HttpRequest sent = transport_.requests()[0];
  EXPECT_EQ(HeaderValue(sent.headers, "Host"), "127.0.0.1:9000");

  // What a verifier computes from the received bytes, signed for "batch" (not "127").
  Tc3Input input;
  input.signed_headers = {{"content-type", HeaderValue(sent.headers, "Content-Type")},
                          {"host", HeaderValue(sent.headers, "Host")}};
  input.payload = sent.body;
  input.timestamp = 1767225600;
  input.service = "batch";
  const Tc3Signature expected = SignTc3(input, kId, kKey);
  EXPECT_EQ(HeaderValue(sent.headers, "Authorization"), expected.authorization);
  EXPECT_NE(expected.authorization.find("Credential=" + std::string(kId) +
                                        "/2026-01-01/batch/tc3_request, "
                                        "SignedHeaders=content-type;host, Signature="),
            std::string::npos);
}

TEST_F(SignedApiClientTest, TimestampFollowsTheClock) {
  clock_.Advance(std::chrono::seconds(90));
  SignedApiClient client = Client("");
  ASSERT_TRUE(client.Call(Describe()).ok());
  EXPECT_EQ(HeaderValue(transport_.requests()[0].headers, "X-TC-Timestamp"), "1767225690");
}

TEST_F(SignedApiClientTest, SessionTokenTravelsInXTcToken) {
  SignedApiClient with_token = Client("", "sts-token");
  ASSERT_TRUE(with_token.Call(Describe()).ok());
  EXPECT_EQ(HeaderValue(transport_.requests()[0].headers, "X-TC-Token"), "sts-token");

  SignedApiClient without = Client("");
  ASSERT_TRUE(without.Call(Describe()).ok());
  EXPECT_EQ(HeaderValue(transport_.requests()[1].headers, "X-TC-Token"), "<absent>");
}

TEST_F(SignedApiClientTest, SuccessReturnsTheResponseWithoutRequestId) {
  transport_.PushBody(
      R"({"Response":{"TotalCount":1,"InstanceSet":[{"InstanceId":"ins-1"}],"RequestId":"r-7"}})");
  SignedApiClient client = Client("");
  Result<ApiResponse> reply = client.Call(Describe());
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->request_id, "r-7");
  EXPECT_EQ(reply->body,
            nlohmann::json::parse(R"({"TotalCount":1,"InstanceSet":[{"InstanceId":"ins-1"}]})"));
}

TEST_F(SignedApiClientTest, CloudErrorsCarryCodeRequestIdAndKind) {
  transport_.PushBody(R"({"Response":{"Error":{"Code":"InvalidParameterValue.InsufficientPrice",)"
                      R"("Message":"bid 0.05 < market 0.12"},"RequestId":"r-8"}})");
  transport_.PushBody(
      R"({"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided )"
      R"(credentials could not be validated."},"RequestId":"r-9"}})");
  SignedApiClient client = Client("");

  Result<ApiResponse> price = client.Call(Describe());
  ASSERT_FALSE(price.ok());
  EXPECT_EQ(price.error().kind(), ErrorKind::kCapacity);
  EXPECT_EQ(price.error().ToString(),
            "InvalidParameterValue.InsufficientPrice: DescribeInstances: bid 0.05 < market 0.12 "
            "(RequestId r-8)");

  Result<ApiResponse> auth = client.Call(Describe());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().kind(), ErrorKind::kAuth);
  EXPECT_EQ(auth.error().code(), "AuthFailure.SignatureFailure");
  EXPECT_EQ(auth.error().request_id(), "r-9");
}

struct BadReplyCase {
  HttpResponse reply;
  std::string code;
  std::string message;
};

TEST_F(SignedApiClientTest, BrokenRepliesAreTransportErrors) {
  const std::vector<BadReplyCase> cases = {
      {{503, "busy"},
       std::string(kCodeHttpServerError),
       "DescribeInstances: HTTP 503 (expected 200)"},
      {{404, "{}"}, std::string(kCodeHttpStatus), "DescribeInstances: HTTP 404 (expected 200)"},
      {{200, "<html>"}, std::string(kCodeBadResponse), "DescribeInstances: reply is not JSON"},
      {{200, R"({"Result":{}})"},
       std::string(kCodeBadResponse),
       "DescribeInstances: reply has no Response object"},
      {{200, R"({"Response":{"TotalCount":0}})"},
       std::string(kCodeBadResponse),
       "DescribeInstances: reply has no Response.RequestId"},
      {{200, R"({"Response":{"Error":"x","RequestId":"r"}})"},
       std::string(kCodeBadResponse),
       "DescribeInstances: reply has a malformed Response.Error"},
  };
  SignedApiClient client = Client("");
  for (const BadReplyCase& c : cases) {
    transport_.Push(c.reply);
    Result<ApiResponse> reply = client.Call(Describe());
    ASSERT_FALSE(reply.ok()) << c.reply.body;
    EXPECT_EQ(reply.error().kind(), ErrorKind::kTransport) << c.reply.body;
    EXPECT_EQ(reply.error().code(), c.code) << c.reply.body;
    EXPECT_EQ(reply.error().message(), c.message) << c.reply.body;
  }
}

TEST_F(SignedApiClientTest, TransportFailuresGetTheActionAsSubject) {
  transport_.Push(Error(ErrorKind::kTransport, "POST https://cvm.tencentcloudapi.com/: timed out",
                        std::string(kCodeTimeout)));
  SignedApiClient client = Client("");
  Result<ApiResponse> reply = client.Call(Describe());
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code(), kCodeTimeout);
  EXPECT_EQ(reply.error().message(),
            "DescribeInstances: POST https://cvm.tencentcloudapi.com/: timed out");
}

TEST_F(SignedApiClientTest, UnknownProductIsAnInternalError) {
  SignedApiClient client = Client("");
  ApiRequest request = Describe();
  request.service = "cbs";
  Result<ApiResponse> reply = client.Call(request);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind(), ErrorKind::kInternal);
  EXPECT_TRUE(transport_.requests().empty());
}

}  // namespace
}  // namespace spotform
