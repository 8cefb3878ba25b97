#include "state/lock_message.h"

#include <cstdio>

namespace spotform {

std::string FormatLockAge(std::chrono::nanoseconds age) {
  const int64_t seconds =
      std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(age).count());
  char text[48];
  if (seconds < 60) {
    std::snprintf(text, sizeof(text), "%llds", static_cast<long long>(seconds));
  } else if (seconds < 3600) {
    std::snprintf(text, sizeof(text), "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  } else if (seconds < 86400) {
    std::snprintf(text, sizeof(text), "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds % 3600 / 60));
  } else {
    std::snprintf(text, sizeof(text), "%lldd%02lldh", static_cast<long long>(seconds / 86400),
                  static_cast<long long>(seconds % 86400 / 3600));
  }
  return text;
}

std::string LockHeldMessage(const std::string& state_name, const LockInfo& holder,
                            Clock::WallTime now, std::chrono::milliseconds waited) {
  std::string out = "state " + state_name + " is ";
  if (waited.count() > 0)
    out += "still locked after waiting " + FormatLockAge(waited);
  else
    out += "locked";
  out += ": held by " + holder.user + "@" + holder.host + " (pid " + std::to_string(holder.pid) +
         ") for " + holder.operation + ", " + FormatLockAge(now - holder.created) +
         " ago; lock ID " + holder.id + "; if that process is gone, run `spotform force-unlock " +
         holder.id + "`";
  return out;
}

}  // namespace spotform
