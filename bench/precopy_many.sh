#!/usr/bin/env bash
# Speed of the simulation: K concurrent live migrations, all started at time 0, with the mvm
# plugin and with SimGrid's own (sg_vm_migrate), on disjoint paths (fan-in 1) and with 4
# migrations sharing each destination link (fan-in 4). Prints the median wall time of the
# simulation over R runs (simgrid_run only; the platform load is printed apart), the
# simulated end, the rounds (mvm plugin) and the peak resident memory of the last run.
# Usage: bench/precopy_many.sh [BUILD_DIR] [R] [K...]   (default R 3, K 1000 10000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}; shift || true
runs=${1:-3}; shift || true
counts=${*:-1000 10000}
bin=$build/bench/precopy_many
# 10,000 VMs of the builtin plugin need ~4 long-lived actors each: without stack guard
# pages, or SimGrid exceeds vm.max_map_count (65,530 mappings). The mvm plugin keeps its
# defaults: it starts a short-lived receiver actor per round, whose stacks SimGrid then
# callocs in full (8 MiB each) without guard pages: 20x slower.
med() { sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -nE "s/.* $1=([^ ]+).*/\1/p"; }
printf '%7s %7s %8s %12s %10s %11s %9s %9s\n' K fan_in engine run_med_s load_s sim_end_s rounds peak_MiB
for k in $counts; do
  for f in 1 4; do
    for e in mvm builtin; do
      walls=()
      cfg=--cfg=contexts/guard-size:4096; [ "$e" = builtin ] && cfg=--cfg=contexts/guard-size:0
      for ((r = 0; r < runs; r++)); do
        out=$(/usr/bin/time -f "peak=%M" "$bin" --engine "$e" --migrations "$k" --fan-in "$f" "$cfg" 2>&1 |
          grep -v '^\[')
        walls+=("$(echo "$out" | field wall_run_s)")
      done
      line=$(echo "$out" | tr '\n' ' ')
      rounds=$(echo " $line" | field rounds); [ -n "$rounds" ] || rounds=-
      printf '%7s %7s %8s %12s %10s %11s %9s %9.0f\n' "$k" "$f" "$e" "$(printf '%s\n' "${walls[@]}" | med)" \
        "$(echo " $line" | field wall_load_s)" "$(echo " $line" | field sim_end_s)" "$rounds" \
        "$(echo "$(echo " $line " | sed -nE 's/.*peak=([0-9]+).*/\1/p') / 1024" | bc -l)"
    done
  done
done
