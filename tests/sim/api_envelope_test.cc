// The success envelope: a reply whose array field is spliced from pre-serialized texts must
// be byte for byte the body that dumping the whole JSON document would give.
#include "providers/sim/api_envelope.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "providers/sim/api_reply.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

constexpr char kRequestId[] = "3c140219-cfe9-470e-b241-907877d6fb03";

ApiReply Spliced(json fields, const std::string& key, const std::vector<json>& items) {
  ApiReply reply(std::move(fields));
  reply.spliced_key = key;
  for (const json& item : items)
    reply.spliced.push_back(std::make_shared<std::string>(item.dump()));
  return reply;
}

// What the body was before splicing existed: the whole document dumped at once.
std::string Dumped(const ApiReply& reply) {
  json output = reply.ToJson();
  output["RequestId"] = kRequestId;
  return DumpJson(json{{"Response", output}});
}

TEST(ApiEnvelopeTest, ASplicedArrayTakesItsSortedPlaceAmongTheFields) {
  std::vector<json> items = {{{"InstanceId", "ins-aaaaaaaa"}, {"Tags", json::array()}},
                             {{"InstanceId", "ins-bbbbbbbb"}, {"Name", "caf\u00e9 \"x\""}}};
  // InstanceSet sorts before RequestId and TotalCount.
  ApiReply first = Spliced({{"TotalCount", 2}}, "InstanceSet", items);
  EXPECT_EQ(SuccessBody(first, kRequestId), Dumped(first));
  EXPECT_EQ(SuccessBody(first, kRequestId).substr(0, 41),
            R"({"Response":{"InstanceSet":[{"InstanceId")");
  // Between fields, and after every field (including RequestId).
  ApiReply middle = Spliced({{"Alpha", 1}, {"Zulu", "z"}}, "Middle", items);
  EXPECT_EQ(SuccessBody(middle, kRequestId), Dumped(middle));
  ApiReply last = Spliced({{"Alpha", 1}}, "ZZZ", items);
  EXPECT_EQ(SuccessBody(last, kRequestId), Dumped(last));
}

TEST(ApiEnvelopeTest, AnEmptySplicedArrayIsAnEmptyJsonArray) {
  ApiReply reply = Spliced({{"TotalCount", 0}}, "InstanceSet", {});
  EXPECT_EQ(SuccessBody(reply, kRequestId),
            std::string(R"({"Response":{"InstanceSet":[],"RequestId":")") + kRequestId +
                R"(","TotalCount":0}})");
}

TEST(ApiEnvelopeTest, APlainReplyIsTheDumpedDocument) {
  ApiReply reply(json{{"InstanceIdSet", {"ins-aaaaaaaa"}}});
  EXPECT_EQ(SuccessBody(reply, kRequestId),
            std::string(R"({"Response":{"InstanceIdSet":["ins-aaaaaaaa"],"RequestId":")") +
                kRequestId + R"("}})");
  EXPECT_EQ(reply.ToJson(), json({{"InstanceIdSet", {"ins-aaaaaaaa"}}}));
}

}  // namespace
}  // namespace spotform::sim
