#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/model/cloud.h"
#include "providers/tencent/api_caller.h"

namespace spotform {

struct TencentCloudOptions {
  std::string region;       // X-TC-Region of every call, e.g. "ap-guangzhou"
  size_t max_parallel = 8;  // calls in flight at once for chunked and paged verbs
};

// TencentCloud implements the engine's Cloud over Tencent Cloud API 3.0: CVM (RunInstances,
// DescribeInstances, TerminateInstances, DescribeZoneInstanceConfigInfos, DescribeAccountQuota)
// and Batch Compute (CreateComputeEnv, DescribeComputeEnv(s), ModifyComputeEnv,
// TerminateComputeNodes, DeleteComputeEnv, DescribeComputeEnvActivities). It chunks ids and
// filter values by 100, pages lists by 100, runs chunks and pages in parallel (at most
// options.max_parallel at once), reads every reply field through ResponseReader, and prefixes
// the ApiCaller's errors with the action and its subject. Signing, retries and rate limits
// belong to the ApiCaller, which is not owned and must outlive this object. Thread-safe: it
// holds no mutable state.
//
// The RunInstances verbs are in tencent_cloud_launch.cc, the spot market verbs in
// tencent_cloud_market.cc, the other CVM verbs in tencent_cloud.cc, the Batch verbs in
// tencent_cloud_batch.cc.
class TencentCloud final : public Cloud {
 public:
  static constexpr size_t kMaxIdsPerCall = 100;
  static constexpr int64_t kPageSize = 100;

  TencentCloud(ApiCaller& caller, TencentCloudOptions options);

  Result<std::vector<std::string>> LaunchSpotInstances(const LaunchSpec& spec) override;
  Result<InstanceObservation> DescribeInstances(const std::vector<std::string>& ids) override;
  Result<std::vector<ObservedInstance>> FindInstances(const InstanceQuery& query) override;
  Result<TerminateOutcome> TerminateInstances(const std::vector<InstanceRef>& instances) override;
  Result<SpotOffer> GetSpotOffer(const std::string& zone,
                                 const std::string& instance_type) override;
  // One DescribeZoneInstanceConfigInfos call per 100 zones x 100 types (one call for lists of
  // at most 100 names each), in parallel.
  Result<std::vector<SpotOffer>> DescribeSpotOffers(
      const std::vector<std::string>& zones,
      const std::vector<std::string>& instance_types) override;
  Result<std::vector<SpotQuota>> DescribeSpotQuota() override;
  // Checks the spec like LaunchSpotInstances, except that the ClientToken may be empty (then it
  // is not sent). Both answers the reference leaves open mean success: the DryRunOperation
  // error, and an ordinary answer without instance ids.
  Status DryRunLaunch(const LaunchSpec& spec) override;

  Result<std::string> CreateComputeEnv(const ComputeEnvSpec& spec) override;
  Result<ComputeEnv> DescribeComputeEnv(const std::string& env_id) override;
  Result<std::vector<ComputeEnvInfo>> ListComputeEnvs(const ComputeEnvQuery& query) override;
  Status SetDesiredCount(const std::string& env_id, int desired_count) override;
  Status SetInstanceTypes(const std::string& env_id,
                          const std::vector<std::string>& types) override;
  Status TerminateComputeNodes(const std::string& env_id,
                               const std::vector<std::string>& node_ids) override;
  Status DeleteComputeEnv(const std::string& env_id) override;
  Result<std::vector<ComputeEnvActivity>> DescribeComputeEnvActivities(
      const std::string& env_id) override;

 private:
  // One call; a failure comes back as the caller's Error prefixed with `subject`. Whether a
  // retry may repeat it is the action's RepeatRule (verb_retry_rules.h), not this caller's.
  Result<ApiResponse> Call(const std::string& service, const std::string& action,
                           nlohmann::json params, const std::string& subject) const;
  // The SPOTPAID offers of one DescribeZoneInstanceConfigInfos call (at most
  // kMaxFilterValues zones and types), as the cloud listed them.
  Result<std::vector<SpotOffer>> OfferChunk(const std::vector<std::string>& zones,
                                            const std::vector<std::string>& types) const;
  // DescribeInstances of at most kMaxIdsPerCall ids.
  Result<std::vector<ObservedInstance>> DescribeChunk(const std::vector<std::string>& ids) const;
  // One TerminateInstances call of at most kMaxIdsPerCall ids of one charge type.
  Status SendTerminate(const std::vector<std::string>& ids) const;
  // SendTerminate, and when the cloud refuses because some instance is gone or already on its
  // way out, a fresh look at the chunk and one more call for the rest. Returns the ids sent.
  Result<std::vector<std::string>> TerminateChunk(const std::vector<std::string>& ids) const;

  ApiCaller& caller_;
  const TencentCloudOptions options_;
};

}  // namespace spotform
