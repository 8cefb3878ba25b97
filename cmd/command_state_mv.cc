// `spotform state mv SRC DST`: renames an environment, or moves an instance to another
// environment's pool of the same shape. One state change; the cloud is not touched.
#include <ostream>

#include "cmd/command_options.h"
#include "cmd/command_state.h"
#include "cmd/duration_flag.h"
#include "cmd/state_lock_guard.h"
#include "engine/plan/state_address.h"

namespace spotform {
namespace {

namespace po = boost::program_options;

bool IsLive(const RecordedInstance& instance) {
  return instance.state != "GONE" && instance.state != "LAUNCH_FAILED";
}

// The first capacity field in which `a` and `b` differ, or "" when they have one shape.
std::string ShapeDifference(const EnvironmentSpec& a, const EnvironmentSpec& b) {
  if (a.mode != b.mode) {
    return "mode " + std::string(ModeName(a.mode)) + " vs " + std::string(ModeName(b.mode));
  }
  if (a.zone != b.zone) return "zone " + a.zone + " vs " + b.zone;
  if (a.instance_type != b.instance_type) {
    return "instance_type " + a.instance_type + " vs " + b.instance_type;
  }
  if (a.image_id != b.image_id) return "image_id " + a.image_id + " vs " + b.image_id;
  if (!SamePrice(a.max_price, b.max_price))
    return "max_price " + a.max_price + " vs " + b.max_price;
  return "";
}

// The edit renaming environment `from` to `to`: the environment, its pools and instances
// are written under the new name and the old one removed, in one change.
StateEdit RenameEdit(const RecordedEnvironment& from, const std::string& to) {
  StateEdit edit;
  edit.Add(StateEdit::RemoveEnvironment{from.name});
  EnvironmentSpec applied = from.applied;
  applied.name = to;
  edit.Add(StateEdit::PutEnvironment{applied});
  for (Pool pool : from.pools) {
    pool.spec.name = to;
    edit.Add(StateEdit::PutPool{to, std::move(pool)});
  }
  return edit;
}

// Renames env.SRC to env.DST; prints what it did. Returns the exit code.
int RenameEnvironment(CommandContext& context, StateWorkspace& workspace,
                      const StateSnapshot& state, const AddressTarget& source,
                      const StateAddress& destination) {
  const std::string& from = source.environment->name;
  if (destination.environment == from) {
    return Fail(context, "state mv: env." + from + " is already called that; nothing to do");
  }
  if (state.environments.count(destination.environment) > 0) {
    return Fail(context, "state mv: " + destination.ToString() +
                             " is already in the state; mv does not merge environments "
                             "(`spotform state rm " +
                             destination.ToString() + "` first if it should go)");
  }
  Result<ApplyOutcome> applied =
      workspace.store->Apply(RenameEdit(*source.environment, destination.environment));
  if (!applied.ok()) return Fail(context, applied.error().ToString());
  context.out << "Moved env." << from << " to " << destination.ToString() << ".\n"
              << "State serial " << state.serial << " -> " << applied->serial << ".\n";
  const Config& config = workspace.config;
  if (config.environments.count(destination.environment) == 0) {
    context.err << "Note: " << config.file << " does not declare " << destination.ToString()
                << (config.environments.count(from) > 0 ? " but still declares env." + from
                                                        : std::string())
                << ": rename it there too, or the next plan "
                << (config.environments.count(from) > 0 ? "creates env." + from + " anew and "
                                                        : std::string())
                << "destroys " << destination.ToString() << ".\n";
  }
  return kExitOk;
}

// The pool of `env` that an instance moves into: the one with the applied shape (not one
// being retired by a replacement).
const Pool* CurrentPool(const RecordedEnvironment& env) {
  for (const Pool& pool : env.pools) {
    if (SameCapacityShape(pool.spec, env.applied)) return &pool;
  }
  return nullptr;
}

// Moves one cvm instance into env.DST's current pool; its share of the expected count goes
// with it. Returns the exit code.
int MoveInstance(CommandContext& context, StateWorkspace& workspace, const StateSnapshot& state,
                 const AddressTarget& source, const StateAddress& source_address,
                 const StateAddress& destination) {
  const RecordedInstance& instance = *source.instance;
  const std::string what = source_address.ToString();
  if (source.pool->spec.mode == Mode::kBatch) {
    return Fail(context, "state mv: " + what +
                             " is a node of a Batch compute environment, which keeps it; "
                             "Batch nodes cannot move to another environment");
  }
  if (destination.IsInstance() && destination.instance != source_address.instance) {
    return Fail(context, "state mv: an instance keeps its id: move " + what + " to env." +
                             destination.environment + " (or env." + destination.environment + "." +
                             source_address.instance + ")");
  }
  if (destination.environment == source.environment->name) {
    return Fail(context, "state mv: " + what + " is already in env." + destination.environment);
  }
  auto target_env = state.environments.find(destination.environment);
  if (target_env == state.environments.end()) {
    Result<AddressTarget> missing = FindStateAddress(
        state, StateAddress{.environment = destination.environment, .instance = ""});
    return Fail(context, "state mv: " + missing.error().message() +
                             " (an instance moves into an environment that is recorded)");
  }
  const Pool* pool = CurrentPool(target_env->second);
  if (pool == nullptr) {
    return Fail(context, "state mv: env." + destination.environment +
                             " has no pool of its applied shape to move " + what +
                             " into; run `spotform apply` first");
  }
  const std::string difference = ShapeDifference(source.pool->spec, pool->spec);
  if (!difference.empty()) {
    return Fail(context, "state mv: " + what + " does not fit env." + destination.environment +
                             ": " + difference +
                             "; an instance moves only between environments of one shape");
  }
  const int share = IsLive(instance) ? 1 : 0;
  StateEdit edit;
  edit.Add(StateEdit::RemoveInstances{source.environment->name, source.pool->id, {instance.id}});
  edit.Add(StateEdit::PutInstances{destination.environment, pool->id, {instance}});
  if (share > 0) {
    edit.Add(StateEdit::SetExpectedCount{source.environment->name, source.pool->id,
                                         std::max(0, source.pool->expected_count - share)});
    edit.Add(StateEdit::SetExpectedCount{destination.environment, pool->id,
                                         pool->expected_count + share});
    // The recorded desired counts follow, so a config edited to match plans no change.
    EnvironmentSpec from = source.environment->applied;
    from.desired_count = std::max(0, from.desired_count - share);
    EnvironmentSpec to = target_env->second.applied;
    to.desired_count += share;
    edit.Add(StateEdit::PutEnvironment{from});
    edit.Add(StateEdit::PutEnvironment{to});
  }
  Result<ApplyOutcome> applied = workspace.store->Apply(edit);
  if (!applied.ok()) return Fail(context, applied.error().ToString());
  context.out << "Moved " << what << " to env." << destination.environment << "." << instance.id
              << ".\n";
  if (share > 0) {
    context.out << "Expected counts: env." << source.environment->name << " "
                << source.pool->expected_count << " -> "
                << std::max(0, source.pool->expected_count - share) << ", env."
                << destination.environment << " " << pool->expected_count << " -> "
                << pool->expected_count + share << ".\n";
  }
  context.out << "State serial " << state.serial << " -> " << applied->serial << ".\n";
  return kExitOk;
}

}  // namespace

int RunStateMv(CommandContext& context) {
  CommandOptions options(
      "spotform state mv SRC DST [--lock-timeout DURATION]",
      "Moves something recorded in the state to another address, in one change, without\n"
      "touching the cloud:\n"
      "  env.OLD -> env.NEW       renames an environment (env.NEW must not be recorded);\n"
      "                           rename it in spotform.yaml too, or the next plan replaces\n"
      "                           it. Its instances keep their owner tags; refresh still\n"
      "                           finds them by id.\n"
      "  env.A.ins-... -> env.B   moves a cvm instance into env.B's pool; both must have one\n"
      "                           shape (mode, zone, instance_type, image_id, max_price).\n"
      "                           A live instance takes one of the expected count with it.\n"
      "Refused while an interrupted run's operations on either environment are still open\n"
      "(run `spotform apply` first).\n"
      "Examples:\n"
      "  spotform state mv env.render env.render-eu\n"
      "  spotform state mv env.render.ins-1a2b3c4d env.preview");
  std::vector<std::string> texts;
  std::string lock_timeout = "0s";
  options.Add()("lock-timeout",
                po::value<std::string>(&lock_timeout)->value_name("DURATION")->default_value("0s"),
                "wait this long for another run's lock instead of failing at once")(
      "address", po::value<std::vector<std::string>>(&texts)->value_name("ADDR"), "SRC and DST");
  options.Positional("address");
  if (auto stop = options.Parse(context)) return *stop;
  if (texts.size() != 2) {
    return Fail(context,
                "state mv takes two addresses, SRC and DST, e.g. `spotform state mv "
                "env.render env.render-eu`");
  }
  Result<std::chrono::milliseconds> wait = ParseDuration(lock_timeout);
  if (!wait.ok()) return Fail(context, "--lock-timeout: " + wait.error().message());
  Result<StateAddress> source = ParseStateAddress(texts[0]);
  if (!source.ok()) return Fail(context, source.error().message());
  Result<StateAddress> destination = ParseStateAddress(texts[1]);
  if (!destination.ok()) return Fail(context, destination.error().message());
  if (!source->IsInstance() && destination->IsInstance()) {
    return Fail(context,
                "state mv: an environment moves to an environment address (env.NAME), "
                "not to " +
                    destination->ToString());
  }

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  Result<std::unique_ptr<StateLockGuard>> lock =
      StateLockGuard::Acquire(*workspace->store, "state mv", *wait, context.err);
  if (!lock.ok()) return Fail(context, lock.error().message());
  Result<StateSnapshot> state = workspace->store->Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  Result<AddressTarget> target = FindStateAddress(*state, *source);
  if (!target.ok()) return Fail(context, "state mv: " + target.error().message());
  for (const std::string& env : {source->environment, destination->environment}) {
    if (Status open = CheckNoOpenIntents(*state, env); !open.ok()) {
      return Fail(context, "state mv: " + open.error().message());
    }
  }
  if (source->IsInstance()) {
    return MoveInstance(context, *workspace, *state, *target, *source, *destination);
  }
  return RenameEnvironment(context, *workspace, *state, *target, *destination);
}

}  // namespace spotform
