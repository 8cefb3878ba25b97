// `spotform state migrate --to URL_OR_PATH`: copies the state, with its lineage, to another
// backend (SQLite file <-> PostgreSQL workspace).
#include <filesystem>
#include <ostream>
#include <system_error>

#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/duration_flag.h"
#include "cmd/state_lock_guard.h"
#include "cmd/workspace.h"
#include "engine/config/config_checks.h"
#include "engine/model/words.h"
#include "state/open_state_store.h"

namespace spotform {
namespace {

struct Counts {
  size_t environments = 0;
  size_t pools = 0;
  size_t instances = 0;
};

Counts Count(const StateSnapshot& snapshot) {
  Counts counts;
  counts.environments = snapshot.environments.size();
  for (const auto& [name, environment] : snapshot.environments) {
    counts.pools += environment.pools.size();
    for (const Pool& pool : environment.pools) counts.instances += pool.instances.size();
  }
  return counts;
}

// The `state:` section that points a config at `settings`, as the user would write it.
std::string StateSection(const StateConfig& settings) {
  if (settings.backend == "postgres") {
    return "state:\n  backend: postgres\n  url: " + RedactUrlPassword(settings.url) +
           "\n  workspace: " + settings.workspace + "\n";
  }
  return "state:\n  path: " + settings.path + "\n";
}

}  // namespace

int RunStateMigrate(CommandContext& context) {
  CommandOptions options(
      "spotform state migrate --to URL_OR_PATH [--workspace NAME] [--lock-timeout DURATION]",
      "Copies the whole state the config names (every environment, pool, instance and open\n"
      "intent, with its lineage and serial) to another backend: a PostgreSQL database\n"
      "(postgresql://[USER@]HOST[:PORT]/DATABASE; the password from ~/.pgpass or PGPASSWORD,\n"
      "never on the command line) or an SQLite file (a path, relative to the config's folder).\n"
      "The destination must be new: a workspace or file that was never written. The source's\n"
      "lock is held during the copy and the source is left as it is; afterwards, point\n"
      "spotform.yaml's `state:` at the destination (the command prints the lines).\n"
      "Examples:\n"
      "  spotform state migrate --to postgresql://spotform@db.internal/spotform\n"
      "  spotform state migrate --to postgresql://spotform@db.internal/spotform --workspace prod\n"
      "  spotform state migrate --to .spotform/state.db");
  std::string to;
  std::string workspace;
  std::string lock_timeout = "0s";
  options.Add()("to", boost::program_options::value<std::string>(&to)->value_name("URL_OR_PATH"),
                "where to copy the state: a PostgreSQL URL or an SQLite file")(
      "workspace", boost::program_options::value<std::string>(&workspace)->value_name("NAME"),
      "the destination's workspace (PostgreSQL); default: the config's state.workspace")(
      "lock-timeout",
      boost::program_options::value<std::string>(&lock_timeout)->value_name("DURATION"),
      "how long to wait for the source's lock (default 0s: fail at once)");
  if (auto stop = options.Parse(context)) return *stop;
  if (to.empty()) {
    return Fail(context,
                "state migrate: where to? Give --to postgresql://[USER@]HOST/DATABASE "
                "or --to PATH/TO/state.db");
  }
  if (UrlHasPassword(to)) {
    return Fail(context,
                "state migrate: --to holds a password, which would show in the process "
                "list and shell history; remove it and put the password in ~/.pgpass "
                "or PGPASSWORD");
  }
  Result<std::chrono::milliseconds> wait = ParseDuration(lock_timeout);
  if (!wait.ok()) return Fail(context, "state migrate: --lock-timeout: " + wait.error().message());

  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  if (workspace.empty()) workspace = config->state.workspace;
  if (Status valid = CheckWorkspace(workspace); !valid.ok()) {
    return Fail(context, "state migrate: --workspace: " + valid.error().message());
  }
  std::filesystem::path config_folder = std::filesystem::path(config->file).parent_path();
  if (config_folder.empty()) config_folder = ".";
  std::error_code error;
  const std::filesystem::path absolute_folder = std::filesystem::absolute(config_folder, error);
  const std::string folder = (error ? config_folder : absolute_folder).string();
  const StateConfig destination_settings = StateSettingsFor(to, workspace, folder);
  if (destination_settings.backend == "postgres") {
    if (Status valid = CheckStateUrl(to); !valid.ok()) {
      return Fail(context, "state migrate: --to: " + valid.error().message());
    }
  }

  Result<std::unique_ptr<StateStore>> source = OpenStateStore(*config, context.clock);
  if (!source.ok()) return Fail(context, source.error().ToString());
  Result<std::unique_ptr<StateStore>> destination =
      OpenStateStore(destination_settings, context.clock);
  if (!destination.ok()) return Fail(context, destination.error().ToString());
  if ((*source)->Name() == (*destination)->Name()) {
    return Fail(context, "state migrate: --to names the state the config already uses (" +
                             (*source)->Name() + "); give another database, workspace or file");
  }

  // The source's lock keeps writers out while it is read; the destination's, while it is
  // written.
  Result<std::unique_ptr<StateLockGuard>> source_lock =
      StateLockGuard::Acquire(**source, "migrate", LockScope::WholeState(), *wait, context.err);
  if (!source_lock.ok()) return Fail(context, source_lock.error().ToString());
  Result<std::unique_ptr<StateLockGuard>> destination_lock = StateLockGuard::Acquire(
      **destination, "migrate", LockScope::WholeState(), std::chrono::milliseconds(0), context.err);
  if (!destination_lock.ok()) return Fail(context, destination_lock.error().ToString());

  Result<StateSnapshot> snapshot = (*source)->Load();
  if (!snapshot.ok()) return Fail(context, snapshot.error().ToString());
  if (Status imported = (*destination)->Import(*snapshot); !imported.ok()) {
    return Fail(context, "state migrate: " + imported.error().message());
  }
  // Read back, so that what is reported is what the destination holds.
  Result<StateSnapshot> copied = (*destination)->Load();
  if (!copied.ok()) return Fail(context, copied.error().ToString());
  const Counts counts = Count(*copied);
  if (copied->lineage != snapshot->lineage || copied->serial != snapshot->serial ||
      counts.instances != Count(*snapshot).instances ||
      copied->open_intents.size() != snapshot->open_intents.size()) {
    return Fail(context, "state migrate: the copy in " + (*destination)->Name() +
                             " does not match the source; do not switch to it");
  }
  context.out << "Copied state " << (*source)->Name() << " to " << (*destination)->Name()
              << ":\n  lineage " << copied->lineage << ", serial " << copied->serial << "; "
              << Plural(counts.environments, "environment", "environments") << ", "
              << Plural(counts.pools, "pool", "pools") << ", "
              << Plural(counts.instances, "instance", "instances") << ", "
              << Plural(copied->open_intents.size(), "open intent", "open intents") << ".\n\n"
              << "To use it, set the state section of " << config->file << " to:\n\n"
              << StateSection(destination_settings)
              << "\nThe source is left as it was; once everyone uses the new state, remove the "
                 "old one so nobody applies from it.\n";
  return kExitOk;
}

}  // namespace spotform
