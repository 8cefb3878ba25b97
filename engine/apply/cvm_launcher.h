#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/plan/plan.h"
#include "engine/apply/step_context.h"

namespace spotform {

// Runs one cvm kLaunch step: launches step.count spot instances in calls of at most
// kMaxLaunchCount, each under a journal intent with a fresh ClientToken, records them
// PENDING, then waits (bounded by the timeout) until they run. LAUNCH_FAILED instances are
// recorded, reported and replaced, at most options.launch_failure_replacements in total.
// A price or stock refusal fails the step with a message saying what to change. Borrows the
// context, step and tally for its lifetime.
class CvmLauncher {
 public:
  CvmLauncher(StepContext& context, const Step& step, StepTally& tally);

  Status Run();

 private:
  // Launches `count` instances in chunks; their ids join waiting_.
  Status Launch(int count);
  Status LaunchChunk(int count);
  // Polls until every launched instance runs, or fails with what is left.
  Status WaitRunning();
  // One poll: records changes, replaces failures. Returns true when nothing is pending.
  Result<bool> Poll(std::chrono::seconds elapsed);
  Status Record(const std::vector<RecordedInstance>& changed);

  StepContext& context_;
  const Step& step_;
  StepTally& tally_;
  int replacements_left_;
  int running_ = 0;
  int lost_ = 0;                      // failed and not replaced
  std::string last_failure_;          // the cloud's reason for the latest failed launch
  std::vector<std::string> waiting_;  // launched, not yet running or failed
  std::map<std::string, RecordedInstance> records_;  // as recorded, by id
};

}  // namespace spotform
