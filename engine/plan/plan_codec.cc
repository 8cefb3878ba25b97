#include "engine/plan/plan_codec.h"

#include <limits>
#include <optional>
#include <string>

namespace spotform {
namespace {

using Json = nlohmann::ordered_json;

constexpr ChangeAction kActions[] = {ChangeAction::kNoOp, ChangeAction::kCreate,
                                     ChangeAction::kUpdate, ChangeAction::kReplace,
                                     ChangeAction::kDelete};
constexpr StepKind kStepKinds[] = {StepKind::kCreatePool,      StepKind::kLaunch,
                                   StepKind::kWaitForCapacity, StepKind::kSetExpectedCount,
                                   StepKind::kRelease,         StepKind::kForget,
                                   StepKind::kDeletePool,      StepKind::kRecordSpec};

Json EncodeSpec(const EnvironmentSpec& spec) {
  Json tags = Json::object();
  for (const auto& [key, value] : spec.tags) tags[key] = value;
  return Json{{"name", spec.name},
              {"mode", ModeName(spec.mode)},
              {"zone", spec.zone},
              {"instance_type", spec.instance_type},
              {"image_id", spec.image_id},
              {"max_price", spec.max_price},
              {"desired_count", spec.desired_count},
              {"tags", std::move(tags)}};
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

// Reads typed fields out of JSON objects, remembering the first problem with its path.
// After a failure every read returns a default value, so decoding code reads straight
// through and checks failed() at the end.
class FieldReader {
 public:
  bool failed() const { return error_.has_value(); }
  const std::string& error() const { return *error_; }

  void Fail(const std::string& path, const std::string& problem) {
    if (!error_) error_ = path + ": " + problem;
  }

  // The member `key` of `object` (at `path`), or nullptr after recording it missing.
  const Json* Member(const Json& object, const std::string& path, const std::string& key) {
    if (failed()) return nullptr;
    if (!object.is_object()) {
      Fail(path, "expected an object");
      return nullptr;
    }
    auto it = object.find(key);
    if (it == object.end()) {
      Fail(Join(path, key), "missing");
      return nullptr;
    }
    return &*it;
  }

  std::string String(const Json& object, const std::string& path, const std::string& key) {
    const Json* value = Member(object, path, key);
    return value ? AsString(*value, Join(path, key)) : "";
  }

  std::string AsString(const Json& value, const std::string& path) {
    if (failed()) return "";
    if (!value.is_string()) {
      Fail(path, "expected a string");
      return "";
    }
    return value.get<std::string>();
  }

  int64_t Int64(const Json& object, const std::string& path, const std::string& key) {
    return Integer(object, path, key, std::numeric_limits<int64_t>::max());
  }

  int Int(const Json& object, const std::string& path, const std::string& key) {
    return static_cast<int>(Integer(object, path, key, std::numeric_limits<int>::max()));
  }

  bool Bool(const Json& object, const std::string& path, const std::string& key) {
    const Json* value = Member(object, path, key);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      Fail(Join(path, key), "expected true or false");
      return false;
    }
    return value->get<bool>();
  }

  // The array member `key`, or nullptr (and a failure) when missing or not an array.
  const Json* Array(const Json& object, const std::string& path, const std::string& key) {
    const Json* value = Member(object, path, key);
    if (value != nullptr && !value->is_array()) {
      Fail(Join(path, key), "expected an array");
      return nullptr;
    }
    return value;
  }

  std::vector<std::string> Strings(const Json& object, const std::string& path,
                                   const std::string& key) {
    std::vector<std::string> out;
    const Json* array = Array(object, path, key);
    if (array == nullptr) return out;
    for (size_t i = 0; i < array->size(); ++i) {
      out.push_back(AsString((*array)[i], Index(Join(path, key), i)));
    }
    return out;
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string Index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  int64_t Integer(const Json& object, const std::string& path, const std::string& key,
                  int64_t max) {
    const Json* value = Member(object, path, key);
    if (value == nullptr) return 0;
    if (!value->is_number_integer()) {
      Fail(Join(path, key), "expected an integer");
      return 0;
    }
    if (value->is_number_unsigned() ? value->get<uint64_t>() > static_cast<uint64_t>(max)
                                    : value->get<int64_t>() < -max) {
      Fail(Join(path, key), "out of range");
      return 0;
    }
    return value->get<int64_t>();
  }

  std::optional<std::string> error_;
};

EnvironmentSpec DecodeSpec(FieldReader& reader, const Json& json, const std::string& path) {
  EnvironmentSpec spec;
  spec.name = reader.String(json, path, "name");
  const std::string mode = reader.String(json, path, "mode");
  if (mode == ModeName(Mode::kBatch)) {
    spec.mode = Mode::kBatch;
  } else if (mode != ModeName(Mode::kCvm) && !reader.failed()) {
    reader.Fail(FieldReader::Join(path, "mode"), "unknown mode \"" + mode + "\"");
  }
  spec.zone = reader.String(json, path, "zone");
  spec.instance_type = reader.String(json, path, "instance_type");
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

}  // namespace

nlohmann::ordered_json EncodePlan(const Plan& plan) {
  Json changes = Json::array();
  for (const Change& change : plan.changes) changes.push_back(EncodeChange(change));
  return Json{
      {"lineage", plan.lineage}, {"serial", plan.serial},   {"config_digest", plan.config_digest},
      {"destroy", plan.destroy}, {"targets", plan.targets}, {"changes", std::move(changes)}};
}

Result<Plan> DecodePlan(const nlohmann::ordered_json& json) {
  FieldReader reader;
  Plan plan;
  if (!json.is_object()) reader.Fail("plan", "expected an object");
  plan.lineage = reader.String(json, "", "lineage");
  plan.serial = reader.Int64(json, "", "serial");
  plan.config_digest = reader.String(json, "", "config_digest");
  plan.destroy = reader.Bool(json, "", "destroy");
  plan.targets = reader.Strings(json, "", "targets");
  const Json* changes = reader.Array(json, "", "changes");
  for (size_t i = 0; changes != nullptr && i < changes->size() && !reader.failed(); ++i) {
    plan.changes.push_back(DecodeChange(reader, (*changes)[i], FieldReader::Index("changes", i)));
  }
  if (reader.failed()) return Error(ErrorKind::kInvalidInput, reader.error());
  return plan;
}

}  // namespace spotform
