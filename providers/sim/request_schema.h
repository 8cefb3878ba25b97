#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/result.h"

namespace spotform::sim {

// RequestSchema holds the official request models of every action spotform-sim serves
// (providers/sim/api_models.json, generated from the pinned SDK's .d.ts files) and checks a
// request body against them the way the real API does:
//   - a field the model does not define, at any depth -> UnknownParameter
//   - a JSON value of the wrong type                  -> InvalidParameter
//   - a required field that is absent (or null)       -> MissingParameter
// When a body has several problems, the first unknown field wins, then the first wrong type,
// then the first missing field (depth first, keys in sorted order). Paths name nested
// fields with dots and array elements with their index: `Filters.0.Name`.
// Immutable after Parse(), so one instance is shared by every server thread.
class RequestSchema {
 public:
  // Parses the api_models.json document; fails on a document of the wrong shape.
  static Result<RequestSchema> Parse(std::string_view json_text);
  // The models compiled into the library (EmbeddedApiModelsJson()).
  static Result<RequestSchema> Embedded();

  bool HasAction(const std::string& action) const;
  // "cvm" or "batch" for a known action, "" otherwise.
  std::string ProductOf(const std::string& action) const;
  std::vector<std::string> Actions() const;
  // The SDK version the models were generated from, e.g. "4.1.313".
  const std::string& sdk_version() const { return sdk_version_; }

  // Checks `params` (the parsed body) against `action`'s request model. An unknown action or a
  // body that is not a JSON object is InvalidParameter/InvalidAction as documented in the .cc.
  Status Validate(const std::string& action, const nlohmann::json& params) const;

  // One field's JSON type, as the generator wrote it.
  struct FieldType {
    enum class Kind { kString, kNumber, kBoolean, kObject, kArray, kAny };
    Kind kind = Kind::kAny;
    std::string ref;                   // kObject: the interface's name
    std::shared_ptr<FieldType> items;  // kArray: the element type
  };
  struct Field {
    FieldType type;
    bool required = false;
  };
  using ObjectType = std::map<std::string, Field>;
  using Types = std::map<std::string, ObjectType>;  // by interface name, one product

 private:
  struct ActionModel {
    std::string product;
    std::string request;  // the request interface's name
  };
  RequestSchema() = default;

  std::string sdk_version_;
  std::map<std::string, ActionModel> actions_;
  std::map<std::string, Types> products_;
};

}  // namespace spotform::sim
