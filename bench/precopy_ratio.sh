#!/usr/bin/env bash
# Simulation speed of the mvm plugin against SimGrid's own live migration (sg_vm_migrate), as
# ratios measured side by side: each repeat runs the mvm engine and the builtin one back to
# back on the same K concurrent migrations (bench/precopy_many), and the ratio of their
# simgrid_run wall times is taken per repeat; prints the median of the ratios and of each
# engine's times, at fan-in 1 (disjoint paths) and 4 (4 migrations share each destination
# link). Stacks: SimGrid's default guard page for the mvm engine, none for the builtin one
# (contexts/guard-size:0: its 10,000 VMs need 4 long-lived actors each, more memory mappings
# than vm.max_map_count allows with guard pages), as bench/precopy_many.sh does. (Without
# guard pages SimGrid callocs every stack in full: the plugin with a receiver per round was
# then 36x slower, 72 s for 10,000 migrations.)
# Usage: bench/precopy_ratio.sh [BUILD_DIR] [R] [K]   (default R 5, K 10000)
# A second BUILD_DIR in OTHER=DIR adds that build's mvm engine in the same rotation (before/after).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=${2:-5}
k=${3:-10000}
other=${OTHER:-}
med() { sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
wall() {
  local g=4096; [ "$2" = builtin ] && g=0
  "$1" --engine "$2" --migrations "$k" --fan-in "$3" --cfg=contexts/guard-size:$g 2>/dev/null |
    sed -nE 's/.*wall_run_s=([0-9.]+).*/\1/p'
}
printf '%7s %7s %12s %12s %10s%s\n' K fan_in mvm_med_s builtin_med_s ratio_med "${other:+   other_mvm_med_s other/new}"
for f in 1 4; do
  m=() b=() r=() o=() ro=()
  for ((i = 0; i < runs; i++)); do
    tm=$(wall "$build/bench/precopy_many" mvm $f)
    tb=$(wall "$build/bench/precopy_many" builtin $f)
    m+=("$tm") b+=("$tb") r+=("$(echo "$tm / $tb" | bc -l)")
    if [ -n "$other" ]; then
      to=$(wall "$other/bench/precopy_many" mvm $f)
      o+=("$to") ro+=("$(echo "$to / $tm" | bc -l)")
    fi
  done
  printf '%7s %7s %12s %12s %10.3f' "$k" "$f" "$(printf '%s\n' "${m[@]}" | med)" "$(printf '%s\n' "${b[@]}" | med)" \
    "$(printf '%s\n' "${r[@]}" | med)"
  [ -n "$other" ] && printf ' %17s %9.3f' "$(printf '%s\n' "${o[@]}" | med)" "$(printf '%s\n' "${ro[@]}" | med)"
  echo
done
