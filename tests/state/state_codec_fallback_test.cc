// How the state stores an environment spec with fallback candidates (spec §3): "zone" and
// "instance_type" as always (the most preferred candidate), plus "zones", "instance_types" and
// "allocation" only when there is more than one candidate, a type's own bid or a non-default
// allocation, so a single-candidate spec is stored byte for byte as before.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "state/state_codec.h"
#include "tests/state/state_test_support.h"

namespace spotform {
namespace {

// env.render over two zones and two types (the second at its own bid), lowest price first.
EnvironmentSpec CodecFallbackSpec() {
  EnvironmentSpec spec = testing::Spec("render", 6);
  spec.zones = {"ap-guangzhou-3", "ap-guangzhou-4"};
  spec.instance_types = {{"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", "0.40"}};
  spec.allocation = Allocation::kLowestPrice;
  spec.tags = {{"team", "vfx"}};
  return spec;
}

// Every field of a spec, candidates included.
std::string CodecSpecText(const EnvironmentSpec& spec) {
  return DumpSpec(spec) + " zones=" + ZonesText(spec) + " types=" + TypesText(spec) +
         " allocation=" + std::string(AllocationName(spec.allocation));
}

EnvironmentSpec MustDecodeSpec(const std::string& json) {
  Result<EnvironmentSpec> spec = DecodeSpec(json, "state file s.db: env.render");
  EXPECT_TRUE(spec.ok()) << spec.error().ToString();
  return spec.ok() ? *spec : EnvironmentSpec();
}

std::string CodecSpecError(const std::string& json) {
  Result<EnvironmentSpec> spec = DecodeSpec(json, "state file s.db: env.render");
  EXPECT_FALSE(spec.ok()) << json;
  return spec.ok() ? "" : spec.error().message();
}

constexpr char kSingleCandidateJson[] =
    R"({"desired_count":3,"image_id":"img-pmqg1cw7","instance_type":"S5.MEDIUM4",)"
    R"("max_price":"0.60","mode":"cvm","name":"render","tags":{"team":"vfx"},)"
    R"("zone":"ap-guangzhou-3"})";

TEST(StateCodecFallbacks, ASingleCandidateSpecIsStoredAsBefore) {
  EnvironmentSpec spec = testing::Spec("render", 3);
  spec.tags = {{"team", "vfx"}};
  EXPECT_EQ(EncodeSpec(spec), kSingleCandidateJson);
}

TEST(StateCodecFallbacks, AStateWrittenBeforeFallbacksReadsAsOneOrderedCandidate) {
  EnvironmentSpec spec = MustDecodeSpec(kSingleCandidateJson);
  EXPECT_EQ(spec.zones, (std::vector<std::string>{"ap-guangzhou-3"}));
  EXPECT_EQ(spec.instance_types, (std::vector<InstanceTypeChoice>{{"S5.MEDIUM4", ""}}));
  EXPECT_EQ(spec.allocation, Allocation::kOrdered);
}

TEST(StateCodecFallbacks, FallbacksAreStoredBesideTheMostPreferredCandidate) {
  EXPECT_EQ(
      EncodeSpec(CodecFallbackSpec()),
      R"({"allocation":"lowest-price","desired_count":6,"image_id":"img-pmqg1cw7",)"
      R"("instance_type":"S5.MEDIUM4","instance_types":[{"max_price":"","type":"S5.MEDIUM4"},)"
      R"({"max_price":"0.40","type":"SA2.MEDIUM4"}],"max_price":"0.60","mode":"cvm",)"
      R"("name":"render","tags":{"team":"vfx"},"zone":"ap-guangzhou-3",)"
      R"("zones":["ap-guangzhou-3","ap-guangzhou-4"]})");
}

TEST(StateCodecFallbacks, EveryCandidateFormRoundTrips) {
  EnvironmentSpec fallbacks = CodecFallbackSpec();
  EnvironmentSpec zones_only = testing::Spec("render", 2);
  zones_only.zones = {"ap-guangzhou-4", "ap-guangzhou-3", "ap-guangzhou-6"};
  EnvironmentSpec own_bid = testing::Spec("train", 2, Mode::kBatch);
  own_bid.instance_types = {{"S5.LARGE8", "0.90"}};
  EnvironmentSpec diversified = testing::Spec("render", 2);
  diversified.allocation = Allocation::kDiversified;
  for (const EnvironmentSpec& spec : {fallbacks, zones_only, own_bid, diversified}) {
    const std::string json = EncodeSpec(spec);
    EnvironmentSpec read = MustDecodeSpec(json);
    EXPECT_EQ(CodecSpecText(read), CodecSpecText(spec)) << json;
    EXPECT_EQ(read.zones, spec.zones) << json;
    EXPECT_EQ(read.instance_types, spec.instance_types) << json;
    EXPECT_EQ(read.allocation, spec.allocation) << json;
    EXPECT_NE(json.find("\"zones\""), std::string::npos) << json;
  }
}

TEST(StateCodecFallbacks, MalformedCandidateListsAreUnreadableNamingTheField) {
  const std::string head =
      R"({"name":"render","mode":"cvm","zone":"ap-guangzhou-3","instance_type":"S5.MEDIUM4",)"
      R"("image_id":"img-pmqg1cw7","max_price":"0.60","desired_count":2,"tags":{},)";
  const std::string types = R"("instance_types":[{"type":"S5.MEDIUM4","max_price":""}],)";
  const std::string zones = R"("zones":["ap-guangzhou-3","ap-guangzhou-4"],)";
  const std::string prefix = "state file s.db: env.render is unreadable: ";
  EXPECT_EQ(
      CodecSpecError(head + R"("zones":"ap-guangzhou-3",)" + types + R"("allocation":"ordered"})"),
      prefix + "zones: expected a list of zone names");
  EXPECT_EQ(CodecSpecError(head + R"("zones":[],)" + types + R"("allocation":"ordered"})"),
            prefix + "zones: expected a list of zone names");
  EXPECT_EQ(CodecSpecError(head + R"("zones":[3],)" + types + R"("allocation":"ordered"})"),
            prefix + "zones: expected strings");
  EXPECT_EQ(CodecSpecError(head + zones + R"("allocation":"ordered"})"),
            prefix + "instance_types: expected a list of types");
  EXPECT_EQ(CodecSpecError(head + zones + R"("instance_types":["S5.MEDIUM4"],)" +
                           R"("allocation":"ordered"})"),
            prefix + "instance_types: expected {type, max_price} objects");
  EXPECT_EQ(CodecSpecError(head + zones + types + R"("allocation":"cheapest"})"),
            prefix + "allocation: unknown \"cheapest\"");
  EXPECT_EQ(CodecSpecError(head + zones + types.substr(0, types.size() - 1) + "}"),
            prefix + "allocation: missing");
}

// The same through a state file: what an apply records is what the next run loads.
class StateCodecFallbackStoreTest : public StateStoreTest {};

TEST_F(StateCodecFallbackStoreTest, AStoredSpecWithFallbacksLoadsAsWritten) {
  std::unique_ptr<SqliteStateStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const EnvironmentSpec spec = CodecFallbackSpec();
  Pool pool = MakePool("p-3f2a9c1e", spec, 2);
  RecordedInstance elsewhere = Instance("ins-aaaa1111", "RUNNING", clock_.Now());
  elsewhere.zone = "ap-guangzhou-4";
  elsewhere.instance_type = "SA2.MEDIUM4";
  pool.instances.push_back(elsewhere);
  StateEdit edit;
  edit.Add(StateEdit::PutEnvironment{spec}).Add(StateEdit::PutPool{"render", pool});
  Result<ApplyOutcome> applied = store->Apply(edit);
  ASSERT_TRUE(applied.ok()) << applied.error().message();

  StateSnapshot loaded = MustLoad(*OpenStore());

  const RecordedEnvironment& render = loaded.environments.at("render");
  EXPECT_EQ(CodecSpecText(render.applied), CodecSpecText(spec));
  ASSERT_EQ(render.pools.size(), 1u);
  EXPECT_EQ(CodecSpecText(render.pools[0].spec), CodecSpecText(spec));
  ASSERT_EQ(render.pools[0].instances.size(), 1u);
  EXPECT_EQ(render.pools[0].instances[0].zone, "ap-guangzhou-4");
  EXPECT_EQ(render.pools[0].instances[0].instance_type, "SA2.MEDIUM4");
}

}  // namespace
}  // namespace spotform
