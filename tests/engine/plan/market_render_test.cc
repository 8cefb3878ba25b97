// How plans show the market (issue 14): the candidate table under a change, quota, launch
// check and cost lines, the summary's costs, warnings, the JSON `market` and `warnings`, and
// the saved plan file keeping it all for `show`.
#include "engine/plan/market_render.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/plan/plan_codec.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/plan_render_text.h"
#include "tests/engine/plan/market_examples.h"

namespace spotform {
namespace {

using namespace plan_examples;    // NOLINT: test-local literals
using namespace market_examples;  // NOLINT: test-local literals
using Json = nlohmann::ordered_json;

// env.render creating 4 instances over two zones and two types: the first candidate is sold
// out, the second takes the launches, the third bids too low, the fourth is not needed.
Plan FallbackPlan() {
  Plan plan = PlanOf({CreateWithLaunches(Fallbacks(4), 4)});
  const MarketView market = MarketOf(
      {Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18, 2, /*on_sale=*/false),
       Offer("ap-guangzhou-4", "S5.MEDIUM4", 0.2), Offer("ap-guangzhou-3", "SA2.MEDIUM4", 0.45),
       Offer("ap-guangzhou-4", "SA2.MEDIUM4", 0.16, 2, true, StockLevel::kLow)},
      {Quota("ap-guangzhou-4", 40, 50)});
  plan.market = BuildMarketReports(plan, market);
  plan.market[0].launch_check.outcome = LaunchCheck::Outcome::kPassed;
  plan.warnings = MarketWarnings(plan.market);
  return plan;
}

std::string SectionOf(const MarketReport& report, bool color = false) {
  std::string out;
  WriteMarketText(report, TextStyle(color), out);
  return out;
}

constexpr char kFallbackSection[] =
    R"(      candidates now (placement is decided at launch; the market moves):
          zone            instance_type  price/h  stock     bid   place
          ap-guangzhou-3  S5.MEDIUM4        0.18  sold out  0.60      -  sold out
        * ap-guangzhou-4  S5.MEDIUM4        0.20  enough    0.60      4
          ap-guangzhou-3  SA2.MEDIUM4       0.45  enough    0.40      -
            bid 0.40 < market 0.45: raise max_price to at least 0.45
          ap-guangzhou-4  SA2.MEDIUM4       0.16  low       0.40      -
      spot quota: needs 8 vCPUs in ap-guangzhou-4, 40 left
      launch check (RunInstances DryRun of 4 S5.MEDIUM4 in ap-guangzhou-4 at max 0.60): passed
      cost of the launches placed now: 0.80/h at current spot prices (at bids 2.40/h)
)";

TEST(MarketRenderTextTest, TableMarksTheChosenAndSaysWhyOthersAreSkipped) {
  EXPECT_EQ(SectionOf(FallbackPlan().market[0]), kFallbackSection);
}

TEST(MarketRenderTextTest, EveryLineFitsInAHundredColumns) {
  const std::string text = RenderPlanText(FallbackPlan(), RenderOptions{.color = false});
  size_t start = 0;
  const size_t table = text.find("candidates now");
  const size_t table_end = text.find("\nPlan:");
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    if (start > table && start < table_end) {
      EXPECT_LE(end - start, 100u) << text.substr(start, end - start);
    }
    start = end + 1;
  }
}

TEST(MarketRenderTextTest, ThePlanShowsTheSectionUnderTheStepsAndTheCostsInTheSummary) {
  const std::string text = RenderPlanText(FallbackPlan(), RenderOptions{.color = false});
  EXPECT_NE(
      text.find("        3. record the applied configuration\n" + std::string(kFallbackSection) +
                "\nPlan: 1 to add, 0 to change, 0 to destroy; 4 instances to launch, 0 to "
                "release; estimated 2.40/h in total at your bids; launches placed now: 0.80/h at "
                "current spot prices (at bids 2.40/h).\n"),
      std::string::npos)
      << text;
}

TEST(MarketRenderTextTest, QuotaShortfallAndWarningsFollowTheSummary) {
  Plan plan = PlanOf({CreateWithLaunches(Render(60), 60)});
  plan.market = BuildMarketReports(plan, MarketOf({Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18)},
                                                  {Quota("ap-guangzhou-3", 50, 50)}));
  plan.warnings = MarketWarnings(plan.market);
  const std::string text = RenderPlanText(plan, RenderOptions{.color = false});
  EXPECT_NE(text.find("      spot quota: needs 120 vCPUs in ap-guangzhou-3, 50 left: request 70 "
                      "more\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with(
      "launches placed now: 4.50/h at current spot prices (at bids 15.00/h).\n\n"
      "Warning: env.render: only 25 of the 60 launches fit the spot quota now: request 70 more "
      "vCPUs of spot quota in ap-guangzhou-3\n"))
      << text;
  const std::string colored = RenderPlanText(plan, RenderOptions{.color = true});
  EXPECT_NE(colored.find("\x1b[33mWarning:\x1b[0m env.render: only 25"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[33mspot quota: needs 120 vCPUs"), std::string::npos);
}

TEST(MarketRenderTextTest, AFailedLaunchCheckShowsTheCloudsWordsAndTheAdvice) {
  MarketReport report = FallbackPlan().market[0];
  report.launch_check.outcome = LaunchCheck::Outcome::kFailed;
  report.launch_check.error_code = "InvalidParameterValue.InsufficientPrice";
  report.launch_check.error_message = "RunInstances (dry run): bid below the spot price";
  report.launch_check.advice = "raise max_price to at least 0.21";
  EXPECT_NE(SectionOf(report).find(
                "      launch check (RunInstances DryRun of 4 S5.MEDIUM4 in ap-guangzhou-4 at max "
                "0.60): failed\n"
                "        InvalidParameterValue.InsufficientPrice: RunInstances (dry run): bid "
                "below the spot price\n"
                "        raise max_price to at least 0.21\n"),
            std::string::npos)
      << SectionOf(report);
}

TEST(MarketRenderTextTest, AnUnknownMarketSaysSoAndShowsTheCandidatesInOrder) {
  Plan plan = PlanOf({CreateWithLaunches(Render(2), 2)});
  MarketView unread;
  unread.unread_reason = "InternalError: busy";
  plan.market = BuildMarketReports(plan, unread);
  EXPECT_EQ(SectionOf(plan.market[0]),
            R"(      market unknown: InternalError: busy
      candidates now (placement is decided at launch; the market moves):
          zone            instance_type  price/h  stock  bid   place
        * ap-guangzhou-3  S5.MEDIUM4           ?  ?      0.60      2
      cost of the launches placed now: 1.20/h at bids (spot prices unknown)
)");
  // Nothing priced: the summary stays as it was.
  EXPECT_NE(RenderPlanText(plan, RenderOptions{.color = false})
                .find("estimated 1.20/h in total at your bids.\n"),
            std::string::npos);
}

TEST(MarketRenderJsonTest, MarketIsKeyedByAddressWithEveryCandidate) {
  const Json json = PlanToJson(FallbackPlan());
  const Json& market = json["market"]["env.render"];
  EXPECT_EQ(market["mode"], "cvm");
  EXPECT_EQ(market["launch"], 4);
  EXPECT_EQ(market["placed"], 4);
  EXPECT_EQ(market["note"], "placement is decided at launch; the market moves");
  EXPECT_EQ(market["market_known"], true);
  EXPECT_EQ(market["unknown_reason"], nullptr);
  ASSERT_EQ(market["candidates"].size(), 4u);
  EXPECT_EQ(market["candidates"][0], Json::parse(R"({"zone": "ap-guangzhou-3",
      "instance_type": "S5.MEDIUM4", "price": 0.18, "on_sale": false, "stock": "none", "cpu": 2,
      "bid": "0.60", "place": 0, "chosen": false, "skip": "sold_out", "why": "sold out"})"));
  EXPECT_EQ(market["candidates"][1], Json::parse(R"({"zone": "ap-guangzhou-4",
      "instance_type": "S5.MEDIUM4", "price": 0.2, "on_sale": true, "stock": "enough", "cpu": 2,
      "bid": "0.60", "place": 4, "chosen": true, "skip": null, "why": null})"));
  EXPECT_EQ(market["candidates"][2]["skip"], "bid_too_low");
  EXPECT_EQ(market["candidates"][2]["why"],
            "bid 0.40 < market 0.45: raise max_price to at least 0.45");
  EXPECT_EQ(market["candidates"][3]["skip"], "not_needed");
  EXPECT_EQ(market["quota"], Json::parse(R"([{"zone": "ap-guangzhou-4", "needed_vcpus": 8,
      "remaining_vcpus": 40, "request_vcpus": 0}])"));
  EXPECT_EQ(market["dry_run"], Json::parse(R"({"zone": "ap-guangzhou-4",
      "instance_type": "S5.MEDIUM4", "image_id": "img-pmqg1cw7", "max_price": "0.60",
      "count": 4, "result": "passed", "error": null, "advice": null})"));
  EXPECT_EQ(market["cost"], Json::parse(R"({"at_market": 0.8, "at_bids": 2.4})"));
  EXPECT_EQ(json["warnings"], Json::array());
  EXPECT_EQ(json["summary"]["launch_hourly_cost_at_market"], 0.8);
  EXPECT_EQ(json["summary"]["launch_hourly_cost_at_bids"], 2.4);
}

TEST(MarketRenderJsonTest, WarningsAndAFailedDryRun) {
  Plan plan = PlanOf({CreateWithLaunches(Render(4), 4)});
  plan.market = BuildMarketReports(plan, MarketOf({Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.7)}));
  plan.market[0].launch_check.outcome = LaunchCheck::Outcome::kFailed;
  plan.market[0].launch_check.error_code = "InvalidParameterValue.InsufficientPrice";
  plan.market[0].launch_check.error_message = "too low";
  plan.market[0].launch_check.advice = "raise max_price to at least 0.7";
  plan.warnings = MarketWarnings(plan.market);
  const Json json = PlanToJson(plan);
  EXPECT_EQ(
      json["warnings"],
      Json::parse(
          R"(["env.render: no candidate can take the 4 launches now: ap-guangzhou-3 S5.MEDIUM4: bid 0.60 < market 0.7: raise max_price to at least 0.7"])"));
  EXPECT_EQ(json["market"]["env.render"]["dry_run"]["result"], "failed");
  EXPECT_EQ(json["market"]["env.render"]["dry_run"]["error"],
            Json::parse(R"({"code": "InvalidParameterValue.InsufficientPrice",
                            "message": "too low"})"));
  EXPECT_EQ(json["market"]["env.render"]["dry_run"]["advice"], "raise max_price to at least 0.7");
  EXPECT_EQ(json["market"]["env.render"]["placed"], 0);
}

// --- the saved plan keeps the market for `show` -------------------------------------------

class MarketPlanFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/spotform-market-plan-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr);
    dir_ = name;
    path_ = dir_ + "/tfplan";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::string path_;
};

TEST_F(MarketPlanFileTest, ASavedPlanShowsTheMarketAsPlanned) {
  Plan plan = FallbackPlan();
  plan.market[0].launch_check.outcome = LaunchCheck::Outcome::kFailed;
  plan.market[0].launch_check.error_code = "LimitExceeded.SpotQuota";
  plan.market[0].launch_check.error_message = "quota";
  plan.market[0].launch_check.advice = "request more";
  plan.market[0].warnings = {"a warning"};
  plan.warnings = {"a warning"};
  MarketView unread;
  unread.unread_reason = "InternalError: busy";
  Plan unknown = PlanOf({CreateWithLaunches(Render(2), 2)});
  plan.market.push_back(BuildMarketReports(unknown, unread).at(0));
  plan.market.back().address = "env.other";
  ASSERT_TRUE(WritePlanFile(path_, plan).ok());
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(RenderPlanText(*read, RenderOptions{.color = false}),
            RenderPlanText(plan, RenderOptions{.color = false}));
  EXPECT_EQ(RenderPlanJson(*read), RenderPlanJson(plan));
  EXPECT_EQ(read->warnings, plan.warnings);
  ASSERT_EQ(read->market.size(), 2u);
  EXPECT_EQ(read->market[0].placement.candidates[3].skip, SkipReason::kNotNeeded);
  EXPECT_EQ(read->market[0].placement.candidates[3].offer->stock, StockLevel::kLow);
  EXPECT_EQ(read->market[0].placement.candidates[3].offer->cpu, 2);
  EXPECT_FALSE(read->market[1].cost_at_market.has_value());
}

TEST(MarketPlanCodecTest, PlansWithoutMarketStillDecode) {
  Json body = EncodePlan(PlanOf({ScaleDownRender()}));
  EXPECT_EQ(body["market"], Json::array());
  body.erase("market");
  body.erase("warnings");
  Result<Plan> plan = DecodePlan(body);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_TRUE(plan->market.empty());
}

TEST(MarketPlanCodecTest, BadMarketFieldsAreErrorsNamingThePathNeverExceptions) {
  const Json good = EncodePlan(FallbackPlan());
  auto error_of = [](const Json& body) {
    Result<Plan> plan = DecodePlan(body);
    return plan.ok() ? std::string("decoded") : plan.error().message();
  };
  Json body = good;
  body["market"] = Json::object();
  EXPECT_EQ(error_of(body), "market: expected an array");
  body = good;
  body["market"][0]["candidates"][1]["skip"] = "bored";
  EXPECT_EQ(error_of(body), "market[0].candidates[1].skip: unknown skip reason \"bored\"");
  body = good;
  body["market"][0]["candidates"][0]["offer"]["price"] = "cheap";
  EXPECT_EQ(error_of(body), "market[0].candidates[0].offer.price: expected a number");
  body = good;
  body["market"][0]["candidates"][0]["offer"]["stock"] = 3;
  EXPECT_EQ(error_of(body), "market[0].candidates[0].offer.stock: expected a string");
  body = good;
  body["market"][0]["launch_check"]["outcome"] = "maybe";
  EXPECT_EQ(error_of(body), "market[0].launch_check.outcome: unknown outcome \"maybe\"");
  body = good;
  body["market"][0]["quota"][0].erase("remaining_vcpus");
  EXPECT_EQ(error_of(body), "market[0].quota[0].remaining_vcpus: missing");
  body = good;
  body["market"][0]["cost_at_market"] = true;
  EXPECT_EQ(error_of(body), "market[0].cost_at_market: expected a number");
  body = good;
  body["market"][0]["allocation"] = "random";
  EXPECT_EQ(error_of(body), "market[0].allocation: unknown allocation \"random\"");
  body = good;
  body["market"][0] = 5;
  EXPECT_EQ(error_of(body), "market[0]: expected an object");
  body = good;
  body["warnings"] = {1};
  EXPECT_EQ(error_of(body), "warnings[0]: expected a string");
}

}  // namespace
}  // namespace spotform
