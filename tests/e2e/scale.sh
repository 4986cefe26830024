#!/usr/bin/env bash
# End-to-end tests of the scale features (issue 16): generated platforms SimGrid loads in
# linear time, the fat-tree family, plots that never fail, --no-plots, Paje traces, progress,
# and the replay at scale: outputs unchanged by its speed work, 96,000 migrations without --cfg.
# Usage: scale.sh MVM SOURCE_DIR. Prints "N passed, M failed"; exits non-zero if any failed.
set -u
MVM=$1
SRC=$2
. "$(dirname "$0")/../lib.sh" scale

# ---- generated decommission platforms: three zones whatever the scale ----
expect 0 "" "generate decommission --scale 3" -- "$MVM" generate decommission --scale 3 -o "$T/gen"
z=$(grep -c "<zone " "$T/gen/scale-3.platform.xml")
[ "$z" -eq 3 ] && ok "scale-3 platform has 3 zones (not one per rack)" || ko "scale-3 platform has $z zones"
expect 0 "" "mvm info on it" -- "$MVM" info "$T/gen/scale-3.xml"
# the route of a cross-side migration: server link, backbone, uplinks, core, uplinks, backbone,
# server link, as with one zone per rack (same capacities, latencies and order)
grep -qF "vm000000: rack-s0_link_0_UP > old-backbone > old-uplinks > core_UP > new-uplinks > new-backbone > rack-d0_link_0_DOWN" "$T/out" &&
  ok "the cross-side route has the 7 links of the per-rack form" || ko "route: $(grep -m1 "vm000000:" "$T/out")"

# ---- fat trees ----
for shape in random decommission rebalance; do
  expect 0 "" "generate fat-tree k=8 $shape" -- "$MVM" generate fat-tree --k 8 --shape $shape --migrations 60 --seed 7 -o "$T/ft"
  cp "$T/ft/fat-tree-8-$shape.xml" "$T/ft-$shape.first"
  "$MVM" generate fat-tree --k 8 --shape $shape --migrations 60 --seed 7 -o "$T/ft" 2>/dev/null
  cmp -s "$T/ft/fat-tree-8-$shape.xml" "$T/ft-$shape.first" && ok "fat-tree $shape: same seed, same file" || ko "fat-tree $shape not deterministic"
  n=$(grep -c "<vm " "$T/ft/fat-tree-8-$shape.xml")
  [ "$n" -eq 60 ] && ok "fat-tree $shape: 60 migrations" || ko "fat-tree $shape: $n VMs"
  expect 0 "gap" "plan fat-tree k=8 $shape" -- "$MVM" plan "$T/ft/fat-tree-8-$shape.xml" -o "$T/ft-$shape.csv"
  expect 0 " 0 violations" "fat-tree $shape plan passes check" -- "$MVM" check "$T/ft/fat-tree-8-$shape.xml" "$T/ft-$shape.csv"
done
# the platform is SimGrid's FAT_TREE: a cross-pod route is host, edge, aggregation, core,
# aggregation, edge, host (6 links)
grep -q 'topology="FAT_TREE" topo_parameters="3;4,4,8;1,4,4;1,1,1"' "$T/ft/fat-tree-8.platform.xml" &&
  ok "k=8: SimGrid FAT_TREE cluster, 128 hosts" || ko "k=8 platform: $(grep cluster "$T/ft/fat-tree-8.platform.xml")"
"$MVM" generate fat-tree --k 8 --seed 8 --migrations 60 -o "$T/ft8" 2>/dev/null
cmp -s "$T/ft8/fat-tree-8-random.xml" "$T/ft-random.first" && ko "another seed gave the same placement" || ok "another seed, another placement"
expect 0 "" "replay of a fat-tree plan" -- "$MVM" replay "$T/ft/fat-tree-8-rebalance.xml" "$T/ft-rebalance.csv" -o "$T/rft" --no-plots
expect 2 "even number from 4 to 64" "fat-tree --k 7 refused" -- "$MVM" generate fat-tree --k 7 -o "$T/bad"
expect 2 "between 1 and 16" "fat-tree: more migrations than hosts refused" -- "$MVM" generate fat-tree --k 4 --migrations 17 -o "$T/bad"
expect 2 "--shape must be" "fat-tree: unknown shape refused" -- "$MVM" generate fat-tree --k 4 --shape star -o "$T/bad"
expect 2 "not a whole number" "fat-tree: --seed x refused" -- "$MVM" generate fat-tree --k 4 --seed x -o "$T/bad"
[ ! -e "$T/bad" ] && ok "nothing written on refusal" || ko "files left in $T/bad"

[ -f "$T/rft/actions.csv" ] && [ -f "$T/rft/summary.json" ] && ! ls "$T/rft" | grep -qE '\.(png|gp|dat)$' &&
  ok "--no-plots: the result files and no plot, script or plot data" || ko "--no-plots: $(ls "$T/rft" | tr '\n' ' ')"

# ---- plots that scale ----
# few migrations: one box and one label per migration; many: aggregated lanes (groups of
# source hosts, migrations in progress), which gnuplot draws at any size
S4=$SRC/scenarios/four-to-one.xml
"$MVM" plan "$S4" -o "$T/s4.csv" 2>/dev/null
expect 0 "" "replay four-to-one with plots" -- "$MVM" replay "$S4" "$T/s4.csv" -o "$T/r4"
grep -q "with labels" "$T/r4/gantt-mvm.gp" && [ ! -e "$T/r4/gantt-mvm-pred.dat" ] &&
  ok "four-to-one: detailed Gantt (a label per migration)" || ko "four-to-one Gantt: $(head -3 "$T/r4/gantt-mvm.gp")"
"$MVM" generate decommission --scale 10 -o "$T/g10" 2>/dev/null
"$MVM" plan -q "$T/g10/scale-10.xml" -o "$T/p10.csv" 2>/dev/null
expect 0 "" "replay of 960 migrations with plots" -- "$MVM" replay "$T/g10/scale-10.xml" "$T/p10.csv" -o "$T/r10"
grep -q "960 migrations from 480 source hosts in 48 groups" "$T/r10/gantt-mvm.gp" && ! grep -q "with labels" "$T/r10/gantt-mvm.gp" &&
  ok "960 migrations: aggregated Gantt, 48 lanes" || ko "960: $(grep title "$T/r10/gantt-mvm.gp")"
# every simulated migration is counted once: the count x duration summed over the profile
# equals the sum of the simulated durations
awk -F, 'NR>1 && $2=="migrate"{s+=$10-$9} END{printf "%.3f\n", s}' "$T/r10/actions.csv" >"$T/sum1"
awk '{s+=($3-$2)*$4} END{printf "%.3f\n", s}' "$T/r10/gantt-mvm.dat" >"$T/sum2"
awk -v a="$(cat "$T/sum1")" -v b="$(cat "$T/sum2")" 'BEGIN{d=a-b; if (d<0) d=-d; exit !(a > 0 && d < 1e-3 * a)}' &&
  ok "aggregated Gantt: migrations x time = the simulated durations ($(cat "$T/sum2") s)" || ko "profile $(cat "$T/sum2") vs actions $(cat "$T/sum1")"
if command -v gnuplot >/dev/null; then
  [ -s "$T/r10/gantt-mvm.png" ] && [ -s "$T/r10/power.png" ] && ok "960 migrations: both PNGs drawn" || ko "960: PNGs missing"
  [ -s "$T/r4/gantt-mvm.png" ] && ok "four-to-one: PNG drawn" || ko "four-to-one: PNG missing"
fi

# ---- progress on standard error: asked (--progress) when it is not a terminal, never with -q ----
"$MVM" replay "$T/g10/scale-10.xml" "$T/p10.csv" -o "$T/rp" --no-plots --progress >/dev/null 2>"$T/prog"
grep -q "loading the platform" "$T/prog" && grep -q "simulating: 1680/1680 actions (100 %)" "$T/prog" &&
  ok "--progress: platform loading and simulation done/total" || ko "--progress: $(head -c 300 "$T/prog")"
# (a sanitizer build warns on standard error about SimGrid's stack switches: not progress)
"$MVM" replay "$T/g10/scale-10.xml" "$T/p10.csv" -o "$T/rp" --no-plots 2>&1 >/dev/null | grep -v "^==[0-9]*==WARNING\|^False positive\|^For details see" >"$T/prog"
[ ! -s "$T/prog" ] && ok "no progress when standard error is not a terminal" || ko "unasked progress: $(head -c 200 "$T/prog")"
"$MVM" replay "$T/g10/scale-10.xml" "$T/p10.csv" -o "$T/rp" --no-plots --progress -q 2>&1 >/dev/null | grep -v "^==[0-9]*==WARNING\|^False positive\|^For details see" >"$T/prog"
[ ! -s "$T/prog" ] && ok "-q silences progress" || ko "-q: $(head -c 200 "$T/prog")"
"$MVM" plan "$T/g10/scale-10.xml" -o "$T/p10b.csv" --progress 2>"$T/prog"
grep -q "planning 960 VMs" "$T/prog" && cmp -s "$T/p10.csv" "$T/p10b.csv" && ok "plan --progress: phases, same plan" || ko "plan --progress: $(head -c 300 "$T/prog")"

# ---- Paje trace: one variable (tracing category) per migration, its bandwidth on each link ----
expect 0 "" "replay --trace" -- "$MVM" replay "$S4" "$T/s4.csv" -o "$T/rt" --trace --no-plots
nv=$(grep -c '^1 v' "$T/rt/trace.paje")
nm=$(awk -F, 'NR>1 && $2=="migrate"' "$T/r4/actions.csv" | wc -l)
[ "$nv" -eq "$nm" ] && [ "$nm" -gt 0 ] && ok "trace: one variable type per migration ($nv)" || ko "trace: $nv variable types for $nm migrations"
# read back: per migration and link, the integral of its bandwidth is the data it sent
# (sum of rate x time of the ends minus that of the starts), on every link of its route
awk '$1 == 1 {name[$2] = $4; gsub(/"/, "", name[$2])}
     $1 == 5 {I[$3 " " $4] -= $5 * $2; links[$3 " " $4] = 1}
     $1 == 6 {I[$3 " " $4] += $5 * $2}
     END {for (k in I) {split(k, p, " "); printf "%s %.0f\n", name[p[1]], I[k]}}' "$T/rt/trace.paje" | sort >"$T/trace-bytes"
awk -F, 'NR>1 && $2=="migrate" {printf "%s %.0f\n", $3, $11 * 1e6}' "$T/rt/actions.csv" | sort >"$T/act-bytes"
awk 'NR == FNR {want[$1] = $2; next} {d = $2 - want[$1]; if (d < 0) d = -d; if (!($1 in want) || d > 1e-5 * want[$1] + 100) bad++; n++}
     END {exit !(n > 0 && !bad)}' "$T/act-bytes" "$T/trace-bytes" &&
  ok "trace read back: each migration's bandwidth integrates to its data sent, on each of its $(wc -l <"$T/trace-bytes") (migration, link) pairs" ||
  ko "trace bytes: $(head -3 "$T/trace-bytes" | tr '\n' ' ') vs $(head -3 "$T/act-bytes" | tr '\n' ' ')"
cp "$T/rt/trace.paje" "$T/trace1"
"$MVM" replay "$S4" "$T/s4.csv" -o "$T/rt" --trace --no-plots >/dev/null 2>&1
cmp -s "$T/rt/trace.paje" "$T/trace1" && ok "trace: byte-identical across runs" || ko "trace differs between two runs"
if command -v pj_dump >/dev/null; then
  pj_dump "$T/rt/trace.paje" >"$T/pj" 2>&1 && grep -q "^Variable, " "$T/pj" && ok "pajeng (pj_dump) reads the trace" || ko "pj_dump: $(head -c 300 "$T/pj")"
fi
[ ! -e "$T/r4/trace.paje" ] && ok "no trace without --trace" || ko "trace.paje written without --trace"

# ---- the replay's speed at scale changes nothing it simulates ----
# A stored scale-3 decommission (scenario, platform, plan: independent of the generator and the
# scheduler as they evolve), replayed in both modes: the same bytes as before the replay's speed
# work (8580307: FATPIPE links as bounds, boots and shutdowns as timers, contexts chosen by mvm).
# Update these sums only for a change meant to alter the simulation.
S3=$SRC/tests/e2e/scale3
out_sums() { # DIR: actions + power, summary without versions and paths
  (cat "$1/actions.csv" "$1/power.csv" | sha256sum | cut -c1-64
   grep -v '"mvm_version"\|"simgrid_version"\|"scenario"\|"platform"' "$1/summary.json" | sha256sum | cut -c1-64) | tr '\n' ' '
}
for m in "event 788e89d6774e09712045816c27a47c02e4fcfddd46337603200bc5ba2464fbbe d0149541a575a00388488483acdb1c6fb9e09166d5b45633e81508df35f6fc19" \
         "time bc58b51d37aabbc5a829b2f802110fa5e32a0b489b836c8c67ca52a8f655a457 c16d9a97579de69bc83f33f320189937b824a38363111eba9b6e90d8fd1c3f57"; do
  set -- $m
  "$MVM" replay "$S3/scale-3.xml" "$S3/scale-3-plan.csv" -o "$T/s3-$1" --no-plots -q --mode "$1" >/dev/null 2>&1
  got=$(out_sums "$T/s3-$1")
  [ "$got" = "$2 $3 " ] && ok "scale-3 replay, $1 mode: outputs byte-identical to before the speed work" ||
    ko "scale-3 replay, $1 mode: sums $got"
done
# FATPIPE links that can never limit a migration are unbound (SimGrid's solver walks every flow
# of a FATPIPE link per flow it fixes); --keep-fatpipe keeps them: the same outputs either way
"$MVM" replay "$S3/scale-3.xml" "$S3/scale-3-plan.csv" -o "$T/s3-keep" --no-plots -q --keep-fatpipe >/dev/null 2>&1
[ "$(out_sums "$T/s3-keep")" = "$(out_sums "$T/s3-event")" ] && ok "--keep-fatpipe: same outputs" || ko "--keep-fatpipe changes the outputs"
"$MVM" replay "$S3/scale-3.xml" "$S3/scale-3-plan.csv" -o "$T/s3-log" --no-plots -q --log=mvm_fatpipe.thres:verbose >/dev/null 2>"$T/fp"
grep -q "4 FATPIPE links unbound" "$T/fp" && grep -q "old-backbone can never limit" "$T/fp" &&
  ok "the 4 FATPIPE links of the generated data centre are unbound" || ko "unbound: $(tail -c 300 "$T/fp")"
# a FATPIPE backbone slower than the server links could limit the migrations: kept as it is
mkdir -p "$T/slow"
cp "$S3/scale-3.xml" "$T/slow/"
sed 's|<link id="old-backbone" bandwidth="100Gbps"|<link id="old-backbone" bandwidth="500Mbps"|' "$S3/scale-3.platform.xml" >"$T/slow/scale-3.platform.xml"
grep -q 'old-backbone" bandwidth="500Mbps"' "$T/slow/scale-3.platform.xml" || ko "test set-up: the backbone was not slowed"
"$MVM" plan -q "$T/slow/scale-3.xml" -o "$T/slow/plan.csv" 2>/dev/null
"$MVM" replay "$T/slow/scale-3.xml" "$T/slow/plan.csv" -o "$T/slow/r" --no-plots -q --log=mvm_fatpipe.thres:verbose >/dev/null 2>"$T/fp"
"$MVM" replay "$T/slow/scale-3.xml" "$T/slow/plan.csv" -o "$T/slow/k" --no-plots -q --keep-fatpipe >/dev/null 2>&1
grep -q "old-backbone could limit a migration of the plan: kept" "$T/fp" && grep -q "3 FATPIPE links unbound" "$T/fp" &&
  ok "a FATPIPE backbone slower than the servers is kept, the others unbound" || ko "slow backbone: $(tail -c 400 "$T/fp")"
[ -s "$T/slow/r/actions.csv" ] && [ "$(out_sums "$T/slow/r")" = "$(out_sums "$T/slow/k")" ] &&
  ok "slow backbone: same outputs with --keep-fatpipe" || ko "slow backbone: outputs differ with --keep-fatpipe"

# ---- the 96,000-migration plan: replayed without any --cfg (mvm chooses SimGrid's contexts) ----
# (before: "Failed to protect stack" unless run with contexts/guard-size:0 and small stacks,
# and 435 s; the floor of issue 16 is 120 s on 2 cores, the bound here leaves room for a
# loaded machine). Not under valgrind (tests/valgrind/run.sh sets MVM_TEST_SLOW): hours there.
if [ -n "${MVM_TEST_SLOW:-}" ]; then
  finish
  exit
fi
"$MVM" generate decommission --scale 1000 -o "$T/g1000" >/dev/null 2>&1
"$MVM" plan -q "$T/g1000/scale-1000.xml" -o "$T/p1000.csv" >/dev/null 2>&1
t0=$(date +%s)
"$MVM" replay "$T/g1000/scale-1000.xml" "$T/p1000.csv" -o "$T/r1000" --no-plots -q --log=mvm_replay.thres:verbose >"$T/out" 2>"$T/err"
rc=$?
t1=$(date +%s)
[ "$rc" -eq 0 ] && grep -qE "^mvm +96000 .* 434\.78 +434\.78 " "$T/out" &&
  ok "96,000 migrations replayed without --cfg, ending at 434.78 s as planned ($((t1 - t0)) s)" ||
  ko "96,000 migrations: exit $rc: $(head -c 300 "$T/out") $(tail -c 300 "$T/err")"
grep -q "peak of 10000 planned concurrent migrations.*: with guard pages, stacks of 256 KiB" "$T/err" &&
  ok "10,000 concurrent migrations: guard pages kept, 256 KiB stacks" || ko "contexts: $(grep -m1 peak "$T/err")"
[ $((t1 - t0)) -lt 300 ] && ok "96,000 migrations in $((t1 - t0)) s (< 300 s; 435 s before)" || ko "96,000 migrations took $((t1 - t0)) s"

finish
