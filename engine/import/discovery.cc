#include "engine/import/discovery.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "engine/config/config_checks.h"
#include "engine/import/import_plan.h"
#include "engine/plan/refresh.h"

namespace spotform {
namespace {

bool MatchesFilter(const Tags& tags, const std::string& zone, const DiscoveryFilter& filter) {
  if (!filter.zone.empty() && zone != filter.zone) return false;
  for (const auto& [key, value] : filter.tags) {
    auto it = tags.find(key);
    if (it == tags.end() || it->second != value) return false;
  }
  return true;
}

// The tags every one of `all` carries with the same value, keeping only keys and values a
// config may hold, as many as fit the mode's limit.
Tags CommonTags(const std::vector<const Tags*>& all, Mode mode) {
  Tags common;
  if (all.empty()) return common;
  for (const auto& [key, value] : *all.front()) {
    bool everywhere = true;
    for (const Tags* tags : all) {
      auto it = tags->find(key);
      everywhere = everywhere && it != tags->end() && it->second == value;
    }
    if (!everywhere || !CheckTagKey(key).ok() || !CheckTagValue(value).ok()) continue;
    if (!CheckTagCount(common.size() + 1, mode).ok()) break;
    common[key] = value;
  }
  return common;
}

// A valid environment name from free text: lower case, other characters as `-`, starting
// with a letter, at most 63 characters.
std::string NameFrom(const std::string& text, const std::string& fallback) {
  std::string name;
  for (char c : text) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ||
                    lower == '_' || lower == '-';
    name += ok ? lower : '-';
  }
  if (name.empty() || name[0] < 'a' || name[0] > 'z') name = fallback + "-" + name;
  if (name.back() == '-') name.pop_back();
  if (name.size() > 63) name.resize(63);
  return CheckEnvironmentName(name).ok() ? name : fallback;
}

// `base`, or `base-2`, `base-3`, ... whichever is not yet taken; records the choice.
std::string UniqueName(const std::string& base, std::set<std::string>& taken) {
  std::string name = base;
  for (int n = 2; taken.count(name) > 0; ++n) {
    const std::string suffix = "-" + std::to_string(n);
    name = base.substr(0, 63 - suffix.size()) + suffix;
  }
  taken.insert(name);
  return name;
}

// Why a proposed shape cannot be written as config, or "".
std::string ShapeProblem(const EnvironmentSpec& spec) {
  for (const Status& status : {CheckZone(spec.zone(), ""), CheckInstanceType(spec.instance_type()),
                               CheckImageId(spec.image_id)}) {
    if (!status.ok()) return status.error().message();
  }
  return "";
}

bool Adoptable(const ObservedInstance& instance) {
  return instance.charge_type == ChargeType::kSpot &&
         (instance.state == InstanceState::kPending || instance.state == InstanceState::kRunning);
}

}  // namespace

DiscoveryResult DiscoverUnmanaged(const CloudInventory& inventory, const StateSnapshot& state,
                                  const DiscoveryFilter& filter,
                                  const std::set<std::string>& taken) {
  DiscoveryResult result;
  std::set<std::string> names = taken;
  const std::map<std::string, std::string> managed = ManagedIds(state);
  std::map<std::string, const ObservedInstance*> by_id;
  for (const ObservedInstance& instance : inventory.instances) by_id[instance.id] = &instance;
  std::set<std::string> node_instances;
  for (const ComputeEnv& env : inventory.compute_envs) {
    for (const ComputeNode& node : env.nodes) {
      if (!node.instance_id.empty()) node_instances.insert(node.instance_id);
    }
  }

  // cvm: unmanaged spot instances grouped by zone, type and image.
  using Shape = std::tuple<std::string, std::string, std::string>;
  std::map<Shape, std::vector<const ObservedInstance*>> groups;
  for (const ObservedInstance& instance : inventory.instances) {
    if (managed.count(instance.id) > 0 || node_instances.count(instance.id) > 0) continue;
    if (instance.tags.count(kOwnerLineageTag) > 0) continue;
    if (!Adoptable(instance) || !MatchesFilter(instance.tags, instance.zone, filter)) continue;
    groups[{instance.zone, instance.instance_type, instance.image_id}].push_back(&instance);
  }
  for (const auto& [shape, members] : groups) {
    ProposedEnvironment proposal;
    proposal.spec.mode = Mode::kCvm;
    proposal.spec.SetPlacement(std::get<0>(shape), std::get<1>(shape));
    proposal.spec.image_id = std::get<2>(shape);
    if (std::string problem = ShapeProblem(proposal.spec); !problem.empty()) {
      result.notes.push_back(members.front()->id + " and its group left alone: " + problem);
      continue;
    }
    std::vector<const Tags*> tags;
    for (const ObservedInstance* instance : members) {
      proposal.instances.push_back(ImportedInstance(*instance));
      tags.push_back(&instance->tags);
    }
    proposal.spec.tags = CommonTags(tags, Mode::kCvm);
    proposal.spec.name = UniqueName(
        NameFrom(proposal.spec.instance_type() + "-" + proposal.spec.zone(), "spot"), names);
    proposal.expected_count = static_cast<int>(members.size());
    proposal.spec.desired_count = proposal.expected_count;
    result.environments.push_back(std::move(proposal));
  }

  // batch: unmanaged Batch environments, typed by their nodes' instances.
  for (const ComputeEnv& env : inventory.compute_envs) {
    const ComputeEnvInfo& info = env.info;
    if (managed.count(info.id) > 0 || info.next_action == "DELETING") continue;
    if (info.tags.count(kOwnerLineageTag) > 0) continue;
    if (!MatchesFilter(info.tags, info.zone, filter)) continue;
    const ObservedInstance* sample = nullptr;
    for (const ComputeNode& node : env.nodes) {
      auto it = by_id.find(node.instance_id);
      if (sample == nullptr && it != by_id.end()) sample = it->second;
    }
    if (sample == nullptr) {
      result.notes.push_back(info.id + " (" + info.name +
                             ") left alone: no node has an instance yet to tell its instance "
                             "type and image; declare it and run `spotform import env.NAME " +
                             info.id + "`");
      continue;
    }
    ProposedEnvironment proposal;
    proposal.spec.mode = Mode::kBatch;
    proposal.spec.SetPlacement(info.zone, sample->instance_type);
    proposal.spec.image_id = sample->image_id;
    if (std::string problem = ShapeProblem(proposal.spec); !problem.empty()) {
      result.notes.push_back(info.id + " left alone: " + problem);
      continue;
    }
    proposal.spec.tags = CommonTags({&info.tags}, Mode::kBatch);
    proposal.spec.name = UniqueName(NameFrom(info.name, "batch"), names);
    proposal.batch_env_id = info.id;
    proposal.expected_count = static_cast<int>(info.desired_count);
    proposal.spec.desired_count = proposal.expected_count;
    for (const ComputeNode& node : env.nodes) {
      proposal.instances.push_back(ImportedNode(node, proposal.spec));
    }
    result.environments.push_back(std::move(proposal));
  }
  return result;
}

std::string CeilingPrice(double hourly_price) {
  const double cents = std::max(1.0, std::ceil(hourly_price * 100.0 - 1e-9));
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", cents / 100.0);
  return text;
}

void PriceProposal(ProposedEnvironment& proposal, const SpotOffer& offer) {
  proposal.spec.max_price = CeilingPrice(offer.hourly_price);
  char price[32];
  std::snprintf(price, sizeof(price), "%.4f", offer.hourly_price);
  proposal.price_note = "review: spot price " + std::string(price) +
                        "/h rounded up; the API does not report the launch bid";
}

}  // namespace spotform
