#pragma once

#include <string>
#include <variant>
#include <vector>

#include "engine/model/state_snapshot.h"

namespace spotform {

// StateEdit is a list of changes to a state, applied by a StateStore in one transaction that
// bumps the serial once (leveldb's VersionEdit idea). Builders return *this for chaining:
//   StateEdit().SetExpectedCount("render", "p-1", 4).RemoveInstances("render", "p-1", ids);
class StateEdit {
 public:
  struct PutEnvironment {
    EnvironmentSpec applied;
  };  // insert or replace, keeps pools
  struct RemoveEnvironment {
    std::string name;
  };  // with its pools and instances
  struct PutPool {
    std::string environment;
    Pool pool;
  };  // insert or replace fields;
      // pool.instances are upserted
  struct RemovePool {
    std::string environment;
    std::string pool_id;
  };  // with its instances
  struct SetExpectedCount {
    std::string environment;
    std::string pool_id;
    int count;
  };
  struct PutInstances {  // insert or update, matched by id (or node_id when id is "")
    std::string environment;
    std::string pool_id;
    std::vector<RecordedInstance> instances;
  };
  struct RemoveInstances {  // matched by id or node_id
    std::string environment;
    std::string pool_id;
    std::vector<std::string> ids;
  };
  struct OpenIntent {
    JournalEntry entry;
  };  // the store assigns entry.id
  struct CloseIntent {
    int64_t id;
  };
  // Insert, or extend the hold of the same zone, type and kind (the later `until` stays).
  struct PutCandidateHold {
    CandidateHold hold;
  };
  // Removes the holds no longer in force at `now` (until <= now).
  struct PruneCandidateHolds {
    Clock::WallTime now;
  };

  using Op = std::variant<PutEnvironment, RemoveEnvironment, PutPool, RemovePool, SetExpectedCount,
                          PutInstances, RemoveInstances, OpenIntent, CloseIntent, PutCandidateHold,
                          PruneCandidateHolds>;

  StateEdit& Add(Op op) {
    ops_.push_back(std::move(op));
    return *this;
  }
  const std::vector<Op>& ops() const { return ops_; }
  // The environments the edit names, sorted and unique: what a writer must hold the lock
  // of, and whose serials the write moves on. CloseIntent names none (it only closes what
  // an OpenIntent of the same run, or a settle, opened), nor do the candidate holds, which
  // are shared by the whole state.
  std::vector<std::string> Environments() const;
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;
};

}  // namespace spotform
