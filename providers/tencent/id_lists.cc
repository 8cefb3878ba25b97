#include "providers/tencent/id_lists.h"

#include <algorithm>
#include <unordered_set>

namespace spotform {

std::vector<std::string> Deduplicated(const std::vector<std::string>& ids) {
  std::unordered_set<std::string> seen;
  std::vector<std::string> unique;
  unique.reserve(ids.size());
  for (const std::string& id : ids) {
    if (seen.insert(id).second) unique.push_back(id);
  }
  return unique;
}

std::vector<std::vector<std::string>> Chunked(const std::vector<std::string>& ids, size_t size) {
  std::vector<std::vector<std::string>> chunks;
  for (size_t start = 0; start < ids.size(); start += size) {
    size_t end = std::min(ids.size(), start + size);
    chunks.emplace_back(ids.begin() + static_cast<std::ptrdiff_t>(start),
                        ids.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return chunks;
}

std::string DescribeIds(const std::vector<std::string>& ids) {
  if (ids.empty()) return "(no ids)";
  if (ids.size() == 1) return ids.front();
  return ids.front() + " and " + std::to_string(ids.size() - 1) + " more";
}

}  // namespace spotform
