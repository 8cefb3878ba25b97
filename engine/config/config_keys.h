#pragma once

#include <array>
#include <string_view>

namespace spotform {

// The keys spotform.yaml may hold (spec §3), in the order the schema and messages list them.
// The parser rejects any other key; the JSON Schema names exactly these.
inline constexpr std::array<std::string_view, 3> kTopLevelKeys = {"provider", "state",
                                                                  "environments"};
inline constexpr std::array<std::string_view, 3> kProviderKeys = {"region", "endpoint", "profile"};
inline constexpr std::array<std::string_view, 4> kStateKeys = {"backend", "path", "url",
                                                               "workspace"};
inline constexpr std::array<std::string_view, 10> kEnvironmentKeys = {
    "mode",       "zone",     "zones",     "instance_type", "instance_types",
    "allocation", "image_id", "max_price", "desired_count", "tags"};
// Every environment must set these, and one of `zone`/`zones` and of
// `instance_type`/`instance_types` (engine/config/config_candidates.h).
inline constexpr std::array<std::string_view, 4> kEnvironmentRequiredKeys = {
    "mode", "image_id", "max_price", "desired_count"};

// Defaults of the optional settings.
inline constexpr std::string_view kDefaultStatePath = ".spotform/state.db";
inline constexpr std::string_view kDefaultBackend = "sqlite";
inline constexpr std::string_view kDefaultWorkspace = "default";
// Where the region comes from when the file does not set it.
inline constexpr std::string_view kRegionVariable = "TENCENTCLOUD_REGION";
// Where the postgres backend's URL comes from when the file does not set state.url; unlike
// the file, it may hold the password.
inline constexpr std::string_view kPostgresUrlVariable = "SPOTFORM_PG_URL";

}  // namespace spotform
