// `spotform state rm ADDR...`: forgets environments without touching the cloud.
#include <ostream>
#include <set>

#include "cmd/command_options.h"
#include "cmd/command_state.h"
#include "cmd/duration_flag.h"
#include "cmd/state_lock_guard.h"
#include "engine/model/words.h"
#include "engine/plan/open_intents.h"
#include "engine/plan/state_address.h"

namespace spotform {
namespace {

namespace po = boost::program_options;

// Instances that still exist (and cost money) as far as the state knows.
std::vector<std::string> LiveIds(const Pool& pool) {
  std::vector<std::string> ids;
  for (const RecordedInstance& instance : pool.instances) {
    if (instance.id.empty() || instance.state == "GONE" || instance.state == "LAUNCH_FAILED") {
      continue;
    }
    ids.push_back(instance.id);
  }
  return ids;
}

// What keeps running in the cloud after `env` is forgotten, and how to deal with it.
void WarnWhatKeepsRunning(std::ostream& err, const RecordedEnvironment& env, const Config& config) {
  const std::string address = env.applied.Address();
  err << "Warning: spotform no longer manages " << address
      << ", but nothing in the cloud was changed.\n";
  bool anything = false;
  for (const Pool& pool : env.pools) {
    if (pool.spec.mode == Mode::kBatch && !pool.batch_env_id.empty()) {
      anything = true;
      err << "  Its Batch compute environment " << pool.batch_env_id
          << " keeps running (DesiredComputeNodeCount " << pool.expected_count << ", "
          << Plural(pool.instances.size(), "node", "nodes")
          << ") and costs money: Batch keeps refilling it.\n"
          << "  To manage it again: spotform import " << address << " " << pool.batch_env_id << "\n"
          << "  To stop paying for it: delete it in the Tencent Cloud console (Batch > "
             "Compute environments).\n";
      continue;
    }
    const std::vector<std::string> ids = LiveIds(pool);
    if (ids.empty()) continue;
    anything = true;
    err << "  " << (ids.size() == 1 ? "Its instance keeps" : "Its instances keep")
        << " running and cost money: " << ShortList(ids) << "\n"
        << "  To manage " << (ids.size() == 1 ? "it" : "them") << " again: spotform import "
        << address << " " << JoinIds(ids, " ") << "\n"
        << "  To stop paying for " << (ids.size() == 1 ? "it" : "them") << ": release "
        << (ids.size() == 1 ? "it" : "them")
        << " in the Tencent Cloud console (CVM > Instances).\n";
  }
  if (!anything) err << "  The state recorded nothing of it still running.\n";
  auto declared = config.environments.find(env.name);
  if (declared != config.environments.end()) {
    err << "  " << config.file << " still declares " << address
        << ": the next apply creates it anew (" << declared->second.desired_count
        << " new). Remove it from " << config.file << " if spotform should stop managing it.\n";
  }
}

}  // namespace

int RunStateRm(CommandContext& context) {
  CommandOptions options(
      "spotform state rm ADDR... [--lock-timeout DURATION]",
      "Forgets environments (env.NAME, with their pools and instances): removes them from\n"
      "the state in one change without touching the cloud. Their instances, or their Batch\n"
      "compute environment, KEEP RUNNING AND COST MONEY; the warning says how to adopt them\n"
      "again (`spotform import`) or release them. Use it to hand an environment over to\n"
      "another state or tool. Refused while an interrupted run's operations on it are still\n"
      "open (run `spotform apply` first).\n"
      "Single instances cannot be forgotten: spotform's owner tags on them make the next\n"
      "refresh record them again. Lower desired_count and apply to release some, or\n"
      "`spotform state mv` one to another environment.\n"
      "Examples:\n"
      "  spotform state rm env.legacy\n"
      "  spotform state rm env.a env.b --lock-timeout 2m");
  std::vector<std::string> texts;
  std::string lock_timeout = "0s";
  options.Add()("lock-timeout",
                po::value<std::string>(&lock_timeout)->value_name("DURATION")->default_value("0s"),
                "wait this long for another run's lock instead of failing at once")(
      "address", po::value<std::vector<std::string>>(&texts)->value_name("ADDR"),
      "env.NAME (repeatable)");
  options.Positional("address");
  if (auto stop = options.Parse(context)) return *stop;
  if (texts.empty()) {
    return Fail(context,
                "state rm: which environment? e.g. `spotform state rm env.legacy` "
                "(`spotform state list` lists them)");
  }
  Result<std::chrono::milliseconds> wait = ParseDuration(lock_timeout);
  if (!wait.ok()) return Fail(context, "--lock-timeout: " + wait.error().message());
  std::vector<StateAddress> addresses;
  for (const std::string& text : texts) {
    Result<StateAddress> address = ParseStateAddress(text);
    if (!address.ok()) return Fail(context, address.error().message());
    addresses.push_back(*address);
  }

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  Result<std::unique_ptr<StateLockGuard>> lock = StateLockGuard::Acquire(
      *workspace->store, "state rm", LockScope::WholeState(), *wait, context.err);
  if (!lock.ok()) return Fail(context, lock.error().message());
  Result<StateSnapshot> state = workspace->store->Load();
  if (!state.ok()) return Fail(context, state.error().ToString());

  StateEdit edit;
  std::vector<const RecordedEnvironment*> removed;
  std::set<std::string> seen;
  for (const StateAddress& address : addresses) {
    Result<AddressTarget> target = FindStateAddress(*state, address);
    if (!target.ok()) return Fail(context, target.error().message());
    if (address.IsInstance()) {
      return Fail(context,
                  address.ToString() +
                      ": state rm forgets whole environments only: spotform's owner tags on "
                      "the instance would make the next refresh record it again. Lower "
                      "desired_count and run `spotform apply` to release instances, `spotform "
                      "state mv " +
                      address.ToString() + " env.OTHER` to move one, or `spotform state rm " +
                      address.EnvironmentAddress() + "` to forget the environment");
    }
    if (!seen.insert(address.environment).second) continue;
    if (Status open = CheckNoOpenIntents(*state, address.environment); !open.ok()) {
      return Fail(context, open.error().message());
    }
    edit.Add(StateEdit::RemoveEnvironment{address.environment});
    removed.push_back(target->environment);
  }
  Result<ApplyOutcome> applied = workspace->store->Apply(edit);
  if (!applied.ok()) return Fail(context, applied.error().ToString());

  for (const RecordedEnvironment* env : removed) {
    WarnWhatKeepsRunning(context.err, *env, workspace->config);
  }
  for (const RecordedEnvironment* env : removed) {
    context.out << "Removed " << env->applied.Address() << " from the state.\n";
  }
  context.out << "State serial " << state->serial << " -> " << applied->serial << ".\n";
  return kExitOk;
}

}  // namespace spotform
