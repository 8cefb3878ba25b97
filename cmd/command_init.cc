#include <filesystem>
#include <fstream>
#include <sstream>

#include "cmd/command_options.h"
#include "cmd/commands.h"

namespace spotform {
namespace {

constexpr char kStarterConfig[] = R"(# spotform.yaml: spot capacity on Tencent Cloud, declared.
# `spotform plan` shows what would change; `spotform apply` makes it so.
# Credentials never go here: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY
# (and TENCENTCLOUD_SECURITY_TOKEN for temporary keys), or use a tccli profile.
provider:
  region: ap-guangzhou
  # endpoint: http://127.0.0.1:9000   # send every API call to spotform-sim instead
  # profile: default                  # tccli credential profile

# state:
#   path: .spotform/state.db          # relative to this file

environments:
  workers:                            # address env.workers
    mode: cvm                         # cvm: one-time spot requests; batch: Batch Compute
    zone: ap-guangzhou-3
    instance_type: S5.MEDIUM4
    image_id: img-pmqg1cw7
    max_price: "0.10"                 # the highest hourly bid
    desired_count: 2
    tags:
      team: example
)";

constexpr char kIgnoreLine[] = ".spotform/";

// Adds `.spotform/` to .gitignore unless a line already says so.
bool EnsureIgnored(const std::filesystem::path& gitignore, std::string& error) {
  std::string content;
  if (std::ifstream in(gitignore); in) {
    std::stringstream buffer;
    buffer << in.rdbuf();
    content = buffer.str();
    std::istringstream lines(content);
    for (std::string line; std::getline(lines, line);) {
      if (line == kIgnoreLine || line == "/.spotform/" || line == ".spotform") return true;
    }
  }
  std::ofstream out(gitignore, std::ios::app);
  if (!content.empty() && content.back() != '\n') out << "\n";
  out << "# spotform's local state (see spotform.yaml)\n" << kIgnoreLine << "\n";
  if (!out) {
    error = "cannot write " + gitignore.string();
    return false;
  }
  return true;
}

}  // namespace

int RunInit(CommandContext& context) {
  CommandOptions options(
      "spotform init [-c FILE] [--force]",
      "Writes a starter spotform.yaml (or the file named by -c) and keeps .spotform/, where\n"
      "the state lives, out of git. An existing config is left alone unless --force.");
  bool force = false;
  options.Add()("force", boost::program_options::bool_switch(&force),
                "overwrite an existing config file");
  if (auto stop = options.Parse(context)) return *stop;

  const std::filesystem::path config(context.global.config_path);
  std::error_code ec;
  if (std::filesystem::exists(config, ec) && !force) {
    return Fail(context, config.string() + " already exists; use --force to overwrite it");
  }
  {
    std::ofstream out(config, std::ios::trunc);
    out << kStarterConfig;
    if (!out) return Fail(context, "cannot write " + config.string());
  }
  std::string error;
  const std::filesystem::path folder =
      config.has_parent_path() ? config.parent_path() : std::filesystem::path(".");
  if (!EnsureIgnored(folder / ".gitignore", error)) return Fail(context, error);
  context.out << "Wrote " << config.string() << " and added .spotform/ to "
              << (folder / ".gitignore").string() << ".\n"
              << "Next: edit it, then run `spotform plan`.\n";
  return kExitOk;
}

}  // namespace spotform
