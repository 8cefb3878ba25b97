#include "providers/tencent/response_reader.h"

#include <utility>

namespace spotform {

ResponseReader::ResponseReader(std::string_view action, const ApiResponse& response)
    : origin_(std::make_shared<const Origin>(Origin{std::string(action), response.request_id})),
      node_(&response.body) {}

ResponseReader::ResponseReader(std::shared_ptr<const Origin> origin, const nlohmann::json* node,
                               std::string path)
    : origin_(std::move(origin)), node_(node), path_(std::move(path)) {}

const nlohmann::json* ResponseReader::Find(std::string_view key) const {
  if (!node_->is_object()) return nullptr;
  auto it = node_->find(key);
  if (it == node_->end()) return nullptr;
  return &*it;
}

std::string ResponseReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Error ResponseReader::Missing(std::string_view key) const {
  return Error(ErrorKind::kTransport,
               origin_->action + ": response field " + PathOf(key) + " missing", "",
               origin_->request_id);
}

Error ResponseReader::WrongType(const std::string& path, const nlohmann::json& value,
                                std::string_view expected) const {
  return Error(ErrorKind::kTransport,
               origin_->action + ": response field " + path + " has type " + value.type_name() +
                   ", expected " + std::string(expected),
               "", origin_->request_id);
}

Error ResponseReader::BadValue(std::string_view key, std::string_view detail) const {
  return Error(ErrorKind::kTransport,
               origin_->action + ": response field " + PathOf(key) + " " + std::string(detail), "",
               origin_->request_id);
}

Result<std::string> ResponseReader::String(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return Missing(key);
  if (!value->is_string()) return WrongType(PathOf(key), *value, "string");
  return value->get_ref<const std::string&>();
}

Result<std::string> ResponseReader::OptionalString(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr || value->is_null()) return std::string();
  if (!value->is_string()) return WrongType(PathOf(key), *value, "string");
  return value->get_ref<const std::string&>();
}

Result<int64_t> ResponseReader::Int(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return Missing(key);
  if (value->is_number_unsigned()) {
    return static_cast<int64_t>(value->get<uint64_t>());
  }
  if (!value->is_number_integer()) return WrongType(PathOf(key), *value, "integer");
  return value->get<int64_t>();
}

Result<double> ResponseReader::Number(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return Missing(key);
  if (!value->is_number()) return WrongType(PathOf(key), *value, "number");
  return value->get<double>();
}

Result<ResponseReader> ResponseReader::Object(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return Missing(key);
  if (!value->is_object()) return WrongType(PathOf(key), *value, "object");
  return ResponseReader(origin_, value, PathOf(key));
}

Result<std::vector<ResponseReader>> ResponseReader::ReadArray(std::string_view key,
                                                              bool optional) const {
  const nlohmann::json* value = Find(key);
  if (optional && (value == nullptr || value->is_null())) return std::vector<ResponseReader>();
  if (value == nullptr) return Missing(key);
  if (!value->is_array()) return WrongType(PathOf(key), *value, "array");
  std::vector<ResponseReader> elements;
  elements.reserve(value->size());
  for (size_t i = 0; i < value->size(); ++i) {
    const nlohmann::json& element = (*value)[i];
    std::string path = PathOf(key) + "[" + std::to_string(i) + "]";
    if (!element.is_object()) return WrongType(path, element, "object");
    elements.push_back(ResponseReader(origin_, &element, std::move(path)));
  }
  return elements;
}

Result<std::vector<ResponseReader>> ResponseReader::Array(std::string_view key) const {
  return ReadArray(key, /*optional=*/false);
}

Result<std::vector<ResponseReader>> ResponseReader::OptionalArray(std::string_view key) const {
  return ReadArray(key, /*optional=*/true);
}

Result<std::vector<std::string>> ResponseReader::StringArray(std::string_view key) const {
  return ReadStringArray(key, /*optional=*/false);
}

Result<std::vector<std::string>> ResponseReader::OptionalStringArray(std::string_view key) const {
  return ReadStringArray(key, /*optional=*/true);
}

Result<std::vector<std::string>> ResponseReader::ReadStringArray(std::string_view key,
                                                                 bool optional) const {
  const nlohmann::json* value = Find(key);
  if (optional && (value == nullptr || value->is_null())) return std::vector<std::string>();
  if (value == nullptr) return Missing(key);
  if (!value->is_array()) return WrongType(PathOf(key), *value, "array");
  std::vector<std::string> strings;
  strings.reserve(value->size());
  for (size_t i = 0; i < value->size(); ++i) {
    const nlohmann::json& element = (*value)[i];
    if (!element.is_string()) {
      return WrongType(PathOf(key) + "[" + std::to_string(i) + "]", element, "string");
    }
    strings.push_back(element.get_ref<const std::string&>());
  }
  return strings;
}

}  // namespace spotform
