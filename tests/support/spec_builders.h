#pragma once
// Literal builders for the tests: a desired config, a recorded state and what the cloud
// reports, each in a line or two. Every suite builds its specs, pools and instances here;
// a test changes only the fields it is about.

#include <chrono>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/model/cloud_state_text.h"
#include "engine/model/cloud_types.h"
#include "engine/model/state_snapshot.h"

namespace spotform::testing {

// A spec from img-pmqg1cw7 without tags.
inline EnvironmentSpec Spec(const std::string& name, int desired, Mode mode = Mode::kCvm,
                            const std::string& zone = "ap-guangzhou-3",
                            const std::string& type = "S5.MEDIUM4",
                            const std::string& price = "0.60") {
  EnvironmentSpec spec;
  spec.name = name;
  spec.mode = mode;
  spec.zones = {zone};
  spec.instance_types = {InstanceTypeChoice{type, ""}};
  spec.image_id = "img-pmqg1cw7";
  spec.max_price = price;
  spec.desired_count = desired;
  return spec;
}

// A spot launch of `count` S5.MEDIUM4 instances from img-pmqg1cw7 in ap-guangzhou-3 at 0.60,
// without tags or name.
inline LaunchSpec LaunchOf(int count, const std::string& client_token) {
  LaunchSpec spec;
  spec.zone = "ap-guangzhou-3";
  spec.instance_type = "S5.MEDIUM4";
  spec.image_id = "img-pmqg1cw7";
  spec.max_price = "0.60";
  spec.count = count;
  spec.client_token = client_token;
  return spec;
}

// A Batch compute environment of `desired` S5.MEDIUM4 nodes from img-pmqg1cw7 in
// ap-guangzhou-3, without tags or description.
inline ComputeEnvSpec ComputeEnvOf(const std::string& name, int desired,
                                   const std::string& client_token,
                                   const std::string& price = "0.30") {
  ComputeEnvSpec spec;
  spec.name = name;
  spec.zone = "ap-guangzhou-3";
  spec.instance_type = "S5.MEDIUM4";
  spec.image_id = "img-pmqg1cw7";
  spec.max_price = price;
  spec.desired_count = desired;
  spec.client_token = client_token;
  return spec;
}

inline Config ConfigOf(const std::vector<EnvironmentSpec>& specs) {
  Config config;
  config.provider.region = "ap-guangzhou";
  config.digest = "digest-1";
  for (const EnvironmentSpec& spec : specs) config.environments[spec.name] = spec;
  return config;
}

// A recorded S5.MEDIUM4 instance in ap-guangzhou-3, in `state`, launched at `launch`.
inline RecordedInstance Ins(const std::string& id, const std::string& state,
                            Clock::WallTime launch) {
  RecordedInstance instance;
  instance.id = id;
  instance.zone = "ap-guangzhou-3";
  instance.instance_type = "S5.MEDIUM4";
  instance.state = state;
  instance.launch_time = launch;
  return instance;
}

// The same launched `minute` minutes after a fixed origin.
inline RecordedInstance Ins(const std::string& id, const std::string& state, int minute = 0) {
  return Ins(id, state, Clock::WallTime(std::chrono::minutes(minute)));
}

inline RecordedInstance Node(const std::string& node_id, const std::string& state, int minute = 0) {
  RecordedInstance node = Ins("ins-" + node_id.substr(5), state, minute);
  node.node_id = node_id;
  return node;
}

inline Pool PoolOf(const std::string& id, const EnvironmentSpec& spec, int expected,
                   std::vector<RecordedInstance> instances) {
  Pool pool;
  pool.id = id;
  pool.spec = spec;
  pool.expected_count = expected;
  pool.instances = std::move(instances);
  if (spec.mode == Mode::kBatch) pool.batch_env_id = "env-" + id.substr(2);
  return pool;
}

inline StateSnapshot StateOf(const std::vector<std::pair<EnvironmentSpec, std::vector<Pool>>>& envs,
                             int64_t serial = 7) {
  StateSnapshot state;
  state.lineage = "11111111-2222-4333-8444-555555555555";
  state.serial = serial;
  for (const auto& [applied, pools] : envs) {
    RecordedEnvironment recorded;
    recorded.name = applied.name;
    recorded.applied = applied;
    recorded.pools = pools;
    state.environments[applied.name] = recorded;
  }
  return state;
}

// A spot instance from img-pmqg1cw7 as the cloud reports it, without tags.
inline ObservedInstance Observed(const std::string& id,
                                 InstanceState state = InstanceState::kRunning,
                                 const std::string& zone = "ap-guangzhou-3",
                                 const std::string& type = "S5.MEDIUM4") {
  ObservedInstance instance;
  instance.id = id;
  instance.zone = zone;
  instance.instance_type = type;
  instance.image_id = "img-pmqg1cw7";
  instance.state = state;
  instance.charge_type = ChargeType::kSpot;
  return instance;
}

// A Batch node as DescribeComputeEnv reports it, with its instance (`instance_id` "" while
// Batch is still creating it).
inline ComputeNode BatchNode(const std::string& id, const std::string& instance_id,
                             ComputeNodeState state = ComputeNodeState::kRunning) {
  ComputeNode node;
  node.id = id;
  node.instance_id = instance_id;
  node.state = state;
  node.state_text = NodeStateText(node);
  return node;
}

}  // namespace spotform::testing
