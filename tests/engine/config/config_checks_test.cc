// The value rules behind spotform.yaml's diagnostics (engine/config/config_checks.h) and the
// "did you mean" hints (engine/model/did_you_mean.h), at their boundaries.
#include "engine/config/config_checks.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "engine/config/config_keys.h"
#include "engine/model/did_you_mean.h"

namespace spotform {
namespace {

std::string MessageOf(const Status& status) { return status.ok() ? "" : status.error().message(); }

TEST(EditDistance, CountsSingleCharacterEdits) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("zone", "zone"), 0u);
  EXPECT_EQ(EditDistance("zome", "zone"), 1u);                   // substitution
  EXPECT_EQ(EditDistance("instance_typ", "instance_type"), 1u);  // insertion
  EXPECT_EQ(EditDistance("modee", "mode"), 1u);                  // deletion
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "tags"), 4u);
}

TEST(ClosestName, SuggestsWhatTheUserProbablyMeant) {
  std::span<const std::string_view> keys(kEnvironmentKeys);
  EXPECT_EQ(ClosestName("instance_typ", keys), "instance_type");
  EXPECT_EQ(ClosestName("Zone", keys), "zone");
  EXPECT_EQ(ClosestName("tag", keys), "tags");
  EXPECT_EQ(ClosestName("maxprice", keys), "max_price");
  EXPECT_EQ(ClosestName("image", keys), "image_id");       // a part of the name
  EXPECT_EQ(ClosestName("count", keys), "desired_count");  // a part of the name
  EXPECT_EQ(ClosestName("security_groups", keys), std::nullopt);
  EXPECT_EQ(ClosestName("vpc", keys), std::nullopt);
}

TEST(CheckRegion, AcceptsTencentCloudsRegionNames) {
  for (const char* region : {"ap-guangzhou", "ap-shanghai-fsi", "ap-guangzhou-open",
                             "na-siliconvalley", "eu-frankfurt", "sa-saopaulo"}) {
    EXPECT_TRUE(CheckRegion(region).ok()) << region;
  }
  for (const char* region : {"", "guangzhou", "ap-guangzhou-3", "AP-GUANGZHOU", "ap--x"}) {
    EXPECT_FALSE(CheckRegion(region).ok()) << region;
  }
}

TEST(CheckZone, RequiresTheRegionAndANumber) {
  EXPECT_TRUE(CheckZone("ap-guangzhou-3", "ap-guangzhou").ok());
  EXPECT_TRUE(CheckZone("ap-shanghai-fsi-1", "ap-shanghai-fsi").ok());
  EXPECT_TRUE(CheckZone("ap-guangzhou-3", "").ok());  // region unknown: shape only
  EXPECT_EQ(MessageOf(CheckZone("ap-guangzhou-3", "ap-guangzhou-open")),
            "zone `ap-guangzhou-3` is not in region `ap-guangzhou-open` (its zones look like "
            "`ap-guangzhou-open-3`)");
  EXPECT_EQ(MessageOf(CheckZone("ap-guangzhou-0", "ap-guangzhou")),
            "`ap-guangzhou-0` is not a zone name like `ap-guangzhou-3`");
  EXPECT_EQ(MessageOf(CheckZone("100003", "")),
            "`100003` is not a zone name like `ap-guangzhou-3`");
}

TEST(CheckInstanceType, AcceptsFamilyDotSize) {
  for (const char* type : {"S5.MEDIUM4", "SA9.96XLARGE1152", "BS1.LARGE8", "S5.12XLARGE128"}) {
    EXPECT_TRUE(CheckInstanceType(type).ok()) << type;
  }
  for (const char* type : {"", "S5", ".MEDIUM4", "S5.", "S5.MEDIUM4 ", "CDH_1C1G", "S5.medium4"}) {
    EXPECT_FALSE(CheckInstanceType(type).ok()) << type;
  }
}

TEST(CheckImageId, IsImgDashAndEightLowerCaseCharacters) {
  EXPECT_TRUE(CheckImageId("img-pmqg1cw7").ok());
  EXPECT_FALSE(CheckImageId("img-PMQG1CW7").ok());
  EXPECT_FALSE(CheckImageId("img-pmqg1cw77").ok());
  EXPECT_FALSE(CheckImageId("ins-pmqg1cw7").ok());
}

TEST(CheckMaxPrice, IsAPositiveDecimalBelowTenThousandWithSixFractionDigitsAtMost) {
  for (const char* price : {"0.60", "0.6", "1", "0.000001", "9999.999999", "00012.5"}) {
    EXPECT_TRUE(CheckMaxPrice(price).ok()) << price;
  }
  EXPECT_EQ(MessageOf(CheckMaxPrice("10000")), "must be below 10000 per hour, got `10000`");
  EXPECT_EQ(MessageOf(CheckMaxPrice("0")), "must be greater than 0, got `0`");
  EXPECT_EQ(MessageOf(CheckMaxPrice("-1")), "must be greater than 0, got `-1`");
  EXPECT_EQ(MessageOf(CheckMaxPrice("0.0000001")),
            "has more than 6 digits after the decimal point: `0.0000001`");
  for (const char* price : {"", ".5", "5.", "0,60", "1e3", "+1", " 1", "0x10", ".inf"}) {
    EXPECT_EQ(MessageOf(CheckMaxPrice(price)),
              "must be a decimal price such as \"0.60\", got `" + std::string(price) + "`");
  }
}

TEST(ParseDesiredCount, StaysWithinTheModesLimitWithoutOverflowing) {
  EXPECT_EQ(*ParseDesiredCount("0", Mode::kCvm), 0);
  EXPECT_EQ(*ParseDesiredCount("10000", Mode::kCvm), 10000);
  EXPECT_EQ(*ParseDesiredCount("2000", Mode::kBatch), 2000);
  EXPECT_EQ(*ParseDesiredCount("0007", Mode::kBatch), 7);
  EXPECT_EQ(ParseDesiredCount("10001", Mode::kCvm).error().message(),
            "must be at most 10000 in cvm mode, got `10001`");
  EXPECT_EQ(ParseDesiredCount("2001", Mode::kBatch).error().message(),
            "must be at most 2000 in batch mode (Batch Compute's limit per environment), got "
            "`2001`");
  EXPECT_EQ(ParseDesiredCount("4294967297", Mode::kCvm).error().message(),
            "must be at most 10000 in cvm mode, got `4294967297`");
  EXPECT_FALSE(ParseDesiredCount("1e3", Mode::kCvm).ok());
  EXPECT_FALSE(ParseDesiredCount("", Mode::kCvm).ok());
}

TEST(CheckEnvironmentName, IsUsableAsAnAddress) {
  EXPECT_TRUE(CheckEnvironmentName("render").ok());
  EXPECT_TRUE(CheckEnvironmentName("gpu_a100-spot2").ok());
  EXPECT_TRUE(CheckEnvironmentName("a" + std::string(62, 'b')).ok());  // 63 characters
  EXPECT_FALSE(CheckEnvironmentName("a" + std::string(63, 'b')).ok());
  for (const char* name : {"", "2render", "-render", "Render", "ren der", "ren.der", "渲染"}) {
    EXPECT_FALSE(CheckEnvironmentName(name).ok()) << name;
  }
}

TEST(CheckTags, KeepTencentsLimitsAndSpotformsOwnerTags) {
  EXPECT_TRUE(CheckTagKey("team").ok());
  EXPECT_TRUE(CheckTagKey(std::string(127, 'k')).ok());
  EXPECT_EQ(MessageOf(CheckTagKey(std::string(128, 'k'))), "tag key is longer than 127 characters");
  EXPECT_EQ(MessageOf(CheckTagKey("")), "tag keys must not be empty");
  EXPECT_FALSE(CheckTagKey("spotform-lineage").ok());
  EXPECT_FALSE(CheckTagKey("Tencent:x").ok());
  EXPECT_FALSE(CheckTagKey("project").ok());
  EXPECT_TRUE(CheckTagValue(std::string(255, 'v')).ok());
  EXPECT_FALSE(CheckTagValue(std::string(256, 'v')).ok());
  EXPECT_TRUE(CheckTagCount(7, Mode::kBatch).ok());
  EXPECT_FALSE(CheckTagCount(8, Mode::kBatch).ok());
  EXPECT_TRUE(CheckTagCount(47, Mode::kCvm).ok());
  EXPECT_EQ(MessageOf(CheckTagCount(48, Mode::kCvm)),
            "cvm mode allows at most 47 tags (Tencent Cloud keeps 50 per instance and spotform "
            "adds 3 owner tags), got 48");
}

TEST(CheckEndpoint, AllowsPlainHttpOnlyToLoopback) {
  EXPECT_TRUE(CheckEndpoint("http://127.0.0.1:9000").ok());
  EXPECT_TRUE(CheckEndpoint("http://127.1.2.3").ok());
  EXPECT_TRUE(CheckEndpoint("https://10.0.0.8:443/").ok());
  EXPECT_FALSE(CheckEndpoint("http://10.0.0.8").ok());
  EXPECT_FALSE(CheckEndpoint("http://127.0.0.1.example.com").ok());
  for (const char* url : {"", "127.0.0.1:9000", "https://", "https://host:0", "https://host/path",
                          "https://-host", "https://user@host"}) {
    EXPECT_FALSE(CheckEndpoint(url).ok()) << url;
  }
}

TEST(Credentials, AreRecognisedByKeyNameAndBySecretIdShape) {
  for (const char* key :
       {"secret_id", "secret_key", "secretId", "SecretKey", "token", "security_token", "password",
        "credentials", "TENCENTCLOUD_SECRET_KEY", "api_key"}) {
    EXPECT_TRUE(IsCredentialKey(key)) << key;
  }
  for (const char* key : {"region", "profile", "zone", "tags", "team", "key_pair"}) {
    EXPECT_FALSE(IsCredentialKey(key)) << key;
  }
  EXPECT_TRUE(LooksLikeSecret("AKIDSPOTFORMSIM000000000000000000000"));
  EXPECT_TRUE(LooksLikeSecret("postgres://spotform:hunter2@db/spotform"));
  EXPECT_FALSE(LooksLikeSecret("AKID"));
  EXPECT_FALSE(LooksLikeSecret("postgres://db.internal/spotform"));
  EXPECT_FALSE(LooksLikeSecret("http://127.0.0.1:9000"));
}

TEST(Quoted, CutsLongValues) {
  EXPECT_EQ(Quoted("abc"), "`abc`");
  EXPECT_EQ(Quoted(std::string(61, 'x')), "`" + std::string(60, 'x') + "...`");
}

}  // namespace
}  // namespace spotform
