// The control API's market listing (GET /_sim/market) and spot quota (POST /_sim/quota),
// driven through ControlApi::Handle without sockets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "providers/sim/control_api.h"
#include "tests/support/fake_clock.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class ControlMarketTest : public ::testing::Test {
 protected:
  // {status, parsed body}.
  std::pair<int, json> Handle(const std::string& method, const std::string& path,
                              const std::string& body = "") {
    HttpResponse response = control_.Handle(HttpRequest{method, path, "", {}, body});
    return {response.status, json::parse(response.body)};
  }
  json Market() {
    auto [status, body] = Handle("GET", "/_sim/market");
    EXPECT_EQ(status, 200) << body;
    return body;
  }
  static json OfferOf(const json& market, const std::string& zone, const std::string& type) {
    for (const json& offer : market["offers"]) {
      if (offer["zone"] == zone && offer["instance_type"] == type) return offer;
    }
    ADD_FAILURE() << "no offer " << zone << " " << type;
    return json();
  }
  static json QuotaOfZone(const json& market, const std::string& zone) {
    for (const json& entry : market["spot_quota"]) {
      if (entry["zone"] == zone) return entry;
    }
    ADD_FAILURE() << "no quota entry " << zone;
    return json();
  }
  void SpotLaunch(const std::string& zone, const std::string& type, int count) {
    Result<json> out = model_.Call(CallContext{"ap-guangzhou", "req"}, "RunInstances",
                                   {{"InstanceChargeType", "SPOTPAID"},
                                    {"Placement", {{"Zone", zone}}},
                                    {"InstanceType", type},
                                    {"ImageId", "img-pmqg1cw7"},
                                    {"InstanceCount", count}});
    ASSERT_TRUE(out.ok()) << out.error().ToString();
  }

  FakeClock clock_;
  CloudModel model_{CloudModelOptions{}, clock_};
  RequestLog log_;
  FaultInjector faults_;
  ServerRateLimiter limiter_{clock_, false};
  ControlApi control_{model_, log_, faults_, limiter_};
};

TEST_F(ControlMarketTest, GetListsEveryOfferWithStockAndStatus) {
  json market = Market();
  ASSERT_EQ(market["offers"].size(), 32u);  // the built-in catalogue
  json offer = OfferOf(market, "ap-guangzhou-3", "S5.MEDIUM4");
  EXPECT_EQ(offer, json({{"zone", "ap-guangzhou-3"},
                         {"region", "ap-guangzhou"},
                         {"instance_type", "S5.MEDIUM4"},
                         {"cpu", 2},
                         {"memory_gb", 4},
                         {"price", 0.09},
                         {"capacity", 1000},
                         {"used", 0},
                         {"free", 1000},
                         {"status", "SELL"}}));
  EXPECT_EQ(OfferOf(market, "ap-shanghai-5", "S5.2XLARGE16")["price"], 0.6);
}

TEST_F(ControlMarketTest, UsedFreeAndSoldOutFollowLaunchesAndUpdates) {
  ASSERT_EQ(Handle("POST", "/_sim/market",
                   R"({"zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4", "price": 0.2,
                       "capacity": 3})")
                .first,
            200);
  SpotLaunch("ap-guangzhou-3", "S5.MEDIUM4", 2);
  json offer = OfferOf(Market(), "ap-guangzhou-3", "S5.MEDIUM4");
  EXPECT_EQ(offer["price"], 0.2);
  EXPECT_EQ(offer["capacity"], 3);
  EXPECT_EQ(offer["used"], 2);
  EXPECT_EQ(offer["free"], 1);
  EXPECT_EQ(offer["status"], "SELL");
  SpotLaunch("ap-guangzhou-3", "S5.MEDIUM4", 1);
  offer = OfferOf(Market(), "ap-guangzhou-3", "S5.MEDIUM4");
  EXPECT_EQ(offer["free"], 0);
  EXPECT_EQ(offer["status"], "SOLD_OUT");
}

TEST_F(ControlMarketTest, ListsEveryZonesSpotQuota) {
  json market = Market();
  ASSERT_EQ(market["spot_quota"].size(), 7u);  // every zone of both regions
  EXPECT_EQ(QuotaOfZone(market, "ap-shanghai-4"), json({{"zone", "ap-shanghai-4"},
                                                        {"region", "ap-shanghai"},
                                                        {"total", nullptr},
                                                        {"used", 0},
                                                        {"remaining", nullptr}}));
  ASSERT_EQ(Handle("POST", "/_sim/quota", R"({"vcpus": 16})").first, 200);
  SpotLaunch("ap-guangzhou-3", "S5.LARGE8", 3);
  market = Market();
  EXPECT_EQ(QuotaOfZone(market, "ap-guangzhou-3"), json({{"zone", "ap-guangzhou-3"},
                                                         {"region", "ap-guangzhou"},
                                                         {"total", 16},
                                                         {"used", 12},
                                                         {"remaining", 4}}));
  EXPECT_EQ(QuotaOfZone(market, "ap-shanghai-4")["remaining"], 16);
}

TEST_F(ControlMarketTest, QuotaForOneZoneOrEveryZoneOrUnlimited) {
  ASSERT_EQ(Handle("POST", "/_sim/quota", R"({"zone": "ap-guangzhou-4", "vcpus": 8})").first, 200);
  json market = Market();
  EXPECT_EQ(QuotaOfZone(market, "ap-guangzhou-4")["total"], 8);
  EXPECT_EQ(QuotaOfZone(market, "ap-guangzhou-3")["total"], nullptr);
  ASSERT_EQ(Handle("POST", "/_sim/quota", R"({"vcpus": 50})").first, 200);
  EXPECT_EQ(QuotaOfZone(Market(), "ap-guangzhou-4")["total"], 50);
  ASSERT_EQ(Handle("POST", "/_sim/quota", R"({"zone": "ap-guangzhou-4", "vcpus": null})").first,
            200);
  market = Market();
  EXPECT_EQ(QuotaOfZone(market, "ap-guangzhou-4")["total"], nullptr);
  EXPECT_EQ(QuotaOfZone(market, "ap-guangzhou-3")["total"], 50);
  // A reset returns to the baseline (unlimited).
  ASSERT_EQ(Handle("POST", "/_sim/reset").first, 200);
  EXPECT_EQ(QuotaOfZone(Market(), "ap-guangzhou-3")["total"], nullptr);
}

TEST_F(ControlMarketTest, TheQuotaReachesRunInstances) {
  ASSERT_EQ(Handle("POST", "/_sim/quota", R"({"zone": "ap-guangzhou-3", "vcpus": 2})").first, 200);
  Result<json> out = model_.Call(CallContext{"ap-guangzhou", "req"}, "RunInstances",
                                 {{"InstanceChargeType", "SPOTPAID"},
                                  {"Placement", {{"Zone", "ap-guangzhou-3"}}},
                                  {"InstanceType", "S5.MEDIUM4"},
                                  {"ImageId", "img-pmqg1cw7"},
                                  {"InstanceCount", 2}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), "LimitExceeded.UserSpotQuota");
}

TEST_F(ControlMarketTest, BadQuotaInputIsHttp400) {
  const struct {
    std::string body;
    std::string error;
  } cases[] = {
      {R"({})", R"(give {"zone"?, "vcpus"}: vcpus a non-negative integer or null)"},
      {R"({"vcpus": -1})", "vcpus must be a non-negative integer, or null for unlimited"},
      {R"({"vcpus": 2.5})", "vcpus must be a non-negative integer, or null for unlimited"},
      {R"({"vcpus": "8"})", "vcpus must be a non-negative integer, or null for unlimited"},
      {R"({"zone": 3, "vcpus": 8})", "zone must be a string"},
      {R"({"zone": "ap-nowhere-1", "vcpus": 8})", "unknown zone ap-nowhere-1"},
      {R"({"vcpus": 8, "region": "ap-guangzhou"})", "unknown field \"region\""},
  };
  for (const auto& c : cases) {
    auto [status, body] = Handle("POST", "/_sim/quota", c.body);
    EXPECT_EQ(status, 400) << c.body;
    EXPECT_EQ(body, json({{"error", c.error}})) << c.body;
  }
}

TEST_F(ControlMarketTest, MethodsOfTheNewPaths) {
  EXPECT_EQ(Handle("GET", "/_sim/quota").first, 405);
  EXPECT_EQ(Handle("PUT", "/_sim/market").first, 405);
  EXPECT_EQ(Handle("DELETE", "/_sim/market").first, 405);
  EXPECT_EQ(Handle("GET", "/_sim/market").first, 200);
}

}  // namespace
}  // namespace spotform::sim
