#include "cmd/workspace.h"

#include <iostream>

#include "cmd/command_options.h"
#include "engine/model/words.h"
#include "providers/tencent/client_factory.h"
#include "providers/tencent/credentials.h"
#include "providers/tencent/tencent_cloud.h"
#include "state/open_state_store.h"

namespace spotform {

std::optional<Config> LoadConfigOrReport(CommandContext& context) {
  ConfigParseResult parsed = LoadConfigFile(context.global.config_path, context.env);
  if (!parsed.config && parsed.diagnostics.size() == 1 && parsed.diagnostics[0].line == 0) {
    Fail(context, parsed.diagnostics[0].ToString());  // missing or unreadable: one line
    return std::nullopt;
  }
  for (const Diagnostic& diagnostic : parsed.diagnostics) {
    context.err << diagnostic.ToString() << "\n";
  }
  if (!parsed.config) {
    context.err << "spotform: " << context.global.config_path << " has "
                << Plural(parsed.diagnostics.size(), "error", "errors") << "\n";
    return std::nullopt;
  }
  return std::move(parsed.config);
}

Result<std::unique_ptr<StateStore>> OpenStateStore(const Config& config, Clock& clock) {
  return OpenStateStore(config.state, clock);
}

std::optional<StateWorkspace> OpenStateWorkspace(CommandContext& context) {
  std::optional<Config> config = LoadConfigOrReport(context);
  if (!config) return std::nullopt;
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(*config, context.clock);
  if (!store.ok()) {
    Fail(context, store.error().ToString());
    return std::nullopt;
  }
  return StateWorkspace{std::move(*config), std::move(store.value())};
}

CloudConnection::~CloudConnection() = default;

Result<std::unique_ptr<CloudConnection>> CloudConnection::Open(const Config& config,
                                                               CommandContext& context) {
  Result<CredentialLookup> credentials =
      LookupCredentials(ProcessCredentialSources(config.provider.profile));
  if (!credentials.ok()) return credentials.error();

  ClientOptions options;
  options.endpoint = config.provider.endpoint;
  if (context.global.verbose) {
    std::ostream* err = &context.err;
    options.verbose_sink = [err](std::string_view line) { *err << line << "\n"; };
  }
  Result<std::unique_ptr<ClientStack>> client =
      ClientStack::Create(options, credentials->credentials, context.clock);
  if (!client.ok()) return client.error();

  auto connection = std::make_unique<CloudConnection>();
  connection->client_ = std::move(client.value());
  TencentCloudOptions cloud_options;
  cloud_options.region = config.provider.region;
  connection->cloud_ = std::make_unique<TencentCloud>(*connection->client_, cloud_options);
  return connection;
}

}  // namespace spotform
