#!/usr/bin/env bash
# Installs missing Debian packages: each argument is CHECK=PACKAGE, where CHECK is a command name
# or an absolute path that must exist. As root with apt-get it installs them; otherwise it lists them.
#   scripts/require.sh openssl=openssl /usr/include/zlib.h=zlib1g-dev
set -euo pipefail
missing=()
for pair in "$@"; do
  check=${pair%%=*}
  package=${pair#*=}
  if [[ $check == /* ]]; then
    [ -e "$check" ] || missing+=("$package")
  else
    command -v "$check" >/dev/null 2>&1 || missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install: ${missing[*]}" >&2
  exit 1
fi
