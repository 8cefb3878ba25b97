#pragma once

#include <string>

#include "engine/model/state_snapshot.h"
#include "engine/apply/step_context.h"

namespace spotform {

// Finishes one intent an interrupted run left open in the journal, then closes it:
//  - launch: replays LaunchSpotInstances with the recorded ClientToken and spec (the cloud
//    returns the same ids if it had processed it) and records the ids; if the pool is gone
//    the instances are terminated instead (once they have left PENDING);
//  - release: describes and terminates what still runs (the count was lowered before the
//    intent was written), drops the ids from state;
//  - set_count: sets the desired count again and confirms it, records it;
//  - create_env: replays CreateComputeEnv with the token and records the env id;
//  - delete_env: deletes again (already gone is fine), confirms, drops the pool.
// `context.environment` must be entry.environment. Reports what it did via progress.Note.
// An outcome that is still unknown (transport trouble) leaves the intent open and fails.
Status SettleIntent(StepContext& context, const JournalEntry& entry);

}  // namespace spotform
