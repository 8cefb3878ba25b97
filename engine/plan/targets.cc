#include "engine/plan/targets.h"

#include <set>
#include <string_view>

#include "engine/model/did_you_mean.h"

namespace spotform {
namespace {

// The environment names a target may name, in order: declared or recorded.
std::set<std::string> KnownNames(const Config& config, const StateSnapshot& state) {
  std::set<std::string> names;
  for (const auto& [name, spec] : config.environments) names.insert(name);
  for (const auto& [name, recorded] : state.environments) names.insert(name);
  return names;
}

}  // namespace

Status CheckTargets(const std::vector<std::string>& targets, const Config& config,
                    const StateSnapshot& state) {
  const std::set<std::string> known = KnownNames(config, state);
  for (const std::string& target : targets) {
    const std::string name = target.rfind("env.", 0) == 0 ? target.substr(4) : "";
    if (name.empty()) {
      return Error(ErrorKind::kInvalidInput,
                   "--target " + target + ": addresses look like env.NAME");
    }
    if (known.count(name) > 0) continue;
    const std::vector<std::string_view> candidates(known.begin(), known.end());
    const std::optional<std::string> closest = ClosestName(name, candidates);
    return Error(ErrorKind::kInvalidInput,
                 "--target " + target + ": no such environment in " + config.file +
                     " or in the state" + (closest ? "; did you mean env." + *closest + "?" : ""));
  }
  return Status::Ok();
}

}  // namespace spotform
