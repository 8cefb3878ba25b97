// `spotform state mv SRC DST`: renames an environment, or moves an instance to another
// environment's pool of the same shape. One state change; the cloud is not touched. The rules
// are engine/plan/state_move.h's; this file parses, locks, applies and prints.
#include <ostream>

#include "cmd/command_options.h"
#include "cmd/command_state.h"
#include "cmd/duration_flag.h"
#include "cmd/state_lock_guard.h"
#include "engine/plan/open_intents.h"
#include "engine/plan/state_address.h"
#include "engine/plan/state_move.h"

namespace spotform {
namespace {

namespace po = boost::program_options;

// What the move did, on stdout; a note on what to do next on stderr.
void PrintMove(CommandContext& context, const StateMove& move, int64_t serial_before,
               int64_t serial_after) {
  context.out << "Moved " << move.from << " to " << move.to << ".\n";
  if (!move.expected_counts.empty()) {
    context.out << "Expected counts: ";
    for (size_t i = 0; i < move.expected_counts.size(); ++i) {
      const StateMove::CountChange& count = move.expected_counts[i];
      context.out << (i == 0 ? "" : ", ") << "env." << count.environment << " " << count.before
                  << " -> " << count.after;
    }
    context.out << ".\n";
  }
  context.out << "State serial " << serial_before << " -> " << serial_after << ".\n";
  if (!move.note.empty()) context.err << "Note: " << move.note << "\n";
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
      "                           A live instance takes one of the expected count with it\n"
      "                           (one that is terminating or failed moves alone).\n"
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
  if (Status addresses = CheckMoveAddresses(*source, *destination); !addresses.ok()) {
    return Fail(context, "state mv: " + addresses.error().message());
  }

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  Result<std::unique_ptr<StateLockGuard>> lock = StateLockGuard::Acquire(
      *workspace->store, "state mv", LockScope::WholeState(), *wait, context.err);
  if (!lock.ok()) return Fail(context, lock.error().message());
  Result<StateSnapshot> state = workspace->store->Load();
  if (!state.ok()) return Fail(context, state.error().ToString());
  for (const std::string& env : {source->environment, destination->environment}) {
    if (Status open = CheckNoOpenIntents(*state, env); !open.ok()) {
      return Fail(context, "state mv: " + open.error().message());
    }
  }
  Result<StateMove> move = PlanStateMove(workspace->config, *state, *source, *destination);
  if (!move.ok()) return Fail(context, "state mv: " + move.error().message());
  Result<ApplyOutcome> applied = workspace->store->Apply(move->edit);
  if (!applied.ok()) return Fail(context, applied.error().ToString());
  PrintMove(context, *move, state->serial, applied->serial);
  return kExitOk;
}

}  // namespace spotform
