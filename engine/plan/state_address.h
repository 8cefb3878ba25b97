#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// A place in the recorded state named on the `state` commands' command line:
//   env.NAME        an environment, with its pools and instances
//   env.NAME.ID     one recorded instance of it: "ins-..." (a cvm instance, or the instance
//                   behind a Batch node) or "node-..." (a Batch node)
// A value; parsing is pure and does not look at any state.
struct StateAddress {
  std::string environment;  // NAME
  std::string instance;     // ID, or "" when the address names the whole environment

  bool IsInstance() const { return !instance.empty(); }
  std::string EnvironmentAddress() const { return "env." + environment; }
  std::string ToString() const;
};

// Parses `text`; the error (kInvalidInput) quotes it and shows the accepted forms.
Result<StateAddress> ParseStateAddress(std::string_view text);

// What an address names in a snapshot. Pointers into the snapshot the lookup was given,
// valid while it lives; pool and instance are set for instance addresses only.
struct AddressTarget {
  const RecordedEnvironment* environment = nullptr;
  const Pool* pool = nullptr;
  const RecordedInstance* instance = nullptr;
};

// Finds `address` in `state`. Not recorded: kNotFound naming the address, with a
// "did you mean" hint when a recorded address is close, or where the instance is recorded
// when it belongs to another environment, else a pointer to `spotform state list`.
Result<AddressTarget> FindStateAddress(const StateSnapshot& state, const StateAddress& address);

// The id an instance is addressed by: its node id for a Batch node, else its instance id.
const std::string& InstanceAddressId(const RecordedInstance& instance);

// Every address of the state, in order: each environment (by name) followed by the
// instances of its pools (pool order, then recorded order), like `terraform state list`.
std::vector<std::string> ListStateAddresses(const StateSnapshot& state);

}  // namespace spotform
