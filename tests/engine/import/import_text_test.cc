// What `spotform import` says once the state is written (engine/import/import_text.h).
#include "engine/import/import_text.h"

#include <gtest/gtest.h>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using testing::Ins;
using testing::Node;
using testing::Spec;

using Lines = std::vector<std::string>;

ImportOutcome Outcome(Lines adopted, Lines already, int expected, int nodes = 0) {
  ImportOutcome outcome;
  outcome.address = "env.render";
  outcome.adopted = std::move(adopted);
  outcome.already = std::move(already);
  outcome.expected_count = expected;
  outcome.node_count = nodes;
  return outcome;
}

TEST(ImportText, AdoptedInstancesKeepTheExpectedCountBesideTheDeclaredOne) {
  EXPECT_EQ(ImportedLines(Outcome({"ins-aaaaaaaa"}, {}, 0), Spec("render", 1), false),
            (Lines{"env.render: imported 1 instance: ins-aaaaaaaa",
                   "env.render: expected count stays 0; the config declares desired_count 1",
                   "Run `spotform plan` to see how the config and the adopted capacity differ."}));
  EXPECT_EQ(ImportedLines(Outcome({"ins-aaaaaaaa", "ins-bbbbbbbb"}, {"ins-cccccccc"}, 3),
                          Spec("render", 2), false),
            (Lines{"env.render: ins-cccccccc already imported; nothing to do for it",
                   "env.render: imported 2 instances: ins-aaaaaaaa, ins-bbbbbbbb",
                   "env.render: expected count stays 3; the config declares desired_count 2",
                   "Run `spotform plan` to see how the config and the adopted capacity differ."}));
}

TEST(ImportText, ANewEnvironmentExpectsWhatWasAdopted) {
  ImportOutcome outcome = Outcome({"ins-aaaaaaaa", "ins-bbbbbbbb"}, {}, 2);
  outcome.new_environment = true;
  EXPECT_EQ(ImportedLines(outcome, Spec("render", 2), false),
            (Lines{"env.render: imported 2 instances: ins-aaaaaaaa, ins-bbbbbbbb",
                   "env.render: expected count is 2; the config declares desired_count 2",
                   "Run `spotform plan` to see how the config and the adopted capacity differ."}));
}

TEST(ImportText, AnAdoptedBatchEnvironmentTakesBatchsCount) {
  EXPECT_EQ(
      ImportedLines(Outcome({"env-cccccccc"}, {}, 2, 1), Spec("render", 3, Mode::kBatch), true),
      (Lines{"env.render: imported Batch compute environment env-cccccccc with 1 node",
             "env.render: expected count is Batch's DesiredComputeNodeCount, 2; the config "
             "declares desired_count 3",
             "Run `spotform plan` to see how the config and the adopted capacity differ."}));
}

TEST(ImportText, NothingNewSaysSoAndNothingMore) {
  EXPECT_EQ(
      ImportedLines(Outcome({}, {"ins-aaaaaaaa", "ins-bbbbbbbb"}, 2), Spec("render", 2), false),
      (Lines{"env.render: ins-aaaaaaaa, ins-bbbbbbbb already imported; nothing to do for "
             "them"}));
  EXPECT_EQ(ImportedLines(Outcome({}, {"env-cccccccc"}, 2), Spec("render", 2, Mode::kBatch), true),
            (Lines{"env.render: env-cccccccc already imported; nothing to do for it"}));
}

TEST(ImportText, DiscoveryNamesEachAdoptedEnvironmentAndTheFileToReview) {
  ProposedEnvironment instances;
  instances.spec =
      Spec("s5-medium4-ap-guangzhou-3", 2, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.13");
  instances.instances = {Ins("ins-aaaaaaaa", "RUNNING"), Ins("ins-bbbbbbbb", "RUNNING")};
  ProposedEnvironment batch;
  batch.spec = Spec("render-farm", 1, Mode::kBatch, "ap-guangzhou-4", "SA2.MEDIUM4", "0.09");
  batch.batch_env_id = "env-cccccccc";
  batch.instances = {Node("node-dddddddd", "RUNNING")};
  EXPECT_EQ(DiscoveredLines({instances, batch}, "adopted.yaml"),
            (Lines{"env.s5-medium4-ap-guangzhou-3: imported 2 instances (S5.MEDIUM4 in "
                   "ap-guangzhou-3, max_price 0.13 to review)",
                   "env.render-farm: imported Batch compute environment env-cccccccc with 1 node "
                   "(SA2.MEDIUM4 in ap-guangzhou-4, max_price 0.09 to review)",
                   "Wrote adopted.yaml. Review it, then check it plans to no changes:",
                   "  spotform -c adopted.yaml plan"}));
  EXPECT_EQ(NothingDiscoveredLine("adopted.yaml"),
            "No unmanaged spot instances or Batch compute environments found; nothing imported "
            "and adopted.yaml not written.");
}

}  // namespace
}  // namespace spotform
