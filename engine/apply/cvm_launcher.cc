#include "engine/apply/cvm_launcher.h"

#include <algorithm>

#include "engine/apply/capacity_error.h"
#include "engine/apply/journal.h"
#include "engine/model/words.h"
#include "engine/plan/refresh.h"

namespace spotform {
namespace {

std::string Instances(int n) { return Plural(n, "instance", "instances"); }

// "S5.MEDIUM4 in ap-guangzhou-3".
std::string Describe(const Candidate& candidate) {
  return candidate.instance_type + " in " + candidate.zone;
}

// Holds `where` as unavailable, in the market and in the state (so later runs skip it too).
Status HoldUnavailable(StepContext& context, const Candidate& where) {
  const Clock::WallTime now = context.clock.Now();
  const CandidateHold hold = context.market.MarkUnavailable(where.zone, where.instance_type, now);
  Result<ApplyOutcome> recorded = context.store.Apply(
      StateEdit().Add(StateEdit::PruneCandidateHolds{now}).Add(StateEdit::PutCandidateHold{hold}));
  return recorded.ok() ? Status::Ok() : Status(recorded.error());
}

}  // namespace

CvmLauncher::CvmLauncher(StepContext& context, const Step& step, StepTally& tally)
    : context_(context),
      step_(step),
      tally_(tally),
      replacements_left_(std::max(0, context.options.launch_failure_replacements)) {}

Status CvmLauncher::Run() {
  Status launched = Launch(step_.count);
  if (!launched.ok()) return launched;
  return WaitRunning();
}

Status CvmLauncher::Launch(int count) {
  if (step_.spec.HasFallbacks()) return LaunchOverCandidates(count);
  const Candidate only = CandidatesOf(step_.spec).front();
  while (count > 0) {
    if (context_.stop.StopRequested()) return Interrupted(count);
    const int chunk = std::min(count, kMaxLaunchCount);
    Result<int> launched = LaunchChunk(only, chunk, 0);
    if (!launched.ok()) {
      if (IsOutcomeUnknown(launched.error())) return launched.error();
      return ExplainLaunchFailure(context_.cloud, context_.Address(), SpecAt(only, chunk),
                                  launched.error());
    }
    count -= chunk;
  }
  return Status::Ok();
}

Status CvmLauncher::LaunchOverCandidates(int count) {
  while (count > 0) {
    if (context_.stop.StopRequested()) return Interrupted(count);
    // Read once per run (LaunchMarket caches it), with this run's launches taken off the quota.
    Result<MarketView> market = context_.market.View(context_.cloud, step_.spec);
    if (!market.ok()) return Failed(context_, "read the spot market", market.error());
    const Placement placement =
        Place(step_.spec, count, *market, context_.market.Holds(context_.clock.Now()));
    if (placement.placed == 0) return NoCandidateLeft(placement, count);
    for (const CandidateAssessment* target : placement.LaunchOrder()) {
      Result<int> launched = LaunchAtCandidate(target->candidate, target->place);
      if (!launched.ok()) {
        const Error& error = launched.error();
        if (IsOutcomeUnknown(error)) return error;  // the intent stays open for the next run
        if (error.kind() != ErrorKind::kCapacity) return Failed(context_, "launch", error);
        context_.progress.Note(context_.Address(), Describe(target->candidate) + " refused (" +
                                                       error.code() +
                                                       "); trying the next candidate");
        break;  // re-place what is left without it
      }
      count -= *launched;
      if (target->offer) {
        context_.market.NoteLaunched(target->candidate.zone, *launched, target->offer->cpu);
      }
      if (*launched < target->place) {
        context_.progress.Note(context_.Address(), Describe(target->candidate) + " ran out after " +
                                                       Instances(*launched) + "; placing " +
                                                       Instances(count) +
                                                       " on the next candidates");
        break;
      }
    }
  }
  return Status::Ok();
}

Result<int> CvmLauncher::LaunchAtCandidate(const Candidate& where, int count) {
  int launched = 0;
  int cap = kMaxLaunchCount;  // halved on refusals when partial delivery is not offered
  while (launched < count) {
    if (context_.stop.StopRequested()) return Interrupted(count - launched);
    const int chunk = std::min({count - launched, kMaxLaunchCount, cap});
    Result<int> got = LaunchChunk(where, chunk, partial_supported_ ? 1 : 0);
    if (!got.ok()) {
      const Error& error = got.error();
      if (error.kind() == ErrorKind::kUnsupported && partial_supported_) {
        partial_supported_ = false;  // this account or region has no MinCount: all or none
        continue;
      }
      if (error.kind() == ErrorKind::kCapacity && !partial_supported_ && chunk > 1) {
        cap = chunk / 2;
        continue;
      }
      if (error.kind() == ErrorKind::kCapacity) {
        Status held = HoldUnavailable(context_, where);
        if (!held.ok()) return held.error();
        if (launched > 0) return launched;
      }
      return error;
    }
    launched += *got;
    if (*got < chunk) {  // partial delivery: the candidate has no more now
      Status held = HoldUnavailable(context_, where);
      if (!held.ok()) return held.error();
      return launched;
    }
  }
  return launched;
}

Result<int> CvmLauncher::LaunchChunk(const Candidate& where, int count, int min_count) {
  LaunchSpec spec = SpecAt(where, count);
  spec.min_count = min_count;
  JournalEntry entry = NewIntent(context_, step_.pool_id, kIntentLaunch, EncodeLaunchPayload(spec));
  entry.client_token = spec.client_token;
  Result<int64_t> intent = OpenIntent(context_.store, entry);
  if (!intent.ok()) return intent.error();

  Result<std::vector<std::string>> ids = context_.cloud.LaunchSpotInstances(spec);
  if (!ids.ok()) {
    if (IsOutcomeUnknown(ids.error())) {
      // The open intent lets the next run replay it with its token.
      return Failed(context_, "launch", ids.error());
    }
    // A refusal: nothing was created (with MinCount: fewer than MinCount could be).
    Status closed = CloseIntent(context_.store, *intent);
    if (!closed.ok()) return closed.error();
    return ids.error();
  }
  std::vector<RecordedInstance> recorded;
  for (const std::string& id : *ids) {
    RecordedInstance instance;
    instance.id = id;
    instance.zone = spec.zone;
    instance.instance_type = spec.instance_type;
    instance.state = "PENDING";
    instance.launch_time = context_.clock.Now();
    instance.client_token = spec.client_token;
    instance.origin = InstanceOrigin::kCreated;
    records_[id] = instance;
    recorded.push_back(instance);
    waiting_.push_back(id);
  }
  tally_.launched += static_cast<int>(ids->size());
  Status closed = CloseIntent(
      context_.store, *intent,
      StateEdit().Add(StateEdit::PutInstances{context_.environment, step_.pool_id, recorded}));
  if (!closed.ok()) return closed.error();
  return static_cast<int>(ids->size());
}

LaunchSpec CvmLauncher::SpecAt(const Candidate& where, int count) const {
  LaunchSpec spec;
  spec.zone = where.zone;
  spec.instance_type = where.instance_type;
  spec.image_id = step_.spec.image_id;
  spec.max_price = where.max_price;
  spec.count = count;
  spec.tags = OwnerTags(step_.spec, context_.lineage, context_.environment, step_.pool_id);
  spec.client_token = NewClientToken();
  spec.name = "spotform-" + context_.environment;
  return spec;
}

Error CvmLauncher::Interrupted(int not_launched) {
  tally_.interrupted = true;
  return Error(ErrorKind::kConflict,
               context_.Address() + ": interrupted: " + Instances(not_launched) + " not launched");
}

Error CvmLauncher::NoCandidateLeft(const Placement& placement, int count) const {
  std::string message = context_.Address() + ": no candidate can launch " + Instances(count) +
                        " now (" + std::to_string(tally_.launched) + " launched):";
  for (const CandidateAssessment& c : placement.candidates) {
    message += " " + Describe(c.candidate) + ": " + (c.why.empty() ? "no room" : c.why) + ";";
  }
  message.pop_back();
  return Error(ErrorKind::kCapacity, message);
}

Status CvmLauncher::WaitRunning() {
  Result<WaitEnd> end =
      PollUntil(context_, [this](std::chrono::seconds elapsed) { return Poll(elapsed); });
  if (!end.ok()) return end.error();
  const int pending = static_cast<int>(waiting_.size());
  if (*end == WaitEnd::kStopped) {
    return InterruptedWait(context_, tally_, Instances(pending) + " to run");
  }
  if (*end == WaitEnd::kTimedOut) {
    return Error(
        ErrorKind::kConflict,
        context_.Address() + ": " + TimedOutAfter(context_.options.timeout) + " waiting for " +
            Instances(step_.count) + " to run: " + std::to_string(running_) + " running, " +
            std::to_string(pending) + " pending; they stay recorded and the next apply continues");
  }
  if (lost_ > 0) {
    return Error(ErrorKind::kCapacity,
                 context_.Address() + ": " + Instances(lost_) + " failed to launch after " +
                     std::to_string(context_.options.launch_failure_replacements) +
                     " replacements (last reason: " + last_failure_ + "); " +
                     std::to_string(running_) + " of " + std::to_string(step_.count) + " running");
  }
  return Status::Ok();
}

Result<bool> CvmLauncher::Poll(std::chrono::seconds elapsed) {
  if (waiting_.empty()) return true;
  Result<InstanceObservation> observed = context_.cloud.DescribeInstances(waiting_);
  if (!observed.ok()) return Failed(context_, "wait for running instances", observed.error());
  std::vector<RecordedInstance> changed;
  std::vector<std::string> still;
  int failed = 0;
  auto update = [&](const std::string& id, const std::string& state) {
    RecordedInstance& record = records_[id];
    if (record.state == state) return;
    record.state = state;
    changed.push_back(record);
  };
  for (const std::string& id : observed->missing) {
    update(id, kGoneState);
    ++failed;
    last_failure_ = id + " disappeared";
  }
  for (const ObservedInstance& instance : observed->found) {
    const std::string text = instance.state_text.empty() ? "UNKNOWN" : instance.state_text;
    switch (instance.state) {
      case InstanceState::kRunning:
        update(instance.id, "RUNNING");
        ++running_;
        break;
      case InstanceState::kLaunchFailed:
      case InstanceState::kTerminating:
        update(instance.id, text);
        ++failed;
        last_failure_ = instance.id + " " + text +
                        (instance.latest_error.empty() ? "" : ": " + instance.latest_error);
        context_.progress.Note(context_.Address(), "instance " + last_failure_);
        break;
      default:
        update(instance.id, text);
        still.push_back(instance.id);
        break;
    }
  }
  waiting_ = std::move(still);
  Status recorded = Record(changed);
  if (!recorded.ok()) return recorded.error();
  if (failed > 0) {
    const int replace = std::min(failed, replacements_left_);
    replacements_left_ -= replace;
    lost_ += failed - replace;
    if (replace > 0) {
      context_.progress.Note(context_.Address(),
                             "launching " + Instances(replace) + " to replace failed launches");
      Status launched = Launch(replace);
      if (!launched.ok()) return launched.error();
    }
  }
  context_.progress.Waiting(context_.Address(), step_.count, running_,
                            static_cast<int>(waiting_.size()), elapsed);
  return waiting_.empty();
}

Status CvmLauncher::Record(const std::vector<RecordedInstance>& changed) {
  if (changed.empty()) return Status::Ok();
  Result<ApplyOutcome> applied = context_.store.Apply(
      StateEdit().Add(StateEdit::PutInstances{context_.environment, step_.pool_id, changed}));
  return applied.ok() ? Status::Ok() : Status(applied.error());
}

}  // namespace spotform
