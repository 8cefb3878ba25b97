#include "providers/tencent/retrying_caller.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "engine/model/crypto.h"
#include "providers/tencent/error_table.h"
#include "providers/tencent/verb_retry_rules.h"

namespace spotform {
namespace {

// A uniform pick in [0, ceiling] from a generator seeded by OpenSSL's random bytes.
JitterFn UniformJitter() {
  struct State {
    std::mutex mutex;
    std::mt19937_64 engine{std::stoull(RandomHex(8), nullptr, 16)};
  };
  auto state = std::make_shared<State>();
  return [state](std::chrono::nanoseconds ceiling) {
    if (ceiling.count() <= 0) return std::chrono::nanoseconds(0);
    std::uniform_int_distribution<int64_t> pick(0, ceiling.count());
    std::lock_guard<std::mutex> lock(state->mutex);
    return std::chrono::nanoseconds(pick(state->engine));
  };
}

// " (outcome unknown: ...)": why `request` was not repeated and what happens next.
std::string OutcomeUnknownNote(const ApiRequest& request, int attempt) {
  const std::string why = RepeatRuleForRequest(request) == RepeatRule::kRepeatWithToken
                              ? "carries no ClientToken"
                              : "is not safe to repeat";
  return " (" + (attempt == 1 ? std::string() : "attempt " + std::to_string(attempt) + "; ") +
         "outcome unknown: " + request.action + " may have taken effect and " + why +
         ", so it was not sent again; the next run looks at the cloud before it tries again)";
}

}  // namespace

RetryingCaller::RetryingCaller(ApiCaller& inner, Clock& clock, RetryPolicy policy, JitterFn jitter)
    : inner_(inner),
      clock_(clock),
      policy_(policy),
      jitter_(jitter ? std::move(jitter) : UniformJitter()) {}

std::chrono::nanoseconds RetryingCaller::Backoff(int retry) const {
  std::chrono::nanoseconds ceiling = policy_.base_delay;
  for (int i = 1; i < retry && ceiling < policy_.max_delay; ++i) ceiling *= 2;
  ceiling = std::min<std::chrono::nanoseconds>(ceiling, policy_.max_delay);
  return std::clamp<std::chrono::nanoseconds>(jitter_(ceiling), std::chrono::nanoseconds(0),
                                              ceiling);
}

Result<ApiResponse> RetryingCaller::Call(const ApiRequest& request) {
  const Clock::SteadyTime start = clock_.SteadyNow();
  for (int attempt = 1;; ++attempt) {
    Result<ApiResponse> result = inner_.Call(request);
    if (result.ok()) return result;
    const Error& error = result.error();

    const RepeatVerdict verdict = DecideRepeat(request, error);
    if (verdict == RepeatVerdict::kOutcomeUnknown) {
      // Same kind and code (kTransport or kRetryable), so the caller still sees an unanswered
      // request: the engine keeps the call's journal intent open and settles it next run.
      return Error(error.kind(), error.message() + OutcomeUnknownNote(request, attempt),
                   error.code(), error.request_id());
    }
    if (verdict == RepeatVerdict::kStop) {
      if (attempt == 1) return result;
      return Error(error.kind(), error.message() + " (attempt " + std::to_string(attempt) + ")",
                   error.code(), error.request_id());
    }
    const std::chrono::nanoseconds sleep = Backoff(attempt);
    const bool out_of_attempts = attempt >= policy_.max_attempts;
    const bool out_of_time = clock_.SteadyNow() + sleep - start > policy_.max_total;
    if (out_of_attempts || out_of_time) {
      const auto spent =
          std::chrono::duration_cast<std::chrono::milliseconds>(clock_.SteadyNow() - start);
      return Error(error.kind(),
                   error.message() + " (gave up after " + std::to_string(attempt) +
                       (attempt == 1 ? " attempt" : " attempts") + " in " +
                       std::to_string(spent.count()) + " ms)",
                   error.code(), error.request_id());
    }
    clock_.SleepFor(sleep);
  }
}

}  // namespace spotform
