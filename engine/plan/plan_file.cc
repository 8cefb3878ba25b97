#include "engine/plan/plan_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "engine/model/crypto.h"
#include "engine/plan/plan_basis.h"
#include "engine/plan/plan_codec.h"

namespace spotform {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kChecksumPrefix[] = "sha256:";

// The exact text the checksum covers: the plan object, compact. Re-serializing a parsed
// file gives the same text, so the check needs no copy of the original bytes.
std::string CanonicalText(const Json& plan) {
  return plan.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Checksum(const Json& plan) { return kChecksumPrefix + Sha256Hex(CanonicalText(plan)); }

Error IoError(const std::string& path, const std::string& doing, int error_number) {
  return Error(ErrorKind::kInvalidInput, path + ": cannot " + doing + " the plan file: " +
                                             std::generic_category().message(error_number));
}

Error Invalid(const std::string& path, const std::string& problem) {
  return Error(ErrorKind::kInvalidInput, path + ": " + problem);
}

// An open file descriptor, closed when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { Close(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes now; returns 0 or errno.
  int Close() {
    if (fd_ < 0) return 0;
    const int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// A temporary file's name, removed when it goes out of scope unless Keep() was called
// (after it was renamed into place).
class TempFileName {
 public:
  explicit TempFileName(std::string name) : name_(std::move(name)) {}
  TempFileName(const TempFileName&) = delete;
  TempFileName& operator=(const TempFileName&) = delete;
  ~TempFileName() {
    if (!kept_) ::unlink(name_.c_str());
  }
  void Keep() { kept_ = true; }

 private:
  std::string name_;
  bool kept_ = false;
};

// Writes all of `data`; returns 0 or errno.
int WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    done += static_cast<size_t>(n);
  }
  return 0;
}

// Reads the whole file; returns 0 or errno.
int ReadAll(const std::string& path, std::string& out) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return errno;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return 0;
    out.append(buffer, static_cast<size_t>(n));
  }
}

// Flushes the folder's entry for a renamed file; best effort (some file systems refuse).
void SyncFolder(const std::string& folder) {
  FileDescriptor fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) ::fsync(fd.get());
}

// Follows nlohmann's parser through the document (as its parser callback) to say where it
// is, as a path like `plan.changes[0].after.desired_count`: a number too large for a double
// (out_of_range 406, e.g. 7e908) is thrown without a position, and the path names its field.
// It also cuts the document at kMaxDepth levels (a plan has 8), so a file of a million
// brackets cannot overflow the stack of the checksum's recursive dump.
class ParsePath {
 public:
  static constexpr int kMaxDepth = 64;

  bool too_deep() const { return too_deep_; }

  // The callback: records the event; false (discard) once the document is too deep.
  bool Follow(int depth, Json::parse_event_t event, const Json& parsed) {
    if (too_deep_) return false;
    using Event = Json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (depth >= kMaxDepth) {
          too_deep_ = true;
          return false;
        }
        levels_.push_back(Level{event == Event::array_start, "", 0});
        break;
      case Event::key:
        levels_.back().key = parsed.get<std::string>();
        break;
      case Event::object_end:
      case Event::array_end:
        levels_.pop_back();
        Advance();
        break;
      case Event::value:
        Advance();
        break;
    }
    return true;
  }

  // "plan.changes[0].count: " where the parser is; "" at the top of the document.
  std::string Prefix() const {
    std::string path;
    for (const Level& level : levels_) {
      if (level.array) {
        path += "[" + std::to_string(level.index) + "]";
      } else if (!level.key.empty()) {
        path += (path.empty() ? "" : ".") + level.key;
      }
    }
    return path.empty() ? path : path + ": ";
  }

 private:
  struct Level {
    bool array;
    std::string key;  // objects: the member being read
    size_t index;     // arrays: the element being read
  };

  // One value of the innermost container is done.
  void Advance() {
    if (!levels_.empty() && levels_.back().array) ++levels_.back().index;
  }

  std::vector<Level> levels_;
  bool too_deep_ = false;
};

// Parses the file's text; library exceptions stop here.
Result<Json> ParseJson(const std::string& path, const std::string& text) {
  ParsePath where;
  try {
    Json parsed = Json::parse(text, [&where](int depth, Json::parse_event_t event, Json& value) {
      return where.Follow(depth, event, value);
    });
    if (where.too_deep()) {
      return Invalid(path, "the plan file is corrupt: its JSON nests more than " +
                               std::to_string(ParsePath::kMaxDepth) + " levels deep");
    }
    return parsed;
  } catch (const nlohmann::json::parse_error& error) {
    if (error.byte >= text.size()) {
      return Invalid(path, "the plan file is truncated (its JSON ends early, at byte " +
                               std::to_string(text.size()) + ")");
    }
    return Invalid(path,
                   "the plan file is corrupt: invalid JSON at byte " + std::to_string(error.byte));
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double's range
    return Invalid(path, "the plan file is corrupt: " + where.Prefix() + "number out of range");
  }
}

std::string OrNone(const std::string& lineage) { return lineage.empty() ? "none" : lineage; }

}  // namespace

Status WritePlanFile(const std::string& path, const Plan& plan) {
  const Json body = EncodePlan(plan);
  const Json document{{"spotform_plan", kPlanFileFormat},
                      {"created_by", kPlanFileCreatedBy},
                      {"checksum", Checksum(body)},
                      {"plan", body}};
  const std::string text =
      document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  const std::filesystem::path target(path);
  const std::string folder =
      target.has_parent_path() ? target.parent_path().string() : std::string(".");
  std::string temp_name = folder + "/." + target.filename().string() + ".tmp-XXXXXX";
  FileDescriptor fd(::mkstemp(temp_name.data()));
  if (!fd.valid()) return IoError(path, "write", errno);
  TempFileName temp(temp_name);
  if (::fchmod(fd.get(), 0600) != 0) return IoError(path, "write", errno);
  if (int error = WriteAll(fd.get(), text); error != 0) return IoError(path, "write", error);
  if (::fsync(fd.get()) != 0) return IoError(path, "write", errno);
  if (int error = fd.Close(); error != 0) return IoError(path, "write", error);
  if (::rename(temp_name.c_str(), path.c_str()) != 0) return IoError(path, "write", errno);
  temp.Keep();
  SyncFolder(folder);
  return Status::Ok();
}

Result<Plan> ReadPlanFile(const std::string& path) {
  std::string text;
  if (int error = ReadAll(path, text); error != 0) {
    if (error == ENOENT) return Error(ErrorKind::kNotFound, path + ": no such plan file");
    return IoError(path, "read", error);
  }
  return ParsePlanFile(path, text);
}

Result<Plan> ParsePlanFile(const std::string& path, const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return Invalid(path, "not a spotform plan file (it is empty)");
  if (text[first] != '{') return Invalid(path, "not a spotform plan file");
  Result<Json> parsed = ParseJson(path, text);
  if (!parsed.ok()) return parsed.error();
  const Json& document = *parsed;
  if (!document.is_object() || !document.contains("spotform_plan")) {
    return Invalid(path, "not a spotform plan file");
  }
  const Json& format = document["spotform_plan"];
  if (!format.is_number_integer()) {
    return Invalid(path, "invalid plan file: spotform_plan: expected an integer");
  }
  if (format.is_number_unsigned() ? format.get<uint64_t>() > kPlanFileFormat
                                  : format.get<int64_t>() > kPlanFileFormat) {
    std::string maker;
    if (auto it = document.find("created_by"); it != document.end() && it->is_string()) {
      maker = " by " + it->get<std::string>();
    }
    return Invalid(path, "made by a newer spotform (plan format " + format.dump() + maker +
                             "); this spotform reads format " + std::to_string(kPlanFileFormat) +
                             ": upgrade spotform, or run `spotform plan` again");
  }
  if (format.get<int64_t>() < 1) {
    return Invalid(path, "invalid plan file: spotform_plan: unknown format " + format.dump());
  }
  auto checksum = document.find("checksum");
  if (checksum == document.end() || !checksum->is_string()) {
    return Invalid(path, "invalid plan file: checksum: expected a string");
  }
  auto body = document.find("plan");
  if (body == document.end() || !body->is_object()) {
    return Invalid(path, "invalid plan file: plan: expected an object");
  }
  if (!ConstantTimeEquals(checksum->get<std::string>(), Checksum(*body))) {
    return Invalid(path,
                   "the plan file was altered (checksum mismatch): run `spotform plan` again");
  }
  Result<Plan> plan = DecodePlan(*body);
  if (!plan.ok()) return Invalid(path, "invalid plan file: plan." + plan.error().message());
  return plan;
}

Status CheckPlanIsCurrent(const Plan& plan, const StateSnapshot& state, const Config& config) {
  // A state never written has no content yet and no lasting lineage (it gets one when first
  // written), so a plan made from one fits any other that is still unwritten.
  const bool both_unwritten = plan.serial == 0 && state.serial == 0;
  if (plan.lineage != state.lineage && !both_unwritten) {
    return Error(ErrorKind::kConflict, "the plan was made for a different state (lineage " +
                                           OrNone(plan.lineage) + ", this state is " +
                                           OrNone(state.lineage) + ")");
  }
  if (plan.basis) return CheckPlanBasis(*plan.basis, state, config);
  // A plan file made before plans had a basis: any write or config change makes it stale.
  if (plan.serial != state.serial) {
    return Error(ErrorKind::kConflict, "the state changed since the plan was made (serial " +
                                           std::to_string(plan.serial) + ", now " +
                                           std::to_string(state.serial) +
                                           "): run `spotform plan` again");
  }
  if (plan.config_digest != config.digest) {
    return Error(ErrorKind::kConflict,
                 "spotform.yaml changed since the plan was made: run `spotform plan` again");
  }
  return Status::Ok();
}

}  // namespace spotform
