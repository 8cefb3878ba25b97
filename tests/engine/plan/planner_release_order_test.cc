// Which instances a scale-down of an environment with fallback candidates releases (spec §3):
// not yet running first, then the least preferred candidates, or for `lowest-price` with
// known spot prices the most expensive ones, then the newest.
#include <gtest/gtest.h>

#include "engine/plan/planner.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

// env.farm over ap-guangzhou-3 (preferred) and ap-guangzhou-4, S5.MEDIUM4.
EnvironmentSpec FarmOverTwoZones(int desired, Allocation allocation) {
  EnvironmentSpec spec = Spec("farm", desired);
  spec.zones = {"ap-guangzhou-3", "ap-guangzhou-4"};
  spec.allocation = allocation;
  return spec;
}

RecordedInstance RunningIn(const std::string& id, const std::string& zone, int minute) {
  RecordedInstance instance = Ins(id, "RUNNING", minute);
  instance.zone = zone;
  return instance;
}

// Two older instances in the preferred zone, one newer in the other; scaled 3 -> 1.
std::vector<std::string> ReleasedWhenScaledToOne(Allocation allocation, const SpotPrices& prices) {
  const EnvironmentSpec recorded = FarmOverTwoZones(3, allocation);
  const Pool pool = PoolOf("p-current", recorded, 3,
                           {RunningIn("ins-gz3aaaaa", "ap-guangzhou-3", 1),
                            RunningIn("ins-gz3bbbbb", "ap-guangzhou-3", 2),
                            RunningIn("ins-gz4ccccc", "ap-guangzhou-4", 3)});
  PlanOptions options;
  options.spot_prices = prices;
  const Plan plan =
      MakePlan(ConfigOf({FarmOverTwoZones(1, allocation)}), StateOf({{recorded, {pool}}}), options);
  for (const Step& step : plan.changes.at(0).steps) {
    if (step.kind == StepKind::kRelease) return step.ids;
  }
  return {};
}

const SpotPrices kPreferredZoneDearer = {{{"ap-guangzhou-3", "S5.MEDIUM4"}, 0.30},
                                         {{"ap-guangzhou-4", "S5.MEDIUM4"}, 0.10}};

TEST(PlannerReleaseOrder, OrderedReleasesTheLeastPreferredCandidateFirst) {
  EXPECT_EQ(ReleasedWhenScaledToOne(Allocation::kOrdered, kPreferredZoneDearer),
            (std::vector<std::string>{"ins-gz4ccccc", "ins-gz3bbbbb"}));
}

TEST(PlannerReleaseOrder, LowestPriceReleasesTheMostExpensiveCandidateFirstWhenPricesAreKnown) {
  EXPECT_EQ(ReleasedWhenScaledToOne(Allocation::kLowestPrice, kPreferredZoneDearer),
            (std::vector<std::string>{"ins-gz3bbbbb", "ins-gz3aaaaa"}));
}

TEST(PlannerReleaseOrder, LowestPriceWithoutPricesFallsBackToPreference) {
  EXPECT_EQ(ReleasedWhenScaledToOne(Allocation::kLowestPrice, {}),
            (std::vector<std::string>{"ins-gz4ccccc", "ins-gz3bbbbb"}));
}

}  // namespace
}  // namespace spotform
