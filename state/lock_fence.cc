#include "state/lock_fence.h"

namespace spotform {
namespace {

// What a fenced-out run does next, shared by every lost-lock message.
constexpr const char* kFencedOutNext =
    "; this run stops and writes nothing more; the next `spotform apply` settles what it left "
    "open";

}  // namespace

Status LockFence::Check(const std::optional<LockInfo>& row) {
  if (lost_.has_value()) return *lost_;
  if (held_.has_value()) {
    if (row.has_value() && row->id == *held_) return Status::Ok();
    std::string how = "removed (force-unlock)";
    if (row.has_value()) {
      how = "taken over by " + row->user + "@" + row->host + " pid " + std::to_string(row->pid) +
            " (lock ID " + row->id + ")";
    }
    lost_ = Error(ErrorKind::kConflict, "state " + state_name_ + ": the state lock " + *held_ +
                                            " held by this run was " + how + kFencedOutNext);
    return *lost_;
  }
  if (!row.has_value()) return Status::Ok();
  return Error(ErrorKind::kConflict, "state " + state_name_ + " is locked by " + row->user + "@" +
                                         row->host + " (pid " + std::to_string(row->pid) +
                                         ") for " + row->operation + " (lock ID " + row->id +
                                         ") and this writer does not hold that lock; nothing "
                                         "was written");
}

Error LockFence::ConnectionLost() {
  if (lost_.has_value()) return *lost_;
  lost_ =
      Error(ErrorKind::kConflict, "state " + state_name_ +
                                      ": the connection to PostgreSQL was lost, and with it "
                                      "the state lock " +
                                      held_.value_or("?") + " held by this run" + kFencedOutNext);
  return *lost_;
}

}  // namespace spotform
