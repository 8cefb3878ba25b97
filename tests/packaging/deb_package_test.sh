#!/usr/bin/env bash
# packaging.deb: `cpack -G DEB` builds spotform_VERSION_ARCH.deb from BUILD (into a temporary
# folder) and the package is right: its control fields (Package, Version, and Depends naming
# the Debian package of every library the binaries link), its file list, and the packaged
# binaries run once extracted into a scratch root (dpkg-deb -x, no root needed).
#   deb_package_test.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps objdump; do
  command -v "$tool" >/dev/null || fail "no $tool (Debian packages cmake, dpkg-dev, binutils)"
done
for binary in spotform spotform-sim; do
  [[ -x $build/cmd/$binary ]] || fail "$build/cmd/$binary is not built (cmake --build $build)"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/spotform-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
debs=("$work"/out/spotform_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "no single spotform_*.deb: $(ls "$work/out")"
deb=${debs[0]}
[[ $(basename "$deb") == "spotform_${version}_$(dpkg --print-architecture).deb" ]] ||
  fail "package file name $(basename "$deb")"

echo "== control"
dpkg-deb -f "$deb" | grep -v '^ ' | tee "$work/control"
[[ $(dpkg-deb -f "$deb" Package) == spotform ]] || fail "Package is not spotform"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "Version is not $version"
for field in Maintainer Section Description Architecture; do
  [[ -n $(dpkg-deb -f "$deb" "$field") ]] || fail "no $field field"
done
depends=$(dpkg-deb -f "$deb" Depends)
depends_names=" $(sed 's/([^)]*)//g; s/[,|]/ /g' <<<"$depends" | tr -s ' ') "

# The Debian package that holds a library, from its path (usrmerge: /lib and /usr/lib).
package_of() {
  local path=$1 candidate owner
  for candidate in "$path" "/usr$path" "${path#/usr}" "$(readlink -f "$path")"; do
    owner=$(dpkg -S "$candidate" 2>/dev/null | head -n 1) || continue
    [[ -n $owner ]] && { echo "${owner%%:*}"; return 0; }
  done
  return 1
}
# Every library a binary names (NEEDED) must come with its package in Depends.
for binary in spotform spotform-sim; do
  resolved=$(ldd "$build/cmd/$binary")
  while read -r soname; do
    path=$(awk -v lib="$soname" '$1 == lib && $2 == "=>" { print $3 }' <<<"$resolved")
    [[ -n $path ]] || fail "ldd does not resolve $soname of $binary"
    package=$(package_of "$path") || fail "no Debian package owns $path"
    [[ $depends_names == *" $package "* ]] ||
      fail "Depends lacks $package ($soname of $binary): $depends"
  done < <(objdump -p "$build/cmd/$binary" | awk '$1 == "NEEDED" { print $2 }')
done

echo "== files"
dpkg-deb -c "$deb" | awk '{ print $NF }' | tee "$work/files"
for file in ./usr/bin/spotform ./usr/bin/spotform-sim \
  ./usr/share/bash-completion/completions/spotform ./usr/share/doc/spotform/README.md; do
  grep -qxF "$file" "$work/files" || fail "the package lacks $file"
done

dpkg-deb -x "$deb" "$work/root"
[[ $("$work/root/usr/bin/spotform" --version) == "spotform $version" ]] ||
  fail "the packaged spotform --version"
[[ $("$work/root/usr/bin/spotform-sim" --version) == "spotform-sim $version" ]] ||
  fail "the packaged spotform-sim --version"
echo "deb: ok ($(basename "$deb"), $(du -h "$deb" | cut -f1))"
