#!/usr/bin/env bash
# Fidelity to real migrations: the executor model, the migration stacks' options, the calibrated
# network, and the accuracy floors against the 1,000 real migrations.
# Usage: run.sh MVM SOURCE_DIR BUILD_DIR. Prints "N passed, M failed", exits non-zero on a failure.
set -u
MVM=$(realpath "$1")
SRC=$(realpath "$2")
BUILD=$(realpath "$3")
. "$(dirname "$0")/../lib.sh" fidelity
check() { # DESCRIPTION command...
  local d=$1
  shift
  if "$@"; then ok "$d"; else ko "$d"; fi
}
S4=$SRC/scenarios/four-to-one.xml
cp "$SRC/scenarios/four-to-one.platform.xml" "$T/"
col() { # FILE VM COLUMN: a column of a migration's row in actions.csv
  awk -F, -v v="$2" -v c="$3" 'NR > 1 && $3 == v {print $c}' "$1"
}

# ---- the executor: event mode (default) starts a migration when the migrations planned to end
# by its planned start have ended; time mode at its planned instant ----
H='action,subject,from,to,start,end,bandwidth_mbps'
printf '%s\nmigrate,vm0,src1,dst,0,100,470.5\nmigrate,vm2,src2,dst,0,100,470.5\nmigrate,vm4,src3,dst,100,200,470.5\n' "$H" >"$T/chain.csv"
"$MVM" replay "$S4" "$T/chain.csv" -o "$T/ev" >/dev/null 2>&1
"$MVM" replay "$S4" "$T/chain.csv" -o "$T/tm" --mode time >/dev/null 2>&1
e0=$(col "$T/ev/actions.csv" vm0 10)
e2=$(col "$T/ev/actions.csv" vm2 10)
s4=$(col "$T/ev/actions.csv" vm4 9)
check "event mode (default): vm4 starts when vm0 and vm2, planned to end by its start, have ended ($s4 s)" \
  awk -v a="$e0" -v b="$e2" -v s="$s4" 'BEGIN{m = a > b ? a : b; exit !(s != "" && s < 100 && s - m < 1e-6 && m - s < 1e-6)}'
check "time mode: vm4 starts at its planned 100 s" awk -v s="$(col "$T/tm/actions.csv" vm4 9)" 'BEGIN{exit !(s == 100)}'

# a source is never shut down under a leaving VM, even in time mode
cat >"$T/shut.xml" <<'EOF'
<?xml version="1.0"?>
<scenario version="1" platform="four-to-one.platform.xml">
  <node host="src1" final="off"/>
  <node host="dst"/>
  <vm id="vm0" memory="2GiB" used="1000MB" from="src1" to="dst"/>
</scenario>
EOF
printf '%s\nmigrate,vm0,src1,dst,0,20,470.5\nshutdown,src1,src1,src1,5,35,\n' "$H" >"$T/shut.csv"
"$MVM" replay "$T/shut.xml" "$T/shut.csv" -o "$T/sh" --mode time >/dev/null 2>"$T/err"
me=$(col "$T/sh/actions.csv" vm0 10)
ss=$(awk -F, 'NR > 1 && $2 == "shutdown" {print $9}' "$T/sh/actions.csv")
check "time mode: the shutdown planned at 5 s waits for vm0 to have left ($me s -> $ss s)" \
  awk -v m="$me" -v s="$ss" 'BEGIN{exit !(m > 5 && s >= m - 1e-9)}'
check "... and the replay says the plan violates the scenario" grep -q "violates the scenario" "$T/err"

# ---- migration stacks: libvirt's --timeout, QEMU's auto-converge, post-copy ----
# vm1 (1550 MB, stressed: 96 MB / 2 s, half resent = 24 MB/s) at 150 Mb/s (17.6 MB/s): never converges
printf '%s\nmigrate,vm1,src1,dst,0,100,150\n' "$H" >"$T/slow.csv"
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/plain" >/dev/null 2>&1
check "at 150 Mb/s the stressed vm1 does not converge (64 rounds, forced)" \
  awk -v c="$(col "$T/plain/actions.csv" vm1 14)" -v r="$(col "$T/plain/actions.csv" vm1 12)" 'BEGIN{exit !(c == 0 && r == 65)}'
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/to" --timeout 120s >/dev/null 2>&1
d=$(awk -F, 'NR > 1 && $3 == "vm1" {print $10 - $9}' "$T/to/actions.csv")
check "--timeout 120s: suspended after 120 s of pre-copy, then stop-and-copy ($d s, not converged)" \
  awk -v d="$d" -v c="$(col "$T/to/actions.csv" vm1 14)" 'BEGIN{exit !(d >= 120 && d < 200 && c == 0)}'
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/tof" --timeout 120s --on-stall fail >/dev/null 2>"$T/err"
rc=$?
check "--timeout with --on-stall fail is refused (exit 2, $rc)" bash -c "[ $rc -eq 2 ] && grep -q 'not with --on-stall fail' '$T/err'"
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/ac" --auto-converge >/dev/null 2>&1
check "--auto-converge: the vCPU throttle slows the dirtying, vm1 converges ($(col "$T/ac/actions.csv" vm1 12) rounds)" \
  awk -v c="$(col "$T/ac/actions.csv" vm1 14)" -v r="$(col "$T/ac/actions.csv" vm1 12)" 'BEGIN{exit !(c == 1 && r < 20)}'
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/pc" --postcopy-after 3 >/dev/null 2>&1
check "--postcopy-after 3: ends after 3 rounds and the pull, downtime under 10 ms" \
  awk -v r="$(col "$T/pc/actions.csv" vm1 12)" -v dt="$(col "$T/pc/actions.csv" vm1 13)" -v c="$(col "$T/pc/actions.csv" vm1 14)" \
  'BEGIN{exit !(r == 4 && dt < 0.01 && c == 1)}'
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/bad" --postcopy-after 0 >/dev/null 2>&1
check "--postcopy-after 0 is refused (exit 2)" [ $? -eq 2 ]

# ---- the calibrated network, the same for the scheduler, the checker and SimGrid ----
"$MVM" info "$S4" >"$T/info"
check "info: bandwidth factor 0.941, no acknowledgement load, 2.5 s set-up, half resent" \
  bash -c "grep -q 'bandwidth factor 0.941' '$T/info' && grep -q 'crosstraffic off' '$T/info' && grep -q 'set-up 2.50 s, 50% of the dirtied data resent' '$T/info'"
check "--cfg=network/bandwidth-factor:0.97 is followed by the scheduler too (485 Mb/s of 500)" \
  bash -c "'$MVM' info '$S4' --cfg=network/bandwidth-factor:0.97 2>/dev/null | grep -q '500.0 Mb/s nominal, 485.0 Mb/s effective'"
"$MVM" import btrplace "$SRC/validation/data/thesis-accuracy-train/random.1.json" \
  --platform "$SRC/validation/data/thesis-testbed.platform.xml" -o "$T/imp" >/dev/null 2>&1
"$MVM" check "$T/imp/scenario.xml" "$T/imp/plan.csv" >"$T/chk" 2>&1
check "a real BtrPlace plan is not refused for acknowledgements that are not there" bash -c "! grep -q 'network element' '$T/chk'"
"$MVM" replay "$T/imp/scenario.xml" "$T/imp/plan.csv" -o "$T/r1" >/dev/null 2>&1
check "real plan random.1 replayed: 10 migrations, all converged" \
  awk -F, 'NR > 1 && $2 == "migrate" {n++; c += $14} END{exit !(n == 10 && c == 10)}' "$T/r1/actions.csv"

# ---- the accuracy floors on the training data (validation/accuracy.sh) ----
"$SRC/validation/accuracy.sh" "$BUILD" "$T/acc" >/dev/null 2>&1
acc() { awk -F'|' -v g="$1" -v c="$2" '$2 == " " g " " {gsub(/[ %+]/, "", $c); print $c}' "$T/acc/accuracy.md"; }
for c in 4 7; do
  w=$([ $c = 4 ] && echo model || echo replay)
  v=$(acc "all migrations" $c)
  check "$w: mean relative error $v % on 1,000 real migrations (floor 6 %)" awk -v v="$v" 'BEGIN{exit !(v != "" && v <= 6)}'
  for g in "link 1G" "link from500" "link to500" "link both500" "plan completion"; do
    b=$(acc "$g" $((c + 1)))
    check "$w: bias $b % on $g (floor +-3 %)" awk -v b="$b" 'BEGIN{exit !(b != "" && b <= 3 && b >= -3)}'
  done
done

finish
