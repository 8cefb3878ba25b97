// DescribeInstances with `tag:KEY` filters takes its candidates from SimWorld's tag index
// instead of scanning every instance. The answers must be exactly those of a scan: these
// tests compare them with a brute-force selection over the sim's own instance listing, after
// launches, terminations, removals and Batch nodes.
#include <string>
#include <vector>

#include "tests/sim/model_fixture.h"

namespace spotform::sim {
namespace {

using nlohmann::json;

class TagIndexTest : public ModelTest {
 protected:
  std::vector<std::string> LaunchTagged(const std::string& zone, int count, const json& tags,
                                        const std::string& region) {
    json params = SpotRun(zone, "S5.MEDIUM4", count);
    params["TagSpecification"] = {{{"ResourceType", "instance"}, {"Tags", tags}}};
    return Ok("RunInstances", params, region).value("InstanceIdSet", std::vector<std::string>{});
  }
  static json Tags(const std::string& team, const std::string& env) {
    return {{{"Key", "team"}, {"Value", team}}, {{"Key", "env"}, {"Value", env}}};
  }
  static json TagFilter(const std::string& key, const std::vector<std::string>& values) {
    return {{"Name", "tag:" + key}, {"Values", values}};
  }
  // Every id DescribeInstances lists for `filters` in `region`, paging by 3 (so the order
  // and TotalCount across pages are checked too).
  std::vector<std::string> Listed(const json& filters, const std::string& region) {
    std::vector<std::string> ids;
    for (int offset = 0;; offset += 3) {
      json page =
          Ok("DescribeInstances", {{"Filters", filters}, {"Offset", offset}, {"Limit", 3}}, region);
      for (const json& instance : page["InstanceSet"]) ids.push_back(instance["InstanceId"]);
      if (page["InstanceSet"].size() < 3) {
        EXPECT_EQ(page["TotalCount"], ids.size());
        return ids;
      }
    }
  }
  // What a scan selects: live instances of `region` (creation order) whose tags satisfy
  // every (key, values) pair.
  std::vector<std::string> Scanned(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& wanted,
      const std::string& region) {
    std::vector<std::string> ids;
    for (const json& instance : model_.ListInstances()) {
      if (instance["SimRegion"] != region) continue;
      bool all = true;
      for (const auto& [key, values] : wanted) {
        bool one = false;
        for (const json& tag : instance["Tags"]) {
          for (const std::string& value : values) one |= tag["Key"] == key && tag["Value"] == value;
        }
        all &= one;
      }
      if (all) ids.push_back(instance["InstanceId"]);
    }
    return ids;
  }
  void ExpectSameAsScan(const std::string& region) {
    using Wanted = std::vector<std::pair<std::string, std::vector<std::string>>>;
    const std::vector<Wanted> cases = {
        {{"team", {"a"}}},
        {{"team", {"b"}}},
        {{"team", {"a", "b"}}},
        {{"team", {"b", "a", "b"}}},
        {{"team", {"a"}}, {"env", {"x"}}},
        {{"env", {"y"}}, {"team", {"a", "b"}}},
        {{"team", {"nobody"}}},
        {{"nokey", {"a"}}},
        {{"team", {"a"}}, {"env", {"nowhere"}}},
    };
    for (const Wanted& wanted : cases) {
      json filters = json::array();
      std::string label;
      for (const auto& [key, values] : wanted) {
        filters.push_back(TagFilter(key, values));
        label += filters.back().dump();
      }
      EXPECT_EQ(Listed(filters, region), Scanned(wanted, region)) << region << " " << label;
    }
  }
};

TEST_F(TagIndexTest, TagFiltersAnswerExactlyWhatAScanWould) {
  std::vector<std::string> ax = LaunchTagged("ap-guangzhou-3", 4, Tags("a", "x"), "ap-guangzhou");
  std::vector<std::string> ay = LaunchTagged("ap-guangzhou-3", 3, Tags("a", "y"), "ap-guangzhou");
  std::vector<std::string> bx = LaunchTagged("ap-guangzhou-4", 5, Tags("b", "x"), "ap-guangzhou");
  LaunchTagged("ap-shanghai-2", 2, Tags("a", "x"), "ap-shanghai");
  Launch("ap-guangzhou-3", "S5.MEDIUM4", 2);  // untagged
  std::vector<std::string> later =
      LaunchTagged("ap-guangzhou-3", 2, Tags("b", "y"), "ap-guangzhou");
  EXPECT_EQ(Scanned({{"team", {"a", "b"}}}, "ap-guangzhou").size(), 14u);
  ExpectSameAsScan("ap-guangzhou");
  ExpectSameAsScan("ap-shanghai");

  // Terminated instances stay listed while TERMINATING, then leave the index with the world.
  Ticks(2);
  ASSERT_EQ(Code("TerminateInstances", {{"InstanceIds", {ax[0], bx[2], later[1]}}}), "");
  ExpectSameAsScan("ap-guangzhou");
  Ticks(2);
  EXPECT_EQ(Scanned({{"team", {"a", "b"}}}, "ap-guangzhou").size(), 11u);
  ExpectSameAsScan("ap-guangzhou");
  std::vector<std::string> again =
      LaunchTagged("ap-guangzhou-3", 2, Tags("a", "x"), "ap-guangzhou");
  ExpectSameAsScan("ap-guangzhou");
  EXPECT_EQ(Listed({TagFilter("team", {"a"}), TagFilter("env", {"x"})}, "ap-guangzhou"),
            (std::vector<std::string>{ax[1], ax[2], ax[3], again[0], again[1]}));
}

TEST_F(TagIndexTest, TagFiltersCombineWithTheOtherFilters) {
  std::vector<std::string> ax = LaunchTagged("ap-guangzhou-3", 2, Tags("a", "x"), "ap-guangzhou");
  Ticks(2);
  std::vector<std::string> pending =
      LaunchTagged("ap-guangzhou-4", 2, Tags("a", "x"), "ap-guangzhou");
  json running = {TagFilter("team", {"a"}), {{"Name", "instance-state"}, {"Values", {"RUNNING"}}}};
  EXPECT_EQ(Listed(running, "ap-guangzhou"), ax);
  json zone = {{{"Name", "zone"}, {"Values", {"ap-guangzhou-4"}}}, TagFilter("env", {"x"})};
  EXPECT_EQ(Listed(zone, "ap-guangzhou"), pending);
  json by_id = {TagFilter("team", {"a"}), {{"Name", "instance-id"}, {"Values", {pending[1]}}}};
  EXPECT_EQ(Listed(by_id, "ap-guangzhou"), std::vector<std::string>{pending[1]});
  json tag_key = {{{"Name", "tag-key"}, {"Values", {"env"}}}, TagFilter("team", {"a"})};
  EXPECT_EQ(Listed(tag_key, "ap-guangzhou").size(), 4u);
}

TEST_F(TagIndexTest, BatchNodesAreFoundByTheirEnvironmentsTags) {
  std::string env_id = Ok("CreateComputeEnv",
                          SpotComputeEnv(2, "0.50", "ap-guangzhou-3", Tags("a", "batch")))["EnvId"];
  Ticks(3);
  json filters = json::array({TagFilter("env", {"batch"})});
  EXPECT_EQ(Listed(filters, "ap-guangzhou").size(), 2u);
  ExpectSameAsScan("ap-guangzhou");
  ASSERT_EQ(Code("DeleteComputeEnv", {{"EnvId", env_id}}), "");
  Ticks(3);
  EXPECT_EQ(Listed(filters, "ap-guangzhou").size(), 0u);
  ExpectSameAsScan("ap-guangzhou");
}

}  // namespace
}  // namespace spotform::sim
