#include "engine/model/environment_spec.h"

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

}  // namespace

std::string_view ModeName(Mode mode) { return mode == Mode::kBatch ? "batch" : "cvm"; }

bool SamePrice(std::string_view a, std::string_view b) { return Normalize(a) == Normalize(b); }

bool SameCapacityShape(const EnvironmentSpec& a, const EnvironmentSpec& b) {
  return a.mode == b.mode && a.zone == b.zone && a.instance_type == b.instance_type &&
         a.image_id == b.image_id && SamePrice(a.max_price, b.max_price);
}

}  // namespace spotform
