#!/usr/bin/env bash
# optional-deps.sh - install augur's optional dependencies (if missing):
# PLplot with its cairo drivers (`augur plot`, `augur compare --plot`),
# HDF5 (`-o results.h5`), and what their tests use to look at the
# results: headless Chromium (SVG -> PNG), hdf5-tools (h5dump) and libpng
# (the PNG decoder of tests/plot_png.c).
#
#   scripts/optional-deps.sh
#
# Debian 12, as root; packages already installed are not touched. Without
# these augur still builds: the plot tests say why they are skipped, and
# `augur plot` names the packages to install.
set -euo pipefail

packages=(libplplot-dev plplot-driver-cairo libhdf5-dev hdf5-tools chromium
          libpng-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "optional-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "optional-deps: not root, so the tests that need them will skip;" >&2
  echo "  to run them: apt-get install ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
