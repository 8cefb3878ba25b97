#include "tests/support/fake_cloud.h"

namespace spotform {

void FakeCloud::AddInstance(ObservedInstance instance) {
  std::lock_guard<std::mutex> lock(mutex_);
  instances_[instance.id] = std::move(instance);
}

void FakeCloud::RemoveInstance(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  instances_.erase(id);
}

void FakeCloud::PutComputeEnv(ComputeEnv env) {
  std::lock_guard<std::mutex> lock(mutex_);
  envs_[env.info.id] = std::move(env);
}

void FakeCloud::RemoveComputeEnv(const std::string& env_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  envs_.erase(env_id);
}

std::vector<std::string> FakeCloud::calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_;
}

void FakeCloud::Log(std::string line) { calls_.push_back(std::move(line)); }

Result<std::vector<std::string>> FakeCloud::LaunchSpotInstances(const LaunchSpec& spec) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("LaunchSpotInstances " + std::to_string(spec.count));
  std::vector<std::string> ids;
  for (int i = 0; i < spec.count; ++i) {
    ObservedInstance instance;
    instance.id = "ins-fake" + std::to_string(next_id_++);
    instance.zone = spec.zone;
    instance.instance_type = spec.instance_type;
    instance.image_id = spec.image_id;
    instance.state = InstanceState::kRunning;
    instance.state_text = "RUNNING";
    instance.charge_type = ChargeType::kSpot;
    instance.tags = spec.tags;
    ids.push_back(instance.id);
    instances_[instance.id] = instance;
  }
  return ids;
}

Result<InstanceObservation> FakeCloud::DescribeInstances(const std::vector<std::string>& ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("DescribeInstances " + std::to_string(ids.size()) + " ids");
  InstanceObservation observation;
  for (const std::string& id : ids) {
    auto it = instances_.find(id);
    if (it == instances_.end()) {
      observation.missing.push_back(id);
    } else {
      observation.found.push_back(it->second);
    }
  }
  return observation;
}

Result<std::vector<ObservedInstance>> FakeCloud::FindInstances(const InstanceQuery& query) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("FindInstances");
  std::vector<ObservedInstance> out;
  for (const auto& [id, instance] : instances_) {
    bool match = query.zone.empty() || instance.zone == query.zone;
    for (const auto& [key, value] : query.tags) {
      auto tag = instance.tags.find(key);
      match = match && tag != instance.tags.end() && tag->second == value;
    }
    if (match) out.push_back(instance);
  }
  return out;
}

Result<TerminateOutcome> FakeCloud::TerminateInstances(const std::vector<InstanceRef>& refs) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("TerminateInstances " + std::to_string(refs.size()));
  TerminateOutcome outcome;
  for (const InstanceRef& ref : refs) {
    if (instances_.erase(ref.id) > 0) {
      outcome.terminated.push_back(ref.id);
    } else {
      outcome.skipped.push_back(ref.id);
    }
  }
  return outcome;
}

Result<SpotOffer> FakeCloud::GetSpotOffer(const std::string& zone,
                                          const std::string& instance_type) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("GetSpotOffer " + zone + " " + instance_type);
  SpotOffer offer;
  offer.zone = zone;
  offer.instance_type = instance_type;
  offer.hourly_price = 0.1;
  offer.on_sale = true;
  offer.stock = StockLevel::kEnough;
  return offer;
}

Result<std::string> FakeCloud::CreateComputeEnv(const ComputeEnvSpec& spec) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("CreateComputeEnv " + spec.name);
  ComputeEnv env;
  env.info.id = "env-fake" + std::to_string(next_id_++);
  env.info.name = spec.name;
  env.info.zone = spec.zone;
  env.info.desired_count = spec.desired_count;
  env.info.tags = spec.tags;
  envs_[env.info.id] = env;
  return env.info.id;
}

Result<ComputeEnv> FakeCloud::DescribeComputeEnv(const std::string& env_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("DescribeComputeEnv " + env_id);
  auto it = envs_.find(env_id);
  if (it == envs_.end()) {
    return Error(ErrorKind::kNotFound, env_id + " not found", "ResourceNotFound.ComputeEnv");
  }
  return it->second;
}

Result<std::vector<ComputeEnvInfo>> FakeCloud::ListComputeEnvs(const ComputeEnvQuery&) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("ListComputeEnvs");
  std::vector<ComputeEnvInfo> out;
  for (const auto& [id, env] : envs_) out.push_back(env.info);
  return out;
}

Status FakeCloud::SetDesiredCount(const std::string& env_id, int desired_count) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("SetDesiredCount " + env_id + " " + std::to_string(desired_count));
  auto it = envs_.find(env_id);
  if (it == envs_.end()) return Error(ErrorKind::kNotFound, env_id + " not found");
  it->second.info.desired_count = desired_count;
  return Status::Ok();
}

Status FakeCloud::TerminateComputeNodes(const std::string& env_id,
                                        const std::vector<std::string>& node_ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("TerminateComputeNodes " + env_id + " " + std::to_string(node_ids.size()));
  auto it = envs_.find(env_id);
  if (it == envs_.end()) return Error(ErrorKind::kNotFound, env_id + " not found");
  for (const std::string& id : node_ids) {
    std::erase_if(it->second.nodes, [&](const ComputeNode& node) { return node.id == id; });
  }
  return Status::Ok();
}

Status FakeCloud::DeleteComputeEnv(const std::string& env_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("DeleteComputeEnv " + env_id);
  return envs_.erase(env_id) > 0 ? Status::Ok()
                                 : Status(Error(ErrorKind::kNotFound, env_id + " not found"));
}

Result<std::vector<ComputeEnvActivity>> FakeCloud::DescribeComputeEnvActivities(
    const std::string& env_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Log("DescribeComputeEnvActivities " + env_id);
  return std::vector<ComputeEnvActivity>{};
}

}  // namespace spotform
