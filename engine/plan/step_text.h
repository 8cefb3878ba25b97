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
// environment, which the step itself does not carry). Used by the plan renderer and by
// apply's progress output.
std::string DescribeStep(const Step& step);

// "S5.MEDIUM4 in ap-guangzhou-3 at max 0.60/h"
std::string DescribeShape(const EnvironmentSpec& spec);

}  // namespace spotform
