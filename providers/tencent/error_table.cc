#include "providers/tencent/error_table.h"

#include <array>
#include <string>

namespace spotform {
namespace {

struct CodeRule {
  std::string_view pattern;  // a code, or a prefix ending in '*'
  ErrorKind kind;
  // The cloud refused before acting (throttled, or the resource is busy with another
  // request): repeating cannot do anything twice, whatever the verb.
  bool refused_before_acting = false;
};

// Sources: reference §1.5 (common codes), §3 (CVM), §4 (Batch). Keep sorted by kind.
constexpr std::array kRules{
    // Throttling and busy resources (Batch answers *AcceptOtherRequest while an environment is
    // busy with another request): refused before anything was done; send again after a backoff.
    CodeRule{"RequestLimitExceeded*", ErrorKind::kRetryable, true},
    CodeRule{"UnsupportedOperation.ComputeEnvAcceptOtherRequest", ErrorKind::kRetryable, true},
    CodeRule{"OperationDenied.InstanceOperationInProgress", ErrorKind::kRetryable, true},
    CodeRule{"MutexOperation.TaskRunning", ErrorKind::kRetryable, true},
    CodeRule{"UnsupportedOperation.AcceptOtherRequest", ErrorKind::kRetryable, true},  // Batch
    CodeRule{"ResourceBusy*", ErrorKind::kRetryable, true},
    // Transient server trouble: worth another try, but the request may have had an effect.
    CodeRule{"InternalError*", ErrorKind::kRetryable},
    CodeRule{"InternalServerError", ErrorKind::kRetryable},
    CodeRule{"ServiceUnavailable", ErrorKind::kRetryable},
    // Spot stock, bid price and quota: the cloud cannot sell what was asked now.
    CodeRule{"InvalidParameterValue.InsufficientPrice", ErrorKind::kCapacity},
    CodeRule{"InvalidParameterValue.InsufficientOffering", ErrorKind::kCapacity},
    CodeRule{"LimitExceeded.SpotQuota", ErrorKind::kCapacity},
    CodeRule{"LimitExceeded.UserSpotQuota", ErrorKind::kCapacity},
    CodeRule{"LimitExceeded.InstanceQuota", ErrorKind::kCapacity},
    CodeRule{"LimitExceeded.CvmInstanceQuota", ErrorKind::kCapacity},
    CodeRule{"LimitExceeded.CpuQuota", ErrorKind::kCapacity},
    CodeRule{"InstancesQuotaLimitExceeded", ErrorKind::kCapacity},
    CodeRule{"ResourceInsufficient*", ErrorKind::kCapacity},
    CodeRule{"ResourcesSoldOut*", ErrorKind::kCapacity},
    CodeRule{"ResourceUnavailable.InstanceType", ErrorKind::kCapacity},
    CodeRule{"ResourceNotFound.InvalidZoneInstanceType", ErrorKind::kCapacity},
    CodeRule{"UnsupportedOperation.NoInstanceTypeSupportSpot", ErrorKind::kCapacity},
    CodeRule{"UnsupportedOperation.SpotUnsupportedRegion", ErrorKind::kCapacity},
    // Partial delivery (RunInstances MinCount): fewer than MinCount in stock is a stock refusal
    // like the others (the prefix rule says so too; listed for the record).
    CodeRule{"ResourceInsufficient.InsufficientOfferingMinimum", ErrorKind::kCapacity},
    // Options the cloud does not offer to this account or region. MinCount (partial delivery)
    // is offered to some accounts, regions and charge types only: the caller falls back to
    // all-or-nothing launches.
    CodeRule{"UnsupportedOperation.MinCountUnsupportedRegion", ErrorKind::kUnsupported},
    CodeRule{"UnsupportedOperation.MinCountUnsupportedChargeType", ErrorKind::kUnsupported},
    // Credentials and permissions.
    CodeRule{"AuthFailure*", ErrorKind::kAuth},
    CodeRule{"UnauthorizedOperation*", ErrorKind::kAuth},
    // The thing named does not exist.
    CodeRule{"ResourceNotFound*", ErrorKind::kNotFound},
    CodeRule{"InvalidInstanceId.NotFound", ErrorKind::kNotFound},
    CodeRule{"InvalidImageId.NotFound", ErrorKind::kNotFound},
    // The request itself is wrong.
    CodeRule{"InvalidParameter*", ErrorKind::kInvalidInput},  // also InvalidParameterValue*
    // A MinCount the API refuses (listed for the record; the prefix rule says so too).
    CodeRule{"InvalidParameterValue.InvalidParameterMinCount", ErrorKind::kInvalidInput},
    CodeRule{"MissingParameter*", ErrorKind::kInvalidInput},
    CodeRule{"UnknownParameter*", ErrorKind::kInvalidInput},
    CodeRule{"InvalidAction", ErrorKind::kInvalidInput},
    CodeRule{"InvalidFilter*", ErrorKind::kInvalidInput},
    CodeRule{"InvalidInstanceId.Malformed", ErrorKind::kInvalidInput},
    CodeRule{"InvalidZone.MismatchRegion", ErrorKind::kInvalidInput},
    // DryRunOperation (a dry run that would have succeeded) has no entry: it stays kTerminal,
    // so no layer repeats it, and TencentCloud::DryRunLaunch reads it as success.
};

bool IsPrefix(std::string_view pattern) { return !pattern.empty() && pattern.back() == '*'; }

bool IsClientCode(std::string_view code) {
  return code.starts_with("ClientNetworkError") || code.starts_with("ClientError");
}

// The rule of `code`: its exact entry, else the longest matching prefix, else nullptr.
const CodeRule* FindRule(std::string_view code) {
  const CodeRule* best_prefix = nullptr;
  for (const CodeRule& rule : kRules) {
    if (!IsPrefix(rule.pattern)) {
      if (rule.pattern == code) return &rule;
      continue;
    }
    std::string_view stem = rule.pattern.substr(0, rule.pattern.size() - 1);
    if (code.starts_with(stem) &&
        (best_prefix == nullptr || stem.size() + 1 > best_prefix->pattern.size())) {
      best_prefix = &rule;
    }
  }
  return best_prefix;
}

}  // namespace

ErrorKind KindForCloudCode(std::string_view code) {
  const CodeRule* rule = FindRule(code);
  return rule != nullptr ? rule->kind : ErrorKind::kTerminal;
}

bool IsRetryable(const Error& error) {
  if (error.kind() == ErrorKind::kRetryable) return true;
  if (error.kind() != ErrorKind::kTransport) return false;
  const std::string& code = error.code();
  return code == kCodeConnectFailed || code == kCodeTimeout || code == kCodeNetwork ||
         code == kCodeHttpServerError;
}

bool SafeToRepeatUnanswered(const Error& error) {
  if (error.code() == kCodeConnectFailed) return true;
  if (IsClientCode(error.code())) return false;
  const CodeRule* rule = FindRule(error.code());
  return rule != nullptr && rule->refused_before_acting;
}

std::string_view KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return "kInvalidInput";
    case ErrorKind::kNotFound:
      return "kNotFound";
    case ErrorKind::kConflict:
      return "kConflict";
    case ErrorKind::kAuth:
      return "kAuth";
    case ErrorKind::kCapacity:
      return "kCapacity";
    case ErrorKind::kRetryable:
      return "kRetryable";
    case ErrorKind::kTransport:
      return "kTransport";
    case ErrorKind::kUnsupported:
      return "kUnsupported";
    case ErrorKind::kTerminal:
      return "kTerminal";
    case ErrorKind::kInternal:
      return "kInternal";
  }
  return "unknown";
}

}  // namespace spotform
