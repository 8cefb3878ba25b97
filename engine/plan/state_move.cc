#include "engine/plan/state_move.h"

#include <algorithm>

#include "engine/plan/liveness.h"

namespace spotform {
namespace {

// The first capacity field in which `a` and `b` differ, or "" when they have one shape.
std::string ShapeDifference(const EnvironmentSpec& a, const EnvironmentSpec& b) {
  if (a.mode != b.mode) {
    return "mode " + std::string(ModeName(a.mode)) + " vs " + std::string(ModeName(b.mode));
  }
  if (a.zones != b.zones) {
    return std::string(ZonesKey(a)) + " " + ZonesText(a) + " vs " + ZonesText(b);
  }
  if (TypesText(a) != TypesText(b)) {
    return std::string(TypesKey(a)) + " " + TypesText(a) + " vs " + TypesText(b);
  }
  if (a.image_id != b.image_id) return "image_id " + a.image_id + " vs " + b.image_id;
  if (!SamePrice(a.max_price, b.max_price)) {
    return "max_price " + a.max_price + " vs " + b.max_price;
  }
  return "";
}

// The pool of `env` an instance moves into: the one of its applied shape (not one being
// retired by a replacement), or null.
const Pool* CurrentPool(const RecordedEnvironment& env) {
  for (const Pool& pool : env.pools) {
    if (SameCapacityShape(pool.spec, env.applied)) return &pool;
  }
  return nullptr;
}

// What to do when the config does not declare the new name yet, or "".
std::string RenameNote(const Config& config, const std::string& from, const std::string& to) {
  if (config.environments.count(to) > 0) return "";
  const bool declares_old = config.environments.count(from) > 0;
  return config.file + " does not declare env." + to +
         (declares_old ? " but still declares env." + from : "") +
         ": rename it there too, or the next plan " +
         (declares_old ? "creates env." + from + " anew and " : "") + "destroys env." + to + ".";
}

Result<StateMove> Rename(const Config& config, const StateSnapshot& state,
                         const RecordedEnvironment& from, const std::string& to) {
  if (to == from.name) {
    return Error(ErrorKind::kInvalidInput,
                 "env." + from.name + " is already called that; nothing to do");
  }
  if (state.environments.count(to) > 0) {
    return Error(ErrorKind::kConflict,
                 "env." + to +
                     " is already in the state; mv does not merge environments (`spotform "
                     "state rm env." +
                     to + "` first if it should go)");
  }
  // The environment, its pools and instances are written under the new name and the old
  // one removed, in one change.
  StateMove move;
  move.from = "env." + from.name;
  move.to = "env." + to;
  move.edit.Add(StateEdit::RemoveEnvironment{from.name});
  EnvironmentSpec applied = from.applied;
  applied.name = to;
  move.edit.Add(StateEdit::PutEnvironment{applied});
  for (Pool pool : from.pools) {
    pool.spec.name = to;
    move.edit.Add(StateEdit::PutPool{to, std::move(pool)});
  }
  move.note = RenameNote(config, from.name, to);
  return move;
}

Result<StateMove> MoveInstance(const StateSnapshot& state, const AddressTarget& source,
                               const StateAddress& source_address,
                               const StateAddress& destination) {
  const RecordedInstance& instance = *source.instance;
  const std::string what = source_address.ToString();
  const std::string to = destination.environment;
  if (source.pool->spec.mode == Mode::kBatch) {
    return Error(ErrorKind::kInvalidInput,
                 what +
                     " is a node of a Batch compute environment, which keeps it; Batch nodes "
                     "cannot move to another environment");
  }
  if (destination.IsInstance() && destination.instance != source_address.instance) {
    return Error(ErrorKind::kInvalidInput, "an instance keeps its id: move " + what + " to env." +
                                               to + " (or env." + to + "." +
                                               source_address.instance + ")");
  }
  if (to == source.environment->name) {
    return Error(ErrorKind::kInvalidInput, what + " is already in env." + to);
  }
  auto target_env = state.environments.find(to);
  if (target_env == state.environments.end()) {
    Result<AddressTarget> missing =
        FindStateAddress(state, StateAddress{.environment = to, .instance = ""});
    return Error(
        ErrorKind::kNotFound,
        missing.error().message() + " (an instance moves into an environment that is recorded)");
  }
  const Pool* pool = CurrentPool(target_env->second);
  if (pool == nullptr) {
    return Error(ErrorKind::kConflict, "env." + to + " has no pool of its applied shape to move " +
                                           what + " into; run `spotform apply` first");
  }
  const std::string difference = ShapeDifference(source.pool->spec, pool->spec);
  if (!difference.empty()) {
    return Error(ErrorKind::kInvalidInput,
                 what + " does not fit env." + to + ": " + difference +
                     "; an instance moves only between environments of one shape");
  }

  StateMove move;
  move.from = what;
  move.to = "env." + to + "." + instance.id;
  const std::string& from = source.environment->name;
  move.edit.Add(StateEdit::RemoveInstances{from, source.pool->id, {instance.id}});
  move.edit.Add(StateEdit::PutInstances{to, pool->id, {instance}});
  if (!IsLiveInstance(instance, source.pool->spec.mode)) return move;

  // A live instance takes its share of the expected count along.
  const int from_count = std::max(0, source.pool->expected_count - 1);
  const int to_count = pool->expected_count + 1;
  move.edit.Add(StateEdit::SetExpectedCount{from, source.pool->id, from_count});
  move.edit.Add(StateEdit::SetExpectedCount{to, pool->id, to_count});
  move.expected_counts = {{from, source.pool->expected_count, from_count},
                          {to, pool->expected_count, to_count}};
  // The recorded desired counts follow, so a config edited to match plans no change.
  EnvironmentSpec from_spec = source.environment->applied;
  from_spec.desired_count = std::max(0, from_spec.desired_count - 1);
  EnvironmentSpec to_spec = target_env->second.applied;
  to_spec.desired_count += 1;
  move.edit.Add(StateEdit::PutEnvironment{from_spec});
  move.edit.Add(StateEdit::PutEnvironment{to_spec});
  return move;
}

}  // namespace

Status CheckMoveAddresses(const StateAddress& source, const StateAddress& destination) {
  if (!source.IsInstance() && destination.IsInstance()) {
    return Error(ErrorKind::kInvalidInput,
                 "an environment moves to an environment address (env.NAME), not to " +
                     destination.ToString());
  }
  return Status::Ok();
}

Result<StateMove> PlanStateMove(const Config& config, const StateSnapshot& state,
                                const StateAddress& source, const StateAddress& destination) {
  if (Status addresses = CheckMoveAddresses(source, destination); !addresses.ok()) {
    return addresses.error();
  }
  Result<AddressTarget> target = FindStateAddress(state, source);
  if (!target.ok()) return target.error();
  if (source.IsInstance()) return MoveInstance(state, *target, source, destination);
  return Rename(config, state, *target->environment, destination.environment);
}

}  // namespace spotform
