#include "engine/plan/state_address.h"

#include "engine/config/config_checks.h"
#include "engine/model/did_you_mean.h"

namespace spotform {
namespace {

constexpr std::string_view kEnvPrefix = "env.";
constexpr char kAcceptedForms[] =
    "addresses look like env.NAME or env.NAME.ID (e.g. env.render, env.render.ins-1a2b3c4d, "
    "env.batch.node-1a2b3c4d)";

Error BadAddress(std::string_view text, const std::string& why) {
  return Error(ErrorKind::kInvalidInput,
               "\"" + std::string(text) + "\" is not a state address: " + why);
}

bool IsIdCharacter(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// "ins-" or "node-" followed by lower-case letters and digits.
bool IsInstanceId(std::string_view id) {
  for (std::string_view prefix : {std::string_view("ins-"), std::string_view("node-")}) {
    if (id.size() > prefix.size() && id.substr(0, prefix.size()) == prefix) {
      for (char c : id.substr(prefix.size())) {
        if (!IsIdCharacter(c)) return false;
      }
      return true;
    }
  }
  return false;
}

bool Matches(const RecordedInstance& instance, const std::string& id) {
  return instance.id == id || (!instance.node_id.empty() && instance.node_id == id);
}

// `address` is not recorded; `word` is its last part, `candidates` the recorded values of
// that part, each shown after `prefix` in the hint.
Error NotRecorded(const std::string& address, const std::string& word,
                  const std::vector<std::string>& candidates, const std::string& prefix) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  std::optional<std::string> closest = ClosestName(word, views);
  return Error(ErrorKind::kNotFound,
               address + " is not in the state; " +
                   (closest ? "did you mean " + prefix + *closest + "?"
                            : "run `spotform state list` to see the recorded addresses"));
}

}  // namespace

std::string StateAddress::ToString() const {
  return EnvironmentAddress() + (instance.empty() ? "" : "." + instance);
}

Result<StateAddress> ParseStateAddress(std::string_view text) {
  if (text.substr(0, kEnvPrefix.size()) != kEnvPrefix) return BadAddress(text, kAcceptedForms);
  const std::string_view rest = text.substr(kEnvPrefix.size());
  const size_t dot = rest.find('.');
  StateAddress address;
  address.environment = std::string(rest.substr(0, dot));
  if (!CheckEnvironmentName(address.environment).ok()) {
    return BadAddress(text, "\"" + address.environment +
                                "\" is not an environment name (a lower-case letter, then "
                                "lower-case letters, digits, '_' or '-'); " +
                                kAcceptedForms);
  }
  if (dot == std::string_view::npos) return address;
  address.instance = std::string(rest.substr(dot + 1));
  if (!IsInstanceId(address.instance)) {
    return BadAddress(text, "\"" + address.instance +
                                "\" is not an instance id like ins-1a2b3c4d or node-1a2b3c4d; " +
                                kAcceptedForms);
  }
  return address;
}

Result<AddressTarget> FindStateAddress(const StateSnapshot& state, const StateAddress& address) {
  auto env = state.environments.find(address.environment);
  if (env == state.environments.end()) {
    std::vector<std::string> names;
    for (const auto& [name, recorded] : state.environments) names.push_back(name);
    if (names.empty()) {
      return Error(ErrorKind::kNotFound,
                   address.ToString() + " is not in the state: the state is empty");
    }
    Error missing = NotRecorded(address.EnvironmentAddress(), address.environment, names, "env.");
    return address.IsInstance() ? missing.WithContext(address.ToString()) : missing;
  }
  AddressTarget target;
  target.environment = &env->second;
  if (!address.IsInstance()) return target;
  for (const Pool& pool : env->second.pools) {
    for (const RecordedInstance& instance : pool.instances) {
      if (Matches(instance, address.instance)) {
        target.pool = &pool;
        target.instance = &instance;
        return target;
      }
    }
  }
  for (const auto& [name, other] : state.environments) {
    for (const Pool& pool : other.pools) {
      for (const RecordedInstance& instance : pool.instances) {
        if (Matches(instance, address.instance)) {
          return Error(ErrorKind::kNotFound, address.ToString() + " is not in the state; " +
                                                 address.instance + " is recorded as env." + name +
                                                 "." + InstanceAddressId(instance));
        }
      }
    }
  }
  std::vector<std::string> ids;
  for (const Pool& pool : env->second.pools) {
    for (const RecordedInstance& instance : pool.instances) {
      ids.push_back(InstanceAddressId(instance));
    }
  }
  return NotRecorded(address.ToString(), address.instance, ids, address.EnvironmentAddress() + ".");
}

const std::string& InstanceAddressId(const RecordedInstance& instance) {
  return instance.node_id.empty() ? instance.id : instance.node_id;
}

std::vector<std::string> ListStateAddresses(const StateSnapshot& state) {
  std::vector<std::string> addresses;
  for (const auto& [name, env] : state.environments) {
    addresses.push_back("env." + name);
    for (const Pool& pool : env.pools) {
      for (const RecordedInstance& instance : pool.instances) {
        addresses.push_back("env." + name + "." + InstanceAddressId(instance));
      }
    }
  }
  return addresses;
}

}  // namespace spotform
