// What `spotform import env.NAME ID...` and `import --discover --tag ...` ask for
// (engine/import/import_request.h), checked before the state or the cloud is read.
#include "engine/import/import_request.h"

#include <gtest/gtest.h>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using testing::ConfigOf;
using testing::Spec;

Config Declared() {
  Config config = ConfigOf({Spec("render", 2), Spec("farm", 1, Mode::kBatch)});
  config.file = "spotform.yaml";
  return config;
}

TEST(ImportRequest, InstanceIdsOrOneBatchEnvironmentIntoADeclaredEnvironment) {
  struct AcceptedCase {
    std::string address;
    std::vector<std::string> ids;
    std::string environment;
    bool batch;
  };
  const AcceptedCase cases[] = {
      {"env.render", {"ins-aaaaaaaa"}, "render", false},
      {"env.render", {"ins-aaaaaaaa", "ins-bbbbbbbb", "ins-aaaaaaaa"}, "render", false},
      {"env.farm", {"env-cccccccc"}, "farm", true},
      // Whether the environment's mode fits is the import's own check, with the cloud's view.
      {"env.render", {"env-cccccccc"}, "render", true},
  };
  for (const AcceptedCase& c : cases) {
    SCOPED_TRACE(c.address + " " + ::testing::PrintToString(c.ids));
    Result<ImportRequest> request = ParseImportRequest(Declared(), c.address, c.ids);
    ASSERT_TRUE(request.ok()) << request.error().message();
    EXPECT_EQ(request->spec.name, c.environment);
    EXPECT_EQ(request->ids, c.ids);
    EXPECT_EQ(request->batch, c.batch);
  }
}

TEST(ImportRequest, RefusalsSayWhatToGiveInstead) {
  struct RefusedCase {
    std::string address;
    std::vector<std::string> ids;
    std::string error;
  };
  const RefusedCase cases[] = {
      {"render",
       {"ins-aaaaaaaa"},
       "import: `render` is not an address; give env.NAME first, then ids"},
      {"ins-aaaaaaaa",
       {},
       "import: `ins-aaaaaaaa` is not an address; give env.NAME first, then ids"},
      {"env.rendr",
       {"ins-aaaaaaaa"},
       "import: env.rendr is not declared in spotform.yaml; did you mean env.render?"},
      {"env.science",
       {"ins-aaaaaaaa"},
       "import: env.science is not declared in spotform.yaml; declare it there first (import "
       "adopts into a declared environment), or use --discover"},
      {"env.render",
       {},
       "import env.render: give the ins-... instance ids or the env-... Batch compute "
       "environment id to adopt"},
      {"env.render",
       {"ins-aaaaaaaa", "env-cccccccc"},
       "import env.render: `env-cccccccc` is not an instance id (ins-...); a Batch compute "
       "environment (env-...) is imported alone"},
      {"env.farm",
       {"env-cccccccc", "env-dddddddd"},
       "import env.farm: `env-cccccccc` is not an instance id (ins-...); a Batch compute "
       "environment (env-...) is imported alone"},
      {"env.render",
       {"i-aaaaaaaa"},
       "import env.render: `i-aaaaaaaa` is not an instance id (ins-...); a Batch compute "
       "environment (env-...) is imported alone"},
  };
  for (const RefusedCase& c : cases) {
    SCOPED_TRACE(c.address + " " + ::testing::PrintToString(c.ids));
    Result<ImportRequest> request = ParseImportRequest(Declared(), c.address, c.ids);
    ASSERT_FALSE(request.ok());
    EXPECT_EQ(request.error().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(request.error().message(), c.error);
  }
}

TEST(ImportRequest, DiscoveryFilterTakesEveryTagAndTheZone) {
  Result<DiscoveryFilter> filter =
      ParseDiscoveryFilter({"team=vfx", "owner=", "note=a=b"}, "ap-guangzhou-3");
  ASSERT_TRUE(filter.ok()) << filter.error().message();
  EXPECT_EQ(filter->tags, (Tags{{"note", "a=b"}, {"owner", ""}, {"team", "vfx"}}));
  EXPECT_EQ(filter->zone, "ap-guangzhou-3");

  Result<DiscoveryFilter> none = ParseDiscoveryFilter({}, "");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->tags.empty());
  EXPECT_EQ(none->zone, "");
}

TEST(ImportRequest, ATagThatIsNotKeyEqualsValueIsRefused) {
  for (const std::string tag : {"team", "=vfx"}) {
    Result<DiscoveryFilter> filter = ParseDiscoveryFilter({"ok=1", tag}, "");
    ASSERT_FALSE(filter.ok()) << tag;
    EXPECT_EQ(filter.error().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(filter.error().message(), "--tag " + tag + ": write KEY=VALUE, e.g. --tag team=vfx");
  }
}

}  // namespace
}  // namespace spotform
