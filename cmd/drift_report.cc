#include "cmd/drift_report.h"

#include <map>
#include <ostream>
#include <tuple>

#include "engine/model/words.h"

namespace spotform {

std::vector<Drift> NewsworthyDrift(const std::vector<Drift>& drift) {
  std::vector<Drift> news;
  for (const Drift& item : drift) {
    if (item.kind != "pending") news.push_back(item);
  }
  return news;
}

std::vector<std::string> DriftLines(const std::vector<Drift>& drift) {
  // (address, kind, message) -> the subjects saying it, groups in order of first appearance.
  using Key = std::tuple<std::string, std::string, std::string>;
  std::vector<Key> order;
  std::map<Key, std::vector<std::string>> subjects;
  for (const Drift& item : NewsworthyDrift(drift)) {
    const Key key{item.address, item.kind, item.message};
    auto [group, added] = subjects.try_emplace(key);
    if (added) order.push_back(key);
    if (!item.subject.empty()) group->second.push_back(item.subject);
  }
  std::vector<std::string> lines;
  for (const Key& key : order) {
    const std::vector<std::string>& named = subjects[key];
    lines.push_back(std::get<0>(key) + (named.empty() ? "" : " " + ShortList(named)) + ": " +
                    std::get<2>(key));
  }
  return lines;
}

void PrintDrift(std::ostream& out, const std::vector<Drift>& drift) {
  for (const std::string& line : DriftLines(drift)) out << line << "\n";
}

nlohmann::ordered_json DriftToJson(const std::vector<Drift>& drift) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const Drift& item : drift) {
    items.push_back({{"address", item.address},
                     {"subject", item.subject},
                     {"kind", item.kind},
                     {"message", item.message}});
  }
  return items;
}

}  // namespace spotform
