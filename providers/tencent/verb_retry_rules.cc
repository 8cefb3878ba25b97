#include "providers/tencent/verb_retry_rules.h"

#include <array>

#include "providers/tencent/error_table.h"

namespace spotform {
namespace {

struct VerbRule {
  std::string_view action;
  RepeatRule rule;
};

// The one table of what may be repeated when the outcome is unknown. Each write says why, from
// the API's documented behaviour on a repeat; where the documentation is silent or unconfirmed,
// the entry takes the safe answer (kDoNotRepeat). An action missing here is not repeated.
constexpr std::array kVerbRules{
    // Reads change nothing: repeat on any retryable error.
    VerbRule{"DescribeInstances", RepeatRule::kRepeat},
    VerbRule{"DescribeZoneInstanceConfigInfos", RepeatRule::kRepeat},
    VerbRule{"DescribeAccountQuota", RepeatRule::kRepeat},
    VerbRule{"InquiryPriceRunInstances", RepeatRule::kRepeat},
    VerbRule{"DescribeComputeEnv", RepeatRule::kRepeat},
    VerbRule{"DescribeComputeEnvs", RepeatRule::kRepeat},
    VerbRule{"DescribeComputeEnvActivities", RepeatRule::kRepeat},
    VerbRule{"DescribeComputeEnvCreateInfo", RepeatRule::kRepeat},
    VerbRule{"DescribeComputeEnvCreateInfos", RepeatRule::kRepeat},

    // Creates. ClientToken is the documented idempotency key of both (RunInstancesRequest,
    // CreateComputeEnvRequest), and the official Go SDK repeats network failures only for
    // requests that carry one (common/netretry.go). What the cloud answers a replayed token is
    // not documented in detail; spotform relies on "the same result", as it does when it
    // settles an interrupted launch. Without a token a repeat could create twice: not repeated.
    // A RunInstances dry run creates nothing and is repeated freely (RepeatRuleForRequest).
    VerbRule{"RunInstances", RepeatRule::kRepeatWithToken},
    VerbRule{"CreateComputeEnv", RepeatRule::kRepeatWithToken},

    // ModifyComputeEnv sets absolute values (DesiredComputeNodeCount, name, instance types),
    // and a desired count equal to the current one is documented as "no change": a repeat
    // leaves the environment as the first call did.
    VerbRule{"ModifyComputeEnv", RepeatRule::kRepeat},
    // DeleteComputeEnv names one environment; a repeat cannot delete anything more: it is
    // refused while the environment is DELETING and answers ResourceNotFound.ComputeEnv once
    // it is gone (which callers treat as done).
    VerbRule{"DeleteComputeEnv", RepeatRule::kRepeat},
    // TerminateInstances is not harmless twice: a prepaid instance goes to the recycle bin on
    // the first call and is destroyed for good by a second (CVM TerminateInstances doc); a spot
    // instance already TERMINATING is refused (UnsupportedOperation.InstanceStateTerminating),
    // which would hide the first call's success. Look before sending again.
    VerbRule{"TerminateInstances", RepeatRule::kDoNotRepeat},
    // TerminateComputeNode(s): the same node may not be terminated twice (Batch
    // TerminateComputeNodes doc), and whether a termination lowers DesiredComputeNodeCount or
    // is refilled is not documented, so what a repeat does to the count is unknown: safe
    // answer, not repeated.
    VerbRule{"TerminateComputeNodes", RepeatRule::kDoNotRepeat},
    VerbRule{"TerminateComputeNode", RepeatRule::kDoNotRepeat},
};

}  // namespace

std::optional<RepeatRule> FindRepeatRule(std::string_view action) {
  for (const VerbRule& entry : kVerbRules) {
    if (entry.action == action) return entry.rule;
  }
  return std::nullopt;
}

RepeatRule RepeatRuleFor(std::string_view action) {
  return FindRepeatRule(action).value_or(RepeatRule::kDoNotRepeat);
}

bool IsDryRun(const ApiRequest& request) {
  if (!request.params.is_object()) return false;
  auto dry_run = request.params.find("DryRun");
  return dry_run != request.params.end() && dry_run->is_boolean() && dry_run->get<bool>();
}

RepeatRule RepeatRuleForRequest(const ApiRequest& request) {
  // A RunInstances dry run checks the request (and stock) and creates nothing (reference §2.1
  // DryRun): repeat it like a read. Other actions' DryRun is not documented: their own rule.
  if (request.action == "RunInstances" && IsDryRun(request)) return RepeatRule::kRepeat;
  return RepeatRuleFor(request.action);
}

bool HasClientToken(const ApiRequest& request) {
  if (!request.params.is_object()) return false;
  auto token = request.params.find("ClientToken");
  return token != request.params.end() && token->is_string() &&
         !token->get_ref<const std::string&>().empty();
}

RepeatVerdict DecideRepeat(const ApiRequest& request, const Error& error) {
  if (!IsRetryable(error)) return RepeatVerdict::kStop;
  if (SafeToRepeatUnanswered(error)) return RepeatVerdict::kRepeat;
  switch (RepeatRuleForRequest(request)) {
    case RepeatRule::kRepeat:
      return RepeatVerdict::kRepeat;
    case RepeatRule::kRepeatWithToken:
      return HasClientToken(request) ? RepeatVerdict::kRepeat : RepeatVerdict::kOutcomeUnknown;
    case RepeatRule::kDoNotRepeat:
      return RepeatVerdict::kOutcomeUnknown;
  }
  return RepeatVerdict::kOutcomeUnknown;
}

}  // namespace spotform
