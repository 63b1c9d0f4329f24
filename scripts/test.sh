#!/usr/bin/env bash
# test.sh - README command 2: set up, build, and run the whole test suite.
#
#   scripts/test.sh [PRESET]      PRESET: dev (default) or asan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}
scripts/setup.sh "$preset"
ctest --preset "$preset"
