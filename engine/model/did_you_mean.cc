#include "engine/model/did_you_mean.h"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <vector>

namespace spotform {
namespace {

constexpr size_t kMinPartLength = 4;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  // One row of the classic dynamic programme: row[j] = distance(a[0, i), b[0, j)).
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> ClosestName(std::string_view word,
                                       std::span<const std::string_view> candidates) {
  const std::string lowered = Lower(word);
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  // A part of a longer name ("image" for "image_id", "count" for "desired_count") is a
  // likely meaning, however many characters are missing.
  if (lowered.size() >= kMinPartLength) {
    for (std::string_view candidate : candidates) {
      if (Lower(candidate).find(lowered) != std::string::npos) return std::string(candidate);
    }
  }
  for (std::string_view candidate : candidates) {
    size_t distance = EditDistance(lowered, Lower(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

}  // namespace spotform
