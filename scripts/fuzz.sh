#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer harnesses in fuzz/ with clang and run each,
# one after the other, for SECONDS (default 20).
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]   HARNESS: config spec csv relations
#
# The seed corpora (fuzz/corpus/<harness>/, not committed) are made from
# examples/: the configs, the data files, the example solvers' specs and
# the relation strings of examples/ and the relation suites. New inputs
# libFuzzer finds go to build/fuzz/corpus/<harness>/ and are reused by the
# next run. A crash, a leak, undefined behaviour, a timeout or a broken
# round trip stops that harness, keeps the input in fuzz/crashes/ and makes
# the script exit 1 after the others have run. Without clang (and no apt to
# install it with) the fuzzing is skipped with a note, exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-20}
shift || true
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(config spec csv relations)

if ! command -v clang >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "fuzz: installing clang"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends clang; } \
      >/dev/null || true
  fi
  if ! command -v clang >/dev/null; then
    echo "fuzz: clang not found; fuzzing skipped"
    exit 0
  fi
fi
for p in gsl nlopt libconfig libmatheval; do
  pkg-config --exists "$p" || { echo "fuzz: $p is missing; run scripts/setup.sh" >&2; exit 1; }
done

make -s -f fuzz/Makefile -j2 all

out=$root/build/fuzz
corpus=$root/fuzz/corpus
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# --- Seed corpora from examples/ ---------------------------------------------
rm -rf "$corpus"
mkdir -p "$corpus"/{config,spec,csv,relations} "$root/fuzz/crashes"
cp examples/*.cfg "$corpus/config/"
for f in examples/data/*.csv; do          # every column selection of fuzz_csv
  for k in 0 1 2 3 4 5 6 7; do
    { printf "\\x0$k"; cat "$f"; } >"$corpus/csv/$(basename "$f" .csv).$k"
  done
done
"$out/seeds" "$corpus" examples/*.cfg 2>/dev/null
# relation strings: the examples' constraints and penalties, and the first
# argument of parse()/refused() in the relation suites (n = 8, default options)
i=0
{
  grep -ohE '(constraints|relations) = "[^"]*"' examples/*.cfg | sed -E 's/^[a-z]+ = "(.*)"$/\1/'
  grep -ohE '(parse|refused)\("([^"\\]|\\.)*"' tests/test_relations.c tests/test_written.c \
    tests/test_constraints.c | sed -E 's/^[a-z]+\("(.*)"$/\1/'
} | sort -u | while IFS= read -r rel; do
  i=$((i + 1))
  { printf '\x07\x00'; printf '%b' "$rel"; } >"$corpus/relations/text.$i"
done

# --- Run each harness --------------------------------------------------------
failed=()
for h in "${harnesses[@]}"; do
  work=$out/corpus/$h
  mkdir -p "$work"
  run_dir=$out/run-$h                      # the config loader's working directory
  rm -rf "$run_dir" && mkdir -p "$run_dir" && cp -r examples/data "$run_dir/data"
  echo "fuzz: $h for ${seconds}s"
  if (cd "$run_dir" && "$out/fuzz_$h" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$root/fuzz/crashes/$h-" "$work" "$corpus/$h") \
        >"$out/$h.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec' "$out/$h.log" \
      | sed "s/^/fuzz: $h: /"
  else
    echo "fuzz: $h FAILED (log: build/fuzz/$h.log; input kept in fuzz/crashes/)"
    grep -E 'ERROR|SUMMARY|fuzz: |Test unit written' "$out/$h.log" | head -8
    failed+=("$h")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: no crashes"
