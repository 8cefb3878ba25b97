#pragma once

#include <string>

#include "engine/plan/plan.h"

namespace spotform {

// One line, for people, saying what a plan step does and why, e.g.
//   "lower expected count 6 -> 4 (desired 6 -> 4)"
//   "launch 2 spot instances S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h (desired 4)"
//   "forget ins-ccc (1 instance gone: reclaimed by the spot market ...)"
// The step's reason follows in parentheses. For kinds whose line is built entirely from the
// step's fields (create_pool, wait_for_capacity) the reason, which only restates the action,
// is left out; for delete_pool and record_spec the reason is the line (it names the Batch
// environment, which the step itself does not carry). Id lists are shortened (ShortList).
// Used by the plan renderer and by apply's progress output.
std::string DescribeStep(const Step& step);

// What a step that just finished achieved, for apply's progress: "capacity recorded
// (expected count 6)", "8 instances running", "expected count lowered to 4", "2 instances
// released", "configuration recorded". Printed after the address ("env.render: ...").
std::string DescribeStepDone(const Step& step);

// A step's action in a few words, for "env.render: release failed: ...": "add capacity",
// "launch", "wait for capacity", "set the expected count", "release", ...
std::string DescribeStepAction(const Step& step);

// "S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h"
std::string DescribeShape(const EnvironmentSpec& spec);

}  // namespace spotform
