#pragma once

#include <string>

#include "engine/model/cloud.h"

namespace spotform {

// Turns a launch refused for price or stock (ErrorKind::kCapacity) into a message a user can
// act on: the code, the zone and type, the bid and the market price (asked from the cloud's
// spot price query), and what to change:
//   env.render: launch failed: InvalidParameterValue.InsufficientPrice: bid 0.05 < market
//   0.12 for S5.MEDIUM4 in ap-guangzhou-3; raise max_price to at least 0.12 or choose another
//   zone or instance type
// Other errors are returned as "ADDRESS: launch failed: CODE: message".
Error ExplainLaunchFailure(Cloud& cloud, const std::string& address, const LaunchSpec& spec,
                           const Error& error);

}  // namespace spotform
