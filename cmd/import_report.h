#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cmd/cli_context.h"
#include "engine/model/error.h"

namespace spotform {

// Where `spotform import` writes what it has to say; the words are engine/import/import_text.h's.

// Writes each line to `out`, ending it.
void PrintLines(std::ostream& out, const std::vector<std::string>& lines);

// Writes each note (a warning) to `err` as "note: ...".
void PrintNotes(std::ostream& err, const std::vector<std::string>& notes);

// Writes `error`, one problem per line, each as "spotform: ...", then says that nothing was
// imported. Returns kExitError.
int FailImport(CommandContext& context, const Error& error);

}  // namespace spotform
