// ParallelMap, FetchAllPages and the id-list helpers.

#include "providers/tencent/parallel_calls.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "providers/tencent/id_lists.h"

namespace spotform {
namespace {

TEST(ParallelMapTest, ReturnsResultsInIndexOrder) {
  Result<std::vector<int>> squares =
      ParallelMap<int>(50, 4, [](size_t i) -> Result<int> { return static_cast<int>(i * i); });
  ASSERT_TRUE(squares.ok());
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ((*squares)[i], static_cast<int>(i * i));
}

TEST(ParallelMapTest, RunsExactlyMaxParallelTasksAtOnce) {
  // Each task waits until `limit` tasks are in flight together (or 5 s pass, which fails the
  // test): so the bound is reached, and the peak shows it is never exceeded.
  const size_t limit = 3;
  std::mutex mutex;
  std::condition_variable changed;
  size_t in_flight = 0, peak = 0;
  bool reached = false;
  Result<std::vector<bool>> done = ParallelMap<bool>(12, limit, [&](size_t) -> Result<bool> {
    std::unique_lock<std::mutex> lock(mutex);
    ++in_flight;
    peak = std::max(peak, in_flight);
    if (in_flight == limit) reached = true;
    changed.notify_all();
    bool ok = changed.wait_for(lock, std::chrono::seconds(5), [&] { return reached; });
    --in_flight;
    return ok;
  });
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(reached);
  EXPECT_EQ(peak, limit);
  for (bool ok : *done) EXPECT_TRUE(ok);
}

TEST(ParallelMapTest, ReturnsTheLowestFailedIndexAndStartsNothingAfterAFailure) {
  std::atomic<int> started{0};
  Result<std::vector<int>> result = ParallelMap<int>(100, 1, [&](size_t i) -> Result<int> {
    ++started;
    if (i == 5) return Error(ErrorKind::kTerminal, "task 5 failed");
    return static_cast<int>(i);
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(), "task 5 failed");
  EXPECT_EQ(started.load(), 6);
}

TEST(FetchAllPagesTest, FetchesEveryOffsetUpToTotalCount) {
  std::mutex mutex;
  std::vector<int64_t> offsets;
  Result<std::vector<int64_t>> items =
      FetchAllPages<int64_t>(10, 4, [&](int64_t offset) -> Result<Page<int64_t>> {
        {
          std::lock_guard<std::mutex> lock(mutex);
          offsets.push_back(offset);
        }
        Page<int64_t> page{{}, 35};
        for (int64_t i = offset; i < std::min<int64_t>(35, offset + 10); ++i) {
          page.items.push_back(i);
        }
        return page;
      });
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 35u);
  for (int64_t i = 0; i < 35; ++i) EXPECT_EQ((*items)[i], i);
  std::sort(offsets.begin(), offsets.end());
  EXPECT_EQ(offsets, (std::vector<int64_t>{0, 10, 20, 30}));
}

TEST(FetchAllPagesTest, PassesOnAPageError) {
  Result<std::vector<int>> items =
      FetchAllPages<int>(10, 2, [](int64_t offset) -> Result<Page<int>> {
        if (offset == 20) return Error(ErrorKind::kRetryable, "page 20 throttled");
        return Page<int>{{1}, 40};
      });
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.error().message(), "page 20 throttled");
}

TEST(IdListsTest, ChunksDeduplicatesAndNames) {
  std::vector<std::string> ids;
  for (int i = 0; i < 250; ++i) ids.push_back("i" + std::to_string(i));
  std::vector<std::vector<std::string>> chunks = Chunked(ids, 100);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].size(), 100u);
  EXPECT_EQ(chunks[1].front(), "i100");
  EXPECT_EQ(chunks[2].size(), 50u);
  EXPECT_EQ(chunks[2].back(), "i249");
  EXPECT_TRUE(Chunked({}, 100).empty());
  EXPECT_EQ(Deduplicated({"b", "a", "b", "c", "a"}), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(DescribeIds({"ins-1"}), "ins-1");
  EXPECT_EQ(DescribeIds({"ins-1", "ins-2", "ins-3"}), "ins-1 and 2 more");
}

}  // namespace
}  // namespace spotform
