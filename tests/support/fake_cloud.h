#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/cloud.h"

namespace spotform {

// FakeCloud is an in-memory Cloud for unit tests of one engine class: instances and Batch
// environments that tests set up directly, and a log of the verbs called ("DescribeInstances
// 3 ids", ...). It has no market and no time: by default launches are RUNNING at once and
// Batch creates no nodes by itself. End-to-end behaviour is proven against spotform-sim, not
// here. Optional knobs let tests script what a real cloud does: hooks around each verb
// (errors, lost replies, inspecting the state mid-call), pending launches, a Batch that
// fills environments and reacts to scale-in and node termination like the emulator's
// switches, and ClientToken idempotency.
class FakeCloud final : public Cloud {
 public:
  // Called with the verb's log line ("LaunchSpotInstances 5"). The before-hook runs before
  // the verb takes effect: an error it returns fails the verb with no effect. The after-hook
  // runs once the verb took effect: an error it returns replaces the reply (a lost answer).
  // Hooks run without the fake's lock held, so they may call back into it.
  using Hook = std::function<std::optional<Error>(const std::string& call)>;

  // How the fake Batch behaves (defaults: as passive as the original fake).
  struct BatchBehaviour {
    bool fill = false;                  // each describe adds RUNNING nodes up to the desired count
    bool scale_in_picks = false;        // lowering the desired count removes nodes (newest first)
    bool terminate_decrements = false;  // releasing nodes also lowers the desired count
    int desired_lag = 0;  // describes after SetDesiredCount that still report the old count
  };

  void AddInstance(ObservedInstance instance);
  void RemoveInstance(const std::string& id);
  void SetInstanceState(const std::string& id, InstanceState state, const std::string& text,
                        const std::string& latest_error = "");
  void PutComputeEnv(ComputeEnv env);
  void RemoveComputeEnv(const std::string& env_id);
  void AddComputeNode(const std::string& env_id, ComputeNode node);
  // The verbs called so far, one line each.
  std::vector<std::string> calls() const;
  // Instances and environments now in the fake cloud.
  std::vector<ObservedInstance> instances() const;
  std::optional<ComputeEnv> compute_env(const std::string& env_id) const;
  std::vector<LaunchSpec> launches() const;  // every LaunchSpotInstances request, in order

  void SetBeforeHook(Hook hook);
  void SetAfterHook(Hook hook);
  // The state new launches start in (default RUNNING).
  void SetLaunchState(InstanceState state, const std::string& text);
  void SetSpotOffer(SpotOffer offer);
  void SetBatchBehaviour(BatchBehaviour behaviour);

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
  // Logs `line` and runs the before-hook.
  std::optional<Error> Before(const std::string& line);
  std::optional<Error> After(const std::string& line);
  void FillLocked(ComputeEnv& env);

  mutable std::mutex mutex_;
  std::map<std::string, ObservedInstance> instances_;
  std::map<std::string, ComputeEnv> envs_;
  std::vector<std::string> calls_;
  std::vector<LaunchSpec> launches_;
  std::map<std::string, std::vector<std::string>> launch_tokens_;  // client_token -> ids
  std::map<std::string, std::string> env_tokens_;                  // client_token -> env id
  Hook before_;
  Hook after_;
  InstanceState launch_state_ = InstanceState::kRunning;
  std::string launch_state_text_ = "RUNNING";
  std::optional<SpotOffer> offer_;
  BatchBehaviour batch_;
  std::map<std::string, std::pair<int, int64_t>> lagging_;  // env id -> (describes left, old)
  int next_id_ = 1;
};

}  // namespace spotform
