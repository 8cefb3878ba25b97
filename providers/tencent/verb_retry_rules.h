#pragma once

#include <optional>
#include <string_view>

#include "engine/model/error.h"
#include "providers/tencent/api_caller.h"

namespace spotform {

// Whether an action may be sent again when its outcome is unknown: the request may have reached
// the cloud and taken effect, but no answer says so (a timeout, HTTP 5xx, a connection lost
// after sending, InternalError). A failure that proves the cloud did nothing
// (SafeToRepeatUnanswered: throttled, busy, never connected) is repeated whatever the rule.
enum class RepeatRule {
  kRepeat,           // reads, and writes whose repeat cannot do more than the first call did
  kRepeatWithToken,  // creates: repeated only when the request carries a ClientToken, which the
                     // repeat resends unchanged
  kDoNotRepeat,      // the caller must look at the cloud before it tries again
};

// The table's rule for `action` ("TerminateComputeNodes"), or nullopt when it has none.
std::optional<RepeatRule> FindRepeatRule(std::string_view action);

// The rule of an action: the table's, or kDoNotRepeat for an action not in it.
RepeatRule RepeatRuleFor(std::string_view action);

// The rule RetryingCaller applies to `request`: kRepeat for a RunInstances dry run (with
// "DryRun": true it creates nothing), else the rule of its action.
RepeatRule RepeatRuleForRequest(const ApiRequest& request);

// True when `request` carries "DryRun": true.
bool IsDryRun(const ApiRequest& request);

// What a retry may do after `request` failed with `error`.
enum class RepeatVerdict {
  kRepeat,          // send the same request again (after a backoff)
  kStop,            // the error is final (or not worth a retry): return it
  kOutcomeUnknown,  // the error is retryable, but the request may have taken effect and its
                    // rule forbids a blind repeat: return it, saying the outcome is unknown
};
RepeatVerdict DecideRepeat(const ApiRequest& request, const Error& error);

// True when `request` carries a non-empty string ClientToken.
bool HasClientToken(const ApiRequest& request);

}  // namespace spotform
