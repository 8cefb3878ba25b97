// SamePrice and SameCapacityShape (engine/model/environment_spec.h): when a config change replaces
// an environment's capacity and when it changes it in place.
#include <gtest/gtest.h>

#include "engine/model/environment_spec.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

TEST(SamePrice, ComparesAmountsNotText) {
  EXPECT_TRUE(SamePrice("0.6", "0.60"));
  EXPECT_TRUE(SamePrice("0.600000", "0.6"));
  EXPECT_TRUE(SamePrice("1", "1.0"));
  EXPECT_TRUE(SamePrice("01.50", "1.5"));
  EXPECT_TRUE(SamePrice("0", "0.000"));
  EXPECT_TRUE(SamePrice(".5", "0.5"));
  EXPECT_FALSE(SamePrice("0.6", "0.06"));
  EXPECT_FALSE(SamePrice("10", "1"));
  EXPECT_FALSE(SamePrice("1.01", "1.1"));
  EXPECT_FALSE(SamePrice("0.600001", "0.6"));
}

EnvironmentSpec TaggedRender() {
  EnvironmentSpec spec = testing::Spec("render", 4);
  spec.tags = {{"team", "vfx"}};
  return spec;
}

TEST(SameCapacityShape, IgnoresCountTagsAndHowThePriceIsWritten) {
  EnvironmentSpec changed = TaggedRender();
  changed.desired_count = 9;
  changed.tags = {{"team", "sfx"}};
  changed.max_price = "0.6";
  EXPECT_TRUE(SameCapacityShape(TaggedRender(), changed));
}

TEST(SameCapacityShape, AnyShapeChangeMeansReplacement) {
  EnvironmentSpec mode = TaggedRender();
  mode.mode = Mode::kBatch;
  EnvironmentSpec zone = TaggedRender();
  zone.zones = {"ap-guangzhou-4"};
  EnvironmentSpec type = TaggedRender();
  type.instance_types = {InstanceTypeChoice{"S5.LARGE8", ""}};
  EnvironmentSpec image = TaggedRender();
  image.image_id = "img-m4q71qnf";
  EnvironmentSpec price = TaggedRender();
  price.max_price = "0.61";
  for (const EnvironmentSpec& other : {mode, zone, type, image, price}) {
    EXPECT_FALSE(SameCapacityShape(TaggedRender(), other));
    EXPECT_FALSE(SameCapacityShape(other, TaggedRender()));
  }
}

TEST(ModeName, NamesBothModes) {
  EXPECT_EQ(ModeName(Mode::kCvm), "cvm");
  EXPECT_EQ(ModeName(Mode::kBatch), "batch");
}

}  // namespace
}  // namespace spotform
