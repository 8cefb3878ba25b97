#include "cmd/signals.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace spotform {
namespace {

// A signal handler can only reach process-wide storage; lock-free atomics are
// async-signal-safe.
std::atomic<int> signals_seen{0};
struct sigaction previous_int;
struct sigaction previous_term;

constexpr char kStopping[] =
    "\nspotform: stopping after the calls in flight... (interrupt again to exit at once; the "
    "next apply finishes what is left)\n";

void OnSignal(int) {
  if (signals_seen.fetch_add(1) > 0) _exit(130);
  // write(2) is async-signal-safe; iostreams are not.
  ssize_t ignored = write(STDERR_FILENO, kStopping, sizeof(kStopping) - 1);
  (void)ignored;
}

}  // namespace

SignalStop::SignalStop() {
  signals_seen = 0;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

SignalStop::~SignalStop() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

bool SignalStop::StopRequested() const { return signals_seen.load() > 0; }

}  // namespace spotform
