#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace spotform {

// Levenshtein distance (insertions, deletions, substitutions of single bytes).
size_t EditDistance(std::string_view a, std::string_view b);

// The name in `candidates` the user probably meant by `word`, ignoring ASCII case: the first
// that contains `word` (when it has 4 or more characters: "image" -> "image_id"), else the
// closest at most max(2, |word| / 3) edits away (ties go to the first). Used for
// "did you mean `instance_type`?" hints.
std::optional<std::string> ClosestName(std::string_view word,
                                       std::span<const std::string_view> candidates);

}  // namespace spotform
