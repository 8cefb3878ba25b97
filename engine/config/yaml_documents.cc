#include "engine/config/yaml_documents.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <optional>
#include <sstream>

namespace spotform {
namespace {

// Notes where a document's root starts, or where its null root is (an empty document).
class RootMarkHandler final : public YAML::EventHandler {
 public:
  const std::optional<YAML::Mark>& root() const { return root_; }
  const std::optional<YAML::Mark>& null_root() const { return null_root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (!seen_) null_root_ = mark;
    seen_ = true;
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Root(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Root(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Root(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Root(mark);
  }
  void OnMapEnd() override {}

 private:
  void Root(const YAML::Mark& mark) {
    if (!seen_) root_ = mark;
    seen_ = true;
  }

  bool seen_ = false;
  std::optional<YAML::Mark> root_;
  std::optional<YAML::Mark> null_root_;
};

}  // namespace

YamlDocuments LoadYamlDocuments(const std::string& text) {
  YamlDocuments documents;
  documents.first = YAML::Load(text);  // only the first document: no loop
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  std::optional<YAML::Mark> last;
  for (size_t index = 0;; ++index) {
    RootMarkHandler handler;
    if (!parser.HandleNextDocument(handler)) break;
    const YAML::Mark mark = handler.root().value_or(handler.null_root().value_or(YAML::Mark()));
    // Two documents in a row at the same place: the parser is stuck on a token it cannot
    // place (yaml-cpp#1040), which is a syntax error there.
    if (last.has_value() && last->pos == mark.pos) {
      const char found = mark.pos >= 0 && static_cast<size_t>(mark.pos) < text.size()
                             ? text[static_cast<size_t>(mark.pos)]
                             : '?';
      throw YAML::ParserException(mark, std::string("unexpected '") + found + "'");
    }
    last = mark;
    if (index > 0 && handler.root().has_value()) documents.later_documents.push_back(mark);
  }
  return documents;
}

}  // namespace spotform
