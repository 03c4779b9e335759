#!/usr/bin/env bash
# Installs the pinned chDB library (libchdb.so) into Zakaz's cache, verifying the package checksum.
# Prints the library path. Nothing is committed: the ~570 MB library lives only in the cache.
#   ZAKAZ_CHDB_LIBRARY  use this library instead (nothing is installed)
#   ZAKAZ_CACHE_DIR     cache root (default: $XDG_CACHE_HOME/zakaz or ~/.cache/zakaz)
set -euo pipefail

version="26.7.3-stable.1"
package="@chdb/lib-linux-x64-gnu@${version}"
# sha256 of the npm tarball chdb-lib-linux-x64-gnu-26.7.3-stable.1.tgz
tarball_sha256="c0d32b129e988f2b9a9a31c9141aecf5e1e2453f9a079efc4d36ab8e3f92b2ad"

if [ -n "${ZAKAZ_CHDB_LIBRARY:-}" ]; then
  [ -f "$ZAKAZ_CHDB_LIBRARY" ] || { echo "ZAKAZ_CHDB_LIBRARY=$ZAKAZ_CHDB_LIBRARY does not exist" >&2; exit 1; }
  echo "$ZAKAZ_CHDB_LIBRARY"
  exit 0
fi

cache_root="${ZAKAZ_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zakaz}"
target_dir="$cache_root/chdb/$version"
library="$target_dir/libchdb.so"
if [ -f "$library" ] && [ -f "$target_dir/.verified" ]; then
  echo "$library"
  exit 0
fi

command -v npm >/dev/null || { echo "npm is needed to fetch $package (apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Installing chDB $version (about 170 MB download) into $target_dir ..." >&2
(cd "$work" && npm pack --silent "$package" >/dev/null 2>"$work/npm.log") || {
  cat "$work/npm.log" >&2
  echo "npm pack $package failed: is the npm registry reachable?" >&2
  exit 1
}
archive="$(ls "$work"/*.tgz)"
actual="$(sha256sum "$archive" | cut -d' ' -f1)"
if [ "$actual" != "$tarball_sha256" ]; then
  echo "Checksum mismatch for $package: expected $tarball_sha256, got $actual. Not installing." >&2
  exit 1
fi
tar -xzf "$archive" -C "$work" package/libchdb.so
mkdir -p "$target_dir"
mv "$work/package/libchdb.so" "$library.partial"
mv "$library.partial" "$library"
echo "$tarball_sha256" > "$target_dir/.verified"
echo "$library"
