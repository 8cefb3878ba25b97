#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/model/placement.h"
#include "engine/plan/plan.h"
#include "engine/apply/step_context.h"

namespace spotform {

// Runs one cvm kLaunch step: launches step.count spot instances in calls of at most
// kMaxLaunchCount, each under a journal intent with a fresh ClientToken, records them
// PENDING, then waits (bounded by the timeout) until they run. LAUNCH_FAILED instances are
// recorded, reported and replaced, at most options.launch_failure_replacements in total.
// A price or stock refusal fails the step with a message saying what to change.
//
// An environment with fallback candidates (spec §3) places each launch at launch time: it
// reads the market once (context.market), asks Place() where the instances go, and launches
// there with partial delivery (MinCount 1) where the cloud offers it. A candidate that
// refuses (stock, price, quota) or delivers less than asked is marked unavailable (in
// context.market and, as a PutCandidateHold, in the state, so later runs skip it too) and the
// rest moves to the next candidates; without partial delivery a refused request is halved
// before the candidate is given up. Borrows the context, step and tally for its lifetime.
class CvmLauncher {
 public:
  CvmLauncher(StepContext& context, const Step& step, StepTally& tally);

  Status Run();

 private:
  // Launches `count` instances in chunks; their ids join waiting_.
  Status Launch(int count);
  // The same over the spec's candidates, placed at launch time.
  Status LaunchOverCandidates(int count);
  // Launches up to `count` at one candidate in calls of at most kMaxLaunchCount; returns how
  // many were launched. Stops early (returning fewer) when the candidate ran out: it is then
  // marked unavailable. A refusal of the first call is returned as the cloud's error.
  Result<int> LaunchAtCandidate(const Candidate& where, int count);
  // One RunInstances call under a journal intent; returns how many instances it launched.
  // A refusal closes the intent and returns the cloud's error as is; an unknown outcome
  // leaves the intent open and returns the error for the step.
  Result<int> LaunchChunk(const Candidate& where, int count, int min_count);
  // A launch request for `count` instances at `where` with a fresh ClientToken.
  LaunchSpec SpecAt(const Candidate& where, int count) const;
  Error Interrupted(int not_launched);
  Error NoCandidateLeft(const Placement& placement, int count) const;
  // Polls until every launched instance runs, or fails with what is left.
  Status WaitRunning();
  // One poll: records changes, replaces failures. Returns true when nothing is pending.
  Result<bool> Poll(std::chrono::seconds elapsed);
  Status Record(const std::vector<RecordedInstance>& changed);

  StepContext& context_;
  const Step& step_;
  StepTally& tally_;
  int replacements_left_;
  bool partial_supported_ = true;  // the cloud accepts MinCount (until it says otherwise)
  int running_ = 0;
  int lost_ = 0;                      // failed and not replaced
  std::string last_failure_;          // the cloud's reason for the latest failed launch
  std::vector<std::string> waiting_;  // launched, not yet running or failed
  std::map<std::string, RecordedInstance> records_;  // as recorded, by id
};

}  // namespace spotform
