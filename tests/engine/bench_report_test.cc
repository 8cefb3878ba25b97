// The benchmarks' report (bench/bench_report.h): one line per figure against its target, and an
// exit status that is non-zero as soon as one figure misses, without running a benchmark.
#include "bench/bench_report.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <cstdlib>
#include <string>

namespace spotform::bench {
namespace {

// Captures what a BenchReport prints: an in-memory FILE* read back with text().
class CapturedOutput {
 public:
  CapturedOutput() : file_(open_memstream(&buffer_, &size_)) {}
  ~CapturedOutput() {
    std::fclose(file_);
    std::free(buffer_);
  }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;

  FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  FILE* file_;
};

Figure Ratio(double value) { return {"wall_time_vs_bound", value, Bound::kAtMost, 1.3, "x", 2}; }
Figure Rss(double value) { return {"peak_rss", value, Bound::kAtMost, 500, "MB", 0}; }

TEST(BenchReportTest, FiguresWithinTheirTargetsPrintOkAndExitZero) {
  CapturedOutput out;
  BenchReport report("describe_bench", out.file());
  EXPECT_TRUE(report.Add(Ratio(1.02)));
  EXPECT_TRUE(report.Add({"describe_calls", 100, Bound::kAtMost, 100, "calls", 0}));
  EXPECT_EQ(out.text(),
            "bench describe_bench: wall_time_vs_bound 1.02x target <= 1.30x ok\n"
            "bench describe_bench: describe_calls 100 calls target <= 100 calls ok\n");
  EXPECT_EQ(report.figures(), 2);
  EXPECT_EQ(report.missed(), 0);
  EXPECT_EQ(report.ExitCode(), 0);
}

TEST(BenchReportTest, AFigureOverItsTargetPrintsMissAndExitsThree) {
  CapturedOutput out;
  BenchReport report("plan_bench", out.file());
  EXPECT_TRUE(report.Add({"plan_render_time", 0.25, Bound::kAtMost, 1, "s", 3}));
  EXPECT_FALSE(report.Add(Rss(612.4)));
  EXPECT_TRUE(report.Add({"drift_gone", 300, Bound::kExactly, 300, "", 0}));
  EXPECT_EQ(out.text(),
            "bench plan_bench: plan_render_time 0.250 s target <= 1.000 s ok\n"
            "bench plan_bench: peak_rss 612 MB target <= 500 MB MISS\n"
            "bench plan_bench: drift_gone 300 target = 300 ok\n");
  EXPECT_EQ(report.missed(), 1);
  EXPECT_EQ(report.ExitCode(), kMissExitCode);
  EXPECT_EQ(kMissExitCode, 3);
}

TEST(BenchReportTest, ARateUnderItsFloorMisses) {
  CapturedOutput out;
  BenchReport report("sim_bench", out.file());
  EXPECT_FALSE(report.Add({"describe_rate", 1999.6, Bound::kAtLeast, 2000, "req/s", 0}));
  EXPECT_EQ(out.text(), "bench sim_bench: describe_rate 2000 req/s target >= 2000 req/s MISS\n");
  EXPECT_NE(report.ExitCode(), 0);
}

TEST(BenchReportTest, AnExactTargetMissesOnEitherSide) {
  EXPECT_FALSE((Figure{"drift_gone", 299, Bound::kExactly, 300, "", 0}.Met()));
  EXPECT_FALSE((Figure{"drift_gone", 301, Bound::kExactly, 300, "", 0}.Met()));
  EXPECT_TRUE((Figure{"drift_gone", 300, Bound::kExactly, 300, "", 0}.Met()));
}

TEST(BenchReportTest, TheTargetItselfIsMet) {
  EXPECT_TRUE(Ratio(1.3).Met());
  EXPECT_TRUE((Figure{"describe_rate", 2000, Bound::kAtLeast, 2000, "req/s", 0}.Met()));
}

// The verdict follows the measured value, not its rounded print: 1.304x shows as 1.30x but
// is over a 1.30x target.
TEST(BenchReportTest, TheVerdictUsesTheMeasuredValueNotThePrintedOne) {
  CapturedOutput out;
  BenchReport report("apply_bench", out.file());
  EXPECT_FALSE(report.Add(Ratio(1.304)));
  EXPECT_EQ(out.text(), "bench apply_bench: wall_time_vs_bound 1.30x target <= 1.30x MISS\n");
  EXPECT_EQ(report.ExitCode(), kMissExitCode);
}

TEST(BenchReportTest, OneMissAmongManyKeepsTheExitNonZero) {
  CapturedOutput out;
  BenchReport report("apply_bench", out.file());
  report.Add(Ratio(2.0));
  for (int i = 0; i < 5; ++i) report.Add(Ratio(1.0));
  EXPECT_EQ(report.figures(), 6);
  EXPECT_EQ(report.missed(), 1);
  EXPECT_EQ(report.ExitCode(), kMissExitCode);
}

}  // namespace
}  // namespace spotform::bench
