#pragma once

// The one report format of every benchmark: each figure next to its target, one line each,
//   bench describe_bench: wall_time_vs_bound 1.02x target <= 1.30x ok
//   bench plan_bench: peak_rss 271 MB target <= 500 MB MISS
// and the exit status that follows from them (kMissExitCode when any figure misses).
// scripts/bench.sh reads these lines. Header-only because bench/CMakeLists.txt builds each
// *_bench.cc as its own program; tests/engine/bench_report_test.cc tests it.

#include <cstdio>
#include <string>
#include <utility>

namespace spotform::bench {

// Exit statuses of a benchmark: 0 when every figure meets its target; 1 and 2 stay with each
// program for setup failures and bad flags (no figure was measured).
inline constexpr int kAllMetExitCode = 0;
inline constexpr int kMissExitCode = 3;

// How a figure must relate to its target.
enum class Bound { kAtMost, kAtLeast, kExactly };

// Figure is one measured value with its target: `name` is a snake_case word, `unit` is printed
// after the numbers ("x" right after them, any other unit after a space), `decimals` is how
// many digits both numbers show. The comparison uses the values as measured, not as printed.
struct Figure {
  std::string name;
  double value = 0;
  Bound bound = Bound::kAtMost;
  double target = 0;
  std::string unit;
  int decimals = 0;

  bool Met() const {
    switch (bound) {
      case Bound::kAtMost:
        return value <= target;
      case Bound::kAtLeast:
        return value >= target;
      case Bound::kExactly:
        return value == target;
    }
    return false;
  }
};

// "1.02x", "271 MB", "3": a number with `decimals` digits and its unit.
inline std::string FormatAmount(double value, int decimals, const std::string& unit) {
  char number[64];
  std::snprintf(number, sizeof(number), "%.*f", decimals, value);
  if (unit.empty()) return number;
  return std::string(number) + (unit == "x" ? "" : " ") + unit;
}

inline const char* BoundSymbol(Bound bound) {
  switch (bound) {
    case Bound::kAtMost:
      return "<=";
    case Bound::kAtLeast:
      return ">=";
    case Bound::kExactly:
      return "=";
  }
  return "?";
}

// "bench BENCH: NAME VALUE target OP TARGET ok|MISS".
inline std::string FigureLine(const std::string& bench, const Figure& figure) {
  return "bench " + bench + ": " + figure.name + " " +
         FormatAmount(figure.value, figure.decimals, figure.unit) + " target " +
         BoundSymbol(figure.bound) + " " +
         FormatAmount(figure.target, figure.decimals, figure.unit) + " " +
         (figure.Met() ? "ok" : "MISS");
}

// BenchReport prints each figure of one benchmark as it is added (to `out`, which it borrows
// and which must outlive it) and remembers whether any missed. Not thread-safe.
class BenchReport {
 public:
  explicit BenchReport(std::string bench, std::FILE* out = stdout)
      : bench_(std::move(bench)), out_(out) {}

  // Prints the figure's line; returns whether it met its target.
  bool Add(const Figure& figure) {
    std::fprintf(out_, "%s\n", FigureLine(bench_, figure).c_str());
    std::fflush(out_);
    ++figures_;
    if (figure.Met()) return true;
    ++missed_;
    return false;
  }

  int figures() const { return figures_; }
  int missed() const { return missed_; }

  // kMissExitCode when any figure missed its target, else kAllMetExitCode.
  int ExitCode() const { return missed_ > 0 ? kMissExitCode : kAllMetExitCode; }

 private:
  std::string bench_;
  std::FILE* out_;
  int figures_ = 0;
  int missed_ = 0;
};

}  // namespace spotform::bench
