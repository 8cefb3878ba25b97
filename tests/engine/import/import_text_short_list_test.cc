// Import's lines name at most a few ids (ShortList): adopting 300 instances is one short line.
#include <gtest/gtest.h>

#include "engine/import/import_text.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

TEST(ImportTextShortList, ManyIdsAreNamedFirstAndCounted) {
  ImportOutcome outcome;
  outcome.address = "env.render";
  for (int i = 0; i < 300; ++i) outcome.adopted.push_back("ins-" + std::to_string(10000000 + i));
  outcome.already = outcome.adopted;
  outcome.expected_count = 300;
  const std::vector<std::string> lines =
      ImportedLines(outcome, testing::Spec("render", 300), false);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "env.render: ins-10000000, ins-10000001, ins-10000002, ins-10000003, ins-10000004, "
            "... and 295 more already imported; nothing to do for them");
  EXPECT_EQ(lines[1],
            "env.render: imported 300 instances: ins-10000000, ins-10000001, ins-10000002, "
            "ins-10000003, ins-10000004, ... and 295 more");
}

}  // namespace
}  // namespace spotform
