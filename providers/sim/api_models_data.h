#pragma once

#include <string_view>

namespace spotform::sim {

// The text of providers/sim/api_models.json (the official SDK's request models for every
// action spotform-sim serves), compiled into the library at configure time.
std::string_view EmbeddedApiModelsJson();

}  // namespace spotform::sim
