// spotform-sim: a local Tencent Cloud (CVM + Batch spot capacity) speaking API 3.0 on loopback.
//
//   spotform-sim [--listen 127.0.0.1:PORT] [--port-file FILE] [--secret-id ID --secret-key KEY]
//                [--scenario FILE] [--tick-ms N] [--scale-in manual|batch-picks]
//                [--terminate-node refills|decrements] [--create-ticks N] [--busy-ticks N]
//                [--spot-quota VCPUS] [--min-count supported|unsupported]
//                [--no-rate-limit] [--verbose] [--help] [--version]
//
// Default listen address 127.0.0.1:9000 (the endpoint the README and examples use); port 0
// picks a free port, which --port-file receives once the server listens. Only loopback
// addresses are accepted. SIGINT/SIGTERM stop it cleanly.
//
// Batch follows Tencent's documented rules, never kinder; switches choose among the variants
// the documentation leaves open (--help prints the rules, kBatchRulesHelp below):
//   --scale-in batch-picks  lowering DesiredComputeNodeCount by n destroys n CREATED / RUNNING /
//                           ABNORMAL nodes (newest first: unconfirmed) or fails with
//                           UnsupportedOperation.NotEnoughComputeNodesToTerminate, changing
//                           nothing (documented);
//   --scale-in manual       (default, unconfirmed) no created node is destroyed; surplus
//                           SUBMITTED / CREATION_FAILED placeholders are cancelled at the next
//                           tick; CREATING / RUNNING surplus stays until terminated;
//   --terminate-node        refills (default): TerminateComputeNode(s) keeps the count and the
//                           node is replaced; decrements: the count drops by one per node;
//   --create-ticks N        ticks a Batch node stays CREATING before RUNNING (default 2);
//   --busy-ticks N          ticks an environment answers ComputeEnvAcceptOtherRequest after a
//                           modifying call (default 1).
// TerminateComputeNode(s) refuses SUBMITTED / CREATING nodes (ComputeNodeForbidTerminate) and
// DELETING ones (ComputeNodeIsTerminating). A stock or price shortage never fails a call: the
// missing nodes exist as placeholders without instance (SUBMITTED, then CREATION_FAILED) and
// are retried every tick until stock appears.
//
// CVM spot quota and partial delivery (kCvmRulesHelp below):
//   --spot-quota VCPUS      spot quota of every zone in vCPUs (default unlimited: an account
//                           whose quota was raised; a new account's real default is 50);
//   --min-count             supported (default) | unsupported: whether RunInstances accepts
//                           MinCount (documented for some accounts and regions only).

#include <signal.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "engine/model/clock.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_server.h"

namespace po = boost::program_options;

namespace spotform::sim {
namespace {

constexpr int kMaxTicksFlag = 1000000;  // bound of --create-ticks / --busy-ticks

// --version: the project() version, as `spotform --version` (cmd/CMakeLists.txt).
constexpr char kSimVersion[] = "spotform-sim " SPOTFORM_VERSION;

// The top of --help: what the emulator is.
constexpr char kSimUsage[] =
    "Usage: spotform-sim [options]\n\n"
    "A local Tencent Cloud for spot capacity: CVM and Batch Compute speaking API 3.0 on a\n"
    "loopback port (TC3-HMAC-SHA256 checked), with a spot market (price, stock, reclaims,\n"
    "launch failures) driven by a scenario file and the /_sim/ control API. Point spotform\n"
    "at it with provider.endpoint: http://127.0.0.1:PORT and the keys it prints.\n\n";

// The examples part of --help: starting it and driving it with the control API.
constexpr char kSimExamples[] =
    "Examples:\n"
    "  spotform-sim                                  listen on 127.0.0.1:9000\n"
    "  spotform-sim --listen 127.0.0.1:0 --port-file /tmp/sim.port &\n"
    "                                                a free port, written to /tmp/sim.port\n"
    "  spotform-sim --scenario examples/sim-scenarios/stock-shortage.yaml\n"
    "                                                load a market scenario\n"
    "  spotform-sim --spot-quota 50 --min-count unsupported\n"
    "                                                a new account: 50 vCPUs per zone, no\n"
    "                                                partial delivery\n"
    "  SIM=http://127.0.0.1:9000\n"
    "  curl $SIM/_sim/market                         the market: offers, prices, capacity\n"
    "  curl -X POST $SIM/_sim/market \\\n"
    "    -d '{\"zone\": \"ap-guangzhou-3\", \"instance_type\": \"S5.MEDIUM4\", \"price\": 0.9, "
    "\"capacity\": 0}'\n"
    "                                                change one pool's price or capacity\n"
    "  curl -X POST $SIM/_sim/quota -d '{\"zone\": \"ap-guangzhou-3\", \"vcpus\": 16}'\n"
    "                                                change a zone's spot quota\n"
    "  curl -X POST $SIM/_sim/reclaim -d '{\"instance_ids\": [\"ins-1a2b3c4d\"]}'\n"
    "                                                reclaim spot instances now\n"
    "  curl -X POST $SIM/_sim/tick -d '{\"count\": 5}' advance the model five ticks\n"
    "  curl $SIM/_sim/requests                       the API requests received (?since=N)\n";

// The Batch part of --help: the documented rules and what the switches choose.
constexpr char kBatchRulesHelp[] =
    "Batch rules (Tencent's documentation, never kinder; switches for what it leaves open):\n"
    "  ModifyComputeEnv lowering DesiredComputeNodeCount by n:\n"
    "    --scale-in batch-picks  Batch destroys n CREATED/RUNNING/ABNORMAL nodes (newest first:\n"
    "                            unconfirmed), or the call fails with\n"
    "                            UnsupportedOperation.NotEnoughComputeNodesToTerminate and\n"
    "                            changes nothing. (documented)\n"
    "    --scale-in manual       no created node is destroyed; surplus SUBMITTED/CREATION_FAILED\n"
    "                            placeholders are cancelled at the next tick; CREATING/RUNNING\n"
    "                            surplus stays until terminated. (unconfirmed; default)\n"
    "  TerminateComputeNode(s): only CREATED/CREATION_FAILED/RUNNING/ABNORMAL nodes (the\n"
    "    emulator shows no CREATED/ABNORMAL); SUBMITTED/CREATING are refused with\n"
    "    UnsupportedOperation.ComputeNodeForbidTerminate, DELETING with\n"
    "    UnsupportedOperation.ComputeNodeIsTerminating; all named nodes are checked first.\n"
    "    --terminate-node refills     the count stays, Batch replaces the node (default)\n"
    "    --terminate-node decrements  the count drops by one per node (both unconfirmed)\n"
    "  Stock or price shortages never fail a call: missing nodes exist without an instance\n"
    "    (SUBMITTED, then CREATION_FAILED with a FAILED activity) and are retried every tick.\n"
    "  After a modifying call the environment answers\n"
    "    UnsupportedOperation.ComputeEnvAcceptOtherRequest for --busy-ticks ticks.\n"
    "  A scenario's create_ticks / busy_ticks override --create-ticks / --busy-ticks.\n";

// The CVM part of --help: the spot quota and MinCount rules.
constexpr char kCvmRulesHelp[] =
    "CVM spot quota and partial delivery (Tencent's documentation, never kinder):\n"
    "  Spot instances use their type's vCPUs of their zone's spot quota while PENDING, RUNNING\n"
    "    or TERMINATING. RunInstances (SPOTPAID) over the remaining quota fails with\n"
    "    LimitExceeded.UserSpotQuota and creates nothing. Batch nodes ignore the quota (their\n"
    "    instances still count). DescribeAccountQuota shows it (SpotPaidQuotaSet, vCPUs; an\n"
    "    unlimited zone shows TotalQuota 100000).\n"
    "    --spot-quota VCPUS  every zone's quota (default unlimited, an account whose quota was\n"
    "                        raised; a new account's real default is 50 vCPUs per zone)\n"
    "  RunInstances MinCount (1 <= MinCount <= InstanceCount, else\n"
    "    InvalidParameterValue.InvalidParameterMinCount) launches min(InstanceCount, free\n"
    "    stock, what the quota fits) if that is >= MinCount, else fails with\n"
    "    ResourceInsufficient.InsufficientOfferingMinimum (stock) or\n"
    "    LimitExceeded.UserSpotQuota (quota). Without MinCount: all or nothing.\n"
    "    --min-count supported    (default)\n"
    "    --min-count unsupported  any MinCount fails with\n"
    "                             UnsupportedOperation.MinCountUnsupportedRegion (unconfirmed\n"
    "                             which accounts and regions have partial delivery)\n"
    "  A scenario's spot_quota (a number, or {zone: vCPUs}) and min_count override both flags;\n"
    "  POST /_sim/quota {\"zone\"?, \"vcpus\"} changes the quota until the next reset.\n";

// The command line, as parsed.
struct Flags {
  std::string listen = "127.0.0.1:9000";
  std::string port_file;
  std::string secret_id = kDefaultSecretId;
  std::string secret_key = kDefaultSecretKey;
  std::string scenario;
  int tick_ms = 500;
  std::string scale_in = "manual";
  std::string terminate_node = "refills";
  int create_ticks = CloudModelOptions{}.create_ticks;
  int busy_ticks = CloudModelOptions{}.busy_ticks;
  int64_t spot_quota = -1;  // -1: not given (unlimited)
  std::string min_count = "supported";
  bool no_rate_limit = false;
  bool verbose = false;
};

// Parses the command line; prints help or the error itself. Returns nullopt to exit with
// `exit_code`.
std::optional<Flags> ParseFlags(int argc, char** argv, int& exit_code) {
  Flags flags;
  po::options_description options("spotform-sim options");
  options.add_options()("help,h", "show this help")("version", "print the version")(
      "listen", po::value(&flags.listen)->default_value(flags.listen),
      "loopback HOST:PORT to listen on (port 0 picks a free port)")(
      "port-file", po::value(&flags.port_file), "write the port here once listening")(
      "secret-id", po::value(&flags.secret_id), "SecretId the emulator accepts")(
      "secret-key", po::value(&flags.secret_key), "SecretKey the emulator accepts")(
      "scenario", po::value(&flags.scenario), "YAML market scenario to load")(
      "tick-ms", po::value(&flags.tick_ms)->default_value(flags.tick_ms),
      "milliseconds between model ticks (0: only POST /_sim/tick)")(
      "scale-in", po::value(&flags.scale_in)->default_value(flags.scale_in),
      "manual | batch-picks (see Batch rules below)")(
      "terminate-node", po::value(&flags.terminate_node)->default_value(flags.terminate_node),
      "refills | decrements (see Batch rules below)")(
      "create-ticks", po::value(&flags.create_ticks)->default_value(flags.create_ticks),
      "ticks a Batch node stays CREATING before RUNNING (>= 1)")(
      "busy-ticks", po::value(&flags.busy_ticks)->default_value(flags.busy_ticks),
      "ticks a compute environment refuses modifying calls after one (>= 0)")(
      "spot-quota", po::value(&flags.spot_quota),
      "spot quota of every zone in vCPUs (default unlimited; see CVM rules below)")(
      "min-count", po::value(&flags.min_count)->default_value(flags.min_count),
      "supported | unsupported: RunInstances MinCount (see CVM rules below)")(
      "no-rate-limit", po::bool_switch(&flags.no_rate_limit),
      "do not enforce per-action request rates")("verbose,v", po::bool_switch(&flags.verbose),
                                                 "one line per request on stderr");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "spotform-sim: " << e.what() << "\n" << options;
    exit_code = 1;
    return std::nullopt;
  }
  if (vm.count("help")) {
    std::cout << kSimUsage << options << "\n"
              << kSimExamples << "\n"
              << kBatchRulesHelp << "\n"
              << kCvmRulesHelp;
    exit_code = 0;
    return std::nullopt;
  }
  if (vm.count("version")) {
    std::cout << kSimVersion << "\n";
    exit_code = 0;
    return std::nullopt;
  }
  if (vm.count("spot-quota") && flags.spot_quota < 0) {
    std::cerr << "spotform-sim: --spot-quota must be >= 0 vCPUs\n";
    exit_code = 1;
    return std::nullopt;
  }
  if (vm.count("secret-id") != vm.count("secret-key")) {
    std::cerr << "spotform-sim: --secret-id and --secret-key go together\n";
    exit_code = 1;
    return std::nullopt;
  }
  return flags;
}

// "HOST:PORT" or "[::1]:PORT".
bool ParseListen(const std::string& listen, std::string& host, int& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  port = std::stoi(port_text);
  return port <= 65535;
}

// Writes `text` to `path` atomically: a temporary file beside it, then rename.
bool WriteAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.good()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int Run(int argc, char** argv) {
  int exit_code = 0;
  std::optional<Flags> flags = ParseFlags(argc, argv, exit_code);
  if (!flags) return exit_code;

  SimServerOptions options;
  if (!ParseListen(flags->listen, options.host, options.port)) {
    std::cerr << "spotform-sim: --listen must be HOST:PORT, got " << flags->listen << "\n";
    return 1;
  }
  if (!SimServer::IsLoopbackHost(options.host)) {
    std::cerr << "spotform-sim: refusing to listen on " << options.host
              << ": only loopback addresses (127.0.0.1, localhost, ::1) are allowed\n";
    return 1;
  }
  if (flags->tick_ms < 0) {
    std::cerr << "spotform-sim: --tick-ms must be >= 0\n";
    return 1;
  }
  CloudModelOptions model_options;
  if (flags->scale_in == "manual") {
    model_options.scale_in = ScaleInPolicy::kManual;
  } else if (flags->scale_in == "batch-picks") {
    model_options.scale_in = ScaleInPolicy::kBatchPicks;
  } else {
    std::cerr << "spotform-sim: --scale-in must be manual or batch-picks\n";
    return 1;
  }
  if (flags->terminate_node == "refills") {
    model_options.terminate_node = TerminateNodePolicy::kRefills;
  } else if (flags->terminate_node == "decrements") {
    model_options.terminate_node = TerminateNodePolicy::kDecrements;
  } else {
    std::cerr << "spotform-sim: --terminate-node must be refills or decrements\n";
    return 1;
  }
  if (flags->create_ticks < 1 || flags->create_ticks > kMaxTicksFlag) {
    std::cerr << "spotform-sim: --create-ticks must be between 1 and " << kMaxTicksFlag << "\n";
    return 1;
  }
  if (flags->busy_ticks < 0 || flags->busy_ticks > kMaxTicksFlag) {
    std::cerr << "spotform-sim: --busy-ticks must be between 0 and " << kMaxTicksFlag << "\n";
    return 1;
  }
  if (flags->min_count == "supported") {
    model_options.min_count = MinCountSupport::kSupported;
  } else if (flags->min_count == "unsupported") {
    model_options.min_count = MinCountSupport::kUnsupported;
  } else {
    std::cerr << "spotform-sim: --min-count must be supported or unsupported\n";
    return 1;
  }
  if (flags->spot_quota >= 0) model_options.spot_quota = flags->spot_quota;
  model_options.create_ticks = flags->create_ticks;
  model_options.busy_ticks = flags->busy_ticks;
  options.credentials = {{flags->secret_id, flags->secret_key, ""}};
  options.rate_limit = !flags->no_rate_limit;
  options.tick_interval = std::chrono::milliseconds(flags->tick_ms);
  options.verbose = flags->verbose;

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  SystemClock clock;
  CloudModel model(model_options, clock);
  if (!flags->scenario.empty()) {
    std::optional<std::string> text = ReadFile(flags->scenario);
    if (!text) {
      std::cerr << "spotform-sim: cannot read scenario " << flags->scenario << "\n";
      return 1;
    }
    if (Status loaded = model.LoadScenario(*text); !loaded.ok()) {
      std::cerr << "spotform-sim: " << flags->scenario << ": " << loaded.error().message() << "\n";
      return 1;
    }
  }
  Result<std::unique_ptr<SimServer>> server = SimServer::Create(options, model, clock);
  if (!server.ok()) {
    std::cerr << server.error().message() << "\n";
    return 1;
  }
  Result<int> port = (*server)->Start();
  if (!port.ok()) {
    std::cerr << port.error().message() << "\n";
    return 1;
  }
  if (!flags->port_file.empty() &&
      !WriteAtomically(flags->port_file, std::to_string(*port) + "\n")) {
    std::cerr << "spotform-sim: cannot write port file " << flags->port_file << "\n";
    return 1;
  }
  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  // The default keys are the emulator's well-known test keys: printing them is intended
  // (spec §5). A key given with --secret-key is the user's and is never printed.
  const bool default_key = flags->secret_key == kDefaultSecretKey;
  std::cout << "spotform-sim listening on http://" << host << ":" << *port << "\n"
            << "  SecretId  " << flags->secret_id << "\n"
            << "  SecretKey " << (default_key ? flags->secret_key : "(as given by --secret-key)")
            << "\n"
            << "  control   http://" << host << ":" << *port << "/_sim/requests\n"
            << std::flush;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "spotform-sim: stopping (signal " << signal_number << ")\n" << std::flush;
  (*server)->Stop();
  return 0;
}

}  // namespace
}  // namespace spotform::sim

int main(int argc, char** argv) { return spotform::sim::Run(argc, argv); }
