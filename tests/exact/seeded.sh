#!/usr/bin/env bash
# --exact seeded with the default plan, and its symmetry breaking.
# Usage: tests/exact/seeded.sh MVM
# - stopped after one search node, --exact still returns the default plan (never worse);
# - on 12-migration random instances stopped early, --exact is never worse than the default;
# - 12-migration random instances without sync groups are proven within 2 million nodes;
# - a 10-migration random instance with a sync pair is proven within 200,000 nodes;
# - a sync pair that must start before a migration it waits for (tests/exact/sync-cut: the
#   start-order cut must stay off there, else --exact loses the 81.378 s plan);
# - seven identical VMs on one link: the search tries one order of them, not 7! (a handful of
#   search nodes), and proves the plan optimal.
set -uo pipefail
. "$(dirname "$0")/../random/gen.sh"
MVM=${1:?usage: seeded.sh MVM}
. "$(dirname "$0")/../lib.sh" seeded
sum_of() { sed -nE 's/.*sum of end times ([0-9.]+) s.*/\1/p'; }
for i in 1 2 3 4; do
  gen_instance "$i" "$T" 0 12
  d=$("$MVM" plan "$T/s.xml" -o "$T/d.csv" 2>&1 | sum_of)
  out=$("$MVM" plan "$T/s.xml" --exact --max-nodes 20000 -o "$T/x.csv" 2>&1)
  x=$(sum_of <<<"$out")
  awk -v d="$d" -v x="$x" 'BEGIN{exit !(d != "" && x != "" && x <= d + 1e-3)}' &&
    ok "seed $i, 12 VMs, 20,000 nodes: --exact $x <= default $d" || ko "seed $i: --exact '$x' vs default '$d': $out"
  "$MVM" check "$T/s.xml" "$T/x.csv" >/dev/null 2>&1 && ok "seed $i: the --exact plan passes check" || ko "seed $i: --exact plan fails check"
done
# 12 migrations without a sync group are proven (the start-order cut): within 2 million nodes
for i in 1 5 9 13; do
  gen_instance "$i" "$T" 0 12
  out=$("$MVM" plan "$T/s.xml" --exact --max-nodes 2000000 -o "$T/x.csv" 2>&1)
  grep -q "optimal (search complete)" <<<"$out" && ok "seed $i, 12 VMs: proven optimal ($(sed -nE 's/.*(after [0-9]+ search nodes).*/\1/p' <<<"$out"))" ||
    ko "seed $i, 12 VMs: not proven: $out"
done
# with a sync pair (the start-order cut off), the bound from where each unit would go now
# proves a 10-migration instance within 200,000 nodes (37,033; 1,134,565 without it)
gen_instance 9 "$T" 0 10
grep -q "<sync" "$T/s.xml" && ok "seed 9, 10 VMs: has a sync group" || ko "seed 9, 10 VMs: no sync group (the generator changed)"
out=$("$MVM" plan "$T/s.xml" --exact --max-nodes 200000 -o "$T/x.csv" 2>&1)
grep -q "optimal (search complete)" <<<"$out" && ok "seed 9, 10 VMs, sync pair: proven optimal ($(sed -nE 's/.*(after [0-9]+ search nodes).*/\1/p' <<<"$out"))" ||
  ko "seed 9, 10 VMs, sync pair: not proven within 200,000 nodes: $out"
S=$(dirname "$0")/sync-cut/scenario.xml
for opt in "--exact" "--exact --no-levels" "--no-levels"; do
  x=$("$MVM" plan "$S" $opt -o "$T/sc.csv" 2>&1 | sum_of)
  awk -v x="$x" 'BEGIN{exit !(x != "" && x <= 81.378 + 1e-3)}' && ok "sync-cut, plan $opt: $x s (81.378 s exists)" ||
    ko "sync-cut, plan $opt: '$x' s, a plan of 81.378 s exists"
done
gen_instance 5 "$T" 0 12
d=$("$MVM" plan "$T/s.xml" -o "$T/d.csv" 2>&1 | sum_of)
out=$("$MVM" plan "$T/s.xml" --exact --max-nodes 1 -o "$T/x.csv" 2>&1)
grep -q "default scheduler's plan kept" <<<"$out" && [ "$(sum_of <<<"$out")" = "$d" ] &&
  ok "one search node: the default plan is kept ($d s)" || ko "one search node: $out (default $d)"
grep -q "NOT proven" <<<"$out" && ok "one search node: not proven, and says so" || ko "one search node: claims a proof: $out"
# seven identical VMs from h0 to h1 through 1 Gb/s links
cat >"$T/p.xml" <<'P'
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1"><zone id="z" routing="Full">
<host id="h0" speed="1Gf" core="16"/><host id="h1" speed="1Gf" core="16"/>
<link id="l0" bandwidth="1Gbps" latency="50us" sharing_policy="SPLITDUPLEX"/>
<link id="l1" bandwidth="1Gbps" latency="50us" sharing_policy="SPLITDUPLEX"/>
<route src="h0" dst="h1" symmetrical="YES"><link_ctn id="l0" direction="UP"/><link_ctn id="l1" direction="DOWN"/></route>
</zone></platform>
P
{
  echo '<?xml version="1.0"?><scenario version="1" platform="p.xml"><node host="h0"/><node host="h1"/>'
  for v in 0 1 2 3 4 5 6; do echo "<vm id=\"vm$v\" memory=\"4GiB\" used=\"2000MB\" from=\"h0\" to=\"h1\"/>"; done
  echo '</scenario>'
} >"$T/s.xml"
out=$("$MVM" plan "$T/s.xml" --exact -o "$T/x.csv" 2>&1)
n=$(sed -nE 's/.*after ([0-9]+) search nodes.*/\1/p' <<<"$out")
grep -q "optimal (search complete)" <<<"$out" && awk -v n="$n" 'BEGIN{exit !(n != "" && n <= 64)}' &&
  ok "seven identical VMs: proven optimal after $n search nodes (7! = 5040 orders without symmetry breaking)" ||
  ko "seven identical VMs: $out"
finish
