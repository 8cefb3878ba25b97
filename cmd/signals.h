#pragma once

#include "engine/apply/progress.h"

namespace spotform {

// SignalStop is apply's and destroy's answer to SIGINT and SIGTERM. While an object lives,
// the first signal sets the stop flag (the executor then starts nothing new and finishes the
// calls in flight) and prints "stopping after the calls in flight..." to stderr; a second
// signal exits at once with _exit(130). That is safe: every state write is a transaction and
// the journal covers the calls in flight, so the next apply settles them. The destructor
// restores the previous handlers. At most one object at a time (signal dispositions belong
// to the process; the flag a handler can touch is necessarily file-static).
class SignalStop final : public StopSignal {
 public:
  SignalStop();
  ~SignalStop() override;
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

  bool StopRequested() const override;
};

}  // namespace spotform
