#include "engine/model/text_style.h"

#include <unistd.h>

namespace spotform {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kBoldGreen = "\x1b[1;32m";

}  // namespace

std::string TextStyle::Wrap(std::string_view code, std::string_view text) const {
  if (!color_ || text.empty()) return std::string(text);
  std::string out;
  out.reserve(code.size() + text.size() + kReset.size());
  out.append(code).append(text).append(kReset);
  return out;
}

std::string TextStyle::Green(std::string_view text) const { return Wrap(kGreen, text); }
std::string TextStyle::Yellow(std::string_view text) const { return Wrap(kYellow, text); }
std::string TextStyle::Red(std::string_view text) const { return Wrap(kRed, text); }
std::string TextStyle::Bold(std::string_view text) const { return Wrap(kBold, text); }
std::string TextStyle::BoldGreen(std::string_view text) const { return Wrap(kBoldGreen, text); }

bool ColorEnabled(bool no_color_flag, const std::optional<std::string>& no_color_env,
                  bool stdout_is_terminal) {
  if (no_color_flag) return false;
  if (no_color_env.has_value() && !no_color_env->empty()) return false;
  return stdout_is_terminal;
}

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) == 1; }

}  // namespace spotform
