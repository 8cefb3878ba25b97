#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace spotform {

// What one run of a command printed and returned.
struct CliResult {
  int exit_code = -1;  // the exit status, or 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs the built `spotform` binary (SPOTFORM_BINARY) as a child process, the way a user
// would: in `cwd`, with the test's environment minus every TENCENTCLOUD_* variable plus
// `env`, with `input` on stdin, waiting for it to exit. Output goes through temporary files,
// so any amount is captured.
CliResult RunSpotform(const std::vector<std::string>& args, const std::string& cwd,
                      const std::map<std::string, std::string>& env = {},
                      const std::string& input = "");

// The same for any program.
CliResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& cwd, const std::map<std::string, std::string>& env,
                     const std::string& input);

// The two halves of RunProgram, for a child the test works with while it runs: StartProgram
// starts it (stdin from `in_path`, stdout and stderr to `out_path` and `err_path`) and returns
// its pid (-1 when it could not fork); WaitForProgram waits for it and reads its output.
pid_t StartProgram(const std::string& program, const std::vector<std::string>& args,
                   const std::string& cwd, const std::map<std::string, std::string>& env,
                   const std::string& in_path, const std::string& out_path,
                   const std::string& err_path);
CliResult WaitForProgram(pid_t pid, const std::string& out_path, const std::string& err_path);

// A fresh temporary folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const;
  std::string Read(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace spotform
