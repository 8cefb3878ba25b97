// 100,000 live instances: memory, id lookups that do not scan, and cheap ticks.
#include <chrono>
#include <fstream>
#include <string>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

// Resident set size of this process in MB (Linux).
double RssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

class ScaleTest : public ModelTest {};

TEST_F(ScaleTest, HundredThousandInstances) {
  ASSERT_TRUE(model_.UpdateMarket({"ap-guangzhou-6", "SA2.MEDIUM4", std::nullopt, 200000}).ok());
  double rss_before = RssMb();
  std::vector<std::string> sample;
  for (int i = 0; i < 1000; ++i) {
    json params = SpotRun("ap-guangzhou-6", "SA2.MEDIUM4", 100);
    params["TagSpecification"] = {
        {{"ResourceType", "instance"}, {"Tags", {{{"Key", "spotform:env"}, {"Value", "bench"}}}}}};
    json ids = Ok("RunInstances", params)["InstanceIdSet"];
    ASSERT_EQ(ids.size(), 100u);
    sample.push_back(ids[i % 100]);
  }
  EXPECT_LT(RssMb() - rss_before, 300.0);

  auto start = std::chrono::steady_clock::now();
  Ticks(2);  // 100,000 PENDING -> RUNNING in one tick
  EXPECT_LT(MillisSince(start), 2000.0);
  start = std::chrono::steady_clock::now();
  Ticks(10);  // nothing due: O(changed) ticks cost next to nothing
  EXPECT_LT(MillisSince(start) / 10, 20.0);

  std::vector<std::string> hundred(sample.begin(), sample.begin() + 100);
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) {
    json out = Ok("DescribeInstances", {{"InstanceIds", hundred}, {"Limit", 100}});
    ASSERT_EQ(out["TotalCount"], 100);
  }
  // A scan of 100,000 instances per call would cost far more than this.
  EXPECT_LT(MillisSince(start) / 50, 50.0);

  start = std::chrono::steady_clock::now();
  json filtered =
      Ok("DescribeInstances", {{"Filters", {{{"Name", "instance-id"}, {"Values", {sample[0]}}}}}});
  EXPECT_EQ(filtered["TotalCount"], 1);
  EXPECT_LT(MillisSince(start), 50.0);
  EXPECT_EQ(Ok("DescribeInstances", json::object())["TotalCount"], 100000);
}

}  // namespace
}  // namespace spotform::sim
