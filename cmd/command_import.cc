#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/duration_flag.h"
#include "cmd/state_lock_guard.h"
#include "cmd/workspace.h"
#include "engine/config/config_writer.h"
#include "engine/model/did_you_mean.h"
#include "engine/import/import_cloud.h"
#include "engine/import/import_config.h"

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
    "                    (--force adopts a mismatch anyway). The expected count is not\n"
    "                    changed: the next plan shows what apply would do to reach\n"
    "                    desired_count (e.g. `desired 0 -> 2` with no launch).\n"
    "  env.NAME env-...  batch environments: adopts the Batch compute environment with its\n"
    "                    nodes. Batch keeps DesiredComputeNodeCount, so that becomes the\n"
    "                    recorded expected count; the next plan shows any difference with\n"
    "                    desired_count.\n"
    "  --discover        finds spot instances and Batch environments no state manages\n"
    "                    (optionally with every --tag and in --zone), groups instances by\n"
    "                    zone, type and image, writes FILE (a complete config to review and\n"
    "                    commit) and adopts everything in one transaction: a plan with FILE\n"
    "                    right after shows no changes.\n"
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

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// Prints an error made of one problem per line, then says nothing changed.
int FailImport(CommandContext& context, const Error& error) {
  std::string message = error.ToString();
  size_t start = 0;
  while (start <= message.size()) {
    const size_t end = message.find('\n', start);
    context.err << "spotform: " << message.substr(start, end - start) << "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  context.err << "spotform: nothing was imported; the state is unchanged\n";
  return kExitError;
}

// The environment `address` names in the config, or an error with a did-you-mean hint.
Result<EnvironmentSpec> DeclaredEnvironment(const Config& config, const std::string& address) {
  if (address.rfind("env.", 0) != 0) {
    return Error(ErrorKind::kInvalidInput,
                 "import: `" + address + "` is not an address; give env.NAME first, then ids");
  }
  const std::string name = address.substr(4);
  auto it = config.environments.find(name);
  if (it != config.environments.end()) return it->second;
  std::vector<std::string_view> names;
  for (const auto& [declared, spec] : config.environments) names.push_back(declared);
  std::optional<std::string> closest = ClosestName(name, names);
  return Error(ErrorKind::kInvalidInput,
               "import: " + address + " is not declared in " + config.file +
                   (closest ? "; did you mean env." + *closest + "?"
                            : "; declare it there first (import adopts into a declared "
                              "environment), or use --discover"));
}

// Everything an import run holds open: config, state store, its lock, the cloud.
struct ImportWorkspace {
  Config config;
  std::unique_ptr<StateStore> store;
  std::unique_ptr<StateLockGuard> lock;
  std::unique_ptr<CloudConnection> cloud;
  StateSnapshot state;
};

Result<ImportWorkspace> OpenWorkspace(CommandContext& context, Config config,
                                      std::chrono::milliseconds lock_wait) {
  ImportWorkspace workspace;
  workspace.config = std::move(config);
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(workspace.config, context.clock);
  if (!store.ok()) return store.error();
  workspace.store = std::move(store.value());
  Result<std::unique_ptr<StateLockGuard>> lock =
      StateLockGuard::Acquire(*workspace.store, "import", lock_wait, context.err);
  if (!lock.ok()) return lock.error();
  workspace.lock = std::move(lock.value());
  Result<StateSnapshot> state = workspace.store->Load();
  if (!state.ok()) return state.error();
  workspace.state = std::move(state.value());
  Result<std::unique_ptr<CloudConnection>> cloud =
      CloudConnection::Open(workspace.config, context);
  if (!cloud.ok()) return cloud.error();
  workspace.cloud = std::move(cloud.value());
  return workspace;
}

void PrintOutcome(CommandContext& context, const ImportOutcome& outcome,
                  const EnvironmentSpec& spec, bool batch) {
  for (const std::string& note : outcome.notes) context.err << "note: " << note << "\n";
  if (!outcome.already.empty()) {
    context.out << outcome.address << ": " << JoinIds(outcome.already)
                << " already imported; nothing to do for "
                << (outcome.already.size() == 1 ? "it" : "them") << "\n";
  }
  if (outcome.adopted.empty()) return;
  if (batch) {
    context.out << outcome.address << ": imported Batch compute environment "
                << outcome.adopted.front() << " with "
                << Plural(outcome.node_count, "node", "nodes") << "\n"
                << outcome.address << ": expected count is Batch's DesiredComputeNodeCount, "
                << outcome.expected_count << "; the config declares desired_count "
                << spec.desired_count << "\n";
  } else {
    context.out << outcome.address << ": imported "
                << Plural(outcome.adopted.size(), "instance", "instances") << ": "
                << JoinIds(outcome.adopted) << "\n"
                << outcome.address << ": expected count stays " << outcome.expected_count
                << "; the config declares desired_count " << spec.desired_count << "\n";
  }
  context.out << "Run `spotform plan` to see how the config and the adopted capacity differ.\n";
}

int ImportIds(CommandContext& context, Config config, const std::vector<std::string>& args,
              bool force, std::chrono::milliseconds lock_wait) {
  Result<EnvironmentSpec> spec = DeclaredEnvironment(config, args.front());
  if (!spec.ok()) return Fail(context, spec.error().message());
  const std::vector<std::string> ids(args.begin() + 1, args.end());
  if (ids.empty()) {
    return Fail(context, "import " + args.front() +
                             ": give the ins-... instance ids or the env-... Batch compute "
                             "environment id to adopt");
  }
  bool all_instances = true;
  for (const std::string& id : ids) all_instances = all_instances && id.rfind("ins-", 0) == 0;
  const bool one_env = ids.size() == 1 && ids.front().rfind("env-", 0) == 0;
  if (!all_instances && !one_env) {
    for (const std::string& id : ids) {
      if (id.rfind("ins-", 0) != 0) {
        return Fail(context, "import " + args.front() + ": `" + id +
                                 "` is not an instance id (ins-...); a Batch compute environment "
                                 "(env-...) is imported alone");
      }
    }
  }
  Result<ImportWorkspace> workspace = OpenWorkspace(context, std::move(config), lock_wait);
  if (!workspace.ok()) return Fail(context, workspace.error().ToString());
  ImportOptions options{workspace->config.provider.region, force};
  Cloud& cloud = workspace->cloud->cloud();
  Result<ImportOutcome> outcome =
      one_env ? ImportComputeEnv(cloud, *spec, workspace->state, ids.front(), options)
              : ImportInstances(cloud, *spec, workspace->state, ids, options);
  if (!outcome.ok()) return FailImport(context, outcome.error());
  if (!outcome->edit.empty()) {
    Result<ApplyOutcome> applied = workspace->store->Apply(outcome->edit);
    if (!applied.ok()) return FailImport(context, applied.error());
  }
  PrintOutcome(context, *outcome, *spec, one_env);
  return kExitOk;
}

std::string UtcNow(const Clock& clock) {
  const std::time_t now = std::chrono::system_clock::to_time_t(clock.Now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

Result<DiscoveryFilter> ParseFilter(const std::vector<std::string>& tags, const std::string& zone) {
  DiscoveryFilter filter;
  filter.zone = zone;
  for (const std::string& tag : tags) {
    const size_t equals = tag.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Error(ErrorKind::kInvalidInput,
                   "--tag " + tag + ": write KEY=VALUE, e.g. --tag team=vfx");
    }
    filter.tags[tag.substr(0, equals)] = tag.substr(equals + 1);
  }
  return filter;
}

int Discover(CommandContext& context, Config config, const DiscoveryFilter& filter,
             const std::string& file, std::chrono::milliseconds lock_wait) {
  if (std::filesystem::exists(file)) {
    return Fail(context, "import --discover: " + file +
                             " already exists; name a new file for the generated config");
  }
  Result<ImportWorkspace> workspace = OpenWorkspace(context, std::move(config), lock_wait);
  if (!workspace.ok()) return Fail(context, workspace.error().ToString());
  std::set<std::string> taken;
  for (const auto& [name, spec] : workspace->config.environments) taken.insert(name);
  for (const auto& [name, env] : workspace->state.environments) taken.insert(name);
  context.err << "Looking for unmanaged spot capacity in " << workspace->config.provider.region
              << "...\n";
  Result<DiscoveryResult> found =
      DiscoverAndPrice(workspace->cloud->cloud(), workspace->state, filter, taken);
  if (!found.ok()) return FailImport(context, found.error());
  for (const std::string& note : found->notes) context.err << "note: " << note << "\n";
  if (found->environments.empty()) {
    context.out << "No unmanaged spot instances or Batch compute environments found; nothing "
                   "imported and "
                << file << " not written.\n";
    return kExitOk;
  }

  StateEdit edit;
  for (const ProposedEnvironment& proposal : found->environments) {
    AddAdoptedEnvironment(proposal.spec, proposal.batch_env_id, proposal.expected_count,
                          proposal.instances, workspace->state, edit);
  }
  const std::string text = EmitConfigYaml(
      DiscoveredConfig(workspace->config, found->environments, file, UtcNow(context.clock)));
  // The file must read back as the environments about to be recorded, or nothing happens.
  ConfigParseResult reread = ParseConfig(text, file, context.env);
  if (!reread.config) {
    std::string problems;
    for (const Diagnostic& d : reread.diagnostics) problems += "\n" + d.ToString();
    return FailImport(context, Error(ErrorKind::kInternal,
                                     "import --discover: the generated config does not "
                                     "validate (a bug; please report it):" + problems));
  }
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return FailImport(context, Error(ErrorKind::kInvalidInput, file + ": cannot write"));
  }
  Result<ApplyOutcome> applied = workspace->store->Apply(edit);
  if (!applied.ok()) {
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
    return FailImport(context, applied.error());
  }
  for (const ProposedEnvironment& proposal : found->environments) {
    context.out << proposal.spec.Address() << ": imported "
                << (proposal.batch_env_id.empty()
                        ? Plural(proposal.instances.size(), "instance", "instances")
                        : "Batch compute environment " + proposal.batch_env_id + " with " +
                              Plural(proposal.instances.size(), "node", "nodes"))
                << " (" << proposal.spec.instance_type << " in " << proposal.spec.zone
                << ", max_price " << proposal.spec.max_price << " to review)\n";
  }
  context.out << "Wrote " << file << ". Review it, then check it plans to no changes:\n"
              << "  spotform -c " << file << " plan\n";
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
       "--discover: write the config for the adopted capacity here (a new file)")
      ("lock-timeout",
       po::value<std::string>(&lock_timeout)->value_name("DURATION")->default_value("0s"),
       "wait this long for another run's lock instead of failing at once")
      ("ids", po::value<std::vector<std::string>>(&args)->value_name("env.NAME ID"),
       "the environment, then the ins-... ids or one env-... id (positional)");
  // clang-format on
  options.Positional("ids");
  if (auto stop = options.Parse(context)) return *stop;

  Result<std::chrono::milliseconds> lock_wait = ParseDuration(lock_timeout);
  if (!lock_wait.ok()) return Fail(context, "--lock-timeout: " + lock_wait.error().message());
  if (discover) {
    if (!args.empty()) {
      return Fail(context, "import --discover takes no env.NAME or ids; filter with --tag and "
                           "--zone");
    }
    if (generate_config.empty()) {
      return Fail(context, "import --discover needs --generate-config FILE: the config for "
                           "what it adopts is written there for review");
    }
  } else {
    if (!generate_config.empty() || !tags.empty() || !zone.empty()) {
      return Fail(context, "import: --generate-config, --tag and --zone go with --discover");
    }
    if (args.empty()) {
      return Fail(context, "import: give env.NAME and the ids to adopt, or --discover; see "
                           "`spotform import --help`");
    }
  }
  Result<DiscoveryFilter> filter = ParseFilter(tags, zone);
  if (!filter.ok()) return Fail(context, filter.error().message());

  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  if (discover) return Discover(context, std::move(*config), *filter, generate_config, *lock_wait);
  return ImportIds(context, std::move(*config), args, force, *lock_wait);
}

}  // namespace spotform
