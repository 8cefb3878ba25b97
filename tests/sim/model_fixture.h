#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/sim/cloud_model.h"
#include "tests/support/fake_clock.h"

namespace spotform::sim {

// A CloudModel on a fake clock plus short-hands for the model tests. Calls go to
// ap-guangzhou unless a region is named.
class ModelTest : public ::testing::Test {
 protected:
  explicit ModelTest(const CloudModelOptions& options = {}) : model_(options, clock_) {}

  Result<nlohmann::json> Call(const std::string& action, const nlohmann::json& params,
                              const std::string& region = "ap-guangzhou") {
    return model_.Call(CallContext{region, "req-" + std::to_string(++calls_)}, action, params);
  }
  // The error code of a call, or "" when it succeeded.
  std::string Code(const std::string& action, const nlohmann::json& params,
                   const std::string& region = "ap-guangzhou") {
    Result<nlohmann::json> result = Call(action, params, region);
    return result.ok() ? "" : result.error().code();
  }
  nlohmann::json Ok(const std::string& action, const nlohmann::json& params,
                    const std::string& region = "ap-guangzhou") {
    Result<nlohmann::json> result = Call(action, params, region);
    EXPECT_TRUE(result.ok()) << action << ": " << result.error().ToString();
    return result.ok() ? *result : nlohmann::json();
  }

  // A scenario whose market moves on schedule in ap-guangzhou-3 (S5.MEDIUM4): the price goes to
  // 0.5 at tick 3, the newest instance is reclaimed at tick 4, capacity drops to 1 at tick 5.
  static constexpr char kMarketEvents[] =
      "events:\n"
      "  - {at_tick: 3, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, price: 0.5}\n"
      "  - {at_tick: 4, reclaim: 1, zone: ap-guangzhou-3}\n"
      "  - {at_tick: 5, zone: ap-guangzhou-3, instance_type: S5.MEDIUM4, capacity: 1}\n";

  static nlohmann::json SpotRun(const std::string& zone, const std::string& type, int count,
                                const std::string& max_price = "1.00") {
    return {{"InstanceChargeType", "SPOTPAID"},
            {"InstanceMarketOptions",
             {{"MarketType", "spot"},
              {"SpotOptions", {{"MaxPrice", max_price}, {"SpotInstanceType", "one-time"}}}}},
            {"Placement", {{"Zone", zone}}},
            {"InstanceType", type},
            {"ImageId", "img-pmqg1cw7"},
            {"InstanceCount", count}};
  }
  // CreateComputeEnv parameters: a managed spot environment "render" of BS1.LARGE8 nodes.
  static nlohmann::json SpotComputeEnv(int desired, const std::string& max_price = "0.50",
                                       const std::string& zone = "ap-guangzhou-3",
                                       nlohmann::json tags = {
                                           {{"Key", "team"}, {"Value", "vfx"}}}) {
    return {{"ComputeEnv",
             {{"EnvName", "render"},
              {"EnvType", "MANAGED"},
              {"DesiredComputeNodeCount", desired},
              {"EnvData",
               {{"InstanceType", "BS1.LARGE8"},
                {"ImageId", "img-m4q71qnf"},
                {"InstanceChargeType", "SPOTPAID"},
                {"InstanceMarketOptions",
                 {{"MarketType", "spot"},
                  {"SpotOptions", {{"MaxPrice", max_price}, {"SpotInstanceType", "one-time"}}}}}}},
              {"Tags", std::move(tags)}}},
            {"Placement", {{"Zone", zone}}}};
  }
  std::vector<std::string> Launch(const std::string& zone, const std::string& type, int count) {
    nlohmann::json out = Ok("RunInstances", SpotRun(zone, type, count));
    return out.value("InstanceIdSet", std::vector<std::string>{});
  }
  void Ticks(int n) {
    for (int i = 0; i < n; ++i) model_.Tick();
  }
  // InstanceState of one instance, or "" when DescribeInstances no longer shows it.
  std::string StateOf(const std::string& id) {
    nlohmann::json out = Ok("DescribeInstances", {{"InstanceIds", {id}}});
    if (out["InstanceSet"].empty()) return "";
    return out["InstanceSet"][0]["InstanceState"];
  }
  // Free capacity of a pair as DescribeZoneInstanceConfigInfos reports it (via Status and a
  // launch probe is indirect, so read the sim's instance list instead when exactness matters).
  int64_t InstanceCount() { return static_cast<int64_t>(model_.ListInstances().size()); }

  FakeClock clock_;
  CloudModel model_;
  int calls_ = 0;
};

}  // namespace spotform::sim
