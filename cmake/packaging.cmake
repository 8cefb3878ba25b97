# Installation layout and the Debian package (issue 15).
#
#   cmake --install build [--prefix DIR]   bin/spotform, bin/spotform-sim, the bash completion
#                                          (share/bash-completion/completions/spotform), the
#                                          README and examples (share/doc/spotform)
#   cd build && cpack -G DEB               spotform_VERSION_ARCH.deb with the same files under
#                                          /usr; its Depends come from dpkg-shlibdeps (dpkg-dev,
#                                          which build-essential brings)
#
# The binaries' install() rules are in cmd/CMakeLists.txt; this file holds the rest. Included
# by the top-level CMakeLists.txt after the subdirectories.
include(GNUInstallDirs)

# Installing and packaging take what is built and build nothing themselves, as
# `cmake --install` does: build first (scripts/build.sh, or cmake --build build --target
# spotform spotform-sim). Otherwise cpack would first build `all`, every test suite included.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME spotform)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "spotform")
set(CPACK_PACKAGE_CONTACT "spotform maintainers <spotform@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Declarative spot capacity for Tencent Cloud, with a local emulator")
set(CPACK_PACKAGE_DESCRIPTION
    "spotform keeps spot computing environments of Tencent Cloud (CVM one-time spot requests or
Batch Compute environments) as declared in a YAML file: plan shows the difference with the
cloud, apply makes it so. spotform-sim is a local Tencent Cloud for spot capacity that speaks
API 3.0 on loopback, for tests and demos.")
set(CPACK_GENERATOR DEB)
# Debug info stays in the build tree; the package gets stripped binaries.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the runtime libraries the binaries link (libcurl4, libssl3, libyaml-cpp0.7, ...),
# as dpkg-shlibdeps finds them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
