// The market part of a plan (issue 14): which environments have launches, where they would go
// now, the quota they need, the launch check, the cost and the warnings.
#include "engine/plan/market_report.h"

#include <gtest/gtest.h>

#include "engine/plan/market_render.h"
#include "engine/plan/market_survey.h"
#include "tests/engine/plan/market_examples.h"
#include "tests/support/fake_cloud.h"

namespace spotform {
namespace {

using namespace plan_examples;    // NOLINT: test-local literals
using namespace market_examples;  // NOLINT: test-local literals

TEST(LaunchesOfTest, CountsCvmLaunchesAndWhatBatchIsAskedFor) {
  Change raise_train =
      ChangeOf(ChangeAction::kUpdate, Train(3), Train(5), {"desired 3 -> 5"},
               {SetCount("p-5f5f5f5f", Train(3), 3, 5, "desired 3 -> 5"), RecordSpec(Train(5))});
  Change create_train = ChangeOf(
      ChangeAction::kCreate, std::nullopt, Train(2), {"new"},
      {Counted(StepKind::kCreatePool, "p-5f5f5f5f", Train(2), 2, "new"), RecordSpec(Train(2))});
  const std::vector<PlannedLaunches> scale_up = LaunchesOf(PlanOf({ScaleUpRender(), raise_train}));
  ASSERT_EQ(scale_up.size(), 2u);
  EXPECT_EQ(scale_up[0].address, "env.render");
  EXPECT_EQ(scale_up[0].count, 2);
  EXPECT_EQ(scale_up[1].address, "env.train");
  EXPECT_EQ(scale_up[1].count, 2);
  EXPECT_EQ(scale_up[1].spec.mode, Mode::kBatch);
  EXPECT_EQ(LaunchesOf(PlanOf({create_train}))[0].count, 2);
  // Scale-downs, deletions and re-tags launch nothing; a cvm pool's record launches nothing.
  EXPECT_TRUE(LaunchesOf(PlanOf({ScaleDownRender(), DeleteTrain("destroy"), RetagRender(),
                                 NoOp(Render(4))}))
                  .empty());
  EXPECT_EQ(LaunchesOf(PlanOf({CreateRender()}))[0].count, 4);
}

TEST(BuildMarketReportsTest, PlacesThePlansLaunchesAndPricesThem) {
  const Plan plan = PlanOf({CreateWithLaunches(Fallbacks(4), 4)});
  const MarketView market = MarketOf(
      {Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18), Offer("ap-guangzhou-4", "S5.MEDIUM4", 0.2),
       Offer("ap-guangzhou-3", "SA2.MEDIUM4", 0.15), Offer("ap-guangzhou-4", "SA2.MEDIUM4", 0.16)});
  const std::vector<MarketReport> reports = BuildMarketReports(plan, market);
  ASSERT_EQ(reports.size(), 1u);
  const MarketReport& report = reports[0];
  EXPECT_EQ(report.address, "env.render");
  EXPECT_EQ(report.launch_count, 4);
  EXPECT_TRUE(report.market_known);
  ASSERT_EQ(report.placement.candidates.size(), 4u);
  EXPECT_EQ(report.placement.candidates[0].place, 4);
  EXPECT_EQ(report.placement.placed, 4);
  ASSERT_TRUE(report.cost_at_market.has_value());
  EXPECT_DOUBLE_EQ(*report.cost_at_market, 4 * 0.18);
  EXPECT_DOUBLE_EQ(report.cost_at_bids, 4 * 0.60);
  EXPECT_TRUE(report.quota.empty());  // no zone with a known quota
  EXPECT_TRUE(report.warnings.empty());
  // The launch check asks for the first chosen candidate, not yet run.
  EXPECT_EQ(report.launch_check.outcome, LaunchCheck::Outcome::kNotRun);
  EXPECT_EQ(report.launch_check.zone, "ap-guangzhou-3");
  EXPECT_EQ(report.launch_check.instance_type, "S5.MEDIUM4");
  EXPECT_EQ(report.launch_check.image_id, "img-pmqg1cw7");
  EXPECT_EQ(report.launch_check.max_price, "0.60");
  EXPECT_EQ(report.launch_check.count, 4);

  Plan with_market = plan;
  with_market.market = reports;
  const PlanSummary summary = with_market.Summary();
  EXPECT_DOUBLE_EQ(summary.launch_cost_at_market.value_or(-1), 0.72);
  EXPECT_DOUBLE_EQ(summary.launch_cost_at_bids.value_or(-1), 2.40);
  EXPECT_FALSE(plan.Summary().launch_cost_at_market.has_value());
}

TEST(BuildMarketReportsTest, AQuotaTooSmallSaysHowMuchToRequest) {
  const Plan plan = PlanOf({CreateWithLaunches(Render(60), 60)});
  const MarketView market =
      MarketOf({Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18)}, {Quota("ap-guangzhou-3", 50, 50)});
  const MarketReport report = BuildMarketReports(plan, market).at(0);
  EXPECT_EQ(report.placement.placed, 25);
  ASSERT_EQ(report.quota.size(), 1u);
  EXPECT_EQ(report.quota[0].needed_vcpus, 120);
  EXPECT_EQ(report.quota[0].remaining_vcpus, 50);
  EXPECT_EQ(report.quota[0].missing_vcpus(), 70);
  EXPECT_EQ(QuotaNeedText(report.quota[0]),
            "needs 120 vCPUs in ap-guangzhou-3, 50 left: request 70 more");
  EXPECT_EQ(report.warnings,
            std::vector<std::string>{"env.render: only 25 of the 60 launches fit the spot quota "
                                     "now: request 70 more vCPUs of spot quota in ap-guangzhou-3"});
  EXPECT_EQ(report.launch_check.count, 25);  // what the first candidate takes
}

TEST(BuildMarketReportsTest, AFullZoneSendsTheRestToTheNextZone) {
  const Plan plan = PlanOf({CreateWithLaunches(Fallbacks(8), 8)});
  const MarketView market = MarketOf(
      {Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18), Offer("ap-guangzhou-4", "S5.MEDIUM4", 0.2),
       Offer("ap-guangzhou-3", "SA2.MEDIUM4", 0.15), Offer("ap-guangzhou-4", "SA2.MEDIUM4", 0.16)},
      {Quota("ap-guangzhou-3", 10, 50)});
  const MarketReport report = BuildMarketReports(plan, market).at(0);
  EXPECT_EQ(report.placement.candidates[0].place, 5);
  EXPECT_EQ(report.placement.candidates[1].place, 3);
  ASSERT_EQ(report.quota.size(), 1u);
  EXPECT_EQ(QuotaNeedText(report.quota[0]), "needs 10 vCPUs in ap-guangzhou-3, 10 left");
  EXPECT_TRUE(report.warnings.empty());
}

TEST(BuildMarketReportsTest, AnEnvironmentNoCandidateCanServeIsAWarning) {
  EnvironmentSpec spec = Render(4);
  spec.zones = {"ap-guangzhou-3", "ap-guangzhou-4"};
  const Plan plan = PlanOf({CreateWithLaunches(spec, 4)});
  const MarketView market =
      MarketOf({Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.7),
                Offer("ap-guangzhou-4", "S5.MEDIUM4", 0.2, 2, /*on_sale=*/false)});
  const MarketReport report = BuildMarketReports(plan, market).at(0);
  EXPECT_EQ(report.placement.placed, 0);
  EXPECT_EQ(report.placement.candidates[0].skip, SkipReason::kBidTooLow);
  EXPECT_EQ(report.placement.candidates[0].why,
            "bid 0.60 < market 0.7: raise max_price to at least 0.7");
  EXPECT_EQ(report.placement.candidates[1].skip, SkipReason::kSoldOut);
  EXPECT_EQ(report.warnings,
            std::vector<std::string>{
                "env.render: no candidate can take the 4 launches now: ap-guangzhou-3 "
                "S5.MEDIUM4: bid 0.60 < market 0.7: raise max_price to at least 0.7; "
                "ap-guangzhou-4 S5.MEDIUM4: sold out"});
  // With nothing chosen the check asks the cloud about the most preferred candidate.
  EXPECT_EQ(report.launch_check.zone, "ap-guangzhou-3");
  EXPECT_EQ(report.launch_check.count, 4);
  EXPECT_DOUBLE_EQ(report.cost_at_market.value_or(-1), 0);
  EXPECT_EQ(MarketWarnings({report, report}).size(), 2u);
}

TEST(BuildMarketReportsTest, NoQuotaLeftAnywhereSaysWhatToRequest) {
  const Plan plan = PlanOf({CreateWithLaunches(Render(3), 3)});
  const MarketView market =
      MarketOf({Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18)}, {Quota("ap-guangzhou-3", 1, 50)});
  const MarketReport report = BuildMarketReports(plan, market).at(0);
  EXPECT_EQ(report.placement.candidates[0].skip, SkipReason::kQuotaFull);
  EXPECT_EQ(report.placement.candidates[0].why, "spot quota: 1 of 50 vCPUs left in ap-guangzhou-3");
  ASSERT_EQ(report.quota.size(), 1u);
  EXPECT_EQ(QuotaNeedText(report.quota[0]),
            "needs 6 vCPUs in ap-guangzhou-3, 1 left: request 5 more");
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0],
            "env.render: no candidate can take the 3 launches now: ap-guangzhou-3 S5.MEDIUM4: "
            "spot quota: 1 of 50 vCPUs left in ap-guangzhou-3; request 5 more vCPUs of spot "
            "quota in ap-guangzhou-3");
}

TEST(BuildMarketReportsTest, AnUnreadMarketSaysWhyAndTriesCandidatesInOrder) {
  MarketView market;
  market.unread_reason = "InternalError: DescribeZoneInstanceConfigInfos failed";
  const MarketReport report =
      BuildMarketReports(PlanOf({CreateWithLaunches(Fallbacks(4), 4)}), market).at(0);
  EXPECT_FALSE(report.market_known);
  EXPECT_EQ(report.unknown_reason, "InternalError: DescribeZoneInstanceConfigInfos failed");
  EXPECT_EQ(report.placement.candidates[0].place, 4);
  EXPECT_FALSE(report.cost_at_market.has_value());
  EXPECT_DOUBLE_EQ(report.cost_at_bids, 2.40);
  EXPECT_TRUE(report.warnings.empty());
  EXPECT_EQ(report.launch_check.zone, "ap-guangzhou-3");
}

TEST(BuildMarketReportsTest, BatchGetsTheTableButNoLaunchCheck) {
  Change create_train = ChangeOf(
      ChangeAction::kCreate, std::nullopt, Train(2), {"new"},
      {Counted(StepKind::kCreatePool, "p-5f5f5f5f", Train(2), 2, "new"), RecordSpec(Train(2))});
  const MarketReport report =
      BuildMarketReports(PlanOf({create_train}),
                         MarketOf({Offer("ap-guangzhou-4", "GN7.2XLARGE32", 0.9, 8)}))
          .at(0);
  EXPECT_EQ(report.mode, Mode::kBatch);
  EXPECT_EQ(report.placement.candidates[0].place, 2);
  EXPECT_FALSE(report.launch_check.requested());
}

// --- SurveyMarket: the cloud calls ---------------------------------------------------------

class SurveyMarketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cloud_.SetSpotOffer(Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18));
    cloud_.SetSpotOffer(Offer("ap-guangzhou-4", "S5.MEDIUM4", 0.2));
  }

  std::vector<std::string> CallsLike(const std::string& prefix) {
    std::vector<std::string> out;
    for (const std::string& call : cloud_.calls()) {
      if (call.rfind(prefix, 0) == 0) out.push_back(call);
    }
    return out;
  }

  FakeCloud cloud_;
};

TEST_F(SurveyMarketTest, ReadsTheMarketOnceAndChecksTheFirstChosenCandidate) {
  EnvironmentSpec spec = Render(150);
  spec.zones = {"ap-guangzhou-3", "ap-guangzhou-4"};
  Plan plan = PlanOf({CreateWithLaunches(spec, 150), ScaleUpRender()});
  plan.changes[1].address = "env.other";
  ASSERT_TRUE(SurveyMarket(cloud_, plan).ok());
  EXPECT_EQ(cloud_.calls(),
            (std::vector<std::string>{"DescribeSpotOffers 2 zones 1 types", "DescribeSpotQuota",
                                      "DryRunLaunch ap-guangzhou-3 S5.MEDIUM4 100",
                                      "DryRunLaunch ap-guangzhou-3 S5.MEDIUM4 2"}));
  ASSERT_EQ(plan.market.size(), 2u);
  EXPECT_EQ(plan.market[0].launch_check.outcome, LaunchCheck::Outcome::kPassed);
  EXPECT_EQ(plan.market[0].launch_check.count, 100);  // one call's most
  EXPECT_TRUE(plan.warnings.empty());
}

TEST_F(SurveyMarketTest, AFailedLaunchCheckIsShownWithItsAdviceAndWarned) {
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (call.rfind("DryRunLaunch", 0) != 0) return std::nullopt;
    return Error(ErrorKind::kCapacity, "RunInstances (dry run): the bid is too low",
                 "InvalidParameterValue.InsufficientPrice");
  });
  Plan plan = PlanOf({CreateWithLaunches(Render(2), 2)});
  ASSERT_TRUE(SurveyMarket(cloud_, plan).ok());
  const LaunchCheck& check = plan.market.at(0).launch_check;
  EXPECT_EQ(check.outcome, LaunchCheck::Outcome::kFailed);
  EXPECT_EQ(check.error_code, "InvalidParameterValue.InsufficientPrice");
  EXPECT_EQ(check.advice,
            "the spot price of S5.MEDIUM4 in ap-guangzhou-3 is 0.18: raise max_price to at "
            "least 0.18");
  EXPECT_EQ(plan.warnings,
            std::vector<std::string>{
                "env.render: the launch check failed: InvalidParameterValue.InsufficientPrice: "
                "RunInstances (dry run): the bid is too low; the spot price of S5.MEDIUM4 in "
                "ap-guangzhou-3 is 0.18: raise max_price to at least 0.18"});
}

TEST_F(SurveyMarketTest, AnEnvironmentAlreadyWarnedAboutGetsNoSecondWarning) {
  cloud_.SetSpotOffer(Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.9));
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (call.rfind("DryRunLaunch", 0) != 0) return std::nullopt;
    return Error(ErrorKind::kCapacity, "too low", "InvalidParameterValue.InsufficientPrice");
  });
  Plan plan = PlanOf({CreateWithLaunches(Render(2), 2)});
  ASSERT_TRUE(SurveyMarket(cloud_, plan).ok());
  EXPECT_EQ(plan.market.at(0).launch_check.outcome, LaunchCheck::Outcome::kFailed);
  EXPECT_EQ(plan.market.at(0).launch_check.advice,
            "the spot price of S5.MEDIUM4 in ap-guangzhou-3 is 0.9: raise max_price to at least "
            "0.9");
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("no candidate can take the 2 launches now"), std::string::npos);
}

TEST_F(SurveyMarketTest, AdviceForImageQuotaAndPermissionRefusals) {
  MarketReport report = BuildMarketReports(PlanOf({CreateWithLaunches(Render(2), 2)}),
                                           MarketOf({Offer("ap-guangzhou-3", "S5.MEDIUM4", 0.18)}))
                            .at(0);
  EXPECT_EQ(
      LaunchCheckAdvice(Error(ErrorKind::kNotFound, "no image", "InvalidImageId.NotFound"), report),
      "check image_id img-pmqg1cw7: it must exist in this region and be usable by this "
      "account");
  EXPECT_EQ(
      LaunchCheckAdvice(Error(ErrorKind::kCapacity, "quota", "LimitExceeded.SpotQuota"), report),
      "request more spot quota in ap-guangzhou-3 (CVM console, quotas), or list another zone "
      "under zones");
  EXPECT_EQ(LaunchCheckAdvice(Error(ErrorKind::kAuth, "no", "UnauthorizedOperation"), report),
            "these credentials may not launch instances: grant them cvm:RunInstances (a CAM "
            "policy)");
  EXPECT_EQ(LaunchCheckAdvice(Error(ErrorKind::kCapacity, "none left",
                                    "InvalidParameterValue.InsufficientOffering"),
                              report),
            "no spot stock of S5.MEDIUM4 in ap-guangzhou-3 now: list fallback zones or "
            "instance_types, or try again later");
  EXPECT_EQ(LaunchCheckAdvice(Error(ErrorKind::kInvalidInput, "odd", "InvalidParameter"), report),
            "");
}

TEST_F(SurveyMarketTest, AnUnreadableMarketDoesNotFailThePlan) {
  cloud_.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    if (call.rfind("DescribeSpotOffers", 0) != 0) return std::nullopt;
    return Error(ErrorKind::kRetryable, "DescribeZoneInstanceConfigInfos: busy", "InternalError");
  });
  Plan plan = PlanOf({CreateWithLaunches(Render(2), 2)});
  ASSERT_TRUE(SurveyMarket(cloud_, plan).ok());
  const MarketReport& report = plan.market.at(0);
  EXPECT_FALSE(report.market_known);
  EXPECT_EQ(report.unknown_reason, "InternalError: DescribeZoneInstanceConfigInfos: busy");
  EXPECT_EQ(report.launch_check.outcome, LaunchCheck::Outcome::kPassed);
  EXPECT_TRUE(plan.warnings.empty());
}

TEST_F(SurveyMarketTest, AnAuthenticationFailureFailsThePlan) {
  cloud_.SetBeforeHook([](const std::string&) -> std::optional<Error> {
    return Error(ErrorKind::kAuth, "signature mismatch", "AuthFailure.SignatureFailure");
  });
  Plan plan = PlanOf({CreateWithLaunches(Render(2), 2)});
  Status surveyed = SurveyMarket(cloud_, plan);
  ASSERT_FALSE(surveyed.ok());
  EXPECT_EQ(surveyed.error().kind(), ErrorKind::kAuth);
}

TEST_F(SurveyMarketTest, APlanWithoutLaunchesAsksNothing) {
  Plan plan = PlanOf({ScaleDownRender(), DeleteTrain("destroy")});
  ASSERT_TRUE(SurveyMarket(cloud_, plan).ok());
  EXPECT_TRUE(cloud_.calls().empty());
  EXPECT_TRUE(plan.market.empty());
}

}  // namespace
}  // namespace spotform
