#!/usr/bin/env bash
# Benchmark of the scheduler on the generated decommissioning scenarios.
# Prints, per scale N: VMs, median solve time over R runs (from mvm plan's own timer,
# which excludes parsing and SimGrid's platform loading), objective, lower bound, gap,
# the wall time and peak resident memory of one whole `mvm plan` run (loading included),
# and the same for `mvm check` of that plan (which must find no violation).
# Usage: bench/plan_scale.sh [BUILD_DIR] [R] [N...]   (default N: 1 2 4 10 100 1000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}; shift || true
runs=${1:-5}; shift || true
scales=${*:-1 2 4 10 100 1000}
mvm=$build/cli/mvm
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%6s %8s %12s %14s %14s %8s %10s %10s %10s %10s\n' N VMs solve_med_s objective_s lower_bound_s gap_% \
  plan_wall_s plan_MiB check_wall_s check_MiB
for n in $scales; do
  "$mvm" generate decommission --scale "$n" -o "$tmp" 2>/dev/null
  times=()
  for ((r = 0; r < runs; r++)); do
    line=$(/usr/bin/time -f "%e %M" "$mvm" plan "$tmp/scale-$n.xml" -o "$tmp/plan.csv" 2>&1 >/dev/null)
    t=$(echo "$line" | sed -nE 's/.*solved in ([0-9.]+) s.*/\1/p')
    times+=("$t")
    obj=$(echo "$line" | sed -nE 's/.*sum of end times ([0-9.]+) s.*/\1/p')
    lb=$(echo "$line" | sed -nE 's/.*lower bound ([0-9.]+) s.*/\1/p')
    gap=$(echo "$line" | sed -nE 's/.*gap ([-0-9.]+)%.*/\1/p')
    mem=$(echo "$line" | tail -1)
  done
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  chk=$(/usr/bin/time -f "%e %M" "$mvm" check "$tmp/scale-$n.xml" "$tmp/plan.csv" 2>&1 >"$tmp/check.txt" | tail -1)
  grep -q ", 0 violations" "$tmp/check.txt" || { echo "scale $n: the plan fails mvm check" >&2; exit 1; }
  printf '%6s %8s %12s %14s %14s %8s %10s %10.1f %10s %10.1f\n' "$n" $((96 * n)) "$med" "$obj" "$lb" "$gap" \
    "${mem% *}" "$(echo "${mem#* }/1024" | bc -l)" "${chk% *}" "$(echo "${chk#* }/1024" | bc -l)"
done
