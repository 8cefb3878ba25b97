// A plan that knows the market (issue 14), run as a user would against spotform-sim: the
// candidate table with prices, sell status and bids, why a candidate is skipped, the spot
// quota the launches need, the RunInstances DryRun of the first chosen candidate, and the
// same in `plan --json`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/apply_e2e_support.h"

namespace spotform::e2e {
namespace {

using nlohmann::json;

// env.render over `zones`, S5.MEDIUM4 (2 vCPUs, 0.09/h in the sim's catalogue) at `max_price`.
std::string RenderOver(const std::vector<std::string>& zones, int count,
                       const std::string& max_price = "0.60") {
  std::string list;
  for (const std::string& zone : zones) list += (list.empty() ? "" : ", ") + zone;
  std::string yaml = "  render:\n    mode: cvm\n";
  yaml += "    zones: [" + list + "]\n";
  yaml += "    instance_types: [S5.MEDIUM4]\n";
  yaml += "    image_id: img-pmqg1cw7\n";
  yaml += "    max_price: \"" + max_price + "\"\n";
  yaml += "    desired_count: " + std::to_string(count) + "\n";
  return yaml;
}

class PlanMarketE2E : public ApplyFixture {
 protected:
  void SetUp() override { StartSim({"--no-rate-limit"}); }

  // The RunInstances calls made with DryRun set.
  std::vector<json> DryRuns() {
    std::vector<json> out;
    for (const json& call : CallsOf(*sim_, "RunInstances")) {
      if (call["params"].value("DryRun", false)) out.push_back(call);
    }
    return out;
  }
};

TEST_F(PlanMarketE2E, ABidBelowTheMarketShowsTheMinimumBidAndTheDryRunsRefusal) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 3, "0.05"));
  CliResult plan = Run({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ExpectContainsAll(
      plan.out,
      {"candidates now (placement is decided at launch; the market moves):",
       "ap-guangzhou-3  S5.MEDIUM4        0.09  enough  0.05      -",
       "bid 0.05 < market 0.09: raise max_price to at least 0.09",
       "launch check (RunInstances DryRun of 3 S5.MEDIUM4 in ap-guangzhou-3 at max 0.05): "
       "failed\n        InvalidParameterValue.InsufficientPrice: ",
       "the spot price of S5.MEDIUM4 in ap-guangzhou-3 is 0.09: raise max_price to at least 0.09",
       "Warning: env.render: no candidate can take the 3 launches now: ap-guangzhou-3 "
       "S5.MEDIUM4: bid 0.05 < market 0.09"});
  EXPECT_FALSE(Contains(plan.out, "the launch check failed")) << "one warning is enough";
  const std::vector<json> dry_runs = DryRuns();
  ASSERT_EQ(dry_runs.size(), 1u);
  EXPECT_EQ(dry_runs[0]["error"], "InvalidParameterValue.InsufficientPrice");
  EXPECT_EQ(dry_runs[0]["params"]["InstanceCount"], 3);
  EXPECT_TRUE(LiveInstances(*sim_).empty()) << "a plan launches nothing";
}

TEST_F(PlanMarketE2E, ASoldOutCandidateIsMarkedAndTheLaunchesGoToTheNext) {
  WriteConfig(RenderOver({"ap-guangzhou-3", "ap-guangzhou-4"}, 4));
  ASSERT_TRUE(sim_->Control("/_sim/market", json{{"zone", "ap-guangzhou-3"},
                                                 {"instance_type", "S5.MEDIUM4"},
                                                 {"capacity", 0}}
                                                .dump())
                  .ok());
  CliResult plan = Run({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ExpectContainsAll(plan.out,
                    {"          ap-guangzhou-3  S5.MEDIUM4        0.09  sold out  0.60      -  "
                     "sold out\n",
                     "        * ap-guangzhou-4  S5.MEDIUM4",
                     "launch check (RunInstances DryRun of 4 S5.MEDIUM4 in ap-guangzhou-4 at max "
                     "0.60): passed",
                     "cost of the launches placed now: "});
  EXPECT_FALSE(Contains(plan.out, "Warning:")) << plan.out;
  const std::vector<json> dry_runs = DryRuns();
  ASSERT_EQ(dry_runs.size(), 1u);
  EXPECT_EQ(dry_runs[0]["params"]["Placement"]["Zone"], "ap-guangzhou-4");
  EXPECT_TRUE(dry_runs[0]["error"].is_string()) << "a passed dry run answers DryRunOperation";
}

TEST_F(PlanMarketE2E, PlanJsonCarriesTheCandidateTable) {
  WriteConfig(RenderOver({"ap-guangzhou-3", "ap-guangzhou-4"}, 4, "0.60") +
              EnvYaml("farm", "batch", "ap-guangzhou-4", 2));
  CliResult plan = Run({"plan", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const json document = json::parse(plan.out);
  const json& render = document["market"]["env.render"];
  EXPECT_EQ(render["launch"], 4);
  EXPECT_EQ(render["placed"], 4);
  EXPECT_EQ(render["market_known"], true);
  EXPECT_EQ(render["note"], "placement is decided at launch; the market moves");
  ASSERT_EQ(render["candidates"].size(), 2u);
  const json& first = render["candidates"][0];
  EXPECT_EQ(first["zone"], "ap-guangzhou-3");
  EXPECT_EQ(first["instance_type"], "S5.MEDIUM4");
  EXPECT_DOUBLE_EQ(first["price"].get<double>(), 0.09);
  EXPECT_EQ(first["on_sale"], true);
  EXPECT_EQ(first["bid"], "0.60");
  EXPECT_EQ(first["place"], 4);
  EXPECT_EQ(first["skip"], nullptr);
  EXPECT_EQ(render["candidates"][1]["skip"], "not_needed");
  EXPECT_EQ(render["dry_run"]["result"], "passed");
  EXPECT_EQ(render["dry_run"]["zone"], "ap-guangzhou-3");
  EXPECT_DOUBLE_EQ(render["cost"]["at_market"].get<double>(), 0.36);
  EXPECT_DOUBLE_EQ(render["cost"]["at_bids"].get<double>(), 2.4);
  // Batch gets the table, not a dry run: it launches the nodes itself.
  EXPECT_EQ(document["market"]["env.farm"]["dry_run"], nullptr);
  EXPECT_EQ(document["market"]["env.farm"]["placed"], 2);
  EXPECT_EQ(document["warnings"], json::array());
  EXPECT_GT(document["summary"]["launch_hourly_cost_at_market"].get<double>(), 0.36);

  // A saved plan keeps the table for `show`.
  ASSERT_EQ(Run({"plan", "--out", "market.plan"}).exit_code, 0);
  CliResult shown = Run({"show", "--json", "market.plan"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["market"], document["market"]);
}

TEST_F(PlanMarketE2E, AMarketThatCannotBeReadDoesNotFailThePlan) {
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 2));
  ASSERT_TRUE(sim_->InjectFault("DescribeZoneInstanceConfigInfos", "UnsupportedOperation", 1).ok());
  CliResult plan = Run({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ExpectContainsAll(plan.out, {"market unknown: ", "UnsupportedOperation",
                               "* ap-guangzhou-3  S5.MEDIUM4           ?  ?      0.60      2",
                               "launch check (RunInstances DryRun of 2 S5.MEDIUM4 in "
                               "ap-guangzhou-3 at max 0.60): passed"});
}

TEST_F(PlanMarketE2E, APlanOverAZonesSpotQuotaPlacesTheRestElsewhereOrSaysWhatIsMissing) {
  // 4 vCPUs left in ap-guangzhou-3: two S5.MEDIUM4 there, the other three in ap-guangzhou-4.
  ASSERT_TRUE(
      sim_->Control("/_sim/quota", json{{"zone", "ap-guangzhou-3"}, {"vcpus", 4}}.dump()).ok());
  WriteConfig(RenderOver({"ap-guangzhou-3", "ap-guangzhou-4"}, 5));
  CliResult spread = Run({"plan"});
  ASSERT_EQ(spread.exit_code, 0) << spread.out << spread.err;
  ExpectContainsAll(spread.out,
                    {"        * ap-guangzhou-3  S5.MEDIUM4        0.09  enough  0.60      2",
                     "        * ap-guangzhou-4  S5.MEDIUM4",
                     "spot quota: needs 4 vCPUs in ap-guangzhou-3, 4 left\n",
                     "launch check (RunInstances DryRun of 2 S5.MEDIUM4 in "
                     "ap-guangzhou-3 at max 0.60): passed"});
  EXPECT_FALSE(Contains(spread.out, "Warning:")) << spread.out;

  // One zone only: the plan says how much quota to request.
  WriteConfig(EnvYaml("render", "cvm", "ap-guangzhou-3", 5));
  CliResult short_of_quota = Run({"plan", "--json"});
  ASSERT_EQ(short_of_quota.exit_code, 0) << short_of_quota.err;
  const json document = json::parse(short_of_quota.out);
  EXPECT_EQ(document["market"]["env.render"]["placed"], 2);
  EXPECT_EQ(document["market"]["env.render"]["quota"],
            json::parse(R"([{"zone": "ap-guangzhou-3", "needed_vcpus": 10,
                             "remaining_vcpus": 4, "request_vcpus": 6}])"));
  EXPECT_EQ(
      document["warnings"],
      json::parse(
          R"(["env.render: only 2 of the 5 launches fit the spot quota now: request 6 more vCPUs of spot quota in ap-guangzhou-3"])"));
  CliResult text = Run({"plan"});
  EXPECT_TRUE(Contains(text.out,
                       "spot quota: needs 10 vCPUs in ap-guangzhou-3, 4 left: request "
                       "6 more"))
      << text.out;
}

}  // namespace
}  // namespace spotform::e2e
