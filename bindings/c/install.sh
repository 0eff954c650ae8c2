#!/usr/bin/env bash
# Installs libvoronka: the header, the shared and static libraries and voronka.pc.
#
#   cargo build -p voronka-c --release
#   bindings/c/install.sh /usr/local            # or any prefix, e.g. "$HOME/.local"
#
# LIB_DIR (second argument) is where the built libraries are; by default
# ${CARGO_TARGET_DIR:-target}/release of the workspace. Installs:
#   PREFIX/include/voronka.h
#   PREFIX/lib/libvoronka.so, PREFIX/lib/libvoronka.a
#   PREFIX/lib/pkgconfig/voronka.pc   (voronka.pc.in with @PREFIX@ and @VERSION@ filled in)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PREFIX [LIB_DIR]" >&2
    exit 2
fi
prefix="$1"
lib_dir="${2:-${CARGO_TARGET_DIR:-$root/target}/release}"
for lib in libvoronka.so libvoronka.a; do
    if [ ! -f "$lib_dir/$lib" ]; then
        echo "$lib_dir/$lib is missing: run 'cargo build -p voronka-c --release' first" >&2
        exit 1
    fi
done
version="$(awk '/^\[workspace.package\]/ { in_package = 1; next }
                /^\[/ { in_package = 0 }
                in_package && /^version *=/ { gsub(/[" ]/, "", $3); print $3; exit }' "$root/Cargo.toml")"
if [ -z "$version" ]; then
    echo "cannot read the version from $root/Cargo.toml" >&2
    exit 1
fi

mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
install -m 644 "$here/include/voronka.h" "$prefix/include/voronka.h"
install -m 755 "$lib_dir/libvoronka.so" "$prefix/lib/libvoronka.so"
install -m 644 "$lib_dir/libvoronka.a" "$prefix/lib/libvoronka.a"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" "$here/voronka.pc.in" \
    > "$prefix/lib/pkgconfig/voronka.pc"
echo "installed libvoronka $version into $prefix"
