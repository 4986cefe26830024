#!/usr/bin/env bash
# Security tests, input side: every input file (scenario XML, SimGrid platform XML, plan CSV)
# and every option is untrusted. Usage: input.sh MVM
# Prints each check and "N passed, M failed"; exits non-zero if any failed.
set -u
MVM=$1
. "$(dirname "$0")/../lib.sh" secin

# expect STATUS PATTERN DESCRIPTION -- command...   (lib.sh's, but the command runs under `timeout 20`)
# Besides the status and the pattern, no SimGrid abort or core dump may show.
expect() {
  local status=$1 pattern=$2 desc=$3
  shift 4
  timeout 20 "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -ne "$status" ]; then
    ko "$desc: exit $rc, expected $status ($(head -c 300 "$T/err"))"
  elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$T/out" "$T/err"; then
    ko "$desc: output lacks /$pattern/: $(head -c 300 "$T/err")"
  elif grep -qiE "abort|core dumped|xbt_die|Oops" "$T/err"; then
    ko "$desc: SimGrid aborted: $(head -c 300 "$T/err")"
  else
    ok "$desc"
  fi
}

# a two-host platform (hosts named BtrPlace-style) and a scenario moving one VM between them
platform() { # FILE HOST_ATTRS LINK_ATTRS
  cat >"$1" <<EOF
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="pair" routing="Full">
    <host id="node#1" $2/>
    <host id="node#2" speed="1Gf" core="4"/>
    <link id="l1" $3/>
    <route src="node#1" dst="node#2"><link_ctn id="l1"/></route>
  </zone>
</platform>
EOF
}
scenario() { # FILE PLATFORM [VM_ID]
  cat >"$1" <<EOF
<?xml version="1.0"?>
<scenario version="1" platform="$2">
  <vm id="${3:-vm#3}" memory="2GiB" used="1000MB" from="node#1" to="node#2"/>
</scenario>
EOF
}
platform "$T/good.platform.xml" 'speed="1Gf,500Mf" core="4"' 'bandwidth="1Gbps" latency="50us"'
scenario "$T/good.xml" good.platform.xml
expect 0 "gap" "BtrPlace-style ids (vm#3, node#1) plan" -- "$MVM" plan "$T/good.xml" -o "$T/good.csv"
expect 0 " 0 violations" "BtrPlace-style ids pass the checker" -- "$MVM" check "$T/good.xml" "$T/good.csv"

# ---- 1. entity expansion: no DTD in a scenario ----
{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE scenario ['
  echo ' <!ENTITY l0 "lollollollollollollollollollol">'
  for i in $(seq 1 9); do
    printf ' <!ENTITY l%d "' "$i"
    for _ in $(seq 1 10); do printf '&l%d;' $((i - 1)); done
    echo '">'
  done
  echo ']>'
  echo '<scenario version="1" platform="good.platform.xml">'
  echo '  <workload id="w" hot-size="1MB" hot-duration="1s" cold-rate="&l9;"/>'
  echo '</scenario>'
} >"$T/laughs.xml"
start=$(date +%s%N)
expect 2 "laughs.xml:2: .*(DTD|DOCTYPE|entit)" "billion laughs refused with file:line" -- timeout 10 "$MVM" plan "$T/laughs.xml" -o "$T/x.csv"
ms=$((($(date +%s%N) - start) / 1000000))
# the time bound is 2 s, 20 s under valgrind (MVM_TEST_SLOW, tests/valgrind/run.sh): it took
# minutes before the defence
limit=$([ -n "${MVM_TEST_SLOW:-}" ] && echo 20000 || echo 2000)
[ "$ms" -lt "$limit" ] && ok "billion laughs refused in $ms ms (< $limit ms)" || ko "billion laughs took $ms ms"
sed '1a <!DOCTYPE scenario SYSTEM "scenario.dtd">' "$T/good.xml" >"$T/doctype.xml"
expect 2 "doctype.xml:2: .*(DTD|DOCTYPE)" "a scenario with a DOCTYPE is refused" -- "$MVM" plan "$T/doctype.xml" -o "$T/x.csv"

# ---- 2. identifiers: a defined charset, refused with file:line, cut when long ----
badid() { # ID_AS_WRITTEN_IN_XML DESCRIPTION
  scenario "$T/id.xml" good.platform.xml "$1"
  expect 2 "id.xml:3: vm .*invalid id" "vm id with $2 refused" -- "$MVM" plan "$T/id.xml" -o "$T/x.csv"
}
badid "vm'1" "a quote"
badid "vm,1" "a comma"
badid "vm&quot;1" "a double quote"
badid "vm 1" "a space"
badid "vm&#10;1" "a newline"
badid "-vm" "a leading dash"
long=$(printf 'v%.0s' $(seq 1 300))
badid "$long" "300 characters"
if grep -q "$long" "$T/err" || ! grep -q '\.\.\.' "$T/err"; then ko "a long id is echoed in full"; else ok "a long id is cut with ..."; fi
sed 's/to="node#2"/to="node 2"/' "$T/good.xml" >"$T/hostref.xml"
expect 2 "hostref.xml:3: vm 'vm#3': attribute to: invalid id" "host reference with a space refused" -- "$MVM" plan "$T/hostref.xml" -o "$T/x.csv"
sed 's|<vm |<workload id="w,x" hot-size="1MB" hot-duration="1s" cold-rate="1MB/s"/>\n  <vm |' "$T/good.xml" >"$T/wl.xml"
expect 2 "wl.xml:3: workload .*invalid id" "workload id with a comma refused" -- "$MVM" plan "$T/wl.xml" -o "$T/x.csv"

badplan() { # SED_EXPR DESCRIPTION PATTERN
  sed "$1" "$T/good.csv" >"$T/bad.csv"
  expect 2 "$3" "plan: $2 refused" -- "$MVM" check "$T/good.xml" "$T/bad.csv"
}
badplan "s/^migrate,vm#3,/migrate,vm'3,/" "subject with a quote" "bad.csv:[0-9]+: .*invalid id"
badplan 's/^migrate,vm#3,/migrate,"vm#3",/' "subject with a double quote" "bad.csv:[0-9]+: .*invalid id"
badplan 's/^migrate,vm#3,/migrate,vm 3,/' "subject with a space" "bad.csv:[0-9]+: .*invalid id"
badplan 's/^migrate,vm#3,node#1,/migrate,vm#3,node\t1,/' "host with a tab" "bad.csv:[0-9]+: .*invalid id"
badplan 's/^\(migrate,.*\)$/\1,extra/' "an eighth column (a comma in a field)" "bad.csv:[0-9]+: expected 7 columns"
badplan "s/^# scheduler: mvm/# scheduler: mvm'); system('x/" "a scheduler name with quotes" "bad.csv:1: scheduler: invalid id"

# ---- 3. hostile platforms: refused before SimGrid sees them, in plan, check and replay ----
refused_by_all() { # SCENARIO PATTERN DESCRIPTION: exit 2 with PATTERN in plan, check and replay
  for cmd in plan check replay; do
    case $cmd in
      plan) args=(-o "$T/x.csv") ;;
      check) args=("$T/good.csv") ;;
      replay) args=("$T/good.csv" -o "$T/rep") ;;
    esac
    expect 2 "$2" "$3: $cmd" -- "$MVM" "$cmd" "$1" "${args[@]}"
  done
}
hostile() { # NAME HOST_ATTRS LINK_ATTRS PATTERN
  platform "$T/$1.platform.xml" "$2" "$3"
  scenario "$T/$1.xml" "$1.platform.xml"
  refused_by_all "$T/$1.xml" "$1.platform.xml:[0-9]+: $4" "platform $1"
}
hostile core0 'speed="1Gf" core="0"' 'bandwidth="1Gbps" latency="50us"' "host 'node#1': core"
hostile speed0 'speed="0f" core="4"' 'bandwidth="1Gbps" latency="50us"' "host 'node#1': speed"
hostile pstate0 'speed="1Gf,0f" core="4"' 'bandwidth="1Gbps" latency="50us"' "host 'node#1': speed"
hostile bwnan 'speed="1Gf" core="4"' 'bandwidth="nanGbps" latency="50us"' "link 'l1': bandwidth"
hostile bwneg 'speed="1Gf" core="4"' 'bandwidth="-1Gbps" latency="50us"' "link 'l1': bandwidth"
hostile latneg 'speed="1Gf" core="4"' 'bandwidth="1Gbps" latency="-50us"' "link 'l1': latency"
hostile latnan 'speed="1Gf" core="4"' 'bandwidth="1Gbps" latency="nans"' "link 'l1': latency"
# structures SimGrid 3.32 aborts or crashes on (found by a red-team pass): refused first
rawplat() { # NAME BODY (inside <platform>)
  printf '%s\n' "<?xml version='1.0'?>" '<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">' \
    '<platform version="4.1">' "$2" '</platform>' >"$T/$1.platform.xml"
  scenario "$T/$1.xml" "$1.platform.xml"
}
structural() { # NAME BODY PATTERN
  rawplat "$1" "$2"
  expect 2 "$1.platform.xml:([0-9]+:)? $3" "platform $1 refused before SimGrid" -- "$MVM" info "$T/$1.xml"
}
H2='<host id="node#1" speed="1Gf"/><host id="node#2" speed="1Gf"/>'
L1='<link id="l1" bandwidth="1Gbps" latency="1us"/>'
R12='<route src="node#1" dst="node#2"><link_ctn id="l1"/></route>'
structural noroute "<zone id=\"z\" routing=\"Full\">$H2</zone>" "zone 'z': a routed zone with two members or more has no route"
structural bogus "<zone id=\"z\" routing=\"Bogus\">$H2$L1$R12</zone>" "zone 'z': routing must be"
structural duplink "<zone id=\"z\" routing=\"Full\">$H2$L1$L1$R12</zone>" "link 'l1' is declared twice"
structural duproute "<zone id=\"z\" routing=\"Full\">$H2$L1$R12$R12</zone>" "zone 'z': route node#1 -> node#2 is given twice"
structural pstate7 "<zone id=\"z\" routing=\"Full\"><host id=\"node#1\" speed=\"1Gf\" pstate=\"7\"/><host id=\"node#2\" speed=\"1Gf\"/>$L1$R12</zone>" "host 'node#1': pstate"
structural trace "<zone id=\"z\" routing=\"Full\"><host id=\"node#1\" speed=\"1Gf\" state_file=\"/nonexistent\"/><host id=\"node#2\" speed=\"1Gf\"/>$L1$R12</zone>" "host 'node#1': trace files"
structural bigcluster "<zone id=\"z\" routing=\"Full\"><cluster id=\"c\" prefix=\"h\" suffix=\"\" radical=\"0-20000000\" speed=\"1Gf\" bw=\"1Gbps\" lat=\"0us\"/></zone>" "cluster 'c': clusters of more than 1000000 hosts"
# cluster topologies: a fat tree with fewer radicals than leaves kills SimGrid 3.32 (xbt_die),
# zero or malformed parameters throw, an oversized one takes minutes; TORUS and DRAGONFLY are not checked
FT='<cluster id="c" prefix="node#" suffix="" speed="1Gf" bw="1Gbps" lat="1us" topology="FAT_TREE"'
structural ftfew "$FT radical=\"0-10\" topo_parameters=\"2;4,4;1,2;1,1\"/>" "cluster 'c': the radical gives 11 hosts, the fat tree has 16 leaves"
structural ftzero "$FT radical=\"0-15\" topo_parameters=\"2;4,4;0,2;1,1\"/>" "cluster 'c': topo_parameters must be"
structural ftshort "$FT radical=\"0-15\" topo_parameters=\"2;4,4;1,2\"/>" "cluster 'c': topo_parameters must be"
structural ftword "$FT radical=\"0-15\" topo_parameters=\"2;4,x;1,2;1,1\"/>" "cluster 'c': topo_parameters must be"
structural ftbig "$FT radical=\"0-99999\" topo_parameters=\"2;400,250;1,400;1,1\"/>" "cluster 'c': fat tree too large"
structural torus '<cluster id="c" prefix="node#" suffix="" radical="0-15" speed="1Gf" bw="1Gbps" lat="1us" topology="TORUS" topo_parameters="4,5"/>' "cluster 'c': topology must be FLAT or FAT_TREE"
rawplat ftok "$FT radical=\"0-15\" topo_parameters=\"2;4,4;1,2;1,1\"/>"
expect 0 "gap" "a well-formed fat tree is accepted and planned" -- "$MVM" plan "$T/ftok.xml" -o "$T/ftok.csv"
# star zones (routing="Cluster", mvm's generated platforms): a host without its host_link, or
# a router as a gateway, has no route in SimGrid 3.32 (an exception, not a crash): exit 2
rawplat starnolink '<zone id="z" routing="Cluster"><host id="node#1" speed="1Gf"/><host id="node#2" speed="1Gf"/><link id="l1" bandwidth="1Gbps" latency="1us"/><host_link id="node#1" up="l1" down="l1"/></zone>'
expect 2 "no route from 'node#1' to 'node#2'" "star zone: a host without a host_link has no route" -- "$MVM" plan "$T/starnolink.xml" -o "$T/x.csv"
rawplat stargw '<zone id="r" routing="Full"><zone id="a" routing="Cluster"><router id="ga"/><host id="node#1" speed="1Gf"/><link id="l1" bandwidth="1Gbps" latency="1us"/><host_link id="node#1" up="l1" down="l1"/></zone><zone id="b" routing="Cluster"><router id="gb"/><host id="node#2" speed="1Gf"/><link id="l2" bandwidth="1Gbps" latency="1us"/><host_link id="node#2" up="l2" down="l2"/></zone><link id="c" bandwidth="1Gbps" latency="1us"/><zoneRoute src="a" dst="b" gw_src="ga" gw_dst="gb" symmetrical="YES"><link_ctn id="c"/></zoneRoute></zone>'
expect 2 "no route from 'node#1' to 'node#2'" "star zones joined through routers: no route, no crash" -- "$MVM" plan "$T/stargw.xml" -o "$T/x.csv"
rawplat starbadlink '<zone id="z" routing="Cluster"><host id="node#1" speed="1Gf"/><host id="node#2" speed="1Gf"/><host_link id="node#1" up="nope" down="nope"/></zone>'
expect 2 "starbadlink.platform.xml:4: host_link 'node#1': no link 'nope'" "star zone: a host_link to an unknown link (SimGrid dies) refused first" -- "$MVM" plan "$T/starbadlink.xml" -o "$T/x.csv"
mkfifo "$T/fifo.platform.xml"
scenario "$T/fifo.xml" fifo.platform.xml
expect 2 "not a regular file" "a platform that is a FIFO is refused at once (no hang)" -- "$MVM" info "$T/fifo.xml"
for c in network/model:Constant cpu/optim:TI maxmin/precision:1; do
  expect 2 "${c%%:*}" "--cfg=$c refused (SimGrid aborts on it)" -- "$MVM" plan "$T/good.xml" -o "$T/x.csv" "--cfg=$c"
done
{
  echo "<?xml version='1.0'?>"
  echo '<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">'
  echo '<platform version="4.1">'
  for i in $(seq 1 498); do echo "<zone id=\"z$i\" routing=\"Full\">"; done
  echo '<host id="node#1" speed="1Gf"/><host id="node#2" speed="1Gf"/>'
  for i in $(seq 1 498); do echo "</zone>"; done
  echo '</platform>'
} >"$T/deep.platform.xml"
scenario "$T/deep.xml" deep.platform.xml
refused_by_all "$T/deep.xml" "deep.platform.xml:[0-9]+: .*(nest|depth)" "platform with 498 nested zones"
sed -e 's|<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">|<!DOCTYPE platform [<!ENTITY s "1Gf">]>|' \
    -e 's/speed="1Gf,500Mf"/speed="\&s;"/' "$T/good.platform.xml" >"$T/ent.platform.xml"
scenario "$T/ent.xml" ent.platform.xml
expect 2 "ent.platform.xml:2: .*(DTD|entit)" "platform with an entity declaration refused" -- "$MVM" plan "$T/ent.xml" -o "$T/x.csv"
[ -e "$T/rep" ] && ko "a refused replay left its output folder" || ok "no replay output folder left"

# ---- 4. bounded plan reader ----
# ASan reserves terabytes of address space: the memory bound is checked in the normal build only
lim="ulimit -v 1000000;"
ldd "$MVM" 2>/dev/null | grep -q libasan && lim=""
expect 2 "zero:1: line 1 too long" "plan /dev/zero refused (NUL / long line) fast${lim:+, in little memory}" -- \
  bash -c "$lim exec timeout 10 '$MVM' check '$T/good.xml' /dev/zero" && true
{ head -n 6 "$T/good.csv"; printf 'migrate,%s,node#1,node#2,0,1,5\n' "$(printf 'x%.0s' $(seq 1 5000))"; } >"$T/longline.csv"
expect 2 "longline.csv:7: line 7 too long" "a plan line over 4096 bytes refused" -- "$MVM" check "$T/good.xml" "$T/longline.csv"
if grep -q "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "$T/err"; then ko "the long line is echoed"; else ok "the long line is not echoed"; fi
{ head -n 6 "$T/good.csv"; printf 'boot,node#2,node#2,node#2,0,1,\0\n'; } >"$T/nul.csv"
expect 2 "nul.csv:7: NUL byte" "a NUL byte in a plan refused" -- "$MVM" check "$T/good.xml" "$T/nul.csv"

# ---- 5. what mvm writes, mvm reads back ----
cat >"$T/far.xml" <<EOF
<?xml version="1.0"?>
<scenario version="1" platform="good.platform.xml">
  <defaults boot="1e15s"/>
  <node host="node#2" state="off" final="on"/>
  <vm id="vm#3" memory="2GiB" used="1000MB" from="node#1" to="node#2"/>
</scenario>
EOF
expect 0 "gap" "plan with a boot lasting 1e15 s" -- "$MVM" plan "$T/far.xml" -o "$T/far.csv"
grep -q '^boot,node#2,node#2,node#2,0.000000,1000000000000000.000000,$' "$T/far.csv" && ok "the boot ends at 1e15 s" || ko "the boot does not end at 1e15 s: $(grep boot "$T/far.csv")"
expect 0 " 0 violations" "a plan at 1e15 s reads back and passes the checker" -- "$MVM" check "$T/far.xml" "$T/far.csv"
platform "$T/tiny.platform.xml" 'speed="1Gf" core="4"' 'bandwidth="100Gbps" latency="0s"'
sed -e 's/good.platform/tiny.platform/' -e 's/memory="2GiB" used="1000MB"/memory="1B"/' -e 's/<vm /<defaults downtime="1ns"\/>\n  <vm /' "$T/good.xml" >"$T/tiny.xml"
expect 0 "gap" "plan of a 1-byte VM with a 1 ns downtime" -- "$MVM" plan "$T/tiny.xml" -o "$T/tiny.csv"
expect 0 " 0 violations" "a plan of tiny durations reads back and passes the checker" -- "$MVM" check "$T/tiny.xml" "$T/tiny.csv"

# ---- 6. SimGrid options checked before SimGrid starts ----
expect 2 "contexts/factory.*(thread|ucontext|raw)" "--cfg=contexts/factory:nope refused with the accepted values" -- \
  "$MVM" plan "$T/good.xml" -o "$T/x.csv" --cfg=contexts/factory:nope
expect 2 "surf/precision" "--cfg=surf/precision:nan refused (no hang)" -- timeout 10 "$MVM" plan "$T/good.xml" -o "$T/x.csv" --cfg=surf/precision:nan
expect 2 "maxmin/precision" "--cfg=maxmin/precision:-1 refused" -- "$MVM" plan "$T/good.xml" -o "$T/x.csv" --cfg=maxmin/precision:-1
expect 2 "network/TCP-gamma" "--cfg=network/TCP-gamma:inf refused" -- "$MVM" plan "$T/good.xml" -o "$T/x.csv" --cfg=network/TCP-gamma:inf
expect 2 "unknown SimGrid option 'bogus'.*network/model" "unknown --cfg key refused with the known keys" -- "$MVM" check "$T/good.xml" "$T/good.csv" --cfg=bogus:1
expect 2 "network/crosstraffic" "--cfg=network/crosstraffic:maybe refused" -- "$MVM" replay "$T/good.xml" "$T/good.csv" -o "$T/rep" --cfg=network/crosstraffic:maybe
expect 0 "gap" "--cfg=network/crosstraffic:0 still works" -- "$MVM" plan "$T/good.xml" -o "$T/x.csv" --cfg=network/crosstraffic:0

echo "$pass passed, $failn failed"
[ "$failn" -eq 0 ]
