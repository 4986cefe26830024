#!/usr/bin/env bash
# mvm against reality: the 1,000 real Grid'5000 migrations of the thesis' accuracy study
# (validation/data/thesis-accuracy-train: 25 plans x 10 migrations x 4 runs).
# For each plan: `mvm import btrplace` with the testbed platform, the model's prediction of each
# migration alone at its rate (`mvm info`), and the event-driven replay in SimGrid (`mvm replay`,
# the real executor's rule). Everything is compared with each real run.
# Usage: validation/accuracy.sh [BUILD_DIR] [OUT] [extra mvm options (--cfg=...)...]
# Environment: ACC_DEFAULTS='migration-setup="3s" dirty-resend="40%"' adds attributes to every
# imported scenario's <defaults> (to measure the sensitivity to a parameter); ACC_PLATFORM
# replaces the testbed platform.
# Writes OUT/migrations.csv, OUT/plans.csv, OUT/accuracy.md; prints the summary table.
# Columns of migrations.csv (one row per migration and real run):
#   instance,vm,from,to,class,mem_mb,run,real_s,predicted_s,simulated_s
#   class: 1G (both ends native 1 GbE), from500 (source shaped to 500 Mb/s), to500
#   (destination shaped), both500; times in s.
# plans.csv: instance,run,real_completion_s,predicted_completion_s,simulated_completion_s
#   (predicted: the model's durations chained by the executor's rule, see below).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/results/accuracy}
shift 2 || shift $#
mvm=$build/cli/mvm
data=$here/validation/data/thesis-accuracy-train
platform=${ACC_PLATFORM:-$here/validation/data/thesis-testbed.platform.xml}
[ -x "$mvm" ] || { echo "accuracy.sh: no mvm binary at $mvm" >&2; exit 2; }
mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$here/validation/real_runs.sh" "$data" >"$work/real.csv"
: >"$work/pred.csv"
: >"$work/sim.csv"
: >"$work/plan.csv"
for f in "$data"/random.*.json; do
  n=${f##*/random.}
  n=${n%.json}
  d=$work/i$n
  "$mvm" import btrplace "$f" --platform "$platform" -o "$d" "$@" 2>/dev/null
  if [ -n "${ACC_DEFAULTS:-}" ]; then
    sed -i "s|<defaults|<defaults ${ACC_DEFAULTS}|" "$d/scenario.xml"
  fi
  # the model's duration of each migration alone at its rate
  "$mvm" info "$d/scenario.xml" "$@" |
    awk -v n="$n" '/^  vm[^ ]*: /{vm=$1; sub(":", "", vm)} /mVM model/{match($0, /mVM model [0-9.]+/); print n "," vm "," substr($0, RSTART + 10, RLENGTH - 10)}' >>"$work/pred.csv"
  "$mvm" replay "$d/scenario.xml" "$d/plan.csv" --mode event -o "$d/replay" "$@" >/dev/null 2>&1
  awk -F, -v n="$n" 'NR > 1 && $2 == "migrate" {print n "," $3 "," $9 "," $10}' "$d/replay/actions.csv" >>"$work/sim.csv"
  awk -F, -v n="$n" '$1 == "migrate" {print n "," $2 "," $5 "," $6}' "$d/plan.csv" >>"$work/plan.csv"
done

# migrations.csv: one row per migration and run
awk -F, '
  FILENAME ~ /pred.csv$/ {pred[$1 "," $2] = $3; next}
  FILENAME ~ /sim.csv$/ {sims[$1 "," $2] = $3; sime[$1 "," $2] = $4; next}
  FNR == 1 {print "instance,vm,from,to,class,mem_mb,run,real_s,predicted_s,simulated_s"; next}
  {
    k = $1 "," $2
    fs = ($3 == "node0" || $3 == "node1"); ts = ($4 == "node0" || $4 == "node1")
    cls = fs && ts ? "both500" : fs ? "from500" : ts ? "to500" : "1G"
    printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%.3f\n", $1, $2, $3, $4, cls, $6, $7, $9, pred[k], sime[k] - sims[k]
  }' "$work/pred.csv" "$work/sim.csv" "$work/real.csv" >"$out/migrations.csv"

# plans.csv: completion of each plan and run. The predicted completion chains the model's
# durations by the executor's rule: a migration starts when every migration planned to end at or
# before its planned start has ended.
awk -F, '
  FILENAME ~ /plan.csv$/ {np[$1]++; i = np[$1]; ps[$1, i] = $3; pe[$1, i] = $4; pv[$1, i] = $2; next}
  FILENAME ~ /pred.csv$/ {pred[$1 "," $2] = $3; next}
  FILENAME ~ /sim.csv$/ {if ($4 > simend[$1]) simend[$1] = $4; next}
  FNR == 1 {next}
  {
    k = $1 SUBSEP $7
    e = $8 + $9
    if (!(k in rend) || e > rend[k]) rend[k] = e
    runs[k] = 1
  }
  END {
    print "instance,run,real_completion_s,predicted_completion_s,simulated_completion_s"
    for (n in np) {
      # predicted start/end by the rule, in order of planned start
      m = np[n]; pc = 0
      for (i = 1; i <= m; i++) done[i] = 0
      for (iter = 1; iter <= m; iter++) {
        best = 0
        for (i = 1; i <= m; i++) if (!done[i] && (!best || ps[n, i] < ps[n, best])) best = i
        st = 0
        for (j = 1; j <= m; j++) if (j != best && pe[n, j] <= ps[n, best] + 1e-6 && en[j] > st) st = en[j]
        en[best] = st + pred[n "," pv[n, best]]
        done[best] = 1
        if (en[best] > pc) pc = en[best]
      }
      for (k in runs) {
        split(k, kk, SUBSEP)
        if (kk[1] == n) printf "%s,%s,%s,%.3f,%.3f\n", n, kk[2], rend[k], pc, simend[n]
      }
    }
  }' "$work/plan.csv" "$work/pred.csv" "$work/sim.csv" "$work/real.csv" | sort -t, -k1,1n -k2,2n >"$out/plans.csv"

# the summary: errors relative to each real run (MRE), bias (mean signed relative error), MAE
awk -F, '
  function add(g, r, p, s) {
    n[g]++; mae_p[g] += (p > r ? p - r : r - p); mae_s[g] += (s > r ? s - r : r - s)
    b_p[g] += (p - r) / r; b_s[g] += (s - r) / r
    m_p[g] += (p > r ? p - r : r - p) / r; m_s[g] += (s > r ? s - r : r - s) / r
  }
  FILENAME ~ /migrations.csv$/ && FNR > 1 {
    add("all migrations", $8, $9, $10); add("link " $5, $8, $9, $10); add("memory " $6 " MB", $8, $9, $10)
    rs[$1 "," $2, $7] = $8; rsum[$1 "," $2] += $8; rn[$1 "," $2]++
    next
  }
  FILENAME ~ /plans.csv$/ && FNR > 1 {
    add("plan completion", $3, $4, $5)
    cs[$1, $2] = $3; csum[$1] += $3; cn[$1]++
  }
  END {
    # the noise floor: each real run predicted by the mean of the other runs of the same plan
    # (migration by migration, and completion)
    for (k in rs) {
      split(k, kk, SUBSEP)
      m = (rsum[kk[1]] - rs[k]) / (rn[kk[1]] - 1)
      nf_m += (m > rs[k] ? m - rs[k] : rs[k] - m) / rs[k]; nf_n++
    }
    for (k in cs) {
      split(k, kk, SUBSEP)
      m = (csum[kk[1]] - cs[k]) / (cn[kk[1]] - 1)
      nf_c += (m > cs[k] ? m - cs[k] : cs[k] - m) / cs[k]; nc_n++
    }
    printf "| group | n | predicted MRE | predicted bias | predicted MAE (s) | simulated MRE | simulated bias | simulated MAE (s) |\n"
    printf "|---|---|---|---|---|---|---|---|\n"
    ng = split("all migrations,link 1G,link from500,link to500,link both500,memory 2000 MB,memory 3000 MB,plan completion", order, ",")
    for (i = 1; i <= ng; i++) {
      g = order[i]
      if (!n[g]) continue
      printf "| %s | %d | %.1f %% | %+.1f %% | %.2f | %.1f %% | %+.1f %% | %.2f |\n", g, n[g], 100 * m_p[g] / n[g],
        100 * b_p[g] / n[g], mae_p[g] / n[g], 100 * m_s[g] / n[g], 100 * b_s[g] / n[g], mae_s[g] / n[g]
    }
    printf "\nRun-to-run noise (each real run predicted by the mean of the other runs of the same plan): "
    printf "%.1f %% per migration, %.1f %% on completion.\n", 100 * nf_m / nf_n, 100 * nf_c / nc_n
  }' "$out/migrations.csv" "$out/plans.csv" >"$out/accuracy.md"
cat "$out/accuracy.md"
