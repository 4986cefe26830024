#!/usr/bin/env bash
# Whole-process `mvm replay` of the generated decommission plans at the given scales (96 VMs
# per unit: 1000 is the 96,000-migration plan), R repeats each, with the median wall time
# and peak memory (/usr/bin/time), no plots. The scenarios and plans are made once, with the
# same build. EXTRA (env.) is added to every replay: e.g. EXTRA="--keep-fatpipe" measures
# SimGrid's FATPIPE constraints as they are (validation/fatpipe.c). A replay that does not
# end as planned (its end pred = end sim column) fails the script.
# Usage: bench/replay_scale.sh [BUILD_DIR] [R] [SCALE...]   (default R 3, scales 100 1000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-3}
shift $(($# < 2 ? $# : 2))
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(100 1000)
mvm=$build/cli/mvm
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
med() { sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
printf '%6s %8s %s\n' scale migr "replay wall s (each run) / median / peak MiB (median)"
for n in "${scales[@]}"; do
  "$mvm" generate decommission --scale "$n" -o "$tmp/g$n" >/dev/null 2>&1
  "$mvm" plan -q "$tmp/g$n/scale-$n.xml" -o "$tmp/p$n.csv"
  w=() m=()
  for ((i = 0; i < runs; i++)); do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$mvm" replay "$tmp/g$n/scale-$n.xml" "$tmp/p$n.csv" -o "$tmp/r$n" \
      --no-plots -q ${EXTRA:-} >"$tmp/out" 2>"$tmp/err" ||
      { echo "scale $n: the replay failed: $(tail -2 "$tmp/time") $(tail -c 400 "$tmp/err")" >&2; exit 1; }
    awk '$1 == "mvm" && $5 == $6 {ok = 1} END {exit !ok}' "$tmp/out" ||
      { echo "scale $n: the replay did not end as planned: $(cat "$tmp/out")" >&2; exit 1; }
    line=$(tail -1 "$tmp/time")
    w+=("${line% *}") m+=("${line#* }")
  done
  printf '%6s %8s %s / %s / %.0f\n' "$n" $((96 * n)) "${w[*]}" "$(printf '%s\n' "${w[@]}" | med)" \
    "$(echo "$(printf '%s\n' "${m[@]}" | med) / 1024" | bc -l)"
done
