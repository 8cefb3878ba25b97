// libFuzzer target: tccli profile files through the real credential lookup (LookupCredentials
// with no environment variables, so the files are what it reads). The input is the
// .credential file; a line "====" in it starts the .configure file beside it:
//
//   {"secretId": "AKID...", "secretKey": "..."}     <- ~/.tccli/default.credential
//   ====
//   {"_sys_param": {"region": "ap-guangzhou"}}      <- ~/.tccli/default.configure
//
// Every outcome must be credentials from the file or a clean kAuth error; nothing may crash.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "providers/tencent/credentials.h"

namespace {

constexpr std::string_view kSeparator = "\n====\n";

void RemoveHome();

// A home folder made once per fuzzing process (removed at its exit); each input replaces the
// files in it.
const std::string& Home() {
  static const std::string home = [] {
    std::string name = "/tmp/spotform-credentials-fuzz-XXXXXX";
    if (::mkdtemp(name.data()) == nullptr) std::abort();
    if (::mkdir((name + "/.tccli").c_str(), 0700) != 0) std::abort();
    return name;
  }();
  // Registered once the name is made, so it runs before the name is destroyed.
  static const bool removed_at_exit = std::atexit(RemoveHome) == 0;
  (void)removed_at_exit;
  return home;
}

void RemoveHome() {
  for (const char* file : {"/.tccli/default.credential", "/.tccli/default.configure"}) {
    ::unlink((Home() + file).c_str());
  }
  ::rmdir((Home() + "/.tccli").c_str());
  ::rmdir(Home().c_str());
}

void Write(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace spotform;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string credential_path = Home() + "/.tccli/default.credential";
  const std::string configure_path = Home() + "/.tccli/default.configure";
  const size_t split = input.find(kSeparator);
  Write(credential_path, input.substr(0, split));
  if (split == std::string_view::npos) {
    ::unlink(configure_path.c_str());
  } else {
    Write(configure_path, input.substr(split + kSeparator.size()));
  }

  CredentialSources sources;
  sources.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  sources.home = Home();
  Result<CredentialLookup> found = LookupCredentials(sources);
  if (!found.ok()) {
    if (found.error().kind() != ErrorKind::kAuth || found.error().message().empty()) std::abort();
    return 0;
  }
  // Credentials come from the file, with both halves of the key pair.
  if (found->source != credential_path || found->credentials.secret_id().empty() ||
      found->credentials.secret_key().empty()) {
    std::abort();
  }
  const size_t seen = found->credentials.Redacted().size() + found->region.size() +
                      found->credentials.token().size();
  return seen == SIZE_MAX ? 1 : 0;
}
