#pragma once

#include <string>
#include <vector>

namespace spotform {

// LockScope is what one state lock covers: the whole state (commands that reshape it: state
// mv, rm, migrate, restore) or some of its environments (apply, destroy, refresh, watch,
// import lock only what they touch, so teams sharing one state do not wait for each other).
// Two locks conflict when either covers the whole state or they share an environment. A
// value type; the names are kept sorted and unique.
class LockScope {
 public:
  // The whole state.
  LockScope() = default;
  // Conflicts with every other lock.
  static LockScope WholeState() { return LockScope(true, {}); }
  // Conflicts with the whole-state lock and with locks sharing one of `names` (which may be
  // empty: a command with nothing to touch still keeps state-wide commands out meanwhile).
  static LockScope Environments(std::vector<std::string> names);

  bool whole_state() const { return whole_state_; }
  const std::vector<std::string>& environments() const { return environments_; }

  // Whether a write to `environment` is within this scope.
  bool Covers(const std::string& environment) const;
  // Whether `other` covers everything this one does.
  bool Within(const LockScope& other) const;
  bool ConflictsWith(const LockScope& other) const;
  // For messages: "the whole state", or "env.a, env.b" (the environments both scopes cover
  // when one of them is the whole state: all of the other's).
  std::string Describe() const;
  // The part of this scope that `other` keeps out: this scope when `other` is the whole
  // state, the whole state when this one is, else the shared environments.
  LockScope ConflictWith(const LockScope& other) const;

  // The stored form: "*" for the whole state, else the names joined by ",". Environment
  // names never hold "," or "*" (the config refuses them).
  std::string Encode() const;
  // nullopt-like failure: false when `text` is not a stored form.
  static bool Decode(const std::string& text, LockScope& out);

  bool operator==(const LockScope&) const = default;

 private:
  LockScope(bool whole_state, std::vector<std::string> environments)
      : whole_state_(whole_state), environments_(std::move(environments)) {}

  bool whole_state_ = true;
  std::vector<std::string> environments_;
};

}  // namespace spotform
