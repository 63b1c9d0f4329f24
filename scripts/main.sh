#!/usr/bin/env bash
# main.sh - README command 1: set up, build, and run the main job.
#
# The main job is a config-driven fit with the `augur` command:
# examples/fit-exponential-decays.cfg fits Bevington and Robinson's
# two-component radioactive decay (examples/data/br8.csv) with differential
# evolution and a Levenberg-Marquardt polish. It prints the fitted
# parameters with their uncertainties, the reduced chi-square, f, the
# evaluations and why the run stopped, and writes the results file (a
# config that reproduces the fit bit for bit) next to the build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
exec build/release/cli/augur run examples/fit-exponential-decays.cfg \
  -o build/release/fit-exponential-decays.results.cfg
