// `spotform force-unlock LOCK_ID`: removes a state lock its holder left behind.
#include <unistd.h>

#include <algorithm>
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
         std::to_string(lock.pid) + ") for " + lock.operation + " of " + lock.scope.Describe() +
         ", " + FormatLockAge(now - lock.created) + " ago";
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
      "Removes a state lock when the run that took it is gone (killed, or its machine\n"
      "lost) and left it behind. A state holds one lock per running command (apply, destroy,\n"
      "refresh, watch and import lock only their environments; state mv, rm, migrate and\n"
      "restore the whole state). LOCK_ID is the ID the refused command printed; only that\n"
      "lock is removed, so the locks of other runs stay; without it, the locks held are listed.\n"
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
  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(*config, context.clock);
  if (!store.ok()) return Fail(context, store.error().ToString());
  Result<std::vector<LockInfo>> current = (*store)->CurrentLocks();
  if (!current.ok()) return Fail(context, current.error().ToString());
  const Clock::WallTime now = context.clock.Now();
  if (ids.empty()) {
    // Which one? Name those there are.
    if (current->empty()) return Fail(context, "force-unlock: the state is not locked");
    std::string held;
    for (const LockInfo& lock : *current) held += "; " + Describe(lock, now);
    return Fail(context, "force-unlock: which lock? The state holds " +
                             std::string(current->size() == 1 ? "one" : "these") + held +
                             ". Give the ID of the one to remove, e.g. `spotform force-unlock " +
                             current->front().id + "`");
  }
  const std::string& id = ids.front();
  if (current->empty()) {
    return Fail(context,
                "force-unlock: the state is not locked, so there is no lock " + id + " to remove");
  }
  const auto found = std::find_if(current->begin(), current->end(),
                                  [&](const LockInfo& lock) { return lock.id == id; });
  if (found == current->end()) {
    std::string held;
    for (const LockInfo& lock : *current) held += "; " + Describe(lock, now);
    return Fail(context, "force-unlock: " + id + " is not one of the state's locks" + held +
                             ". To remove one of those, run `spotform force-unlock ID` with its "
                             "ID");
  }
  const LockInfo& holder = *found;

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
  const size_t others = current->size() - 1;
  context.out << "Removed lock " << id << " (" << holder.scope.Describe() << ").";
  if (others == 0) {
    context.out << " The state is unlocked.\n";
  } else {
    context.out << " " << (others == 1 ? "1 other lock" : std::to_string(others) + " other locks")
                << " of other runs stay" << (others == 1 ? "s" : "") << ".\n";
  }
  return kExitOk;
}

}  // namespace spotform
