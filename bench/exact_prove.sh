#!/usr/bin/env bash
# How long --exact takes to prove random 12-migration instances optimal.
# Usage: bench/exact_prove.sh MVM [N] [VMS]   (default: seeds 1..20, 12 VMs each)
# Instances: tests/random/gen.sh with NVM fixed (4-5 hosts, boots, shutdowns, sometimes a
# sync pair, a serialize pair, a precedence). Prints, per instance, the wall time, the search
# nodes and whether the search completed; then the median and worst time and how many were
# proven within 60 s (the floor of the power-plans issue). Instances infeasible for both the
# default and --exact (exit 3) are counted apart. Wall time of one process each (2 cores: run
# it on an otherwise idle machine).
set -uo pipefail
. "$(dirname "$0")/../tests/random/gen.sh"
MVM=${1:?usage: exact_prove.sh MVM [N] [VMS]}
N=${2:-20}
VMS=${3:-12}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
printf '%5s %4s %10s %12s %8s %12s %12s\n' seed VMs wall_s nodes proven exact default
: >"$T/times"
infeasible=0
for ((i = 1; i <= N; i++)); do
  gen_instance "$i" "$T" 0 "$VMS"
  t0=$(date +%s.%N)
  out=$(timeout 600 "$MVM" plan "$T/s.xml" --exact -o "$T/x.csv" 2>&1)
  rc=$?
  t1=$(date +%s.%N)
  if [ $rc = 3 ]; then infeasible=$((infeasible + 1)); continue; fi
  w=$(echo "$t1 - $t0" | bc -l)
  nodes=$(sed -nE 's/.*after ([0-9]+) search nodes.*/\1/p' <<<"$out")
  proven=no; grep -q "optimal (search complete)" <<<"$out" && proven=yes
  x=$(sed -nE 's/.*sum of end times ([0-9.]+) s.*/\1/p' <<<"$out")
  d=$("$MVM" plan "$T/s.xml" -o "$T/d.csv" 2>&1 | sed -nE 's/.*sum of end times ([0-9.]+) s.*/\1/p')
  printf '%5s %4s %10.3f %12s %8s %12s %12s\n' "$i" "$VMS" "$w" "$nodes" "$proven" "$x" "$d"
  echo "$w $proven" >>"$T/times"
done
sort -g "$T/times" | awk -v inf="$infeasible" '{t[NR] = $1; if ($2 == "yes" && $1 < 60) p++}
  END {m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
       printf "%d instances (%d infeasible skipped): median %.3f s, worst %.3f s, proven within 60 s: %d of %d\n", NR, inf, m, t[NR], p, NR}'
