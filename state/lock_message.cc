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

Error NoSuchLock(const std::string& state_name, const std::string& lock_id,
                 const std::vector<LockInfo>& held) {
  if (held.empty()) return Error(ErrorKind::kNotFound, "state " + state_name + " is not locked");
  std::string ids;
  for (const LockInfo& lock : held) ids += (ids.empty() ? "" : ", ") + lock.id;
  return Error(ErrorKind::kNotFound, "lock ID " + lock_id + " is not held on state " + state_name +
                                         " (it is locked with lock ID" +
                                         (held.size() > 1 ? "s " : " ") + ids + ")");
}

std::string DescribeHolder(const LockInfo& holder, const LockScope& wanted, Clock::WallTime now) {
  return holder.user + "@" + holder.host + " (pid " + std::to_string(holder.pid) + ") for " +
         holder.operation + " of " + holder.scope.ConflictWith(wanted).Describe() + ", " +
         FormatLockAge(now - holder.created) + " ago; lock ID " + holder.id;
}

std::string LockHeldMessage(const std::string& state_name, const std::vector<LockInfo>& holders,
                            const LockScope& wanted, Clock::WallTime now,
                            std::chrono::milliseconds waited) {
  std::string out = "state " + state_name + " is ";
  if (waited.count() > 0)
    out += "still locked after waiting " + FormatLockAge(waited);
  else
    out += "locked";
  out += ": ";
  for (size_t i = 0; i < holders.size(); ++i) {
    if (i > 0) out += "; and ";
    out += "held by " + DescribeHolder(holders[i], wanted, now);
  }
  if (holders.size() == 1) {
    out += "; if that process is gone, run `spotform force-unlock " + holders.front().id + "`";
  } else {
    out += "; if one of those processes is gone, run `spotform force-unlock ID` with its lock ID";
  }
  return out;
}

}  // namespace spotform
