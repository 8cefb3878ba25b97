#include <memory>

#include "cmd/command_options.h"
#include "cmd/commands.h"
#include "cmd/duration_flag.h"
#include "cmd/signals.h"
#include "cmd/watch_loop.h"
#include "cmd/workspace.h"

namespace spotform {
namespace {

namespace po = boost::program_options;

// The raw flag values of `watch`, turned into WatchOptions after parsing.
struct WatchFlags {
  std::string interval = "30s";
  std::string lock_timeout = "1s";
  std::string timeout = "10m";
  std::string poll_interval = "2s";
  std::string max_backoff = "10m";
  std::string unavailable_ttl = "3m";
  std::string reclaim_cooldown = "10m";
  bool once = false;

  Result<WatchOptions> ToOptions() const {
    WatchOptions options;
    options.once = once;
    struct Field {
      const char* flag;
      const std::string& text;
      std::chrono::milliseconds minimum;
    };
    const Field fields[] = {{"--interval", interval, std::chrono::milliseconds(10)},
                            {"--lock-timeout", lock_timeout, std::chrono::milliseconds(0)},
                            {"--timeout", timeout, std::chrono::milliseconds(1000)},
                            {"--poll-interval", poll_interval, std::chrono::milliseconds(10)},
                            {"--max-backoff", max_backoff, std::chrono::milliseconds(10)},
                            {"--unavailable-ttl", unavailable_ttl, std::chrono::milliseconds(0)},
                            {"--reclaim-cooldown", reclaim_cooldown, std::chrono::milliseconds(0)}};
    constexpr size_t kFields = std::size(fields);
    std::chrono::milliseconds values[kFields];
    for (size_t i = 0; i < kFields; ++i) {
      Result<std::chrono::milliseconds> parsed = ParseDuration(fields[i].text);
      if (!parsed.ok()) {
        return Error(ErrorKind::kInvalidInput,
                     std::string(fields[i].flag) + ": " + parsed.error().message());
      }
      if (*parsed < fields[i].minimum) {
        return Error(ErrorKind::kInvalidInput, std::string(fields[i].flag) + " must be at least " +
                                                   FormatDelay(fields[i].minimum));
      }
      values[i] = *parsed;
    }
    options.interval = values[0];
    options.lock_timeout = values[1];
    options.executor.timeout = std::chrono::duration_cast<std::chrono::seconds>(values[2]);
    options.executor.poll_interval = values[3];
    options.max_backoff = values[4];
    options.unavailable_ttl = std::chrono::duration_cast<std::chrono::seconds>(values[5]);
    options.reclaim_cooldown = std::chrono::duration_cast<std::chrono::seconds>(values[6]);
    return options;
  }
};

}  // namespace

int RunWatch(CommandContext& context) {
  CommandOptions options(
      "spotform watch [--interval DURATION] [--once] [--lock-timeout DURATION] "
      "[--timeout DURATION] [--poll-interval DURATION] [--max-backoff DURATION] "
      "[--unavailable-ttl DURATION] [--reclaim-cooldown DURATION]",
      "Keeps cvm environments full while spot instances come and go. Every --interval it\n"
      "takes the state's lock for a moment, finishes what an interrupted run left open,\n"
      "refreshes, and launches replacements for reclaimed or failed instances up to the\n"
      "expected count recorded in state by the last apply, then lets the lock go.\n"
      "What it never does: scale beyond or below the recorded count (a changed config waits\n"
      "for `spotform apply`), release anything, touch batch environments (Batch Compute keeps\n"
      "their count itself), or refill an environment whose replacement an apply left\n"
      "unfinished. While an apply or destroy holds the lock it logs \"waiting\" and tries\n"
      "again next round, so a count an apply lowers is never refilled.\n"
      "A launch refused for stock or price is retried after twice the interval, doubling up\n"
      "to --max-backoff; other errors are logged and retried. An environment with fallback\n"
      "candidates (zones:, instance_types:) skips a candidate that refused a launch for\n"
      "--unavailable-ttl and tries one that just lost instances to a reclaim last for\n"
      "--reclaim-cooldown, so replacements go elsewhere. One line per event goes to\n"
      "stdout, each starting with a UTC timestamp. SIGTERM or Ctrl-C stops it after the calls\n"
      "in flight (\"watch stopped\", exit 0). With --once it runs one round and exits 0 only\n"
      "when that round did everything it had to (for cron).\n"
      "Examples:\n"
      "  spotform watch                                  keep every 30s, in the foreground\n"
      "  nohup spotform watch --interval 1m >> watch.log 2>&1 &\n"
      "  spotform watch --once                           one round, from cron\n"
      "  # systemd: a service unit in the project folder\n"
      "  #   [Service]\n"
      "  #   WorkingDirectory=/srv/render\n"
      "  #   EnvironmentFile=/etc/spotform/credentials\n"
      "  #   ExecStart=/usr/local/bin/spotform watch --interval 1m\n"
      "  #   Restart=on-failure");
  WatchFlags flags;
  options.Add()(
      "interval",
      po::value<std::string>(&flags.interval)->value_name("DURATION")->default_value("30s"),
      "time between rounds (30s, 1m, 500ms)")("once", po::bool_switch(&flags.once),
                                              "run one round and exit")(
      "lock-timeout",
      po::value<std::string>(&flags.lock_timeout)->value_name("DURATION")->default_value("1s"),
      "how long a round waits for another run's lock before skipping")(
      "timeout",
      po::value<std::string>(&flags.timeout)->value_name("DURATION")->default_value("10m"),
      "bound on the wait for replacements to run")(
      "poll-interval",
      po::value<std::string>(&flags.poll_interval)->value_name("DURATION")->default_value("2s"),
      "time between describes while waiting (lower it against the emulator)")(
      "max-backoff",
      po::value<std::string>(&flags.max_backoff)->value_name("DURATION")->default_value("10m"),
      "longest pause of an environment whose launches are refused")(
      "unavailable-ttl",
      po::value<std::string>(&flags.unavailable_ttl)->value_name("DURATION")->default_value("3m"),
      "how long a candidate that refused a launch (stock, price, quota) is skipped")(
      "reclaim-cooldown",
      po::value<std::string>(&flags.reclaim_cooldown)->value_name("DURATION")->default_value("10m"),
      "how long a candidate that lost instances to a reclaim is tried last");
  options.LogsApiCalls();
  if (auto stop = options.Parse(context)) return *stop;
  Result<WatchOptions> watch = flags.ToOptions();
  if (!watch.ok()) return Fail(context, watch.error().message());

  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return kExitError;
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(*config, context.clock);
  if (!store.ok()) return Fail(context, store.error().ToString());
  Result<std::unique_ptr<CloudConnection>> cloud = CloudConnection::Open(*config, context);
  if (!cloud.ok()) return Fail(context, cloud.error().ToString());

  SignalStop stop;
  WatchLoop loop(context, **store, (*cloud)->cloud(), stop, *watch);
  return loop.Run();
}

}  // namespace spotform
