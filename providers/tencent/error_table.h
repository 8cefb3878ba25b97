#pragma once

#include <string_view>

#include "engine/model/error.h"

namespace spotform {

// The one table that turns Tencent Cloud error codes into ErrorKinds, plus the client-side codes
// that the transport and envelope layers put on their own errors (Error::code() is never empty
// for an error that came from talking to the cloud).
//
// Model: ErrorKind says what went wrong; IsRetryable() says whether the same request may be sent
// again; SafeToRepeatUnanswered() says whether the cloud certainly did nothing, so that even a
// verb that is not safe to repeat may be sent again (providers/tencent/verb_retry_rules.h).

// Client-side codes (never sent by Tencent; named like the official SDKs' ClientError codes).
inline constexpr std::string_view kCodeConnectFailed = "ClientNetworkError.ConnectFailed";
inline constexpr std::string_view kCodeTimeout = "ClientNetworkError.Timeout";
inline constexpr std::string_view kCodeNetwork = "ClientNetworkError";
inline constexpr std::string_view kCodeTls = "ClientNetworkError.Tls";
inline constexpr std::string_view kCodeHttpStatus = "ClientError.HttpStatusCodeError";   // not 5xx
inline constexpr std::string_view kCodeHttpServerError = "ClientError.HttpServerError";  // 5xx
inline constexpr std::string_view kCodeBadResponse = "ClientError.BadResponse";
inline constexpr std::string_view kCodeBadRequest = "ClientError.BadRequest";

// The kind of a code returned in Response.Error.Code. Exact entries win over prefix entries
// ("InvalidParameterValue.InsufficientPrice" is kCapacity although "InvalidParameterValue*" is
// kInvalidInput); among prefixes the longest wins; unknown codes are kTerminal.
ErrorKind KindForCloudCode(std::string_view code);

// True when sending the same request again may succeed: throttling, transient server errors,
// busy resources, timeouts, connection failures and HTTP 5xx.
bool IsRetryable(const Error& error);

// True when the failed request certainly had no effect, so even a request that is not
// idempotent may be repeated: the cloud refused it before acting (RequestLimitExceeded*, or a
// busy resource: ResourceBusy*, MutexOperation.TaskRunning, *AcceptOtherRequest, ...), or the
// connection was never established. False for timeouts, HTTP 5xx, a connection lost after
// sending and InternalError*: the outcome of those is unknown.
bool SafeToRepeatUnanswered(const Error& error);

// "kRetryable", "kCapacity", ... for messages and test output.
std::string_view KindName(ErrorKind kind);

}  // namespace spotform
