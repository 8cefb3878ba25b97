// `spotform import`: flags, the workspace it holds open, and printing. What may be adopted,
// and the words for it, are engine/import's.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/duration_flag.h"
#include "cmd/import_report.h"
#include "cmd/state_lock_guard.h"
#include "cmd/workspace.h"
#include "engine/import/adopt_discovered.h"
#include "engine/import/import_cloud.h"
#include "engine/import/import_config.h"
#include "engine/import/import_request.h"
#include "engine/import/import_text.h"

namespace spotform {
namespace {

namespace po = boost::program_options;

constexpr char kUsage[] =
    "spotform import env.NAME ins-... [ins-...]   |   spotform import env.NAME env-...\n"
    "       spotform import --discover [--tag KEY=VALUE]... [--zone ZONE] --generate-config FILE";

constexpr char kSummary[] =
    "Adopts spot capacity that already runs into the state, so spotform manages it like\n"
    "capacity it launched. Only the state changes: nothing is launched, released or tagged.\n"
    "\n"
    "  env.NAME ins-...  cvm environments: each instance must exist, be SPOTPAID, pending or\n"
    "                    running, and be in the zone and instance type env.NAME declares\n"
    "                    (--force adopts a mismatch anyway). A new environment expects\n"
    "                    what was adopted (the next plan shows no changes when the config\n"
    "                    declares as many); a recorded one keeps its expected count.\n"
    "  env.NAME env-...  batch environments: adopts the Batch compute environment with its\n"
    "                    nodes. Batch keeps DesiredComputeNodeCount, so that becomes the\n"
    "                    recorded expected count; the next plan shows any difference with\n"
    "                    desired_count.\n"
    "  --discover        finds spot instances and Batch environments no state manages\n"
    "                    (optionally with every --tag and in --zone), groups instances by\n"
    "                    zone, type and image, writes FILE (a complete config to review and\n"
    "                    commit; an existing FILE keeps every line and gets the new\n"
    "                    environments appended) and adopts everything in one transaction: a\n"
    "                    plan with FILE right after shows no changes.\n"
    "\n"
    "The API does not report an instance's bid: imports record the declared max_price, so an\n"
    "adopted instance is never replaced because of it (--discover proposes the current spot\n"
    "price rounded up, marked `review`). Import is all-or-nothing (any problem leaves the\n"
    "state as it was) and idempotent (ids already imported are skipped).\n"
    "Examples:\n"
    "  spotform import env.render ins-2f9k3xq1 ins-8d0m1b2c\n"
    "  spotform import env.farm env-4bz2kw1q\n"
    "  spotform import --discover --tag team=vfx --zone ap-guangzhou-3 \\\n"
    "      --generate-config adopted.yaml";

// Everything an import run holds open: config, state store, its lock, the cloud.
struct ImportWorkspace {
  Config config;
  std::unique_ptr<StateStore> store;
  std::unique_ptr<StateLockGuard> lock;
  std::unique_ptr<CloudConnection> cloud;
  StateSnapshot state;
};

// `scope`: the environment imported into; a discovery adds environments it names itself,
// and so locks the whole state.
Result<ImportWorkspace> OpenWorkspace(CommandContext& context, Config config,
                                      std::chrono::milliseconds lock_wait, const LockScope& scope) {
  ImportWorkspace workspace;
  workspace.config = std::move(config);
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(workspace.config, context.clock);
  if (!store.ok()) return store.error();
  workspace.store = std::move(store.value());
  Result<std::unique_ptr<StateLockGuard>> lock =
      StateLockGuard::Acquire(*workspace.store, "import", scope, lock_wait, context.err);
  if (!lock.ok()) return lock.error();
  workspace.lock = std::move(lock.value());
  Result<StateSnapshot> state = workspace.store->Load();
  if (!state.ok()) return state.error();
  workspace.state = std::move(state.value());
  Result<std::unique_ptr<CloudConnection>> cloud = CloudConnection::Open(workspace.config, context);
  if (!cloud.ok()) return cloud.error();
  workspace.cloud = std::move(cloud.value());
  return workspace;
}

int ImportIds(CommandContext& context, Config config, const std::string& address,
              const std::vector<std::string>& ids, bool force,
              std::chrono::milliseconds lock_wait) {
  Result<ImportRequest> request = ParseImportRequest(config, address, ids);
  if (!request.ok()) return Fail(context, request.error().message());
  Result<ImportWorkspace> workspace = OpenWorkspace(context, std::move(config), lock_wait,
                                                    LockScope::Environments({request->spec.name}));
  if (!workspace.ok()) return Fail(context, workspace.error().ToString());
  ImportOptions options{workspace->config.provider.region, force};
  Cloud& cloud = workspace->cloud->cloud();
  Result<ImportOutcome> outcome =
      request->batch
          ? ImportComputeEnv(cloud, request->spec, workspace->state, request->ids.front(), options)
          : ImportInstances(cloud, request->spec, workspace->state, request->ids, options);
  if (!outcome.ok()) return FailImport(context, outcome.error());
  if (!outcome->edit.empty()) {
    Result<ApplyOutcome> applied = workspace->store->Apply(outcome->edit);
    if (!applied.ok()) return FailImport(context, applied.error());
  }
  PrintNotes(context.err, outcome->notes);
  PrintLines(context.out, ImportedLines(*outcome, request->spec, request->batch));
  return kExitOk;
}

// Replaces `path` with `text` atomically: a temporary file beside it (mode `mode`), synced,
// then renamed over it, so a reader sees the old file or the new one, never half of one. A
// symbolic link is followed: its target is replaced.
Status WriteFileAtomically(const std::string& path, const std::string& text, mode_t mode) {
  std::error_code ignored;
  const std::filesystem::path target = std::filesystem::is_symlink(path, ignored)
                                           ? std::filesystem::canonical(path, ignored)
                                           : std::filesystem::path(path);
  std::string temp = target.string() + ".spotform-XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    return Error(ErrorKind::kInvalidInput, path + ": cannot write beside it (" +
                                               std::generic_category().message(errno) + ")");
  }
  bool ok = fchmod(fd, mode) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  const int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(temp.c_str(), target.c_str()) == 0) return Status::Ok();
  const std::string why = std::generic_category().message(ok ? errno : saved);
  ::unlink(temp.c_str());
  return Error(ErrorKind::kInvalidInput, path + ": cannot write (" + why + ")");
}

// True when `a` and `b` name the same existing file.
bool SameFile(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::equivalent(a, b, error) && !error;
}

// What the terminal must say after a discovery: which config would release the adoption.
void WarnAboutReleases(CommandContext& context, const Config& config, const std::string& file,
                       size_t adopted) {
  const std::string what = adopted == 1
                               ? "the adopted environment"
                               : "the " + std::to_string(adopted) + " adopted environments";
  if (SameFile(config.file, file)) {
    context.err << "warning: " << file << " now declares " << what
                << "; commit it: a plan or apply with an older copy of " << file
                << " (e.g. the committed one) would release the adopted capacity\n";
    return;
  }
  context.err << "warning: " << config.file << " does not declare " << what
              << ": until it is replaced by " << file
              << " (or the new environments are copied into it), a plan or apply with "
              << config.file << " would release the adopted capacity\n";
}

int Discover(CommandContext& context, Config config, const DiscoveryFilter& filter,
             const std::string& file, std::chrono::milliseconds lock_wait) {
  // An existing FILE is appended to, as written; its text and mode are read first.
  std::optional<std::string> original;
  mode_t mode = 0644;
  if (std::filesystem::exists(file)) {
    struct stat info {};
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || ::stat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
      return Fail(context, "import --discover: " + file +
                               " cannot be read as a config file to append to; name a new file "
                               "for the generated config");
    }
    original = text.str();
    mode = info.st_mode & 07777;
  }
  Result<ImportWorkspace> workspace =
      OpenWorkspace(context, std::move(config), lock_wait, LockScope::WholeState());
  if (!workspace.ok()) return Fail(context, workspace.error().ToString());
  context.err << "Looking for unmanaged spot capacity in " << workspace->config.provider.region
              << "...\n";
  Result<DiscoveryResult> found =
      DiscoverAndPrice(workspace->cloud->cloud(), workspace->state, filter,
                       NamesInUse(workspace->config, workspace->state));
  if (!found.ok()) return FailImport(context, found.error());
  PrintNotes(context.err, found->notes);
  if (found->environments.empty()) {
    context.out << NothingDiscoveredLine(file) << "\n";
    return kExitOk;
  }

  // The file is written first and put back as it was if the state cannot record what it says.
  Result<std::string> text =
      original.has_value() ? AppendedDiscoveredConfigText(*original, found->environments, file,
                                                          context.clock.Now(), context.env)
                           : DiscoveredConfigText(workspace->config, found->environments, file,
                                                  context.clock.Now(), context.env);
  if (!text.ok()) return FailImport(context, text.error());
  Status written = WriteFileAtomically(file, *text, mode);
  if (!written.ok()) return FailImport(context, written.error());
  Result<ApplyOutcome> applied =
      workspace->store->Apply(AdoptDiscovered(found->environments, workspace->state));
  if (!applied.ok()) {
    std::error_code ignored;
    if (original.has_value()) {
      (void)WriteFileAtomically(file, *original, mode);
    } else {
      std::filesystem::remove(file, ignored);
    }
    return FailImport(context, applied.error());
  }
  PrintLines(context.out, DiscoveredLines(found->environments, file));
  WarnAboutReleases(context, workspace->config, file, found->environments.size());
  return kExitOk;
}

}  // namespace

int RunImport(CommandContext& context) {
  CommandOptions options(kUsage, kSummary);
  std::vector<std::string> args;
  bool force = false;
  bool discover = false;
  std::vector<std::string> tags;
  std::string zone;
  std::string generate_config;
  std::string lock_timeout = "0s";
  // clang-format off
  options.Add()
      ("force", po::bool_switch(&force),
       "adopt instances whose zone or instance type differ from the config")
      ("discover", po::bool_switch(&discover),
       "find unmanaged spot capacity instead of naming it (needs --generate-config)")
      ("tag", po::value<std::vector<std::string>>(&tags)->value_name("KEY=VALUE"),
       "--discover: only resources carrying this tag (repeatable)")
      ("zone", po::value<std::string>(&zone)->value_name("ZONE"),
       "--discover: only resources in this zone")
      ("generate-config", po::value<std::string>(&generate_config)->value_name("FILE"),
       "--discover: write the config for the adopted capacity here (an existing "
       "config is appended to)")
      ("lock-timeout",
       po::value<std::string>(&lock_timeout)->value_name("DURATION")->default_value("0s"),
       "wait this long for another run's lock instead of failing at once")
      ("ids", po::value<std::vector<std::string>>(&args)->value_name("env.NAME ID"),
       "the environment, then the ins-... ids or one env-... id (positional)");
  // clang-format on
  options.Positional("ids");
  options.LogsApiCalls();
  if (auto stop = options.Parse(context)) return *stop;

  Result<std::chrono::milliseconds> lock_wait = ParseDuration(lock_timeout);
  if (!lock_wait.ok()) return Fail(context, "--lock-timeout: " + lock_wait.error().message());
  if (discover) {
    if (!args.empty()) {
      return Fail(context,
                  "import --discover takes no env.NAME or ids; filter with --tag and "
                  "--zone");
    }
    if (generate_config.empty()) {
      return Fail(context,
                  "import --discover needs --generate-config FILE: the config for "
                  "what it adopts is written there for review");
    }
  } else {
    if (!generate_config.empty() || !tags.empty() || !zone.empty()) {
      return Fail(context, "import: --generate-config, --tag and --zone go with --discover");
    }
    if (args.empty()) {
      return Fail(context,
                  "import: give env.NAME and the ids to adopt, or --discover; see "
                  "`spotform import --help`");
    }
  }
  Result<DiscoveryFilter> filter = ParseDiscoveryFilter(tags, zone);
  if (!filter.ok()) return Fail(context, filter.error().message());

  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  if (discover) return Discover(context, std::move(*config), *filter, generate_config, *lock_wait);
  return ImportIds(context, std::move(*config), args.front(),
                   std::vector<std::string>(args.begin() + 1, args.end()), force, *lock_wait);
}

}  // namespace spotform
