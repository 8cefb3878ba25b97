// Golden tests of the human plan output (Terraform's idiom, spec §2 and issue 4).
#include "engine/plan/plan_render_text.h"

#include <gtest/gtest.h>

#include "engine/model/text_style.h"
#include "engine/plan/step_text.h"
#include "tests/engine/plan/plan_examples.h"

namespace spotform {
namespace {

using namespace plan_examples;  // NOLINT: test-local literals

std::string Plain(const Plan& plan) { return RenderPlanText(plan, RenderOptions{.color = false}); }
std::string Colored(const Plan& plan) { return RenderPlanText(plan, RenderOptions{.color = true}); }

#define GREEN "\x1b[32m"
#define YELLOW "\x1b[33m"
#define RED "\x1b[31m"
#define BOLD "\x1b[1m"
#define BOLD_GREEN "\x1b[1;32m"
#define RESET "\x1b[0m"

// The legend lines of the action symbols a plan uses.
constexpr char kCreate[] = "  + create\n";
constexpr char kUpdate[] = "  ~ update in place\n";
constexpr char kReplace[] = "-/+ replace (new capacity first, old released after)\n";
constexpr char kDestroy[] = "  - destroy\n";

// How a plan's text without color starts: the legend of `symbols`, then the heading. Each
// change's block and the summary follow.
std::string Heading(const std::string& symbols) {
  return "Actions are shown with these symbols:\n" + symbols +
         "\nspotform will perform the following actions:\n\n";
}

// The block of ScaleUpRender().
constexpr char kScaleUpRender[] = R"(  # env.render will be updated in place: desired 4 -> 6
  ~ env.render
      ~ desired_count = 4 -> 6
      steps:
        1. raise expected count 4 -> 6 (desired 4 -> 6)
        2. launch 2 spot instances S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h (desired 4 -> 6)
        3. record the applied configuration
)";

// The block of DeleteTrain(why).
std::string DeleteTrainBlock(const std::string& why) {
  // The headline does not repeat "destroy" after "will be destroyed".
  std::string block =
      std::string("  # env.train will be destroyed") + (why == "destroy" ? "" : ": WHY") + R"(
  - env.train
      - mode          = "batch"
      - zone          = "ap-guangzhou-4"
      - instance_type = "GN7.2XLARGE32"
      - image_id      = "img-eb30mz89"
      - max_price     = "1.25"
      - desired_count = 3
      - tags          = {}
      steps:
        1. delete Batch compute environment env-9x8y7z6w and its nodes node-a1, node-b2, node-c3 (WHY: expected 3 -> 0)
)";
  for (size_t at = block.find("WHY"); at != std::string::npos;
       at = block.find("WHY", at + why.size())) {
    block.replace(at, 3, why);
  }
  return block;
}

Change DeleteRenderForDestroy() {
  return ChangeOf(ChangeAction::kDelete, Render(2), std::nullopt, {"destroy"},
                  {
                      SetCount("p-1a2b3c4d", Render(2), 2, 0, "destroy: expected 2 -> 0"),
                      WithIds(StepKind::kRelease, "p-1a2b3c4d", Render(2),
                              {"ins-aaa00001", "ins-bbb00002"}, "release every instance"),
                      MakeStep(StepKind::kDeletePool, "p-1a2b3c4d", Render(2),
                               "drop the retired capacity from state"),
                  });
}

TEST(PlanRenderTextTest, CreateListsEveryFieldTheStepsAndTheSummary) {
  EXPECT_EQ(Plain(PlanOf({CreateRender()})),
            Heading(kCreate) + R"(  # env.render will be created: new environment: 4 instances
  + env.render
      + mode          = "cvm"
      + zone          = "ap-guangzhou-3"
      + instance_type = "S5.MEDIUM4"
      + image_id      = "img-pmqg1cw7"
      + max_price     = "0.60"
      + desired_count = 4
      + tags          = {
          + "team" = "vfx"
        }
      steps:
        1. add capacity S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h, expected count 4
        2. launch 4 spot instances S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h (desired 4)
        3. record the applied configuration

Plan: 1 to add, 0 to change, 0 to destroy; 4 instances to launch, 0 to release; estimated 2.40/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, ScaleUpRaisesTheCountThenLaunches) {
  EXPECT_EQ(Plain(PlanOf({ScaleUpRender()})), Heading(kUpdate) + kScaleUpRender + R"(
Plan: 0 to add, 1 to change, 0 to destroy; 2 instances to launch, 0 to release; estimated 3.60/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, ScaleDownLowersTheCountThenNamesTheInstancesReleased) {
  EXPECT_EQ(Plain(PlanOf({ScaleDownRender()})),
            Heading(kUpdate) +
                R"(  # env.render will be updated in place: desired 6 -> 4; release 2 instances
  ~ env.render
      ~ desired_count = 6 -> 4
      steps:
        1. lower expected count 6 -> 4 (desired 6 -> 4)
        2. release ins-fff00006, ins-eee00005 (release the 2 surplus instances: not yet running or failed first, then newest)
        3. record the applied configuration

Plan: 0 to add, 1 to change, 0 to destroy; 0 instances to launch, 2 to release; estimated 2.40/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, ReclaimedInstancesAreForgottenAndReplaced) {
  EXPECT_EQ(
      Plain(PlanOf({ReclaimedRender()})),
      Heading(kUpdate) +
          R"(  # env.render will be updated in place: 1 instance reclaimed by the spot market or released outside spotform
  ~ env.render
      steps:
        1. forget ins-ccc00003 (1 instance gone: reclaimed by the spot market or released outside spotform)
        2. launch 1 spot instance S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h (replace 1 reclaimed)

Plan: 0 to add, 1 to change, 0 to destroy; 1 instance to launch, 0 to release; estimated 2.40/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, TagChangesShowEachKeyAddedChangedOrRemoved) {
  EXPECT_EQ(
      Plain(PlanOf({RetagRender()})),
      Heading(kUpdate) +
          R"(  # env.render will be updated in place: tags changed (applied to capacity launched from now on)
  ~ env.render
      ~ tags          = {
          - "cost"  = "old"
          + "owner" = "ops"
          ~ "team"  = "vfx" -> "render"
        }
      steps:
        1. record the applied configuration

Plan: 0 to add, 1 to change, 0 to destroy; 0 instances to launch, 0 to release; estimated 2.40/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, ReplaceBringsNewCapacityFirstAndMarksTheOldPoolsSteps) {
  EXPECT_EQ(
      Plain(PlanOf({MoveRenderZone()})),
      Heading(kReplace) +
          R"(  # env.render must be replaced: zone changed: ap-guangzhou-3 -> ap-guangzhou-4: replace; new capacity first, old released after
-/+ env.render
      ~ zone          = "ap-guangzhou-3" -> "ap-guangzhou-4" (forces replacement)
      steps:
        1. add capacity S5.MEDIUM4 in ap-guangzhou-4 at max 0.60/h, expected count 4
        2. launch 4 spot instances S5.MEDIUM4 in ap-guangzhou-4 at max 0.60/h (desired 4)
        3. record the applied configuration
        4. old capacity: lower expected count 4 -> 0 (retire the replaced capacity: expected 4 -> 0)
        5. old capacity: release ins-aaa00001, ins-bbb00002, ins-ccc00003, ins-ddd00004 (release every instance)
        6. old capacity: drop the retired capacity from state

Plan: 0 to add, 1 to change, 0 to destroy; 4 instances to launch, 4 to release; estimated 2.40/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, DeleteListsTheRecordedFieldsAndLeavesNoOpsOut) {
  EXPECT_EQ(Plain(PlanOf({NoOp(Render(4)), DeleteTrain("removed from the configuration")})),
            Heading(kDestroy) + DeleteTrainBlock("removed from the configuration") + R"(
Plan: 0 to add, 0 to change, 1 to destroy; 0 instances to launch, 3 to release; estimated 2.40/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, DestroyRemovesEverythingAndSaysWhatItNoLongerCosts) {
  Plan plan = PlanOf({DeleteRenderForDestroy(), DeleteTrain("destroy")});
  plan.destroy = true;
  EXPECT_EQ(Plain(plan), Heading(kDestroy) + R"(  # env.render will be destroyed
  - env.render
      - mode          = "cvm"
      - zone          = "ap-guangzhou-3"
      - instance_type = "S5.MEDIUM4"
      - image_id      = "img-pmqg1cw7"
      - max_price     = "0.60"
      - desired_count = 2
      - tags          = {
          - "team" = "vfx"
        }
      steps:
        1. lower expected count 2 -> 0 (destroy: expected 2 -> 0)
        2. release ins-aaa00001, ins-bbb00002 (release every instance)
        3. drop the retired capacity from state

)" + DeleteTrainBlock("destroy") +
                             R"(
Plan: 0 to add, 0 to change, 2 to destroy; 0 instances to launch, 5 to release; removes 4.95/h at your bids.
)");
}

TEST(PlanRenderTextTest, MixedPlanShowsOnlyTheSymbolsUsedInAddressOrder) {
  const Change create_batch = ChangeOf(
      ChangeAction::kCreate, std::nullopt, Train(2), {"new environment: 2 nodes"},
      {
          Counted(StepKind::kCreatePool, "p-5f5f5f5f", Train(2), 2,
                  "create a Batch compute environment of 2 nodes"),
          Counted(StepKind::kWaitForCapacity, "p-5f5f5f5f", Train(2), 2, "wait until 2 nodes run"),
          RecordSpec(Train(2)),
      });
  EXPECT_EQ(Plain(PlanOf({ScaleUpRender(), create_batch})),
            Heading(std::string(kCreate) + kUpdate) + kScaleUpRender + R"(
  # env.train will be created: new environment: 2 nodes
  + env.train
      + mode          = "batch"
      + zone          = "ap-guangzhou-4"
      + instance_type = "GN7.2XLARGE32"
      + image_id      = "img-eb30mz89"
      + max_price     = "1.25"
      + desired_count = 2
      + tags          = {}
      steps:
        1. create Batch compute environment for 2 spot nodes GN7.2XLARGE32 in ap-guangzhou-4 at max 1.25/h
        2. wait for 2 nodes running
        3. record the applied configuration

Plan: 1 to add, 1 to change, 0 to destroy; 4 instances to launch, 0 to release; estimated 6.10/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, NoChanges) {
  EXPECT_EQ(Plain(PlanOf({NoOp(Render(4)), NoOp(Train(3))})),
            "No changes. Your spot capacity matches the configuration.\n");
  EXPECT_EQ(Plain(PlanOf({})), "No changes. Your spot capacity matches the configuration.\n");
}

TEST(PlanRenderTextTest, NoChangesToDestroy) {
  Plan plan = PlanOf({});
  plan.destroy = true;
  EXPECT_EQ(Plain(plan), "No changes. There is nothing in the state to destroy.\n");
}

TEST(PlanRenderTextTest, TargetedPlanSaysSo) {
  Plan plan = PlanOf({NoOp(Render(4))});
  plan.targets = {"env.render", "env.train"};
  EXPECT_EQ(Plain(plan),
            "Only the targeted environments are planned: env.render env.train\n\n"
            "No changes. Your spot capacity matches the configuration.\n");
}

TEST(PlanRenderTextTest, PriceWrittenDifferentlyIsNotAReplacement) {
  Change change = NoOp(Render(4));
  change.action = ChangeAction::kUpdate;
  change.after->max_price = "0.6";
  change.reasons = {"max_price written differently"};
  change.steps = {RecordSpec(*change.after)};
  const std::string text = Plain(PlanOf({change}));
  EXPECT_NE(text.find("      ~ max_price     = \"0.60\" -> \"0.6\"\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("forces replacement"), std::string::npos) << text;
}

TEST(PlanRenderTextTest, EveryShapeFieldForcesReplacement) {
  EnvironmentSpec after = Render(5);
  after.mode = Mode::kBatch;
  after.instance_types = {InstanceTypeChoice{"SA2.MEDIUM4", ""}};
  after.image_id = "img-22222222";
  after.max_price = "0.45";
  Change change = MoveRenderZone();
  change.after = after;
  change.steps.clear();
  change.reasons = {"shape changed"};
  EXPECT_EQ(Plain(PlanOf({change})),
            Heading(kReplace) + R"(  # env.render must be replaced: shape changed
-/+ env.render
      ~ mode          = "cvm" -> "batch" (forces replacement)
      ~ instance_type = "S5.MEDIUM4" -> "SA2.MEDIUM4" (forces replacement)
      ~ image_id      = "img-pmqg1cw7" -> "img-22222222" (forces replacement)
      ~ max_price     = "0.60" -> "0.45" (forces replacement)
      ~ desired_count = 4 -> 5

Plan: 0 to add, 1 to change, 0 to destroy; 0 instances to launch, 0 to release; estimated 2.25/h in total at your bids.
)");
}

TEST(PlanRenderTextTest, ColorOffHasNoEscapeCodes) {
  for (const Plan& plan : {PlanOf({CreateRender()}), PlanOf({MoveRenderZone()}),
                           PlanOf({DeleteTrain("destroy")}), PlanOf({})}) {
    EXPECT_EQ(Plain(plan).find('\x1b'), std::string::npos) << Plain(plan);
  }
}

TEST(PlanRenderTextTest, ColorOnMarksSymbolsAndBoldHeaders) {
  // clang-format off
  EXPECT_EQ(Colored(PlanOf({MoveRenderZone(), DeleteTrain("removed from the configuration")})),
            "Actions are shown with these symbols:\n"
            RED "-" RESET "/" GREEN "+" RESET " replace (new capacity first, old released after)\n"
            "  " RED "-" RESET " destroy\n"
            "\n"
            "spotform will perform the following actions:\n"
            "\n"
            "  " BOLD "# env.render must be replaced: zone changed: ap-guangzhou-3 -> "
            "ap-guangzhou-4: replace; new capacity first, old released after" RESET "\n"
            RED "-" RESET "/" GREEN "+" RESET " env.render\n"
            "      " YELLOW "~" RESET " zone          = \"ap-guangzhou-3\" -> \"ap-guangzhou-4\" "
            RED "(forces replacement)" RESET "\n"
            "      steps:\n"
            "        1. add capacity S5.MEDIUM4 in ap-guangzhou-4 at max 0.60/h, expected count 4\n"
            "        2. launch 4 spot instances S5.MEDIUM4 in ap-guangzhou-4 at max 0.60/h "
            "(desired 4)\n"
            "        3. record the applied configuration\n"
            "        4. old capacity: lower expected count 4 -> 0 (retire the replaced capacity: "
            "expected 4 -> 0)\n"
            "        5. old capacity: release ins-aaa00001, ins-bbb00002, ins-ccc00003, "
            "ins-ddd00004 (release every instance)\n"
            "        6. old capacity: drop the retired capacity from state\n"
            "\n"
            "  " BOLD "# env.train will be destroyed: removed from the configuration" RESET "\n"
            "  " RED "-" RESET " env.train\n"
            "      " RED "-" RESET " mode          = \"batch\"\n"
            "      " RED "-" RESET " zone          = \"ap-guangzhou-4\"\n"
            "      " RED "-" RESET " instance_type = \"GN7.2XLARGE32\"\n"
            "      " RED "-" RESET " image_id      = \"img-eb30mz89\"\n"
            "      " RED "-" RESET " max_price     = \"1.25\"\n"
            "      " RED "-" RESET " desired_count = 3\n"
            "      " RED "-" RESET " tags          = {}\n"
            "      steps:\n"
            "        1. delete Batch compute environment env-9x8y7z6w and its nodes node-a1, "
            "node-b2, node-c3 (removed from the configuration: expected 3 -> 0)\n"
            "\n" BOLD
            "Plan: 0 to add, 1 to change, 1 to destroy; 4 instances to launch, 7 to release; "
            "estimated 2.40/h in total at your bids." RESET "\n");
  // clang-format on
}

TEST(PlanRenderTextTest, ColorOnCreateAndUpdateSymbols) {
  Change retag = RetagRender();
  const std::string text = Colored(PlanOf({CreateRender()})) + Colored(PlanOf({retag}));
  EXPECT_NE(text.find("  " GREEN "+" RESET " create\n"), std::string::npos) << text;
  EXPECT_NE(text.find("      " GREEN "+" RESET " desired_count = 4\n"), std::string::npos);
  EXPECT_NE(text.find("          " GREEN "+" RESET " \"team\" = \"vfx\"\n"), std::string::npos);
  EXPECT_NE(text.find("  " YELLOW "~" RESET " env.render\n"), std::string::npos);
  EXPECT_NE(text.find("          " RED "-" RESET " \"cost\"  = \"old\"\n"), std::string::npos);
  EXPECT_NE(text.find("          " YELLOW "~" RESET " \"team\"  = \"vfx\" -> \"render\"\n"),
            std::string::npos);
}

TEST(PlanRenderTextTest, ColorOnNoChanges) {
  EXPECT_EQ(Colored(PlanOf({})),
            BOLD_GREEN "No changes." RESET " Your spot capacity matches the configuration.\n");
}

TEST(ColorEnabledTest, OnlyOnATerminalWithoutNoColor) {
  EXPECT_TRUE(ColorEnabled(false, std::nullopt, true));
  EXPECT_TRUE(ColorEnabled(false, std::string(""), true));  // NO_COLOR set but empty
  EXPECT_FALSE(ColorEnabled(true, std::nullopt, true));     // --no-color
  EXPECT_FALSE(ColorEnabled(false, std::string("1"), true));
  EXPECT_FALSE(ColorEnabled(false, std::nullopt, false));  // piped
}

TEST(TextStyleTest, WrapsOnlyWhenColorIsOn) {
  EXPECT_EQ(TextStyle(true).Green("+"), GREEN "+" RESET);
  EXPECT_EQ(TextStyle(true).Bold("Plan"), BOLD "Plan" RESET);
  EXPECT_EQ(TextStyle(false).Red("-"), "-");
}

TEST(DescribeStepTest, CvmWaitAndConfirmLines) {
  Step wait = Counted(StepKind::kWaitForCapacity, "p-1", Render(1), 1, "wait until 1 runs");
  EXPECT_EQ(DescribeStep(wait), "wait for 1 instance running");
  EXPECT_EQ(DescribeStep(SetCount("p-1", Render(4), 4, 4,
                                  "confirm the expected count is 4 before releasing")),
            "confirm expected count is 4 (confirm the expected count is 4 before releasing)");
  EXPECT_EQ(DescribeStep(SetCount("p-1", Train(3), 1, 3, "desired 1 -> 3")),
            "raise Batch desired count 1 -> 3 (desired 1 -> 3)");
  Step drop = MakeStep(StepKind::kDeletePool, "p-1", Train(3), "");
  EXPECT_EQ(DescribeStep(drop), "delete the Batch compute environment");
}

TEST(DescribeStepTest, LongIdListsAreShortened) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("ins-" + std::to_string(10000000 + i));
  EXPECT_EQ(DescribeStep(WithIds(StepKind::kRelease, "p-1", Render(0), ids, "desired 300 -> 0")),
            "release ins-10000000, ins-10000001, ins-10000002, ins-10000003, ins-10000004, ... "
            "and 295 more (desired 300 -> 0)");
  EXPECT_EQ(DescribeStep(WithIds(StepKind::kForget, "p-1", Render(0), ids, "gone")),
            "forget ins-10000000, ins-10000001, ins-10000002, ins-10000003, ins-10000004, ... "
            "and 295 more (gone)");
  // Six ids are all named: hiding one would save nothing.
  ids.resize(6);
  EXPECT_EQ(DescribeStep(WithIds(StepKind::kRelease, "p-1", Render(0), ids, "")),
            "release ins-10000000, ins-10000001, ins-10000002, ins-10000003, ins-10000004, "
            "ins-10000005");
}

TEST(DescribeStepDoneTest, SaysWhatTheStepAchievedInTheUsersWords) {
  EXPECT_EQ(DescribeStepDone(Counted(StepKind::kCreatePool, "p-1", Render(6), 6, "")),
            "capacity recorded (expected count 6)");
  EXPECT_EQ(DescribeStepDone(Counted(StepKind::kCreatePool, "p-1", Train(4), 4, "")),
            "Batch compute environment created; Batch requests 4 nodes");
  EXPECT_EQ(DescribeStepDone(Counted(StepKind::kLaunch, "p-1", Render(8), 8, "")),
            "8 instances running");
  EXPECT_EQ(DescribeStepDone(Counted(StepKind::kWaitForCapacity, "p-1", Train(1), 1, "")),
            "1 node running");
  EXPECT_EQ(DescribeStepDone(SetCount("p-1", Render(4), 6, 4, "")), "expected count lowered to 4");
  EXPECT_EQ(DescribeStepDone(SetCount("p-1", Render(6), 4, 6, "")), "expected count raised to 6");
  EXPECT_EQ(DescribeStepDone(SetCount("p-1", Render(4), 4, 4, "")),
            "expected count confirmed at 4");
  EXPECT_EQ(DescribeStepDone(SetCount("p-1", Train(2), 3, 2, "")),
            "Batch desired count lowered to 2");
  EXPECT_EQ(DescribeStepDone(WithIds(StepKind::kRelease, "p-1", Render(0), {"ins-a", "ins-b"}, "")),
            "2 instances released");
  EXPECT_EQ(DescribeStepDone(WithIds(StepKind::kForget, "p-1", Render(0), {"ins-a"}, "")),
            "1 instance already gone, forgotten");
  EXPECT_EQ(DescribeStepDone(MakeStep(StepKind::kDeletePool, "p-1", Train(3), "")),
            "Batch compute environment deleted");
  EXPECT_EQ(DescribeStepDone(MakeStep(StepKind::kDeletePool, "p-1", Render(0), "")),
            "retired capacity dropped from state");
  EXPECT_EQ(DescribeStepDone(RecordSpec(Render(4))), "configuration recorded");
  EXPECT_EQ(DescribeStepAction(WithIds(StepKind::kRelease, "p-1", Render(0), {"ins-a"}, "")),
            "release");
  EXPECT_EQ(DescribeStepAction(Counted(StepKind::kCreatePool, "p-1", Render(6), 6, "")),
            "add capacity");
}

TEST(FormatHourlyCostTest, TwoToFourDecimals) {
  EXPECT_EQ(FormatHourlyCost(2.4), "2.40");
  EXPECT_EQ(FormatHourlyCost(0), "0.00");
  EXPECT_EQ(FormatHourlyCost(0.0315), "0.0315");
  EXPECT_EQ(FormatHourlyCost(1.23456), "1.2346");
  EXPECT_EQ(FormatHourlyCost(12.5), "12.50");
}

}  // namespace
}  // namespace spotform
