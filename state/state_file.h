#pragma once

#include <string>

#include "engine/model/result.h"

namespace spotform {

// What is at a state file's path before SQLite is let near it.
enum class StateFileKind {
  kMissing,  // nothing there yet: the state is empty until its first write
  kEmpty,    // a zero-length file (e.g. a first write that died before its commit)
  kSqlite,   // starts with SQLite's header; whether it is ours is for the schema to say
};

// Looks at `path` without changing it. A directory, a special file, an unreadable file or a
// file that is not an SQLite database is an error naming the file (kInvalidInput).
Result<StateFileKind> InspectStateFile(const std::string& path);

// Creates `path` (mode 0600) and its missing parent folders (mode 0700), whatever the umask.
// An existing file is left as it is, except that a zero-length one is set to mode 0600.
Status CreateStateFile(const std::string& path);

}  // namespace spotform
