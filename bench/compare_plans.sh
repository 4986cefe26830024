#!/usr/bin/env bash
# Runs two mvm binaries on the same scenarios with the same options and compares their
# plans byte for byte (plan file, exit status and messages), for refactorings that must not
# change a single plan.
# Scenarios: the shipped scenarios/*.xml (not *.platform.xml); `mvm generate decommission`
# at scales 1 and 4; random scenarios of tests/random/gen.sh (seeds 1..N plain and seeds
# 1..N with a power budget, N = 30 by default). Options for each: the default, -s btrplace,
# -s cap-2, --objective makespan, --objective energy, --search 0; and --exact on
# four-to-one. The one difference allowed: the timing of the summary line ("solved in X s
# (bound Y s)") is stripped from the messages before the comparison.
# Usage: bench/compare_plans.sh OLD_MVM NEW_MVM DIR [N]
#   DIR receives the scenarios (DIR/scen), OLD's outputs (DIR/old) and NEW's (DIR/new).
# Exit status: 0 if every output is identical, 1 on any difference (listed), 2 on bad usage.
set -uo pipefail
OLD=${1:-} NEW=${2:-} DIR=${3:-} N=${4:-30}
if [ -z "$OLD" ] || [ -z "$NEW" ] || [ -z "$DIR" ]; then
  echo "usage: $0 OLD_MVM NEW_MVM DIR [N]" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=$(realpath "$OLD") NEW=$(realpath "$NEW")
mkdir -p "$DIR/scen" && DIR=$(realpath "$DIR")
rm -rf "$DIR/old" "$DIR/new" && mkdir -p "$DIR/old" "$DIR/new"

# the scenarios: name -> path
declare -A scen
for f in "$ROOT"/scenarios/*.xml; do
  case $f in *.platform.xml) continue ;; esac
  scen[$(basename "$f" .xml)]=$f
done
for k in 1 4; do
  "$OLD" generate decommission --scale $k -o "$DIR/scen/gen$k" >/dev/null 2>&1 || { echo "generate --scale $k failed" >&2; exit 2; }
  scen[gen$k]=$DIR/scen/gen$k/scale-$k.xml
done
. "$ROOT/tests/random/gen.sh"
for ((i = 1; i <= N; i++)); do
  for b in 0 1; do
    mkdir -p "$DIR/scen/r$i-b$b"
    gen_instance "$i" "$DIR/scen/r$i-b$b" $b
    scen[r$i-b$b]=$DIR/scen/r$i-b$b/s.xml
  done
done

opts=("" "-s btrplace" "-s cap-2" "--objective makespan" "--objective energy" "--search 0")
# run BIN OUTDIR NAME SCENARIO OPTS...: the plan, then the exit status and messages
run() {
  local bin=$1 out=$2 name=$3 sc=$4
  shift 4
  "$bin" plan "$sc" "$@" -o "$out/$name.csv" 2>"$out/$name.err"
  echo "exit $?" >>"$out/$name.err"
  sed -i -E 's/solved in [0-9.eE+-]+ s \(bound [0-9.eE+-]+ s\)/solved in (time stripped)/' "$out/$name.err"
}
count=0
for s in $(printf '%s\n' "${!scen[@]}" | sort); do
  for ((k = 0; k < ${#opts[@]}; k++)); do
    for side in old new; do
      bin=$OLD; [ $side = new ] && bin=$NEW
      # shellcheck disable=SC2086
      run "$bin" "$DIR/$side" "$s.o$k" "${scen[$s]}" ${opts[k]}
    done
    count=$((count + 1))
  done
done
for side in old new; do
  bin=$OLD; [ $side = new ] && bin=$NEW
  run "$bin" "$DIR/$side" "four-to-one.exact" "$ROOT/scenarios/four-to-one.xml" --exact
done
count=$((count + 1))

fail=0 files=0
for f in "$DIR"/old/*; do
  g=$DIR/new/$(basename "$f")
  files=$((files + 1))
  if [ ! -e "$g" ] || ! cmp -s "$f" "$g"; then
    echo "DIFFERS: $(basename "$f")"
    fail=1
  fi
done
for g in "$DIR"/new/*; do
  [ -e "$DIR/old/$(basename "$g")" ] || { echo "ONLY IN NEW: $(basename "$g")"; fail=1; }
done
echo "$count runs per binary, $files files compared: $([ $fail = 0 ] && echo all identical || echo DIFFERENCES)"
exit $fail
