// What a valid spotform.yaml becomes (spec §3): values as written, defaults, the region's
// sources, the state path's anchor, the digest's stability, and reading files from disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/config_digest.h"
#include "engine/model/crypto.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_config.h"

namespace spotform {
namespace {

namespace fs = std::filesystem;
using testing::EnvironmentYaml;
using testing::OneEnvironmentYaml;

EnvLookup NoVariables() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

EnvLookup RegionVariable(std::string region) {
  return [region](const std::string& name) -> std::optional<std::string> {
    if (name == "TENCENTCLOUD_REGION") return region;
    return std::nullopt;
  };
}

// Parses `yaml` as /srv/infra/spotform.yaml and fails the test on any diagnostic.
Config MustParse(const std::string& yaml, const EnvLookup& env = NoVariables(),
                 const std::string& file = "/srv/infra/spotform.yaml") {
  ConfigParseResult result = ParseConfig(yaml, file, env);
  for (const Diagnostic& diagnostic : result.diagnostics) ADD_FAILURE() << diagnostic.ToString();
  if (!result.config) return Config();
  return *result.config;
}

const char kSpecExample[] = R"(provider:
  region: ap-guangzhou              # required (or TENCENTCLOUD_REGION)
  endpoint: http://127.0.0.1:9000   # optional: send every API call here (emulator, proxy)
  profile: default                  # optional: tccli-style credential profile
state:
  path: .spotform/state.db          # optional; relative to the config file's folder
environments:
  render:                           # address env.render
    mode: cvm                       # cvm | batch
    zone: ap-guangzhou-3
    instance_type: S2.MEDIUM4
    image_id: img-pmqg1cw7
    max_price: "0.60"               # the highest hourly bid, sent as SpotOptions.MaxPrice
    desired_count: 4
    tags: {team: vfx}               # optional
)";

TEST(ParseConfig, ReadsTheSpecExample) {
  Config config = MustParse(kSpecExample);
  EXPECT_EQ(config.file, "/srv/infra/spotform.yaml");
  EXPECT_EQ(config.provider.region, "ap-guangzhou");
  EXPECT_EQ(config.provider.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(config.provider.profile, "default");
  EXPECT_EQ(config.state.backend, "sqlite");
  EXPECT_EQ(config.state.path, "/srv/infra/.spotform/state.db");
  EXPECT_EQ(config.state.workspace, "default");
  ASSERT_EQ(config.environments.size(), 1u);
  const EnvironmentSpec& render = config.environments.at("render");
  EXPECT_EQ(render.name, "render");
  EXPECT_EQ(render.Address(), "env.render");
  EXPECT_EQ(render.mode, Mode::kCvm);
  EXPECT_EQ(render.zone(), "ap-guangzhou-3");
  EXPECT_EQ(render.instance_type(), "S2.MEDIUM4");
  EXPECT_EQ(render.image_id, "img-pmqg1cw7");
  EXPECT_EQ(render.max_price, "0.60");
  EXPECT_EQ(render.desired_count, 4);
  EXPECT_EQ(render.tags, (Tags{{"team", "vfx"}}));
  EXPECT_EQ(config.digest.size(), 64u);
}

TEST(ParseConfig, KeepsThePriceAsWrittenQuotedOrNot) {
  Config config = MustParse(R"(provider: {region: ap-guangzhou}
environments:
  a: {mode: cvm, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, image_id: img-pmqg1cw7,
      max_price: 0.60, desired_count: 1}
  b: {mode: batch, zone: ap-guangzhou-4, instance_type: S5.LARGE8, image_id: img-m4q71qnf,
      max_price: "0.6", desired_count: 0}
)");
  EXPECT_EQ(config.environments.at("a").max_price, "0.60");
  EXPECT_EQ(config.environments.at("b").max_price, "0.6");
  EXPECT_EQ(config.environments.at("b").mode, Mode::kBatch);
  EXPECT_EQ(config.environments.at("b").desired_count, 0);
}

TEST(ParseConfig, AcceptsTheLimitsThemselves) {
  Config config = MustParse(R"(provider: {region: ap-guangzhou}
environments:
  big: {mode: cvm, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, image_id: img-pmqg1cw7,
        max_price: "9999.999999", desired_count: 10000}
  pool: {mode: batch, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, image_id: img-pmqg1cw7,
         max_price: "0.000001", desired_count: 2000,
         tags: {a: "1", b: "2", c: "3", d: "4", e: "5", f: "6", g: "7"}}
)");
  EXPECT_EQ(config.environments.at("big").desired_count, 10000);
  EXPECT_EQ(config.environments.at("pool").desired_count, 2000);
  EXPECT_EQ(config.environments.at("pool").tags.size(), 7u);
}

TEST(ParseConfig, ReadsTagValuesAsText) {
  Config config = MustParse(OneEnvironmentYaml({.more = "    tags:\n"
                                                        "      cost-center: 1234\n"
                                                        "      team: vfx\n"
                                                        "      note: \"\"\n"}));
  EXPECT_EQ(config.environments.at("render").tags,
            (Tags{{"cost-center", "1234"}, {"note", ""}, {"team", "vfx"}}));
}

TEST(ParseConfig, AppliesDefaultsWhenStateIsLeftOut) {
  Config config = MustParse("provider: {region: ap-guangzhou}\n");
  EXPECT_EQ(config.state.backend, "sqlite");
  EXPECT_EQ(config.state.path, "/srv/infra/.spotform/state.db");
  EXPECT_EQ(config.state.url, "");
  EXPECT_EQ(config.state.workspace, "default");
  EXPECT_EQ(config.provider.endpoint, "");
  EXPECT_EQ(config.provider.profile, "");
}

TEST(ParseConfig, ResolvesTheStatePathAgainstTheConfigsFolder) {
  EXPECT_EQ(
      MustParse("provider: {region: ap-guangzhou}\nstate: {path: ../shared/state.db}\n").state.path,
      "/srv/shared/state.db");
  EXPECT_EQ(
      MustParse("provider: {region: ap-guangzhou}\nstate: {path: /var/lib/sf.db}\n").state.path,
      "/var/lib/sf.db");
  Config relative = MustParse("provider: {region: ap-guangzhou}\n", NoVariables(), "spotform.yaml");
  EXPECT_EQ(relative.state.path, (fs::current_path() / ".spotform/state.db").string());
}

TEST(ParseConfig, TakesTheRegionFromTheVariableOnlyWhenTheFileHasNone) {
  EXPECT_EQ(MustParse("environments: {}\n", RegionVariable("ap-beijing")).provider.region,
            "ap-beijing");
  EXPECT_EQ(
      MustParse("provider: {region: ap-guangzhou}\n", RegionVariable("ap-beijing")).provider.region,
      "ap-guangzhou");
  // Zones are checked against the region in force, wherever it came from.
  Config config = MustParse(R"(environments:
  render: {mode: cvm, zone: ap-beijing-5, instance_type: S5.MEDIUM4, image_id: img-pmqg1cw7,
           max_price: "0.60", desired_count: 1}
)",
                            RegionVariable("ap-beijing"));
  EXPECT_EQ(config.environments.at("render").zone(), "ap-beijing-5");
}

TEST(ParseConfig, AnEmptyEnvironmentsMapIsNothingToManage) {
  EXPECT_TRUE(
      MustParse("provider: {region: ap-guangzhou}\nenvironments: {}\n").environments.empty());
  EXPECT_TRUE(MustParse("provider: {region: ap-guangzhou}\nenvironments:\n").environments.empty());
  EXPECT_TRUE(MustParse("", RegionVariable("ap-guangzhou")).environments.empty());
}

TEST(ParseConfig, AcceptsEndpointsOfEveryAllowedShape) {
  for (const char* endpoint :
       {"http://127.0.0.1:9000", "http://localhost:8080/", "http://[::1]:9000",
        "https://cvm.tencentcloudapi.com", "https://proxy.example.com:8443/"}) {
    Config config = MustParse(std::string("provider: {region: ap-guangzhou, endpoint: \"") +
                              endpoint + "\"}\n");
    EXPECT_EQ(config.provider.endpoint, endpoint);
  }
}

TEST(ParseConfig, NeverEchoesASecretInAnyMessage) {
  const std::string secret_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
  const std::string secret_key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
  ConfigParseResult result =
      ParseConfig("provider:\n  region: ap-guangzhou\n  profile: " + secret_id +
                      "\n  SecretKey: " + secret_key + "\n  " + secret_id + ": x\n",
                  "spotform.yaml", NoVariables());
  ASSERT_EQ(result.diagnostics.size(), 3u);
  for (const Diagnostic& diagnostic : result.diagnostics) {
    EXPECT_EQ(diagnostic.ToString().find(secret_id), std::string::npos) << diagnostic.message;
    EXPECT_EQ(diagnostic.ToString().find(secret_key), std::string::npos) << diagnostic.message;
    EXPECT_NE(diagnostic.message.find("credentials do not belong in spotform.yaml"),
              std::string::npos);
  }
}

TEST(ParseConfig, CutsHugeValuesInMessagesAndSurvivesThem) {
  const std::string huge(1'000'000, 'a');
  ConfigParseResult result =
      ParseConfig(OneEnvironmentYaml({.image_id = huge}), "spotform.yaml", NoVariables());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].ToString(),
            "spotform.yaml:7:15: environments.render.image_id: `" + std::string(60, 'a') +
                "...` is not an image ID (`img-` and 8 lower-case letters or digits, like "
                "`img-pmqg1cw7`)");
}

// --- fallback candidates (spec §3) ---

const char kFallbackExample[] = R"(provider: {region: ap-guangzhou}
environments:
  render:
    mode: cvm
    zones: [ap-guangzhou-3, ap-guangzhou-4]        # ordered; `zone:` is the one-element form
    instance_types:                                 # ordered
      - S5.MEDIUM4                                  # uses the environment's max_price
      - {type: SA2.MEDIUM4, max_price: "0.40"}      # its own bid
      - S5.LARGE8
    allocation: diversified
    image_id: img-pmqg1cw7
    max_price: "0.60"
    desired_count: 40
)";

TEST(ParseConfig, ReadsFallbackZonesTypesTheirBidsAndTheAllocation) {
  const EnvironmentSpec render = MustParse(kFallbackExample).environments.at("render");
  EXPECT_EQ(render.zones, (std::vector<std::string>{"ap-guangzhou-3", "ap-guangzhou-4"}));
  EXPECT_EQ(render.instance_types,
            (std::vector<InstanceTypeChoice>{
                {"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", "0.40"}, {"S5.LARGE8", ""}}));
  EXPECT_EQ(render.allocation, Allocation::kDiversified);
  EXPECT_TRUE(render.HasFallbacks());
  // The most preferred candidate, as the one-element form reads.
  EXPECT_EQ(render.zone(), "ap-guangzhou-3");
  EXPECT_EQ(render.instance_type(), "S5.MEDIUM4");
  // Each type's bid: its own, else the environment's.
  EXPECT_EQ(render.max_price, "0.60");
  EXPECT_EQ(render.BidFor("S5.MEDIUM4"), "0.60");
  EXPECT_EQ(render.BidFor("SA2.MEDIUM4"), "0.40");
  EXPECT_EQ(render.BidFor("S5.LARGE8"), "0.60");
  EXPECT_EQ(render.desired_count, 40);
  EXPECT_EQ(ZonesText(render), "[ap-guangzhou-3, ap-guangzhou-4]");
  EXPECT_EQ(TypesText(render), "[S5.MEDIUM4, SA2.MEDIUM4 (max 0.40), S5.LARGE8]");
  EXPECT_EQ(ZonesKey(render), "zones");
  EXPECT_EQ(TypesKey(render), "instance_types");
}

TEST(ParseConfig, TheOneElementFormsAreOneCandidateOrderedAtTheEnvironmentsBid) {
  const EnvironmentSpec render = MustParse(OneEnvironmentYaml({})).environments.at("render");
  EXPECT_EQ(render.zones, (std::vector<std::string>{"ap-guangzhou-3"}));
  EXPECT_EQ(render.instance_types, (std::vector<InstanceTypeChoice>{{"S5.MEDIUM4", ""}}));
  EXPECT_EQ(render.allocation, Allocation::kOrdered);
  EXPECT_FALSE(render.HasFallbacks());
  EXPECT_EQ(ZonesText(render), "ap-guangzhou-3");
  EXPECT_EQ(TypesText(render), "S5.MEDIUM4");
  EXPECT_EQ(ZonesKey(render), "zone");
  EXPECT_EQ(TypesKey(render), "instance_type");
}

TEST(ParseConfig, ReadsEachAllocationPolicy) {
  const std::pair<const char*, Allocation> policies[] = {{"ordered", Allocation::kOrdered},
                                                         {"lowest-price", Allocation::kLowestPrice},
                                                         {"diversified", Allocation::kDiversified}};
  for (const auto& [text, allocation] : policies) {
    Config config =
        MustParse(OneEnvironmentYaml({.more = std::string("    allocation: ") + text + "\n"}));
    EXPECT_EQ(config.environments.at("render").allocation, allocation) << text;
  }
}

TEST(ParseConfig, AOneElementZonesListIsTheOneZoneOfABatchEnvironment) {
  Config config = MustParse(R"(provider: {region: ap-guangzhou}
environments:
  train: {mode: batch, zones: [ap-guangzhou-4], instance_types: [S5.LARGE8, S5.MEDIUM4],
          image_id: img-pmqg1cw7, max_price: "0.60", desired_count: 2}
)");
  const EnvironmentSpec& train = config.environments.at("train");
  EXPECT_EQ(train.zones, (std::vector<std::string>{"ap-guangzhou-4"}));
  EXPECT_EQ(train.instance_types,
            (std::vector<InstanceTypeChoice>{{"S5.LARGE8", ""}, {"S5.MEDIUM4", ""}}));
  EXPECT_EQ(ZonesText(train), "ap-guangzhou-4");
  EXPECT_EQ(TypesText(train), "[S5.LARGE8, S5.MEDIUM4]");
}

TEST(ParseConfig, AOneTypeListMayGiveThatTypeItsOwnBid) {
  Config config = MustParse(R"(provider: {region: ap-guangzhou}
environments:
  render: {mode: cvm, zone: ap-guangzhou-3, instance_types: [{type: S5.LARGE8, max_price: "0.90"}],
           image_id: img-pmqg1cw7, max_price: "0.60", desired_count: 2}
)");
  const EnvironmentSpec& render = config.environments.at("render");
  EXPECT_EQ(render.instance_types, (std::vector<InstanceTypeChoice>{{"S5.LARGE8", "0.90"}}));
  EXPECT_EQ(render.BidFor("S5.LARGE8"), "0.90");
  EXPECT_EQ(render.max_price, "0.60");
  EXPECT_FALSE(render.HasFallbacks());
  EXPECT_EQ(TypesText(render), "[S5.LARGE8 (max 0.90)]");
}

// --- the digest ---

const char kDigestBase[] = R"(provider: {region: ap-guangzhou}
environments:
  render: {mode: cvm, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, image_id: img-pmqg1cw7,
           max_price: "0.60", desired_count: 4, tags: {team: vfx}}
)";

TEST(ConfigDigest, IsTheSha256OfTheCanonicalJson) {
  Config config = MustParse(kDigestBase);
  std::string canonical =
      R"({"environments":{"render":{"desired_count":4,"image_id":"img-pmqg1cw7",)"
      R"("instance_type":"S5.MEDIUM4","max_price":"0.60","mode":"cvm","tags":{"team":"vfx"},)"
      R"("zone":"ap-guangzhou-3"}},"provider":{"endpoint":"","profile":"","region":"ap-guangzhou"},)"
      R"("state":{"backend":"sqlite","path":".spotform/state.db","url":"","workspace":"default"},)"
      R"("version":1})";
  EXPECT_EQ(CanonicalConfigJson(config, ".spotform/state.db"), canonical);
  EXPECT_EQ(config.digest, Sha256Hex(canonical));
}

TEST(ConfigDigest, IgnoresCommentsFormattingAndKeyOrder) {
  Config reformatted = MustParse(R"(# Render farm
environments:
  render:
    tags:
      team: vfx          # who pays
    desired_count: 4
    max_price: "0.60"
    image_id: img-pmqg1cw7
    instance_type: S5.MEDIUM4
    zone: ap-guangzhou-3
    mode: cvm
provider:
  region: ap-guangzhou
)");
  EXPECT_EQ(reformatted.digest, MustParse(kDigestBase).digest);
}

TEST(ConfigDigest, DoesNotDependOnWhereTheRepositoryIsCheckedOut) {
  EXPECT_EQ(MustParse(kDigestBase, NoVariables(), "/home/a/infra/spotform.yaml").digest,
            MustParse(kDigestBase, NoVariables(), "/ci/build/7/spotform.yaml").digest);
}

// kDigestBase's settings (render with kTeamVfx) in block style, with the provider and state
// mappings written as given.
constexpr char kTeamVfx[] = "    tags: {team: vfx}\n";
std::string DigestConfig(const EnvironmentYaml& render,
                         const std::string& provider = "{region: ap-guangzhou}",
                         const std::string& state = "") {
  return "provider: " + provider + "\n" + (state.empty() ? "" : "state: " + state + "\n") +
         "environments:\n" + render.Yaml();
}

TEST(ConfigDigest, ChangesWithEverySetting) {
  const std::string base = MustParse(kDigestBase).digest;
  ASSERT_EQ(MustParse(DigestConfig({.more = kTeamVfx})).digest, base);
  // kDigestBase with one setting changed (or added) each.
  const std::string variants[] = {
      DigestConfig({.zone = "ap-shanghai-3", .more = kTeamVfx}, "{region: ap-shanghai}"),
      DigestConfig({.more = kTeamVfx},
                   "{region: ap-guangzhou, endpoint: \"http://127.0.0.1:9000\"}"),
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou, profile: ci}"),
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou}", "{path: other.db}"),
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou}", "{workspace: staging}"),
      DigestConfig({.mode = "batch", .more = kTeamVfx}),
      DigestConfig({.zone = "ap-guangzhou-4", .more = kTeamVfx}),
      DigestConfig({.instance_type = "S5.LARGE8", .more = kTeamVfx}),
      DigestConfig({.image_id = "img-m4q71qnf", .more = kTeamVfx}),
      // The same amount written differently is a different text, hence a different digest.
      DigestConfig({.max_price = "\"0.6\"", .more = kTeamVfx}),
      DigestConfig({.desired_count = "5", .more = kTeamVfx}),
      DigestConfig({.more = "    tags: {team: sfx}\n"}),
      DigestConfig({.name = "renders", .more = kTeamVfx}),
  };
  for (const std::string& variant : variants) {
    EXPECT_NE(MustParse(variant).digest, base) << variant;
  }
}

TEST(ConfigDigest, AOneElementListIsTheSameConfigAsTheOneElementForm) {
  std::string as_lists = DigestConfig({.more = kTeamVfx});
  as_lists.replace(as_lists.find("zone: ap-guangzhou-3"), 20, "zones: [ap-guangzhou-3]");
  as_lists.replace(as_lists.find("instance_type: S5.MEDIUM4"), 25, "instance_types: [S5.MEDIUM4]");
  EXPECT_EQ(MustParse(as_lists).digest, MustParse(kDigestBase).digest);
}

TEST(ConfigDigest, ChangesWithEveryFallbackSetting) {
  const std::string base =
      R"(provider: {region: ap-guangzhou}
environments:
  render: {mode: cvm, zones: [ap-guangzhou-3, ap-guangzhou-4],
           instance_types: [S5.MEDIUM4, {type: SA2.MEDIUM4, max_price: "0.40"}],
           image_id: img-pmqg1cw7, max_price: "0.60", desired_count: 4}
)";
  const std::string digest = MustParse(base).digest;
  EXPECT_NE(digest, MustParse(kDigestBase).digest);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string variant = base;
    variant.replace(variant.find(from), from.size(), to);
    return variant;
  };
  const std::string variants[] = {
      with("[ap-guangzhou-3, ap-guangzhou-4]", "[ap-guangzhou-4, ap-guangzhou-3]"),
      with("[ap-guangzhou-3, ap-guangzhou-4]", "[ap-guangzhou-3, ap-guangzhou-6]"),
      with("[ap-guangzhou-3, ap-guangzhou-4]", "[ap-guangzhou-3]"),
      with("S5.MEDIUM4, {type", "S5.LARGE8, {type"),
      with("max_price: \"0.40\"", "max_price: \"0.45\""),
      with("{type: SA2.MEDIUM4, max_price: \"0.40\"}", "SA2.MEDIUM4"),
      with("desired_count: 4}", "desired_count: 4, allocation: lowest-price}"),
  };
  for (const std::string& variant : variants) {
    EXPECT_NE(MustParse(variant).digest, digest) << variant;
  }
  // `allocation: ordered` is the default written out: the same config.
  EXPECT_EQ(MustParse(with("desired_count: 4}", "desired_count: 4, allocation: ordered}")).digest,
            digest);
}

TEST(ConfigDigest, CanonicalJsonOfFallbacksListsTheCandidatesAndTheAllocation) {
  Config config = MustParse(R"(provider: {region: ap-guangzhou}
environments:
  render: {mode: cvm, zones: [ap-guangzhou-3, ap-guangzhou-4],
           instance_types: [S5.MEDIUM4, {type: SA2.MEDIUM4, max_price: "0.40"}],
           allocation: lowest-price, image_id: img-pmqg1cw7, max_price: "0.60", desired_count: 4}
)");
  EXPECT_EQ(
      CanonicalConfigJson(config, ".spotform/state.db"),
      R"({"environments":{"render":{"allocation":"lowest-price","desired_count":4,)"
      R"("image_id":"img-pmqg1cw7","instance_type":"S5.MEDIUM4","instance_types":)"
      R"([{"max_price":"","type":"S5.MEDIUM4"},{"max_price":"0.40","type":"SA2.MEDIUM4"}],)"
      R"("max_price":"0.60","mode":"cvm","tags":{},"zone":"ap-guangzhou-3",)"
      R"("zones":["ap-guangzhou-3","ap-guangzhou-4"]}},)"
      R"("provider":{"endpoint":"","profile":"","region":"ap-guangzhou"},)"
      R"("state":{"backend":"sqlite","path":".spotform/state.db","url":"","workspace":"default"},)"
      R"("version":1})");
}

// --- the digests a saved plan records (issue 16) ---

TEST(SharedConfigDigest, IsTheSha256OfTheProviderAndStateSettings) {
  Config config = MustParse(kDigestBase);
  const std::string canonical =
      R"({"provider":{"endpoint":"","profile":"","region":"ap-guangzhou"},)"
      R"("state":{"backend":"sqlite","path":".spotform/state.db","url":"","workspace":"default"},)"
      R"("version":2})";
  EXPECT_EQ(CanonicalSharedConfigJson(config, ".spotform/state.db"), canonical);
  EXPECT_EQ(config.shared_digest, Sha256Hex(canonical));
  // Its own version: it never equals a whole config's digest, not even of a config without
  // environments.
  const Config bare = MustParse("provider: {region: ap-guangzhou}\nenvironments: {}\n");
  EXPECT_NE(bare.shared_digest, bare.digest);
  EXPECT_EQ(bare.shared_digest, config.shared_digest);
}

TEST(SharedConfigDigest, ChangesWithTheProviderAndStateSettingsOnly) {
  const std::string base = MustParse(DigestConfig({.more = kTeamVfx})).shared_digest;
  const std::string shared_changes[] = {
      DigestConfig({.zone = "ap-shanghai-3", .more = kTeamVfx}, "{region: ap-shanghai}"),
      DigestConfig({.more = kTeamVfx},
                   "{region: ap-guangzhou, endpoint: \"http://127.0.0.1:9000\"}"),
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou, profile: ci}"),
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou}", "{path: other.db}"),
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou}", "{workspace: staging}"),
  };
  for (const std::string& variant : shared_changes) {
    EXPECT_NE(MustParse(variant).shared_digest, base) << variant;
  }
  const std::string environment_changes[] = {
      DigestConfig({.zone = "ap-guangzhou-4", .more = kTeamVfx}),
      DigestConfig({.desired_count = "5", .more = kTeamVfx}),
      DigestConfig({.more = "    tags: {team: sfx}\n"}),
      DigestConfig({.name = "renders", .more = kTeamVfx}),
      DigestConfig({.more = kTeamVfx}) + EnvironmentYaml{.name = "ci"}.Yaml(),
  };
  for (const std::string& variant : environment_changes) {
    EXPECT_EQ(MustParse(variant).shared_digest, base) << variant;
  }
}

TEST(EnvironmentDigest, IsTheSha256OfTheEnvironmentsSpec) {
  EXPECT_EQ(EnvironmentDigest(MustParse(kDigestBase).environments.at("render")),
            Sha256Hex(R"({"environment":{"desired_count":4,"image_id":"img-pmqg1cw7",)"
                      R"("instance_type":"S5.MEDIUM4","max_price":"0.60","mode":"cvm",)"
                      R"("tags":{"team":"vfx"},"zone":"ap-guangzhou-3"},"version":1})"));
}

TEST(EnvironmentDigest, ChangesWithTheEnvironmentsOwnSettingsOnly) {
  const auto render_digest = [](const std::string& yaml) {
    const Config config = MustParse(yaml);
    auto it = config.environments.find("render");
    return it == config.environments.end() ? std::string() : EnvironmentDigest(it->second);
  };
  const std::string base = render_digest(kDigestBase);
  const std::string own_changes[] = {
      DigestConfig({.mode = "batch", .more = kTeamVfx}),
      DigestConfig({.zone = "ap-guangzhou-4", .more = kTeamVfx}),
      DigestConfig({.instance_type = "S5.LARGE8", .more = kTeamVfx}),
      DigestConfig({.image_id = "img-m4q71qnf", .more = kTeamVfx}),
      DigestConfig({.max_price = "\"0.6\"", .more = kTeamVfx}),
      DigestConfig({.desired_count = "5", .more = kTeamVfx}),
      DigestConfig({.more = "    tags: {team: sfx}\n"}),
  };
  for (const std::string& variant : own_changes) {
    EXPECT_NE(render_digest(variant), base) << variant;
  }
  const std::string other_changes[] = {
      DigestConfig({.more = kTeamVfx}),  // the same settings in block style
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou, profile: ci}"),
      DigestConfig({.more = kTeamVfx}, "{region: ap-guangzhou}", "{workspace: staging}"),
      DigestConfig({.more = kTeamVfx}) + EnvironmentYaml{.name = "ci"}.Yaml(),
      DigestConfig({.more = kTeamVfx}) + EnvironmentYaml{.name = "a-first"}.Yaml(),
  };
  for (const std::string& variant : other_changes) {
    EXPECT_EQ(render_digest(variant), base) << variant;
  }
}

// --- reading from disk ---

class LoadConfigFileTest : public ::testing::Test {
 protected:
  TempDir dir_;
  const fs::path folder_ = dir_.path();
};

TEST_F(LoadConfigFileTest, ReadsTheFileAndAnchorsTheStatePathBesideIt) {
  std::string file = (folder_ / "spotform.yaml").string();
  testing::WriteFile(file, kSpecExample);
  ConfigParseResult result = LoadConfigFile(file, NoVariables());
  ASSERT_TRUE(result.config.has_value());
  EXPECT_TRUE(result.diagnostics.empty());
  EXPECT_EQ(result.config->state.path, (folder_ / ".spotform/state.db").string());
  EXPECT_EQ(result.config->digest, MustParse(kSpecExample).digest);
}

TEST_F(LoadConfigFileTest, ReportsErrorsWithTheFileName) {
  std::string file = (folder_ / "spotform.yaml").string();
  testing::WriteFile(file, "provider:\n  regoin: ap-guangzhou\n");
  ConfigParseResult result = LoadConfigFile(file, NoVariables());
  ASSERT_EQ(result.diagnostics.size(), 2u);
  EXPECT_EQ(result.diagnostics[0].ToString(),
            file + ":1:1: provider.region: required; set it here or in TENCENTCLOUD_REGION");
  EXPECT_EQ(result.diagnostics[1].ToString(),
            file + ":2:3: provider.regoin: unknown key; did you mean `region`?");
}

TEST_F(LoadConfigFileTest, AMissingFileSaysWhereItLookedAndHowToCreateOne) {
  std::string file = (folder_ / "spotform.yaml").string();
  ConfigParseResult result = LoadConfigFile(file, NoVariables());
  EXPECT_FALSE(result.config.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].line, 0);
  EXPECT_EQ(result.diagnostics[0].ToString(),
            "no spotform.yaml in " + folder_.string() + "; run `spotform init`");
}

TEST_F(LoadConfigFileTest, AMissingFileOfAnotherNameSaysHowToCreateIt) {
  std::string file = (folder_ / "farm.yaml").string();
  ConfigParseResult result = LoadConfigFile(file, NoVariables());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].ToString(),
            "no farm.yaml in " + folder_.string() + "; run `spotform init -c " + file + "`");
}

TEST_F(LoadConfigFileTest, ADirectoryIsNotAConfig) {
  ConfigParseResult result = LoadConfigFile(folder_.string(), NoVariables());
  EXPECT_FALSE(result.config.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].ToString(),
            "cannot read config " + folder_.string() +
                ": it is a directory; give the path of a spotform.yaml file");
}

}  // namespace
}  // namespace spotform
