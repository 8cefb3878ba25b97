#include "cmd/executor_flags.h"

#include "cmd/duration_flag.h"

namespace spotform {

namespace po = boost::program_options;

void ExecutorFlags::Register(CommandOptions& options) {
  options.LogsApiCalls();  // apply and destroy call the cloud
  options.Add()("auto-approve", po::bool_switch(&auto_approve_),
                "do not ask for `yes` before acting")(
      "target", po::value<std::vector<std::string>>(&targets_)->value_name("env.NAME"),
      "act on this environment only (repeatable)")(
      "parallelism", po::value<int>(&parallelism_)->value_name("N")->default_value(10),
      "environments worked on at once")(
      "timeout", po::value<std::string>(&timeout_)->value_name("DURATION")->default_value("30m"),
      "bound on each wait for capacity (30s, 10m, 1h30m)")(
      "no-wait", po::bool_switch(&no_wait_),
      "batch: return once Batch has the request instead of waiting for the nodes")(
      "lock-timeout",
      po::value<std::string>(&lock_timeout_)->value_name("DURATION")->default_value("0s"),
      "wait this long for another run's lock instead of failing at once")(
      "poll-interval",
      po::value<std::string>(&poll_interval_)->value_name("DURATION")->default_value("2s"),
      "time between describes while waiting (lower it against the emulator)");
}

Status ExecutorFlags::Fill(ApplyFlowOptions& flow) const {
  if (parallelism_ < 1) {
    return Error(ErrorKind::kInvalidInput, "--parallelism must be at least 1");
  }
  Result<std::chrono::milliseconds> timeout = ParseDuration(timeout_);
  if (!timeout.ok())
    return Error(ErrorKind::kInvalidInput, "--timeout: " + timeout.error().message());
  Result<std::chrono::milliseconds> lock = ParseDuration(lock_timeout_);
  if (!lock.ok())
    return Error(ErrorKind::kInvalidInput, "--lock-timeout: " + lock.error().message());
  Result<std::chrono::milliseconds> poll = ParseDuration(poll_interval_);
  if (!poll.ok()) {
    return Error(ErrorKind::kInvalidInput, "--poll-interval: " + poll.error().message());
  }
  if (*poll < std::chrono::milliseconds(10)) {
    return Error(ErrorKind::kInvalidInput, "--poll-interval must be at least 10ms");
  }
  flow.auto_approve = auto_approve_;
  flow.targets = targets_;
  flow.lock_timeout = *lock;
  flow.executor.parallelism = parallelism_;
  flow.executor.timeout = std::chrono::duration_cast<std::chrono::seconds>(*timeout);
  flow.executor.wait = !no_wait_;
  flow.executor.poll_interval = *poll;
  return Status::Ok();
}

}  // namespace spotform
