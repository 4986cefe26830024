#!/usr/bin/env bash
# Test of the plugin used alone (plugin/example/standalone.c): the workload and the power
# parameters come from the platform's <prop> tags; the energies printed must be the hand
# computation from the simulated duration T and data V:
#   src   = 100 W (mvm:idle) x T + 16 W (global vm-power, VM on src until T) x T + 0.512 V + 20.165
#   dst   = 200 W (mvm:idle = 0.2kW) x T           (the VM arrives at T)
#   spare = 110 W (global idle; never touched by the program) x T
# Usage: check.sh EXAMPLE_BINARY PLATFORM
set -euo pipefail
bin=$1
plat=$2
out=$("$bin" "$plat" vm0 src dst 500)
echo "$out"
field() { echo "$out" | grep "^$1" | sed -nE "s/.* $2=([^ ]+).*/\1/p"; }
T=$(field migration end_s)
V=$(field migration data_mb)
[ "$(echo "$out" | sed -n 's/^vm_now_on=//p')" = dst ] || { echo "FAIL: vm0 did not move to dst"; exit 1; }
awk -v v="$V" 'BEGIN{exit !(v > 1000 && v < 1300)}' || { echo "FAIL: data sent $V MB, expected the 1000 MB of mvm:vm0:used plus dirty pages"; exit 1; }
check() { # WHAT GOT EXPECTED
  awk -v g="$2" -v e="$3" 'BEGIN{d = g - e; if (d < 0) d = -d; exit !(d <= 1e-6 * e + 1e-6)}' ||
    { echo "FAIL: $1 energy $2 J, hand-computed $3 J"; exit 1; }
  echo "ok: $1 energy $2 J = hand-computed $3 J"
}
check src "$(field "host src" energy_j)" "$(awk -v t="$T" -v v="$V" 'BEGIN{printf "%.6f", 100*t + 16*t + 0.512*v + 20.165}')"
check dst "$(field "host dst" energy_j)" "$(awk -v t="$T" 'BEGIN{printf "%.6f", 200*t}')"
check total "$(field total energy_j)" "$(awk -v t="$T" -v v="$V" 'BEGIN{printf "%.6f", 100*t + 16*t + 0.512*v + 20.165 + 200*t + 110*t}')"
# a VM without workload properties is refused (exit 2), not migrated with made-up values
set +e
"$bin" "$plat" vm1 src dst 500 >/dev/null 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || { echo "FAIL: vm1 without mvm:vm1:used: exit $rc, expected 2"; exit 1; }
echo "ok: a VM without workload properties is refused"
