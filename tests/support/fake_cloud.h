#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
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
// switches, ClientToken idempotency, and a spot market: offers, quotas, and optional stock
// per zone and type with partial delivery (MinCount).
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
  // The instance types an environment creates nodes from: as created (the list, else the one
  // type), then as last set by SetInstanceTypes. Empty for an unknown environment.
  std::vector<std::string> env_instance_types(const std::string& env_id) const;

  void SetBeforeHook(Hook hook);
  void SetAfterHook(Hook hook);
  // The state new launches start in (default RUNNING).
  void SetLaunchState(InstanceState state, const std::string& text);
  // Adds (or replaces) the offer of offer.zone and offer.instance_type. GetSpotOffer answers
  // the offer of the pair asked for, else the last offer set (the fake once had one offer for
  // every pair), else an offer on sale at 0.1. DescribeSpotOffers answers the set offers of the
  // pairs asked for (an empty zone or type in a set offer matches any, and is filled in with
  // the one asked for); before any offer is set, every pair asked for is on sale at 0.1.
  void SetSpotOffer(SpotOffer offer);
  // What DescribeSpotQuota answers (default: no zone listed).
  void SetSpotQuota(std::vector<SpotQuota> quotas);
  // Limits launches of `instance_type` in `zone` to `count` more instances: a launch of more
  // fails with kCapacity (InvalidParameterValue.InsufficientOffering), or with min_count > 0
  // launches what is left if that is at least min_count (else kCapacity,
  // ResourceInsufficient.InsufficientOfferingMinimum). Each launch uses up stock. Pairs
  // without SetStock have unlimited stock.
  void SetStock(const std::string& zone, const std::string& instance_type, int count);
  // The stock left of a pair set with SetStock (nullopt when unlimited).
  std::optional<int> stock(const std::string& zone, const std::string& instance_type) const;
  // false: a launch or dry run with min_count > 0 fails with kUnsupported
  // (UnsupportedOperation.MinCountUnsupportedRegion). Default true.
  void SetMinCountSupported(bool supported);
  void SetBatchBehaviour(BatchBehaviour behaviour);

  Result<std::vector<std::string>> LaunchSpotInstances(const LaunchSpec& spec) override;
  Result<InstanceObservation> DescribeInstances(const std::vector<std::string>& ids) override;
  Result<std::vector<ObservedInstance>> FindInstances(const InstanceQuery& query) override;
  Result<TerminateOutcome> TerminateInstances(const std::vector<InstanceRef>& instances) override;
  Result<SpotOffer> GetSpotOffer(const std::string& zone,
                                 const std::string& instance_type) override;
  Result<std::vector<SpotOffer>> DescribeSpotOffers(
      const std::vector<std::string>& zones,
      const std::vector<std::string>& instance_types) override;
  Result<std::vector<SpotQuota>> DescribeSpotQuota() override;
  // Logs "DryRunLaunch ZONE TYPE N"; fails like a launch would (before-hook, MinCount support,
  // stock) without launching or using up stock.
  Status DryRunLaunch(const LaunchSpec& spec) override;
  Result<std::string> CreateComputeEnv(const ComputeEnvSpec& spec) override;
  Result<ComputeEnv> DescribeComputeEnv(const std::string& env_id) override;
  Result<std::vector<ComputeEnvInfo>> ListComputeEnvs(const ComputeEnvQuery& query) override;
  Status SetDesiredCount(const std::string& env_id, int desired_count) override;
  // Logs "SetInstanceTypes ENV A,B".
  Status SetInstanceTypes(const std::string& env_id,
                          const std::vector<std::string>& types) override;
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
  // How many of `spec` the market lets launch now (spec.count, or fewer with min_count), or
  // the refusal: MinCount support and stock (SetStock). Changes nothing.
  Result<int> LaunchableLocked(const LaunchSpec& spec, const std::string& verb) const;

  mutable std::mutex mutex_;
  std::map<std::string, ObservedInstance> instances_;
  std::map<std::string, ComputeEnv> envs_;
  std::vector<std::string> calls_;
  std::vector<LaunchSpec> launches_;
  std::map<std::string, std::vector<std::string>> launch_tokens_;  // client_token -> ids
  std::map<std::string, std::string> env_tokens_;                  // client_token -> env id
  std::map<std::string, std::vector<std::string>> env_types_;      // env id -> instance types
  Hook before_;
  Hook after_;
  InstanceState launch_state_ = InstanceState::kRunning;
  std::string launch_state_text_ = "RUNNING";
  std::map<std::pair<std::string, std::string>, SpotOffer> offers_;  // (zone, type) -> offer
  std::optional<SpotOffer> last_offer_;
  std::vector<SpotQuota> quotas_;
  std::map<std::pair<std::string, std::string>, int> stock_;  // (zone, type) -> left
  bool min_count_supported_ = true;
  BatchBehaviour batch_;
  std::map<std::string, std::pair<int, int64_t>> lagging_;  // env id -> (describes left, old)
  int next_id_ = 1;
};

}  // namespace spotform
