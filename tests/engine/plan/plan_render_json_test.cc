// The JSON plan document of `plan --json` / `show --json PLANFILE` (spec §2), asserted exactly.
#include "engine/plan/plan_render_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/engine/plan/plan_examples.h"

namespace spotform {
namespace {

using namespace plan_examples;  // NOLINT: test-local literals
using Json = nlohmann::ordered_json;

TEST(PlanRenderJsonTest, ScaleDownInExecutionOrder) {
  Plan plan = PlanOf({ScaleDownRender(), NoOp(Train(3))});
  plan.targets = {"env.render", "env.train"};
  EXPECT_EQ(PlanToJson(plan), Json::parse(R"({
    "format_version": "1.0",
    "lineage": "6f1c2d3e-0000-4000-8000-00000000abcd",
    "serial": 7,
    "config_digest": "9b1d5e",
    "destroy": false,
    "targets": ["env.render", "env.train"],
    "changes": [
      {
        "address": "env.render",
        "action": "update",
        "before": {"mode": "cvm", "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4",
                   "image_id": "img-pmqg1cw7", "max_price": "0.60", "desired_count": 6,
                   "tags": {"team": "vfx"}},
        "after": {"mode": "cvm", "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4",
                  "image_id": "img-pmqg1cw7", "max_price": "0.60", "desired_count": 4,
                  "tags": {"team": "vfx"}},
        "reasons": ["desired 6 -> 4", "release 2 instances"],
        "steps": [
          {"kind": "set_expected_count", "pool_id": "p-1a2b3c4d", "mode": "cvm", "from": 6,
           "to": 4, "reason": "desired 6 -> 4"},
          {"kind": "release", "pool_id": "p-1a2b3c4d", "mode": "cvm",
           "ids": ["ins-fff00006", "ins-eee00005"],
           "reason": "release the 2 surplus instances: not yet running or failed first, then newest"},
          {"kind": "record_spec", "pool_id": null,
           "spec": {"mode": "cvm", "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4",
                    "image_id": "img-pmqg1cw7", "max_price": "0.60", "desired_count": 4,
                    "tags": {"team": "vfx"}},
           "reason": "record the applied configuration"}
        ]
      },
      {
        "address": "env.train",
        "action": "no-op",
        "before": {"mode": "batch", "zone": "ap-guangzhou-4", "instance_type": "GN7.2XLARGE32",
                   "image_id": "img-eb30mz89", "max_price": "1.25", "desired_count": 3,
                   "tags": {}},
        "after": {"mode": "batch", "zone": "ap-guangzhou-4", "instance_type": "GN7.2XLARGE32",
                  "image_id": "img-eb30mz89", "max_price": "1.25", "desired_count": 3,
                  "tags": {}},
        "reasons": [],
        "steps": []
      }
    ],
    "market": {},
    "warnings": [],
    "summary": {"add": 0, "change": 1, "destroy": 0, "launch": 0, "release": 2,
                "hourly_cost_at_bid": 6.15}
  })"));
}

TEST(PlanRenderJsonTest, CreateHasNullBeforeAndLaunchSteps) {
  const Json json = PlanToJson(PlanOf({CreateRender()}));
  EXPECT_EQ(json["changes"][0]["before"], Json(nullptr));
  EXPECT_EQ(json["changes"][0]["action"], "create");
  EXPECT_EQ(json["changes"][0]["steps"], Json::parse(R"([
    {"kind": "create_pool", "pool_id": "p-1a2b3c4d", "mode": "cvm", "count": 4,
     "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4", "image_id": "img-pmqg1cw7",
     "max_price": "0.60", "reason": "record the new capacity with expected count 4"},
    {"kind": "launch", "pool_id": "p-1a2b3c4d", "mode": "cvm", "count": 4,
     "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4", "image_id": "img-pmqg1cw7",
     "max_price": "0.60", "reason": "desired 4"},
    {"kind": "record_spec", "pool_id": null,
     "spec": {"mode": "cvm", "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4",
              "image_id": "img-pmqg1cw7", "max_price": "0.60", "desired_count": 4,
              "tags": {"team": "vfx"}},
     "reason": "record the applied configuration"}
  ])"));
  EXPECT_EQ(json["summary"], Json::parse(R"({"add": 1, "change": 0, "destroy": 0,
      "launch": 4, "release": 0, "hourly_cost_at_bid": 2.4})"));
}

TEST(PlanRenderJsonTest, ReplaceAndBatchDeleteSteps) {
  Plan plan = PlanOf({MoveRenderZone(), DeleteTrain("destroy")});
  plan.destroy = true;
  const Json json = PlanToJson(plan);
  EXPECT_EQ(json["destroy"], true);
  EXPECT_EQ(json["changes"][0]["action"], "replace");
  EXPECT_EQ(json["changes"][0]["reasons"],
            Json::parse(R"(["zone changed: ap-guangzhou-3 -> ap-guangzhou-4: replace",
                            "new capacity first, old released after"])"));
  EXPECT_EQ(json["changes"][1], Json::parse(R"json({
    "address": "env.train",
    "action": "delete",
    "before": {"mode": "batch", "zone": "ap-guangzhou-4", "instance_type": "GN7.2XLARGE32",
               "image_id": "img-eb30mz89", "max_price": "1.25", "desired_count": 3,
               "tags": {}},
    "after": null,
    "reasons": ["destroy"],
    "steps": [
      {"kind": "delete_pool", "pool_id": "p-5f5f5f5f", "mode": "batch",
       "ids": ["node-a1", "node-b2", "node-c3"],
       "reason": "delete Batch compute environment env-9x8y7z6w and its nodes node-a1, node-b2, node-c3 (destroy: expected 3 -> 0)"}
    ]
  })json"));
  // A destroy says what it takes away: env.train, 3 x 1.25 at its recorded bid.
  EXPECT_EQ(json["summary"], Json::parse(R"({"add": 0, "change": 1, "destroy": 1,
      "launch": 4, "release": 7, "hourly_cost_at_bid": 0, "hourly_cost_removed_at_bid": 3.75})"));
}

TEST(PlanRenderJsonTest, LongIdListsStayWhole) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("ins-" + std::to_string(10000000 + i));
  Change change = ScaleDownRender();
  change.steps[1].ids = ids;
  const Json json = PlanToJson(PlanOf({change}));
  EXPECT_EQ(json["changes"][0]["steps"][1]["ids"].size(), 300u);
  EXPECT_EQ(json["changes"][0]["steps"][1]["ids"][299], "ins-10000299");
}

TEST(PlanRenderJsonTest, ForgetAndWaitSteps) {
  Step wait =
      Counted(StepKind::kWaitForCapacity, "p-5f5f5f5f", Train(2), 2, "wait until 2 nodes run");
  Change change = ReclaimedRender();
  change.steps.push_back(wait);
  const Json steps = PlanToJson(PlanOf({change}))["changes"][0]["steps"];
  EXPECT_EQ(steps[0], Json::parse(R"({"kind": "forget", "pool_id": "p-1a2b3c4d", "mode": "cvm",
      "ids": ["ins-ccc00003"],
      "reason": "1 instance gone: reclaimed by the spot market or released outside spotform"})"));
  EXPECT_EQ(steps[2], Json::parse(R"({"kind": "wait_for_capacity", "pool_id": "p-5f5f5f5f",
      "mode": "batch", "count": 2, "reason": "wait until 2 nodes run"})"));
}

TEST(PlanRenderJsonTest, DocumentTextIsIndentedAndEndsWithANewline) {
  Plan plan;
  plan.lineage = "L";
  plan.config_digest = "D";
  EXPECT_EQ(RenderPlanJson(plan), R"({
  "format_version": "1.0",
  "lineage": "L",
  "serial": 0,
  "config_digest": "D",
  "destroy": false,
  "targets": [],
  "changes": [],
  "market": {},
  "warnings": [],
  "summary": {
    "add": 0,
    "change": 0,
    "destroy": 0,
    "launch": 0,
    "release": 0,
    "hourly_cost_at_bid": 0.0
  }
}
)");
}

TEST(PlanRenderJsonTest, ShowsTheBasisASavedPlanDependsOnAfterTheConfigDigest) {
  Plan plan = PlanOf({ScaleDownRender()});
  plan.basis = PlanBasis{.shared_config_digest = "S",
                         .environments = {{"env.render", {.serial = 5, .config_digest = "R"}}}};
  const Json json = PlanToJson(plan);
  EXPECT_EQ(json["basis"], Json::parse(R"({"shared_config_digest": "S",
      "environments": {"env.render": {"serial": 5, "config_digest": "R"}}})"));
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"format_version", "lineage", "serial", "config_digest",
                                            "basis", "destroy", "targets", "changes", "market",
                                            "warnings", "summary"}));
  // A plan file made before plans had a basis shows none.
  EXPECT_FALSE(PlanToJson(PlanOf({ScaleDownRender()})).contains("basis"));
}

TEST(PlanRenderJsonTest, InvalidUtf8DoesNotThrow) {
  Plan plan = PlanOf({ReclaimedRender()});
  plan.changes[0].reasons = {"bad \xff byte"};
  EXPECT_NE(RenderPlanJson(plan).find("bad \xef\xbf\xbd byte"), std::string::npos);
}

}  // namespace
}  // namespace spotform
