#!/usr/bin/env bash
# One migration on an otherwise idle path, three ways, side by side:
#   rounds       the scheduler's default model (`mvm plan`'s predicted duration: the protocol's
#                rounds with SimGrid's bandwidth and latency factors)
#   paper        the seed's closed form (precopy-model="paper")
#   mvm plugin   the round-by-round simulation (`mvm replay` of that plan)
#   builtin      SimGrid's own live migration (sg_vm_migrate, via bench/precopy_many)
# for an idle VM (2000 MB) and a stressed one (4000 MB, 96 MB of hot pages over 2 s, 3 MB/s
# of cold pages), 30 ms downtime, on a path of 500 Mb/s and of 1 Gb/s (two SPLITDUPLEX
# links, 50 us each, as in precopy_many's cluster).
# Usage: bench/compare_builtin.sh [BUILD_DIR] [--check]
#   --check: exit 1 unless the plugin is within 2 % of the scheduler's (rounds) prediction in
#   every case.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
check=${2:-}
mvm=$build/cli/mvm
many=$build/bench/precopy_many
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
printf '%-9s %5s %10s %10s %8s %10s %8s %7s %10s %8s\n' workload Mbps rounds_s paper_s paper_% \
  mvm_plugin_s error_% rounds builtin_s vs_mvm_%
for mbps in 500 1000; do
  cat >"$tmp/p.xml" <<EOF
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="z" routing="Full">
    <host id="src" speed="1Gf"><prop id="memory" value="16GiB"/></host>
    <host id="dst" speed="1Gf"><prop id="memory" value="16GiB"/></host>
    <link id="l-src" bandwidth="${mbps}Mbps" latency="50us" sharing_policy="SPLITDUPLEX"/>
    <link id="l-dst" bandwidth="${mbps}Mbps" latency="50us" sharing_policy="SPLITDUPLEX"/>
    <route src="src" dst="dst"><link_ctn id="l-src" direction="UP"/><link_ctn id="l-dst" direction="DOWN"/></route>
  </zone>
</platform>
EOF
  for w in idle stressed; do
    if [ "$w" = idle ]; then vm='used="2000MB"'; else vm='used="4000MB" workload="stressed"'; fi
    cat >"$tmp/s.xml" <<EOF
<?xml version="1.0"?>
<scenario version="1" platform="p.xml">
  <defaults downtime="30ms" MODEL/>
  <workload id="stressed" hot-size="96MB" hot-duration="2s" cold-rate="3MB/s"/>
  <node host="src"/>
  <node host="dst"/>
  <vm id="vm" memory="8GiB" $vm from="src" to="dst"/>
</scenario>
EOF
    sed 's/ MODEL//' "$tmp/s.xml" >"$tmp/rounds.xml"
    sed 's/MODEL/precopy-model="paper"/' "$tmp/s.xml" >"$tmp/paper.xml"
    "$mvm" plan -q "$tmp/paper.xml" -o "$tmp/plan.csv"
    paper=$(awk -F, '$1=="migrate"{print $6-$5}' "$tmp/plan.csv")
    "$mvm" plan -q "$tmp/rounds.xml" -o "$tmp/plan.csv"
    rm -rf "$tmp/r"
    "$mvm" replay "$tmp/rounds.xml" "$tmp/plan.csv" -o "$tmp/r" >/dev/null
    read -r pred sim rounds < <(awk -F, '$2=="migrate"{print $8-$7, $10-$9, $12}' "$tmp/r/actions.csv")
    bi=$("$many" --engine builtin --migrations 1 --rate "$mbps" --link "$mbps" --workload "$w" |
      sed -nE 's/.*mean_duration_s=([0-9.]+).*/\1/p')
    err=$(awk -v p="$pred" -v s="$sim" 'BEGIN{printf "%.3f", 100*(s-p)/s}')
    perr=$(awk -v p="$paper" -v s="$sim" 'BEGIN{printf "%.3f", 100*(s-p)/s}')
    vs=$(awk -v b="$bi" -v s="$sim" 'BEGIN{printf "%.3f", 100*(b-s)/s}')
    printf '%-9s %5s %10.3f %10.3f %8s %10.3f %8s %7s %10.3f %8s\n' "$w" "$mbps" "$pred" "$paper" "$perr" \
      "$sim" "$err" "$rounds" "$bi" "$vs"
    awk -v e="$err" 'BEGIN{exit !(e < 2 && e > -2)}' || fail=1
  done
done
if [ "$check" = --check ] && [ $fail -ne 0 ]; then
  echo "compare_builtin: the plugin is more than 2 % away from the scheduler's prediction" >&2
  exit 1
fi
