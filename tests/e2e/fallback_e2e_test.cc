// Fallback candidates end to end (spec §3): an environment lists several zones and types,
// spotform places launches among them at launch time from the market it reads, moves what a
// candidate cannot supply (stock, price, quota) to the next, releases the least preferred
// first, and `watch` replaces a reclaim elsewhere. Against spotform-sim with per-pool stock,
// prices and a per-zone spot quota, under both MinCount variants where it matters.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

constexpr char kGz3[] = "ap-guangzhou-3";
constexpr char kGz4[] = "ap-guangzhou-4";
constexpr char kGz6[] = "ap-guangzhou-6";
constexpr char kMedium[] = "S5.MEDIUM4";

// An environment "farm" over `zones` of S5.MEDIUM4 at max 0.60 with `allocation`.
std::string FarmYaml(const std::vector<std::string>& zones, int count,
                     const std::string& allocation = "ordered",
                     const std::string& max_price = "0.60") {
  std::string list;
  for (const std::string& zone : zones) list += (list.empty() ? "" : ", ") + zone;
  return "  farm:\n"
         "    mode: cvm\n"
         "    zones: [" +
         list +
         "]\n"
         "    instance_types: [S5.MEDIUM4]\n"
         "    allocation: " +
         allocation +
         "\n"
         "    image_id: img-pmqg1cw7\n"
         "    max_price: \"" +
         max_price +
         "\"\n"
         "    desired_count: " +
         std::to_string(count) + "\n";
}

// Live instances of env.farm per zone.
std::map<std::string, int> FarmZones(SimProcess& sim) {
  std::map<std::string, int> zones;
  for (const json& instance : LiveInstances(sim)) {
    if (TagValue(instance, "spotform-env") == "farm") ++zones[instance["Placement"]["Zone"]];
  }
  return zones;
}

class FallbackE2E : public ApplyFixture, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override { StartSim({"--no-rate-limit", "--min-count", GetParam()}); }
  bool PartialDelivery() const { return GetParam() == "supported"; }
  void Market(const std::string& zone, double price, int capacity) {
    ASSERT_TRUE(sim_->SetMarket(zone, kMedium, price, capacity).ok());
  }
  void ExpectCleanPlan() {
    CliResult plan = Run({"plan"});
    EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
    EXPECT_TRUE(Contains(plan.out, "No changes.")) << plan.out << plan.err;
  }
};

TEST_P(FallbackE2E, OrderedFillsEachCandidateUpToItsStockThenTheNext) {
  const int want = PartialDelivery() ? 1000 : 100;
  const int scale = want / 10;  // stock 3/3/4 tenths of what is wanted
  Market(kGz3, 0.10, 3 * scale);
  Market(kGz4, 0.10, 3 * scale);
  Market(kGz6, 0.10, 4 * scale);
  WriteConfig(FarmYaml({kGz3, kGz4, kGz6}, want));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;

  EXPECT_EQ(FarmZones(*sim_),
            (std::map<std::string, int>{{kGz3, 3 * scale}, {kGz4, 3 * scale}, {kGz6, 4 * scale}}));
  EXPECT_EQ(RecordedIds("farm").size(), static_cast<size_t>(want));
  if (PartialDelivery()) {
    // One call per 100 plus one refusal for each of the two exhausted candidates (the plan's
    // DryRun launches nothing and is not counted).
    size_t launches = 0;
    for (const json& call : CallsOf(*sim_, "RunInstances")) {
      if (!call["params"].value("DryRun", false)) ++launches;
    }
    EXPECT_LE(launches, 10u + 2u);
  }
  ExpectCleanPlan();
}

TEST_P(FallbackE2E, LowestPricePlacesOnTheCheapestCandidate) {
  Market(kGz3, 0.20, 100);
  Market(kGz4, 0.09, 100);
  WriteConfig(FarmYaml({kGz3, kGz4}, 6, "lowest-price"));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz4, 6}}));
}

TEST_P(FallbackE2E, DiversifiedSpreadsEvenlyOverTheCandidatesThatCanRun) {
  Market(kGz3, 0.10, 100);
  Market(kGz4, 0.10, 100);
  Market(kGz6, 0.10, 100);
  WriteConfig(FarmYaml({kGz3, kGz4, kGz6}, 9, "diversified"));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 3}, {kGz4, 3}, {kGz6, 3}}));
}

TEST_P(FallbackE2E, APriceAboveOneCandidatesBidMovesLaunchesToTheNext) {
  Market(kGz3, 0.10, 100);
  Market(kGz4, 0.10, 100);
  WriteConfig(FarmYaml({kGz3, kGz4}, 2, "ordered", "0.15"));
  ASSERT_EQ(Apply().exit_code, 0);
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 2}}));

  Market(kGz3, 0.30, 100);  // above the bid from now on
  WriteConfig(FarmYaml({kGz3, kGz4}, 5, "ordered", "0.15"));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 2}, {kGz4, 3}}));
  for (const json& call : CallsOf(*sim_, "RunInstances")) {
    EXPECT_NE(call["error"], "InvalidParameterValue.InsufficientPrice")
        << "the market said the bid is too low; no launch should have been tried there";
  }
}

TEST_P(FallbackE2E, AZoneOutOfSpotQuotaSendsTheRestToAnotherZone) {
  Market(kGz3, 0.10, 100);
  Market(kGz4, 0.10, 100);
  // 4 vCPUs: two S5.MEDIUM4 (2 vCPUs each) fit in ap-guangzhou-3.
  ASSERT_TRUE(sim_->Control("/_sim/quota", R"({"zone":"ap-guangzhou-3","vcpus":4})").ok());
  WriteConfig(FarmYaml({kGz3, kGz4}, 5));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 2}, {kGz4, 3}}));
  for (const json& call : CallsOf(*sim_, "RunInstances")) {
    EXPECT_NE(call["error"], "LimitExceeded.UserSpotQuota")
        << "the quota was read first; no launch should have run into it";
  }
}

TEST_P(FallbackE2E, ScaleDownReleasesTheLeastPreferredCandidatesFirst) {
  // The preferred zone is sold out at first, so its instances come later and are the newest:
  // "newest first" alone would release them.
  Market(kGz3, 0.10, 0);
  Market(kGz4, 0.10, 100);
  WriteConfig(FarmYaml({kGz3, kGz4}, 3));
  ASSERT_EQ(Apply().exit_code, 0);
  ASSERT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz4, 3}}));
  Market(kGz3, 0.10, 100);
  WriteConfig(FarmYaml({kGz3, kGz4}, 5));
  ASSERT_EQ(Apply().exit_code, 0);
  ASSERT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 2}, {kGz4, 3}}));

  WriteConfig(FarmYaml({kGz3, kGz4}, 3));
  CliResult plan = Run({"plan"});
  EXPECT_TRUE(Contains(plan.out, "least preferred candidates")) << plan.out;
  CliResult down = Apply();
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 2}, {kGz4, 1}}));
  ExpectCleanPlan();
}

TEST_P(FallbackE2E, LowestPriceScaleDownReleasesTheMostExpensiveFirst) {
  Market(kGz3, 0.09, 2);  // the cheapest, with room for two
  Market(kGz4, 0.10, 100);
  WriteConfig(FarmYaml({kGz3, kGz4}, 3, "lowest-price"));
  ASSERT_EQ(Apply().exit_code, 0);
  ASSERT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 2}, {kGz4, 1}}));

  // ap-guangzhou-3 is now the most expensive: its instances go first, although it is the
  // preferred zone and its instances are the older ones.
  Market(kGz3, 0.30, 2);
  WriteConfig(FarmYaml({kGz3, kGz4}, 1, "lowest-price"));
  CliResult plan = Run({"plan"});
  EXPECT_TRUE(Contains(plan.out, "the most expensive candidates at current spot prices"))
      << plan.out;
  CliResult down = Apply();
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz4, 1}}));
}

TEST_P(FallbackE2E, WatchReplacesAReclaimedInstanceInAnotherZone) {
  Market(kGz3, 0.10, 100);
  Market(kGz4, 0.10, 100);
  WriteConfig(FarmYaml({kGz3, kGz4}, 2));
  ASSERT_EQ(Apply().exit_code, 0);
  ASSERT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 2}}));

  const std::string victim = *LiveIdsOfEnvironment(*sim_, "farm").begin();
  ASSERT_TRUE(sim_->Reclaim({victim}).ok());
  CliResult watch =
      Run({"watch", "--once", "--poll-interval", "50ms", "--timeout", "60s", "--interval", "1s"});
  ASSERT_EQ(watch.exit_code, 0) << watch.out << watch.err;
  EXPECT_EQ(FarmZones(*sim_), (std::map<std::string, int>{{kGz3, 1}, {kGz4, 1}}))
      << "the zone that just lost an instance to a reclaim is tried last\n"
      << watch.out;
}

TEST_P(FallbackE2E, WhenNoCandidateCanServeApplySaysWhyForEachAndRecordsNothing) {
  Market(kGz3, 0.10, 0);    // sold out
  Market(kGz4, 0.90, 100);  // above the bid
  WriteConfig(FarmYaml({kGz3, kGz4}, 3));
  CliResult applied = Apply();
  EXPECT_EQ(applied.exit_code, 1) << applied.out << applied.err;
  const std::string all = applied.out + applied.err;
  ExpectContainsAll(all, {"S5.MEDIUM4 in ap-guangzhou-3: sold out",
                          "S5.MEDIUM4 in ap-guangzhou-4: bid 0.60 < market 0.9: raise max_price "
                          "to at least 0.9"});
  EXPECT_TRUE(LoadState().environments.empty()) << "a create that launched nothing leaves "
                                                   "nothing recorded";
  EXPECT_TRUE(FarmZones(*sim_).empty());
}

INSTANTIATE_TEST_SUITE_P(MinCount, FallbackE2E, ::testing::Values("supported", "unsupported"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace spotform::e2e
