#include "engine/model/state_edit.h"

#include <algorithm>

namespace spotform {
namespace {

// The environment one op names, or "" for the ops that name none.
struct OpEnvironment {
  std::string operator()(const StateEdit::PutEnvironment& op) const { return op.applied.name; }
  std::string operator()(const StateEdit::RemoveEnvironment& op) const { return op.name; }
  std::string operator()(const StateEdit::PutPool& op) const { return op.environment; }
  std::string operator()(const StateEdit::RemovePool& op) const { return op.environment; }
  std::string operator()(const StateEdit::SetExpectedCount& op) const { return op.environment; }
  std::string operator()(const StateEdit::PutInstances& op) const { return op.environment; }
  std::string operator()(const StateEdit::RemoveInstances& op) const { return op.environment; }
  std::string operator()(const StateEdit::OpenIntent& op) const { return op.entry.environment; }
  std::string operator()(const StateEdit::CloseIntent&) const { return ""; }
  std::string operator()(const StateEdit::PutCandidateHold&) const { return ""; }
  std::string operator()(const StateEdit::PruneCandidateHolds&) const { return ""; }
};

}  // namespace

std::vector<std::string> StateEdit::Environments() const {
  std::vector<std::string> names;
  for (const Op& op : ops_) {
    std::string name = std::visit(OpEnvironment{}, op);
    if (!name.empty()) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace spotform
