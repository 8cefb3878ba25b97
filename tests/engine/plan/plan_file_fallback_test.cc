// Saved plan files with fallback candidates (spec §3): the specs of a plan keep their zones,
// instance types with their own bids and allocation through `plan --out` and `apply FILE`,
// and a single-candidate spec is written exactly as before.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/plan/plan_codec.h"
#include "engine/plan/plan_file.h"
#include "tests/engine/plan/plan_examples.h"

namespace spotform {
namespace {

using namespace plan_examples;  // NOLINT: test-local literals
namespace fs = std::filesystem;

// env.render over two zones and three types, one at its own bid, spread evenly.
EnvironmentSpec PlanFileFallbackRender(int desired) {
  EnvironmentSpec spec = Render(desired);
  spec.zones = {"ap-guangzhou-3", "ap-guangzhou-4"};
  spec.instance_types = {{"S5.MEDIUM4", ""}, {"SA2.MEDIUM4", "0.40"}, {"S5.LARGE8", ""}};
  spec.allocation = Allocation::kDiversified;
  return spec;
}

// Creating it, and replacing the single-candidate env.render by it.
Plan PlanFileFallbackPlan() {
  const EnvironmentSpec after = PlanFileFallbackRender(4);
  return PlanOf({ChangeOf(ChangeAction::kReplace, Render(4), after, {"candidates changed: replace"},
                          {
                              Counted(StepKind::kCreatePool, "p-5e6f7a8b", after, 4,
                                      "record the new capacity with expected count 4"),
                              Counted(StepKind::kLaunch, "p-5e6f7a8b", after, 4, "desired 4"),
                              RecordSpec(after),
                          })});
}

void ExpectSameCandidates(const EnvironmentSpec& a, const EnvironmentSpec& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.zones, b.zones);
  EXPECT_EQ(a.instance_types, b.instance_types);
  EXPECT_EQ(a.allocation, b.allocation);
  EXPECT_EQ(a.max_price, b.max_price);
  EXPECT_EQ(a.desired_count, b.desired_count);
}

class PlanFileFallbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/spotform-plan-fallback-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr);
    dir_ = name;
    path_ = (dir_ / "tfplan").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  nlohmann::ordered_json Document() {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return nlohmann::ordered_json::parse(buffer.str());
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(PlanFileFallbackTest, SpecsKeepTheirCandidatesAndAllocationThroughTheFile) {
  const Plan plan = PlanFileFallbackPlan();
  ASSERT_TRUE(WritePlanFile(path_, plan).ok());

  Result<Plan> read = ReadPlanFile(path_);

  ASSERT_TRUE(read.ok()) << read.error().message();
  ASSERT_EQ(read->changes.size(), 1u);
  const Change& change = read->changes[0];
  ASSERT_TRUE(change.before.has_value());
  ASSERT_TRUE(change.after.has_value());
  ExpectSameCandidates(*change.before, Render(4));
  EXPECT_FALSE(change.before->HasFallbacks());
  ExpectSameCandidates(*change.after, PlanFileFallbackRender(4));
  ASSERT_EQ(change.steps.size(), 3u);
  for (const Step& step : change.steps) {
    ExpectSameCandidates(step.spec, PlanFileFallbackRender(4));
    EXPECT_EQ(step.spec.BidFor("SA2.MEDIUM4"), "0.40");
  }
}

TEST_F(PlanFileFallbackTest, TheFileListsTheCandidatesBesideTheMostPreferredOne) {
  ASSERT_TRUE(WritePlanFile(path_, PlanFileFallbackPlan()).ok());
  const nlohmann::ordered_json change = Document()["plan"]["changes"][0];

  EXPECT_EQ(change["steps"][1]["spec"], nlohmann::ordered_json::parse(R"({
    "name": "render", "mode": "cvm", "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4",
    "zones": ["ap-guangzhou-3", "ap-guangzhou-4"],
    "instance_types": [{"type": "S5.MEDIUM4", "max_price": ""},
                       {"type": "SA2.MEDIUM4", "max_price": "0.40"},
                       {"type": "S5.LARGE8", "max_price": ""}],
    "allocation": "diversified",
    "image_id": "img-pmqg1cw7", "max_price": "0.60", "desired_count": 4,
    "tags": {"team": "vfx"}})"));
  // The single-candidate spec it replaces is written as plans always wrote it.
  EXPECT_EQ(change["before"], nlohmann::ordered_json::parse(R"({
    "name": "render", "mode": "cvm", "zone": "ap-guangzhou-3", "instance_type": "S5.MEDIUM4",
    "image_id": "img-pmqg1cw7", "max_price": "0.60", "desired_count": 4,
    "tags": {"team": "vfx"}})"));
}

TEST_F(PlanFileFallbackTest, AnEditedCandidateListIsRefusedAsAnUnreadableSpec) {
  nlohmann::ordered_json body = EncodePlan(PlanFileFallbackPlan());
  body["changes"][0]["after"]["allocation"] = "cheapest";
  Result<Plan> plan = DecodePlan(body);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(plan.error().message().find("allocation: unknown \"cheapest\""), std::string::npos)
      << plan.error().message();
}

}  // namespace
}  // namespace spotform
