// The three official TC3-HMAC-SHA256 vectors (reference §1.3.1), checked at every stage.
#include "providers/tencent/tc3_signer.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

constexpr char kPayload[] =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";

Tc3Input DocExample() {
  Tc3Input input;
  input.signed_headers = {{"content-type", "application/json; charset=utf-8"},
                          {"host", "cvm.tencentcloudapi.com"}};
  input.payload = kPayload;
  input.timestamp = 1551113065;
  input.service = "cvm";
  return input;
}

TEST(Tc3Signer, VectorA_ExampleKeys) {
  Tc3Signature s =
      SignTc3(DocExample(), "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
  EXPECT_EQ(s.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n"
            "\ncontent-type;host\n"
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(s.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  EXPECT_EQ(s.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  EXPECT_EQ(s.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
            "tc3_request, SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

TEST(Tc3Signer, VectorB_MaskedKeys) {
  Tc3Signature s =
      SignTc3(DocExample(), "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******");
  EXPECT_EQ(s.signature, "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
}

TEST(Tc3Signer, VectorC_AlsoSignsAction) {
  Tc3Input input = DocExample();
  input.signed_headers["x-tc-action"] = "DescribeInstances";  // canonical form lower-cases it
  Tc3Signature s =
      SignTc3(input, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******");
  EXPECT_NE(s.canonical_request.find("x-tc-action:describeinstances\n"), std::string::npos);
  EXPECT_EQ(s.string_to_sign.substr(s.string_to_sign.rfind('\n') + 1),
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
  EXPECT_EQ(s.signature, "be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
}

TEST(Tc3Signer, DateIsUtcNotLocal) {
  // 2019-02-26 00:44:25 in UTC+8 is still 2019-02-25 in UTC.
  EXPECT_EQ(UtcDate(1551113065), "2019-02-25");
  EXPECT_EQ(UtcDate(0), "1970-01-01");
}

}  // namespace
}  // namespace spotform
