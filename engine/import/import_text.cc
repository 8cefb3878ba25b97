#include "engine/import/import_text.h"

#include "engine/model/words.h"

namespace spotform {

std::vector<std::string> ImportedLines(const ImportOutcome& outcome, const EnvironmentSpec& spec,
                                       bool batch) {
  std::vector<std::string> lines;
  const std::string& address = outcome.address;
  if (!outcome.already.empty()) {
    lines.push_back(address + ": " + ShortList(outcome.already) +
                    " already imported; nothing to do for " +
                    (outcome.already.size() == 1 ? "it" : "them"));
  }
  if (outcome.adopted.empty()) return lines;
  const std::string declared =
      "; the config declares desired_count " + std::to_string(spec.desired_count);
  if (batch) {
    lines.push_back(address + ": imported Batch compute environment " + outcome.adopted.front() +
                    " with " + Plural(outcome.node_count, "node", "nodes"));
    lines.push_back(address + ": expected count is Batch's DesiredComputeNodeCount, " +
                    std::to_string(outcome.expected_count) + declared);
  } else {
    lines.push_back(address + ": imported " +
                    Plural(outcome.adopted.size(), "instance", "instances") + ": " +
                    ShortList(outcome.adopted));
    lines.push_back(address + ": expected count " + (outcome.new_environment ? "is " : "stays ") +
                    std::to_string(outcome.expected_count) + declared);
  }
  lines.push_back("Run `spotform plan` to see how the config and the adopted capacity differ.");
  return lines;
}

std::vector<std::string> DiscoveredLines(const std::vector<ProposedEnvironment>& adopted,
                                         const std::string& file) {
  std::vector<std::string> lines;
  for (const ProposedEnvironment& proposal : adopted) {
    const size_t n = proposal.instances.size();
    lines.push_back(proposal.spec.Address() + ": imported " +
                    (proposal.batch_env_id.empty()
                         ? Plural(n, "instance", "instances")
                         : "Batch compute environment " + proposal.batch_env_id + " with " +
                               Plural(n, "node", "nodes")) +
                    " (" + proposal.spec.instance_type() + " in " + proposal.spec.zone() +
                    ", max_price " + proposal.spec.max_price + " to review)");
  }
  lines.push_back("Wrote " + file + ". Review it, then check it plans to no changes:");
  lines.push_back("  spotform -c " + file + " plan");
  return lines;
}

std::string NothingDiscoveredLine(const std::string& file) {
  return "No unmanaged spot instances or Batch compute environments found; nothing imported "
         "and " +
         file + " not written.";
}

}  // namespace spotform
