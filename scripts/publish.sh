#!/usr/bin/env bash
# Builds the release a server runs without the .NET SDK:
#   artifacts/release/zakaz-<version>-linux-x64.tar.gz
# holding zakaz-<version>/ with the self-contained `zakaz` executable, the dashboard's pages (wwwroot/)
# and install-chdb.sh (the ~570 MB chDB library is fetched on the server, never shipped).
#   ZAKAZ_PUBLISH_FRAMEWORK_DEPENDENT=1  publish against an installed .NET 10 runtime instead (smaller; the
#                                        server then needs the ASP.NET Core 10 runtime)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n1)"
[ -n "$version" ] || { echo "publish: no <Version> in Directory.Build.props" >&2; exit 1; }
rid=linux-x64
name="zakaz-$version-$rid"
staging="$root/artifacts/publish/$name"
release="$root/artifacts/release"

if [ "${ZAKAZ_PUBLISH_FRAMEWORK_DEPENDENT:-}" = 1 ]; then
  contained=(--self-contained false)
else
  contained=(--self-contained true)
fi

rm -rf "$staging"
echo "publish: dotnet publish src/Zakaz.Cli -c Release -r $rid ${contained[*]} -> $staging" >&2
dotnet publish src/Zakaz.Cli/Zakaz.Cli.csproj -c Release -r "$rid" "${contained[@]}" -o "$staging" --nologo -v quiet
# The dashboard answers with a clear error when its pages are missing; a release without them is broken.
[ -f "$staging/wwwroot/index.html" ] || { echo "publish: $staging/wwwroot/index.html is missing: the dashboard pages were not built" >&2; exit 1; }
install -m 0755 scripts/install-chdb.sh "$staging/install-chdb.sh"
rm -f "$staging"/*.pdb

mkdir -p "$release"
archive="$release/$name.tar.gz"
tar -C "$(dirname "$staging")" --owner=0 --group=0 -czf "$archive.partial" "$name"
mv "$archive.partial" "$archive"
echo "$archive"
