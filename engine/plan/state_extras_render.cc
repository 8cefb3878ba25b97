#include "engine/plan/state_extras_render.h"

#include <algorithm>

#include "engine/model/words.h"

namespace spotform {
namespace {

constexpr const char* kUtc = "%Y-%m-%dT%H:%M:%SZ";

std::string HoldKindName(HoldKind kind) {
  return kind == HoldKind::kCooling ? "cooling" : "unavailable";
}

}  // namespace

std::string RenderLocksText(const std::vector<LockInfo>& locks, Clock::WallTime now) {
  std::string text;
  for (const LockInfo& lock : locks) {
    const auto held = std::chrono::duration_cast<std::chrono::seconds>(now - lock.created);
    text += "  " + lock.operation + " of " + lock.scope.Describe() + " by " + lock.user + "@" +
            lock.host + " (pid " + std::to_string(lock.pid) + "), " +
            FormatDuration(std::max(held, std::chrono::seconds(0))) + "; lock ID " + lock.id + "\n";
  }
  return text.empty() ? "" : "Locks held:\n" + text;
}

nlohmann::ordered_json LocksToJson(const std::vector<LockInfo>& locks) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const LockInfo& lock : locks) {
    nlohmann::ordered_json entry = {
        {"id", lock.id}, {"operation", lock.operation}, {"whole_state", lock.scope.whole_state()}};
    if (!lock.scope.whole_state()) entry["environments"] = lock.scope.environments();
    entry["user"] = lock.user;
    entry["host"] = lock.host;
    entry["pid"] = lock.pid;
    entry["since"] = FormatUtc(lock.created, kUtc);
    out.push_back(std::move(entry));
  }
  return out;
}

std::string RenderHoldsText(const std::vector<CandidateHold>& holds, Clock::WallTime now) {
  std::string text;
  for (const CandidateHold& hold : holds) {
    if (hold.until <= now) continue;
    const bool cooling = hold.kind == HoldKind::kCooling;
    text += "  " + hold.instance_type + " in " + hold.zone + "  " +
            (cooling ? "tried last" : "skipped") + " until " + FormatUtc(hold.until, kUtc) +
            (cooling ? " (lost instances to a reclaim)\n" : " (refused a launch)\n");
  }
  return text.empty() ? "" : "Held candidates:\n" + text;
}

nlohmann::ordered_json HoldsToJson(const std::vector<CandidateHold>& holds, Clock::WallTime now) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const CandidateHold& hold : holds) {
    if (hold.until <= now) continue;
    out.push_back({{"zone", hold.zone},
                   {"instance_type", hold.instance_type},
                   {"kind", HoldKindName(hold.kind)},
                   {"until", FormatUtc(hold.until, kUtc)}});
  }
  return out;
}

}  // namespace spotform
