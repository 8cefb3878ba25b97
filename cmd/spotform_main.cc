// spotform: declarative spot capacity for Tencent Cloud. Commands arrive with the core issue.
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string arg = argc > 1 ? argv[1] : "";
  if (arg == "--version") {
    std::cout << "spotform 0.1.0\n";
    return 0;
  }
  std::cout << "Usage: spotform [--version]\n";
  return arg.empty() || arg == "--help" || arg == "-h" ? 0 : 1;
}
