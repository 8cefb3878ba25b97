// `spotform force-unlock LOCK_ID`: removes a state lock its holder left behind.
#include <unistd.h>

#include <iostream>

#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/state_lock_guard.h"
#include "cmd/workspace.h"
#include "state/lock_message.h"

namespace spotform {
namespace {

std::string Describe(const LockInfo& lock, Clock::WallTime now) {
  return "lock " + lock.id + ": held by " + lock.user + "@" + lock.host + " (pid " +
         std::to_string(lock.pid) + ") for " + lock.operation + ", " +
         FormatLockAge(now - lock.created) + " ago";
}

// Asks for `yes` on stdin; false for any other answer.
bool Confirmed(CommandContext& context) {
  context.out << "Do you really want to remove this lock? Only 'yes' will be accepted: "
              << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

}  // namespace

int RunForceUnlock(CommandContext& context) {
  CommandOptions options(
      "spotform force-unlock LOCK_ID [--force]",
      "Removes the state's lock when the run that took it is gone (killed, or its machine\n"
      "lost) and left it behind. LOCK_ID is the ID the refused command printed; it must be\n"
      "the current lock's, so a newer run's lock is never removed by mistake.\n"
      "When the holder may still be running (a process of this host with its pid runs, or\n"
      "it was taken on another host), it asks for `yes` first; --force skips the question\n"
      "(and is needed when stdin is not a terminal). Removing a live run's lock lets two\n"
      "runs write at once: stop that run first if you can.\n"
      "Examples:\n"
      "  spotform force-unlock 3f9c1a7e2b6d4c08\n"
      "  spotform force-unlock 3f9c1a7e2b6d4c08 --force");
  std::vector<std::string> ids;
  bool force = false;
  options.Add()("force", boost::program_options::bool_switch(&force),
                "remove the lock without asking, even when its holder looks alive")(
      "lock-id", boost::program_options::value<std::vector<std::string>>(&ids), "the lock ID");
  options.Positional("lock-id", 1);
  if (auto stop = options.Parse(context)) return *stop;
  if (ids.empty()) {
    return Fail(context,
                "force-unlock: which lock? Give the lock ID the refused command "
                "printed, e.g. `spotform force-unlock 3f9c1a7e2b6d4c08`");
  }
  const std::string& id = ids.front();

  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(*config, context.clock);
  if (!store.ok()) return Fail(context, store.error().ToString());
  Result<std::optional<LockInfo>> current = (*store)->CurrentLock();
  if (!current.ok()) return Fail(context, current.error().ToString());
  if (!current->has_value()) {
    return Fail(context,
                "force-unlock: the state is not locked, so there is no lock " + id + " to remove");
  }
  const LockInfo& holder = **current;
  const Clock::WallTime now = context.clock.Now();
  if (holder.id != id) {
    return Fail(context, "force-unlock: " + id + " is not the state's lock; the current " +
                             Describe(holder, now) +
                             ". If that is the one to remove, run `spotform force-unlock " +
                             holder.id + "`");
  }

  context.err << "The state's " << Describe(holder, now) << ".\n";
  switch (CheckLockHolder(holder)) {
    case LockHolderStatus::kGoneHere:
      context.err << "pid " << holder.pid << " no longer runs on this host: the lock is stale.\n";
      break;
    case LockHolderStatus::kRunningHere:
      context.err << "Warning: pid " << holder.pid << " still runs on this host: that "
                  << holder.operation
                  << " may be writing the state right now. Removing its lock lets another run "
                     "write at the same time, which can leave instances unrecorded or released "
                     "twice. Stop it first if you can.\n";
      break;
    case LockHolderStatus::kOtherHost:
      context.err << "Warning: the lock was taken on " << holder.host
                  << "; spotform cannot tell from here whether pid " << holder.pid
                  << " still runs. Make sure it has stopped: two runs writing at once can "
                     "leave instances unrecorded or released twice.\n";
      break;
  }
  if (CheckLockHolder(holder) != LockHolderStatus::kGoneHere && !force) {
    if (isatty(STDIN_FILENO) != 1) {
      return Fail(context,
                  "force-unlock: refusing to remove a lock whose holder may still run "
                  "without confirmation, and stdin is not a terminal; pass --force "
                  "if you are sure");
    }
    if (!Confirmed(context)) {
      context.out << "Force-unlock cancelled; the lock stays.\n";
      return kExitError;
    }
  }
  if (Status removed = (*store)->ForceUnlock(id); !removed.ok()) {
    return Fail(context, "force-unlock: " + removed.error().message());
  }
  context.out << "Removed lock " << id << ". The state is unlocked.\n";
  return kExitOk;
}

}  // namespace spotform
