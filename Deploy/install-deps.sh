#!/usr/bin/env bash
# Installs the system packages the build needs, and any others named as arguments, when they are
# missing (Debian).
set -euo pipefail
# postgresql: `make test` starts a throwaway server (Deploy/test-postgres.sh); it also brings pgbench.
# openssl: the TLS tests make a private CA and certificates for their own server.
packages=(libsqlite3-dev libcurl4-openssl-dev sqlite3 curl postgresql openssl "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "swift is not on PATH (expected Swift 6.x, e.g. /opt/swift/usr/bin)"; exit 1; }
