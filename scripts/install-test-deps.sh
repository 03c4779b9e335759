#!/usr/bin/env bash
# Installs the system packages the tests need, only when something is missing (then apt-get update + install).
# Tests start their own ClickHouse servers (Zakaz.Sandbox), so the Debian service is kept from starting.
# Runs as root (CI, containers) or through sudo.
set -euo pipefail

# tzdata: the test servers run with timezone UTC, which ClickHouse reads from /usr/share/zoneinfo.
# chromium: the dashboard's browser tests drive Debian's build through Playwright (it never downloads one).
# systemd: systemd-analyze checks the unit zakaz service install writes (nothing starts it in a container).
packages=(clickhouse-server clickhouse-client tzdata chromium systemd)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done
# scripts/install-chdb.sh fetches chDB with npm; any npm on PATH will do.
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: all present (${packages[*]}, npm)"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-test-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi

# The package's postinst runs "invoke-rc.d clickhouse-server start", which fails without an init system and
# would leave a system-wide server on ports 8123/9000 with one. Exit code 101 of policy-rc.d means "do not
# start", which invoke-rc.d treats as success. Only a policy we created ourselves is removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
  echo "install-test-deps: temporarily forbidding service starts ($policy)"
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  own_policy=1
fi
cleanup() {
  if [ -n "$own_policy" ]; then
    "${sudo[@]}" rm -f "$policy"
  fi
}
trap cleanup EXIT

echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

# A policy-rc.d that was already there may have allowed the start; tests never use the system service.
# Only processes of the service's own user are stopped: the init script's "stop" would kill every
# clickhouse-server binary, including servers that running tests started.
if [[ " ${missing[*]} " == *" clickhouse-server "* ]]; then
  if [ -d /run/systemd/system ]; then
    echo "install-test-deps: disabling the system clickhouse-server service (tests start their own)"
    "${sudo[@]}" systemctl disable --now clickhouse-server.service || true
  elif id clickhouse >/dev/null 2>&1; then
    "${sudo[@]}" start-stop-daemon --stop --quiet --oknodo --user clickhouse \
      --exec /usr/sbin/clickhouse-server --retry=TERM/30/KILL/5 || true
  fi
fi
echo "install-test-deps: done"
