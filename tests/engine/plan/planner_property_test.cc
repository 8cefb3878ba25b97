// Properties of every plan, over thousands of generated (desired, state) pairs: the ordering
// rule of spec §1, new capacity before old is released, releases that name live members once,
// and convergence: applying the plan to an ideal cloud and planning again gives no changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "engine/plan/planner.h"
#include "engine/plan/refresh.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : random_(seed) {}

  Config MakeConfig() {
    std::vector<EnvironmentSpec> specs;
    for (const char* name : {"a", "b", "c"}) {
      if (Chance(0.7)) specs.push_back(MakeSpec(name));
    }
    return testing::ConfigOf(specs);
  }

  StateSnapshot MakeState(const Config& config) {
    std::vector<std::pair<EnvironmentSpec, std::vector<Pool>>> envs;
    for (const char* name : {"a", "b", "c"}) {
      if (!Chance(0.6)) continue;
      auto declared = config.environments.find(name);
      EnvironmentSpec applied =
          declared != config.environments.end() && Chance(0.6) ? declared->second : MakeSpec(name);
      applied.desired_count = Int(0, 6);
      std::vector<Pool> pools;
      const int pool_count = Chance(0.15) ? 0 : (Chance(0.8) ? 1 : 2);
      for (int p = 0; p < pool_count; ++p) {
        EnvironmentSpec shape = p == 0 && Chance(0.7) ? applied : MakeSpec(name);
        pools.push_back(testing::PoolOf("p-" + std::to_string(next_id_++), shape, Int(0, 6),
                                        MakeMembers(shape.mode)));
      }
      envs.emplace_back(applied, pools);
    }
    return testing::StateOf(envs, Int(0, 50));
  }

 private:
  bool Chance(double p) { return std::bernoulli_distribution(p)(random_); }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Int(0, static_cast<int>(items.size()) - 1)];
  }

  EnvironmentSpec MakeSpec(const std::string& name) {
    return testing::Spec(name, Int(0, 6), Chance(0.5) ? Mode::kCvm : Mode::kBatch,
                         Pick<std::string>({"ap-guangzhou-3", "ap-guangzhou-4"}),
                         Pick<std::string>({"S5.MEDIUM4", "S5.LARGE8"}),
                         Pick<std::string>({"0.5", "0.50", "0.6"}));
  }

  std::vector<RecordedInstance> MakeMembers(Mode mode) {
    const std::vector<std::string> cvm = {"RUNNING", "RUNNING",       "PENDING",
                                          "GONE",    "LAUNCH_FAILED", "TERMINATING"};
    const std::vector<std::string> batch = {"RUNNING",         "RUNNING",  "CREATING",
                                            "CREATION_FAILED", "DELETING", "GONE"};
    std::vector<RecordedInstance> members;
    for (int i = Int(0, 7); i > 0; --i) {
      const std::string n = std::to_string(next_id_++);
      members.push_back(mode == Mode::kBatch ? testing::Node("node-" + n, Pick(batch), Int(0, 100))
                                             : testing::Ins("ins-" + n, Pick(cvm), Int(0, 100)));
    }
    return members;
  }

  std::mt19937 random_;
  int next_id_ = 1000;
};

bool Live(const RecordedInstance& member, Mode mode) {
  static const std::set<std::string> kNotLive = {kGoneState, "TERMINATING", "DELETING"};
  if (kNotLive.count(member.state) > 0) return false;
  return !(mode == Mode::kCvm && member.state == "LAUNCH_FAILED");
}

std::string IdOf(const RecordedInstance& member, Mode mode) {
  return mode == Mode::kBatch ? member.node_id : member.id;
}

int RunningCount(const Pool& pool) {
  return static_cast<int>(std::count_if(pool.instances.begin(), pool.instances.end(),
                                        [](const auto& m) { return m.state == "RUNNING"; }));
}

int LiveCount(const Pool& pool) {
  return static_cast<int>(std::count_if(pool.instances.begin(), pool.instances.end(),
                                        [&](const auto& m) { return Live(m, pool.spec.mode); }));
}

// Executes a plan against an ideal cloud held in a StateSnapshot, checking each step's
// preconditions as it goes (the properties), and returns the state afterwards.
class IdealApply {
 public:
  // Applies `plan` to `state` in place (void, so gtest's ASSERT_* can stop it early).
  void Run(const Plan& plan, StateSnapshot& state) {
    for (const Change& change : plan.changes) {
      const std::string name = change.address.substr(4);
      std::set<std::string> confirmed_pools;  // pools whose count was set in this change
      std::set<std::string> new_pools;
      int last_new_capacity_step = -1;
      int first_release_of_old = -1;
      for (size_t i = 0; i < change.steps.size(); ++i) {
        const Step& step = change.steps[i];
        RecordedEnvironment& env = state.environments[name];
        env.name = name;
        auto pool = std::find_if(env.pools.begin(), env.pools.end(),
                                 [&](const Pool& p) { return p.id == step.pool_id; });
        if (pool != env.pools.end() && RetiresRunningCapacity(step, *pool)) {
          ExpectNewCapacityRunning(change, env, *pool);
        }
        switch (step.kind) {
          case StepKind::kCreatePool: {
            EXPECT_EQ(pool, env.pools.end()) << "pool created twice";
            Pool created;
            created.id = step.pool_id;
            created.spec = step.spec;
            created.expected_count = step.count;
            env.pools.push_back(created);
            if (env.applied.name.empty()) env.applied = step.spec;
            new_pools.insert(step.pool_id);
            last_new_capacity_step = static_cast<int>(i);
            break;
          }
          case StepKind::kLaunch:
          case StepKind::kWaitForCapacity: {
            ASSERT_NE(pool, env.pools.end());
            const int target =
                step.kind == StepKind::kLaunch ? LiveCount(*pool) + step.count : step.count;
            EXPECT_LE(target, pool->expected_count) << "launching beyond the expected count";
            if (step.kind == StepKind::kWaitForCapacity) {
              for (RecordedInstance& member : pool->instances) {  // what waiting is for
                if (Live(member, pool->spec.mode)) member.state = "RUNNING";
              }
            }
            while (LiveCount(*pool) < target) {
              const std::string n = std::to_string(next_id_++);
              pool->instances.push_back(pool->spec.mode == Mode::kBatch
                                            ? testing::Node("node-" + n, "RUNNING", 1000)
                                            : testing::Ins("ins-" + n, "RUNNING", 1000));
            }
            if (new_pools.count(step.pool_id) > 0) last_new_capacity_step = static_cast<int>(i);
            break;
          }
          case StepKind::kSetExpectedCount:
            ASSERT_NE(pool, env.pools.end());
            EXPECT_EQ(pool->expected_count, step.from);
            pool->expected_count = step.to;
            confirmed_pools.insert(step.pool_id);
            break;
          case StepKind::kRelease: {
            ASSERT_NE(pool, env.pools.end());
            // The ordering rule: lowered and confirmed first, to no more than what remains.
            EXPECT_TRUE(confirmed_pools.count(step.pool_id) > 0)
                << change.address << ": release before the count was set";
            EXPECT_LE(pool->expected_count, LiveCount(*pool) - static_cast<int>(step.ids.size()))
                << change.address << ": release would be refilled";
            EXPECT_FALSE(step.ids.empty());
            std::set<std::string> unique(step.ids.begin(), step.ids.end());
            EXPECT_EQ(unique.size(), step.ids.size()) << "an id released twice";
            for (const std::string& id : step.ids) {
              auto member =
                  std::find_if(pool->instances.begin(), pool->instances.end(),
                               [&](const auto& m) { return IdOf(m, pool->spec.mode) == id; });
              ASSERT_NE(member, pool->instances.end()) << id << " is not in the pool";
              EXPECT_TRUE(Live(*member, pool->spec.mode)) << id << " is not live";
              pool->instances.erase(member);
            }
            if (new_pools.count(step.pool_id) == 0 && first_release_of_old < 0) {
              first_release_of_old = static_cast<int>(i);
            }
            break;
          }
          case StepKind::kForget:
            ASSERT_NE(pool, env.pools.end());
            for (const std::string& id : step.ids) {
              std::erase_if(pool->instances,
                            [&](const auto& m) { return IdOf(m, pool->spec.mode) == id; });
            }
            break;
          case StepKind::kDeletePool:
            ASSERT_NE(pool, env.pools.end());
            if (pool->spec.mode == Mode::kBatch) {
              // Deleting a Batch environment ends its refilling and releases its nodes at
              // once, so it is a release of old capacity: never before the new one is up.
              if (LiveCount(*pool) > 0 && new_pools.count(step.pool_id) == 0 &&
                  first_release_of_old < 0) {
                first_release_of_old = static_cast<int>(i);
              }
            } else {
              EXPECT_EQ(pool->expected_count, 0) << "deleting a pool still expected to run";
              EXPECT_EQ(LiveCount(*pool), 0) << "deleting a pool with live members";
            }
            env.pools.erase(pool);
            break;
          case StepKind::kRecordSpec:
            env.applied = step.spec;
            break;
          case StepKind::kSetInstanceTypes:
            ASSERT_NE(pool, env.pools.end());
            EXPECT_EQ(pool->spec.mode, Mode::kBatch) << "in-place types outside batch mode";
            pool->spec.instance_types = step.spec.instance_types;
            break;
        }
      }
      if (first_release_of_old >= 0 && last_new_capacity_step >= 0) {
        EXPECT_LT(last_new_capacity_step, first_release_of_old)
            << change.address << ": old capacity released before the new one was up";
      }
      if (change.action == ChangeAction::kDelete) state.environments.erase(name);
    }
    ++state.serial;
  }

 private:
  // A step that takes running capacity away from a pool: a release, a Batch lowering (Batch
  // may remove nodes itself) or a Batch deletion.
  static bool RetiresRunningCapacity(const Step& step, const Pool& pool) {
    if (RunningCount(pool) == 0) return false;
    if (step.kind == StepKind::kRelease || step.kind == StepKind::kDeletePool) return true;
    return step.kind == StepKind::kSetExpectedCount && pool.spec.mode == Mode::kBatch &&
           step.to < step.from;
  }

  // New capacity first, across applies too: when `old` is of another shape than the declared
  // one, the declared shape's pool must already run its whole count.
  static void ExpectNewCapacityRunning(const Change& change, const RecordedEnvironment& env,
                                       const Pool& old) {
    if (!change.after.has_value() || SameCapacityShape(old.spec, *change.after)) return;
    for (const Pool& pool : env.pools) {
      if (pool.id == old.id || !SameCapacityShape(pool.spec, *change.after)) continue;
      EXPECT_GE(RunningCount(pool), change.after->desired_count)
          << change.address << ": pool " << old.id << " retired while the new pool " << pool.id
          << " runs only " << RunningCount(pool) << " of " << change.after->desired_count;
    }
  }

  int next_id_ = 900000;
};

// Runs `check` on the generated config and state of seeds 1 to 3000, up to the first failure.
void ForEachSeed(const std::function<void(const Config&, const StateSnapshot&)>& check) {
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Generator generator(seed);
    const Config config = generator.MakeConfig();
    check(config, generator.MakeState(config));
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(PlannerProperty, EveryPlanObeysTheOrderingRuleAndConverges) {
  ForEachSeed([](const Config& config, const StateSnapshot& state) {
    const Plan plan = MakePlan(config, state, {});
    StateSnapshot after = state;
    IdealApply().Run(plan, after);
    const Plan again = MakePlan(config, after, {});
    for (const Change& change : again.changes) {
      EXPECT_EQ(change.action, ChangeAction::kNoOp)
          << change.address << " still changes after apply: " << change.steps.size()
          << " steps, first " << StepKindName(change.steps.front().kind);
    }
  });
}

TEST(PlannerProperty, DestroyLeavesNothingAndObeysTheOrderingRule) {
  ForEachSeed([](const Config& config, const StateSnapshot& state) {
    StateSnapshot after = state;
    IdealApply().Run(
        MakePlan(config, state, PlanOptions{.destroy = true, .targets = {}, .spot_prices = {}}),
        after);
    EXPECT_TRUE(after.environments.empty());
  });
}

}  // namespace
}  // namespace spotform
