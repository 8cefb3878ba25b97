#include "engine/config/config_environments.h"

#include "engine/config/config_candidates.h"
#include "engine/config/config_checks.h"
#include "engine/config/config_keys.h"

namespace spotform {
namespace {

Mode ReadMode(const MapReader& reader, DiagnosticSink& sink) {
  const YamlField* field = reader.Find("mode");
  if (field == nullptr) return Mode::kCvm;
  std::optional<std::string> text = ReadScalar(*field, "`cvm` or `batch`", sink);
  if (!text) return Mode::kCvm;
  Result<Mode> mode = ParseMode(*text);
  if (!mode.ok()) {
    ReportAt(field->ValueMark(), field->path, mode.error(), sink);
    return Mode::kCvm;
  }
  return *mode;
}

int ReadDesiredCount(const MapReader& reader, Mode mode, DiagnosticSink& sink) {
  const YamlField* field = reader.Find("desired_count");
  if (field == nullptr) return 0;
  std::optional<std::string> text = ReadScalar(*field, "a whole number", sink);
  if (!text) return 0;
  if (!IsPlainScalar(field->value)) {
    sink.Add(field->ValueMark(),
             field->path + ": must be a whole number without quotes, got \"" + *text + "\"");
    return 0;
  }
  Result<int> count = ParseDesiredCount(*text, mode);
  if (!count.ok()) {
    ReportAt(field->ValueMark(), field->path, count.error(), sink);
    return 0;
  }
  return *count;
}

Tags ReadTags(const MapReader& reader, Mode mode, DiagnosticSink& sink) {
  const YamlField* field = reader.Find("tags");
  if (field == nullptr || field->value.IsNull()) return {};
  if (!field->value.IsMap()) {
    sink.Add(field->ValueMark(), field->path + ": must be a mapping of tag keys to values, got " +
                                     DescribeNode(field->value));
    return {};
  }
  MapReader entries(field->value, field->path, sink);
  Tags tags;
  for (const YamlField& entry : entries.fields()) {
    if (Status key = CheckTagKey(entry.name); !key.ok()) {
      ReportAt(entry.KeyMark(), entry.path, key.error(), sink);
      continue;
    }
    std::optional<std::string> value = ReadScalar(entry, "a string", sink);
    if (!value) continue;
    if (Status status = CheckTagValue(*value); !status.ok()) {
      ReportAt(entry.ValueMark(), entry.path, status.error(), sink);
      continue;
    }
    tags[entry.name] = *value;
  }
  if (Status count = CheckTagCount(entries.fields().size(), mode); !count.ok()) {
    ReportAt(field->KeyMark(), field->path, count.error(), sink);
  }
  return tags;
}

EnvironmentSpec ReadEnvironment(const YamlField& field, const std::string& region,
                                DiagnosticSink& sink) {
  EnvironmentSpec spec;
  spec.name = field.name;
  MapReader reader(field.value, field.path, kEnvironmentKeys, sink);
  reader.RequireKeys(kEnvironmentRequiredKeys, field.KeyMark());
  spec.mode = ReadMode(reader, sink);
  ReadCandidates(reader, region, field.KeyMark(), spec, sink);
  ReadCheckedString(reader, "image_id", "an image ID", CheckImageId, spec.image_id, sink);
  ReadCheckedString(reader, "max_price", "a decimal price such as \"0.60\"", CheckMaxPrice,
                    spec.max_price, sink);
  spec.desired_count = ReadDesiredCount(reader, spec.mode, sink);
  spec.tags = ReadTags(reader, spec.mode, sink);
  return spec;
}

}  // namespace

std::map<std::string, EnvironmentSpec> ReadEnvironments(const YamlField& field,
                                                        const std::string& region,
                                                        DiagnosticSink& sink) {
  std::map<std::string, EnvironmentSpec> environments;
  if (field.value.IsNull()) return environments;  // nothing to manage is fine
  if (!field.value.IsMap()) {
    sink.Add(field.ValueMark(), field.path +
                                    ": must be a mapping of environment names to settings, got " +
                                    DescribeNode(field.value));
    return environments;
  }
  MapReader names(field.value, field.path, sink);
  for (const YamlField& entry : names.fields()) {
    // A bad name is reported, and the body is still checked so every error shows at once.
    if (Status name = CheckEnvironmentName(entry.name); !name.ok()) {
      ReportAt(entry.KeyMark(), entry.path, name.error(), sink);
    }
    if (!entry.value.IsMap()) {
      sink.Add(entry.ValueMark(), entry.path + ": must be a mapping with " +
                                      "mode, zone, instance_type, image_id, max_price and "
                                      "desired_count, got " +
                                      DescribeNode(entry.value));
      continue;
    }
    environments[entry.name] = ReadEnvironment(entry, region, sink);
  }
  return environments;
}

}  // namespace spotform
