#include "cmd/progress_printer.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "engine/plan/step_text.h"

namespace spotform {
namespace {

constexpr char kCursorUp[] = "\x1b[A";
constexpr char kClearLine[] = "\r\x1b[K";

std::string_view ResultName(ChangeOutcome::Result result) {
  switch (result) {
    case ChangeOutcome::Result::kDone:
      return "done";
    case ChangeOutcome::Result::kFailed:
      return "failed";
    case ChangeOutcome::Result::kNotStarted:
      return "not started";
    case ChangeOutcome::Result::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

std::string PadRight(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string PadLeft(const std::string& text, size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

}  // namespace

std::string FormatElapsed(std::chrono::seconds elapsed) {
  const long long total = std::max<long long>(0, elapsed.count());
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(text, sizeof(text), "%lld:%02lld", total / 60, total % 60);
  }
  return text;
}

ProgressPrinter::ProgressPrinter(std::ostream& out, bool live, const Clock& clock)
    : out_(out), live_(live), clock_(clock) {
  if (live_) ticker_ = std::jthread([this](const std::stop_token& stop) { Tick(stop); });
}

ProgressPrinter::~ProgressPrinter() { Finish(); }

void ProgressPrinter::StepStarted(const std::string& address, const Step& step) {
  std::lock_guard<std::mutex> lock(mutex_);
  waited_.erase(address);
  PrintEventLocked(address + ": " + DescribeStep(step) + "...");
}

void ProgressPrinter::StepFinished(const std::string& address, const Step& step,
                                   const Status& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  KeepWaitLineLocked(address);
  last_counts_.erase(address);
  const bool waited = waited_.erase(address) > 0;
  if (status.ok()) {
    // A wait that never polled was skipped (--no-wait): its note already said so.
    if (step.kind == StepKind::kWaitForCapacity && !waited) return;
    PrintEventLocked(address + ": " + DescribeStepDone(step));
    return;
  }
  // Messages name their subject first ("env.render: launch failed: ..."); keep one.
  const std::string& message = status.error().message();
  PrintEventLocked(message.rfind(address + ": ", 0) == 0
                       ? message
                       : address + ": " + DescribeStepAction(step) + " failed: " + message);
}

void ProgressPrinter::Waiting(const std::string& address, int target, int running, int pending,
                              std::chrono::seconds elapsed) {
  std::lock_guard<std::mutex> lock(mutex_);
  waited_.insert(address);
  const Wait wait{target, running, pending, elapsed, clock_.SteadyNow()};
  if (live_) {
    EraseLiveLocked();
    waits_[address] = wait;
    DrawLiveLocked();
    return;
  }
  const auto counts = std::make_tuple(target, running, pending);
  auto last = last_counts_.find(address);
  if (last != last_counts_.end() && last->second == counts) return;
  last_counts_[address] = counts;
  out_ << WaitLineLocked(address, wait) << "\n" << std::flush;
}

void ProgressPrinter::Note(const std::string& address, const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  PrintEventLocked(address + ": " + message);
}

void ProgressPrinter::Finish() {
  if (ticker_.joinable()) {
    ticker_.request_stop();
    tick_.notify_all();
    ticker_.join();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  // Waits still shown (an interrupted or failed run) stay on screen as they last were.
  while (!waits_.empty()) KeepWaitLineLocked(waits_.begin()->first);
  out_ << std::flush;
}

std::string ProgressPrinter::WaitLineLocked(const std::string& address, const Wait& wait) const {
  // On a terminal the timer runs on from the last report, so it moves between polls.
  std::chrono::seconds elapsed = wait.elapsed;
  if (live_) {
    elapsed += std::chrono::duration_cast<std::chrono::seconds>(clock_.SteadyNow() - wait.reported);
  }
  return address + "  " + std::to_string(wait.running) + "/" + std::to_string(wait.target) +
         " running, " + std::to_string(wait.pending) + " pending, " + FormatElapsed(elapsed);
}

void ProgressPrinter::KeepWaitLineLocked(const std::string& address) {
  auto wait = waits_.find(address);
  if (wait == waits_.end()) return;
  const std::string line = WaitLineLocked(address, wait->second);
  EraseLiveLocked();
  waits_.erase(wait);
  out_ << line << "\n";
  DrawLiveLocked();
}

void ProgressPrinter::PrintEventLocked(const std::string& line) {
  EraseLiveLocked();
  out_ << line << "\n";
  DrawLiveLocked();
}

void ProgressPrinter::EraseLiveLocked() {
  if (!live_) return;
  for (; drawn_ > 0; --drawn_) out_ << kCursorUp << kClearLine;
}

void ProgressPrinter::DrawLiveLocked() {
  if (!live_) {
    out_ << std::flush;
    return;
  }
  for (const auto& [address, wait] : waits_) out_ << WaitLineLocked(address, wait) << "\n";
  drawn_ = static_cast<int>(waits_.size());
  out_ << std::flush;
}

void ProgressPrinter::Tick(const std::stop_token& stop) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop.stop_requested()) {
    tick_.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
    if (stop.stop_requested()) return;
    if (waits_.empty()) continue;
    EraseLiveLocked();
    DrawLiveLocked();
  }
}

std::string RenderApplyReport(const Plan& plan, const ApplyReport& report) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < report.changes.size() && i < plan.changes.size(); ++i) {
    if (plan.changes[i].action == ChangeAction::kNoOp) continue;
    const ChangeOutcome& outcome = report.changes[i];
    rows.push_back({outcome.address, std::to_string(outcome.launched),
                    std::to_string(outcome.released), std::string(ResultName(outcome.result)),
                    outcome.error});
  }
  size_t address_width = std::string("ENVIRONMENT").size();
  for (const auto& row : rows) address_width = std::max(address_width, row[0].size());
  std::string text =
      PadRight("ENVIRONMENT", address_width) + "  LAUNCHED  RELEASED  RESULT       ERROR\n";
  for (const auto& row : rows) {
    std::string line = PadRight(row[0], address_width) + "  " + PadLeft(row[1], 8) + "  " +
                       PadLeft(row[2], 8) + "  " + PadRight(row[3], 11) + "  " + row[4];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  return text;
}

}  // namespace spotform
