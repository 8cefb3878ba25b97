#include "engine/model/environment_spec.h"

#include <algorithm>

namespace spotform {
namespace {

// Splits "12.3400" into integer "12" and fraction "34" (trailing zeros dropped, leading
// zeros of the integer part dropped), so equal amounts compare equal as strings.
std::pair<std::string_view, std::string_view> Normalize(std::string_view price) {
  size_t dot = price.find('.');
  std::string_view integer = price.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : price.substr(dot + 1);
  while (integer.size() > 1 && integer.front() == '0') integer.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (integer.empty()) integer = "0";
  return {integer, fraction};
}

const std::string& EmptyName() {
  static const std::string kEmpty;
  return kEmpty;
}

}  // namespace

std::string_view ModeName(Mode mode) { return mode == Mode::kBatch ? "batch" : "cvm"; }

std::string_view AllocationName(Allocation allocation) {
  switch (allocation) {
    case Allocation::kLowestPrice:
      return "lowest-price";
    case Allocation::kDiversified:
      return "diversified";
    case Allocation::kOrdered:
      break;
  }
  return "ordered";
}

std::optional<Allocation> ParseAllocation(std::string_view text) {
  for (Allocation allocation :
       {Allocation::kOrdered, Allocation::kLowestPrice, Allocation::kDiversified}) {
    if (AllocationName(allocation) == text) return allocation;
  }
  return std::nullopt;
}

const std::string& EnvironmentSpec::zone() const {
  return zones.empty() ? EmptyName() : zones.front();
}

const std::string& EnvironmentSpec::instance_type() const {
  return instance_types.empty() ? EmptyName() : instance_types.front().type;
}

void EnvironmentSpec::SetPlacement(const std::string& zone, const std::string& instance_type) {
  zones = {zone};
  instance_types = {InstanceTypeChoice{instance_type, ""}};
}

const std::string& EnvironmentSpec::BidFor(std::string_view instance_type) const {
  auto it = std::find_if(instance_types.begin(), instance_types.end(),
                         [&](const InstanceTypeChoice& c) { return c.type == instance_type; });
  return it != instance_types.end() && !it->max_price.empty() ? it->max_price : max_price;
}

std::string ZonesText(const EnvironmentSpec& spec) {
  if (spec.zones.size() == 1) return spec.zones.front();
  std::string out = "[";
  for (const std::string& zone : spec.zones) out += (out.size() > 1 ? ", " : "") + zone;
  return out + "]";
}

std::string TypesText(const EnvironmentSpec& spec) {
  if (spec.instance_types.size() == 1 && spec.instance_types.front().max_price.empty()) {
    return spec.instance_types.front().type;
  }
  std::string out = "[";
  for (const InstanceTypeChoice& choice : spec.instance_types) {
    out += (out.size() > 1 ? ", " : "") + choice.type;
    if (!choice.max_price.empty()) out += " (max " + choice.max_price + ")";
  }
  return out + "]";
}

std::vector<std::string> TypeNames(const EnvironmentSpec& spec) {
  std::vector<std::string> names;
  for (const InstanceTypeChoice& choice : spec.instance_types) names.push_back(choice.type);
  return names;
}

std::string_view ZonesKey(const EnvironmentSpec& spec) {
  return spec.zones.size() == 1 ? "zone" : "zones";
}

std::string_view TypesKey(const EnvironmentSpec& spec) {
  return spec.instance_types.size() == 1 ? "instance_type" : "instance_types";
}

bool SamePrice(std::string_view a, std::string_view b) { return Normalize(a) == Normalize(b); }

bool SameCapacityShape(const EnvironmentSpec& a, const EnvironmentSpec& b) {
  if (a.mode != b.mode || a.zones != b.zones || a.image_id != b.image_id ||
      !SamePrice(a.max_price, b.max_price)) {
    return false;
  }
  // A Batch environment's instance types change in place (ModifyComputeEnv EnvData), and
  // batch mode has one bid, the environment's.
  if (a.mode == Mode::kBatch) return true;
  if (a.instance_types.size() != b.instance_types.size()) return false;
  for (size_t i = 0; i < a.instance_types.size(); ++i) {
    if (a.instance_types[i].type != b.instance_types[i].type ||
        !SamePrice(a.BidFor(a.instance_types[i].type), b.BidFor(b.instance_types[i].type))) {
      return false;
    }
  }
  return true;
}

}  // namespace spotform
