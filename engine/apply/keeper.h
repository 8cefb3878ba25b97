#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/model/error.h"
#include "engine/plan/plan.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// What the keeper (`spotform watch`) decided for one cvm pool in one round.
struct KeeperPoolRound {
  std::string environment;  // "render"
  std::string pool_id;
  EnvironmentSpec spec;             // the pool's recorded spec: replacements are launched with it
  int expected = 0;                 // the expected count recorded in state (never the config's)
  int live = 0;                     // PENDING or RUNNING
  int leaving = 0;                  // TERMINATING: reclaimed, on their way out
  std::vector<std::string> gone;    // the cloud no longer reports them
  std::vector<std::string> failed;  // LAUNCH_FAILED (the cloud removes them)
  int launch = 0;                   // expected - live, never negative

  std::string Address() const { return "env." + environment; }
};

// An environment the keeper leaves alone this round, and why.
struct KeeperSkip {
  std::string address;
  std::string reason;
};

// One round's decisions: every kept cvm pool (full ones too), in address order, and what
// was skipped.
struct KeeperPlan {
  std::vector<KeeperPoolRound> pools;
  std::vector<KeeperSkip> skipped;
};

// The keeper's decision, a pure function of the refreshed state. For each cvm pool it
// replaces what was lost up to the *recorded* expected count: launch = expected - live,
// never negative. It never releases anything (live above expected is an apply's business)
// and never reads the config, so an edited but unapplied config changes nothing. Skipped:
// batch environments (Batch Compute refills its own nodes), environments with more than one
// pool (a replacement an apply has not finished: the pools being retired must not be
// refilled), and environments with an open journal intent (an interrupted operation that
// could not be settled).
KeeperPlan PlanKeeperRound(const StateSnapshot& refreshed);

// The round as a plan for the Executor, so launches get its crash safety (journaled
// ClientTokens, owner tags, the wait for RUNNING): per pool with something to do, a kForget
// of the gone and failed instances, then a kLaunch of `launch` instances, except for pools in
// `hold` (backing off after a refusal), which only get the kForget. Pools with nothing to do
// have no change. Each change is a kUpdate of the recorded environment.
Plan KeeperRoundPlan(const StateSnapshot& refreshed, const KeeperPlan& keeper,
                     const std::set<std::string>& hold);

// Why a pool gets replacements, for the log: "2 instances reclaimed; launching 2 (expected 4,
// 2 live)".
std::string DescribeKeeperLaunch(const KeeperPoolRound& pool);

// A launch refused for stock or price (ErrorKind::kCapacity), in one line without the
// address: "no spot stock of S5.MEDIUM4 in ap-guangzhou-3
// (InvalidParameterValue.InsufficientOffering)" or "bid 0.05 is below the spot price of
// S5.MEDIUM4 in ap-guangzhou-3 (InvalidParameterValue.InsufficientPrice)".
std::string DescribeCapacityRefusal(const KeeperPoolRound& pool, const Error& error);

}  // namespace spotform
