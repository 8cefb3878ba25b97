// The error table, code by code: what the engine and the retry layer see for each cloud code.
#include "providers/tencent/error_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace spotform {
namespace {

struct Row {
  std::string code;
  ErrorKind kind;
};

void ExpectKinds(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    EXPECT_EQ(KindName(KindForCloudCode(row.code)), KindName(row.kind)) << row.code;
  }
}

TEST(ErrorTable, RetryableCodes) {
  ExpectKinds({
      {"RequestLimitExceeded", ErrorKind::kRetryable},
      {"RequestLimitExceeded.GlobalRegionUinLimitExceeded", ErrorKind::kRetryable},
      {"RequestLimitExceeded.IPLimitExceeded", ErrorKind::kRetryable},
      {"RequestLimitExceeded.UinLimitExceeded", ErrorKind::kRetryable},
      {"InternalError", ErrorKind::kRetryable},
      {"InternalError.CallCvm", ErrorKind::kRetryable},
      {"InternalError.TradeUnknownError", ErrorKind::kRetryable},
      {"InternalServerError", ErrorKind::kRetryable},
      {"ServiceUnavailable", ErrorKind::kRetryable},
      {"UnsupportedOperation.ComputeEnvAcceptOtherRequest", ErrorKind::kRetryable},
      {"OperationDenied.InstanceOperationInProgress", ErrorKind::kRetryable},
      {"MutexOperation.TaskRunning", ErrorKind::kRetryable},
      {"UnsupportedOperation.AcceptOtherRequest", ErrorKind::kRetryable},
      {"ResourceBusy", ErrorKind::kRetryable},
  });
}

TEST(ErrorTable, CapacityAndPriceCodes) {
  ExpectKinds({
      {"InvalidParameterValue.InsufficientPrice", ErrorKind::kCapacity},
      {"InvalidParameterValue.InsufficientOffering", ErrorKind::kCapacity},
      {"LimitExceeded.SpotQuota", ErrorKind::kCapacity},
      {"LimitExceeded.UserSpotQuota", ErrorKind::kCapacity},
      {"LimitExceeded.InstanceQuota", ErrorKind::kCapacity},
      {"LimitExceeded.CvmInstanceQuota", ErrorKind::kCapacity},
      {"LimitExceeded.CpuQuota", ErrorKind::kCapacity},
      {"InstancesQuotaLimitExceeded", ErrorKind::kCapacity},
      {"ResourceInsufficient.SpecifiedInstanceType", ErrorKind::kCapacity},
      {"ResourceInsufficient.AvailabilityZoneSoldOut", ErrorKind::kCapacity},
      {"ResourceInsufficient.ZoneSoldOutForSpecifiedInstance", ErrorKind::kCapacity},
      {"ResourceInsufficient.InsufficientOfferingMinimum", ErrorKind::kCapacity},
      {"ResourcesSoldOut.SpecifiedInstanceType", ErrorKind::kCapacity},
      {"ResourcesSoldOut.AvailableZone", ErrorKind::kCapacity},
      {"ResourceUnavailable.InstanceType", ErrorKind::kCapacity},
      {"ResourceNotFound.InvalidZoneInstanceType", ErrorKind::kCapacity},
      {"UnsupportedOperation.NoInstanceTypeSupportSpot", ErrorKind::kCapacity},
      {"UnsupportedOperation.SpotUnsupportedRegion", ErrorKind::kCapacity},
  });
}

TEST(ErrorTable, PartialDeliveryCodes) {
  ExpectKinds({
      {"UnsupportedOperation.MinCountUnsupportedRegion", ErrorKind::kUnsupported},
      {"UnsupportedOperation.MinCountUnsupportedChargeType", ErrorKind::kUnsupported},
      {"ResourceInsufficient.InsufficientOfferingMinimum", ErrorKind::kCapacity},
      {"InvalidParameterValue.InvalidParameterMinCount", ErrorKind::kInvalidInput},
  });
  EXPECT_EQ(KindName(ErrorKind::kUnsupported), "kUnsupported");
  EXPECT_FALSE(IsRetryable(
      Error(ErrorKind::kUnsupported, "m", "UnsupportedOperation.MinCountUnsupportedRegion")));
}

TEST(ErrorTable, AuthCodes) {
  ExpectKinds({
      {"AuthFailure.SignatureFailure", ErrorKind::kAuth},
      {"AuthFailure.SignatureExpire", ErrorKind::kAuth},
      {"AuthFailure.SecretIdNotFound", ErrorKind::kAuth},
      {"AuthFailure.InvalidAuthorization", ErrorKind::kAuth},
      {"AuthFailure.TokenFailure", ErrorKind::kAuth},
      {"AuthFailure.UnauthorizedOperation", ErrorKind::kAuth},
      {"UnauthorizedOperation", ErrorKind::kAuth},
      {"UnauthorizedOperation.InvalidToken", ErrorKind::kAuth},
  });
}

TEST(ErrorTable, NotFoundAndInvalidInputCodes) {
  ExpectKinds({
      {"ResourceNotFound.ComputeEnv", ErrorKind::kNotFound},
      {"ResourceNotFound.ComputeNode", ErrorKind::kNotFound},
      {"InvalidInstanceId.NotFound", ErrorKind::kNotFound},
      {"InvalidImageId.NotFound", ErrorKind::kNotFound},
      {"InvalidParameter", ErrorKind::kInvalidInput},
      {"InvalidParameter.EnvIdMalformed", ErrorKind::kInvalidInput},
      {"InvalidParameterValue", ErrorKind::kInvalidInput},
      {"InvalidParameterValue.InstanceIdMalformed", ErrorKind::kInvalidInput},
      {"MissingParameter", ErrorKind::kInvalidInput},
      {"UnknownParameter", ErrorKind::kInvalidInput},
      {"InvalidAction", ErrorKind::kInvalidInput},
      {"InvalidFilter", ErrorKind::kInvalidInput},
      {"InvalidFilterValue.LimitExceeded", ErrorKind::kInvalidInput},
      {"InvalidInstanceId.Malformed", ErrorKind::kInvalidInput},
      {"InvalidZone.MismatchRegion", ErrorKind::kInvalidInput},
  });
}

TEST(ErrorTable, EverythingElseIsTerminal) {
  ExpectKinds({
      {"UnsupportedOperation", ErrorKind::kTerminal},
      {"UnsupportedOperation.InstanceStateTerminating", ErrorKind::kTerminal},
      {"UnsupportedOperation.NotEnoughComputeNodesToTerminate", ErrorKind::kTerminal},
      {"LimitExceeded.ComputeEnvQuota", ErrorKind::kTerminal},
      {"InvalidAccount.InsufficientBalance", ErrorKind::kTerminal},
      {"FailedOperation", ErrorKind::kTerminal},
      {"ActionOffline", ErrorKind::kTerminal},
      {"DryRunOperation", ErrorKind::kTerminal},
      {"", ErrorKind::kTerminal},
      // Prefix rules match whole code segments only as written: no accidental matches.
      {"RequestLimit", ErrorKind::kTerminal},
      {"Internal", ErrorKind::kTerminal},
  });
}

TEST(ErrorTable, RetryableCloudErrorsAndTransportFailures) {
  EXPECT_TRUE(IsRetryable(Error(ErrorKind::kRetryable, "m", "InternalError")));
  EXPECT_TRUE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeTimeout))));
  EXPECT_TRUE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeConnectFailed))));
  EXPECT_TRUE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeNetwork))));
  EXPECT_TRUE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeHttpServerError))));

  EXPECT_FALSE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeHttpStatus))));
  EXPECT_FALSE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeBadResponse))));
  EXPECT_FALSE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeTls))));
  EXPECT_FALSE(IsRetryable(Error(ErrorKind::kTransport, "m", std::string(kCodeBadRequest))));
  EXPECT_FALSE(IsRetryable(Error(ErrorKind::kCapacity, "m", "LimitExceeded.SpotQuota")));
  EXPECT_FALSE(IsRetryable(Error(ErrorKind::kAuth, "m", "AuthFailure.SignatureFailure")));
  EXPECT_FALSE(IsRetryable(Error(ErrorKind::kTerminal, "m", "UnsupportedOperation")));
}

TEST(ErrorTable, OnlyUnansweredFailuresAreSafeToRepeatForNonIdempotentCalls) {
  EXPECT_TRUE(SafeToRepeatUnanswered(Error(ErrorKind::kRetryable, "m", "RequestLimitExceeded")));
  EXPECT_TRUE(SafeToRepeatUnanswered(
      Error(ErrorKind::kRetryable, "m", "RequestLimitExceeded.UinLimitExceeded")));
  EXPECT_TRUE(
      SafeToRepeatUnanswered(Error(ErrorKind::kTransport, "m", std::string(kCodeConnectFailed))));
  // Busy: refused before acting.
  for (const char* busy : {"UnsupportedOperation.ComputeEnvAcceptOtherRequest",
                           "UnsupportedOperation.AcceptOtherRequest", "MutexOperation.TaskRunning",
                           "OperationDenied.InstanceOperationInProgress", "ResourceBusy.Disk"}) {
    EXPECT_TRUE(SafeToRepeatUnanswered(Error(ErrorKind::kRetryable, "m", busy))) << busy;
  }

  // The request may have had an effect before these.
  EXPECT_FALSE(SafeToRepeatUnanswered(Error(ErrorKind::kRetryable, "m", "InternalError")));
  EXPECT_FALSE(
      SafeToRepeatUnanswered(Error(ErrorKind::kTransport, "m", std::string(kCodeTimeout))));
  EXPECT_FALSE(
      SafeToRepeatUnanswered(Error(ErrorKind::kTransport, "m", std::string(kCodeNetwork))));
  EXPECT_FALSE(
      SafeToRepeatUnanswered(Error(ErrorKind::kTransport, "m", std::string(kCodeHttpServerError))));
  EXPECT_FALSE(SafeToRepeatUnanswered(Error(ErrorKind::kRetryable, "m", "InternalError.Db")));
  EXPECT_FALSE(SafeToRepeatUnanswered(Error(ErrorKind::kRetryable, "m", "ServiceUnavailable")));
  // An answer that is not a refusal for being busy or throttled proves nothing either.
  EXPECT_FALSE(SafeToRepeatUnanswered(Error(ErrorKind::kTerminal, "m", "UnsupportedOperation")));
  EXPECT_FALSE(SafeToRepeatUnanswered(Error(ErrorKind::kTerminal, "m", "NoSuchCode")));
}

}  // namespace
}  // namespace spotform
