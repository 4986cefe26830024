#!/usr/bin/env bash
# Random decommissionings through shared rack links: the lower bounds on the sum of end
# times, the makespan and the energy never exceed the plans made for those objectives
# (the energy bound counts how sources and booted nodes that share an element wait for each
# other: a wrong bound shows here, not on tests/random/power.sh's one-switch platforms).
# Each instance (seeded bash RANDOM): scenarios/decommission.platform.xml or its per-rack
# variant; every old server holds 0-4 VMs of 1000-4000 MB (4 GiB), idle or stressed, sent to
# a random new server (off at first); an emptied old server shuts down or, sometimes, stays
# on; sometimes a power budget 300-1500 W above the initial draw. Every plan passes check.
# With "tight" (TIGHT): always a budget, 135-435 W above the initial draw (room for one to
# three boots at first); instances without a plan (exit 3) do not count, and at least half
# of the N must plan.
# Usage: tests/random/racks.sh MVM SCENARIOS_DIR [N [tight]]   (default 12 instances)
set -uo pipefail
MVM=${1:?usage: racks.sh MVM SCENARIOS_DIR [N]}
SRC=${2:?usage: racks.sh MVM SCENARIOS_DIR [N]}
N=${3:-12}
TIGHT=${4:-}
[ -z "$TIGHT" ] || [ "$TIGHT" = tight ] || { echo "usage: racks.sh MVM SCENARIOS_DIR [N [tight]]" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0 done_=0
for ((i = 1; i <= N; i++)); do
  RANDOM=$i
  plat=decommission.platform.xml
  [ $((RANDOM % 3)) = 0 ] && plat=decommission-perrack.platform.xml
  cp "$SRC/$plat" "$T/p.xml"
  nvm=0 non=0
  {
    echo '<?xml version="1.0"?>'
    echo '<scenario version="1" platform="p.xml">'
    echo '  <defaults boot="120s" shutdown="17s"/>'
    echo '  <workload id="stressed" hot-size="96MB" hot-duration="2s" cold-rate="3MB/s"/>'
    vms=""
    for r in 0 1; do for s in $(seq 0 11); do
      k=$((RANDOM % 5))
      final=off; [ $((RANDOM % 6)) = 0 ] && final=on
      [ $k = 0 ] && final=on
      [ $final = on ] && non=$((non + 1))
      echo "  <node host=\"s$r-$s\" state=\"on\" final=\"$final\" memory=\"64GiB\"/>"
      for ((v = 0; v < k; v++)); do
        wl=""; [ $((RANDOM % 2)) = 0 ] && wl=' workload="stressed"'
        vms+="  <vm id=\"vm$nvm\" memory=\"4GiB\" used=\"$((1000 + RANDOM % 3001))MB\"$wl from=\"s$r-$s\" to=\"d-$((RANDOM % 12))\"/>"$'\n'
        nvm=$((nvm + 1))
      done
    done; done
    for d in $(seq 0 11); do echo "  <node host=\"d-$d\" state=\"off\" final=\"on\" memory=\"128GiB\"/>"; done
    printf '%s' "$vms"
    if [ -n "$TIGHT" ]; then
      echo "  <power-budget max=\"$((24 * 110 + nvm * 16 + 135 + RANDOM % 301))W\"/>"
    elif [ $((RANDOM % 3)) = 0 ]; then
      echo "  <power-budget max=\"$((24 * 110 + nvm * 16 + 300 + RANDOM % 1201))W\"/>"
    fi
    echo '</scenario>'
  } >"$T/s.xml"
  for ob in sum makespan energy; do
    out=$("$MVM" plan "$T/s.xml" --objective "$ob" -o "$T/$ob.csv" 2>&1)
    rc=$?
    [ $rc = 3 ] && continue
    [ $rc = 0 ] || { echo "seed $i ($ob): plan exited $rc: $out"; fail=1; continue; }
    "$MVM" check "$T/s.xml" "$T/$ob.csv" >"$T/check.txt" 2>&1 || { echo "seed $i ($ob): fails check"; cat "$T/check.txt"; fail=1; }
    if [ $ob = sum ]; then
      val=$(sed -nE 's/^# objective \(sum of end times, s\): ([0-9.]+)/\1/p' "$T/$ob.csv")
      lb=$(sed -nE 's/^# lower bound \(s\): ([-0-9.]+)/\1/p' "$T/$ob.csv")
    else
      val=$(sed -nE "s/^# objective \($ob, [sJ]\): ([0-9.]+)/\1/p" "$T/$ob.csv")
      lb=$(sed -nE "s/^# lower bound \($ob, [sJ]\): ([-0-9.]+)/\1/p" "$T/$ob.csv")
    fi
    if awk -v v="$val" -v b="$lb" 'BEGIN{exit !(v != "" && b != "" && b <= v * (1 + 1e-9) + 1e-6)}'; then
      printf 'seed %2d %-8s %3d VMs on %-34s plan %14s bound %14s gap %5.1f %%\n' "$i" "$ob" "$nvm" "$plat" "$val" "$lb" \
        "$(awk -v v="$val" -v b="$lb" 'BEGIN{print 100 * (v - b) / v}')"
      done_=$((done_ + 1))
    else
      echo "seed $i: $ob lower bound '$lb' above the plan's '$val'"; fail=1
    fi
  done
done
echo "$done_ plans compared with their bounds"
need=$N
[ -n "$TIGHT" ] && need=$(((N + 1) / 2))
[ "$done_" -ge $need ] || { echo "too few plans ($done_)"; fail=1; }
exit $fail
