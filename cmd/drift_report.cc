#include "cmd/drift_report.h"

#include <ostream>

namespace spotform {

std::vector<Drift> NewsworthyDrift(const std::vector<Drift>& drift) {
  std::vector<Drift> news;
  for (const Drift& item : drift) {
    if (item.kind != "pending") news.push_back(item);
  }
  return news;
}

void PrintDrift(std::ostream& out, const std::vector<Drift>& drift) {
  for (const Drift& item : NewsworthyDrift(drift)) {
    out << item.address << (item.subject.empty() ? "" : " " + item.subject) << ": " << item.message
        << "\n";
  }
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
