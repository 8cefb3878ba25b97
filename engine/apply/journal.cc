#include "engine/apply/journal.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "engine/model/crypto.h"
#include "engine/model/spec_json.h"

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

// A payload's text. An invalid UTF-8 byte (a tag value in spotform.yaml, an id in a state
// edited by hand) is written as U+FFFD: dump() would throw. The cloud call the intent is for
// then fails cleanly (the client refuses such a request).
std::string Dump(const json& payload) {
  return payload.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The int member `key` of a payload, or `fallback` when it is missing and one is given. Not
// get<int>(), which casts 2.5 or 2^40 without a word, and 1e300 with undefined behaviour.
Result<int> IntMember(const JournalEntry& entry, const json& in, const char* key,
                      std::optional<int> fallback = std::nullopt) {
  constexpr int64_t kMin = std::numeric_limits<int>::min();
  constexpr int64_t kMax = std::numeric_limits<int>::max();
  auto it = in.find(key);
  if (it == in.end() && fallback) return *fallback;
  if (it == in.end()) return BadPayload(entry, std::string(key) + ": missing");
  const bool fits =
      it->is_number_unsigned()
          ? it->get<uint64_t>() <= static_cast<uint64_t>(kMax)
          : it->is_number_integer() && it->get<int64_t>() >= kMin && it->get<int64_t>() <= kMax;
  if (!fits) return BadPayload(entry, std::string(key) + ": expected a whole number");
  return static_cast<int>(it->get<int64_t>());
}

}  // namespace

std::string NewClientToken() { return "sf-" + RandomHex(16); }

std::string EncodeLaunchPayload(const LaunchSpec& spec) {
  json out = {{"zone", spec.zone},         {"instance_type", spec.instance_type},
              {"image_id", spec.image_id}, {"max_price", spec.max_price},
              {"count", spec.count},       {"tags", spec.tags},
              {"name", spec.name}};
  if (spec.min_count > 0) out["min_count"] = spec.min_count;
  return Dump(out);
}

Result<LaunchSpec> DecodeLaunchPayload(const JournalEntry& entry) {
  return Read<LaunchSpec>(entry, [&](const json& in) -> Result<LaunchSpec> {
    Result<int> count = IntMember(entry, in, "count");
    if (!count.ok()) return count.error();
    LaunchSpec spec;
    spec.zone = in.at("zone").get<std::string>();
    spec.instance_type = in.at("instance_type").get<std::string>();
    spec.image_id = in.at("image_id").get<std::string>();
    spec.max_price = in.at("max_price").get<std::string>();
    spec.count = *count;
    Result<int> min_count = IntMember(entry, in, "min_count", 0);
    if (!min_count.ok()) return min_count.error();
    spec.min_count = *min_count;
    spec.tags = in.at("tags").get<Tags>();
    spec.name = in.value("name", std::string());
    spec.client_token = entry.client_token;
    return spec;
  });
}

std::string EncodeCreateEnvPayload(const ComputeEnvSpec& spec) {
  json out = {{"name", spec.name},
              {"description", spec.description},
              {"zone", spec.zone},
              {"instance_type", spec.instance_type},
              {"image_id", spec.image_id},
              {"max_price", spec.max_price},
              {"desired_count", spec.desired_count},
              {"tags", spec.tags}};
  if (!spec.instance_types.empty()) out["instance_types"] = spec.instance_types;
  return Dump(out);
}

Result<ComputeEnvSpec> DecodeCreateEnvPayload(const JournalEntry& entry) {
  return Read<ComputeEnvSpec>(entry, [&](const json& in) -> Result<ComputeEnvSpec> {
    Result<int> desired_count = IntMember(entry, in, "desired_count");
    if (!desired_count.ok()) return desired_count.error();
    ComputeEnvSpec spec;
    spec.name = in.at("name").get<std::string>();
    spec.zone = in.at("zone").get<std::string>();
    spec.instance_type = in.at("instance_type").get<std::string>();
    // Absent in payloads written before fallback types: the one type above.
    spec.instance_types = in.value("instance_types", std::vector<std::string>());
    spec.image_id = in.at("image_id").get<std::string>();
    spec.max_price = in.at("max_price").get<std::string>();
    spec.desired_count = *desired_count;
    spec.tags = in.at("tags").get<Tags>();
    spec.description = in.value("description", std::string());
    spec.client_token = entry.client_token;
    return spec;
  });
}

std::string EncodeTargetPayload(const IntentTarget& target) {
  json out = {{"env_id", target.env_id}, {"ids", target.ids}, {"to", target.to}};
  return Dump(out);
}

Result<IntentTarget> DecodeTargetPayload(const JournalEntry& entry) {
  return Read<IntentTarget>(entry, [&entry](const json& in) -> Result<IntentTarget> {
    Result<int> to = IntMember(entry, in, "to", 0);
    if (!to.ok()) return to.error();
    IntentTarget target;
    target.env_id = in.value("env_id", std::string());
    target.ids = in.value("ids", std::vector<std::string>());
    target.to = *to;
    return target;
  });
}

JournalEntry NewIntent(const StepContext& context, const std::string& pool_id, const char* kind,
                       std::string payload) {
  JournalEntry entry;
  entry.environment = context.environment;
  entry.pool_id = pool_id;
  entry.kind = kind;
  entry.payload = std::move(payload);
  entry.started = context.clock.Now();
  return entry;
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
