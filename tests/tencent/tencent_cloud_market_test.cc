// TencentCloud's spot market verbs against a scripted ApiCaller: DescribeSpotOffers
// (DescribeZoneInstanceConfigInfos: filters, chunks of 100 names, which items are kept) and
// DescribeSpotQuota (DescribeAccountQuota: the quota-type filter, strict decoding).

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "providers/tencent/tencent_cloud.h"
#include "tests/tencent/scripted_api_caller.h"

namespace spotform {
namespace {

using nlohmann::json;

json MarketItemJson(const std::string& zone, const std::string& type,
                    const std::string& charge_type = "SPOTPAID") {
  return {{"Zone", zone},
          {"InstanceType", type},
          {"InstanceChargeType", charge_type},
          {"Cpu", 4},
          {"Memory", 8},
          {"Status", "SELL"},
          {"StatusCategory", "EnoughStock"},
          {"Price",
           {{"UnitPrice", 0.88},
            {"UnitPriceDiscount", 0.18},
            {"Discount", 20.5},
            {"ChargeUnit", "HOUR"}}}};
}

// The values of the filter `name` in a DescribeZoneInstanceConfigInfos request.
std::vector<std::string> MarketFilterValues(const ApiRequest& request, const std::string& name) {
  for (const json& filter : request.params.at("Filters")) {
    if (filter.at("Name") == name) return filter.at("Values").get<std::vector<std::string>>();
  }
  return {};
}

// Answers every (zone, type) pair the request's filters name, as the cloud would.
ScriptedApiCaller::Handler MarketOfEveryPair() {
  return [](const ApiRequest& request) -> Result<json> {
    json set = json::array();
    for (const std::string& zone : MarketFilterValues(request, "zone")) {
      for (const std::string& type : MarketFilterValues(request, "instance-type")) {
        set.push_back(MarketItemJson(zone, type));
      }
    }
    return json{{"InstanceTypeQuotaSet", set}};
  };
}

std::vector<std::string> NumberedNames(const std::string& prefix, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(prefix + std::to_string(i));
  return names;
}

json QuotaReplyJson(json spot_set) {
  return {{"AppId", 1250000000},
          {"AccountQuotaOverview",
           {{"Region", "ap-guangzhou"},
            {"AccountQuota",
             {{"PostPaidQuotaSet", json::array()},
              {"PrePaidQuotaSet", json::array()},
              {"SpotPaidQuotaSet", std::move(spot_set)},
              {"ImageQuotaSet", json::array()},
              {"DisasterRecoverGroupQuotaSet", json::array()}}}}}};
}

class TencentCloudMarketTest : public ::testing::Test {
 protected:
  ScriptedApiCaller caller_;
  TencentCloud cloud_{caller_, TencentCloudOptions{"ap-guangzhou", 4}};
};

TEST_F(TencentCloudMarketTest, OffersOfSeveralZonesAndTypesTakeOneCallWithThreeFilters) {
  caller_.On("DescribeZoneInstanceConfigInfos", MarketOfEveryPair());

  Result<std::vector<SpotOffer>> offers = cloud_.DescribeSpotOffers(
      {"ap-guangzhou-3", "ap-guangzhou-4"}, {"S5.MEDIUM4", "S5.LARGE8", "SA2.MEDIUM4"});

  ASSERT_TRUE(offers.ok()) << offers.error().ToString();
  EXPECT_EQ(offers->size(), 6u);
  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].service, "cvm");
  EXPECT_EQ(requests[0].action, "DescribeZoneInstanceConfigInfos");
  EXPECT_EQ(requests[0].region, "ap-guangzhou");
  EXPECT_EQ(requests[0].params, json::parse(R"({"Filters": [
    {"Name": "zone", "Values": ["ap-guangzhou-3", "ap-guangzhou-4"]},
    {"Name": "instance-type", "Values": ["S5.MEDIUM4", "S5.LARGE8", "SA2.MEDIUM4"]},
    {"Name": "instance-charge-type", "Values": ["SPOTPAID"]}]})"));
}

TEST_F(TencentCloudMarketTest, OffersDecodePriceStatusStockAndShape) {
  json sold_out = MarketItemJson("ap-guangzhou-4", "S5.LARGE8");
  sold_out["Status"] = "SOLD_OUT";
  sold_out["StatusCategory"] = "WithoutStock";
  json no_category = MarketItemJson("ap-guangzhou-3", "S5.LARGE8");
  no_category.erase("StatusCategory");
  caller_.Reply("DescribeZoneInstanceConfigInfos",
                {{"InstanceTypeQuotaSet", {no_category, sold_out}}});

  Result<std::vector<SpotOffer>> offers =
      cloud_.DescribeSpotOffers({"ap-guangzhou-3", "ap-guangzhou-4"}, {"S5.LARGE8"});

  ASSERT_TRUE(offers.ok()) << offers.error().ToString();
  ASSERT_EQ(offers->size(), 2u);
  const SpotOffer& open = (*offers)[0];
  EXPECT_EQ(open.zone, "ap-guangzhou-3");
  EXPECT_EQ(open.instance_type, "S5.LARGE8");
  EXPECT_DOUBLE_EQ(open.hourly_price, 0.18);
  EXPECT_TRUE(open.on_sale);
  EXPECT_EQ(open.stock, StockLevel::kUnknown);
  EXPECT_EQ(open.cpu, 4);
  EXPECT_EQ(open.memory_gb, 8);
  const SpotOffer& closed = (*offers)[1];
  EXPECT_EQ(closed.zone, "ap-guangzhou-4");
  EXPECT_FALSE(closed.on_sale);
  EXPECT_EQ(closed.stock, StockLevel::kNone);
}

TEST_F(TencentCloudMarketTest, OffersKeepOnlySpotItemsOfTheAskedPairsOnceEach) {
  caller_.Reply("DescribeZoneInstanceConfigInfos",
                {{"InstanceTypeQuotaSet",
                  {MarketItemJson("ap-guangzhou-3", "S5.MEDIUM4", "POSTPAID_BY_HOUR"),
                   MarketItemJson("ap-guangzhou-3", "S5.MEDIUM4"),
                   MarketItemJson("ap-guangzhou-3", "S5.MEDIUM4"),     // listed twice
                   MarketItemJson("ap-guangzhou-6", "S5.MEDIUM4"),     // zone not asked for
                   MarketItemJson("ap-guangzhou-3", "C5.LARGE8")}}});  // type not asked for

  Result<std::vector<SpotOffer>> offers =
      cloud_.DescribeSpotOffers({"ap-guangzhou-3"}, {"S5.MEDIUM4", "S5.LARGE8"});

  ASSERT_TRUE(offers.ok()) << offers.error().ToString();
  ASSERT_EQ(offers->size(), 1u);
  EXPECT_EQ(offers->front().zone, "ap-guangzhou-3");
  EXPECT_EQ(offers->front().instance_type, "S5.MEDIUM4");
}

TEST_F(TencentCloudMarketTest, OffersOfNoZoneOrNoTypeCallNothing) {
  Result<std::vector<SpotOffer>> no_zone = cloud_.DescribeSpotOffers({}, {"S5.MEDIUM4"});
  Result<std::vector<SpotOffer>> no_type = cloud_.DescribeSpotOffers({"ap-guangzhou-3"}, {});

  ASSERT_TRUE(no_zone.ok());
  ASSERT_TRUE(no_type.ok());
  EXPECT_TRUE(no_zone->empty());
  EXPECT_TRUE(no_type->empty());
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudMarketTest, OffersSendEachNameOnce) {
  caller_.On("DescribeZoneInstanceConfigInfos", MarketOfEveryPair());

  Result<std::vector<SpotOffer>> offers =
      cloud_.DescribeSpotOffers({"ap-guangzhou-3", "ap-guangzhou-3"}, {"S5.MEDIUM4", "S5.MEDIUM4"});

  ASSERT_TRUE(offers.ok()) << offers.error().ToString();
  EXPECT_EQ(offers->size(), 1u);
  ApiRequest request = caller_.requests().at(0);
  EXPECT_EQ(MarketFilterValues(request, "zone"), std::vector<std::string>{"ap-guangzhou-3"});
  EXPECT_EQ(MarketFilterValues(request, "instance-type"), std::vector<std::string>{"S5.MEDIUM4"});
}

TEST_F(TencentCloudMarketTest, MoreThanAHundredNamesAreChunkedIntoEveryPairOfChunks) {
  caller_.On("DescribeZoneInstanceConfigInfos", MarketOfEveryPair());
  const std::vector<std::string> zones = NumberedNames("zone-", 150);
  const std::vector<std::string> types = NumberedNames("T.", 201);

  Result<std::vector<SpotOffer>> offers = cloud_.DescribeSpotOffers(zones, types);

  ASSERT_TRUE(offers.ok()) << offers.error().ToString();
  EXPECT_EQ(offers->size(), 150u * 201u);
  std::vector<ApiRequest> requests = caller_.RequestsFor("DescribeZoneInstanceConfigInfos");
  ASSERT_EQ(requests.size(), 2u * 3u);  // zones 100 + 50, types 100 + 100 + 1
  std::multiset<std::pair<size_t, size_t>> sizes;
  std::set<std::pair<std::string, std::string>> covered;
  for (const ApiRequest& request : requests) {
    const std::vector<std::string> zone_values = MarketFilterValues(request, "zone");
    const std::vector<std::string> type_values = MarketFilterValues(request, "instance-type");
    EXPECT_LE(zone_values.size(), 100u);
    EXPECT_LE(type_values.size(), 100u);
    EXPECT_EQ(MarketFilterValues(request, "instance-charge-type"),
              std::vector<std::string>{"SPOTPAID"});
    sizes.emplace(zone_values.size(), type_values.size());
    for (const std::string& zone : zone_values) {
      for (const std::string& type : type_values) covered.emplace(zone, type);
    }
  }
  EXPECT_EQ(sizes, (std::multiset<std::pair<size_t, size_t>>{
                       {100, 100}, {100, 100}, {100, 1}, {50, 100}, {50, 100}, {50, 1}}));
  EXPECT_EQ(covered.size(), 150u * 201u);
}

TEST_F(TencentCloudMarketTest, AFailedChunkFailsTheQueryNamingItsZonesAndTypes) {
  caller_.Fail("DescribeZoneInstanceConfigInfos",
               Error(ErrorKind::kInvalidInput, "zone not in region",
                     "InvalidParameterValue.ZoneNotSupported", "rid-9"));

  Result<std::vector<SpotOffer>> offers =
      cloud_.DescribeSpotOffers({"ap-guangzhou-3", "ap-guangzhou-9"}, {"S5.MEDIUM4"});

  ASSERT_FALSE(offers.ok());
  EXPECT_EQ(offers.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(offers.error().code(), "InvalidParameterValue.ZoneNotSupported");
  EXPECT_EQ(offers.error().request_id(), "rid-9");
  EXPECT_EQ(offers.error().message(),
            "DescribeZoneInstanceConfigInfos zones ap-guangzhou-3 and 1 more, types S5.MEDIUM4: "
            "zone not in region");
}

TEST_F(TencentCloudMarketTest, BadlyShapedOffersAreErrorsNamingTheField) {
  struct Case {
    json reply;
    std::string message;
  };
  json cpu_text = MarketItemJson("ap-guangzhou-3", "S5.MEDIUM4");
  cpu_text["Cpu"] = "4";
  json no_status = MarketItemJson("ap-guangzhou-3", "S5.MEDIUM4");
  no_status.erase("Status");
  json charge_number = MarketItemJson("ap-guangzhou-3", "S5.MEDIUM4");
  charge_number["InstanceChargeType"] = 7;
  const std::vector<Case> cases = {
      {json::object(),
       "DescribeZoneInstanceConfigInfos: response field InstanceTypeQuotaSet missing"},
      {{{"InstanceTypeQuotaSet", "none"}},
       "DescribeZoneInstanceConfigInfos: response field InstanceTypeQuotaSet has type string, "
       "expected array"},
      {{{"InstanceTypeQuotaSet", {42}}},
       "DescribeZoneInstanceConfigInfos: response field InstanceTypeQuotaSet[0] has type "
       "number, expected object"},
      {{{"InstanceTypeQuotaSet", {cpu_text}}},
       "DescribeZoneInstanceConfigInfos: response field InstanceTypeQuotaSet[0].Cpu has type "
       "string, expected integer"},
      {{{"InstanceTypeQuotaSet", {no_status}}},
       "DescribeZoneInstanceConfigInfos: response field InstanceTypeQuotaSet[0].Status missing"},
      {{{"InstanceTypeQuotaSet", {charge_number}}},
       "DescribeZoneInstanceConfigInfos: response field "
       "InstanceTypeQuotaSet[0].InstanceChargeType has type number, expected string"},
  };
  for (const Case& c : cases) {
    caller_.Reply("DescribeZoneInstanceConfigInfos", c.reply);
    Result<std::vector<SpotOffer>> offers =
        cloud_.DescribeSpotOffers({"ap-guangzhou-3"}, {"S5.MEDIUM4"});
    ASSERT_FALSE(offers.ok()) << c.reply.dump();
    EXPECT_EQ(offers.error().kind(), ErrorKind::kTransport) << c.reply.dump();
    EXPECT_EQ(offers.error().message(), c.message);
    EXPECT_EQ(offers.error().request_id().rfind("req-", 0), 0u);
  }
}

TEST_F(TencentCloudMarketTest, GetSpotOfferIsTheOfferOfItsOnePair) {
  caller_.On("DescribeZoneInstanceConfigInfos", MarketOfEveryPair());

  Result<SpotOffer> offer = cloud_.GetSpotOffer("ap-guangzhou-6", "C5.LARGE8");

  ASSERT_TRUE(offer.ok()) << offer.error().ToString();
  EXPECT_EQ(offer->zone, "ap-guangzhou-6");
  EXPECT_EQ(offer->instance_type, "C5.LARGE8");
  EXPECT_EQ(caller_.requests().size(), 1u);
}

TEST_F(TencentCloudMarketTest, QuotaAsksForTheSpotQuotaTypeOnly) {
  caller_.Reply("DescribeAccountQuota", QuotaReplyJson(json::array()));

  Result<std::vector<SpotQuota>> quotas = cloud_.DescribeSpotQuota();

  ASSERT_TRUE(quotas.ok()) << quotas.error().ToString();
  EXPECT_TRUE(quotas->empty());
  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].service, "cvm");
  EXPECT_EQ(requests[0].action, "DescribeAccountQuota");
  EXPECT_EQ(requests[0].version, "2017-03-12");
  EXPECT_EQ(requests[0].region, "ap-guangzhou");
  EXPECT_EQ(
      requests[0].params,
      json::parse(R"({"Filters": [{"Name": "quota-type", "Values": ["SpotPaidQuotaSet"]}]})"));
}

TEST_F(TencentCloudMarketTest, QuotaDecodesEveryZoneInVcpus) {
  caller_.Reply("DescribeAccountQuota", QuotaReplyJson(json::parse(R"([
    {"Zone": "ap-guangzhou-3", "TotalQuota": 50, "UsedQuota": 12, "RemainingQuota": 38},
    {"Zone": "ap-guangzhou-4", "TotalQuota": 200, "UsedQuota": 0, "RemainingQuota": 200}])")));

  Result<std::vector<SpotQuota>> quotas = cloud_.DescribeSpotQuota();

  ASSERT_TRUE(quotas.ok()) << quotas.error().ToString();
  ASSERT_EQ(quotas->size(), 2u);
  EXPECT_EQ((*quotas)[0].zone, "ap-guangzhou-3");
  EXPECT_EQ((*quotas)[0].total_vcpus, 50);
  EXPECT_EQ((*quotas)[0].used_vcpus, 12);
  EXPECT_EQ((*quotas)[0].remaining_vcpus, 38);
  EXPECT_EQ((*quotas)[1].zone, "ap-guangzhou-4");
  EXPECT_EQ((*quotas)[1].total_vcpus, 200);
  EXPECT_EQ((*quotas)[1].used_vcpus, 0);
  EXPECT_EQ((*quotas)[1].remaining_vcpus, 200);
}

TEST_F(TencentCloudMarketTest, BadlyShapedQuotasAreErrorsNamingTheField) {
  struct Case {
    json reply;
    std::string message;
  };
  json no_account_quota = QuotaReplyJson(json::array());
  no_account_quota["AccountQuotaOverview"].erase("AccountQuota");
  json null_set = QuotaReplyJson(json::array());
  null_set["AccountQuotaOverview"]["AccountQuota"]["SpotPaidQuotaSet"] = nullptr;
  const std::vector<Case> cases = {
      {json::object(), "DescribeAccountQuota: response field AccountQuotaOverview missing"},
      {{{"AccountQuotaOverview", json::array()}},
       "DescribeAccountQuota: response field AccountQuotaOverview has type array, expected "
       "object"},
      {no_account_quota,
       "DescribeAccountQuota: response field AccountQuotaOverview.AccountQuota missing"},
      {null_set,
       "DescribeAccountQuota: response field AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet "
       "has type null, expected array"},
      {QuotaReplyJson(json::parse(R"([{"TotalQuota": 50, "UsedQuota": 0,
                                      "RemainingQuota": 50}])")),
       "DescribeAccountQuota: response field "
       "AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet[0].Zone missing"},
      {QuotaReplyJson(json::parse(R"([{"Zone": "ap-guangzhou-3", "TotalQuota": "50",
                                      "UsedQuota": 0, "RemainingQuota": 50}])")),
       "DescribeAccountQuota: response field "
       "AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet[0].TotalQuota has type string, "
       "expected integer"},
      {QuotaReplyJson(json::parse(R"([{"Zone": "ap-guangzhou-3", "TotalQuota": 50,
                                      "UsedQuota": 1.5, "RemainingQuota": 48}])")),
       "DescribeAccountQuota: response field "
       "AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet[0].UsedQuota has type number, "
       "expected integer"},
      {QuotaReplyJson(json::parse(R"([{"Zone": "ap-guangzhou-3", "TotalQuota": 50,
                                      "UsedQuota": 60, "RemainingQuota": -10}])")),
       "DescribeAccountQuota: response field "
       "AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet[0].RemainingQuota is -10, below 0"},
      {QuotaReplyJson(json::parse(R"([{"Zone": "ap-guangzhou-3", "TotalQuota": 50,
                                      "UsedQuota": 0}])")),
       "DescribeAccountQuota: response field "
       "AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet[0].RemainingQuota missing"},
  };
  for (const Case& c : cases) {
    caller_.Reply("DescribeAccountQuota", c.reply);
    Result<std::vector<SpotQuota>> quotas = cloud_.DescribeSpotQuota();
    ASSERT_FALSE(quotas.ok()) << c.reply.dump();
    EXPECT_EQ(quotas.error().kind(), ErrorKind::kTransport) << c.reply.dump();
    EXPECT_EQ(quotas.error().message(), c.message);
  }
}

TEST_F(TencentCloudMarketTest, AQuotaRefusalNamesTheAction) {
  caller_.Fail("DescribeAccountQuota",
               Error(ErrorKind::kAuth, "not allowed", "UnauthorizedOperation", "rid-3"));

  Result<std::vector<SpotQuota>> quotas = cloud_.DescribeSpotQuota();

  ASSERT_FALSE(quotas.ok());
  EXPECT_EQ(quotas.error().kind(), ErrorKind::kAuth);
  EXPECT_EQ(quotas.error().message(), "DescribeAccountQuota SpotPaidQuotaSet: not allowed");
}

}  // namespace
}  // namespace spotform
