#include "engine/apply/synchronized_state_store.h"

namespace spotform {

Result<StateSnapshot> SynchronizedStateStore::Load() {
  std::lock_guard<std::mutex> lock(mutex_);
  return inner_.Load();
}

Result<ApplyOutcome> SynchronizedStateStore::Apply(const StateEdit& edit) {
  std::lock_guard<std::mutex> lock(mutex_);
  return inner_.Apply(edit);
}

Result<LockInfo> SynchronizedStateStore::Lock(const LockRequest& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  return inner_.Lock(request);
}

Status SynchronizedStateStore::Unlock(const std::string& lock_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return inner_.Unlock(lock_id);
}

Result<std::vector<LockInfo>> SynchronizedStateStore::CurrentLocks() {
  std::lock_guard<std::mutex> lock(mutex_);
  return inner_.CurrentLocks();
}

Status SynchronizedStateStore::ForceUnlock(const std::string& lock_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return inner_.ForceUnlock(lock_id);
}

std::optional<Error> SynchronizedStateStore::LockLost() {
  std::lock_guard<std::mutex> lock(mutex_);
  return inner_.LockLost();
}

}  // namespace spotform
