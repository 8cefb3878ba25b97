#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/cloud.h"

namespace spotform {

// FakeCloud is an in-memory Cloud for unit tests of one engine class: instances and Batch
// environments that tests set up directly, and a log of the verbs called ("DescribeInstances
// 3 ids", ...). It has no market and no time: launches are RUNNING at once. End-to-end
// behaviour is proven against spotform-sim, not here.
class FakeCloud final : public Cloud {
 public:
  void AddInstance(ObservedInstance instance);
  void RemoveInstance(const std::string& id);
  void PutComputeEnv(ComputeEnv env);
  void RemoveComputeEnv(const std::string& env_id);
  // The verbs called so far, one line each.
  std::vector<std::string> calls() const;

  Result<std::vector<std::string>> LaunchSpotInstances(const LaunchSpec& spec) override;
  Result<InstanceObservation> DescribeInstances(const std::vector<std::string>& ids) override;
  Result<std::vector<ObservedInstance>> FindInstances(const InstanceQuery& query) override;
  Result<TerminateOutcome> TerminateInstances(const std::vector<InstanceRef>& instances) override;
  Result<SpotOffer> GetSpotOffer(const std::string& zone,
                                 const std::string& instance_type) override;
  Result<std::string> CreateComputeEnv(const ComputeEnvSpec& spec) override;
  Result<ComputeEnv> DescribeComputeEnv(const std::string& env_id) override;
  Result<std::vector<ComputeEnvInfo>> ListComputeEnvs(const ComputeEnvQuery& query) override;
  Status SetDesiredCount(const std::string& env_id, int desired_count) override;
  Status TerminateComputeNodes(const std::string& env_id,
                               const std::vector<std::string>& node_ids) override;
  Status DeleteComputeEnv(const std::string& env_id) override;
  Result<std::vector<ComputeEnvActivity>> DescribeComputeEnvActivities(
      const std::string& env_id) override;

 private:
  void Log(std::string line);

  mutable std::mutex mutex_;
  std::map<std::string, ObservedInstance> instances_;
  std::map<std::string, ComputeEnv> envs_;
  std::vector<std::string> calls_;
  int next_id_ = 1;
};

}  // namespace spotform
