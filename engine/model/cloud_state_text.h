#pragma once

#include <string>

#include "engine/model/cloud_types.h"

namespace spotform {

// The cloud's own words for what the engine observed, as recorded in state and shown to
// people: the reply's text when it had one, else the word for the reduced state.
std::string InstanceStateText(const ObservedInstance& instance);  // "PENDING", "RUNNING", ...
std::string NodeStateText(const ComputeNode& node);               // "CREATING", "RUNNING", ...
std::string ChargeTypeText(ChargeType type);                      // "SPOTPAID", ...

}  // namespace spotform
