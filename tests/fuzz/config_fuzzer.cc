// libFuzzer target: spotform.yaml text through the real config parser and checks
// (ParseConfig: yaml-cpp, every field check, the digest) and the diagnostics printer.
// Whatever the bytes, parsing must return either a Config or diagnostics, never crash, and
// never both a Config and an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "engine/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // TENCENTCLOUD_REGION unset half of the time, so both region paths run.
  const bool region_from_env = size > 0 && (data[size - 1] & 1) != 0;
  const spotform::EnvLookup env =
      [region_from_env](const std::string& name) -> std::optional<std::string> {
    if (region_from_env && name == "TENCENTCLOUD_REGION") return "ap-guangzhou";
    return std::nullopt;
  };
  const spotform::ConfigParseResult result =
      spotform::ParseConfig(text, "/fuzz/project/spotform.yaml", env);
  if (result.config.has_value() && !result.diagnostics.empty()) std::abort();
  if (!result.config.has_value() && result.diagnostics.empty()) std::abort();
  size_t printed = 0;
  for (const spotform::Diagnostic& diagnostic : result.diagnostics) {
    printed += diagnostic.ToString().size();
  }
  if (result.config.has_value() && result.config->digest.empty()) std::abort();
  return printed == SIZE_MAX ? 1 : 0;
}
