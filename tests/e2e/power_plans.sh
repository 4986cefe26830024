#!/usr/bin/env bash
# The decommissioning of the seed's Figure 2 (scenarios/decommission*.xml), planned:
# - the makespan objective runs idle VMs two at a time at half rate (variant split), which
#   hides their set-ups: under 810 s (820.1 s with every migration at full rate);
# - the energy objective under 5.2 kW: at most 10 s longer and at least 5.86 % less energy
#   than the uncapped default plan (predicted figures; reproduce.sh checks the simulated ones),
#   5.0 kW at most 150 s longer; both plans pass check and keep the predicted peak under the
#   budget;
# - the energy lower bound stays below the plans, the energy plans within 3 % of it (uncapped,
#   per rack: rules fill and rounds, destinations filled one old server after the other,
#   two lanes at half rate) and 5 % (5.2 kW, 5.0 kW), the makespan bound within 5 % of the
#   makespan plan; the 5.2 kW makespan plan under 805 s;
# - the sum of end times (default objective) within 5 % of its bound on the uncapped
#   decommission and its per-rack variant (the bound's mean-busy-time terms, the default's
#   automatic search);
#   under 5.0 kW the sum's bound counts the boots that wait for power: above the uncapped
#   bound, and the default plan within 5 % of it (5.00 %: 4.9965; 5.96 % without
#   boots_gain, the boots as weight on the first sources off, and the power programme's
#   releases; 9.03 % without the boots' delays);
#   every objective under a budget searches as long as the energy one: the 5.2 kW default
#   plan within 5 % of its bound (4.24 %; 4.87 % without boots_gain);
#   the makespan objective under 5.0 kW searches as long as the energy one: under 826 s
#   (825.3 s; 833.6 s with the shorter search);
# - four times the decommission under a budget: the sum within 35 % of its bound (the
#   releases of migrations into servers that boot late);
# - a tight budget: the portfolio's cover rule (boots in the order that empties sources);
# - the event-mode replay of a budgeted plan waits for the shutdowns whose power it counts on.
# Usage: tests/e2e/power_plans.sh MVM SCENARIOS_DIR
set -uo pipefail
MVM=${1:?usage: power_plans.sh MVM SCENARIOS_DIR}
SRC=${2:?usage: power_plans.sh MVM SCENARIOS_DIR}
. "$(dirname "$0")/../lib.sh" power
hdr() { sed -nE "s/^# $2: ([-0-9.]+)/\1/p" "$1"; }
"$MVM" plan -q "$SRC/decommission.xml" --objective makespan -o "$T/ms.csv"
m=$(hdr "$T/ms.csv" 'makespan \(s\)')
awk -v m="$m" 'BEGIN{exit !(m != "" && m < 810)}' && ok "makespan objective: $m s < 810 s" || ko "makespan objective: '$m' s"
"$MVM" check "$SRC/decommission.xml" "$T/ms.csv" >/dev/null && ok "makespan plan passes check" || ko "makespan plan fails check"
awk -F, '$1 == "migrate" && $7 + 0 < 600 {n++} END{exit !(n > 0)}' "$T/ms.csv" && ok "some migrations run at half rate" ||
  ko "no migration below the full rate in the makespan plan"
"$MVM" plan -q "$SRC/decommission.xml" -o "$T/u.csv"
"$MVM" replay "$SRC/decommission.xml" "$T/u.csv" -o "$T/ru" >/dev/null
eu=$(jq -r '.plans[0].energy.predicted' "$T/ru/summary.json")
cu=$(hdr "$T/u.csv" 'makespan \(s\)')
for b in 5200 5000; do
  S=$SRC/decommission-cap$b.xml
  "$MVM" plan -q "$S" --objective energy -o "$T/e$b.csv"
  "$MVM" check "$S" "$T/e$b.csv" >/dev/null && ok "$b W energy plan passes check" || ko "$b W energy plan fails check"
  "$MVM" replay "$S" "$T/e$b.csv" -o "$T/r$b" >/dev/null
  e=$(jq -r '.plans[0].energy.predicted' "$T/r$b/summary.json")
  pk=$(jq -r '.plans[0].peak_power.predicted' "$T/r$b/summary.json")
  # the event-mode replay waits for what the plan waited for, boots at their planned start
  # (0.24 % more energy simulated when a boot waiting on the power prefix started at once)
  es=$(jq -r '.plans[0].energy.simulated' "$T/r$b/summary.json")
  awk -v e="$e" -v s="$es" 'BEGIN{d = s - e; if (d < 0) d = -d; exit !(e != "" && s != "" && d <= 5e-4 * e)}' &&
    ok "$b W: energy simulated $es J, predicted $e J (within 0.05 %)" || ko "$b W: energy simulated '$es' J against '$e' J predicted"
  c=$(hdr "$T/e$b.csv" 'makespan \(s\)')
  lb=$(sed -nE 's/^# lower bound \(energy, J\): ([-0-9.]+)/\1/p' "$T/e$b.csv")
  awk -v p="$pk" -v b="$b" 'BEGIN{exit !(p != "" && p <= b)}' && ok "$b W: predicted peak $pk W" || ko "$b W: predicted peak '$pk' W"
  awk -v e="$e" -v l="$lb" 'BEGIN{exit !(e != "" && l != "" && l <= e)}' && ok "$b W: energy bound $lb J <= $e J" || ko "$b W: bound '$lb' above '$e'"
  if [ $b = 5200 ]; then
    awk -v c="$c" -v cu="$cu" 'BEGIN{exit !(c != "" && c <= cu + 10)}' && ok "5.2 kW: $c s, uncapped $cu s (at most +10 s)" ||
      ko "5.2 kW: '$c' s against '$cu' s uncapped"
    awk -v e="$e" -v eu="$eu" 'BEGIN{exit !(e != "" && e <= eu * (1 - 0.0586))}' && ok "5.2 kW: $e J, uncapped default $eu J (at least 5.86 % less)" ||
      ko "5.2 kW: '$e' J against '$eu' J uncapped"
  else
    awk -v c="$c" -v cu="$cu" 'BEGIN{exit !(c != "" && c <= cu + 150)}' && ok "5.0 kW: $c s, uncapped $cu s (at most +150 s)" ||
      ko "5.0 kW: '$c' s against '$cu' s uncapped"
  fi
done
# energy_within SCENARIO PCT WHY: its energy-objective plan's gap (1 - bound / plan, as mvm
# prints it) at most PCT %
energy_within() {
  "$MVM" plan -q "$SRC/$1.xml" --objective energy -o "$T/en-$1.csv"
  local v lb
  v=$(hdr "$T/en-$1.csv" 'objective \(energy, J\)')
  lb=$(hdr "$T/en-$1.csv" 'lower bound \(energy, J\)')
  awk -v v="$v" -v l="$lb" -v p="$2" 'BEGIN{exit !(v != "" && l != "" && l <= v && l >= (1 - p / 100) * v)}' &&
    ok "$1: energy plan $v J within $2 % of its bound $lb J" || ko "$1: energy bound '$lb' against '$v' ($3)"
}
energy_within decommission 3 "2.41 %: rule fill, each new server filled from one old server after the other, two lanes at half rate (4.53 % without)"
energy_within decommission-cap5200 5 "4.22 %: split rows for the energy objective (5.53 % without)"
energy_within decommission-cap5000 5 "4.96 %: rule fill with boots last (5.95 % without)"
# the makespan bound counts what each migration reserves at least, set-up included, and the
# shutdown after the shared link's last migration: within 5 % of the makespan plan (2.1 %)
ml=$(hdr "$T/ms.csv" 'lower bound \(makespan, s\)')
awk -v m="$m" -v l="$ml" 'BEGIN{exit !(m != "" && l != "" && l <= m && l >= m / 1.05)}' &&
  ok "makespan bound $ml s within 5 % below the plan's $m s" || ko "makespan bound '$ml' s against the plan's '$m' s"
# the default objective, uncapped: 3.15 % and 3.42 % (12.45 % and 24.11 % before the bound
# charged each migration its own duration and the default searched medium scenarios)
"$MVM" plan -q "$SRC/decommission-perrack.xml" -o "$T/pr.csv"
for f in u pr; do
  sv=$(hdr "$T/$f.csv" 'objective \(sum of end times, s\)')
  sl=$(hdr "$T/$f.csv" 'lower bound \(s\)')
  awk -v v="$sv" -v l="$sl" 'BEGIN{exit !(v != "" && l != "" && l <= v && v <= l / 0.95)}' &&
    ok "$f: sum of end times $sv s within 5 % of its bound $sl s" || ko "$f: sum '$sv' s against its bound '$sl' s"
done
energy_within decommission-perrack 3 "2.53 %: rule rounds, every new server's first old server, one per rack, then the second ones (6.30 % without)"
"$MVM" plan -q "$SRC/decommission-cap5000.xml" -o "$T/c5.csv"
cv=$(hdr "$T/c5.csv" 'objective \(sum of end times, s\)')
cl=$(hdr "$T/c5.csv" 'lower bound \(s\)')
ul=$(hdr "$T/u.csv" 'lower bound \(s\)')
awk -v v="$cv" -v l="$cl" -v u="$ul" 'BEGIN{exit !(v != "" && l != "" && u != "" && l > u + 1000 && l <= v && v <= l / 0.95)}' &&
  ok "5.0 kW: sum $cv s within 5 % of its bound $cl s (uncapped bound $ul s)" || ko "5.0 kW: sum '$cv' s, bound '$cl' s, uncapped bound '$ul' s"
"$MVM" plan -q "$SRC/decommission-cap5200.xml" -o "$T/c52.csv"
cv=$(hdr "$T/c52.csv" 'objective \(sum of end times, s\)')
cl=$(hdr "$T/c52.csv" 'lower bound \(s\)')
awk -v v="$cv" -v l="$cl" 'BEGIN{exit !(v != "" && l != "" && l <= v && v <= l / 0.95)}' &&
  ok "5.2 kW: sum $cv s within 5 % of its bound $cl s" || ko "5.2 kW: sum '$cv' s, bound '$cl' s"
"$MVM" plan -q "$SRC/decommission-cap5000.xml" --objective makespan -o "$T/m5.csv"
m5=$(hdr "$T/m5.csv" 'makespan \(s\)')
awk -v m="$m5" 'BEGIN{exit !(m != "" && m < 826)}' && ok "5.0 kW makespan plan $m5 s < 826 s" || ko "5.0 kW makespan plan '$m5' s"
"$MVM" plan -q "$SRC/decommission-cap5200.xml" --objective makespan -o "$T/m52.csv"
m52=$(hdr "$T/m52.csv" 'makespan \(s\)')
awk -v m="$m52" 'BEGIN{exit !(m != "" && m < 805)}' && ok "5.2 kW makespan plan $m52 s < 805 s" || ko "5.2 kW makespan plan '$m52' s (820.1 s before split2 sent as little at half rate)"
# four times the decommission (mvm generate, 384 VMs) under a budget 3.3 kW above its initial
# draw: too large for the joint rate-and-order term, so the mean-busy-time term releases the
# migrations into the servers that boot late (29.6 %; 45.4 % without the releases)
"$MVM" generate decommission --scale 4 -o "$T/g4" >/dev/null 2>&1
sed 's|</scenario>|  <power-budget max="30.6kW"/>\n</scenario>|' "$T/g4/scale-4.xml" >"$T/g4/b.xml"
"$MVM" plan -q "$T/g4/b.xml" -o "$T/g4.csv"
gv=$(hdr "$T/g4.csv" 'objective \(sum of end times, s\)')
gl=$(hdr "$T/g4.csv" 'lower bound \(s\)')
awk -v v="$gv" -v l="$gl" 'BEGIN{exit !(v != "" && l != "" && l <= v && v <= l / 0.65)}' &&
  ok "scale 4 under 30.6 kW: sum $gv s within 35 % of its bound $gl s" || ko "scale 4 under 30.6 kW: sum '$gv' s, bound '$gl' s"
"$MVM" check "$T/g4/b.xml" "$T/g4.csv" >/dev/null && ok "scale 4 under 30.6 kW: the plan passes check" || ko "scale 4 budgeted plan fails check"
# a tight budget (tests/e2e/budget-tight.xml, 285 W of slack): the portfolio alone (no
# search) boots in the order that lets the most sources empty (rule cover): 40,101 s
# (99,041 s when the boots took every watt in their own order)
BT=$(dirname "$0")/budget-tight.xml
"$MVM" plan -q "$BT" --search 0 -o "$T/bt.csv"
bv=$(hdr "$T/bt.csv" 'objective \(sum of end times, s\)')
awk -v v="$bv" 'BEGIN{exit !(v != "" && v < 45000)}' && ok "tight budget, no search: sum $bv s < 45,000 s" ||
  ko "tight budget, no search: sum '$bv' s"
"$MVM" check "$BT" "$T/bt.csv" >/dev/null && ok "tight budget: the plan passes check" || ko "tight budget plan fails check"
# its bound knows that a source goes off only once the servers its VMs go to have booted
# (mvm__source_cover): 20,909 -> 22,303 s, and a shutdown plus a migration after those boots
# ended: 22,619 s
bl=$(hdr "$T/bt.csv" 'lower bound \(s\)')
awk -v v="$bv" -v l="$bl" 'BEGIN{exit !(v != "" && l != "" && l >= 22450 && l <= v)}' &&
  ok "tight budget: bound $bl s >= 22,450 s (sources wait for their destinations' boots), <= the plan" ||
  ko "tight budget: bound '$bl' s, plan '$bv' s"
# its makespan and energy bounds know the boots wait for power too: the last boot ends no
# earlier than boot_delays' last start plus the boot, plus what the last to boot receives
# (398 -> 604 s; energy 1,493,751 -> 1,739,340 J, then 2,120,937 J with the sources'
# shutdowns as late as power and boots make them)
"$MVM" plan -q "$BT" --search 0 --objective makespan -o "$T/btm.csv"
"$MVM" plan -q "$BT" --search 0 --objective energy -o "$T/bte.csv"
mv_=$(hdr "$T/btm.csv" 'objective \(makespan, s\)')
ml=$(hdr "$T/btm.csv" 'lower bound \(makespan, s\)')
ev=$(hdr "$T/bte.csv" 'objective \(energy, J\)')
el=$(hdr "$T/bte.csv" 'lower bound \(energy, J\)')
awk -v v="$mv_" -v l="$ml" -v e="$ev" -v f="$el" \
  'BEGIN{exit !(v != "" && l != "" && e != "" && f != "" && l >= 590 && l <= v && f >= 2.05e6 && f <= e)}' &&
  ok "tight budget: makespan bound $ml s >= 590 s, energy bound $el J >= 2.05e6 J, each <= its plan" ||
  ko "tight budget: makespan bound '$ml' s (plan '$mv_'), energy bound '$el' J (plan '$ev')"
# a chain under a tight budget (tests/e2e/budget-chain.xml: boot, migrations, shutdown, next
# boot): the bounds follow the sources' shutdowns as late as power and boots make them
# (sum 18,539 -> 27,008 s, makespan 381 -> 1,347 s, energy 1.53 -> 4.23 MJ)
BC=$(dirname "$0")/budget-chain.xml
for ob in sum makespan energy; do "$MVM" plan -q "$BC" --search 0 --objective $ob -o "$T/bc-$ob.csv"; done
cs=$(hdr "$T/bc-sum.csv" 'objective \(sum of end times, s\)')
cb=$(hdr "$T/bc-sum.csv" 'lower bound \(s\)')
cm=$(hdr "$T/bc-makespan.csv" 'objective \(makespan, s\)')
cmb=$(hdr "$T/bc-makespan.csv" 'lower bound \(makespan, s\)')
ce=$(hdr "$T/bc-energy.csv" 'objective \(energy, J\)')
ceb=$(hdr "$T/bc-energy.csv" 'lower bound \(energy, J\)')
awk -v a="$cs" -v b="$cb" -v c="$cm" -v d="$cmb" -v e="$ce" -v f="$ceb" 'BEGIN{exit !(a != "" && b != "" && c != "" &&
  d != "" && e != "" && f != "" && b >= 26500 && b <= a && d >= 1300 && d <= c && f >= 4.1e6 && f <= e)}' &&
  ok "budget chain: bounds sum $cb s >= 26,500, makespan $cmb s >= 1,300, energy $ceb J >= 4.1e6, each <= its plan" ||
  ko "budget chain: sum '$cb' (plan '$cs'), makespan '$cmb' (plan '$cm'), energy '$ceb' (plan '$ce')"
# with old servers that stay on (tests/e2e/budget-stall.xml): the cover rule counts only the
# sources that shut down (it booted servers for sources that free no power, then stalled:
# "infeasible")
BS=$(dirname "$0")/budget-stall.xml
if "$MVM" plan -q "$BS" --search 0 -o "$T/bs.csv" 2>"$T/bs.err" && "$MVM" check "$BS" "$T/bs.csv" >/dev/null; then
  ok "tight budget with servers that stay on: a plan that passes check"
else
  ko "tight budget with servers that stay on: $(head -1 "$T/bs.err")"
fi
# and its bound, sources waiting for their destinations' boots: 16,541 -> 18,744 -> 19,422 s
sv=$(hdr "$T/bs.csv" 'objective \(sum of end times, s\)')
sl=$(hdr "$T/bs.csv" 'lower bound \(s\)')
awk -v v="$sv" -v l="$sl" 'BEGIN{exit !(v != "" && l != "" && l >= 19200 && l <= v)}' &&
  ok "tight budget with servers that stay on: bound $sl s >= 19,200 s, <= the plan" ||
  ko "tight budget with servers that stay on: bound '$sl' s, plan '$sv' s"
# a budget and a serialize pair (tests/e2e/budget-serialize.xml, a fixed plan): the event-mode
# replay starts vm2 only once h0's shutdown has freed the power it waited for (704 W against
# 689 W when it followed vm1, its serialized predecessor, alone)
BZ=$(dirname "$0")/budget-serialize
"$MVM" replay "$BZ.xml" "$BZ.csv" -o "$T/rz" >/dev/null 2>&1
zp=$(jq -r '.plans[0].peak_power.simulated' "$T/rz/summary.json" 2>/dev/null)
zs=$(awk -F, '$3 == "vm2" {print $9}' "$T/rz/actions.csv" 2>/dev/null)
awk -v p="$zp" -v s="$zs" 'BEGIN{exit !(p != "" && p <= 689 && s != "" && s >= 90.45)}' &&
  ok "budget and serialize: simulated peak $zp W <= 689 W, vm2 starts at $zs s (after h0's shutdown)" ||
  ko "budget and serialize: simulated peak '$zp' W, vm2 at '$zs' s"
finish
