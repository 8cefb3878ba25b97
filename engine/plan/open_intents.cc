#include "engine/plan/open_intents.h"

#include <cstddef>

#include "engine/model/words.h"

namespace spotform {

Status CheckNoOpenIntents(const StateSnapshot& state, const std::string& environment) {
  size_t open = 0;
  for (const JournalEntry& entry : state.open_intents) {
    if (entry.environment == environment) ++open;
  }
  if (open == 0) return Status::Ok();
  return Error(ErrorKind::kConflict,
               "env." + environment + " has " +
                   Plural(open, "unfinished operation", "unfinished operations") +
                   " that an interrupted run left in the journal; run `spotform apply` to "
                   "settle " +
                   (open == 1 ? "it" : "them") + " first, then edit the state");
}

}  // namespace spotform
