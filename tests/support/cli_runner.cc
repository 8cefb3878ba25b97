#include "tests/support/cli_runner.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "tests/support/test_config.h"

extern char** environ;

namespace spotform {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "spotform-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  const std::string full = path_ + "/" + name;
  testing::WriteFile(full, content);
  return full;
}

std::string TempDir::Read(const std::string& name) const {
  return testing::ReadFile(path_ + "/" + name);
}

pid_t StartProgram(const std::string& program, const std::vector<std::string>& args,
                   const std::string& cwd, const std::map<std::string, std::string>& env,
                   const std::string& in_path, const std::string& out_path,
                   const std::string& err_path) {
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (entry.rfind("TENCENTCLOUD_", 0) == 0) continue;
    if (env.count(entry.substr(0, entry.find('='))) > 0) continue;
    environment.push_back(entry);
  }
  for (const auto& [key, value] : env) environment.push_back(key + "=" + value);

  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open(in_path.c_str(), O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0 || chdir(cwd.c_str()) != 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

CliResult WaitForProgram(pid_t pid, const std::string& out_path, const std::string& err_path) {
  CliResult result;
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid) {
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  result.out = testing::ReadFile(out_path);
  result.err = testing::ReadFile(err_path);
  return result;
}

CliResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& cwd, const std::map<std::string, std::string>& env,
                     const std::string& input) {
  TempDir io;
  const std::string in_path = io.Write("stdin", input);
  const std::string out_path = io.path() + "/stdout";
  const std::string err_path = io.path() + "/stderr";
  return WaitForProgram(StartProgram(program, args, cwd, env, in_path, out_path, err_path),
                        out_path, err_path);
}

CliResult RunSpotform(const std::vector<std::string>& args, const std::string& cwd,
                      const std::map<std::string, std::string>& env, const std::string& input) {
  return RunProgram(SPOTFORM_BINARY, args, cwd, env, input);
}

}  // namespace spotform
