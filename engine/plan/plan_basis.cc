#include "engine/plan/plan_basis.h"

#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/config_digest.h"

namespace spotform {
namespace {

constexpr char kPlanAgain[] = ": run `spotform plan` again";

// The environment's serial in `state`; 0 when it was never written.
int64_t SerialOf(const StateSnapshot& state, const std::string& name) {
  auto it = state.environment_serials.find(name);
  return it == state.environment_serials.end() ? 0 : it->second;
}

// The digest of the environment's declared spec; "" when `config` does not declare it.
std::string DigestOf(const Config& config, const std::string& name) {
  auto it = config.environments.find(name);
  return it == config.environments.end() ? std::string() : EnvironmentDigest(it->second);
}

// "a", "a and b", "a, b and c".
std::string JoinWithAnd(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

PlanBasis MakePlanBasis(const Config& config, const StateSnapshot& state,
                        const std::vector<Change>& changes) {
  PlanBasis basis;
  basis.shared_config_digest = config.shared_digest;
  for (const Change& change : changes) {
    if (change.action == ChangeAction::kNoOp) continue;
    const std::string name = EnvironmentNameOf(change.address);
    basis.environments[change.address] =
        EnvironmentBasis{.serial = SerialOf(state, name), .config_digest = DigestOf(config, name)};
  }
  return basis;
}

Status CheckPlanBasis(const PlanBasis& basis, const StateSnapshot& state, const Config& config) {
  std::vector<std::string> written;   // "env.render", with the serials in `serials`
  std::vector<std::string> serials;   // "serial 7, now 9"
  std::vector<std::string> declared;  // "env.render"
  for (const auto& [address, planned] : basis.environments) {
    const std::string name = EnvironmentNameOf(address);
    if (const int64_t serial = SerialOf(state, name); serial != planned.serial) {
      written.push_back(address);
      serials.push_back("serial " + std::to_string(planned.serial) + ", now " +
                        std::to_string(serial));
    }
    if (DigestOf(config, name) != planned.config_digest) declared.push_back(address);
  }
  if (written.size() == 1) {
    return Error(ErrorKind::kConflict, written.front() + " changed since the plan was made (" +
                                           serials.front() + ")" + kPlanAgain);
  }
  if (!written.empty()) {
    for (size_t i = 0; i < written.size(); ++i) written[i] += " (" + serials[i] + ")";
    return Error(ErrorKind::kConflict,
                 JoinWithAnd(written) + " changed since the plan was made" + kPlanAgain);
  }
  if (basis.shared_config_digest != config.shared_digest) {
    return Error(ErrorKind::kConflict,
                 "the provider or state settings in spotform.yaml changed since the plan was made" +
                     std::string(kPlanAgain));
  }
  if (!declared.empty()) {
    return Error(ErrorKind::kConflict, "the config of " + JoinWithAnd(declared) +
                                           " changed since the plan was made" + kPlanAgain);
  }
  return Status::Ok();
}

}  // namespace spotform
