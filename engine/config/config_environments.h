#pragma once

// Reading the `environments:` section of spotform.yaml. Internal to the config parser.

#include <map>
#include <string>

#include "engine/config/config_yaml.h"
#include "engine/model/environment_spec.h"

namespace spotform {

// Reads every environment of `field` (the `environments` key), reporting each problem to
// `sink`. `region` is the provider's region, or "" when unknown or invalid (zones are then
// checked for shape only). The result is complete only when nothing was reported.
std::map<std::string, EnvironmentSpec> ReadEnvironments(const YamlField& field,
                                                        const std::string& region,
                                                        DiagnosticSink& sink);

}  // namespace spotform
