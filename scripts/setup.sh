#!/usr/bin/env bash
# setup.sh - install what augur needs (if missing), then configure and build.
#
#   scripts/setup.sh [PRESET]     PRESET: dev (default), asan or release
#
# Works on a fresh Debian 12 machine as root: packages that are already
# installed are not touched, and apt-get runs only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${1:-dev}
packages=(gcc make cmake pkg-config libgsl-dev libnlopt-dev libconfig-dev
          libcriterion-dev libopenmpi-dev openmpi-bin libmatheval-dev
          python3-dev python3-numpy python3-pytest locales)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages and not root; install them or rerun as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# tests/test_locale.c runs under a locale with a decimal comma
if ! locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
  if [ "$(id -u)" -eq 0 ]; then
    sed -i 's/^# *\(de_DE\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    grep -q '^de_DE\.UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' >> /etc/locale.gen
    locale-gen >/dev/null
  else
    echo "setup: de_DE.UTF-8 is not installed; tests/test_locale.c will skip" >&2
  fi
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
