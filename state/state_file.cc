#include "state/state_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

namespace spotform {
namespace {

constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};

Error FileError(const std::string& path, const std::string& what, int error_number) {
  return Error(ErrorKind::kInvalidInput, "state file " + path + " " + what + ": " +
                                             std::generic_category().message(error_number));
}

// Closes a file descriptor when it goes out of scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Status CreateFolders(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> missing;
  for (std::filesystem::path at = folder; !at.empty(); at = at.parent_path()) {
    struct stat info;
    if (::stat(at.c_str(), &info) == 0) break;
    missing.push_back(at);
    if (at == at.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0) {
      if (errno == EEXIST) continue;  // made by a concurrent spotform
      return Error(ErrorKind::kInvalidInput,
                   "state folder " + it->string() +
                       " cannot be created: " + std::generic_category().message(errno));
    }
    if (::chmod(it->c_str(), 0700) != 0) {
      return Error(ErrorKind::kInvalidInput,
                   "state folder " + it->string() +
                       " cannot be made private: " + std::generic_category().message(errno));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<StateFileKind> InspectStateFile(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return StateFileKind::kMissing;
    return FileError(path, "cannot be read", errno);
  }
  if (S_ISDIR(info.st_mode)) {
    return Error(ErrorKind::kInvalidInput,
                 "state file " + path + " is a directory; give the path of a file");
  }
  if (!S_ISREG(info.st_mode)) {
    return Error(ErrorKind::kInvalidInput,
                 "state file " + path + " is not a regular file; refusing to use it");
  }
  FdCloser fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return FileError(path, "cannot be read", errno);
  char header[kSqliteHeader.size()];
  size_t got = 0;
  while (got < sizeof(header)) {
    const ssize_t n = ::read(fd.get(), header + got, sizeof(header) - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileError(path, "cannot be read", errno);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got == 0) return StateFileKind::kEmpty;
  if (std::string_view(header, got) != kSqliteHeader) {
    return Error(ErrorKind::kInvalidInput,
                 "state file " + path +
                     " is not a spotform state (not an SQLite database); refusing to use it");
  }
  return StateFileKind::kSqlite;
}

Status CreateStateFile(const std::string& path) {
  Status folders = CreateFolders(std::filesystem::path(path).parent_path());
  if (!folders.ok()) return folders;
  FdCloser fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) return FileError(path, "cannot be created", errno);
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) return FileError(path, "cannot be created", errno);
  if (info.st_size == 0 && ::fchmod(fd.get(), 0600) != 0) {
    return FileError(path, "cannot be made private", errno);
  }
  return Status::Ok();
}

}  // namespace spotform
