#include "engine/apply/cvm_launcher.h"

#include <algorithm>

#include "engine/apply/capacity_error.h"
#include "engine/apply/journal.h"
#include "engine/model/words.h"
#include "engine/plan/refresh.h"

namespace spotform {
namespace {

std::string Instances(int n) { return Plural(n, "instance", "instances"); }

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
  while (count > 0) {
    if (context_.stop.StopRequested()) {
      tally_.interrupted = true;
      return Error(ErrorKind::kConflict,
                   context_.Address() + ": interrupted: " + Instances(count) + " not launched");
    }
    const int chunk = std::min(count, kMaxLaunchCount);
    Status status = LaunchChunk(chunk);
    if (!status.ok()) return status;
    count -= chunk;
  }
  return Status::Ok();
}

Status CvmLauncher::LaunchChunk(int count) {
  LaunchSpec spec;
  spec.zone = step_.spec.zone;
  spec.instance_type = step_.spec.instance_type;
  spec.image_id = step_.spec.image_id;
  spec.max_price = step_.spec.max_price;
  spec.count = count;
  spec.tags = OwnerTags(step_.spec, context_.lineage, context_.environment, step_.pool_id);
  spec.client_token = NewClientToken();
  spec.name = "spotform-" + context_.environment;

  JournalEntry entry = NewIntent(context_, step_.pool_id, kIntentLaunch, EncodeLaunchPayload(spec));
  entry.client_token = spec.client_token;
  Result<int64_t> intent = OpenIntent(context_.store, entry);
  if (!intent.ok()) return intent.error();

  Result<std::vector<std::string>> ids = context_.cloud.LaunchSpotInstances(spec);
  if (!ids.ok()) {
    const ErrorKind kind = ids.error().kind();
    if (kind == ErrorKind::kTransport || kind == ErrorKind::kRetryable) {
      // The outcome is unknown: the open intent lets the next run replay it with its token.
      return Failed(context_, "launch", ids.error());
    }
    // A refusal: RunInstances is all or nothing, so nothing was created.
    Status closed = CloseIntent(context_.store, *intent);
    if (!closed.ok()) return closed;
    return ExplainLaunchFailure(context_.cloud, context_.Address(), spec, ids.error());
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
  return CloseIntent(
      context_.store, *intent,
      StateEdit().Add(StateEdit::PutInstances{context_.environment, step_.pool_id, recorded}));
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
