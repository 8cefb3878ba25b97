#include "engine/model/lock_scope.h"

#include <algorithm>
#include <iterator>

namespace spotform {

LockScope LockScope::Environments(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return LockScope(false, std::move(names));
}

bool LockScope::Covers(const std::string& environment) const {
  return whole_state_ ||
         std::binary_search(environments_.begin(), environments_.end(), environment);
}

bool LockScope::Within(const LockScope& other) const {
  if (other.whole_state_) return true;
  if (whole_state_) return false;
  return std::includes(other.environments_.begin(), other.environments_.end(),
                       environments_.begin(), environments_.end());
}

LockScope LockScope::ConflictWith(const LockScope& other) const {
  if (whole_state_) return WholeState();
  if (other.whole_state_) return *this;
  std::vector<std::string> shared;
  std::set_intersection(environments_.begin(), environments_.end(), other.environments_.begin(),
                        other.environments_.end(), std::back_inserter(shared));
  return LockScope(false, std::move(shared));
}

bool LockScope::ConflictsWith(const LockScope& other) const {
  if (whole_state_ || other.whole_state_) return true;
  return !ConflictWith(other).environments_.empty();
}

std::string LockScope::Describe() const {
  if (whole_state_) return "the whole state";
  if (environments_.empty()) return "no environment";
  std::string out;
  for (const std::string& name : environments_) {
    if (!out.empty()) out += ", ";
    out += "env." + name;
  }
  return out;
}

std::string LockScope::Encode() const {
  if (whole_state_) return "*";
  std::string out;
  for (const std::string& name : environments_) {
    if (!out.empty()) out += ",";
    out += name;
  }
  return out;
}

bool LockScope::Decode(const std::string& text, LockScope& out) {
  if (text == "*") {
    out = WholeState();
    return true;
  }
  std::vector<std::string> names;
  size_t start = 0;
  while (start < text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string name = text.substr(start, comma - start);
    if (name.empty() || name.find('*') != std::string::npos) return false;
    names.push_back(std::move(name));
    start = comma + 1;
    if (comma + 1 == text.size()) return false;  // a trailing comma
  }
  out = Environments(std::move(names));
  return out.Encode() == text;  // sorted and unique, as Encode writes it
}

}  // namespace spotform
