#pragma once

// OpenSSL's RAND_bytes, behind RandomHex (spotform-sim's request ids, lineages, lock ids,
// client tokens, retry jitter), made a fixed sequence that restarts with every input: an
// input then does the same thing whenever it runs, so libFuzzer's coverage feedback does not
// depend on chance and the fuzz gate (fixed seed, fixed runs) gives the same result on every
// run. Ids stay distinct within one input. For the fuzz targets only.
#define OPENSSL_SUPPRESS_DEPRECATED  // RAND_set_rand_method: the one way to replace RAND_bytes
#include <openssl/rand.h>

#include <cstdint>
#include <cstdlib>

namespace spotform::fuzz {

inline uint64_t& FixedRandomState() {
  static uint64_t state = 0;
  return state;
}

// A 64-bit linear congruential generator (Knuth's MMIX constants), one byte per step.
inline int FixedRandomBytes(unsigned char* out, int count) {
  uint64_t& state = FixedRandomState();
  for (int i = 0; i < count; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    out[i] = static_cast<unsigned char>(state >> 56);
  }
  return 1;
}

inline int FixedRandomStatus() { return 1; }

// Call first in LLVMFuzzerTestOneInput: installs the method once, restarts the sequence.
inline void RestartFixedRandom() {
  static const RAND_METHOD kMethod = {nullptr, FixedRandomBytes, nullptr,
                                      nullptr, FixedRandomBytes, FixedRandomStatus};
  static const bool installed = RAND_set_rand_method(&kMethod) == 1;
  if (!installed) std::abort();
  FixedRandomState() = 0x5eed;
}

}  // namespace spotform::fuzz
