#!/usr/bin/env bash
# Reproduces what exists so far of the paper's experiments into OUT (default results/):
#   four-to-one: every scheduler planned and replayed (Table 1 and Figure 1 analogues);
#   scale-N for N = 1, 2, 4, 10: generated, planned, checked (Figure 3 analogue: solve time).
# Usage: validation/reproduce.sh [BUILD_DIR] [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/results}
mvm=$build/cli/mvm
mkdir -p "$out"
echo "== four-to-one (seed section 4.1) ==" >&2
"$mvm" run "$here/scenarios/four-to-one.xml" -o "$out/four-to-one" | tee "$out/four-to-one/table.txt"
echo "== decommissioning at scale (seed section 5) ==" >&2
printf 'scale,vms,actions,solve_s,objective_s,lower_bound_s,gap_pct\n' >"$out/scale.csv"
for n in 1 2 4 10; do
  "$mvm" generate decommission --scale "$n" -o "$out/scale" 2>/dev/null
  line=$("$mvm" plan "$out/scale/scale-$n.xml" -o "$out/scale/plan-$n.csv" 2>&1 >/dev/null)
  "$mvm" check "$out/scale/scale-$n.xml" "$out/scale/plan-$n.csv" >/dev/null
  echo "$line" | sed -E "s/.*: ([0-9]+) actions, sum of end times ([0-9.]+) s.*lower bound ([0-9.]+) s, gap ([-0-9.]+)%, solved in ([0-9.]+) s.*/$n,$((96 * n)),\1,\5,\2,\3,\4/" >>"$out/scale.csv"
done
cat "$out/scale.csv" >&2
echo "results in $out" >&2
