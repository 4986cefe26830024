#!/usr/bin/env bash
# Whole-process `mvm plan` time at scale N and 10N of the generated decommission scenarios,
# measured side by side (each repeat runs N then 10N back to back), with the median wall
# time and peak memory of each, the median of the per-repeat ratios and the growth exponent
# log10(ratio) (1.0: linear). The plans must pass `mvm check`.
# Usage: bench/plan_ratio.sh [BUILD_DIR] [R] [N] [10N]   (default R 3, N 100, 10N 1000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-3}
n1=${3:-100}
n2=${4:-1000}
mvm=$build/cli/mvm
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
med() { sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for n in $n1 $n2; do "$mvm" generate decommission --scale "$n" -o "$tmp/g$n" 2>/dev/null; done
w1=() w2=() r=() m1=() m2=()
for ((i = 0; i < runs; i++)); do
  for n in $n1 $n2; do
    line=$(/usr/bin/time -f "%e %M" "$mvm" plan -q "$tmp/g$n/scale-$n.xml" -o "$tmp/p$n.csv" 2>&1 | tail -1)
    if [ "$n" = "$n1" ]; then w1+=("${line% *}") m1+=("${line#* }"); else w2+=("${line% *}") m2+=("${line#* }"); fi
  done
  r+=("$(echo "${w2[$i]} / ${w1[$i]}" | bc -l)")
done
for n in $n1 $n2; do
  "$mvm" check "$tmp/g$n/scale-$n.xml" "$tmp/p$n.csv" | grep -q ", 0 violations" || { echo "scale $n: plan fails mvm check" >&2; exit 1; }
done
rm=$(printf '%s\n' "${r[@]}" | med)
printf '%6s %8s %12s %10s\n' N VMs plan_wall_s peak_MiB
printf '%6s %8s %12s %10.0f\n' "$n1" $((96 * n1)) "$(printf '%s\n' "${w1[@]}" | med)" "$(echo "$(printf '%s\n' "${m1[@]}" | med) / 1024" | bc -l)"
printf '%6s %8s %12s %10.0f\n' "$n2" $((96 * n2)) "$(printf '%s\n' "${w2[@]}" | med)" "$(echo "$(printf '%s\n' "${m2[@]}" | med) / 1024" | bc -l)"
echo "ratio $n2/$n1 (median of $runs side-by-side pairs): $(printf '%.2f' "$rm"), exponent $(echo "l($rm) / l($n2 / $n1)" | bc -l | xargs printf '%.2f')"
