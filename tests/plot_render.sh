#!/usr/bin/env bash
# plot_render.sh - the plot tests, as a person looks at the pictures: each
# kind `augur plot` draws (convergence from a results file, a CSV log and a
# checkpoint, an ensemble's convergence and minima, a fit, a profile scan) and
# `augur compare --plot` is drawn to SVG; the SVG must carry its axes'
# labels and title, and headless Chromium must render it to a PNG that is
# not blank. Skipped (exit 77) when PLplot or Chromium is missing.
#
#   plot_render.sh AUGUR PLOT_CHECK SOURCE_DIR WORK_DIR HAVE_PLPLOT
set -euo pipefail
augur=$1 check=$2 src=$3 work=$4 have_plplot=$5

if [ "$have_plplot" != 1 ]; then
  echo "SKIP: augur was built without PLplot (scripts/optional-deps.sh installs it)"
  out=$("$augur" plot "$src/examples/nelder-mead.cfg" -o "$work/x.svg" 2>&1) && exit 1
  grep -q "apt-get install libplplot-dev" <<<"$out" || { echo "$out"; exit 1; }
  exit 77
fi
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: no chromium to render the SVGs (scripts/optional-deps.sh installs it)"
  exit 77
fi

rm -rf "$work" && mkdir -p "$work" && cd "$work"
cp -r "$src/examples/." .

# the runs to draw
"$augur" run nelder-mead.cfg -q -o nm.results.cfg
"$augur" run buckshot.cfg -q -o bs.results.cfg
"$augur" run fit-polynomial.cfg -q -o fit.results.cfg
cat > profile.cfg <<'CFG'
problem = { model = "rosen"; dimension = 2; };
solver = { type = "nelder-mead"; };
profile = { parameter = 0; from = -1.0; to = 2.0; points = 31; bins = 3; overlap = 0.1; };
seed = 1;
CFG
"$augur" run profile.cfg -q -o profile.results.cfg
cat > logged.cfg <<'CFG'
problem = { model = "rosen"; dimension = 4; };
solver = { type = "de"; };
monitors = ( { type = "logging"; file = "de.log.csv"; } );
seed = 3;
CFG
"$augur" run logged.cfg -q
# a checkpoint of a run, as a killed or still running one leaves it
"$augur" run de2.cfg -q -o de2.results.cfg --checkpoint de2.ckpt --every 20

# draw: name, file, options, labels the SVG must hold
draw() {
  local name=$1 file=$2 opts=$3; shift 3
  local out
  # shellcheck disable=SC2086
  out=$("$augur" plot "$file" -o "$name.svg" $opts 2>&1) || { echo "$out"; return 1; }
  if [ -n "$out" ]; then
    echo "augur plot printed: $out"; return 1
  fi
  "$check" svg "$name.svg" "$@"
}
draw convergence nm.results.cfg "" "evaluations" "best f" "Convergence: nelder-mead on rosen" "stopped:"
draw log de.log.csv "" "evaluations" "best f" "Convergence: de.log.csv"
draw ensemble bs.results.cfg "" "evaluations" "the best inner run" "the other inner runs"
draw minima bs.results.cfg "--kind minima --axes 0,1" "x[0]" "x[1]" "Minima found: buckshot on peaks"
draw fit fit.results.cfg "" "Fit of polynomial" "(y - fit) / sigma" "fit"
draw profile profile.results.cfg "" "x[0] (pinned)" "best f with it pinned" "Profile of x[0]"
draw checkpoint de2.ckpt "" "evaluations" "best f" "Convergence so far: de2 on ackley" \
  "the run has not finished"
# a damaged checkpoint is refused, not drawn
awk 'NR > 6 && !done && match($0, /[0-9]/) {   # one digit below the checksum line
       c = substr($0, RSTART, 1); $0 = substr($0, 1, RSTART - 1) (c == "7" ? "8" : "7") \
           substr($0, RSTART + 1); done = 1 } { print }' de2.ckpt > bad.ckpt
if "$augur" plot bad.ckpt -o bad.svg 2>/dev/null; then
  echo "a checkpoint whose checksum fails was drawn"; exit 1
fi
"$augur" compare nelder-mead.cfg --solvers nelder-mead,powell --seeds 3 \
  --plot compare.svg > compare.txt 2> compare.err
"$check" svg compare.svg "evaluations" "best f" "nelder-mead" "powell"

# the PNG and PDF drivers write something
"$augur" plot nm.results.cfg -o nm.png
"$check" png nm.png 0.02
"$augur" plot fit.results.cfg -o fit.pdf
head -c 5 fit.pdf | grep -q '%PDF-'

# a path that is not a regular file is refused
mkdir -p adir.svg
if "$augur" plot nm.results.cfg -o adir.svg 2>/dev/null; then
  echo "a directory was accepted as the output"; exit 1
fi
mkfifo pipe.svg
if "$augur" plot nm.results.cfg -o pipe.svg 2>err.txt; then
  echo "a FIFO was accepted as the output"; exit 1
fi
grep -q 'is a FIFO' err.txt || { echo "no reason given: $(cat err.txt)"; exit 1; }
[ -p pipe.svg ] || { echo "the FIFO was replaced"; exit 1; }
ln -s nm.png link.png
if "$augur" plot nm.results.cfg -o link.png 2>/dev/null; then
  echo "a symbolic link was accepted as the output"; exit 1
fi
[ -L link.png ] || { echo "the link was replaced"; exit 1; }

# as a person sees them: Chromium renders each SVG
for name in convergence log ensemble minima fit profile checkpoint compare; do
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$work/$name.png" --window-size=1400,1000 \
    "file://$work/$name.svg" >/dev/null 2>&1
  "$check" png "$name.png" 0.005
done
echo "plots: every kind drawn, labelled and rendered"
