// `spotform state restore --backup`: brings back the state as it was before the latest
// command's writes, from the backup every state store keeps (SQLite: STATE.backup beside the
// file; PostgreSQL: the workspace's previous serial). Takes the state's lock; the store does
// the restore in one transaction (engine/model/state_store.h, RestoreBackup).
#include <ostream>

#include "cmd/command_options.h"
#include "cmd/command_state.h"
#include "cmd/duration_flag.h"
#include "cmd/state_lock_guard.h"

namespace spotform {
namespace {

namespace po = boost::program_options;

constexpr char kRestoreSummary[] =
    "Brings back the state as it was before the latest command that wrote it (apply, destroy,\n"
    "import, refresh, state rm/mv, ...), from the backup spotform keeps: "
    ".spotform/state.db.backup\n"
    "beside an SQLite state, the previous serial of the workspace in PostgreSQL. Use it when a\n"
    "write left the state wrong or unreadable.\n"
    "\n"
    "It takes the state's lock (refused while another run holds it) and replaces every record\n"
    "in one transaction. The lineage stays; the serial becomes one above the replaced state's,\n"
    "so saved plans made from either state are refused. The replaced state becomes the backup:\n"
    "a second restore undoes the first. The cloud is not touched: run `spotform plan` next.\n"
    "Example:\n"
    "  spotform state restore --backup";

}  // namespace

int RunStateRestore(CommandContext& context) {
  CommandOptions options("spotform state restore --backup [--lock-timeout DURATION]",
                         kRestoreSummary);
  bool backup = false;
  std::string lock_timeout = "0s";
  options.Add()("backup", po::bool_switch(&backup),
                "restore the backup of the state before the latest command's writes")(
      "lock-timeout",
      po::value<std::string>(&lock_timeout)->value_name("DURATION")->default_value("0s"),
      "wait this long for another run's lock instead of failing at once");
  if (auto stop = options.Parse(context)) return *stop;
  if (!backup) {
    return Fail(context,
                "state restore: say what to restore from: `spotform state restore --backup` "
                "(the state before the latest command's writes)");
  }
  Result<std::chrono::milliseconds> wait = ParseDuration(lock_timeout);
  if (!wait.ok()) return Fail(context, "--lock-timeout: " + wait.error().message());

  std::optional<StateWorkspace> workspace = OpenStateWorkspace(context);
  if (!workspace) return kExitError;
  StateStore& store = *workspace->store;
  Result<std::optional<StateBackupInfo>> described = store.DescribeBackup();
  if (!described.ok()) return Fail(context, described.error().ToString());
  if (!described->has_value()) {
    return Fail(context, "state restore: no backup of state " + store.Name() +
                             " exists, so there is nothing to restore (one is kept by the "
                             "first write of each command once the state has been written)");
  }
  context.err << "Restoring state " << store.Name() << " to serial " << (*described)->serial
              << " from " << (*described)->where << " (taking the state lock)...\n";
  Result<std::unique_ptr<StateLockGuard>> lock =
      StateLockGuard::Acquire(store, "state restore", LockScope::WholeState(), *wait, context.err);
  if (!lock.ok()) return Fail(context, lock.error().message());
  Result<RestoreOutcome> restored = store.RestoreBackup();
  if (!restored.ok()) return Fail(context, "state restore: " + restored.error().ToString());
  context.out << "Restored serial " << restored->restored.serial << " from "
              << restored->restored.where << ".\n"
              << "State serial " << restored->replaced_serial << " -> " << restored->serial
              << " (lineage " << restored->restored.lineage
              << " kept); the replaced state is now the backup.\n"
              << "Run `spotform plan` to see how the cloud and the restored state differ.\n";
  return kExitOk;
}

}  // namespace spotform
