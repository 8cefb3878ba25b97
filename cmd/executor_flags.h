#pragma once

#include <string>

#include "cmd/apply_flow.h"
#include "cmd/command_options.h"

namespace spotform {

// The flags `apply` and `destroy` share (--auto-approve, --target, --parallelism,
// --timeout, --no-wait, --lock-timeout, --poll-interval), registered on `options` and
// turned into ApplyFlowOptions after parsing. Owns the raw flag values.
class ExecutorFlags {
 public:
  void Register(CommandOptions& options);
  // Fills `flow` from the parsed values; an error names the bad flag.
  Status Fill(ApplyFlowOptions& flow) const;

 private:
  bool auto_approve_ = false;
  bool no_wait_ = false;
  int parallelism_ = 10;
  std::string timeout_ = "30m";
  std::string lock_timeout_ = "0s";
  std::string poll_interval_ = "2s";
  std::vector<std::string> targets_;
};

}  // namespace spotform
