// Golden tests of spotform.yaml's diagnostics: each malformed config below, written as a
// user would, must produce exactly these `FILE:LINE:COL: message` lines, in file order.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "tests/support/test_config.h"

namespace spotform {
namespace {

struct GoldenCase {
  const char* name;
  std::string yaml;
  std::vector<std::string> expected;
  const char* region_variable = nullptr;  // TENCENTCLOUD_REGION, unset when null
};

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const GoldenCase& golden, std::ostream* out) { *out << golden.name; }

std::vector<std::string> DiagnoseGolden(const GoldenCase& golden) {
  const char* region = golden.region_variable;
  EnvLookup env = [region](const std::string& name) -> std::optional<std::string> {
    if (name == "TENCENTCLOUD_REGION" && region != nullptr) return std::string(region);
    return std::nullopt;
  };
  ConfigParseResult result = ParseConfig(golden.yaml, "spotform.yaml", env);
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : result.diagnostics) lines.push_back(diagnostic.ToString());
  EXPECT_FALSE(result.config.has_value()) << "a config with errors must not be returned";
  return lines;
}

const char* const kCredentials =
    "credentials do not belong in spotform.yaml: set TENCENTCLOUD_SECRET_ID and "
    "TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN), or use a tccli profile "
    "(provider.profile)";

std::string CredentialsError(const std::string& where) { return where + kCredentials; }

// Most cases are one environment (testing::OneEnvironmentYaml): its name on line 3, then mode,
// zone, instance_type, image_id, max_price and desired_count on lines 4 to 9.
using testing::OneEnvironmentYaml;

// One environment with fallback candidates: its name on line 3, mode on line 4, then `zones`
// (the line as given, after 4 spaces) on line 5 and `types` on line 6, then image_id,
// max_price and desired_count on lines 7 to 9, and `more`.
std::string CandidatesGoldenYaml(const std::string& zones, const std::string& types,
                                 const std::string& mode = "cvm", const std::string& more = "") {
  return "provider: {region: ap-guangzhou}\n"
         "environments:\n"
         "  render:\n"
         "    mode: " +
         mode + "\n    " + zones + "\n    " + types +
         "\n"
         "    image_id: img-pmqg1cw7\n"
         "    max_price: \"0.60\"\n"
         "    desired_count: 4\n" +
         more;
}

constexpr char kTwoZones[] = "zones: [ap-guangzhou-3, ap-guangzhou-4]";
constexpr char kTwoTypes[] = "instance_types: [S5.MEDIUM4, SA2.MEDIUM4]";

const GoldenCase kCases[] = {
    // --- YAML itself ---
    {"UnclosedFlowMapping",
     "provider: {region: ap-guangzhou\n"
     "environments: {}\n",
     {"spotform.yaml:2:13: invalid YAML: end of map flow not found"}},
    {"BadIndentation",
     "provider:\n"
     "  region: ap-guangzhou\n"
     " endpoint: http://127.0.0.1:9000\n",
     {"spotform.yaml:3:2: invalid YAML: end of map not found"}},
    {"TabIndentation",
     "provider:\n"
     "\tregion: ap-guangzhou\n",
     {"spotform.yaml:2:8: invalid YAML: illegal map value (indent with spaces, not tabs)"}},
    {"TwoDocuments",
     "provider: {region: ap-guangzhou}\n"
     "---\n"
     "environments: {}\n",
     {"spotform.yaml:3:1: the config must be a single YAML document; another one starts here"}},
    {"TopLevelList",
     "- provider\n"
     "- environments\n",
     {"spotform.yaml:1:1: the config must be a mapping with provider, state and environments, "
      "got a list"}},

    // --- top-level keys ---
    {"MisspelledTopLevelKey",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "enviroments: {}\n",
     {"spotform.yaml:3:1: enviroments: unknown key; did you mean `environments`?"}},
    {"UnrelatedTopLevelKey",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "variables: {}\n",
     {"spotform.yaml:3:1: variables: unknown key; expected one of provider, state, "
      "environments"}},
    {"DuplicateTopLevelKey",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "provider:\n"
     "  region: ap-shanghai\n",
     {"spotform.yaml:3:1: provider: duplicate key (first set on line 1)"}},

    // --- provider ---
    {"ProviderIsAString",
     "provider: ap-guangzhou\n",
     {"spotform.yaml:1:11: provider: must be a mapping, got a string"}},
    {"RegionMissingEverywhere",
     "provider:\n"
     "  profile: default\n",
     {"spotform.yaml:1:1: provider.region: required; set it here or in TENCENTCLOUD_REGION"}},
    {"RegionWithUnderscore",
     "provider:\n"
     "  region: ap_guangzhou\n",
     {"spotform.yaml:2:11: provider.region: `ap_guangzhou` is not a region name like "
      "`ap-guangzhou`"}},
    {"RegionVariableMalformed",
     "environments: {}\n",
     {"TENCENTCLOUD_REGION: `Guangzhou` is not a region name like "
      "`ap-guangzhou`"},
     "Guangzhou"},
    {"EndpointWithoutScheme",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "  endpoint: 127.0.0.1:9000\n",
     {"spotform.yaml:3:13: provider.endpoint: `127.0.0.1:9000` is not an endpoint URL like "
      "`http://127.0.0.1:9000` or `https://cvm.tencentcloudapi.com`"}},
    {"EndpointPortOutOfRange",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "  endpoint: http://127.0.0.1:70000\n",
     {"spotform.yaml:3:13: provider.endpoint: `http://127.0.0.1:70000` is not an endpoint URL "
      "like `http://127.0.0.1:9000` or `https://cvm.tencentcloudapi.com`"}},
    {"EndpointPlainHttpToRemoteHost",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "  endpoint: http://proxy.example.com:8080\n",
     {"spotform.yaml:3:13: provider.endpoint: plain http:// is allowed only to a loopback host "
      "(127.0.0.1, localhost, [::1]); use https:// for `proxy.example.com`"}},
    {"ProfileWithSpace",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "  profile: my profile\n",
     {"spotform.yaml:3:12: provider.profile: `my profile` is not a profile name (up to 64 "
      "letters, digits, `_`, `-` or `.`)"}},

    // --- state ---
    {"PostgresBackendWithoutUrl",
     "provider: {region: ap-guangzhou}\n"
     "state:\n"
     "  backend: postgres\n",
     {"spotform.yaml:3:3: state.url: required by the postgres backend; set it here "
      "(postgresql://[USER@]HOST[:PORT]/DATABASE, without the password) or in SPOTFORM_PG_URL"}},
    {"UnknownBackend",
     "provider: {region: ap-guangzhou}\n"
     "state:\n"
     "  backend: mysql\n",
     {"spotform.yaml:3:12: state.backend: must be `sqlite` or `postgres`, got `mysql`"}},
    {"StateUrlWithSqlite",
     "provider: {region: ap-guangzhou}\n"
     "state:\n"
     "  url: postgres://db.internal/spotform\n",
     {"spotform.yaml:3:3: state.url: only the postgres backend uses a URL; remove it or set "
      "`backend: postgres`"}},
    {"EmptyStatePath",
     "provider: {region: ap-guangzhou}\n"
     "state:\n"
     "  path: \"\"\n",
     {"spotform.yaml:3:9: state.path: must not be empty"}},
    {"StatePathIsAList",
     "provider: {region: ap-guangzhou}\n"
     "state:\n"
     "  path: [a, b]\n",
     {"spotform.yaml:3:9: state.path: must be a file path, got a list"}},
    {"WorkspaceInCapitals",
     "provider: {region: ap-guangzhou}\n"
     "state: {workspace: Prod}\n",
     {"spotform.yaml:2:20: state.workspace: `Prod` is not a workspace name (up to 63 lower-case "
      "letters, digits, `_` or `-`)"}},

    // --- credentials: rejected, never echoed ---
    {"SecretKeyInProvider",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "  secret_key: Gu5t9xGARNpq86cd98joQYCN3EXAMPLE\n",
     {CredentialsError("spotform.yaml:3:3: provider.secret_key: ")}},
    {"CamelCaseSecretIdInEnvironment",
     "provider: {region: ap-guangzhou}\n"
     "environments:\n"
     "  render:\n"
     "    secretId: AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\n"
     "    mode: cvm\n"
     "    zone: ap-guangzhou-3\n"
     "    instance_type: S5.MEDIUM4\n"
     "    image_id: img-pmqg1cw7\n"
     "    max_price: \"0.60\"\n"
     "    desired_count: 4\n",
     {CredentialsError("spotform.yaml:4:5: environments.render.secretId: ")}},
    {"TokenAtTopLevel",
     "provider: {region: ap-guangzhou}\n"
     "token: abc\n",
     {CredentialsError("spotform.yaml:2:1: token: ")}},
    {"SecretIdValueInATag",
     OneEnvironmentYaml({.more = "    tags: {owner: AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE}\n"}),
     {CredentialsError("spotform.yaml:10:19: environments.render.tags.owner: ")}},
    {"PasswordInStateUrl",
     "provider: {region: ap-guangzhou}\n"
     "state:\n"
     "  url: postgres://spotform:hunter2@db.internal/spotform\n",
     {"spotform.yaml:3:8: state.url: holds a password, which does not belong in spotform.yaml: "
      "put the whole URL in SPOTFORM_PG_URL (and leave state.url out), or the password in "
      "~/.pgpass (or PGPASSFILE)"}},
    {"SecretIdUnderAnUnknownKey",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "  id: AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\n",
     {CredentialsError("spotform.yaml:3:7: provider.id: ")}},

    // --- environments and their names ---
    {"EnvironmentsIsAList",
     "provider: {region: ap-guangzhou}\n"
     "environments:\n"
     "  - render\n",
     {"spotform.yaml:3:3: environments: must be a mapping of environment names to settings, "
      "got a list"}},
    {"EnvironmentNameInCapitals",
     OneEnvironmentYaml({.name = "Render"}),
     {"spotform.yaml:3:3: environments.Render: `Render` cannot be an environment name: start "
      "with a lower-case letter, then up to 62 lower-case letters, digits, `_` or `-`"}},
    {"EnvironmentNameWithDotAndBadBody",
     OneEnvironmentYaml({.name = "gpu.a100",
                         .mode = "spot",
                         .instance_type = "GN7.2XLARGE32",
                         .max_price = "\"2.5\"",
                         .desired_count = "1"}),
     {"spotform.yaml:3:3: environments.gpu.a100: `gpu.a100` cannot be an environment name: "
      "start with a lower-case letter, then up to 62 lower-case letters, digits, `_` or `-`",
      "spotform.yaml:4:11: environments.gpu.a100.mode: must be `cvm` or `batch`, got `spot`"}},
    {"EnvironmentWithoutSettings",
     "provider: {region: ap-guangzhou}\n"
     "environments:\n"
     "  render:\n",
     {"spotform.yaml:3:3: environments.render: must be a mapping with mode, zone, "
      "instance_type, image_id, max_price and desired_count, got nothing"}},
    {"DuplicateEnvironmentName",
     "provider: {region: ap-guangzhou}\n"
     "environments:\n"
     "  render: {mode: cvm, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4,\n"
     "           image_id: img-pmqg1cw7, max_price: \"0.60\", desired_count: 4}\n"
     "  render: {mode: cvm, zone: ap-guangzhou-4, instance_type: S5.MEDIUM4,\n"
     "           image_id: img-pmqg1cw7, max_price: \"0.60\", desired_count: 2}\n",
     {"spotform.yaml:5:3: environments.render: duplicate key (first set on line 3)"}},

    // --- keys of an environment ---
    {"MissingRequiredKeys",
     "provider: {region: ap-guangzhou}\n"
     "environments:\n"
     "  render:\n"
     "    mode: cvm\n"
     "    zone: ap-guangzhou-3\n"
     "    desired_count: 4\n",
     {"spotform.yaml:3:3: environments.render: missing required key `image_id`",
      "spotform.yaml:3:3: environments.render: missing required key `max_price`",
      "spotform.yaml:3:3: environments.render: missing required key `instance_type` (or "
      "`instance_types` for fallback candidates)"}},
    {"MisspelledEnvironmentKey",
     "provider: {region: ap-guangzhou}\n"
     "environments:\n"
     "  render:\n"
     "    mode: cvm\n"
     "    zone: ap-guangzhou-3\n"
     "    instance_typ: S5.MEDIUM4\n"
     "    image_id: img-pmqg1cw7\n"
     "    max_price: \"0.60\"\n"
     "    desired_count: 4\n",
     {"spotform.yaml:3:3: environments.render: missing required key `instance_type` (or "
      "`instance_types` for fallback candidates)",
      "spotform.yaml:6:5: environments.render.instance_typ: unknown key; did you mean "
      "`instance_type`?"}},
    {"UnrelatedEnvironmentKey",
     OneEnvironmentYaml({.more = "    security_groups: [sg-12345678]\n"}),
     {"spotform.yaml:10:5: environments.render.security_groups: unknown key; expected one of "
      "mode, zone, zones, instance_type, instance_types, allocation, image_id, max_price, "
      "desired_count, tags"}},
    {"DuplicateEnvironmentKey",
     OneEnvironmentYaml({.more = "    zone: ap-guangzhou-4\n"}),
     {"spotform.yaml:10:5: environments.render.zone: duplicate key (first set on line 5)"}},

    // --- values of an environment ---
    {"ZoneOfAnotherRegion",
     OneEnvironmentYaml({.zone = "ap-shanghai-2"}),
     {"spotform.yaml:5:11: environments.render.zone: zone `ap-shanghai-2` is not in region "
      "`ap-guangzhou` (its zones look like `ap-guangzhou-3`)"}},
    {"ZoneOfAnotherRegionThanTheVariable",
     "environments:\n"
     "  render:\n"
     "    mode: batch\n"
     "    zone: ap-guangzhou-3\n"
     "    instance_type: S5.MEDIUM4\n"
     "    image_id: img-pmqg1cw7\n"
     "    max_price: \"0.60\"\n"
     "    desired_count: 4\n",
     {"spotform.yaml:4:11: environments.render.zone: zone `ap-guangzhou-3` is not in region "
      "`ap-beijing` (its zones look like `ap-beijing-3`)"},
     "ap-beijing"},
    {"ZoneWithoutNumber",
     OneEnvironmentYaml({.zone = "ap-guangzhou"}),
     {"spotform.yaml:5:11: environments.render.zone: `ap-guangzhou` is not a zone name like "
      "`ap-guangzhou-3`"}},
    {"InstanceTypeInLowerCase",
     OneEnvironmentYaml({.instance_type = "s5.medium4"}),
     {"spotform.yaml:6:20: environments.render.instance_type: `s5.medium4` is not an instance "
      "type like `S5.MEDIUM4` (FAMILY.SIZE); did you mean `S5.MEDIUM4`?"}},
    {"InstanceTypeWithoutSize",
     OneEnvironmentYaml({.instance_type = "S5"}),
     {"spotform.yaml:6:20: environments.render.instance_type: `S5` is not an instance type "
      "like `S5.MEDIUM4` (FAMILY.SIZE)"}},
    {"ImageIdTooShort",
     OneEnvironmentYaml({.image_id = "img-pmqg1c"}),
     {"spotform.yaml:7:15: environments.render.image_id: `img-pmqg1c` is not an image ID "
      "(`img-` and 8 lower-case letters or digits, like `img-pmqg1cw7`)"}},
    {"PriceNotANumber",
     OneEnvironmentYaml({.max_price = "cheap"}),
     {"spotform.yaml:8:16: environments.render.max_price: must be a decimal price such as "
      "\"0.60\", got `cheap`"}},
    {"PriceNegative",
     OneEnvironmentYaml({.max_price = "-0.5"}),
     {"spotform.yaml:8:16: environments.render.max_price: must be greater than 0, got `-0.5`"}},
    {"PriceZero",
     OneEnvironmentYaml({.max_price = "\"0.00\""}),
     {"spotform.yaml:8:16: environments.render.max_price: must be greater than 0, got `0.00`"}},
    {"PriceTooPrecise",
     OneEnvironmentYaml({.max_price = "0.1234567"}),
     {"spotform.yaml:8:16: environments.render.max_price: has more than 6 digits after the "
      "decimal point: `0.1234567`"}},
    {"PriceHuge",
     OneEnvironmentYaml({.max_price = "123456789012345678901234567890"}),
     {"spotform.yaml:8:16: environments.render.max_price: must be below 10000 per hour, got "
      "`123456789012345678901234567890`"}},
    {"PriceInScientificNotation",
     OneEnvironmentYaml({.max_price = "6e-1"}),
     {"spotform.yaml:8:16: environments.render.max_price: must be a decimal price such as "
      "\"0.60\", got `6e-1`"}},
    {"PriceIsAMapping",
     OneEnvironmentYaml({.max_price = "{amount: 0.6}"}),
     {"spotform.yaml:8:16: environments.render.max_price: must be a decimal price such as "
      "\"0.60\", got a mapping"}},
    {"CountQuoted",
     OneEnvironmentYaml({.desired_count = "\"4\""}),
     {"spotform.yaml:9:20: environments.render.desired_count: must be a whole number without "
      "quotes, got \"4\""}},
    {"CountFractional",
     OneEnvironmentYaml({.desired_count = "2.5"}),
     {"spotform.yaml:9:20: environments.render.desired_count: must be a whole number, got "
      "`2.5`"}},
    {"CountNegative",
     OneEnvironmentYaml({.desired_count = "-1"}),
     {"spotform.yaml:9:20: environments.render.desired_count: must be 0 or more, got `-1`"}},
    {"CountBeyondAnyIntegerType",
     OneEnvironmentYaml({.desired_count = "99999999999999999999999"}),
     {"spotform.yaml:9:20: environments.render.desired_count: must be at most 10000 in cvm "
      "mode, got `99999999999999999999999`"}},
    {"CountAboveTheBatchLimit",
     OneEnvironmentYaml({.name = "train", .mode = "batch", .desired_count = "2001"}),
     {"spotform.yaml:9:20: environments.train.desired_count: must be at most 2000 in batch mode "
      "(Batch Compute's limit per environment), got `2001`"}},
    {"CountLeftEmpty",
     OneEnvironmentYaml({.desired_count = ""}),
     {"spotform.yaml:9:5: environments.render.desired_count: must be a whole number, got "
      "nothing"}},

    // --- fallback candidates: zone(s), instance_type(s), allocation ---
    {"ZoneAndZonesBothSet",
     OneEnvironmentYaml({.more = "    zones: [ap-guangzhou-3, ap-guangzhou-4]\n"}),
     {"spotform.yaml:10:5: environments.render.zones: set `zone` or `zones`, not both"}},
    {"InstanceTypeAndInstanceTypesBothSet",
     OneEnvironmentYaml({.more = "    instance_types: [S5.MEDIUM4]\n"}),
     {"spotform.yaml:10:5: environments.render.instance_types: set `instance_type` or "
      "`instance_types`, not both"}},
    {"NeitherZoneNorZones",
     "provider: {region: ap-guangzhou}\n"
     "environments:\n"
     "  render:\n"
     "    mode: cvm\n"
     "    instance_types: [S5.MEDIUM4, SA2.MEDIUM4]\n"
     "    image_id: img-pmqg1cw7\n"
     "    max_price: \"0.60\"\n"
     "    desired_count: 4\n",
     {"spotform.yaml:3:3: environments.render: missing required key `zone` (or `zones` for "
      "fallback candidates)"}},
    {"EmptyZonesList",
     CandidatesGoldenYaml("zones: []", kTwoTypes),
     {"spotform.yaml:5:12: environments.render.zones: must be a list of zone names, most "
      "preferred first, got an empty list"}},
    {"ZonesAsOneString",
     CandidatesGoldenYaml("zones: ap-guangzhou-3", kTwoTypes),
     {"spotform.yaml:5:12: environments.render.zones: must be a list of zone names, most "
      "preferred first, got a string"}},
    {"EmptyInstanceTypesList",
     CandidatesGoldenYaml(kTwoZones, "instance_types: []"),
     {"spotform.yaml:6:21: environments.render.instance_types: must be a list of instance "
      "types, most preferred first, got an empty list"}},
    {"ZoneListedTwice",
     CandidatesGoldenYaml("zones: [ap-guangzhou-3, ap-guangzhou-4, ap-guangzhou-3]", kTwoTypes),
     {"spotform.yaml:5:45: environments.render.zones[2]: zone `ap-guangzhou-3` is listed "
      "twice"}},
    {"FallbackZoneOfAnotherRegion",
     CandidatesGoldenYaml("zones: [ap-guangzhou-3, ap-shanghai-2]", kTwoTypes),
     {"spotform.yaml:5:29: environments.render.zones[1]: zone `ap-shanghai-2` is not in region "
      "`ap-guangzhou` (its zones look like `ap-guangzhou-3`)"}},
    {"FallbackTypeInLowerCase",
     CandidatesGoldenYaml(kTwoZones, "instance_types: [S5.MEDIUM4, sa2.medium4]"),
     {"spotform.yaml:6:34: environments.render.instance_types[1]: `sa2.medium4` is not an "
      "instance type like `S5.MEDIUM4` (FAMILY.SIZE); did you mean `SA2.MEDIUM4`?"}},
    {"TypeListedTwiceOnceWithItsOwnBid",
     CandidatesGoldenYaml(kTwoZones,
                          "instance_types: [S5.MEDIUM4, {type: S5.MEDIUM4, max_price: \"0.90\"}]"),
     {"spotform.yaml:6:34: environments.render.instance_types[1]: instance type `S5.MEDIUM4` "
      "is listed twice"}},
    {"TypeEntryWithABadTypeAndPrice",
     CandidatesGoldenYaml(kTwoZones, "instance_types: [{type: S5, max_price: cheap}]"),
     {"spotform.yaml:6:29: environments.render.instance_types[0].type: `S5` is not an instance "
      "type like `S5.MEDIUM4` (FAMILY.SIZE)",
      "spotform.yaml:6:44: environments.render.instance_types[0].max_price: must be a decimal "
      "price such as \"0.60\", got `cheap`"}},
    {"TypeEntryWithAnUnknownKey",
     CandidatesGoldenYaml(kTwoZones, "instance_types: [{type: S5.LARGE8, price: \"0.90\"}]"),
     {"spotform.yaml:6:40: environments.render.instance_types[0].price: unknown key; did you "
      "mean `max_price`?"}},
    {"TypeEntryWithoutType",
     CandidatesGoldenYaml(kTwoZones, "instance_types: [S5.MEDIUM4, {max_price: \"0.90\"}]"),
     {"spotform.yaml:6:34: environments.render.instance_types[1]: missing required key "
      "`type`"}},
    {"BatchWithTwoZones",
     CandidatesGoldenYaml(kTwoZones, "instance_type: S5.MEDIUM4", "batch"),
     {"spotform.yaml:5:12: environments.render.zones: a Batch compute environment lives in one "
      "zone; list one zone, or use `mode: cvm` to fall back across zones"}},
    {"BatchTypeWithItsOwnBid",
     CandidatesGoldenYaml("zone: ap-guangzhou-3",
                          "instance_types: [S5.MEDIUM4, {type: SA2.MEDIUM4, max_price: \"0.40\"}]",
                          "batch"),
     {"spotform.yaml:6:54: environments.render.instance_types[1].max_price: Batch compute "
      "environments have one bid: set max_price on the environment"}},
    {"UnknownAllocation",
     CandidatesGoldenYaml(kTwoZones, kTwoTypes, "cvm", "    allocation: cheapest\n"),
     {"spotform.yaml:10:17: environments.render.allocation: must be `ordered`, `lowest-price` "
      "or `diversified`, got `cheapest`"}},
    {"AllocationIsAList",
     CandidatesGoldenYaml(kTwoZones, kTwoTypes, "cvm", "    allocation: [ordered]\n"),
     {"spotform.yaml:10:17: environments.render.allocation: must be `ordered`, `lowest-price` "
      "or `diversified`, got a list"}},

    // --- tags ---
    {"TagsAsAList",
     OneEnvironmentYaml({.more = "    tags: [team=vfx]\n"}),
     {"spotform.yaml:10:11: environments.render.tags: must be a mapping of tag keys to values, "
      "got a list"}},
    {"ReservedTagKeys",
     OneEnvironmentYaml({.more = "    tags:\n"
                                 "      spotform-env: other\n"
                                 "      qcloud:owner: me\n"}),
     {"spotform.yaml:11:7: environments.render.tags.spotform-env: tag keys starting with "
      "`spotform-` are reserved for spotform's owner tags",
      "spotform.yaml:12:7: environments.render.tags.qcloud:owner: tag keys starting with "
      "`qcloud`, `tencent` or `project` are reserved by Tencent Cloud"}},
    {"TagValueIsAMapping",
     OneEnvironmentYaml({.more = "    tags:\n"
                                 "      team: {name: vfx}\n"}),
     {"spotform.yaml:11:13: environments.render.tags.team: must be a string, got a mapping"}},
    {"TooManyTagsForBatch",
     OneEnvironmentYaml({.name = "train",
                         .mode = "batch",
                         .more = "    tags: {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n"}),
     {"spotform.yaml:10:5: environments.train.tags: batch mode allows at most 7 tags (Batch "
      "Compute keeps 10 per environment and spotform adds 3 owner tags), got 8"}},

    // --- every error of the file at once, in file order ---
    {"ManyErrorsInFileOrder",
     "provider:\n"
     "  region: ap-guangzhou\n"
     "  endpoint: ftp://127.0.0.1\n"
     "environments:\n"
     "  render:\n"
     "    mode: cvm\n"
     "    zone: ap-guangzhou-3\n"
     "    instance_type: S5.MEDIUM4\n"
     "    image: img-pmqg1cw7\n"
     "    max_price: \"0\"\n"
     "    desired_count: 4\n"
     "  train:\n"
     "    mode: batch\n"
     "    zone: ap-beijing-1\n"
     "    instance_type: S5.MEDIUM4\n"
     "    image_id: img-pmqg1cw7\n"
     "    max_price: \"0.60\"\n"
     "    desired_count: 5000\n",
     {"spotform.yaml:3:13: provider.endpoint: `ftp://127.0.0.1` is not an endpoint URL like "
      "`http://127.0.0.1:9000` or `https://cvm.tencentcloudapi.com`",
      "spotform.yaml:5:3: environments.render: missing required key `image_id`",
      "spotform.yaml:9:5: environments.render.image: unknown key; did you mean `image_id`?",
      "spotform.yaml:10:16: environments.render.max_price: must be greater than 0, got `0`",
      "spotform.yaml:14:11: environments.train.zone: zone `ap-beijing-1` is not in region "
      "`ap-guangzhou` (its zones look like `ap-guangzhou-3`)",
      "spotform.yaml:18:20: environments.train.desired_count: must be at most 2000 in batch mode "
      "(Batch Compute's limit per environment), got `5000`"}},
};

class ConfigGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(ConfigGoldenTest, ReportsExactlyTheseDiagnostics) {
  EXPECT_EQ(DiagnoseGolden(GetParam()), GetParam().expected) << GetParam().yaml;
}

INSTANTIATE_TEST_SUITE_P(MalformedConfigs, ConfigGoldenTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ConfigGolden, HasAtLeastThirtyMalformedConfigs) { EXPECT_GE(std::size(kCases), 30u); }

}  // namespace
}  // namespace spotform
