#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/apply/step_context.h"
#include "engine/model/cloud_types.h"
#include "engine/model/result.h"
#include "engine/model/state_edit.h"
#include "engine/model/state_store.h"

namespace spotform {

// Intent kinds the executor writes to the state's journal (JournalEntry::kind).
inline constexpr char kIntentLaunch[] = "launch";
inline constexpr char kIntentRelease[] = "release";
inline constexpr char kIntentSetCount[] = "set_count";
inline constexpr char kIntentCreateEnv[] = "create_env";
inline constexpr char kIntentDeleteEnv[] = "delete_env";

// A fresh random ClientToken ("sf-" and 32 hex digits, within kMaxClientTokenLength).
std::string NewClientToken();

// The payload of a launch intent: everything needed to replay the call with its token
// (the token itself lives in JournalEntry::client_token).
std::string EncodeLaunchPayload(const LaunchSpec& spec);
Result<LaunchSpec> DecodeLaunchPayload(const JournalEntry& entry);

// The payload of a create_env intent.
std::string EncodeCreateEnvPayload(const ComputeEnvSpec& spec);
Result<ComputeEnvSpec> DecodeCreateEnvPayload(const JournalEntry& entry);

// The payload of release, set_count and delete_env intents.
struct IntentTarget {
  std::string env_id;            // batch: the compute environment; cvm: ""
  std::vector<std::string> ids;  // release: instance ids (cvm) or node ids (batch)
  int to = 0;                    // set_count: the desired count being set
};
std::string EncodeTargetPayload(const IntentTarget& target);
Result<IntentTarget> DecodeTargetPayload(const JournalEntry& entry);

// A new intent of `kind` (one of the kIntent names) on pool `pool_id` of the context's
// environment, started now on the context's clock and carrying `payload`. Launches and
// environment creations also set its client_token.
JournalEntry NewIntent(const StepContext& context, const std::string& pool_id, const char* kind,
                       std::string payload);

// Commits `entry` (plus `with`, in the same transaction) before a cloud call and returns the
// intent's id.
Result<int64_t> OpenIntent(StateStore& store, JournalEntry entry, StateEdit with = {});

// Records a call's result (`with`) and closes intent `id` in one transaction.
Status CloseIntent(StateStore& store, int64_t id, StateEdit with = {});

}  // namespace spotform
