#include "engine/import/import_request.h"

#include <string_view>

#include "engine/model/did_you_mean.h"

namespace spotform {
namespace {

bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

// The environment `address` names in the config, or an error with a did-you-mean hint.
Result<EnvironmentSpec> DeclaredEnvironment(const Config& config, const std::string& address) {
  if (!StartsWith(address, "env.")) {
    return Error(ErrorKind::kInvalidInput,
                 "import: `" + address + "` is not an address; give env.NAME first, then ids");
  }
  const std::string name = address.substr(4);
  auto it = config.environments.find(name);
  if (it != config.environments.end()) return it->second;
  std::vector<std::string_view> names;
  for (const auto& [declared, spec] : config.environments) names.push_back(declared);
  std::optional<std::string> closest = ClosestName(name, names);
  return Error(ErrorKind::kInvalidInput,
               "import: " + address + " is not declared in " + config.file +
                   (closest ? "; did you mean env." + *closest + "?"
                            : "; declare it there first (import adopts into a declared "
                              "environment), or use --discover"));
}

}  // namespace

Result<ImportRequest> ParseImportRequest(const Config& config, const std::string& address,
                                         const std::vector<std::string>& ids) {
  Result<EnvironmentSpec> spec = DeclaredEnvironment(config, address);
  if (!spec.ok()) return spec.error();
  if (ids.empty()) {
    return Error(ErrorKind::kInvalidInput,
                 "import " + address +
                     ": give the ins-... instance ids or the env-... Batch compute environment "
                     "id to adopt");
  }
  ImportRequest request;
  request.spec = std::move(spec.value());
  request.ids = ids;
  request.batch = request.ids.size() == 1 && StartsWith(request.ids.front(), "env-");
  if (request.batch) return request;
  for (const std::string& id : request.ids) {
    if (!StartsWith(id, "ins-")) {
      return Error(ErrorKind::kInvalidInput,
                   "import " + address + ": `" + id +
                       "` is not an instance id (ins-...); a Batch compute environment "
                       "(env-...) is imported alone");
    }
  }
  return request;
}

Result<DiscoveryFilter> ParseDiscoveryFilter(const std::vector<std::string>& tags,
                                             const std::string& zone) {
  DiscoveryFilter filter;
  filter.zone = zone;
  for (const std::string& tag : tags) {
    const size_t equals = tag.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Error(ErrorKind::kInvalidInput,
                   "--tag " + tag + ": write KEY=VALUE, e.g. --tag team=vfx");
    }
    filter.tags[tag.substr(0, equals)] = tag.substr(equals + 1);
  }
  return filter;
}

}  // namespace spotform
