// What the audit of every library call on data from outside found in the state stores: the
// JSON columns of a state file (environment and pool specs) read with nlohmann's get<int>(),
// which cast a desired_count of 2.5 or 2^32 without a word and 1e300 with undefined behaviour
// (UBSan aborts), and whose errors quoted nlohmann's text instead of the field. Each is now a
// clean "unreadable" error naming the record and the field.
#include <gtest/gtest.h>

#include <string>

#include "state/sqlite_handle.h"
#include "state/state_codec.h"
#include "tests/state/state_test_support.h"
#include "tests/support/test_config.h"

namespace spotform {
namespace {

constexpr char kFields[] =
    R"("name": "render", "mode": "cvm", "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4",)"
    R"( "image_id": "img-pmqg1cw7", "max_price": "0.60", "tags": {"team": "vfx"})";

std::string SpecError(const std::string& json) {
  Result<EnvironmentSpec> spec = DecodeSpec(json, "state file s.db: env.render");
  EXPECT_FALSE(spec.ok()) << json;
  if (spec.ok()) return "";
  EXPECT_EQ(spec.error().kind(), ErrorKind::kInvalidInput);
  return spec.error().message();
}

TEST(StateSpecFuzzRegression, ADesiredCountThatIsNotAnIntIsUnreadableNamingTheField) {
  for (const char* count : {"1e300", "-1e300", "2.5", "4294967296", "-2147483649", "\"3\""}) {
    EXPECT_EQ(SpecError(std::string("{") + kFields + R"(, "desired_count": )" + count + "}"),
              "state file s.db: env.render is unreadable: desired_count: expected a whole number")
        << count;
  }
  Result<EnvironmentSpec> spec =
      DecodeSpec(std::string("{") + kFields + R"(, "desired_count": 2147483647})", "env.render");
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  EXPECT_EQ(spec->desired_count, 2147483647);
  EXPECT_EQ(spec->tags, (Tags{{"team", "vfx"}}));
}

TEST(StateSpecFuzzRegression, ANumberBeyondADoubleIsUnreadable) {
  EXPECT_EQ(SpecError(R"({"name": 7e908})"),
            "state file s.db: env.render is unreadable: a number is out of range");
}

TEST(StateSpecFuzzRegression, EveryOtherProblemNamesTheField) {
  const std::string prefix = "state file s.db: env.render is unreadable: ";
  EXPECT_EQ(SpecError(R"({"name": "render" "cvm"})"), prefix + "invalid JSON at byte 23");
  EXPECT_EQ(SpecError("[1]"), prefix + "expected a JSON object");
  EXPECT_EQ(SpecError(R"({"name": "render"})"), prefix + "mode: missing");
  EXPECT_EQ(SpecError(R"({"name": "render", "mode": ["cvm"]})"),
            prefix + "mode: expected a string");
  EXPECT_EQ(SpecError(std::string("{") + kFields + "}"), prefix + "desired_count: missing");
  EXPECT_EQ(SpecError(R"({"name": "r", "mode": "spot", "zone": "z", "instance_type": "t",)"
                      R"( "image_id": "i", "max_price": "1", "desired_count": 1, "tags": {}})"),
            prefix + "unknown mode \"spot\"");
  EXPECT_EQ(SpecError(R"({"name": "r", "mode": "cvm", "zone": "z", "instance_type": "t",)"
                      R"( "image_id": "i", "max_price": "1", "desired_count": 1, "tags": []})"),
            prefix + "tags: expected an object");
  EXPECT_EQ(SpecError(R"({"name": "r", "mode": "cvm", "zone": "z", "instance_type": "t",)"
                      R"( "image_id": "i", "max_price": "1", "desired_count": 1,)"
                      R"( "tags": {"team": 7}})"),
            prefix + "tags.team: expected a string");
}

// dump() throws on invalid UTF-8, and a tag value in spotform.yaml may hold any bytes: writing
// the applied spec aborted. The byte is now written as U+FFFD.
TEST(StateSpecFuzzRegression, AnInvalidUtf8TagIsWrittenAsAReplacementCharacter) {
  EnvironmentSpec spec = RenderSpec();
  spec.tags = {{"team", "v\xff"}};
  Result<EnvironmentSpec> read = DecodeSpec(EncodeSpec(spec), "env.render");
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(read->tags, (Tags{{"team", "v\xEF\xBF\xBD"}}));
}

// The same through the store: a state file edited by hand is refused on load, naming the file,
// the record and the field, and keeps every byte.
class StateFileFuzzRegression : public StateStoreTest {
 protected:
  void SetUp() override {
    StateStoreTest::SetUp();
    auto store = OpenStore();
    MustApply(*store, StateEdit()
                          .Add(StateEdit::PutEnvironment{RenderSpec()})
                          .Add(StateEdit::PutPool{"render", MakePool("p-1", RenderSpec(), 1)}));
  }

  std::string LoadErrorAfter(const std::string& sql) {
    {
      Result<SqliteDb> db = SqliteDb::Open(path_, SQLITE_OPEN_READWRITE);
      EXPECT_TRUE(db.ok());
      if (!db.ok()) return "";
      EXPECT_TRUE(db->Exec(sql).ok()) << sql;
    }
    const std::string before = testing::ReadFile(path_);
    auto store = OpenStore();
    Result<StateSnapshot> loaded = store->Load();
    EXPECT_FALSE(loaded.ok());
    EXPECT_EQ(testing::ReadFile(path_), before);
    return loaded.ok() ? "" : loaded.error().message();
  }
};

TEST_F(StateFileFuzzRegression, AnAppliedSpecWithAHugeDesiredCountIsRefusedOnLoad) {
  EXPECT_EQ(
      LoadErrorAfter("UPDATE environments SET applied = "
                     "replace(applied, '\"desired_count\":3', '\"desired_count\":1e300')"),
      "state file " + path_ + ": env.render is unreadable: desired_count: expected a whole number");
}

TEST_F(StateFileFuzzRegression, APoolSpecWithANumberBeyondADoubleIsRefusedOnLoad) {
  EXPECT_EQ(
      LoadErrorAfter("UPDATE pools SET spec = '{\"name\": 7e908}'"),
      "state file " + path_ + ": pool p-1 of env.render is unreadable: a number is out of range");
}

}  // namespace
}  // namespace spotform
