#!/usr/bin/env bash
# End-to-end tests: drive the `mvm` binary. Usage: run.sh MVM SOURCE_DIR
# Prints "N passed, M failed" and exits non-zero if any failed.
set -u
MVM=$1
SRC=$2
. "$(dirname "$0")/../lib.sh" e2e
S4=$SRC/scenarios/four-to-one.xml
# SimGrid's LV08 as it ships (mvm's calibrated defaults turn crosstraffic off and use 0.941):
# the tests of the acknowledgement model run with it
LV08=(--cfg=network/crosstraffic:1 --cfg=network/bandwidth-factor:0.97)
BAD=$SRC/tests/bad


# ---- the tool ----
expect 0 "SimGrid 3\.32" "version names mvm and SimGrid" -- "$MVM" --version
expect 0 "Exit status: 0 ok, 1 plan violations" "help documents exit statuses" -- "$MVM" --help
for c in info plan check replay run generate; do
  expect 0 "Usage: mvm $c" "$c --help" -- "$MVM" "$c" --help
done
expect 2 "unknown command" "unknown command" -- "$MVM" frobnicate
expect 0 "vm1: eth-src1_UP > switch > eth-dst_DOWN" "info shows routes (SPLITDUPLEX directions)" -- "$MVM" info "$S4"
expect 0 "mVM model 30\.94 s" "info shows the predicted duration alone (calibrated: 2.5 s set-up, 0.941, half the dirtied data resent)" -- "$MVM" info "$S4"
expect 0 "acknowledgements \\(5 % of the rate\\) back: eth-dst_UP > switch > eth-src1_DOWN" "info shows the acknowledgements' route back (crosstraffic on)" -- "$MVM" info "$S4" "${LV08[@]}"

# ---- bad input: status, file:line and object, no output file left ----
bad() { # FILE STATUS PATTERN
  rm -f "$T/plan.csv"
  expect "$2" "$3" "bad input $1" -- "$MVM" plan "$BAD/$1" -o "$T/plan.csv"
  if [ -e "$T/plan.csv" ] || ls "$T"/plan.csv.tmp.* >/dev/null 2>&1; then ko "bad input $1 left an output file"; fi
}
bad truncated.xml 2 "truncated.xml:[0-9]+: malformed XML"
bad schema-unknown-element.xml 2 "schema-unknown-element.xml:3: schema: .*teleport"
bad unknown-workload.xml 2 "unknown-workload.xml:3: vm 'vm0': unknown workload 'nope'"
bad unknown-host.xml 2 "unknown-host.xml:3: node 'mars': no such host"
bad duplicate-vm.xml 2 "duplicate-vm.xml:4: vm 'vm0': declared twice"
bad bad-unit.xml 2 "bad-unit.xml:3: schema: .*2Go"
bad negative-size.xml 2 "negative-size.xml:3: schema"
bad cyclic-precedence.xml 2 "cyclic-precedence.xml:[56]: precedence: cycle"
bad used-over-memory.xml 2 "used-over-memory.xml:3: vm 'vm0': uses more memory"
bad missing-platform.xml 2 "missing-platform.xml:1: scenario: platform file .*nowhere.xml"
bad no-route.xml 2 "no-route.xml:3: vm 'vm0': no route from 'src1' to 'src2'"
bad never-converges.xml 3 "never-converges.xml:4: vm 'vm0' never converges"
bad power-below-idle.xml 3 "power-below-idle.xml:4: power-budget: 200.0 W is below the initial draw"
bad swap-full-nodes.xml 3 "does not fit in the memory of node"
"$MVM" plan "$BAD/no-route-back.xml" -o "$T/nrb.csv" >/dev/null 2>&1 && ok "no route back: fine without crosstraffic (the default)" || ko "no route back refused without crosstraffic"
badcfg() { # FILE STATUS PATTERN CFG...
  local f=$1 st=$2 pat=$3
  shift 3
  rm -f "$T/plan.csv"
  expect "$st" "$pat" "bad input $f ($*)" -- "$MVM" plan "$BAD/$f" -o "$T/plan.csv" "$@"
  if [ -e "$T/plan.csv" ]; then ko "bad input $f left an output file"; fi
}
badcfg no-route-back.xml 2 "no-route-back.xml:3: vm 'vm0': no route back from 'b' to 'a' in .*oneway.platform.xml \\(SimGrid sends the acknowledgements that way" "${LV08[@]}"
bad truncated-platform.xml 2 "truncated.platform.xml:7: malformed XML"
bad absurd-size.xml 2 "absurd-size.xml:3: vm 'vm0': attribute used: size '1e300MB' is absurdly large"
bad absurd-rate.xml 2 "absurd-rate.xml:3: workload 'w': attribute cold-rate: rate '1e30MB/s' is absurdly large"
bad sync-serialize.xml 3 "sync-serialize.xml:6: serialize: vm 'vm1' and vm 'vm0' must end together \\(sync, line 5\\)"
bad sync-precedence.xml 3 "sync-precedence.xml:8: precedence: vm 'vm2' and vm 'vm0' must end together"
bad deadline-vs-budget.xml 3 "deadline-vs-budget.xml:6: deadline: vm 'vm1' cannot end by 12.000 s .* because of power-budget \\(line 7\\)$"
expect 2 "unknown policy 'fifo' \(built in: mvm, btrplace, cap-K" "unknown scheduler (-s takes policies)" -- "$MVM" plan "$S4" -s fifo
expect 2 "cannot read" "missing scenario file" -- "$MVM" plan /nonexistent.xml
expect 2 "expects one scenario" "missing argument" -- "$MVM" plan

# ---- plans: mvm plans pass the checker, deterministic, Figure 1 shape ----
expect 0 "gap" "plan four-to-one" -- "$MVM" plan "$S4" -o "$T/p1.csv"
expect 0 "0 violations" "mvm plan passes check" -- "$MVM" check "$S4" "$T/p1.csv"
"$MVM" plan -q "$S4" -o "$T/p2.csv"
cmp -s "$T/p1.csv" "$T/p2.csv" && ok "plans are byte-identical across runs" || ko "plans differ across runs"
# two at a time into dst, co-located VMs sequential, sync pairs end together
if awk -F, '/^migrate/{s[$2]=$5; e[$2]=$6} END{
      if (s["vm0"]!=s["vm4"] || e["vm0"]!=e["vm4"] || e["vm1"]!=e["vm5"] || e["vm2"]!=e["vm6"] || e["vm3"]!=e["vm7"]) exit 1;
      if (s["vm1"] < e["vm0"] || s["vm2"] < e["vm3"] && s["vm3"] < e["vm2"]) exit 1;
      n=0; for (v in s) if (s[v]==0) n++; if (n!=2) exit 1 }' "$T/p1.csv"; then
  ok "four-to-one plan has the seed's Figure 1 shape"
else ko "four-to-one plan shape"; fi
for s in btrplace cap-2 cap-3; do
  expect 0 "" "plan with $s" -- "$MVM" plan "$S4" -s "$s" -o "$T/$s.csv"
done
expect 1 "network element eth-dst_DOWN" "checker flags the BtrPlace plan's overcommitted link" -- "$MVM" check "$S4" "$T/btrplace.csv"
grep -v "^migrate,vm3," "$T/p1.csv" >"$T/missing.csv"
expect 1 "missing action: migrate vm3" "checker flags a missing action" -- "$MVM" check "$S4" "$T/missing.csv"
"$MVM" plan -q "$SRC/tests/e2e/dst-off.xml" -o "$T/off.csv"
expect 0 "0 violations" "plan with a boot passes check" -- "$MVM" check "$SRC/tests/e2e/dst-off.xml" "$T/off.csv"
grep -v "^boot," "$T/off.csv" >"$T/noboot.csv"
expect 1 "enters node dst, which is off and never booted" "checker flags a migration into a node still off" -- "$MVM" check "$SRC/tests/e2e/dst-off.xml" "$T/noboot.csv"
printf 'action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm9,src1,dst,0,1,10\n' >"$T/unknown.csv"
expect 1 "no such vm" "checker flags an unknown vm" -- "$MVM" check "$S4" "$T/unknown.csv"
printf 'action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm0,src1,dst,zero,1,10\n' >"$T/garbage.csv"
expect 2 "garbage.csv:2: migrate 'vm0': start or end" "unparsable plan" -- "$MVM" check "$S4" "$T/garbage.csv"
awk -F, 'BEGIN{OFS=","} $2=="vm0"{$3="src2"}1' "$T/p1.csv" >"$T/wrongsrc.csv"
expect 1 "wrongsrc.csv:[0-9]+: t=0.000000 s: migrate vm0: goes src2 -> dst, the scenario says src1 -> dst" \
  "checker flags a migration from a host that is not the vm's source" -- "$MVM" check "$S4" "$T/wrongsrc.csv"
awk -F, 'BEGIN{OFS=","} $2=="vm0"{$7="5000"}1' "$T/p1.csv" >"$T/overbw.csv"
expect 1 "migrate vm0: reserves 5000.000 Mb/s, more than its route" "checker flags a reservation above the route's bandwidth" -- "$MVM" check "$S4" "$T/overbw.csv"
awk -F, 'BEGIN{OFS=","} $2=="vm0"{$6=$6-5}1' "$T/p1.csv" >"$T/short.csv"
expect 1 "migrate vm0: lasts 14.550600 s, the model gives" "checker flags a duration the model does not give" -- "$MVM" check "$S4" "$T/short.csv"
(cat "$T/p1.csv"; grep "^migrate,vm0," "$T/p1.csv") >"$T/twice.csv"
expect 1 "migrate vm0: migrated twice" "checker flags an action given twice" -- "$MVM" check "$S4" "$T/twice.csv"
expect 2 "twice.csv:[0-9]+: t=[0-9.]+ s: migrate vm0: migrated twice" "replay refuses an action given twice (SimGrid would abort)" -- "$MVM" replay "$S4" "$T/twice.csv" -o "$T/rtwice"
head -c 200 "$T/p1.csv" >"$T/truncated.csv"
expect 2 "truncated.csv:7: expected 7 columns, found" "truncated plan" -- "$MVM" check "$S4" "$T/truncated.csv"
printf 'action,subject,from,to,start,end\n' >"$T/badheader.csv"
expect 2 "badheader.csv:1:" "plan with a wrong header" -- "$MVM" check "$S4" "$T/badheader.csv"

# ---- replay: predictions within 2 % of the simulated rounds ----
expect 0 "mvm" "replay the mvm plan" -- "$MVM" replay "$S4" "$T/p1.csv" -o "$T/r1"
for f in actions.csv power.csv summary.json; do [ -s "$T/r1/$f" ] && ok "replay wrote $f" || ko "replay did not write $f"; done
mre=$(awk -F'[:,}]' '/mean_relative/{for(i=1;i<=NF;i++) if ($i ~ /mean_relative/) print $(i+1)}' "$T/r1/summary.json" | head -1)
awk -v m="$mre" 'BEGIN{exit !(m < 0.02)}' && ok "mVM prediction error $mre < 2 %" || ko "mVM prediction error $mre >= 2 %"
"$MVM" replay "$S4" "$T/p1.csv" -o "$T/r2" >/dev/null 2>&1
cmp -s "$T/r1/summary.json" "$T/r2/summary.json" && cmp -s "$T/r1/actions.csv" "$T/r2/actions.csv" &&
  cmp -s "$T/r1/power.csv" "$T/r2/power.csv" && ok "replay reports are byte-identical across runs" || ko "replay reports differ"
# SimGrid options: bad ones are input errors, not aborts
expect 2 "unknown SimGrid option .bogus." "unknown --cfg key is a bad input" -- "$MVM" plan "$S4" -o "$T/c.csv" --cfg=bogus:1
expect 2 "network/model: bad value .Nope. \\(accepted: one of LV08,CM02" "unknown network model is a bad input" -- "$MVM" plan "$S4" -o "$T/c.csv" --cfg=network/model:Nope
expect 0 "" "a valid --cfg passes through" -- "$MVM" plan "$S4" -o "$T/c.csv" --cfg=network/model:CM02
# output to a FIFO (or a device) is written in place, never replaced by a regular file
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo" &
"$MVM" plan "$S4" -o "$T/fifo" 2>/dev/null
wait
if [ -p "$T/fifo" ] && grep -q '^migrate,' "$T/from-fifo"; then ok "plan written through a FIFO, which stays a FIFO"
else ko "plan to a FIFO"; fi
expect 0 "" "event-mode replay" -- "$MVM" replay "$S4" "$T/p1.csv" -o "$T/r3" --mode event

# plugin: sharing a link without reservation takes longer and more rounds
printf 'action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm1,src1,dst,0,41.277523,485\n' >"$T/alone.csv"
printf 'action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm1,src1,dst,0,41.277523,485\nmigrate,vm2,src2,dst,0,26.8,485\nmigrate,vm5,src3,dst,0,41.277523,485\n' >"$T/shared.csv"
"$MVM" replay "$S4" "$T/alone.csv" -o "$T/ra" >/dev/null 2>&1
"$MVM" replay "$S4" "$T/shared.csv" -o "$T/rs" >/dev/null 2>&1
da=$(awk -F, '$3=="vm1"{print $10-$9, $12}' "$T/ra/actions.csv")
ds=$(awk -F, '$3=="vm1"{print $10-$9, $12}' "$T/rs/actions.csv")
awk -v a="$da" -v s="$ds" 'BEGIN{split(a,x," "); split(s,y," "); exit !(y[1] > x[1]*1.1 && y[2] >= x[2])}' &&
  ok "sharing the 1 Gb/s link: vm1 takes longer with more rounds (alone: $da; shared: $ds)" || ko "sharing: alone $da, shared $ds"
# energy: hand-computed = simulated (5 nodes x 110 W + 8 VMs x 16 W) x T + 0.512 V + 20.165
e_sim=$(awk -F'[:,}]' '/"energy"/{for(i=1;i<=NF;i++) if ($i ~ /simulated/) print $(i+1)}' "$T/ra/summary.json")
e_hand=$(awk -F, '$3=="vm1"{T=$10; V=$11; printf "%.3f", (5*110 + 8*16)*T + 0.512*V + 20.165}' "$T/ra/actions.csv")
awk -v a="$e_sim" -v b="$e_hand" 'BEGIN{d=a-b; if (d<0) d=-d; exit !(d < 0.01)}' &&
  ok "simulated energy $e_sim J = hand-computed $e_hand J" || ko "energy: simulated $e_sim, by hand $e_hand"
# hosts of the platform outside the scenario draw nothing in the simulation either: one VM
# src1 -> dst on the four-to-one platform (src2..src4 not in the scenario), 2 nodes x 110 W
cp "$SRC/scenarios/four-to-one.platform.xml" "$T/"
printf '<?xml version="1.0"?>\n<scenario version="1" platform="four-to-one.platform.xml">\n  <vm id="vm0" memory="2GiB" used="1000MB" from="src1" to="dst"/>\n</scenario>\n' >"$T/sub.xml"
"$MVM" plan -q "$T/sub.xml" -o "$T/sub.csv" && "$MVM" replay "$T/sub.xml" "$T/sub.csv" -o "$T/rsub" >/dev/null 2>&1
e_sim=$(awk -F'[:,}]' '/"energy"/{for(i=1;i<=NF;i++) if ($i ~ /simulated/) print $(i+1)}' "$T/rsub/summary.json")
e_hand=$(awk -F, '$3=="vm0"{T=$10; V=$11; printf "%.3f", (2*110 + 16)*T + 0.512*V + 20.165}' "$T/rsub/actions.csv")
awk -v a="$e_sim" -v b="$e_hand" 'BEGIN{d=a-b; if (d<0) d=-d; exit !(a != "" && d < 0.01)}' &&
  ok "hosts outside the scenario are not metered: $e_sim J = hand-computed $e_hand J" || ko "unmetered hosts: simulated $e_sim, by hand $e_hand"
# a migration that never converges fails when asked to (exit 4), with a capped rate far too low
printf 'action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm1,src1,dst,0,41.277523,80\n' >"$T/slow.csv"
expect 4 "failed to converge" "replay --on-stall fail reports a non-converging migration" -- "$MVM" replay "$S4" "$T/slow.csv" -o "$T/rf" --on-stall fail
# the stall limits are the user's: rounds, or simulated time (checked between rounds)
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/rmr" --max-rounds 5 >/dev/null 2>&1
awk -F, 'NR>1 && $3=="vm1"{exit !($12 == 6 && $14 == 0)}' "$T/rmr/actions.csv" &&
  ok "--max-rounds 5: forced stop-and-copy as round 6, reported not converged" || ko "--max-rounds 5: $(tail -1 "$T/rmr/actions.csv")"
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/rmt" --max-time 30s >/dev/null 2>&1
awk -F, 'NR>1 && $3=="vm1"{exit !($12 == 2 && $14 == 0)}' "$T/rmt/actions.csv" &&
  ok "--max-time 30s: stalls after round 0 (83 s), forced stop-and-copy" || ko "--max-time 30s: $(tail -1 "$T/rmt/actions.csv")"
expect 2 "max-time: '3parsecs': unknown unit" "bad --max-time" -- "$MVM" replay "$S4" "$T/slow.csv" -o "$T/rbad" --max-time 3parsecs
expect 2 "max-rounds: '0'" "bad --max-rounds" -- "$MVM" replay "$S4" "$T/slow.csv" -o "$T/rbad" --max-rounds 0
[ -e "$T/rbad" ] && ko "a refused replay left its output folder" || ok "a refused replay leaves no output folder"

# precedence: "after" is appended to "before" (it once overwrote it with vm index 0)
cp "$SRC/scenarios/four-to-one.platform.xml" "$T/"
grep -v "<sync" "$S4" | sed 's|</scenario>|  <precedence before="vm5" after="vm0"/>\n</scenario>|' >"$T/prec.xml"
expect 0 "" "plan with a precedence" -- "$MVM" plan "$T/prec.xml" -o "$T/prec.csv"
awk -F, '$2=="vm5"{e=$6} $2=="vm0"{s=$5} END{exit !(s != "" && e != "" && s + 1e-6 >= e)}' "$T/prec.csv" &&
  ok "precedence vm5 -> vm0: vm0 starts after vm5 ends" || ko "precedence vm5 -> vm0 not respected"
expect 0 "0 violations" "precedence plan passes check" -- "$MVM" check "$T/prec.xml" "$T/prec.csv"

# earliest deadline first: the large VM with a deadline leaves its 500 Mb/s source first
printf '<?xml version="1.0"?>\n<scenario version="1" platform="four-to-one.platform.xml">\n  <vm id="a" memory="4GiB" used="500MB" from="src1" to="dst"/>\n  <vm id="b" memory="4GiB" used="500MB" from="src1" to="dst"/>\n  <vm id="c" memory="4GiB" used="2000MB" from="src1" to="dst"/>\n  <deadline vms="c" at="40s"/>\n</scenario>\n' >"$T/edf.xml"
expect 0 "" "plan with a deadline only met by going first" -- "$MVM" plan "$T/edf.xml" --search 0 -o "$T/edf.csv"
awk -F, '$2=="c"{exit !($5 == 0 && $6 <= 40)}' "$T/edf.csv" && ok "EDF: vm c starts first and meets its deadline" || ko "EDF: $(grep '^migrate,c,' "$T/edf.csv")"

# cross-traffic: opposite migrations through one full-duplex link run together at the rate
# that leaves room for each other's acknowledgements, predicted = simulated; the same two at
# full rate overload l0 in both directions (the checker says so, the simulation is slower)
OPP=$SRC/tests/e2e/opposite.xml
expect 0 "" "plan two opposite migrations" -- "$MVM" plan "$OPP" -o "$T/opp.csv" "${LV08[@]}"
awk -F, '$1=="migrate"{n++; if ($5 == 0 && $7 + 0 < 969 && $7 + 0 > 900) k++} END{exit !(n == 2 && k == 2)}' "$T/opp.csv" &&
  ok "opposite migrations run together below the bottleneck rate" || ko "opposite migrations: $(grep -c '^migrate' "$T/opp.csv") rows, $(tail -2 "$T/opp.csv" | tr '\n' ' ')"
"$MVM" replay "$OPP" "$T/opp.csv" -o "$T/ropp" "${LV08[@]}" >/dev/null 2>&1
awk -F, 'NR>1 && $2=="migrate"{d=($10-$9)-($8-$7); if (d<0) d=-d; if (d > 1e-3) bad++} END{exit !(NR == 3 && !bad)}' "$T/ropp/actions.csv" &&
  ok "opposite migrations: simulated durations = predicted (within 1 ms)" || ko "opposite migrations: $(cut -d, -f3,7-10 "$T/ropp/actions.csv" | tr '\n' ' ')"
printf 'action,subject,from,to,start,end,bandwidth_mbps\nmigrate,in,h1,h0,0,30.439886,970\nmigrate,out,h0,h2,0,24.788385,970\n' >"$T/oppfull.csv"
expect 1 "network element l0_DOWN: 1018.500 Mb/s in use > 970.000 Mb/s" "checker counts the acknowledgements" -- "$MVM" check "$OPP" "$T/oppfull.csv" "${LV08[@]}"
# a variant that cannot run a VM (it would not converge at the lower rate) is skipped, not
# taken for the scenario's failure (it once made this feasible scenario exit 3)
expect 0 "" "plan a VM that converges only at full rate beside an opposite migration" -- "$MVM" plan "$SRC/tests/e2e/hot-opposite.xml" -o "$T/hotopp.csv" "${LV08[@]}"
cp "$SRC/tests/e2e/tri.platform.xml" "$T/"
sed 's|</scenario>|  <sync vms="in out"/>\n</scenario>|' "$SRC/tests/e2e/hot-opposite.xml" >"$T/hotsync.xml"
# (synchronised, the two cannot both run at the rates that last as long as the longer at
# full rate: the group lasts longer, "out" slower; both the default and --exact found it
# infeasible before)
expect 0 "" "--exact plans a sync pair that must last longer than its longer member" -- "$MVM" plan "$T/hotsync.xml" --exact -o "$T/hotsync.csv" "${LV08[@]}"
"$MVM" check "$T/hotsync.xml" "$T/hotsync.csv" "${LV08[@]}" 2>/dev/null | grep -q ", 0 violations" &&
  awk -F, '$1 == "migrate" {e[$2] = $6} END{exit !(e["in"] != "" && e["in"] == e["out"])}' "$T/hotsync.csv" &&
  ok "the stretched sync pair ends together and passes check" || ko "hotsync: $(grep migrate "$T/hotsync.csv" | tr '\n' ' ')"
# without cross-traffic (a SimGrid option), the same two run at full rate, still as simulated
"$MVM" plan -q "$OPP" --cfg=network/crosstraffic:0 --cfg=network/bandwidth-factor:0.97 -o "$T/opp0.csv" 2>/dev/null
"$MVM" replay "$OPP" "$T/opp0.csv" -o "$T/ropp0" --cfg=network/crosstraffic:0 --cfg=network/bandwidth-factor:0.97 >/dev/null 2>&1
awk -F, 'NR>1 && $2=="migrate"{d=($10-$9)-($8-$7); if (d<0) d=-d; if (d > 1e-3 || $6 + 0 != 970) bad++} END{exit !(NR == 3 && !bad)}' "$T/ropp0/actions.csv" &&
  ok "network/crosstraffic:0: opposite migrations at full rate, simulated = predicted" || ko "crosstraffic off: $(cut -d, -f3,6-10 "$T/ropp0/actions.csv" | tr '\n' ' ')"

# ---- generator and run ----
expect 0 "" "generate decommission --scale 1" -- "$MVM" generate decommission --scale 1 -o "$T/gen"
expect 0 "" "plan scale-1" -- "$MVM" plan "$T/gen/scale-1.xml" -o "$T/s1.csv"
expect 0 "0 violations" "scale-1 plan passes check" -- "$MVM" check "$T/gen/scale-1.xml" "$T/s1.csv"
# the lower bound: never above the plan, and close to it (0.85 % at scale 1, 0.03 % on four-to-one
# before the 2.5 s migration set-up: the bound lets a set-up overlap the transfers before it, the
# list scheduler holds a migration's bandwidth from its start; four-to-one's four waves now lose
# 6.5 %, docs/design-notes.md)
for case in "$T/gen/scale-1.xml:5" "$S4:8"; do
  g=$("$MVM" plan "${case%:*}" -o "$T/gap.csv" 2>&1 | sed -nE 's/.*gap ([-0-9.]+)%.*/\1/p')
  awk -v g="$g" -v m="${case##*:}" 'BEGIN{exit !(g != "" && g >= 0 && g < m)}' &&
    ok "$(basename "${case%:*}"): gap to the lower bound $g % (in [0, ${case##*:}) %)" || ko "$(basename "${case%:*}"): gap '$g'"
done
# --objective makespan|energy: the plan carries that objective's lower bound (never above it;
# four-to-one: 107.18 s vs 99.65 s, 79,281 J vs 73,576 J since the set-up, see above)
for ob in makespan energy; do
  expect 0 "objective $ob" "plan for the $ob" -- "$MVM" plan "$S4" --objective "$ob" -o "$T/ob.csv"
  v=$(sed -nE "s/^# objective \($ob, [sJ]\): ([0-9.]+)/\1/p" "$T/ob.csv")
  b=$(sed -nE "s/^# lower bound \($ob, [sJ]\): ([0-9.]+)/\1/p" "$T/ob.csv")
  awk -v v="$v" -v b="$b" 'BEGIN{exit !(v != "" && b != "" && b <= v + 1e-6 && b >= 0.9 * v)}' &&
    ok "$ob lower bound $b within 1 % below the plan's $v" || ko "$ob: plan '$v', bound '$b'"
done
# a cross-rack migration on a generated platform (acknowledgements need the reverse route)
printf 'action,subject,from,to,start,end,bandwidth_mbps\nboot,d0-0,d0-0,d0-0,0,120,\nmigrate,vm000000,s0-0,d0-0,120,136.566657,970\n' >"$T/x1.csv"
expect 0 "" "replay of a cross-rack migration on a generated platform" -- "$MVM" replay "$T/gen/scale-1.xml" "$T/x1.csv" -o "$T/rx"
# the seed's section 4.2 under 5.0 kW: feasible only if boots wait for the migrations
D5=$SRC/scenarios/decommission-cap5000.xml
expect 0 "gap" "plan decommission under 5.0 kW" -- "$MVM" plan "$D5" -o "$T/d5.csv"
expect 0 "0 violations" "decommission 5.0 kW plan passes check" -- "$MVM" check "$D5" "$T/d5.csv"
expect 0 "" "replay decommission 5.0 kW" -- "$MVM" replay "$D5" "$T/d5.csv" -o "$T/rd5"
# the local search improves a budgeted plan (and stays deterministic: 66,248 s -> 65,964 s since
# the calibrated model of 2026-11; 76,522 -> 70,208 s with the portfolio changes before); without it, a
# migration the budget cannot power at full rate runs slower instead of waiting
D52=$SRC/scenarios/decommission-cap5200.xml
obj() { sed -nE 's/^# objective \(sum of end times, s\): ([0-9.]+)/\1/p' "$1"; }
"$MVM" plan -q "$D52" --search 0 -o "$T/d52-nosearch.csv"
"$MVM" plan -q "$D52" -o "$T/d52-a.csv"
"$MVM" plan -q "$D52" -o "$T/d52-b.csv"
awk -v a="$(obj "$T/d52-a.csv")" -v b="$(obj "$T/d52-nosearch.csv")" 'BEGIN{exit !(a != "" && b != "" && a < b - 1e-3)}' &&
  ok "search: 5.2 kW sum of end times $(obj "$T/d52-a.csv") s < $(obj "$T/d52-nosearch.csv") s without it" ||
  ko "search did not improve the 5.2 kW plan ($(obj "$T/d52-a.csv") vs $(obj "$T/d52-nosearch.csv"))"
cmp -s "$T/d52-a.csv" "$T/d52-b.csv" && ok "searched plans are byte-identical across runs" || ko "searched plans differ across runs"
expect 0 "0 violations" "searched 5.2 kW plan passes check" -- "$MVM" check "$D52" "$T/d52-a.csv"
awk -F, '$1=="migrate" && $7 + 0 < 969 {n++} END{exit !(n > 0)}' "$T/d52-nosearch.csv" &&
  ok "power-limited migrations run below the bottleneck rate" || ko "no migration below the bottleneck rate under 5.2 kW"
expect 0 "0 violations" "5.2 kW plan without search passes check" -- "$MVM" check "$D52" "$T/d52-nosearch.csv"
expect 2 "--search must be" "bad --search value" -- "$MVM" plan "$D52" --search -3 -o "$T/bad-search.csv"
if grep -q '"exceeded_simulated": false' "$T/rd5/summary.json" &&
  awk -F, 'NR>1 && $4 > 5000.001 {bad=1} END{exit bad}' "$T/rd5/power.csv"; then
  ok "decommission 5.0 kW: simulated power never over the budget"
else ko "decommission 5.0 kW: simulated power over the budget"; fi
expect 2 "scale must be between" "generate rejects --scale 0" -- "$MVM" generate decommission --scale 0 -o "$T/gen0"
expect 0 "btrplace" "run compares the schedulers" -- "$MVM" run "$S4" -o "$T/run"

# a sync member that no slower rate stretches to the group's duration (the model jumps near
# its never-converges limit) starts later instead of lasting the wrong time (plans failed check)
cp "$SRC/tests/e2e/quad.platform.xml" "$T/"
cp "$SRC/tests/e2e/sync-jump.xml" "$SRC/tests/e2e/sync-stressed.xml" "$T/"
"$MVM" plan -q "$T/sync-stressed.xml" -o "$T/ss.csv" && "$MVM" check "$T/sync-stressed.xml" "$T/ss.csv" | grep -q ", 0 violations" &&
  ok "sync member slowed to a jump of the model passes check" || ko "sync-stressed: $(grep migrate "$T/ss.csv" | tr '\n' ' ')"
"$MVM" plan -q "$T/sync-jump.xml" -o "$T/sj.csv" && "$MVM" check "$T/sync-jump.xml" "$T/sj.csv" | grep -q ", 0 violations" &&
  awk -F, '$1 == "migrate" && $2 == "vm1" && $5 + 0 > 16 {f=1} END{exit !f}' "$T/sj.csv" &&
  ok "sync member with a jumping duration starts later and passes check" || ko "sync-jump: $(grep migrate "$T/sj.csv" | tr '\n' ' ')"
# a sync pair whose members, at the rates that last as long as the longer at full rate, need
# more than their destination's link: the group lasts longer (the sum objective said infeasible)
cp "$SRC/tests/e2e/sync-narrow.xml" "$T/sync-narrow.xml"
sed -i 's|platform="../../scenarios/|platform="'"$SRC"'/scenarios/|' "$T/sync-narrow.xml"
"$MVM" plan -q "$T/sync-narrow.xml" -o "$T/sn.csv" && "$MVM" check "$T/sync-narrow.xml" "$T/sn.csv" | grep -q ", 0 violations" &&
  awk -F, '$1 == "migrate" && ($2 == "a" || $2 == "c") {e[$2] = $6; r += $7} END{exit !(e["a"] == e["c"] && r <= 941.000001)}' "$T/sn.csv" &&
  ok "sync pair narrower than its link lasts longer, ends together, passes check" || ko "sync-narrow: $(grep migrate "$T/sn.csv" | tr '\n' ' ')"
# bound_under NAME LOW PLAN_SUM WHAT [FILE...]: tests/e2e/NAME.csv passes check against
# NAME.xml (FILEs: what it needs beside it), and the sum's bound of NAME.xml is in (LOW, PLAN_SUM]
bound_under() {
  local n=$1 low=$2 sum=$3 what=$4 l
  shift 4
  cp "$SRC/tests/e2e/$n.xml" "$SRC/tests/e2e/$n.csv" "${@/#/$SRC/tests/e2e/}" "$T/"
  "$MVM" check "$T/$n.xml" "$T/$n.csv" | grep -q ", 0 violations" &&
    "$MVM" plan -q "$T/$n.xml" -o "$T/$n-p.csv" &&
    l=$(sed -nE 's/^# lower bound \(s\): ([-0-9.]+)/\1/p' "$T/$n-p.csv") &&
    awk -v l="$l" -v lo="$low" -v s="$sum" 'BEGIN{exit !(l != "" && l > lo && l <= s)}' &&
    ok "$what: bound $l s in ($low, $sum] s, the plan check accepts" || ko "$n: bound '$l' s, not in ($low, $sum] s"
}
# a budget within mvm check's tolerance of two boots: the sum's bound stays under a plan that
# check accepts (940.66 s), which boots both at once
bound_under budget-edge 0 940.66 "budget at check's tolerance"
# boots that last (almost) nothing: mvm check accepts boots that end as they start and so
# never draw their overhead, and the bounds must not count on it (the boots' delays did,
# 726.5 s against a plan of 584.452 s; found by a review, 2026-12-02)
bound_under boot-instant 500 584.452 "boots of 5 us" seven.platform.xml
bound_under boot-zero 500 584.452 "boots of 0 s" seven.platform.xml
# three alike sources, each boot waiting for one more of them off: the bound counts the
# boots as weight on the first sources off, 1,761.38 s against a plan of 1,761.866 s that
# check accepts (1,749.68 s without that term)
bound_under boots-alike 1755 1761.866 "boots after alike sources' shutdowns" alike.platform.xml
# two short migrations at half the rate side by side (their set-ups overlap the other's
# transfer) end every later one sooner: below the best sum at full rate (1,431.1 s), the
# simulation agrees
cp "$SRC/tests/e2e/pairs.xml" "$T/pairs.xml"
"$MVM" plan -q "$T/pairs.xml" -o "$T/pairs.csv" && "$MVM" check "$T/pairs.xml" "$T/pairs.csv" | grep -q ", 0 violations" &&
  awk -F, '$1 == "migrate" {s += $6; h += ($7 > 470.49 && $7 < 470.51)} END{exit !(s < 1431 && h >= 2)}' "$T/pairs.csv" &&
  ok "two migrations at half the rate share a lane: sum $(sed -nE 's/^# objective \(sum of end times, s\): ([0-9.]+)/\1/p' "$T/pairs.csv") s < 1,431.1 s at full rate" ||
  ko "pairs: $(grep migrate "$T/pairs.csv" | tr '\n' ' ')"
"$MVM" replay "$T/pairs.xml" "$T/pairs.csv" -o "$T/pairs-r" >/dev/null 2>&1 &&
  awk -F'[:,}]' '/"completion_time"/{p = $3 + 0; q = $5 + 0} END{exit !(p > 0 && q - p < 0.01 && p - q < 0.01)}' "$T/pairs-r/summary.json" &&
  ok "pairs at half the rate: simulated as planned" || ko "pairs replay: $(grep completion "$T/pairs-r/summary.json")"
finish
