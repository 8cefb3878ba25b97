#include "engine/plan/plan_codec.h"

#include <limits>
#include <optional>
#include <string>

#include "engine/model/spec_json.h"
#include "engine/plan/json_field_reader.h"
#include "engine/plan/market_codec.h"

namespace spotform {
namespace {

using Json = nlohmann::ordered_json;

constexpr ChangeAction kActions[] = {ChangeAction::kNoOp, ChangeAction::kCreate,
                                     ChangeAction::kUpdate, ChangeAction::kReplace,
                                     ChangeAction::kDelete};
constexpr StepKind kStepKinds[] = {
    StepKind::kCreatePool,       StepKind::kLaunch,     StepKind::kWaitForCapacity,
    StepKind::kSetExpectedCount, StepKind::kRelease,    StepKind::kForget,
    StepKind::kDeletePool,       StepKind::kRecordSpec, StepKind::kSetInstanceTypes};

Json EncodeSpec(const EnvironmentSpec& spec) {
  Json tags = Json::object();
  for (const auto& [key, value] : spec.tags) tags[key] = value;
  Json out = {{"name", spec.name}, {"mode", ModeName(spec.mode)}};
  WritePlacementFields(spec, out);
  out["image_id"] = spec.image_id;
  out["max_price"] = spec.max_price;
  out["desired_count"] = spec.desired_count;
  out["tags"] = std::move(tags);
  return out;
}

Json EncodeStep(const Step& step) {
  return Json{{"kind", StepKindName(step.kind)},
              {"pool_id", step.pool_id},
              {"spec", EncodeSpec(step.spec)},
              {"count", step.count},
              {"from", step.from},
              {"to", step.to},
              {"ids", step.ids},
              {"reason", step.reason}};
}

Json EncodeChange(const Change& change) {
  Json steps = Json::array();
  for (const Step& step : change.steps) steps.push_back(EncodeStep(step));
  return Json{{"address", change.address},
              {"action", ChangeActionName(change.action)},
              {"before", change.before ? EncodeSpec(*change.before) : Json(nullptr)},
              {"after", change.after ? EncodeSpec(*change.after) : Json(nullptr)},
              {"reasons", change.reasons},
              {"steps", std::move(steps)}};
}

EnvironmentSpec DecodeSpec(FieldReader& reader, const Json& json, const std::string& path) {
  EnvironmentSpec spec;
  spec.name = reader.String(json, path, "name");
  const std::string mode = reader.String(json, path, "mode");
  if (mode == ModeName(Mode::kBatch)) {
    spec.mode = Mode::kBatch;
  } else if (mode != ModeName(Mode::kCvm) && !reader.failed()) {
    reader.Fail(FieldReader::Join(path, "mode"), "unknown mode \"" + mode + "\"");
  }
  if (!reader.failed()) {
    if (std::optional<std::string> problem = ReadPlacementFields(json, spec)) {
      reader.Fail(path, *problem);
    }
  }
  spec.image_id = reader.String(json, path, "image_id");
  spec.max_price = reader.String(json, path, "max_price");
  spec.desired_count = reader.Int(json, path, "desired_count");
  const Json* tags = reader.Member(json, path, "tags");
  if (tags != nullptr && !tags->is_object()) {
    reader.Fail(FieldReader::Join(path, "tags"), "expected an object");
  } else if (tags != nullptr) {
    for (const auto& [key, value] : tags->items()) {
      spec.tags[key] = reader.AsString(value, FieldReader::Join(path, "tags") + "." + key);
    }
  }
  return spec;
}

std::optional<EnvironmentSpec> DecodeOptionalSpec(FieldReader& reader, const Json& json,
                                                  const std::string& path, const std::string& key) {
  const Json* value = reader.Member(json, path, key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return DecodeSpec(reader, *value, FieldReader::Join(path, key));
}

Step DecodeStep(FieldReader& reader, const Json& json, const std::string& path) {
  Step step;
  const std::string kind = reader.String(json, path, "kind");
  bool known = false;
  for (StepKind candidate : kStepKinds) {
    if (StepKindName(candidate) == kind) {
      step.kind = candidate;
      known = true;
    }
  }
  if (!known && !reader.failed()) {
    reader.Fail(FieldReader::Join(path, "kind"), "unknown step kind \"" + kind + "\"");
  }
  step.pool_id = reader.String(json, path, "pool_id");
  const Json* spec = reader.Member(json, path, "spec");
  if (spec != nullptr) step.spec = DecodeSpec(reader, *spec, FieldReader::Join(path, "spec"));
  step.count = reader.Int(json, path, "count");
  step.from = reader.Int(json, path, "from");
  step.to = reader.Int(json, path, "to");
  step.ids = reader.Strings(json, path, "ids");
  step.reason = reader.String(json, path, "reason");
  return step;
}

Change DecodeChange(FieldReader& reader, const Json& json, const std::string& path) {
  Change change;
  change.address = reader.String(json, path, "address");
  const std::string action = reader.String(json, path, "action");
  bool known = false;
  for (ChangeAction candidate : kActions) {
    if (ChangeActionName(candidate) == action) {
      change.action = candidate;
      known = true;
    }
  }
  if (!known && !reader.failed()) {
    reader.Fail(FieldReader::Join(path, "action"), "unknown action \"" + action + "\"");
  }
  change.before = DecodeOptionalSpec(reader, json, path, "before");
  change.after = DecodeOptionalSpec(reader, json, path, "after");
  change.reasons = reader.Strings(json, path, "reasons");
  const Json* steps = reader.Array(json, path, "steps");
  for (size_t i = 0; steps != nullptr && i < steps->size() && !reader.failed(); ++i) {
    change.steps.push_back(
        DecodeStep(reader, (*steps)[i], FieldReader::Index(FieldReader::Join(path, "steps"), i)));
  }
  return change;
}

PlanBasis DecodeBasis(FieldReader& reader, const Json& json, const std::string& path) {
  PlanBasis basis;
  basis.shared_config_digest = reader.String(json, path, "shared_config_digest");
  const Json* environments = reader.Member(json, path, "environments");
  if (environments == nullptr) return basis;
  const std::string environments_path = FieldReader::Join(path, "environments");
  if (!environments->is_object()) {
    reader.Fail(environments_path, "expected an object");
    return basis;
  }
  for (const auto& [address, entry] : environments->items()) {
    const std::string entry_path = FieldReader::Join(environments_path, address);
    if (!address.starts_with("env.") || address.size() == 4) {
      reader.Fail(entry_path, "expected an environment address (env.NAME)");
    }
    EnvironmentBasis environment;
    environment.serial = reader.Int64(entry, entry_path, "serial");
    if (environment.serial < 0)
      reader.Fail(FieldReader::Join(entry_path, "serial"), "out of range");
    environment.config_digest = reader.String(entry, entry_path, "config_digest");
    if (reader.failed()) break;
    basis.environments[address] = std::move(environment);
  }
  return basis;
}

}  // namespace

nlohmann::ordered_json EncodePlanBasis(const PlanBasis& basis) {
  Json environments = Json::object();
  for (const auto& [address, environment] : basis.environments) {
    environments[address] =
        Json{{"serial", environment.serial}, {"config_digest", environment.config_digest}};
  }
  return Json{{"shared_config_digest", basis.shared_config_digest},
              {"environments", std::move(environments)}};
}

nlohmann::ordered_json EncodePlan(const Plan& plan) {
  Json changes = Json::array();
  for (const Change& change : plan.changes) changes.push_back(EncodeChange(change));
  Json market = Json::array();
  for (const MarketReport& report : plan.market) market.push_back(EncodeMarketReport(report));
  Json out{
      {"lineage", plan.lineage}, {"serial", plan.serial}, {"config_digest", plan.config_digest}};
  if (plan.basis) out["basis"] = EncodePlanBasis(*plan.basis);
  out["destroy"] = plan.destroy;
  out["targets"] = plan.targets;
  out["changes"] = std::move(changes);
  out["market"] = std::move(market);
  out["warnings"] = plan.warnings;
  return out;
}

Result<Plan> DecodePlan(const nlohmann::ordered_json& json) {
  FieldReader reader;
  Plan plan;
  if (!json.is_object()) reader.Fail("plan", "expected an object");
  plan.lineage = reader.String(json, "", "lineage");
  plan.serial = reader.Int64(json, "", "serial");
  plan.config_digest = reader.String(json, "", "config_digest");
  // Plan files made before issue 16 have no basis, and are checked the old way.
  if (FieldReader::Has(json, "basis")) plan.basis = DecodeBasis(reader, json["basis"], "basis");
  plan.destroy = reader.Bool(json, "", "destroy");
  plan.targets = reader.Strings(json, "", "targets");
  const Json* changes = reader.Array(json, "", "changes");
  for (size_t i = 0; changes != nullptr && i < changes->size() && !reader.failed(); ++i) {
    plan.changes.push_back(DecodeChange(reader, (*changes)[i], FieldReader::Index("changes", i)));
  }
  // The market and warnings are information; plan files made before them have neither.
  if (FieldReader::Has(json, "market")) {
    const Json* market = reader.Array(json, "", "market");
    for (size_t i = 0; market != nullptr && i < market->size() && !reader.failed(); ++i) {
      plan.market.push_back(
          DecodeMarketReport(reader, (*market)[i], FieldReader::Index("market", i)));
    }
  }
  if (FieldReader::Has(json, "warnings")) plan.warnings = reader.Strings(json, "", "warnings");
  if (reader.failed()) return Error(ErrorKind::kInvalidInput, reader.error());
  return plan;
}

}  // namespace spotform
