// The spot market knobs of FakeCloud (tests/support/fake_cloud.h), which the engine's unit
// tests script the cloud with: offers, quotas, stock with partial delivery (MinCount), MinCount
// support and dry runs. (Here because tests/support holds no tests and the fake stands in for
// TencentCloud; the engine suites only use it.)

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/fake_cloud.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

SpotOffer FakeMarketOffer(const std::string& zone, const std::string& type, double price) {
  SpotOffer offer;
  offer.zone = zone;
  offer.instance_type = type;
  offer.hourly_price = price;
  offer.on_sale = true;
  offer.stock = StockLevel::kNormal;
  return offer;
}

LaunchSpec FakeMarketLaunch(int count, int min_count, const std::string& token) {
  LaunchSpec spec = testing::LaunchOf(count, token);
  spec.min_count = min_count;
  return spec;
}

TEST(FakeCloudMarket, DescribeSpotOffersAnswersTheSetOffersOfTheAskedPairs) {
  FakeCloud cloud;
  cloud.SetSpotOffer(FakeMarketOffer("ap-guangzhou-3", "S5.MEDIUM4", 0.1));
  cloud.SetSpotOffer(FakeMarketOffer("ap-guangzhou-4", "S5.MEDIUM4", 0.2));
  cloud.SetSpotOffer(FakeMarketOffer("ap-guangzhou-6", "S5.MEDIUM4", 0.3));

  Result<std::vector<SpotOffer>> offers = cloud.DescribeSpotOffers(
      {"ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-7"}, {"S5.MEDIUM4", "S5.LARGE8"});

  ASSERT_TRUE(offers.ok());
  ASSERT_EQ(offers->size(), 2u);
  EXPECT_EQ((*offers)[0].zone, "ap-guangzhou-3");
  EXPECT_DOUBLE_EQ((*offers)[0].hourly_price, 0.1);
  EXPECT_EQ((*offers)[1].zone, "ap-guangzhou-4");
  EXPECT_DOUBLE_EQ((*offers)[1].hourly_price, 0.2);
  EXPECT_EQ(cloud.calls(), std::vector<std::string>{"DescribeSpotOffers 3 zones 2 types"});
  // GetSpotOffer answers the offer of its pair.
  Result<SpotOffer> one = cloud.GetSpotOffer("ap-guangzhou-4", "S5.MEDIUM4");
  ASSERT_TRUE(one.ok());
  EXPECT_DOUBLE_EQ(one->hourly_price, 0.2);
}

TEST(FakeCloudMarket, AnOpenMarketUntilAnOfferIsSetAndWildcardOffers) {
  FakeCloud cloud;
  Result<std::vector<SpotOffer>> open = cloud.DescribeSpotOffers({"z-1", "z-2"}, {"T.1"});
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_TRUE((*open)[0].on_sale);
  EXPECT_EQ((*open)[1].zone, "z-2");

  SpotOffer any_zone = FakeMarketOffer("", "T.1", 0.5);  // the fake's one-offer-for-all style
  cloud.SetSpotOffer(any_zone);
  Result<std::vector<SpotOffer>> offers = cloud.DescribeSpotOffers({"z-1"}, {"T.1", "T.2"});
  ASSERT_TRUE(offers.ok());
  ASSERT_EQ(offers->size(), 1u);
  EXPECT_EQ(offers->front().zone, "z-1");
  EXPECT_EQ(offers->front().instance_type, "T.1");
  EXPECT_DOUBLE_EQ(offers->front().hourly_price, 0.5);
}

TEST(FakeCloudMarket, SpotQuotaIsWhatWasSet) {
  FakeCloud cloud;
  ASSERT_TRUE(cloud.DescribeSpotQuota().ok());
  EXPECT_TRUE(cloud.DescribeSpotQuota()->empty());
  cloud.SetSpotQuota({SpotQuota{"ap-guangzhou-3", 50, 10, 40}});

  Result<std::vector<SpotQuota>> quotas = cloud.DescribeSpotQuota();

  ASSERT_TRUE(quotas.ok());
  ASSERT_EQ(quotas->size(), 1u);
  EXPECT_EQ(quotas->front().remaining_vcpus, 40);
  EXPECT_EQ(cloud.calls().back(), "DescribeSpotQuota");
}

TEST(FakeCloudMarket, WithoutStockLaunchesAreUnlimited) {
  FakeCloud cloud;
  Result<std::vector<std::string>> ids = cloud.LaunchSpotInstances(FakeMarketLaunch(100, 0, "a"));
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), 100u);
  EXPECT_FALSE(cloud.stock("ap-guangzhou-3", "S5.MEDIUM4").has_value());
}

TEST(FakeCloudMarket, StockLimitsAllOrNothingLaunches) {
  FakeCloud cloud;
  cloud.SetStock("ap-guangzhou-3", "S5.MEDIUM4", 5);

  Result<std::vector<std::string>> three = cloud.LaunchSpotInstances(FakeMarketLaunch(3, 0, "a"));
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->size(), 3u);
  EXPECT_EQ(cloud.stock("ap-guangzhou-3", "S5.MEDIUM4"), 2);
  Result<std::vector<std::string>> refused = cloud.LaunchSpotInstances(FakeMarketLaunch(3, 0, "b"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kCapacity);
  EXPECT_EQ(refused.error().code(), "InvalidParameterValue.InsufficientOffering");
  EXPECT_EQ(cloud.stock("ap-guangzhou-3", "S5.MEDIUM4"), 2);
  EXPECT_EQ(cloud.instances().size(), 3u);
  // The same token again is the same launch: no stock used.
  Result<std::vector<std::string>> replay = cloud.LaunchSpotInstances(FakeMarketLaunch(3, 0, "a"));
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(*replay, *three);
  EXPECT_EQ(cloud.stock("ap-guangzhou-3", "S5.MEDIUM4"), 2);
}

TEST(FakeCloudMarket, MinCountLaunchesWhatIsLeftIfThatIsEnough) {
  FakeCloud cloud;
  cloud.SetStock("ap-guangzhou-3", "S5.MEDIUM4", 4);

  Result<std::vector<std::string>> partial =
      cloud.LaunchSpotInstances(FakeMarketLaunch(10, 3, "a"));
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->size(), 4u);
  EXPECT_EQ(cloud.stock("ap-guangzhou-3", "S5.MEDIUM4"), 0);
  cloud.SetStock("ap-guangzhou-3", "S5.MEDIUM4", 2);
  Result<std::vector<std::string>> refused =
      cloud.LaunchSpotInstances(FakeMarketLaunch(10, 3, "b"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kCapacity);
  EXPECT_EQ(refused.error().code(), "ResourceInsufficient.InsufficientOfferingMinimum");
  // Enough stock: the whole count.
  cloud.SetStock("ap-guangzhou-3", "S5.MEDIUM4", 50);
  Result<std::vector<std::string>> whole = cloud.LaunchSpotInstances(FakeMarketLaunch(10, 3, "c"));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->size(), 10u);
  EXPECT_EQ(cloud.stock("ap-guangzhou-3", "S5.MEDIUM4"), 40);
}

TEST(FakeCloudMarket, MinCountCanBeUnsupported) {
  FakeCloud cloud;
  cloud.SetMinCountSupported(false);

  Result<std::vector<std::string>> refused = cloud.LaunchSpotInstances(FakeMarketLaunch(5, 1, "a"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kUnsupported);
  EXPECT_EQ(refused.error().code(), "UnsupportedOperation.MinCountUnsupportedRegion");
  EXPECT_EQ(cloud.DryRunLaunch(FakeMarketLaunch(5, 1, "")).error().kind(), ErrorKind::kUnsupported);
  EXPECT_TRUE(cloud.LaunchSpotInstances(FakeMarketLaunch(5, 0, "b")).ok());
}

TEST(FakeCloudMarket, DryRunChecksLikeALaunchAndLaunchesNothing) {
  FakeCloud cloud;
  cloud.SetStock("ap-guangzhou-3", "S5.MEDIUM4", 2);

  EXPECT_TRUE(cloud.DryRunLaunch(FakeMarketLaunch(2, 0, "")).ok());
  EXPECT_TRUE(cloud.DryRunLaunch(FakeMarketLaunch(5, 2, "")).ok());
  Status refused = cloud.DryRunLaunch(FakeMarketLaunch(3, 0, ""));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "InvalidParameterValue.InsufficientOffering");
  EXPECT_TRUE(cloud.instances().empty());
  EXPECT_EQ(cloud.stock("ap-guangzhou-3", "S5.MEDIUM4"), 2);
  EXPECT_EQ(cloud.calls(), (std::vector<std::string>{"DryRunLaunch ap-guangzhou-3 S5.MEDIUM4 2",
                                                     "DryRunLaunch ap-guangzhou-3 S5.MEDIUM4 5",
                                                     "DryRunLaunch ap-guangzhou-3 S5.MEDIUM4 3"}));
}

TEST(FakeCloudMarket, TheBeforeHookFailsTheNewVerbs) {
  FakeCloud cloud;
  cloud.SetBeforeHook([](const std::string& call) -> std::optional<Error> {
    return Error(ErrorKind::kRetryable, call + ": throttled", "RequestLimitExceeded");
  });

  Status dry_run = cloud.DryRunLaunch(FakeMarketLaunch(1, 0, ""));
  ASSERT_FALSE(dry_run.ok());
  EXPECT_EQ(dry_run.error().message(), "DryRunLaunch ap-guangzhou-3 S5.MEDIUM4 1: throttled");
  EXPECT_FALSE(cloud.DescribeSpotOffers({"z"}, {"t"}).ok());
  EXPECT_FALSE(cloud.DescribeSpotQuota().ok());
}

}  // namespace
}  // namespace spotform
