#!/usr/bin/env bash
# Reproduces the seed paper's experiments (mVM, 2015) into OUT (default results/) and writes
# OUT/report.md, which puts the paper's figures beside ours:
#   Table 1 / Figure 1: four-to-one, every scheduler planned and replayed in SimGrid;
#   Figure 2: the decommissioning under no budget, 5.2 kW and 5.0 kW, planned and replayed;
#   Figure 3: solve time against scale (scale-N for N = 1, 2, 4, 10), and the replay of scale-10.
# Exits non-zero if a floor of the validation issue is missed (listed at the end of the report).
# Usage: validation/reproduce.sh [BUILD_DIR] [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/results}
mvm=$build/cli/mvm
runs=${MVM_REPRO_RUNS:-5} # solve-time samples per scale (median reported)
[ -x "$mvm" ] || { echo "reproduce.sh: no mvm binary at $mvm (build first: scripts/setup.sh)" >&2; exit 2; }
command -v jq >/dev/null || { echo "reproduce.sh: jq is missing (scripts/setup.sh installs it)" >&2; exit 2; }
case "$out" in *"'"* | *$'\n'*) echo "reproduce.sh: OUT must not hold a quote or a line break (it is written into gnuplot scripts)" >&2; exit 2 ;; esac
mkdir -p "$out"
t0=$(date +%s.%N)
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== four-to-one (seed section 4.1, Table 1 and Figure 1) ==" >&2
# mvm replaces an output folder whole: the table printed on stdout is added once it is there
"$mvm" run "$here/scenarios/four-to-one.xml" -o "$out/four-to-one" >"$out/.table.txt"
mv "$out/.table.txt" "$out/four-to-one/table.txt"
cat "$out/four-to-one/table.txt" >&2

echo "== decommissioning under a power budget (seed section 4.2, Figure 2) ==" >&2
# every scenario with the default objective (sum of end times: the seed's uncapped run boots
# the 12 new servers at once), then with the energy objective (boots just in time): the
# output folder is <scenario> or <scenario>-energy
decomm="decommission decommission-cap5200 decommission-cap5000 decommission-perrack"
mkdir -p "$out/plans"
for s in $decomm; do
  "$mvm" run "$here/scenarios/$s.xml" --schedulers mvm -o "$out/$s" >"$out/.table.txt"
  mv "$out/.table.txt" "$out/$s/table.txt"
  "$mvm" check "$here/scenarios/$s.xml" "$out/$s/plan-mvm.csv" >/dev/null
  "$mvm" plan -q "$here/scenarios/$s.xml" --objective energy -o "$out/plans/$s-energy.csv"
  "$mvm" check "$here/scenarios/$s.xml" "$out/plans/$s-energy.csv" >/dev/null
  "$mvm" replay "$here/scenarios/$s.xml" "$out/plans/$s-energy.csv" -o "$out/$s-energy" >/dev/null
  "$mvm" plan -q "$here/scenarios/$s.xml" --objective makespan -o "$out/plans/$s-makespan.csv"
done

echo "== solve time against scale (seed section 5, Figure 3) ==" >&2
printf 'scale,vms,scheduler,actions,solve_s_median,objective_s,lower_bound_s,gap_pct\n' >"$out/scale.csv"
mkdir -p "$out/scale"
for n in 1 2 4 10; do
  "$mvm" generate decommission --scale "$n" -o "$out/scale" 2>/dev/null
  for sched in mvm btrplace; do
    : >"$out/scale/times"
    for _ in $(seq "$runs"); do
      line=$("$mvm" plan "$out/scale/scale-$n.xml" -s "$sched" -o "$out/scale/plan-$sched-$n.csv" 2>&1 >/dev/null)
      echo "$line" | sed -E 's/.*solved in ([0-9.]+) s.*/\1/' >>"$out/scale/times"
    done
    med=$(median <"$out/scale/times")
    # the btrplace plan ignores the network: only the mvm plan must pass the checker
    [ "$sched" = mvm ] && "$mvm" check "$out/scale/scale-$n.xml" "$out/scale/plan-$sched-$n.csv" >/dev/null
    echo "$line" | sed -E "s/.*: ([0-9]+) actions, sum of end times ([0-9.]+) s.*lower bound ([0-9.]+) s, gap ([-0-9.]+)%.*/$n,$((96 * n)),$sched,\1,$med,\2,\3,\4/" >>"$out/scale.csv"
  done
done
rm -f "$out/scale/times"
cat "$out/scale.csv" >&2
echo "== replay of scale-10 (960 migrations) ==" >&2
tr=$(now)
"$mvm" replay "$out/scale/scale-10.xml" "$out/scale/plan-mvm-10.csv" -o "$out/scale/replay-10" --mode time \
  >"$out/scale/replay-10.txt"
replay10=$(printf '%.1f' "$(elapsed "$tr")")
"$mvm" replay "$out/scale/scale-10.xml" "$out/scale/plan-mvm-10.csv" -o "$out/scale/replay-10-event" --mode event \
  >"$out/scale/replay-10-event.txt"
mre10=$(jq -r '.plans[0].prediction_error.mean_relative * 100' "$out/scale/replay-10/summary.json")
mre10e=$(jq -r '.plans[0].prediction_error.mean_relative * 100' "$out/scale/replay-10-event/summary.json")

echo "== against reality: 1,000 real migrations, UCC'15 plans (validation/data) ==" >&2
"$here/validation/accuracy.sh" "$build" "$out/accuracy" >/dev/null
declare -A UC UM UE
for p in mVM BtrPlace; do
  "$mvm" import btrplace "$here/validation/data/ucc15-energy/$p.json" -o "$out/ucc15-$p" 2>/dev/null
  "$mvm" replay "$out/ucc15-$p/scenario.xml" "$out/ucc15-$p/plan.csv" -o "$out/ucc15-$p-replay" >/dev/null 2>&1
  j=$out/ucc15-$p-replay/summary.json
  UC[$p]=$(jq -r '.plans[0].completion_time.simulated' "$j")
  UM[$p]=$(jq -r '.plans[0].mean_migration_duration.simulated' "$j")
  UE[$p]=$(jq -r '.plans[0].energy.simulated' "$j")
done

# ---- figures ----
if command -v gnuplot >/dev/null; then
  gnuplot <<EOF
set terminal pngcairo size 1100,500 noenhanced
set datafile separator ','
set output '$out/figure2-power.png'
set title 'Decommissioning: simulated power of the mVM plan under three budgets (seed Figure 2)'
set xlabel 'time (s)'; set ylabel 'power (kW)'; set key bottom left; set grid
plot '$out/decommission/power.csv' every ::1 using 2:(\$4/1000) with steps lw 2 title 'no budget', \
     '$out/decommission-cap5200-energy/power.csv' every ::1 using 2:(\$4/1000) with steps lw 2 title 'budget 5.2 kW', \
     '$out/decommission-cap5000-energy/power.csv' every ::1 using 2:(\$4/1000) with steps lw 2 title 'budget 5.0 kW', \
     5.2 with lines dt 2 lc rgb 'gray40' notitle, 5.0 with lines dt 2 lc rgb 'gray40' notitle
set output '$out/figure3-solve-time.png'
set title 'Solve time against scale (seed Figure 3; median of $runs runs)'
set xlabel 'VMs to migrate'; set ylabel 'solve time (ms)'; set key top left; set logscale y
plot '< grep ",mvm," $out/scale.csv' using 2:(\$5*1000) with linespoints lw 2 title 'mvm (network-aware)', \
     '< grep ",btrplace," $out/scale.csv' using 2:(\$5*1000) with linespoints lw 2 title 'btrplace (naive model)'
EOF
  # predicted and simulated against real, one point per migration (mean of its 4 real runs)
  awk -F, 'NR > 1 {k = $1 "," $2; r[k] += $8; n[k]++; p[k] = $9; s[k] = $10; c[k] = $5}
    END {for (k in r) print r[k] / n[k], p[k], s[k], c[k]}' "$out/accuracy/migrations.csv" | sort -g >"$out/accuracy/scatter.dat"
  gnuplot <<EOF
set terminal pngcairo size 800,700 noenhanced
set output '$out/figure4-accuracy.png'
set title '250 migrations of 25 plans, each run 4 times on Grid5000: mvm against the real mean'
set xlabel 'real duration, mean of 4 runs (s)'; set ylabel 'mvm (s)'; set key top left; set grid
set xrange [10:80]; set yrange [10:80]
plot x with lines lc rgb 'gray40' dt 2 title 'real = mvm', \
     x * 1.06 with lines lc rgb 'gray70' dt 3 title '+-6 %', x * 0.94 with lines lc rgb 'gray70' dt 3 notitle, \
     '$out/accuracy/scatter.dat' using 1:2 with points pt 6 ps 1.2 lc rgb '#1b9e77' title 'model, alone at the plan rate', \
     '$out/accuracy/scatter.dat' using 1:3 with points pt 2 ps 0.8 lc rgb '#d95f02' title 'simulated, event-driven replay of the plan'
EOF
  cp "$out/four-to-one/gantt-mvm.png" "$out/figure1-gantt-mvm.png"
fi

# ---- report ----
S4=$out/four-to-one/summary.json
plan() { jq -r --arg p "$2" ".plans[] | select(.name == \$p) | $3" "$1"; }
f2() { printf '%.2f' "$1"; }
mvm_pred=$(plan "$S4" mvm .mean_migration_duration.predicted)
mvm_sim=$(plan "$S4" mvm .mean_migration_duration.simulated)
btr_pred=$(plan "$S4" btrplace .mean_migration_duration.predicted)
btr_sim=$(plan "$S4" btrplace .mean_migration_duration.simulated)
mvm_mre=$(plan "$S4" mvm '.prediction_error.mean_relative * 100')
btr_mre=$(plan "$S4" btrplace '.prediction_error.mean_relative * 100')
speedup=$(echo "$btr_sim / $mvm_sim" | bc -l)
declare -A E C P X EP
for s in $decomm $(for x in $decomm; do echo "$x-energy"; done); do
  j=$out/$s/summary.json
  E[$s]=$(plan "$j" mvm .energy.simulated)
  EP[$s]=$(plan "$j" mvm .energy.predicted)
  C[$s]=$(plan "$j" mvm .completion_time.simulated)
  P[$s]=$(plan "$j" mvm .peak_power.simulated)
  X[$s]=$(plan "$j" mvm '.power_budget.worst_excess_simulated_w // "none"')
done
edev() { echo "(${EP[$1]} - ${E[$1]}) / ${E[$1]} * 100" | bc -l | awk '{x=$1<0?-$1:$1; printf "%.3f", x}'; }
total=$(printf '%.0f' "$(elapsed "$t0")")
fail=()
awk -v s="$speedup" 'BEGIN{exit !(s >= 3)}' || fail+=("four-to-one: mVM simulated migrations only $(f2 "$speedup")x shorter than BtrPlace's (floor 3x)")
awk -v m="$mvm_mre" 'BEGIN{exit !(m < 2)}' || fail+=("four-to-one: mVM prediction error $(f2 "$mvm_mre") % (floor 2 %)")
for s in decommission-cap5200 decommission-cap5000 decommission-cap5200-energy decommission-cap5000-energy; do
  awk -v x="${X[$s]}" 'BEGIN{exit !(x <= 1e-6)}' || fail+=("$s: simulated power exceeds the budget by ${X[$s]} W")
done
for s in $decomm $(for x in $decomm; do echo "$x-energy"; done); do
  awk -v d="$(edev $s)" 'BEGIN{exit !(d < 2)}' || fail+=("$s: predicted and simulated energy differ by $(edev $s) % (floor 2 %)")
done
# the seed's Figure 2 (power plans issue): against the uncapped default plan, 5.2 kW at most
# 10 s longer and at least 5.86 % less energy, 5.0 kW at most 2.5 min longer
c52=$(echo "${C[decommission-cap5200-energy]} - ${C[decommission]}" | bc -l)
e52=$(echo "(${E[decommission-cap5200-energy]} - ${E[decommission]}) / ${E[decommission]} * 100" | bc -l)
c50=$(echo "${C[decommission-cap5000-energy]} - ${C[decommission]}" | bc -l)
awk -v x="$c52" 'BEGIN{exit !(x <= 10)}' || fail+=("decommission 5.2 kW: $(f2 "$c52") s longer than without a budget (floor 10 s)")
awk -v x="$e52" 'BEGIN{exit !(x <= -5.86)}' || fail+=("decommission 5.2 kW: energy $(f2 "$e52") % against no budget (floor -5.86 %)")
awk -v x="$c50" 'BEGIN{exit !(x <= 150)}' || fail+=("decommission 5.0 kW: $(f2 "$c50") s longer than without a budget (floor 150 s)")
awk -v t="$replay10" 'BEGIN{exit !(t < 30)}' || fail+=("replay of scale-10 took $replay10 s (floor 30 s)")
awk -v t="$total" 'BEGIN{exit !(t < 300)}' || fail+=("the reproduction took $total s (floor 300 s)")
pct() { echo "($1 - $2) / $2 * 100" | bc -l | xargs printf '%+.2f'; }
# gaps to the lower bounds, from the plans' headers (power plans issue: at most 5 %)
declare -A G
gapmiss=()
for s in $decomm; do
  for o in sum makespan energy; do
    case $o in
      sum) f="$out/$s/plan-mvm.csv" g=$(sed -nE 's/^# gap: ([-0-9.]+)%/\1/p' "$f") ;;
      *) f="$out/plans/$s-$o.csv" g=$(sed -nE "s/^# gap \($o, [sJ]\): ([-0-9.]+)%/\1/p" "$f") ;;
    esac
    G[$s/$o]=$(printf '%.2f' "${g:-nan}")
    awk -v x="$g" 'BEGIN{exit !(x != "" && x <= 5)}' || gapmiss+=("$s $o ${G[$s/$o]} %")
  done
done
# against reality (floors of the fidelity issue)
acc() { awk -F'|' -v g="$1" -v c="$2" '$2 == " " g " " {gsub(/[ %+]/, "", $c); print $c}' "$out/accuracy/accuracy.md"; }
within() { awk -v x="$1" -v m="$2" 'BEGIN{exit !(x != "" && x <= m && x >= -m)}'; }
for col in 4 7; do
  what=$([ $col = 4 ] && echo "model alone" || echo "event-driven replay")
  v=$(acc "all migrations" $col)
  within "$v" 6 || fail+=("reality: $what mean relative error $v % (floor 6 %)")
  for cl in 1G from500 to500 both500; do
    b=$(acc "link $cl" $((col + 1)))
    within "$b" 3 || fail+=("reality: $what bias $b % on link class $cl (floor +-3 %)")
  done
  b=$(acc "plan completion" $((col + 1)))
  within "$b" 3 || fail+=("reality: $what completion bias $b % (floor +-3 %)")
done
rel() { echo "($1 - $2) / $2 * 100" | bc -l; }
within "$(rel "$btr_sim" 83.9)" 15 || fail+=("four-to-one: BtrPlace plan simulated $(f2 "$btr_sim") s, real 83.9 s (floor 15 %)")
within "$(rel "$mvm_sim" 24.6)" 5 || fail+=("four-to-one: mVM plan simulated $(f2 "$mvm_sim") s, real 24.6 s (floor 5 %)")
declare -A RC=([mVM]=454 [BtrPlace]=481) RM=([mVM]=31.7 [BtrPlace]=268) RE=([mVM]=3.93 [BtrPlace]=5.30)
for p in mVM BtrPlace; do
  within "$(rel "${UC[$p]}" "${RC[$p]}")" 10 || fail+=("UCC'15 $p plan: completion $(f2 "${UC[$p]}") s, real ${RC[$p]} s (floor 10 %)")
  within "$(rel "${UM[$p]}" "${RM[$p]}")" 15 || fail+=("UCC'15 $p plan: mean migration $(f2 "${UM[$p]}") s, real ${RM[$p]} s (floor 15 %)")
done
uratio=$(echo "${UE[BtrPlace]} / ${UE[mVM]}" | bc -l)
within "$(rel "$uratio" 1.35)" 10 || fail+=("UCC'15: energy ratio BtrPlace/mVM $(f2 "$uratio"), real 1.35 (floor 10 %)")
{
  echo "# mvm: reproduction of the seed paper (mVM, 2015)"
  echo
  echo "Generated by \`validation/reproduce.sh\` on $(uname -n) in $total s ($(${mvm} --version | head -1))."
  echo "Every figure below is recomputed from the files in this folder; simulated figures come from"
  echo "SimGrid (pre-copy rounds on its network model), predicted ones from the scheduler's models."
  echo
  echo "## Table 1 — four-to-one: mean migration duration (s)"
  echo
  echo "| plan | paper predicted | paper observed | mvm predicted | mvm simulated | prediction error (MRE) |"
  echo "|---|---|---|---|---|---|"
  echo "| BtrPlace (naive model, all at once) | 35.71 | 83.9 | $(f2 "$btr_pred") | $(f2 "$btr_sim") | $(f2 "$btr_mre") % |"
  echo "| mVM (network-aware) | 23.46 | 24.6 | $(f2 "$mvm_pred") | $(f2 "$mvm_sim") | $(f2 "$mvm_mre") % |"
  echo "| speed-up of mVM's migrations | | 3.4x | | $(f2 "$speedup")x | |"
  echo
  echo "The paper's observed column is reality (10 runs on Grid'5000): the simulation is $(pct "$btr_sim" 83.9) % off"
  echo "it for the BtrPlace plan and $(pct "$mvm_sim" 24.6) % for mVM's, with the network and migration stack"
  echo "calibrated on other real runs (below); the seed does not give its stress levels, we use the ones"
  echo "of the same authors' accuracy study. SimGrid shares the destination link fairly among BtrPlace's 8"
  echo "concurrent migrations, so the stressed VMs converge only once the idle ones are done."
  echo
  echo "Figure 1 analogue: [figure1-gantt-mvm.png](figure1-gantt-mvm.png) — the pairs migrate two at a time into the"
  echo "1 Gb/s destination, co-located VMs one after the other, synchronised pairs end together."
  echo "All four plans: four-to-one/table.txt, gantt-*.png, power.png."
  echo
  echo "## Figure 2 — decommissioning two racks under a power budget (mVM plan)"
  echo
  echo "Each scenario planned with the default objective (sum of end times) and with \`--objective energy\`,"
  echo "then replayed in SimGrid (simulated figures). Energy is counted over each plan's own reconfiguration."
  echo
  echo "| budget | objective | reconfiguration (s) | peak power simulated (W) | worst excess over budget (W) | energy simulated (kJ) | energy vs no budget, default | energy predicted vs simulated |"
  echo "|---|---|---|---|---|---|---|---|"
  for s in $decomm; do
    for o in sum energy; do
      k=$s; [ $o = energy ] && k=$s-energy
      b=none; case $s in *cap5200) b="5.2 kW" ;; *cap5000) b="5.0 kW" ;; *perrack) b="none, per-rack 4 Gb/s links" ;; esac
      echo "| $b | $o | $(f2 "${C[$k]}") | $(printf '%.0f' "${P[$k]}") | ${X[$k]} | $(echo "${E[$k]} / 1000" | bc -l | xargs printf '%.1f') | $(pct "${E[$k]}" "${E[decommission]}") % | $(edev "$k") % |"
    done
  done
  echo
  echo "Paper: uncapped peak 5.9 kW (12 new servers booting at once, then the first migrations);"
  echo "5.2 kW costs about 5 s and saves 5.86 % of the energy; 5.0 kW costs about 2 minutes."
  echo "Ours (the seed's platform: one 4 Gb/s link between the switches; the authors' VM templates and"
  echo "timings): the uncapped default plan boots the 12 new servers at once, like the paper's, peak"
  echo "$(printf '%.0f' "${P[decommission]}") W. Under a budget the energy objective boots each server just in time for the migrations"
  echo "that fill it: 5.2 kW costs $(f2 "$c52") s and $(f2 "$e52") % energy against the uncapped default plan, 5.0 kW"
  echo "costs $(f2 "$c50") s. The saving comes from the just-in-time boots, not from the budget: without a"
  echo "budget the energy objective saves $(pct "${E[decommission-energy]}" "${E[decommission]}") %; against that uncapped energy-objective plan, 5.2 kW"
  echo "changes the energy by $(pct "${E[decommission-cap5200-energy]}" "${E[decommission-energy]}") % and 5.0 kW by $(pct "${E[decommission-cap5000-energy]}" "${E[decommission-energy]}") %. The default objective under a budget"
  echo "counts a late boot's end against the plan, so it boots early and delays migrations instead (rows 'sum')."
  echo "The plot (energy-objective plans under budgets): [figure2-power.png](figure2-power.png)."
  echo
  echo "Gaps to the lower bounds (the power plans issue asks for at most 5 % on every scenario above,"
  echo "budgeted or not): each objective's plan against its own bound, (plan - bound) / plan."
  echo
  echo "| scenario | sum of end times (default) | makespan | energy |"
  echo "|---|---|---|---|"
  for s in $decomm; do
    echo "| $s | ${G[$s/sum]} % | ${G[$s/makespan]} % | ${G[$s/energy]} % |"
  done
  echo
  if [ ${#gapmiss[@]} -eq 0 ]; then
    echo "Every gap is at most 5 %."
  else
    echo "Above 5 % (open): $(printf '%s; ' "${gapmiss[@]}" | sed 's/; $//'). Under a budget only the sum's bound knows power (boots waiting"
    echo "for it, and against the migrations' power on the busiest link); docs/design-notes.md, \"Where the decommission's gaps come from\"."
  fi
  echo
  echo "## Figure 3 — solve time against scale"
  echo
  echo "| scale | VMs | scheduler | actions | solve time, median of $runs (s) | sum of end times (s) | lower bound (s) | gap |"
  echo "|---|---|---|---|---|---|---|---|"
  tail -n +2 "$out/scale.csv" | awk -F, '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, ($3=="mvm" ? $8 " %" : "n/a")}'
  echo
  echo "Paper: at scale 10 (960 VMs) mVM needs 1.5 s more than BtrPlace to find and prove its best plan."
  echo "Ours is a heuristic with a lower bound (gap column; BtrPlace's objective uses its naive model, so"
  echo "no gap is given for it). Replaying the scale-10 plan (960 migrations) in SimGrid took $replay10 s."
  echo "Its prediction error (MRE) is $(f2 "$mre10") % when every action starts at its planned instant (time mode) and"
  echo "$(f2 "$mre10e") % when an action waits for the ones before it on its path (event mode). The scheduler"
  echo "predicts a migration round by round (precopy-model=\"rounds\", with SimGrid's bandwidth and latency"
  echo "factors) and its plan never lets two flows share a link, so the simulated rounds match it closely;"
  echo "the seed's closed form (precopy-model=\"paper\") misses a second copy of the hot pages when the round"
  echo "after round 0 outlasts HPd (2.5 % short for a 4000 MB stressed VM at 500 Mb/s: bench/compare_builtin.sh)."
  echo "Plot: [figure3-solve-time.png](figure3-solve-time.png)."
  echo
  echo "## Against reality"
  echo
  echo "### 1,000 real migrations (thesis accuracy study, instances 1-25, 4 runs each)"
  echo
  echo "Each plan imported (\`mvm import btrplace\`) with the testbed's platform, each migration predicted"
  echo "alone at its rate (the model) and the plan replayed as the real executor ran it (SimGrid)."
  echo "Errors are relative to each real run; bias is the mean signed error (negative: mvm is short)."
  echo
  cat "$out/accuracy/accuracy.md"
  echo
  echo "Per-migration rows: accuracy/migrations.csv; per plan and run: accuracy/plans.csv. Scatter plot:"
  echo "[figure4-accuracy.png](figure4-accuracy.png). The parameters and why: docs/calibration.md."
  echo
  echo "### UCC'15 decommissioning, the authors' plans replayed (96 VMs, 72 servers)"
  echo
  echo "| plan | real completion (s) | simulated | real mean migration (s) | simulated | real energy (MJ) | simulated |"
  echo "|---|---|---|---|---|---|---|"
  for p in BtrPlace mVM; do
    echo "| $p | ${RC[$p]} | $(f2 "${UC[$p]}") ($(pct "${UC[$p]}" "${RC[$p]}") %) | ${RM[$p]} | $(f2 "${UM[$p]}") ($(pct "${UM[$p]}" "${RM[$p]}") %) | ${RE[$p]} | $(echo "${UE[$p]} / 1000000" | bc -l | xargs printf '%.2f') ($(pct "$(echo "${UE[$p]} / 1000000" | bc -l)" "${RE[$p]}") %) |"
  done
  echo "| ratio BtrPlace / mVM | | | | | 1.35 | $(f2 "$uratio") |"
  echo
  echo "## Floors of the validation issue"
  echo
  if [ ${#fail[@]} -eq 0 ]; then
    echo "All met: mVM migrations $(f2 "$speedup")x shorter than BtrPlace's (>= 3x); prediction error $(f2 "$mvm_mre") % (< 2 %);"
    echo "simulated power never over the budget; energy predicted vs simulated within 2 %; decommissioning 5.2 kW at most 10 s"
    echo "longer and 5.86 % less energy than uncapped, 5.0 kW at most 150 s longer; scale-10 replay"
    echo "$replay10 s (< 30 s); whole reproduction $total s (< 300 s). Against reality: the model and the replay"
    echo "within 6 % of the 1,000 real migrations with a bias within +-3 % on every link class and on"
    echo "completion; four-to-one within 15 % (BtrPlace) and 5 % (mVM) of the paper's observations; UCC'15"
    echo "completions within 10 %, mean migrations within 15 %, energy ratio within 10 % of 1.35."
  else
    for f in "${fail[@]}"; do echo "- MISSED: $f"; done
  fi
  if [ ${#gapmiss[@]} -gt 0 ]; then
    echo
    echo "Open (power plans issue, not counted above): gap to the lower bound above 5 % on $(printf '%s; ' "${gapmiss[@]}" | sed 's/; $//')."
  fi
} >"$out/report.md"
echo "report: $out/report.md ($total s)" >&2
[ ${#fail[@]} -eq 0 ]
