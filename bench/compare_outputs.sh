#!/usr/bin/env bash
# Byte-identity check between two builds of mvm (a refactoring must not change any output).
# For every scenario in scenarios/ (not the platforms): `mvm plan` (the plan of each
# scheduler: mvm, btrplace, cap-3) and `mvm run -o` (every plan, actions.csv, power.csv,
# summary.json, the gnuplot inputs); then validation/accuracy.sh (migrations.csv, plans.csv).
# Every file is compared with cmp; summary.json without its version lines (mvm_version,
# simgrid_version) and nothing else stripped. PNGs are not compared (gnuplot's, not ours).
# Usage: bench/compare_outputs.sh OLD_MVM NEW_MVM DIR
#   OLD_MVM, NEW_MVM: paths to the two `mvm` binaries (BUILD/cli/mvm: accuracy.sh is given
#   BUILD); DIR: where both outputs go (DIR/old, DIR/new). Exit 0 if identical, 1 if not.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 OLD_MVM NEW_MVM DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
old=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
new=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
dir=$3
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

outputs() { # MVM OUT
  local mvm=$1 out=$2
  rm -rf "$out"
  mkdir -p "$out"
  cd "$here"
  for sc in scenarios/*.xml; do
    case $sc in *.platform.xml) continue ;; esac
    local name
    name=$(basename "$sc" .xml)
    for s in mvm btrplace cap-3; do
      "$mvm" plan "$sc" -s "$s" -o "$out/plan-$name-$s.csv" >"$out/plan-$name-$s.stdout" 2>&1 || true
      # the solve time it prints is the only thing allowed to change
      sed -E 's/solved in [0-9.e+-]+ s \(bound [0-9.e+-]+ s\)/solved in T/' "$out/plan-$name-$s.stdout" \
        >"$out/plan-$name-$s.txt"
      rm -f "$out/plan-$name-$s.stdout"
    done
    # what it prints too (some runs are refused: a plan infeasible under its budget)
    "$mvm" run "$sc" -o "$out/run-$name" >"$out/run-$name.log" 2>&1 || echo "exit $?" >>"$out/run-$name.log"
    sed -i -E 's/ in [0-9.e+-]+ s\b/ in T s/g' "$out/run-$name.log"
    if [ -d "$out/run-$name" ]; then
      rm -f "$out/run-$name"/*.png
      sed -i '/"mvm_version"\|"simgrid_version"/d' "$out/run-$name/summary.json"
    fi
  done
  local build
  build=$(dirname "$(dirname "$mvm")")
  "$here/validation/accuracy.sh" "$build" "$out/accuracy" >/dev/null 2>&1
  rm -f "$out/accuracy/accuracy.md.tmp"
}

outputs "$old" "$dir/old"
outputs "$new" "$dir/new"
status=0
n=0
while IFS= read -r f; do
  n=$((n + 1))
  if [ ! -e "$dir/new/$f" ]; then
    echo "missing in new: $f"; status=1
  elif ! cmp -s "$dir/old/$f" "$dir/new/$f"; then
    echo "differs: $f"; status=1
  fi
done < <(cd "$dir/old" && find . -type f ! -name .mvm-output | sort)
extra=$(comm -13 <(cd "$dir/old" && find . -type f | sort) <(cd "$dir/new" && find . -type f | sort))
[ -z "$extra" ] || { echo "only in new: $extra"; status=1; }
[ $status -eq 0 ] && echo "identical: $n files" || echo "outputs differ"
exit $status
