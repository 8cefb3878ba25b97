// TencentCloud's CVM verbs against a scripted ApiCaller: the exact requests sent, chunking,
// paging, charge-type splitting, reply decoding and error context.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "providers/tencent/tencent_cloud.h"
#include "tests/support/spec_builders.h"
#include "tests/tencent/scripted_api_caller.h"

namespace spotform {
namespace {

using nlohmann::json;

std::string InstanceId(int n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "ins-%08d", n);
  return buffer;
}

std::vector<std::string> InstanceIds(int first, int count) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) ids.push_back(InstanceId(first + i));
  return ids;
}

json InstanceJson(const std::string& id, const std::string& state = "RUNNING",
                  const std::string& charge_type = "SPOTPAID") {
  return {{"InstanceId", id},
          {"Placement", {{"Zone", "ap-guangzhou-3"}, {"ProjectId", 0}}},
          {"InstanceType", "S5.MEDIUM4"},
          {"ImageId", "img-pmqg1cw7"},
          {"InstanceName", "render-1"},
          {"InstanceState", state},
          {"InstanceChargeType", charge_type},
          {"CreatedTime", "2026-01-02T03:04:05Z"},
          {"Tags", {{{"Key", "spotform-env"}, {"Value", "render"}}}},
          {"LatestOperationErrorMsg", nullptr}};
}

// DescribeInstances by ids: returns every asked id except those in `gone`.
ScriptedApiCaller::Handler DescribeByIds(std::set<std::string> gone = {},
                                         std::map<std::string, json> overrides = {}) {
  return [gone, overrides](const ApiRequest& request) -> Result<json> {
    json set = json::array();
    for (const auto& id : request.params.at("InstanceIds")) {
      std::string text = id.get<std::string>();
      if (gone.count(text)) continue;
      auto it = overrides.find(text);
      set.push_back(it != overrides.end() ? it->second : InstanceJson(text));
    }
    return json{{"TotalCount", set.size()}, {"InstanceSet", set}};
  };
}

class TencentCloudCvmTest : public ::testing::Test {
 protected:
  ScriptedApiCaller caller_;
  TencentCloud cloud_{caller_, TencentCloudOptions{"ap-guangzhou", 4}};
};

LaunchSpec RenderLaunch() {
  LaunchSpec spec = testing::LaunchOf(2, "launch-render-1");
  spec.tags = {{"spotform-env", "render"}, {"spotform-lineage", "f00d"}};
  spec.name = "render";
  return spec;
}

TEST_F(TencentCloudCvmTest, LaunchSendsOneSpotRunInstancesWithTokenAndTags) {
  caller_.Reply("RunInstances", {{"InstanceIdSet", {"ins-aaaaaaaa", "ins-bbbbbbbb"}}});

  Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(RenderLaunch());

  ASSERT_TRUE(ids.ok()) << ids.error().ToString();
  EXPECT_EQ(*ids, (std::vector<std::string>{"ins-aaaaaaaa", "ins-bbbbbbbb"}));
  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].service, "cvm");
  EXPECT_EQ(requests[0].action, "RunInstances");
  EXPECT_EQ(requests[0].version, "2017-03-12");
  EXPECT_EQ(requests[0].region, "ap-guangzhou");
  EXPECT_EQ(requests[0].params, json::parse(R"({
    "InstanceChargeType": "SPOTPAID",
    "InstanceMarketOptions": {"MarketType": "spot",
                              "SpotOptions": {"MaxPrice": "0.60", "SpotInstanceType": "one-time"}},
    "Placement": {"Zone": "ap-guangzhou-3"},
    "InstanceType": "S5.MEDIUM4",
    "ImageId": "img-pmqg1cw7",
    "InstanceCount": 2,
    "ClientToken": "launch-render-1",
    "InstanceName": "render",
    "TagSpecification": [{"ResourceType": "instance",
                          "Tags": [{"Key": "spotform-env", "Value": "render"},
                                   {"Key": "spotform-lineage", "Value": "f00d"}]}]
  })"));
}

TEST_F(TencentCloudCvmTest, LaunchLeavesOutEmptyNameAndTags) {
  caller_.Reply("RunInstances", {{"InstanceIdSet", {"ins-aaaaaaaa"}}});
  LaunchSpec spec = RenderLaunch();
  spec.tags.clear();
  spec.name.clear();
  spec.count = 1;

  ASSERT_TRUE(cloud_.LaunchSpotInstances(spec).ok());

  json params = caller_.requests().at(0).params;
  EXPECT_FALSE(params.contains("TagSpecification"));
  EXPECT_FALSE(params.contains("InstanceName"));
  EXPECT_EQ(params.size(), 7u);
}

TEST_F(TencentCloudCvmTest, LaunchRefusesCountsOutsideOneToHundredWithoutCalling) {
  LaunchSpec spec = RenderLaunch();
  spec.count = 101;
  Result<std::vector<std::string>> too_many = cloud_.LaunchSpotInstances(spec);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(too_many.error().message(),
            "RunInstances ap-guangzhou-3 S5.MEDIUM4: count 101 is outside 1..100; split larger "
            "launches, one ClientToken per call");
  spec.count = 0;
  EXPECT_FALSE(cloud_.LaunchSpotInstances(spec).ok());
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudCvmTest, LaunchRequiresAClientTokenOfAtMost64Bytes) {
  LaunchSpec spec = RenderLaunch();
  spec.client_token = "";
  Result<std::vector<std::string>> missing = cloud_.LaunchSpotInstances(spec);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "RunInstances ap-guangzhou-3 S5.MEDIUM4: ClientToken is required");
  spec.client_token = std::string(65, 'x');
  Result<std::vector<std::string>> long_token = cloud_.LaunchSpotInstances(spec);
  ASSERT_FALSE(long_token.ok());
  EXPECT_EQ(long_token.error().message(),
            "RunInstances ap-guangzhou-3 S5.MEDIUM4: ClientToken is longer than 64 bytes");
  spec.client_token = std::string(64, 'x');
  caller_.Reply("RunInstances", {{"InstanceIdSet", {"ins-aaaaaaaa", "ins-bbbbbbbb"}}});
  EXPECT_TRUE(cloud_.LaunchSpotInstances(spec).ok());
  EXPECT_EQ(caller_.requests().size(), 1u);
}

TEST_F(TencentCloudCvmTest, LaunchErrorKeepsKindCodeAndRequestIdAndNamesZoneAndType) {
  caller_.Fail("RunInstances", Error(ErrorKind::kCapacity, "The spot instances are out of stock",
                                     "InvalidParameterValue.InsufficientOffering", "rid-7"));

  Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(RenderLaunch());

  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.error().kind(), ErrorKind::kCapacity);
  EXPECT_EQ(ids.error().code(), "InvalidParameterValue.InsufficientOffering");
  EXPECT_EQ(ids.error().request_id(), "rid-7");
  EXPECT_EQ(ids.error().message(),
            "RunInstances ap-guangzhou-3 S5.MEDIUM4: The spot instances are out of stock");
}

TEST_F(TencentCloudCvmTest, LaunchReplyWithoutInstanceIdSetIsAClearError) {
  caller_.Reply("RunInstances", json::object());

  Result<std::vector<std::string>> ids = cloud_.LaunchSpotInstances(RenderLaunch());

  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(ids.error().message(), "RunInstances: response field InstanceIdSet missing");
  EXPECT_EQ(ids.error().request_id(), "req-1");
}

TEST_F(TencentCloudCvmTest, DescribeSplits250IdsInto100And100And50WithLimit100) {
  caller_.On("DescribeInstances", DescribeByIds());
  std::vector<std::string> ids = InstanceIds(1, 250);

  Result<InstanceObservation> observed = cloud_.DescribeInstances(ids);

  ASSERT_TRUE(observed.ok()) << observed.error().ToString();
  EXPECT_EQ(observed->found.size(), 250u);
  EXPECT_TRUE(observed->missing.empty());
  std::vector<ApiRequest> requests = caller_.RequestsFor("DescribeInstances");
  ASSERT_EQ(requests.size(), 3u);
  std::sort(requests.begin(), requests.end(), [](const ApiRequest& a, const ApiRequest& b) {
    return a.params["InstanceIds"][0] < b.params["InstanceIds"][0];
  });
  EXPECT_EQ(requests[0].params, (json{{"InstanceIds", InstanceIds(1, 100)}, {"Limit", 100}}));
  EXPECT_EQ(requests[1].params, (json{{"InstanceIds", InstanceIds(101, 100)}, {"Limit", 100}}));
  EXPECT_EQ(requests[2].params, (json{{"InstanceIds", InstanceIds(201, 50)}, {"Limit", 100}}));
  // Results come back in the order asked, whatever order the chunks finished in.
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(observed->found[i].id, ids[i]);
}

TEST_F(TencentCloudCvmTest, DescribeReportsIdsTheCloudDidNotReturnAsMissing) {
  caller_.On("DescribeInstances", DescribeByIds({InstanceId(2), InstanceId(150)}));

  Result<InstanceObservation> observed = cloud_.DescribeInstances(InstanceIds(1, 200));

  ASSERT_TRUE(observed.ok());
  EXPECT_EQ(observed->found.size(), 198u);
  EXPECT_EQ(observed->missing, (std::vector<std::string>{InstanceId(2), InstanceId(150)}));
}

TEST_F(TencentCloudCvmTest, DescribeAsksForEachIdOnceAndNothingForNoIds) {
  caller_.On("DescribeInstances", DescribeByIds());

  Result<InstanceObservation> none = cloud_.DescribeInstances({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(caller_.requests().empty());

  Result<InstanceObservation> twice =
      cloud_.DescribeInstances({InstanceId(1), InstanceId(2), InstanceId(1)});
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->found.size(), 2u);
  EXPECT_EQ(caller_.requests().at(0).params["InstanceIds"], json({InstanceId(1), InstanceId(2)}));
}

TEST_F(TencentCloudCvmTest, DescribeDecodesEveryObservedField) {
  json failed = InstanceJson("ins-ffffffff", "LAUNCH_FAILED", "SPOTPAID");
  failed["LatestOperationErrorMsg"] = "InsufficientBalance";
  failed["Tags"] = nullptr;
  caller_.On("DescribeInstances", DescribeByIds({}, {{"ins-ffffffff", failed}}));

  Result<InstanceObservation> observed = cloud_.DescribeInstances({"ins-aaaaaaaa", "ins-ffffffff"});

  ASSERT_TRUE(observed.ok()) << observed.error().ToString();
  const ObservedInstance& running = observed->found.at(0);
  EXPECT_EQ(running.id, "ins-aaaaaaaa");
  EXPECT_EQ(running.zone, "ap-guangzhou-3");
  EXPECT_EQ(running.instance_type, "S5.MEDIUM4");
  EXPECT_EQ(running.image_id, "img-pmqg1cw7");
  EXPECT_EQ(running.name, "render-1");
  EXPECT_EQ(running.state, InstanceState::kRunning);
  EXPECT_EQ(running.state_text, "RUNNING");
  EXPECT_EQ(running.charge_type, ChargeType::kSpot);
  EXPECT_EQ(running.created_time, std::chrono::sys_days(std::chrono::year{2026} / 1 / 2) +
                                      std::chrono::hours(3) + std::chrono::minutes(4) +
                                      std::chrono::seconds(5));
  EXPECT_EQ(running.tags, (Tags{{"spotform-env", "render"}}));
  EXPECT_EQ(running.latest_error, "");
  const ObservedInstance& launch_failed = observed->found.at(1);
  EXPECT_EQ(launch_failed.state, InstanceState::kLaunchFailed);
  EXPECT_EQ(launch_failed.latest_error, "InsufficientBalance");
  EXPECT_TRUE(launch_failed.tags.empty());
}

TEST_F(TencentCloudCvmTest, DescribeNamesTheMissingFieldOfTheFourthInstance) {
  json broken = InstanceJson(InstanceId(4));
  broken.erase("InstanceState");
  caller_.On("DescribeInstances", DescribeByIds({}, {{InstanceId(4), broken}}));

  Result<InstanceObservation> observed = cloud_.DescribeInstances(InstanceIds(1, 5));

  ASSERT_FALSE(observed.ok());
  EXPECT_EQ(observed.error().kind(), ErrorKind::kTransport);
  EXPECT_EQ(observed.error().message(),
            "DescribeInstances: response field InstanceSet[3].InstanceState missing");
}

TEST_F(TencentCloudCvmTest, DescribeNamesAMistypedNestedField) {
  json broken = InstanceJson(InstanceId(1));
  broken["Placement"]["Zone"] = 3;
  caller_.On("DescribeInstances", DescribeByIds({}, {{InstanceId(1), broken}}));

  Result<InstanceObservation> observed = cloud_.DescribeInstances({InstanceId(1)});

  ASSERT_FALSE(observed.ok());
  EXPECT_EQ(observed.error().message(),
            "DescribeInstances: response field InstanceSet[0].Placement.Zone has type number, "
            "expected string");
}

TEST_F(TencentCloudCvmTest, DescribeRejectsAMalformedCreatedTime) {
  json broken = InstanceJson(InstanceId(1));
  broken["CreatedTime"] = "2026-01-02 03:04:05";
  caller_.On("DescribeInstances", DescribeByIds({}, {{InstanceId(1), broken}}));

  Result<InstanceObservation> observed = cloud_.DescribeInstances({InstanceId(1)});

  ASSERT_FALSE(observed.ok());
  EXPECT_EQ(observed.error().message(),
            "DescribeInstances: response field InstanceSet[0].CreatedTime \"2026-01-02 "
            "03:04:05\" is not a UTC time like 2026-01-01T00:00:00Z");
}

TEST_F(TencentCloudCvmTest, DescribeErrorNamesTheChunk) {
  caller_.Fail("DescribeInstances",
               Error(ErrorKind::kRetryable, "too many requests", "RequestLimitExceeded", "rid-9"));

  Result<InstanceObservation> observed = cloud_.DescribeInstances(InstanceIds(1, 100));

  ASSERT_FALSE(observed.ok());
  EXPECT_EQ(observed.error().kind(), ErrorKind::kRetryable);
  EXPECT_EQ(observed.error().code(), "RequestLimitExceeded");
  EXPECT_EQ(observed.error().message(),
            "DescribeInstances ins-00000001 and 99 more: too many requests");
}

// DescribeInstances by filters over `total` matching instances, paged by Offset/Limit.
ScriptedApiCaller::Handler DescribeByFilters(int total) {
  return [total](const ApiRequest& request) -> Result<json> {
    int offset = request.params.at("Offset").get<int>();
    int limit = request.params.at("Limit").get<int>();
    json set = json::array();
    for (int i = offset; i < std::min(total, offset + limit); ++i) {
      set.push_back(InstanceJson(InstanceId(i + 1)));
    }
    return json{{"TotalCount", total}, {"InstanceSet", set}};
  };
}

TEST_F(TencentCloudCvmTest, FindPagesByHundredUntilTotalCountWithTagAndZoneFilters) {
  caller_.On("DescribeInstances", DescribeByFilters(250));
  InstanceQuery query{{{"spotform-env", "render"}, {"spotform-lineage", "f00d"}}, "ap-guangzhou-3"};

  Result<std::vector<ObservedInstance>> found = cloud_.FindInstances(query);

  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_EQ(found->size(), 250u);
  for (int i = 0; i < 250; ++i) EXPECT_EQ((*found)[i].id, InstanceId(i + 1));
  std::vector<ApiRequest> requests = caller_.RequestsFor("DescribeInstances");
  ASSERT_EQ(requests.size(), 3u);
  std::set<int> offsets;
  json filters = json::parse(R"([
    {"Name": "zone", "Values": ["ap-guangzhou-3"]},
    {"Name": "tag:spotform-env", "Values": ["render"]},
    {"Name": "tag:spotform-lineage", "Values": ["f00d"]}])");
  for (const ApiRequest& request : requests) {
    int offset = request.params["Offset"].get<int>();
    offsets.insert(offset);
    EXPECT_EQ(request.params, (json{{"Offset", offset}, {"Limit", 100}, {"Filters", filters}}));
  }
  EXPECT_EQ(offsets, (std::set<int>{0, 100, 200}));
}

TEST_F(TencentCloudCvmTest, FindWithAnEmptyQuerySendsNoFiltersAndStopsAtOnePage) {
  caller_.On("DescribeInstances", DescribeByFilters(100));

  Result<std::vector<ObservedInstance>> found = cloud_.FindInstances(InstanceQuery{});

  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 100u);
  ASSERT_EQ(caller_.requests().size(), 1u);
  EXPECT_EQ(caller_.requests()[0].params, (json{{"Offset", 0}, {"Limit", 100}}));
}

TEST_F(TencentCloudCvmTest, FindFollowsATotalCountThatGrowsWhilePagingAndDropsRepeats) {
  // The first page says 150; later pages say 230 (instances launched meanwhile).
  caller_.On("DescribeInstances", [](const ApiRequest& request) -> Result<json> {
    int offset = request.params.at("Offset").get<int>();
    int total = offset == 0 ? 150 : 230;
    json set = json::array();
    for (int i = offset; i < std::min(total, offset + 100); ++i) {
      set.push_back(InstanceJson(InstanceId(i + 1)));
    }
    if (offset == 100) set.push_back(InstanceJson(InstanceId(1)));  // a repeat
    return json{{"TotalCount", total}, {"InstanceSet", set}};
  });

  Result<std::vector<ObservedInstance>> found = cloud_.FindInstances(InstanceQuery{});

  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 230u);
  EXPECT_EQ(caller_.requests().size(), 3u);
}

TEST_F(TencentCloudCvmTest, FindRefusesMoreThanTenFilters) {
  InstanceQuery query;
  query.zone = "ap-guangzhou-3";
  for (int i = 0; i < 10; ++i) query.tags["k" + std::to_string(i)] = "v";

  Result<std::vector<ObservedInstance>> found = cloud_.FindInstances(query);

  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_TRUE(caller_.requests().empty());
}

TEST_F(TencentCloudCvmTest, FindReplyWithoutTotalCountIsAClearError) {
  caller_.Reply("DescribeInstances", {{"InstanceSet", json::array()}});

  Result<std::vector<ObservedInstance>> found = cloud_.FindInstances(InstanceQuery{});

  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message(), "DescribeInstances: response field TotalCount missing");
}

TEST_F(TencentCloudCvmTest, TerminateSplitsByChargeTypeThenByHundred) {
  caller_.Reply("TerminateInstances", json::object());
  std::vector<InstanceRef> refs;
  for (const std::string& id : InstanceIds(1, 150)) refs.push_back({id, ChargeType::kSpot});
  // Pay-as-you-go instances interleaved with the spot ones.
  for (const std::string& id : InstanceIds(501, 3)) {
    refs.insert(refs.begin() + 10, InstanceRef{id, ChargeType::kPayAsYouGo});
  }

  Result<TerminateOutcome> outcome = cloud_.TerminateInstances(refs);

  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->terminated.size(), 153u);
  EXPECT_TRUE(outcome->skipped.empty());
  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 3u);  // no describe: every charge type was given
  std::multiset<size_t> sizes;
  std::set<std::string> sent;
  for (const ApiRequest& request : requests) {
    EXPECT_EQ(request.action, "TerminateInstances");
    EXPECT_EQ(request.params.size(), 1u);
    const json& ids = request.params["InstanceIds"];
    sizes.insert(ids.size());
    bool pay_as_you_go = ids[0].get<std::string>() >= InstanceId(501);
    for (const auto& id : ids) {
      EXPECT_EQ(id.get<std::string>() >= InstanceId(501), pay_as_you_go) << "mixed chunk";
      sent.insert(id.get<std::string>());
    }
  }
  EXPECT_EQ(sizes, (std::multiset<size_t>{3, 50, 100}));
  EXPECT_EQ(sent.size(), 153u);
}

TEST_F(TencentCloudCvmTest, TerminateLooksUpUnknownChargeTypesAndSkipsGoneOrTerminating) {
  caller_.On("DescribeInstances",
             DescribeByIds(
                 {"ins-00000002"},
                 {{"ins-00000003", InstanceJson("ins-00000003", "TERMINATING")},
                  {"ins-00000004", InstanceJson("ins-00000004", "RUNNING", "POSTPAID_BY_HOUR")}}));
  caller_.Reply("TerminateInstances", json::object());

  Result<TerminateOutcome> outcome =
      cloud_.TerminateInstances({{"ins-00000001", std::nullopt},
                                 {"ins-00000002", std::nullopt},
                                 {"ins-00000003", std::nullopt},
                                 {"ins-00000004", std::nullopt},
                                 {"ins-00000005", ChargeType::kSpot}});

  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->skipped, (std::vector<std::string>{"ins-00000002", "ins-00000003"}));
  std::vector<ApiRequest> describes = caller_.RequestsFor("DescribeInstances");
  ASSERT_EQ(describes.size(), 1u);
  EXPECT_EQ(describes[0].params["InstanceIds"],
            json({"ins-00000001", "ins-00000002", "ins-00000003", "ins-00000004"}));
  std::set<json> chunks;
  for (const ApiRequest& request : caller_.RequestsFor("TerminateInstances")) {
    chunks.insert(request.params["InstanceIds"]);
  }
  EXPECT_EQ(chunks,
            (std::set<json>{json({"ins-00000001", "ins-00000005"}), json({"ins-00000004"})}));
  std::vector<std::string> terminated = outcome->terminated;
  std::sort(terminated.begin(), terminated.end());
  EXPECT_EQ(terminated, (std::vector<std::string>{"ins-00000001", "ins-00000004", "ins-00000005"}));
}

TEST_F(TencentCloudCvmTest, TerminateErrorNamesTheChunk) {
  caller_.Fail("TerminateInstances", Error(ErrorKind::kTerminal, "instance is pending",
                                           "UnsupportedOperation.InstanceStatePending", "rid-3"));

  Result<TerminateOutcome> outcome =
      cloud_.TerminateInstances({{"ins-00000001", ChargeType::kSpot}});

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code(), "UnsupportedOperation.InstanceStatePending");
  EXPECT_EQ(outcome.error().message(), "TerminateInstances ins-00000001: instance is pending");
}

TEST_F(TencentCloudCvmTest, TerminateResendsWithoutInstancesThatVanishedSinceObserved) {
  // ins-00000002 was reclaimed after the caller's refresh: the cloud refuses the whole chunk.
  caller_.On("TerminateInstances", [](const ApiRequest& request) -> Result<json> {
    for (const auto& id : request.params.at("InstanceIds")) {
      if (id == "ins-00000002") {
        return Error(ErrorKind::kNotFound, "instance ins-00000002 not found",
                     "InvalidInstanceId.NotFound", "rid-5");
      }
    }
    return json::object();
  });
  caller_.On("DescribeInstances", DescribeByIds({"ins-00000002"}));

  Result<TerminateOutcome> outcome =
      cloud_.TerminateInstances({{"ins-00000001", ChargeType::kSpot},
                                 {"ins-00000002", ChargeType::kSpot},
                                 {"ins-00000003", ChargeType::kSpot}});

  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->terminated, (std::vector<std::string>{"ins-00000001", "ins-00000003"}));
  EXPECT_EQ(outcome->skipped, (std::vector<std::string>{"ins-00000002"}));
  std::vector<ApiRequest> requests = caller_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].params["InstanceIds"],
            json({"ins-00000001", "ins-00000002", "ins-00000003"}));
  EXPECT_EQ(requests[1].action, "DescribeInstances");
  EXPECT_EQ(requests[2].action, "TerminateInstances");
  EXPECT_EQ(requests[2].params["InstanceIds"], json({"ins-00000001", "ins-00000003"}));
}

TEST_F(TencentCloudCvmTest, TerminateKeepsTheRefusalWhenNothingVanished) {
  caller_.Fail("TerminateInstances", Error(ErrorKind::kNotFound, "instance not found",
                                           "InvalidInstanceId.NotFound", "rid-6"));
  caller_.On("DescribeInstances", DescribeByIds());

  Result<TerminateOutcome> outcome =
      cloud_.TerminateInstances({{"ins-00000001", ChargeType::kSpot}});

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().message(), "TerminateInstances ins-00000001: instance not found");
  EXPECT_EQ(caller_.RequestsFor("TerminateInstances").size(), 1u);
}

TEST_F(TencentCloudCvmTest, TerminateOfNothingCallsNothing) {
  Result<TerminateOutcome> outcome = cloud_.TerminateInstances({});
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(caller_.requests().empty());
}

json OfferJson() {
  return json::parse(R"({
    "Zone": "ap-guangzhou-3", "InstanceType": "S5.MEDIUM4", "InstanceChargeType": "SPOTPAID",
    "Cpu": 2, "Memory": 4, "InstanceFamily": "S5", "Status": "SELL",
    "StatusCategory": "UnderStock",
    "Price": {"UnitPrice": 0.6, "UnitPriceDiscount": 0.12, "Discount": 20.0, "ChargeUnit": "HOUR"}
  })");
}

TEST_F(TencentCloudCvmTest, SpotOfferAsksForOneZoneTypeAndSpotpaid) {
  caller_.Reply("DescribeZoneInstanceConfigInfos", {{"InstanceTypeQuotaSet", {OfferJson()}}});

  Result<SpotOffer> offer = cloud_.GetSpotOffer("ap-guangzhou-3", "S5.MEDIUM4");

  ASSERT_TRUE(offer.ok()) << offer.error().ToString();
  EXPECT_EQ(offer->zone, "ap-guangzhou-3");
  EXPECT_EQ(offer->instance_type, "S5.MEDIUM4");
  EXPECT_DOUBLE_EQ(offer->hourly_price, 0.12);
  EXPECT_TRUE(offer->on_sale);
  EXPECT_EQ(offer->stock, StockLevel::kLow);
  EXPECT_EQ(offer->cpu, 2);
  EXPECT_EQ(offer->memory_gb, 4);
  ApiRequest request = caller_.requests().at(0);
  EXPECT_EQ(request.service, "cvm");
  EXPECT_EQ(request.params, json::parse(R"({"Filters": [
    {"Name": "zone", "Values": ["ap-guangzhou-3"]},
    {"Name": "instance-type", "Values": ["S5.MEDIUM4"]},
    {"Name": "instance-charge-type", "Values": ["SPOTPAID"]}]})"));
}

TEST_F(TencentCloudCvmTest, SpotOfferOfATypeNotSoldAsSpotIsNotFound) {
  json postpaid = OfferJson();
  postpaid["InstanceChargeType"] = "POSTPAID_BY_HOUR";
  caller_.Reply("DescribeZoneInstanceConfigInfos", {{"InstanceTypeQuotaSet", {postpaid}}});

  Result<SpotOffer> offer = cloud_.GetSpotOffer("ap-guangzhou-3", "S5.MEDIUM4");

  ASSERT_FALSE(offer.ok());
  EXPECT_EQ(offer.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(offer.error().message(),
            "DescribeZoneInstanceConfigInfos ap-guangzhou-3 S5.MEDIUM4: not sold as spot in this "
            "zone");
}

TEST_F(TencentCloudCvmTest, SpotOfferWithoutPriceIsAClearError) {
  json broken = OfferJson();
  broken["Price"].erase("UnitPriceDiscount");
  caller_.Reply("DescribeZoneInstanceConfigInfos", {{"InstanceTypeQuotaSet", {broken}}});

  Result<SpotOffer> offer = cloud_.GetSpotOffer("ap-guangzhou-3", "S5.MEDIUM4");

  ASSERT_FALSE(offer.ok());
  EXPECT_EQ(offer.error().message(),
            "DescribeZoneInstanceConfigInfos: response field "
            "InstanceTypeQuotaSet[0].Price.UnitPriceDiscount missing");
}

}  // namespace
}  // namespace spotform
