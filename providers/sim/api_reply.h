#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace spotform::sim {

// ApiReply is what a model action answers on success: its Response fields (without
// RequestId) as JSON, plus at most one array field whose elements are already serialized
// JSON texts. DescribeInstances fills that array from SimWorld's per-instance text cache, so
// a reply of 100 instances costs 100 reference-count increments instead of building and
// dumping 100 JSON objects. The texts are shared and immutable: a reply built under the
// model's lock stays valid and consistent after the lock is released, whatever changes next.
struct ApiReply {
  using Text = std::shared_ptr<const std::string>;

  ApiReply() = default;
  ApiReply(nlohmann::json output) : fields(std::move(output)) {}  // NOLINT: implicit by design

  nlohmann::json fields = nlohmann::json::object();
  std::string spliced_key;  // the pre-serialized array field; empty when there is none
  std::vector<Text> spliced;

  // The whole reply as one JSON object (the spliced texts parsed back). For tests and the
  // control API; the wire path uses SuccessBody, which never re-parses.
  nlohmann::json ToJson() const;
};

}  // namespace spotform::sim
