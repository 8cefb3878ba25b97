#pragma once

#include <string>
#include <vector>

#include "engine/model/cloud_types.h"
#include "engine/model/result.h"

namespace spotform {

// Limits of the cloud that callers plan around.
inline constexpr int kMaxLaunchCount = 100;    // instances per LaunchSpotInstances call
inline constexpr int kMaxComputeNodes = 2000;  // DesiredComputeNodeCount per environment
inline constexpr size_t kMaxClientTokenLength = 64;
inline constexpr size_t kMaxBatchInstanceTypes = 10;  // EnvData.InstanceTypes per environment

// Cloud is the engine's view of a cloud with spot capacity: a handful of verbs for CVM spot
// instances and Batch Compute environments. Implementations (providers/tencent/tencent_cloud.h,
// fakes in tests) are thread-safe; many verbs may run at once. Every failure is an Error whose
// message names the action and its subject first; kind() is what the engine branches on:
// kCapacity for stock or price refusals, kNotFound for a missing resource, kRetryable when
// the retry budget ran out, kTransport when a reply was unreadable (the outcome is unknown).
// Batching (<= 100 ids per call), paging and parallel calls are the implementation's job.
class Cloud {
 public:
  virtual ~Cloud() = default;

  // --- CVM spot instances -------------------------------------------------------------------

  // Launches spec.count (1..kMaxLaunchCount) one-time spot instances in one call and returns
  // their ids. Splitting larger launches is the caller's job, one recorded client_token per
  // call; repeating a call with the same client_token must not launch twice. The call is
  // asynchronous: instances start pending.
  virtual Result<std::vector<std::string>> LaunchSpotInstances(const LaunchSpec& spec) = 0;

  // Describes the given instances (any number). Ids the cloud does not return are `missing`.
  virtual Result<InstanceObservation> DescribeInstances(const std::vector<std::string>& ids) = 0;

  // Every instance of the region matching the query (all pages).
  virtual Result<std::vector<ObservedInstance>> FindInstances(const InstanceQuery& query) = 0;

  // Releases the given instances (any number), in calls that never mix charge types (the
  // cloud refuses those). Instances given without a charge type are described first; those
  // found gone, terminating or failed at launch are skipped. A pending instance cannot be
  // released yet (the cloud refuses; wait for it). An error means some instances may have been
  // released: re-describe before deciding what is left.
  virtual Result<TerminateOutcome> TerminateInstances(
      const std::vector<InstanceRef>& instances) = 0;

  // The current spot price and stock of a type in a zone; kNotFound when it is not sold
  // as spot there.
  virtual Result<SpotOffer> GetSpotOffer(const std::string& zone,
                                         const std::string& instance_type) = 0;

  // The spot offers of every (zone, type) pair of the two lists, in one query
  // (DescribeZoneInstanceConfigInfos filtered by zone, instance type and SPOTPAID; lists of at
  // most 100 names each). Pairs the market does not sell as spot are absent; a sold-out pair
  // is present with on_sale false.
  virtual Result<std::vector<SpotOffer>> DescribeSpotOffers(
      const std::vector<std::string>& zones, const std::vector<std::string>& instance_types) = 0;

  // The account's spot quota per zone of the region, in vCPUs. Zones the cloud does not list
  // are absent (no known limit).
  virtual Result<std::vector<SpotQuota>> DescribeSpotQuota() = 0;

  // Checks a launch without launching anything (RunInstances with DryRun): ok when the cloud
  // says the request would have succeeded, else the cloud's refusal (image, quota, stock,
  // permissions) as an Error of the usual kinds.
  virtual Status DryRunLaunch(const LaunchSpec& spec) = 0;

  // --- Batch Compute environments -----------------------------------------------------------

  // Creates an environment of spot nodes and returns its id. Capacity arrives asynchronously:
  // stock or price shortfalls do not fail this call. Repeating it with the same client_token
  // must not create a second environment.
  virtual Result<std::string> CreateComputeEnv(const ComputeEnvSpec& spec) = 0;

  // One environment with its nodes; kNotFound when it does not exist.
  virtual Result<ComputeEnv> DescribeComputeEnv(const std::string& env_id) = 0;

  // Every environment of the region matching the query (all pages), without node lists.
  virtual Result<std::vector<ComputeEnvInfo>> ListComputeEnvs(const ComputeEnvQuery& query) = 0;

  // Sets the number of nodes Batch keeps. Lowering it may or may not remove nodes by itself;
  // describe to confirm before releasing nodes.
  virtual Status SetDesiredCount(const std::string& env_id, int desired_count) = 0;

  // Sets the instance types Batch creates new nodes from, in preference order (1..10, no
  // duplicates): ModifyComputeEnv with EnvData.InstanceTypes. Nodes already created keep
  // their type.
  virtual Status SetInstanceTypes(const std::string& env_id,
                                  const std::vector<std::string>& types) = 0;

  // Releases the given nodes (any number). Whether Batch then lowers the desired count or
  // refills is the cloud's choice; re-read the desired count afterwards.
  virtual Status TerminateComputeNodes(const std::string& env_id,
                                       const std::vector<std::string>& node_ids) = 0;

  // Deletes an environment (asynchronously: it shows next_action "DELETING" for a while).
  virtual Status DeleteComputeEnv(const std::string& env_id) = 0;

  // The environment's activity log (all pages), oldest first as the cloud lists it.
  virtual Result<std::vector<ComputeEnvActivity>> DescribeComputeEnvActivities(
      const std::string& env_id) = 0;
};

}  // namespace spotform
