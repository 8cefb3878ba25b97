#include "providers/sim/request_schema.h"

#include <optional>
#include <utility>

#include "providers/sim/api_error.h"
#include "providers/sim/api_models_data.h"

namespace spotform::sim {
namespace {

using nlohmann::json;
using FieldType = RequestSchema::FieldType;
using Kind = RequestSchema::FieldType::Kind;

Error ModelError(const std::string& what) {
  return Error(ErrorKind::kInternal, "api models: " + what);
}

// Reads {"type": ..., "ref"?: ..., "items"?: ...} as written by tools/gen-api-models.js.
Result<FieldType> ParseFieldType(const json& node, const std::string& where) {
  if (!node.is_object() || !node.contains("type") || !node["type"].is_string()) {
    return ModelError(where + ": missing \"type\"");
  }
  const std::string type = node["type"].get<std::string>();
  FieldType out;
  if (type == "string") {
    out.kind = Kind::kString;
  } else if (type == "number") {
    out.kind = Kind::kNumber;
  } else if (type == "boolean") {
    out.kind = Kind::kBoolean;
  } else if (type == "any") {
    out.kind = Kind::kAny;
  } else if (type == "object") {
    if (!node.contains("ref") || !node["ref"].is_string()) {
      return ModelError(where + ": object without \"ref\"");
    }
    out.kind = Kind::kObject;
    out.ref = node["ref"].get<std::string>();
  } else if (type == "array") {
    if (!node.contains("items")) return ModelError(where + ": array without \"items\"");
    Result<FieldType> items = ParseFieldType(node["items"], where + "[]");
    if (!items.ok()) return items.error();
    out.kind = Kind::kArray;
    out.items = std::make_shared<FieldType>(std::move(items).value());
  } else {
    return ModelError(where + ": unknown type \"" + type + "\"");
  }
  return out;
}

Result<RequestSchema::Types> ParseTypes(const json& node, const std::string& product) {
  RequestSchema::Types types;
  if (!node.is_object()) return ModelError("types." + product + " is not an object");
  for (const auto& [name, fields] : node.items()) {
    if (!fields.is_object()) return ModelError(product + "." + name + " is not an object");
    RequestSchema::ObjectType object;
    for (const auto& [field_name, field] : fields.items()) {
      const std::string where = product + "." + name + "." + field_name;
      Result<FieldType> type = ParseFieldType(field, where);
      if (!type.ok()) return type.error();
      const bool required = field.contains("required") && field["required"].is_boolean() &&
                            field["required"].get<bool>();
      object.emplace(field_name, RequestSchema::Field{std::move(type).value(), required});
    }
    types.emplace(name, std::move(object));
  }
  return types;
}

std::string Join(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

// The first problem of each kind met while walking a body; Validate reports by priority.
struct Findings {
  std::optional<std::string> unknown;
  std::optional<std::string> wrong_type;
  std::optional<std::string> missing;
};

void CheckObject(const RequestSchema::Types& types, const RequestSchema::ObjectType& model,
                 const json& value, const std::string& path, Findings& findings);

void CheckValue(const RequestSchema::Types& types, const FieldType& type, const json& value,
                const std::string& path, Findings& findings) {
  if (findings.unknown) return;  // nothing can outrank it
  bool type_ok = true;
  switch (type.kind) {
    case Kind::kAny:
      return;
    case Kind::kString:
      type_ok = value.is_string();
      break;
    case Kind::kNumber:
      type_ok = value.is_number();  // integers and floats; booleans are not numbers
      break;
    case Kind::kBoolean:
      type_ok = value.is_boolean();
      break;
    case Kind::kObject: {
      if (!value.is_object()) {
        type_ok = false;
        break;
      }
      const auto model = types.find(type.ref);
      if (model != types.end()) CheckObject(types, model->second, value, path, findings);
      return;
    }
    case Kind::kArray: {
      if (!value.is_array()) {
        type_ok = false;
        break;
      }
      for (size_t i = 0; i < value.size(); ++i) {
        CheckValue(types, *type.items, value[i], Join(path, std::to_string(i)), findings);
      }
      return;
    }
  }
  if (!type_ok && !findings.wrong_type) findings.wrong_type = path;
}

void CheckObject(const RequestSchema::Types& types, const RequestSchema::ObjectType& model,
                 const json& value, const std::string& path, Findings& findings) {
  for (const auto& [name, field_value] : value.items()) {
    const std::string field_path = Join(path, name);
    const auto field = model.find(name);
    if (field == model.end()) {
      findings.unknown = field_path;
      return;
    }
    // The SDKs strip nulls before sending; a null that arrives anyway counts as absent.
    if (!field_value.is_null())
      CheckValue(types, field->second.type, field_value, field_path, findings);
    if (findings.unknown) return;
  }
  if (findings.missing) return;
  for (const auto& [name, field] : model) {
    if (!field.required) continue;
    const auto present = value.find(name);
    if (present == value.end() || present->is_null()) {
      findings.missing = Join(path, name);
      return;
    }
  }
}

}  // namespace

Result<RequestSchema> RequestSchema::Parse(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return ModelError("not a JSON object");
  RequestSchema schema;
  try {
    schema.sdk_version_ = doc.at("source").at("version").get<std::string>();
    for (const auto& [product, types] : doc.at("types").items()) {
      Result<Types> parsed = ParseTypes(types, product);
      if (!parsed.ok()) return parsed.error();
      schema.products_.emplace(product, std::move(parsed).value());
    }
    for (const auto& [action, model] : doc.at("actions").items()) {
      ActionModel action_model{model.at("product").get<std::string>(),
                               model.at("request").get<std::string>()};
      const auto product = schema.products_.find(action_model.product);
      if (product == schema.products_.end() || product->second.count(action_model.request) == 0) {
        return ModelError(action + ": request model " + action_model.request + " not found");
      }
      schema.actions_.emplace(action, std::move(action_model));
    }
  } catch (const json::exception& e) {
    return ModelError(std::string("malformed document: ") + e.what());
  }
  return schema;
}

Result<RequestSchema> RequestSchema::Embedded() { return Parse(EmbeddedApiModelsJson()); }

bool RequestSchema::HasAction(const std::string& action) const {
  return actions_.count(action) != 0;
}

std::string RequestSchema::ProductOf(const std::string& action) const {
  const auto it = actions_.find(action);
  return it == actions_.end() ? std::string() : it->second.product;
}

std::vector<std::string> RequestSchema::Actions() const {
  std::vector<std::string> out;
  for (const auto& [action, model] : actions_) out.push_back(action);
  return out;
}

Status RequestSchema::Validate(const std::string& action, const json& params) const {
  const auto it = actions_.find(action);
  if (it == actions_.end()) {
    return ApiFailure("InvalidAction",
                      "The request action=`" + action + "` is invalid or not found.");
  }
  if (!params.is_object()) {
    return ApiFailure("InvalidParameter", "The request body must be a JSON object.");
  }
  const Types& types = products_.at(it->second.product);
  Findings findings;
  CheckObject(types, types.at(it->second.request), params, "", findings);
  if (findings.unknown) {
    return ApiFailure("UnknownParameter",
                      "The parameter `" + *findings.unknown + "` is not recognized.");
  }
  if (findings.wrong_type) {
    return ApiFailure("InvalidParameter",
                      "The value type of parameter `" + *findings.wrong_type + "` is not valid.");
  }
  if (findings.missing) {
    return ApiFailure("MissingParameter",
                      "The request is missing a required parameter `" + *findings.missing + "`.");
  }
  return Status::Ok();
}

}  // namespace spotform::sim
