#include "engine/apply/journal.h"

#include <nlohmann/json.hpp>

#include "engine/model/crypto.h"

namespace spotform {
namespace {

using nlohmann::json;

Error BadPayload(const JournalEntry& entry, const std::string& why) {
  return Error(ErrorKind::kInternal, "journal: intent " + std::to_string(entry.id) + " (" +
                                         entry.kind + ") has an unreadable payload: " + why);
}

// Parses the payload; nlohmann's exceptions stop here.
Result<json> Parse(const JournalEntry& entry) {
  try {
    json parsed = json::parse(entry.payload);
    if (!parsed.is_object()) return BadPayload(entry, "not a JSON object");
    return parsed;
  } catch (const json::exception& e) {
    return BadPayload(entry, e.what());
  }
}

template <typename T, typename F>
Result<T> Read(const JournalEntry& entry, F&& read) {
  Result<json> parsed = Parse(entry);
  if (!parsed.ok()) return parsed.error();
  try {
    return read(*parsed);
  } catch (const json::exception& e) {
    return BadPayload(entry, e.what());
  }
}

}  // namespace

std::string NewClientToken() { return "sf-" + RandomHex(16); }

std::string EncodeLaunchPayload(const LaunchSpec& spec) {
  json out = {{"zone", spec.zone},         {"instance_type", spec.instance_type},
              {"image_id", spec.image_id}, {"max_price", spec.max_price},
              {"count", spec.count},       {"tags", spec.tags},
              {"name", spec.name}};
  return out.dump();
}

Result<LaunchSpec> DecodeLaunchPayload(const JournalEntry& entry) {
  return Read<LaunchSpec>(entry, [&](const json& in) {
    LaunchSpec spec;
    spec.zone = in.at("zone").get<std::string>();
    spec.instance_type = in.at("instance_type").get<std::string>();
    spec.image_id = in.at("image_id").get<std::string>();
    spec.max_price = in.at("max_price").get<std::string>();
    spec.count = in.at("count").get<int>();
    spec.tags = in.at("tags").get<Tags>();
    spec.name = in.value("name", std::string());
    spec.client_token = entry.client_token;
    return spec;
  });
}

std::string EncodeCreateEnvPayload(const ComputeEnvSpec& spec) {
  json out = {{"name", spec.name},
              {"zone", spec.zone},
              {"instance_type", spec.instance_type},
              {"image_id", spec.image_id},
              {"max_price", spec.max_price},
              {"desired_count", spec.desired_count},
              {"tags", spec.tags},
              {"description", spec.description}};
  return out.dump();
}

Result<ComputeEnvSpec> DecodeCreateEnvPayload(const JournalEntry& entry) {
  return Read<ComputeEnvSpec>(entry, [&](const json& in) {
    ComputeEnvSpec spec;
    spec.name = in.at("name").get<std::string>();
    spec.zone = in.at("zone").get<std::string>();
    spec.instance_type = in.at("instance_type").get<std::string>();
    spec.image_id = in.at("image_id").get<std::string>();
    spec.max_price = in.at("max_price").get<std::string>();
    spec.desired_count = in.at("desired_count").get<int>();
    spec.tags = in.at("tags").get<Tags>();
    spec.description = in.value("description", std::string());
    spec.client_token = entry.client_token;
    return spec;
  });
}

std::string EncodeTargetPayload(const IntentTarget& target) {
  json out = {{"env_id", target.env_id}, {"ids", target.ids}, {"to", target.to}};
  return out.dump();
}

Result<IntentTarget> DecodeTargetPayload(const JournalEntry& entry) {
  return Read<IntentTarget>(entry, [](const json& in) {
    IntentTarget target;
    target.env_id = in.value("env_id", std::string());
    target.ids = in.value("ids", std::vector<std::string>());
    target.to = in.value("to", 0);
    return target;
  });
}

Result<int64_t> OpenIntent(StateStore& store, JournalEntry entry, StateEdit with) {
  StateEdit edit = std::move(with);
  edit.Add(StateEdit::OpenIntent{std::move(entry)});
  Result<ApplyOutcome> outcome = store.Apply(edit);
  if (!outcome.ok()) return outcome.error();
  if (outcome->intent_ids.empty()) {
    return Error(ErrorKind::kInternal, "journal: the store assigned no intent id");
  }
  return outcome->intent_ids.back();
}

Status CloseIntent(StateStore& store, int64_t id, StateEdit with) {
  StateEdit edit = std::move(with);
  edit.Add(StateEdit::CloseIntent{id});
  Result<ApplyOutcome> outcome = store.Apply(edit);
  return outcome.ok() ? Status::Ok() : Status(outcome.error());
}

}  // namespace spotform
