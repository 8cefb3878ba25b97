// ResponseReader: every absent or mistyped reply field becomes an Error naming its path.

#include "providers/tencent/response_reader.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

using nlohmann::json;

ApiResponse Reply(const char* body) { return ApiResponse{json::parse(body), "rid-42"}; }

TEST(ResponseReaderTest, ReadsPresentFieldsOfEveryType) {
  ApiResponse reply = Reply(R"({"Name": "a", "Count": 3, "Big": 18446744073709551615,
    "Price": 0.25, "Whole": 2, "Ids": ["x", "y"], "Inner": {"Zone": "z"},
    "Items": [{"K": "v"}]})");
  ResponseReader reader("Act", reply);
  EXPECT_EQ(*reader.String("Name"), "a");
  EXPECT_EQ(*reader.Int("Count"), 3);
  EXPECT_DOUBLE_EQ(*reader.Number("Price"), 0.25);
  EXPECT_DOUBLE_EQ(*reader.Number("Whole"), 2.0);
  EXPECT_EQ(*reader.StringArray("Ids"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(*reader.Object("Inner")->String("Zone"), "z");
  Result<std::vector<ResponseReader>> items = reader.Array("Items");
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].path(), "Items[0]");
  EXPECT_EQ(*(*items)[0].String("K"), "v");
}

TEST(ResponseReaderTest, MissingFieldNamesActionAndPathAndKeepsTheRequestId) {
  ApiResponse reply = Reply(R"({"Items": [{"A": {"B": {}}}]})");
  ResponseReader reader("DescribeThings", reply);
  Result<std::vector<ResponseReader>> items = reader.Array("Items");
  ASSERT_TRUE(items.ok());
  Result<ResponseReader> b = (*items)[0].Object("A")->Object("B");
  ASSERT_TRUE(b.ok());
  Result<std::string> c = b->String("C");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(c.error().message(), "DescribeThings: response field Items[0].A.B.C missing");
  EXPECT_EQ(c.error().request_id(), "rid-42");
  EXPECT_EQ(reader.Int("Total").error().message(), "DescribeThings: response field Total missing");
}

TEST(ResponseReaderTest, WrongTypesAreErrorsNotExceptions) {
  ApiResponse reply = Reply(R"({"S": 1, "I": 1.5, "N": "1", "O": [], "A": {},
    "L": ["x", 2], "E": [1], "Null": null})");
  ResponseReader reader("Act", reply);
  EXPECT_EQ(reader.String("S").error().message(),
            "Act: response field S has type number, expected string");
  EXPECT_EQ(reader.Int("I").error().message(),
            "Act: response field I has type number, expected integer");
  EXPECT_EQ(reader.Number("N").error().message(),
            "Act: response field N has type string, expected number");
  EXPECT_EQ(reader.Object("O").error().message(),
            "Act: response field O has type array, expected object");
  EXPECT_EQ(reader.Array("A").error().message(),
            "Act: response field A has type object, expected array");
  EXPECT_EQ(reader.StringArray("L").error().message(),
            "Act: response field L[1] has type number, expected string");
  EXPECT_EQ(reader.Array("E").error().message(),
            "Act: response field E[0] has type number, expected object");
  EXPECT_EQ(reader.String("Null").error().message(),
            "Act: response field Null has type null, expected string");
}

TEST(ResponseReaderTest, OptionalFieldsReadMissingOrNullAsEmptyButStillCheckTypes) {
  ApiResponse reply = Reply(R"({"Null": null, "List": null, "Bad": 7})");
  ResponseReader reader("Act", reply);
  EXPECT_EQ(*reader.OptionalString("Absent"), "");
  EXPECT_EQ(*reader.OptionalString("Null"), "");
  EXPECT_TRUE(reader.OptionalArray("List")->empty());
  EXPECT_TRUE(reader.OptionalArray("Absent")->empty());
  EXPECT_EQ(reader.OptionalString("Bad").error().message(),
            "Act: response field Bad has type number, expected string");
  EXPECT_EQ(reader.OptionalArray("Bad").error().message(),
            "Act: response field Bad has type number, expected array");
}

TEST(ResponseReaderTest, OptionalStringArraysReadMissingOrNullAsEmpty) {
  ApiResponse reply = Reply(R"({"Null": null, "Ids": ["a"], "Bad": "a", "Mixed": ["a", 1]})");
  ResponseReader reader("Act", reply);
  EXPECT_TRUE(reader.OptionalStringArray("Absent")->empty());
  EXPECT_TRUE(reader.OptionalStringArray("Null")->empty());
  EXPECT_EQ(*reader.OptionalStringArray("Ids"), std::vector<std::string>{"a"});
  EXPECT_EQ(reader.OptionalStringArray("Bad").error().message(),
            "Act: response field Bad has type string, expected array");
  EXPECT_EQ(reader.OptionalStringArray("Mixed").error().message(),
            "Act: response field Mixed[1] has type number, expected string");
  EXPECT_EQ(reader.StringArray("Null").error().message(),
            "Act: response field Null has type null, expected array");
}

TEST(ResponseReaderTest, AReplyThatIsNotAnObjectHasNoFields) {
  ApiResponse reply{json::array(), "rid-1"};
  ResponseReader reader("Act", reply);
  EXPECT_EQ(reader.String("X").error().message(), "Act: response field X missing");
}

}  // namespace
}  // namespace spotform
