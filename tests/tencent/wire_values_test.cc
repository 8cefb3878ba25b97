// The shared wire pieces: tag lists, filters, spot options, times, client tokens.

#include "providers/tencent/wire_values.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

using nlohmann::json;

TEST(WireValuesTest, EncodesTagsFiltersAndSpotOptions) {
  EXPECT_EQ(EncodeTagList({{"b", "2"}, {"a", "1"}}),
            json::parse(R"([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])"));
  json filters = json::array();
  AppendTagFilters({{"team", "vfx"}}, filters);
  EXPECT_EQ(filters, json::parse(R"([{"Name": "tag:team", "Values": ["vfx"]}])"));
  EXPECT_EQ(EncodeSpotMarketOptions("0.0923"), json::parse(R"({"MarketType": "spot",
              "SpotOptions": {"MaxPrice": "0.0923", "SpotInstanceType": "one-time"}})"));
}

TEST(WireValuesTest, DecodesTagListsAndNamesBadEntries) {
  ApiResponse reply{json::parse(R"({"Tags": [{"Key": "a", "Value": "1"}],
                                    "Bad": [{"Key": "a"}]})"),
                    "rid"};
  ResponseReader reader("Act", reply);
  EXPECT_EQ(*DecodeTagList(reader, "Tags"), (Tags{{"a", "1"}}));
  EXPECT_TRUE(DecodeTagList(reader, "Absent")->empty());
  EXPECT_EQ(DecodeTagList(reader, "Bad").error().message(),
            "Act: response field Bad[0].Value missing");
}

TEST(WireValuesTest, DecodesUtcTimesStrictly) {
  ApiResponse reply{json::parse(R"({"Good": "2026-02-28T23:59:07Z", "Local": "2026-02-28 23:59:07",
    "Day": "2026-02-30T00:00:00Z", "Hour": "2026-02-28T24:00:00Z", "Sign": "2026-+2-28T00:00:00Z"})"),
                    "rid"};
  ResponseReader reader("Act", reply);
  Result<Clock::WallTime> good = DecodeTime(reader, "Good");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, std::chrono::sys_days(std::chrono::year{2026} / 2 / 28) +
                       std::chrono::hours(23) + std::chrono::minutes(59) + std::chrono::seconds(7));
  EXPECT_EQ(DecodeTime(reader, "Local").error().message(),
            "Act: response field Local \"2026-02-28 23:59:07\" is not a UTC time like "
            "2026-01-01T00:00:00Z");
  EXPECT_FALSE(DecodeTime(reader, "Day").ok());
  EXPECT_FALSE(DecodeTime(reader, "Hour").ok());
  EXPECT_FALSE(DecodeTime(reader, "Sign").ok());
  EXPECT_EQ(DecodeTime(reader, "Absent").error().message(), "Act: response field Absent missing");
}

TEST(WireValuesTest, ClientTokensArePrintableAsciiUpTo64Bytes) {
  EXPECT_TRUE(CheckClientToken("spotform-3f2a-launch-1").ok());
  EXPECT_TRUE(CheckClientToken(std::string(64, 'a')).ok());
  EXPECT_EQ(CheckClientToken("").error().message(), "ClientToken is required");
  EXPECT_EQ(CheckClientToken(std::string(65, 'a')).error().message(),
            "ClientToken is longer than 64 bytes");
  EXPECT_EQ(CheckClientToken("has space").error().message(),
            "ClientToken holds a non-printable or non-ASCII byte");
  EXPECT_FALSE(CheckClientToken("caf\xc3\xa9").ok());
}

}  // namespace
}  // namespace spotform
