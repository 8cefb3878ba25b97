#include "state/state_codec.h"

#include <chrono>
#include <nlohmann/json.hpp>

namespace spotform {
namespace {

Error Unreadable(const std::string& what, const std::string& why) {
  return Error(ErrorKind::kInvalidInput, what + " is unreadable: " + why);
}

}  // namespace

std::string EncodeSpec(const EnvironmentSpec& spec) {
  nlohmann::json json = {
      {"name", spec.name},
      {"mode", std::string(ModeName(spec.mode))},
      {"zone", spec.zone},
      {"instance_type", spec.instance_type},
      {"image_id", spec.image_id},
      {"max_price", spec.max_price},
      {"desired_count", spec.desired_count},
      {"tags", spec.tags},
  };
  return json.dump();
}

Result<EnvironmentSpec> DecodeSpec(std::string_view json_text, const std::string& what) {
  try {
    const nlohmann::json json = nlohmann::json::parse(json_text);
    EnvironmentSpec spec;
    spec.name = json.at("name").get<std::string>();
    const std::string mode = json.at("mode").get<std::string>();
    if (mode == "cvm") {
      spec.mode = Mode::kCvm;
    } else if (mode == "batch") {
      spec.mode = Mode::kBatch;
    } else {
      return Unreadable(what, "unknown mode \"" + mode + "\"");
    }
    spec.zone = json.at("zone").get<std::string>();
    spec.instance_type = json.at("instance_type").get<std::string>();
    spec.image_id = json.at("image_id").get<std::string>();
    spec.max_price = json.at("max_price").get<std::string>();
    spec.desired_count = json.at("desired_count").get<int>();
    spec.tags = json.at("tags").get<Tags>();
    return spec;
  } catch (const nlohmann::json::exception& e) {
    return Unreadable(what, e.what());
  }
}

int64_t EncodeTime(Clock::WallTime time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

Clock::WallTime DecodeTime(int64_t nanos) {
  return Clock::WallTime(
      std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::nanoseconds(nanos)));
}

std::string_view EncodeOrigin(InstanceOrigin origin) {
  return origin == InstanceOrigin::kImported ? "imported" : "created";
}

Result<InstanceOrigin> DecodeOrigin(std::string_view text, const std::string& what) {
  if (text == "created") return InstanceOrigin::kCreated;
  if (text == "imported") return InstanceOrigin::kImported;
  return Unreadable(what, "unknown origin \"" + std::string(text) + "\"");
}

}  // namespace spotform
