#include "cmd/import_report.h"

#include <ostream>

namespace spotform {

void PrintLines(std::ostream& out, const std::vector<std::string>& lines) {
  for (const std::string& line : lines) out << line << "\n";
}

void PrintNotes(std::ostream& err, const std::vector<std::string>& notes) {
  for (const std::string& note : notes) err << "note: " << note << "\n";
}

int FailImport(CommandContext& context, const Error& error) {
  const std::string message = error.ToString();
  size_t start = 0;
  while (start <= message.size()) {
    const size_t end = message.find('\n', start);
    context.err << "spotform: " << message.substr(start, end - start) << "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  context.err << "spotform: nothing was imported; the state is unchanged\n";
  return kExitError;
}

}  // namespace spotform
