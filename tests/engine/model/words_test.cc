// The text helpers every output is built with (engine/model/words.h).
#include "engine/model/words.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

std::vector<std::string> Ids(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i)
    ids.push_back("ins-" + std::string(1, static_cast<char>('a' + i % 26)));
  return ids;
}

TEST(ShortListTest, NamesEveryIdOfAShortList) {
  EXPECT_EQ(ShortList({}), "");
  EXPECT_EQ(ShortList({"ins-a"}), "ins-a");
  EXPECT_EQ(ShortList(Ids(5)), "ins-a, ins-b, ins-c, ins-d, ins-e");
  // Hiding one id would take as much room as naming it.
  EXPECT_EQ(ShortList(Ids(6)), "ins-a, ins-b, ins-c, ins-d, ins-e, ins-f");
}

TEST(ShortListTest, NamesTheFirstAndCountsTheRest) {
  EXPECT_EQ(ShortList(Ids(7)), "ins-a, ins-b, ins-c, ins-d, ins-e, ... and 2 more");
  EXPECT_EQ(ShortList(Ids(298), 2), "ins-a, ins-b, ... and 296 more");
}

TEST(JoinIdsTest, KeepsEveryId) {
  EXPECT_EQ(JoinIds(Ids(3)), "ins-a, ins-b, ins-c");
  EXPECT_EQ(JoinIds(Ids(2), " "), "ins-a ins-b");
}

}  // namespace
}  // namespace spotform
