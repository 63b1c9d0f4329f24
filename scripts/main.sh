#!/usr/bin/env bash
# main.sh - README command 1: set up, build, and run the main job.
#
# Until the `augur` command exists, the main job is examples/rosenbrock: a
# Nelder-Mead fit of the 3-D Rosenbrock function with monitors and a
# termination condition, printing the solution, f, evaluations, generations
# and the termination reason.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
exec build/release/examples/rosenbrock
