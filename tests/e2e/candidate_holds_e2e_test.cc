// Candidate holds kept in the state (spec §3 "Fallback candidates"): a candidate that refused
// a launch is skipped, and one that lost instances to a reclaim is tried last, by every run
// within the hold's time, not only by the process that saw it: `apply` and `watch --once`
// from cron are separate processes. Against spotform-sim with per-pool stock.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

constexpr char kHoldGz3[] = "ap-guangzhou-3";
constexpr char kHoldGz4[] = "ap-guangzhou-4";

// env.farm: `count` S5.MEDIUM4 over ap-guangzhou-3 then -4, ordered, at 0.60.
std::string HoldFarmYaml(int count) {
  return "  farm:\n"
         "    mode: cvm\n"
         "    zones: [ap-guangzhou-3, ap-guangzhou-4]\n"
         "    instance_types: [S5.MEDIUM4]\n"
         "    allocation: ordered\n"
         "    image_id: img-pmqg1cw7\n"
         "    max_price: \"0.60\"\n"
         "    desired_count: " +
         std::to_string(count) + "\n";
}

// Live instance ids of env.farm by zone.
std::map<std::string, std::vector<std::string>> HoldFarmIds(SimProcess& sim) {
  std::map<std::string, std::vector<std::string>> zones;
  for (const json& instance : LiveInstances(sim)) {
    if (TagValue(instance, "spotform-env") != "farm") continue;
    zones[instance["Placement"]["Zone"]].push_back(instance["InstanceId"]);
  }
  return zones;
}

std::map<std::string, size_t> HoldFarmCounts(SimProcess& sim) {
  std::map<std::string, size_t> counts;
  for (const auto& [zone, ids] : HoldFarmIds(sim)) counts[zone] = ids.size();
  return counts;
}

// The zones of the launches (not DryRuns) from the `from`-th RunInstances call on.
std::vector<std::string> LaunchZonesSince(SimProcess& sim, size_t from) {
  std::vector<std::string> zones;
  std::vector<json> calls = CallsOf(sim, "RunInstances");
  for (size_t i = from; i < calls.size(); ++i) {
    if (calls[i]["params"].value("DryRun", false)) continue;
    zones.push_back(calls[i]["params"]["Placement"].value("Zone", ""));
  }
  return zones;
}

class CandidateHoldsE2E : public ApplyFixture {
 protected:
  void SetUp() override { StartSim({"--no-rate-limit", "--min-count", "supported"}); }
  void Market(const std::string& zone, int capacity) {
    ASSERT_TRUE(sim_->SetMarket(zone, "S5.MEDIUM4", 0.10, capacity).ok());
  }
  CliResult WatchOnce() {
    return Run(
        {"watch", "--once", "--poll-interval", "50ms", "--timeout", "60s", "--interval", "1s"});
  }
  // The holds of the state as "KIND ZONE".
  std::vector<std::string> Holds() {
    std::vector<std::string> out;
    for (const CandidateHold& hold : LoadState().candidate_holds) {
      out.push_back(std::string(hold.kind == HoldKind::kCooling ? "cooling " : "unavailable ") +
                    hold.zone);
    }
    return out;
  }
};

TEST_F(CandidateHoldsE2E, WatchOnceSkipsACandidateThatRefusedAnApplyMinutesAgo) {
  Market(kHoldGz3, 3);  // runs out after 3 of the 5
  Market(kHoldGz4, 100);
  WriteConfig(HoldFarmYaml(5));
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  ASSERT_EQ(HoldFarmCounts(*sim_), (std::map<std::string, size_t>{{kHoldGz3, 3}, {kHoldGz4, 2}}));
  EXPECT_EQ(Holds(), std::vector<std::string>{"unavailable ap-guangzhou-3"});
  CliResult shown = Run({"show"});
  EXPECT_TRUE(
      Contains(shown.out, "Held candidates:\n  S5.MEDIUM4 in ap-guangzhou-3  skipped until "))
      << shown.out;

  // ap-guangzhou-3 is back in stock as far as the market says, but within its hold.
  Market(kHoldGz3, 100);
  ASSERT_TRUE(sim_->Reclaim({HoldFarmIds(*sim_)[kHoldGz4].front()}).ok());
  const size_t mark = CallsOf(*sim_, "RunInstances").size();
  CliResult watch = WatchOnce();
  ASSERT_EQ(watch.exit_code, 0) << watch.out << watch.err;

  EXPECT_EQ(LaunchZonesSince(*sim_, mark), std::vector<std::string>{kHoldGz4})
      << "the held candidate is not tried\n"
      << watch.out;
  EXPECT_EQ(HoldFarmCounts(*sim_), (std::map<std::string, size_t>{{kHoldGz3, 3}, {kHoldGz4, 2}}));
  EXPECT_EQ(Holds(),
            (std::vector<std::string>{"cooling ap-guangzhou-4", "unavailable ap-guangzhou-3"}));
}

TEST_F(CandidateHoldsE2E, AnApplyAfterWatchOnceTriesTheReclaimedCandidateLast) {
  Market(kHoldGz3, 100);
  Market(kHoldGz4, 100);
  WriteConfig(HoldFarmYaml(2));
  ASSERT_EQ(Apply().exit_code, 0);
  ASSERT_EQ(HoldFarmCounts(*sim_), (std::map<std::string, size_t>{{kHoldGz3, 2}}));
  EXPECT_TRUE(Holds().empty());

  ASSERT_TRUE(sim_->Reclaim({HoldFarmIds(*sim_)[kHoldGz3].front()}).ok());
  CliResult watch = WatchOnce();
  ASSERT_EQ(watch.exit_code, 0) << watch.out << watch.err;
  ASSERT_EQ(HoldFarmCounts(*sim_), (std::map<std::string, size_t>{{kHoldGz3, 1}, {kHoldGz4, 1}}));
  EXPECT_EQ(Holds(), std::vector<std::string>{"cooling ap-guangzhou-3"});

  // A separate apply learns the cooldown from the state.
  WriteConfig(HoldFarmYaml(3));
  const size_t mark = CallsOf(*sim_, "RunInstances").size();
  CliResult applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(LaunchZonesSince(*sim_, mark), std::vector<std::string>{kHoldGz4});
  EXPECT_EQ(HoldFarmCounts(*sim_), (std::map<std::string, size_t>{{kHoldGz3, 1}, {kHoldGz4, 2}}));
}

TEST_F(CandidateHoldsE2E, AWatchRoundThatSawNothingNewWritesNothing) {
  Market(kHoldGz3, 100);
  WriteConfig(HoldFarmYaml(2));
  ASSERT_EQ(Apply().exit_code, 0);
  const int64_t serial = LoadState().serial;
  CliResult watch = WatchOnce();
  ASSERT_EQ(watch.exit_code, 0) << watch.out << watch.err;
  EXPECT_EQ(LoadState().serial, serial);
  EXPECT_TRUE(Holds().empty());
}

}  // namespace
}  // namespace spotform::e2e
