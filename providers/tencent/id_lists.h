#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace spotform {

// Helpers for lists of resource ids sent in chunks.

// The ids in their first-seen order, each once.
std::vector<std::string> Deduplicated(const std::vector<std::string>& ids);

// Consecutive slices of at most `size` ids (size > 0); none for an empty list.
std::vector<std::vector<std::string>> Chunked(const std::vector<std::string>& ids, size_t size);

// "ins-a" for one id, "ins-a and 99 more" for several: how errors name a chunk of ids.
std::string DescribeIds(const std::vector<std::string>& ids);

}  // namespace spotform
