#include "state/lock_fence.h"

#include <algorithm>

namespace spotform {
namespace {

// What a fenced-out run does next, shared by every lost-lock message.
constexpr const char* kFencedOutNext =
    "; this run stops and writes nothing more; the next `spotform apply` settles what it left "
    "open";

}  // namespace

std::vector<std::string> EnvironmentsOf(std::initializer_list<const StateSnapshot*> snapshots) {
  std::vector<std::string> names;
  for (const StateSnapshot* snapshot : snapshots) {
    for (const auto& [name, environment] : snapshot->environments) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Status LockFence::Check(const std::vector<LockInfo>& rows,
                        const std::vector<std::string>& environments) {
  if (lost_.has_value()) return *lost_;
  if (held_.has_value()) {
    const auto mine = std::find_if(rows.begin(), rows.end(),
                                   [&](const LockInfo& row) { return row.id == held_->id; });
    if (mine == rows.end()) {
      std::string how = "removed (force-unlock)";
      for (const LockInfo& row : rows) {
        if (!row.scope.ConflictsWith(held_->scope)) continue;
        how = "taken over by " + row.user + "@" + row.host + " pid " + std::to_string(row.pid) +
              " (lock ID " + row.id + ")";
        break;
      }
      lost_ = Error(ErrorKind::kConflict, "state " + state_name_ + ": the lock " + held_->id +
                                              " on " + held_->scope.Describe() +
                                              " held by this run was " + how + kFencedOutNext);
      return *lost_;
    }
    for (const std::string& environment : environments) {
      if (held_->scope.Covers(environment)) continue;
      return Error(ErrorKind::kInternal, "state " + state_name_ + ": this run locked " +
                                             held_->scope.Describe() + " but tried to write env." +
                                             environment + "; nothing was written");
    }
    return Status::Ok();
  }
  if (rows.empty()) return Status::Ok();
  const LockInfo& row = rows.front();
  return Error(ErrorKind::kConflict, "state " + state_name_ + " is locked by " + row.user + "@" +
                                         row.host + " (pid " + std::to_string(row.pid) + ") for " +
                                         row.operation + " of " + row.scope.Describe() +
                                         " (lock ID " + row.id +
                                         ") and this writer holds no lock; nothing was written");
}

Error LockFence::ConnectionLost() {
  if (lost_.has_value()) return *lost_;
  lost_ = Error(ErrorKind::kConflict,
                "state " + state_name_ +
                    ": the connection to PostgreSQL was lost, and with it the lock " +
                    (held_.has_value() ? held_->id + " on " + held_->scope.Describe() : "?") +
                    " held by this run" + kFencedOutNext);
  return *lost_;
}

}  // namespace spotform
