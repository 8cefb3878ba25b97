#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cmd/cli_context.h"
#include "engine/model/cloud.h"
#include "engine/config/config.h"
#include "engine/model/state_store.h"

namespace spotform {

class ClientStack;

// Reads and validates the config named by --config, printing every diagnostic to stderr.
// nullopt when it has errors.
std::optional<Config> LoadConfigOrReport(CommandContext& context);

// Opens the state store the config names: its SQLite file or PostgreSQL workspace.
Result<std::unique_ptr<StateStore>> OpenStateStore(const Config& config, Clock& clock);

// What a command that reads the state works on: the config (which says where the state is)
// and the state store it names. Owns both.
struct StateWorkspace {
  Config config;
  std::unique_ptr<StateStore> store;
};

// Loads the config and opens its state, printing what went wrong (nullopt then).
std::optional<StateWorkspace> OpenStateWorkspace(CommandContext& context);

// The cloud a command talks to: the client stack (credentials, signing, retries, rate
// limits) and the typed operations over it. Owns both; one per process.
class CloudConnection {
 public:
  // Looks up credentials (environment, then the tccli profile) and wires the stack for the
  // config's region and endpoint. With --verbose every request is logged, redacted.
  static Result<std::unique_ptr<CloudConnection>> Open(const Config& config,
                                                       CommandContext& context);
  CloudConnection() = default;  // empty; use Open
  ~CloudConnection();

  Cloud& cloud() { return *cloud_; }

 private:
  std::unique_ptr<ClientStack> client_;
  std::unique_ptr<Cloud> cloud_;
};

}  // namespace spotform
