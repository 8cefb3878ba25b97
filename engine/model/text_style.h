#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace spotform {

// TextStyle wraps text in ANSI colour codes for human output, or returns it unchanged when
// colour is off. The caller decides (see ColorEnabled); the style holds only that choice.
class TextStyle {
 public:
  explicit TextStyle(bool color) : color_(color) {}

  bool color() const { return color_; }
  std::string Green(std::string_view text) const;
  std::string Yellow(std::string_view text) const;
  std::string Red(std::string_view text) const;
  std::string Bold(std::string_view text) const;
  std::string BoldGreen(std::string_view text) const;

 private:
  std::string Wrap(std::string_view code, std::string_view text) const;

  bool color_;
};

// Whether human output gets colour (spec §2): not with --no-color, not when the NO_COLOR
// environment variable is set to a non-empty value (no-color.org), not when stdout is not a
// terminal.
bool ColorEnabled(bool no_color_flag, const std::optional<std::string>& no_color_env,
                  bool stdout_is_terminal);

// isatty(STDOUT_FILENO), for the caller of ColorEnabled.
bool StdoutIsTerminal();

}  // namespace spotform
