#pragma once

#include <string>
#include <utility>

#include "engine/model/error.h"

namespace spotform::sim {

// An error the emulator answers with: `code` is the Tencent Cloud API error code that goes into
// Response.Error.Code, `message` its Message. The kind is irrelevant on the server side.
inline Error ApiFailure(std::string code, std::string message) {
  return Error(ErrorKind::kInvalidInput, std::move(message), std::move(code));
}

}  // namespace spotform::sim
