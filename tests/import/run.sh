#!/usr/bin/env bash
# mvm import btrplace, end to end, on the authors' real instances (validation/data/) and on
# bad JSON, plus validation/real_runs.sh. Usage: run.sh MVM SOURCE_DIR
# Prints "N passed, M failed" and exits non-zero if any failed.
set -u
MVM=$1
SRC=$2
. "$(dirname "$0")/../lib.sh" import
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
D=$SRC/validation/data
R1=$D/thesis-accuracy-train/random.1.json
TB=$D/thesis-testbed.platform.xml

# row ACTION SUBJECT FILE: the plan row of that action and subject
row() { grep -E "^$1,$2," "$3"; }

# --- a thesis instance on the shipped testbed platform
if "$MVM" import btrplace "$R1" --platform "$TB" -o "$T/t1" 2>"$T/err"; then ok "thesis random.1 imports"; else ko "thesis random.1 imports: $(cat "$T/err")"; fi
check "random.1: 10 VMs, 10 migrations" '[ "$(grep -c "<vm " "$T/t1/scenario.xml")" = 10 ] && [ "$(grep -c "^migrate," "$T/t1/plan.csv")" = 10 ]'
check "random.1: platform copied unchanged" 'cmp -s "$TB" "$T/t1/platform.xml"'
check "random.1: vm5 uses 3000 MB, stress workload" 'grep -qE "<vm id=\"vm5\" memory=\"3GiB\" used=\"3000MB\" cores=\"1\" workload=\"w0\" from=\"node1\" to=\"node3\"" "$T/t1/scenario.xml" && grep -q "hot-size=\"96MB\" hot-duration=\"2s\" cold-rate=\"2MB/s\"" "$T/t1/scenario.xml"'
# bw 1000 on 1 GbE and 500 on the shaped nodes: lowered to the routes' effective rates (x 0.97)
check "random.1: vm2 70 s -> 90 s at 941 Mb/s" '[ "$(row migrate vm2 "$T/t1/plan.csv")" = "migrate,vm2,node2,node3,70.000000,90.000000,941.000000" ]'
check "random.1: vm6 0 s -> 70 s at 446.975 Mb/s (ingress policed: 0.95 x 500 x 0.941)" '[ "$(row migrate vm6 "$T/t1/plan.csv")" = "migrate,vm6,node2,node0,0.000000,70.000000,446.975000" ]'
check "random.1: plan metadata" 'grep -q "^# scheduler: btrplace-import" "$T/t1/plan.csv"'
# the checker reads the trio (exit 1, not 2): mVM's whole-second durations differ from mvm's
# model, and the plan leaves no room for SimGrid's acknowledgement cross-traffic (5 %)
"$MVM" check "$T/t1/scenario.xml" "$T/t1/plan.csv" --max 1000 >"$T/c1" 2>&1
rc=$?
check "random.1: mvm check reads it (exit 1: durations, cross-traffic)" '[ $rc -eq 1 ] && ! grep -vqE "lasts|network element .*_(UP|DOWN)|actions, [0-9]+ violations" "$T/c1"'
"$MVM" check "$T/t1/scenario.xml" "$T/t1/plan.csv" --max 1000 --cfg=network/crosstraffic:0 >"$T/c2" 2>&1
check "random.1: without cross-traffic only durations differ" '! grep -q "network element" "$T/c2" && grep -q lasts "$T/c2"'
if "$MVM" replay "$T/t1/scenario.xml" "$T/t1/plan.csv" --mode event -o "$T/t1-out" >/dev/null 2>"$T/err"; then ok "random.1: replay --mode event runs"; else ko "random.1: replay --mode event: $(tail -3 "$T/err")"; fi
check "random.1: replay summary has 10 migrations" '[ "$(jq ".plans[0].migrations" "$T/t1-out/summary.json")" = 10 ]'

# --- both UCC'15 plans: the platform generated from the network view
for p in mVM BtrPlace; do
  O=$T/ucc-$p
  if "$MVM" import btrplace "$D/ucc15-energy/$p.json" -o "$O" 2>"$T/err"; then ok "UCC $p imports"; else ko "UCC $p imports: $(cat "$T/err")"; fi
  check "UCC $p: 96 VMs, 96 migrations, 24 boots, 48 shutdowns" '[ "$(grep -c "<vm " "$O/scenario.xml")" = 96 ] && [ "$(grep -c "^migrate," "$O/plan.csv")" = 96 ] && [ "$(grep -c "^boot," "$O/plan.csv")" = 24 ] && [ "$(grep -c "^shutdown," "$O/plan.csv")" = 48 ]'
  check "UCC $p: 72 hosts, 75 links, routes both ways through the main switch" '[ "$(grep -c "<host " "$O/platform.xml")" = 72 ] && [ "$(grep -c "sharing_policy=\"SPLITDUPLEX\"" "$O/platform.xml")" = 75 ] && grep -q "<route src=\"node0\" dst=\"node30\"><link_ctn id=\"link0\" direction=\"UP\"/><link_ctn id=\"link72\" direction=\"UP\"/><link_ctn id=\"link73\" direction=\"DOWN\"/><link_ctn id=\"link30\" direction=\"DOWN\"/></route>" "$O/platform.xml"'
  check "UCC $p: old racks end off, new rack booted" 'grep -q "<node host=\"node0\" state=\"on\" final=\"off\" memory=\"16GiB\" cores=\"4\"/>" "$O/scenario.xml" && grep -q "<node host=\"node48\" state=\"off\" final=\"on\"" "$O/scenario.xml" && grep -q "<defaults boot=\"120s\" shutdown=\"17s\"/>" "$O/scenario.xml"'
  "$MVM" check "$O/scenario.xml" "$O/plan.csv" >/dev/null 2>&1
  rc=$?
  check "UCC $p: mvm check reads it" '[ $rc -le 1 ]'
  if "$MVM" replay "$O/scenario.xml" "$O/plan.csv" --mode event -o "$O/out" >/dev/null 2>"$T/err"; then ok "UCC $p: replay --mode event runs"; else ko "UCC $p: replay --mode event: $(tail -3 "$T/err")"; fi
done
check "UCC mVM: vm33 246 s -> 282 s at 941 Mb/s" '[ "$(row migrate vm33 "$T/ucc-mVM/plan.csv")" = "migrate,vm33,node16,node64,246.000000,282.000000,941.000000" ]'
check "UCC mVM: a shutdown of 17 s" '[ "$(row shutdown node29 "$T/ucc-mVM/plan.csv")" = "shutdown,node29,node29,node29,228.000000,245.000000," ]'
# bw 0 (vanilla BtrPlace, no rate limit): the route's rate alone
check "UCC BtrPlace: bw 0 becomes the route's rate (941 Mb/s)" '[ "$(grep "^migrate," "$T/ucc-BtrPlace/plan.csv" | cut -d, -f7 | sort -u)" = "941.000000" ] && [ "$(row migrate vm24 "$T/ucc-BtrPlace/plan.csv")" = "migrate,vm24,node12,node60,120.000000,121.000000,941.000000" ]'

# --- bad input: exit 2, the JSON path in the message, nothing left in DIR
bad() { # DESCRIPTION PATTERN FILE [extra args]
  local desc=$1 pat=$2 f=$3
  shift 3
  rm -rf "$T/bad" && mkdir "$T/bad"
  "$MVM" import btrplace "$f" "$@" -o "$T/bad" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ $rc -ne 2 ]; then ko "$desc: exit $rc, expected 2 ($(head -c 300 "$T/err"))"
  elif ! grep -qE -- "$pat" "$T/err"; then ko "$desc: message lacks /$pat/: $(head -c 300 "$T/err")"
  elif [ -n "$(ls -A "$T/bad")" ]; then ko "$desc: files left in DIR: $(ls -A "$T/bad")"
  else ok "$desc"; fi
}
printf 'not json {' >"$T/notjson.json"
bad "not JSON" "notjson.json:1:[0-9]+: \\$: not valid JSON" "$T/notjson.json"
jq '.origin.attributes.vms."3".memUsed = "2000"' "$R1" >"$T/type.json"
bad "wrong type" 'type.json: \$\.origin\.attributes\.vms\.3\.memUsed: expected a number' "$T/type.json"
jq '.actions[0].to = 9' "$R1" >"$T/node.json"
bad "unknown node in an action" 'node.json: \$\.actions\[0\]\.to: node 9 is not in the mapping' "$T/node.json"
jq 'del(.actions[1].bw)' "$R1" >"$T/missing.json"
bad "missing field" 'missing.json: \$\.actions\[1\]\.bw: missing field' "$T/missing.json"
{ printf '{"origin":'; for _ in $(seq 100); do printf '['; done; for _ in $(seq 100); do printf ']'; done; printf ',"actions":[]}'; } >"$T/deep.json"
bad "100-level nesting" 'deep.json: \$\.origin(\[0\])+: nested deeper than' "$T/deep.json"
printf '{"origin":{},"actions":[],"origin":{}}' >"$T/dup.json"
bad "duplicate keys" 'dup.json:1:[0-9]+: \$: not valid JSON: duplicate object key' "$T/dup.json"
jq '.actions[2].id = "suspendVM"' "$R1" >"$T/unsup.json"
bad "unsupported action" 'unsup.json: \$\.actions\[2\]\.id: unsupported action' "$T/unsup.json"
jq '.actions[0].from = 1' "$R1" >"$T/from.json"
bad "migration from the wrong node" 'from.json: \$\.actions\[0\]\.from: VM 2 runs on node 2' "$T/from.json"
bad "no network view and no --platform" 'random.1.json: \$\.origin\.views: no network view' "$R1"
bad "platform without the instance's hosts" 'random.1.json: the imported scenario does not load' "$R1" --platform "$SRC/scenarios/four-to-one.platform.xml"
rm -rf "$T/new"
"$MVM" import btrplace "$T/type.json" -o "$T/new" >/dev/null 2>&1
check "a failed import does not create DIR" '[ ! -e "$T/new" ]'

# --- the real runs into one CSV
if "$SRC/validation/real_runs.sh" "$D/thesis-accuracy-train" >"$T/real.csv" 2>"$T/err"; then ok "real_runs.sh runs"; else ko "real_runs.sh: $(cat "$T/err")"; fi
check "real_runs.sh: header and 1000 migrations (25 instances x 10 x 4 runs)" '[ "$(head -1 "$T/real.csv")" = "instance,vm,from,to,bw_mbps,mem_mb,run,real_start,real_duration" ] && [ "$(tail -n +2 "$T/real.csv" | wc -l)" = 1000 ]'
check "real_runs.sh: random.1 run 1, vm7 starts first and lasts 34 s, vm4 at 132 s for 42 s" 'grep -qx "1,vm7,node3,node2,1000,3000,1,0,34" "$T/real.csv" && grep -qx "1,vm4,node0,node1,500,2000,1,132,42" "$T/real.csv"'

finish
