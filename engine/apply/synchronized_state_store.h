#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "engine/model/state_store.h"

namespace spotform {

// A StateStore decorator that serializes every call with a mutex, so the executor's worker
// threads can share a store that is not thread-safe itself (SqliteStateStore has one
// connection). Does not own the wrapped store, which must outlive it.
class SynchronizedStateStore final : public StateStore {
 public:
  explicit SynchronizedStateStore(StateStore& inner) : inner_(inner) {}

  Result<StateSnapshot> Load() override;
  Result<ApplyOutcome> Apply(const StateEdit& edit) override;
  Result<LockInfo> Lock(const LockRequest& request) override;
  Status Unlock(const std::string& lock_id) override;
  Result<std::vector<LockInfo>> CurrentLocks() override;
  Status ForceUnlock(const std::string& lock_id) override;
  std::optional<Error> LockLost() override;

 private:
  StateStore& inner_;
  std::mutex mutex_;
};

}  // namespace spotform
