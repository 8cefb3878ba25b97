#include "state/lineage.h"

#include "engine/model/crypto.h"

namespace spotform {

std::string NewLineage() {
  std::string hex = RandomHex(16);
  hex[12] = '4';  // version 4: random
  static constexpr char kVariant[] = "89ab";
  hex[16] = kVariant[std::stoi(hex.substr(16, 1), nullptr, 16) & 0x3];  // variant 10xx
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace spotform
