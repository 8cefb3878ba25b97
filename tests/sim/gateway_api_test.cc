// ApiGateway: the API 3.0 envelope, check order, rate limits, faults and the request log,
// driven without sockets and with a fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "providers/sim/api_gateway.h"
#include "tests/sim/sim_request_builder.h"
#include "tests/support/fake_clock.h"

namespace spotform::sim {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

class GatewayTest : public ::testing::Test {
 protected:
  explicit GatewayTest(bool rate_limit = true) : limiter_(clock_, rate_limit) {
    Result<RequestSchema> schema = RequestSchema::Embedded();
    EXPECT_TRUE(schema.ok());
    schema_.emplace(std::move(schema).value());
    gateway_.emplace(*schema_, auth_, limiter_, faults_, log_, model_, clock_);
    builder_.timestamp = RequestBuilder::UnixSeconds(clock_);
  }

  // Sends a request; returns the parsed body's "Response" object.
  json Send(const HttpRequest& request, int expected_status = 200) {
    last_ = gateway_->Handle(request);
    EXPECT_EQ(last_.status, expected_status);
    EXPECT_EQ(last_.content_type, "application/json");
    json body = json::parse(last_.body);
    return body.at("Response");
  }
  json Send(const std::string& action, const std::string& body) {
    builder_.action = action;
    builder_.body = body;
    builder_.timestamp = RequestBuilder::UnixSeconds(clock_);
    return Send(builder_.Build());
  }
  static std::string CodeOf(const json& response) {
    return response.contains("Error") ? response["Error"]["Code"].get<std::string>() : "ok";
  }
  static std::string ErrorOf(const json& response) {
    return CodeOf(response) + ": " + response["Error"]["Message"].get<std::string>();
  }
  // The error of the builder's request sent without `header`.
  std::string ErrorWithout(const std::string& header) {
    HttpRequest request = builder_.Build();
    request.headers.erase(header);
    return ErrorOf(Send(request));
  }

  FakeClock clock_;
  CloudModel model_{CloudModelOptions{}, clock_};
  AuthVerifier auth_{{{kDefaultSecretId, kDefaultSecretKey, ""}}, clock_};
  ServerRateLimiter limiter_;
  FaultInjector faults_;
  RequestLog log_;
  std::optional<RequestSchema> schema_;
  std::optional<ApiGateway> gateway_;
  RequestBuilder builder_;
  HttpResponse last_;
};

class UnlimitedGatewayTest : public GatewayTest {
 protected:
  UnlimitedGatewayTest() : GatewayTest(/*rate_limit=*/false) {}
};

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST_F(GatewayTest, SuccessEnvelopeCarriesOutputAndRequestId) {
  json response = Send("DescribeInstances", "{}");
  EXPECT_EQ(response["TotalCount"], 0);
  EXPECT_EQ(response["InstanceSet"], json::array());
  ASSERT_TRUE(response["RequestId"].is_string());
  EXPECT_TRUE(std::regex_match(response["RequestId"].get<std::string>(), kUuid));
}

TEST_F(GatewayTest, ErrorEnvelopeHasOnlyErrorAndRequestId) {
  json response = Send("DescribeInstances", R"({"Bogus": 1})");
  ASSERT_EQ(response.size(), 2u) << response;
  EXPECT_EQ(response["Error"], json({{"Code", "UnknownParameter"},
                                     {"Message", "The parameter `Bogus` is not recognized."}}));
  EXPECT_TRUE(std::regex_match(response["RequestId"].get<std::string>(), kUuid));
}

TEST_F(GatewayTest, EveryResponseHasItsOwnRequestId) {
  const std::string first = Send("DescribeInstances", "{}")["RequestId"];
  const std::string second = Send("DescribeInstances", "{}")["RequestId"];
  EXPECT_NE(first, second);
}

TEST_F(GatewayTest, GetIsRefusedWithAnEnvelope) {
  HttpRequest request = builder_.Build();
  request.method = "GET";
  EXPECT_EQ(ErrorOf(Send(request)),
            "UnsupportedProtocol: spotform-sim accepts API calls only as POST with a JSON body; "
            "GET is not supported.");
}

TEST_F(GatewayTest, OtherPathsAreNotFound) {
  HttpRequest request = builder_.Build();
  request.path = "/v2/index.php";
  EXPECT_EQ(CodeOf(Send(request, 404)), "UnsupportedProtocol");
}

TEST_F(GatewayTest, ContentTypeMustBeJson) {
  builder_.content_type = "application/x-www-form-urlencoded";
  EXPECT_EQ(ErrorOf(Send(builder_.Build())),
            "InvalidParameter: The Content-Type must be application/json (signature v3).");
  builder_.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(CodeOf(Send(builder_.Build())), "ok");
}

TEST_F(GatewayTest, BodyOverTenMegabytesIsRefused) {
  builder_.body = R"({"InstanceIds": [")" + std::string(ApiGateway::kMaxBodyBytes, 'x') + "\"]}";
  EXPECT_EQ(ErrorOf(Send(builder_.Build())),
            "RequestSizeLimitExceeded: The request body exceeds the 10 MB limit of a POST "
            "request.");
}

TEST_F(GatewayTest, SignatureIsCheckedBeforeTheAction) {
  builder_.action = "NoSuchAction";
  builder_.secret_key = "wrong";
  EXPECT_EQ(CodeOf(Send(builder_.Build())), "AuthFailure.SignatureFailure");
}

TEST_F(GatewayTest, UnknownActionIsInvalidAction) {
  EXPECT_EQ(ErrorOf(Send("StartInstances", "{}")),
            "InvalidAction: The request action=`StartInstances` is invalid or not found in "
            "version=`2017-03-12`.");
}

TEST_F(GatewayTest, MissingActionOrVersion) {
  EXPECT_EQ(ErrorWithout("x-tc-action"),
            "MissingParameter: The request is missing a required parameter `Action`.");
  EXPECT_EQ(ErrorWithout("x-tc-version"),
            "MissingParameter: The request is missing a required parameter `Version`.");
}

TEST_F(GatewayTest, OnlyVersion20170312Exists) {
  builder_.version = "2022-01-01";
  builder_.action = "CreateComputeEnv";
  EXPECT_EQ(ErrorOf(Send(builder_.Build())),
            "NoSuchVersion: The specified api version=`2022-01-01` does not exist in "
            "service=`batch`.");
}

TEST_F(GatewayTest, RegionIsRequiredAndMustExist) {
  EXPECT_EQ(ErrorWithout("x-tc-region"),
            "MissingParameter: The request is missing a required parameter `Region`.");
  builder_.region = "mars-olympus";
  EXPECT_EQ(ErrorOf(Send(builder_.Build())),
            "UnsupportedRegion: The action `DescribeInstances` is not supported in region "
            "`mars-olympus`.");
}

TEST_F(GatewayTest, MalformedJsonIsInvalidParameter) {
  for (const std::string body : {"{\"Limit\": ", "[1, 2]", "\"text\"", "\xff\xfe"}) {
    EXPECT_EQ(ErrorOf(Send("DescribeInstances", body)),
              "InvalidParameter: The request body is not a valid JSON object.")
        << body;
  }
}

TEST_F(GatewayTest, DeeplyNestedJsonIsRefusedWithoutCrashing) {
  const std::string body =
      R"({"Filters": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_EQ(CodeOf(Send("DescribeInstances", body)), "InvalidParameter");
  EXPECT_TRUE(log_.Entries().back().params.is_null());
}

TEST_F(GatewayTest, EmptyBodyMeansNoParameters) {
  EXPECT_EQ(CodeOf(Send("DescribeInstances", "")), "ok");
}

TEST_F(GatewayTest, SchemaErrorsComeThroughTheEnvelope) {
  EXPECT_EQ(ErrorOf(Send("RunInstances", R"({"Placement": {"Zone": 3}})")),
            "InvalidParameter: The value type of parameter `Placement.Zone` is not valid.");
  EXPECT_EQ(ErrorOf(Send("TerminateInstances", "{}")),
            "MissingParameter: The request is missing a required parameter `InstanceIds`.");
}

TEST_F(GatewayTest, InvalidUtf8InHeadersStillGivesValidJson) {
  builder_.action = "Describe\xff\xfeInstances";
  json response = Send(builder_.Build());  // Send parses the body: it must be valid JSON
  EXPECT_EQ(CodeOf(response), "InvalidAction");
}

TEST_F(GatewayTest, RateLimitIsPerActionAndPerSecond) {
  for (int i = 0; i < 40; ++i) ASSERT_EQ(CodeOf(Send("DescribeInstances", "{}")), "ok") << i;
  EXPECT_EQ(ErrorOf(Send("DescribeInstances", "{}")),
            "RequestLimitExceeded: Your request rate for action `DescribeInstances` exceeds the "
            "limit of 40 requests per second.");
  // Another action has its own budget.
  EXPECT_EQ(CodeOf(Send("DescribeInstancesStatus", "{}")), "ok");
  clock_.Advance(seconds(1));
  EXPECT_EQ(CodeOf(Send("DescribeInstances", "{}")), "ok");
}

TEST_F(GatewayTest, BatchActionsHaveTheirPublishedLimit) {
  for (int i = 0; i < 2; ++i) {
    ASSERT_NE(CodeOf(Send("DescribeComputeEnvs", "{}")), "RequestLimitExceeded");
  }
  EXPECT_EQ(CodeOf(Send("DescribeComputeEnvs", "{}")), "RequestLimitExceeded");
}

TEST_F(GatewayTest, DescribeAccountQuotaIsServedAndLimitedTo20PerSecond) {
  // No published figure (reference §1.6: UNCONFIRMED): the emulator uses 20/s.
  EXPECT_EQ(ServerRateLimiter::LimitOf("DescribeAccountQuota"), 20);
  json first = Send("DescribeAccountQuota", "{}");
  ASSERT_EQ(CodeOf(first), "ok") << first;
  EXPECT_EQ(first["AccountQuotaOverview"]["Region"], "ap-guangzhou");
  for (int i = 1; i < 20; ++i) ASSERT_EQ(CodeOf(Send("DescribeAccountQuota", "{}")), "ok") << i;
  EXPECT_EQ(CodeOf(Send("DescribeAccountQuota", "{}")), "RequestLimitExceeded");
}

TEST_F(UnlimitedGatewayTest, NoRateLimitSwitchLiftsTheLimit) {
  for (int i = 0; i < 100; ++i) ASSERT_EQ(CodeOf(Send("DescribeInstances", "{}")), "ok") << i;
}

TEST_F(GatewayTest, InjectedFaultsAnswerTheNextCallsThenRunOut) {
  faults_.Add("DescribeInstances", "InternalError", 2);
  EXPECT_EQ(ErrorOf(Send("DescribeInstances", "{}")),
            "InternalError: Injected fault (spotform-sim /_sim/faults).");
  EXPECT_EQ(CodeOf(Send("DescribeInstancesStatus", "{}")), "ok");  // other actions unaffected
  EXPECT_EQ(CodeOf(Send("DescribeInstances", "{}")), "InternalError");
  EXPECT_EQ(CodeOf(Send("DescribeInstances", "{}")), "ok");
}

TEST_F(GatewayTest, InjectedFaultsComeAfterValidation) {
  faults_.Add("DescribeInstances", "ResourceBusy", 1);
  EXPECT_EQ(CodeOf(Send("DescribeInstances", R"({"Nope": 1})")), "UnknownParameter");
  EXPECT_EQ(CodeOf(Send("DescribeInstances", "{}")), "ResourceBusy");
}

TEST_F(GatewayTest, InjectedLatencyIsSleptThroughTheClock) {
  faults_.SetLatency(milliseconds(250));
  Send("DescribeInstances", "{}");
  faults_.SetLatency(milliseconds(0));
  Send("DescribeInstances", "{}");
  EXPECT_EQ(clock_.sleeps(), std::vector<std::chrono::nanoseconds>{milliseconds(250)});
}

TEST_F(GatewayTest, RequestLogRecordsEveryCallThatNamesAServedAction) {
  const int64_t start_ms =
      std::chrono::duration_cast<milliseconds>(clock_.Now().time_since_epoch()).count();
  Send("DescribeInstances", R"({"Limit": 5})");
  clock_.Advance(milliseconds(1500));
  Send("TerminateInstances", R"({"InstanceIds": 7})");
  builder_.secret_key = "wrong";  // refused by the signature check, still logged
  Send("DescribeInstances", "{}");
  builder_.secret_key = kDefaultSecretKey;
  Send("NoSuchAction", "{}");  // names no served action: not logged

  EXPECT_EQ(log_.Since(0), json::parse(R"([
    {"seq": 1, "time_ms": )" + std::to_string(start_ms) +
                                       R"(, "action": "DescribeInstances",
     "params": {"Limit": 5}, "error": null},
    {"seq": 2, "time_ms": )" + std::to_string(start_ms + 1500) +
                                       R"(, "action": "TerminateInstances",
     "params": {"InstanceIds": 7}, "error": "InvalidParameter"},
    {"seq": 3, "time_ms": )" + std::to_string(start_ms + 1500) +
                                       R"(, "action": "DescribeInstances",
     "params": {}, "error": "AuthFailure.SignatureFailure"}
  ])"));
  EXPECT_EQ(log_.Since(2).size(), 1u);
  EXPECT_EQ(log_.Since(3), json::array());
}

TEST_F(GatewayTest, RequestLogMasksPasswords) {
  Send("RunInstances", R"({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-pmqg1cw7",
                           "LoginSettings": {"Password": "Hunter2-secret"}, "DryRun": true})");
  const std::string logged = log_.Since(0).dump();
  EXPECT_EQ(logged.find("Hunter2-secret"), std::string::npos) << logged;
  EXPECT_EQ(log_.Entries().at(0).params["LoginSettings"]["Password"], "******");
}

}  // namespace
}  // namespace spotform::sim
