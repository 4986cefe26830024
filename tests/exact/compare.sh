#!/usr/bin/env bash
# The default scheduler against --exact on random small scenarios.
# Usage: tests/exact/compare.sh MVM [N] [FIRST_SEED]   (default: 50 instances, seeds from 1)
#
# Also fails if --exact returns worse than the default plan (it is seeded with it) or the
# default is more than 3 % above --exact.
# Each instance (bash's RANDOM, seeded: the same instances on every run): 4 or 5 hosts behind
# their own full-duplex links of 500 Mb/s or 1 Gb/s on one non-blocking switch; 3 to 7 VMs
# of 1000-4000 MB, idle or stressed (hot 20-80 MB over 1-3 s, cold 0-10 MB/s), each moving
# to another host; the destination may start off (boot) and an emptied source may shut
# down; sometimes a sync pair, a serialize pair, a precedence. Every plan goes through
# `mvm check`. Fails if a check fails, if the lower bound exceeds the exact optimum, or if
# the default scheduler restricted to bottleneck rates (--no-levels, the exact mode's own
# space with --exact-levels 1) beats the exact optimum: either would be a bug.
# An instance both report infeasible (exit 3: e.g. a sync pair into one link) is skipped and
# counted; seeds go on until N instances are compared (at most 4N seeds).
# Prints one line per instance and the mean and worst gaps.
set -uo pipefail
. "$(dirname "$0")/../random/gen.sh"
MVM=${1:?usage: compare.sh MVM [N] [FIRST_SEED]}
N=${2:-50}
FIRST=${3:-1}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
sum_of() { sed -nE 's/.*sum of end times ([0-9.]+) s.*/\1/p'; }
printf '%5s %4s %12s %12s %12s %12s %9s %9s\n' seed VMs exact default no-levels bound gap_def% gap_nol%
skipped=0
compared=0
for ((i = FIRST; compared < N && i < FIRST + 4 * N; i++)); do
  gen_instance "$i" "$T"
  out_x=$("$MVM" plan "$T/s.xml" -o "$T/x.csv" --exact 2>&1)
  rx=$?
  out_d=$("$MVM" plan "$T/s.xml" -o "$T/d.csv" 2>&1)
  rd=$?
  if [ $rx = 3 ] && [ $rd = 3 ]; then skipped=$((skipped + 1)); continue; fi
  [ $rx = 0 ] || { echo "seed $i: --exact failed ($rx): $out_x"; fail=1; continue; }
  [ $rd = 0 ] || { echo "seed $i: plan failed ($rd): $out_d"; fail=1; continue; }
  out_n=$("$MVM" plan "$T/s.xml" -o "$T/n.csv" --no-levels 2>&1) || { echo "seed $i: plan failed"; fail=1; continue; }
  for f in x d n; do
    "$MVM" check "$T/s.xml" "$T/$f.csv" >"$T/check.txt" 2>&1 || { echo "seed $i: plan $f fails check:"; cat "$T/check.txt"; fail=1; }
  done
  grep -q "optimal (search complete)" <<<"$out_x" || { echo "seed $i: exact search not complete"; fail=1; }
  x=$(sum_of <<<"$out_x"); d=$(sum_of <<<"$out_d"); n=$(sum_of <<<"$out_n")
  lb=$(sed -nE 's/.*lower bound ([0-9.]+) s.*/\1/p' <<<"$out_x")
  gd=$(awk -v a="$d" -v b="$x" 'BEGIN{printf "%.3f", 100 * (a - b) / b}')
  gn=$(awk -v a="$n" -v b="$x" 'BEGIN{printf "%.3f", 100 * (a - b) / b}')
  printf '%5s %4s %12s %12s %12s %12s %9s %9s\n' "$i" "$nvm" "$x" "$d" "$n" "$lb" "$gd" "$gn"
  awk -v l="$lb" -v x="$x" 'BEGIN{exit !(l <= x + 1e-3)}' || { echo "seed $i: lower bound $lb above the optimum $x"; fail=1; }
  awk -v n="$n" -v x="$x" 'BEGIN{exit !(n >= x - 1e-3)}' || { echo "seed $i: --no-levels $n beats the exact optimum $x"; fail=1; }
  # --exact starts from the default plan: never worse; the default must stay within 3 %
  awk -v d="$d" -v x="$x" 'BEGIN{exit !(x <= d + 1e-3)}' || { echo "seed $i: --exact $x worse than the default $d"; fail=1; }
  awk -v g="$gd" 'BEGIN{exit !(g <= 3)}' || { echo "seed $i: default $gd % above --exact (floor 3 %)"; fail=1; }
  echo "$gd $gn $lb $x" >>"$T/gaps"
  compared=$((compared + 1))
done
echo "($skipped instances infeasible for both schedulers skipped)"
awk '{sd += $1; sn += $2; if ($1 > wd) wd = $1; if ($2 > wn) wn = $2; b = 100 * ($4 - $3) / $4; sb += b; if (b > wb) wb = b; k++}
     END {printf "%d instances: default vs exact: mean gap %.3f %%, worst %.3f %%; --no-levels vs exact: mean %.3f %%, worst %.3f %%; exact vs lower bound: mean %.3f %%, worst %.3f %%\n", k, sd / k, wd, sn / k, wn, sb / k, wb}' "$T/gaps"
[ "$compared" -eq "$N" ] || { echo "only $compared instances compared"; fail=1; }
exit $fail
