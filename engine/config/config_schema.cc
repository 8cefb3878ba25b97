// ConfigJsonSchema: spotform.yaml's rules (engine/config/config_checks.h) as a JSON Schema
// (draft 2020-12), for editors' YAML language servers and `spotform schema`.
#include <nlohmann/json.hpp>

#include "engine/config/config.h"
#include "engine/config/config_checks.h"
#include "engine/config/config_keys.h"
#include "engine/model/cloud.h"

namespace spotform {
namespace {

using nlohmann::json;

constexpr char kRegionPattern[] = "^[a-z]+(-[a-z]+)+$";

constexpr char kZonePattern[] = "^[a-z]+(-[a-z]+)+-[1-9][0-9]{0,2}$";
constexpr char kTypePattern[] = "^[A-Z][A-Z0-9]*\\.[A-Z0-9]+$";

json StringWith(const char* pattern, const char* description) {
  return {{"type", "string"}, {"pattern", pattern}, {"description", description}};
}

json PriceSchema(const std::string& what) {
  return {{"description", what + " A positive decimal below 10000 with at most 6 fraction "
                                 "digits, e.g. \"0.60\"."},
          {"oneOf",
           {{{"type", "string"},
             {"pattern", "^[0-9]{1,4}(\\.[0-9]{1,6})?$"},
             {"not", {{"pattern", "^0+(\\.0+)?$"}}}},
            {{"type", "number"}, {"exclusiveMinimum", 0}, {"exclusiveMaximum", 10000}}}}};
}

json ProviderSchema() {
  return {
      {"type", "object"},
      {"description",
       "Where API calls go. Credentials never live here: use "
       "TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY or a tccli profile."},
      {"additionalProperties", false},
      {"properties",
       {{"region", StringWith(kRegionPattern,
                              "Tencent Cloud region, e.g. ap-guangzhou. Required here or in "
                              "TENCENTCLOUD_REGION.")},
        {"endpoint",
         StringWith("^https?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*"
                    "[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?/?$",
                    "Send every API call to this URL (emulator, proxy). Plain http:// only to "
                    "a loopback host.")},
        {"profile", StringWith("^[A-Za-z0-9_.-]{1,64}$",
                               "tccli credential profile; default TENCENTCLOUD_PROFILE or "
                               "\"default\".")}}},
  };
}

json StateSchema() {
  return {
      {"type", "object"},
      {"description", "Where spotform records what it manages."},
      {"additionalProperties", false},
      {"properties",
       {{"backend",
         {{"enum", {"sqlite", "postgres"}},
          {"default", "sqlite"},
          {"description",
           "sqlite: a file beside the config; postgres: a team state in PostgreSQL (url)."}}},
        {"path",
         {{"type", "string"},
          {"minLength", 1},
          {"default", kDefaultStatePath},
          {"description", "SQLite file, relative to the config file's folder."}}},
        {"url",
         {{"type", "string"},
          {"pattern", "^postgres(ql)?://"},
          {"description",
           "postgres backend: postgresql://[USER@]HOST[:PORT]/DATABASE, without the password "
           "(put it in ~/.pgpass, or the whole URL in SPOTFORM_PG_URL and leave this out)."}}},
        {"workspace",
         {{"type", "string"},
          {"pattern", "^[a-z0-9][a-z0-9_-]{0,62}$"},
          {"default", kDefaultWorkspace},
          {"description", "postgres backend: which of the database's states this is."}}}}},
  };
}

json TagsSchema() {
  return {
      {"type", "object"},
      {"description", "The user's tags. cvm mode: at most " +
                          std::to_string(kMaxCvmTags - kOwnerTagCount) + "; batch mode: at most " +
                          std::to_string(kMaxBatchTags - kOwnerTagCount) +
                          " (spotform adds its owner tags)."},
      {"maxProperties", kMaxCvmTags - kOwnerTagCount},
      {"propertyNames",
       {{"minLength", 1},
        {"maxLength", kMaxTagKeyLength},
        {"not",
         {{"pattern",
           "^(spotform-|[Qq][Cc][Ll][Oo][Uu][Dd]|[Tt][Ee][Nn][Cc][Ee][Nn][Tt]|"
           "[Pp][Rr][Oo][Jj][Ee][Cc][Tt])"}}}}},
      // Unquoted YAML numbers and booleans are read as their text.
      {"additionalProperties",
       {{"type", {"string", "number", "boolean"}}, {"maxLength", kMaxTagValueLength}}},
  };
}

json EnvironmentSchema() {
  json required = json::array();
  for (std::string_view key : kEnvironmentRequiredKeys) required.push_back(key);
  return {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", required},
      {"properties",
       {{"mode",
         {{"enum", {"cvm", "batch"}},
          {"description",
           "cvm: one-time spot instances kept by spotform; batch: a "
           "Batch Compute environment that keeps the count."}}},
        {"zone", StringWith(kZonePattern,
                            "Availability zone of the provider's region, e.g. ap-guangzhou-3.")},
        {"zones",
         {{"type", "array"},
          {"minItems", 1},
          {"uniqueItems", true},
          {"items", StringWith(kZonePattern, "Availability zone, e.g. ap-guangzhou-3.")},
          {"description",
           "Fallback zones, most preferred first (instead of zone; cvm mode; batch: one)."}}},
        {"instance_type", StringWith(kTypePattern, "FAMILY.SIZE, e.g. S5.MEDIUM4.")},
        {"instance_types",
         {{"type", "array"},
          {"minItems", 1},
          {"items",
           {{"oneOf",
             {StringWith(kTypePattern, "FAMILY.SIZE, e.g. S5.MEDIUM4."),
              {{"type", "object"},
               {"additionalProperties", false},
               {"required", {"type"}},
               {"properties",
                {{"type", StringWith(kTypePattern, "FAMILY.SIZE, e.g. S5.MEDIUM4.")},
                 {"max_price", PriceSchema("This type's own highest hourly bid.")}}}}}}}},
          {"description",
           "Fallback instance types, most preferred first (instead of instance_type); an "
           "entry is a name or {type, max_price} with its own bid (cvm mode; batch: at most " +
               std::to_string(kMaxBatchInstanceTypes) + " names, Batch falls back itself)."}}},
        {"allocation",
         {{"enum", {"ordered", "lowest-price", "diversified"}},
          {"default", "ordered"},
          {"description",
           "How launches are placed over the candidates (zone x type): ordered: the first "
           "with stock and price; lowest-price: the cheapest spot price; diversified: evenly "
           "over those that can run."}}},
        {"image_id", StringWith("^img-[a-z0-9]{8}$", "Image ID, e.g. img-pmqg1cw7.")},
        {"max_price", PriceSchema("Highest hourly bid.")},
        {"desired_count",
         {{"type", "integer"},
          {"minimum", 0},
          {"maximum", kMaxCvmDesiredCount},
          {"description", "Instances to keep; batch mode: at most " +
                              std::to_string(kMaxBatchDesiredCount) + "."}}},
        {"tags", TagsSchema()}}},
      // Batch Compute's limits are tighter than CVM's.
      {"allOf",
       {{{"oneOf", {{{"required", {"zone"}}}, {{"required", {"zones"}}}}}},
        {{"oneOf", {{{"required", {"instance_type"}}}, {{"required", {"instance_types"}}}}}}}},
      {"if", {{"properties", {{"mode", {{"const", "batch"}}}}}, {"required", {"mode"}}}},
      {"then",
       {{"properties",
         {{"desired_count", {{"maximum", kMaxBatchDesiredCount}}},
          {"tags", {{"maxProperties", kMaxBatchTags - kOwnerTagCount}}},
          {"zones", {{"maxItems", 1}}},
          {"instance_types",
           {{"maxItems", kMaxBatchInstanceTypes},
            {"items", StringWith(kTypePattern,
                                 "FAMILY.SIZE; batch mode has one bid, the "
                                 "environment's max_price.")}}}}}}},
  };
}

}  // namespace

std::string ConfigJsonSchema() {
  json schema = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"title", "spotform.yaml"},
      {"description", "Declarative Tencent Cloud spot capacity (spotform)."},
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"provider", ProviderSchema()},
        {"state", StateSchema()},
        {"environments",
         {{"type", "object"},
          {"description", "Environments by name; each is addressed as env.NAME."},
          {"propertyNames", {{"pattern", "^[a-z][a-z0-9_-]{0,62}$"}}},
          {"additionalProperties", EnvironmentSchema()}}}}},
  };
  return schema.dump(2) + "\n";
}

}  // namespace spotform
