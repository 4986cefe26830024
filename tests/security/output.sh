#!/usr/bin/env bash
# Security and output integrity, output side: no shell injection through names and paths,
# no symlink followed, output folders whole or not at all (disk full, signals, reused folders,
# concurrent writers, a bad option found late), honest exit statuses and results.
# Usage: output.sh MVM SOURCE_DIR. Prints "N passed, M failed", exits non-zero on a failure.
set -u
MVM=$(realpath "$1")
SRC=$(realpath "$2")
T=$(mktemp -d /tmp/mvm-sec-out.XXXXXX)
cleanup() {
  mountpoint -q "$T/full" 2>/dev/null && umount "$T/full"
  rm -rf "$T"
}
trap cleanup EXIT
pass=0
failn=0
ok() { pass=$((pass + 1)); echo "ok   - $*"; }
ko() { failn=$((failn + 1)); echo "FAIL - $*"; }
check() { # check DESCRIPTION command... (passes when the command succeeds)
  local desc=$1
  shift
  if "$@"; then ok "$desc"; else ko "$desc"; fi
}
S4=$SRC/scenarios/four-to-one.xml
"$MVM" plan "$S4" -o "$T/plan.csv" 2>/dev/null || { echo "cannot plan four-to-one"; exit 1; }
no_temporaries() { ! find "$1" -name '.*.??????' | grep -q .; }

# ---- injection: quotes in paths and names never reach a shell or run gnuplot code ----
odd="$T/a'b;touch pwned1;'\"c\$(touch pwned3)"
(cd "$T" && "$MVM" replay "$S4" "$T/plan.csv" -o "$odd" >/dev/null 2>&1)
rc=$?
check "replay into a folder named with quotes, ; and \$(): exit 0 ($rc)" [ "$rc" -eq 0 ]
check "... the plots are drawn there (gnuplot ran without a shell)" test -s "$odd/gantt-mvm.png"
check "... no command ran" bash -c "test ! -e '$T/pwned1' && test ! -e '$T/pwned3' && test ! -e pwned1"
{
  echo "# scheduler: x'; system('touch $T/pwned2'); print '"
  grep -v '^# scheduler:' "$T/plan.csv"
} >"$T/evil.csv"
"$MVM" replay "$S4" "$T/evil.csv" -o "$T/evil" >/dev/null 2>&1
check "a plan whose scheduler name holds gnuplot code: nothing runs" test ! -e "$T/pwned2"
if [ -e "$T/evil/summary.json" ]; then
  check "... and summary.json is valid JSON" jq -e . "$T/evil/summary.json" >/dev/null
fi
command -v gnuplot >/dev/null && {
  (PATH=/nonexistent "$MVM" replay "$S4" "$T/plan.csv" -o "$T/nognuplot" >/dev/null 2>"$T/err")
  check "no gnuplot on PATH: a warning, the rest written" bash -c "grep -q 'gnuplot is not installed' '$T/err' && test -s '$T/nognuplot/summary.json' && test -s '$T/nognuplot/power.gp'"
}

# ---- JSON output is valid UTF-8 whatever the input path holds ----
bad=$(printf 'x\377\376y')
mkdir -p "$T/$bad"
cp "$S4" "$SRC/scenarios/four-to-one.platform.xml" "$T/$bad/"
"$MVM" replay "$T/$bad/four-to-one.xml" "$T/plan.csv" -o "$T/utf" >/dev/null 2>&1
check "a scenario path with invalid UTF-8: summary.json is valid JSON" jq -e '.scenario | test("\ufffd")' "$T/utf/summary.json" >/dev/null
check "... and iconv reads it as UTF-8" iconv -f UTF-8 -t UTF-8 "$T/utf/summary.json" -o /dev/null

# ---- symlinks: a planted link is never followed ----
echo precious >"$T/victim"
for p in $(seq $(($$ + 1)) $(($$ + 400))); do ln -sf "$T/victim" "$T/out.csv.tmp.$p"; done
"$MVM" plan "$S4" -o "$T/out.csv" >/dev/null 2>&1
check "links planted at the old predictable temporary names: the target is untouched" grep -qx precious "$T/victim"
ln -sf "$T/victim" "$T/link.csv"
"$MVM" plan "$S4" -o "$T/link.csv" >/dev/null 2>&1
check "output path that is a symlink: the link is replaced, its target untouched" \
  bash -c "grep -qx precious '$T/victim' && test ! -L '$T/link.csv' && grep -q '^migrate' '$T/link.csv'"
mkdir -p "$T/realdir" && touch "$T/realdir/keep" && ln -s "$T/realdir" "$T/linkdir"
"$MVM" replay "$S4" "$T/plan.csv" -o "$T/linkdir" >/dev/null 2>"$T/err"
rc=$?
check "output folder that is a symlink: refused, exit 2 ($rc)" [ "$rc" -eq 2 ]
check "... its target untouched" bash -c "test -e '$T/realdir/keep' && test ! -e '$T/realdir/summary.json'"

# ---- whole outputs ----
mkdir -p "$T/mine" && echo data >"$T/mine/thesis.tex"
"$MVM" replay "$S4" "$T/plan.csv" -o "$T/mine" >/dev/null 2>&1
rc=$?
check "a folder of someone else's files is refused (exit 2, $rc) and kept" bash -c "[ $rc -eq 2 ] && grep -qx data '$T/mine/thesis.tex'"
"$MVM" run "$S4" -o "$T/reuse" >/dev/null 2>&1
"$MVM" run "$S4" --schedulers mvm -o "$T/reuse" >/dev/null 2>&1
check "a reused output folder holds only the new result set" \
  bash -c "test -s '$T/reuse/plan-mvm.csv' && test ! -e '$T/reuse/plan-btrplace.csv' && test ! -e '$T/reuse/gantt-btrplace.png'"
check "... and no temporaries beside it" no_temporaries "$T"
"$MVM" run "$S4" --schedulers mvm,cap-0 -o "$T/late" >/dev/null 2>"$T/err"
rc=$?
check "run --schedulers mvm,cap-0: exit 2 ($rc) and no folder at all" bash -c "[ $rc -eq 2 ] && test ! -e '$T/late'"
"$MVM" run "$S4" --schedulers mvm,cap-0 -o "$T/reuse" >/dev/null 2>&1
check "... an existing folder is left as it was" bash -c "test -s '$T/reuse/plan-mvm.csv' && test -s '$T/reuse/summary.json'"
list=$(printf 'cap-%d,' $(seq 2 18))mvm
"$MVM" run "$S4" --schedulers "$list" -o "$T/many" >"$T/out" 2>&1
rc=$?
check "run with 18 schedulers runs them all (exit $rc)" bash -c "[ $rc -eq 0 ] && [ \$(jq '.plans | length' '$T/many/summary.json') -eq 18 ]"

mkdir -p "$T/planted/sub" && touch "$T/planted/.mvm-output" && echo keep >"$T/planted/notes.txt" && echo keep >"$T/planted/sub/deep.txt"
"$MVM" replay "$S4" "$T/plan.csv" -o "$T/planted" >/dev/null 2>"$T/err"
rc=$?
check "a planted .mvm-output beside someone's files: refused (exit 2, $rc), nothing deleted" \
  bash -c "[ $rc -eq 2 ] && grep -qx keep '$T/planted/notes.txt' && grep -qx keep '$T/planted/sub/deep.txt'"
mkdir -p "$T/proj" && echo PRECIOUS >"$T/proj/scenario.xml" && mkdir "$T/proj/plan.csv"
"$MVM" import btrplace "$SRC/validation/data/thesis-accuracy-train/random.1.json" \
  --platform "$SRC/validation/data/thesis-testbed.platform.xml" -o "$T/proj" >/dev/null 2>&1
rc=$?
check "import into a folder of the user's files: refused (exit 2, $rc), scenario.xml kept" \
  bash -c "[ $rc -eq 2 ] && grep -qx PRECIOUS '$T/proj/scenario.xml' && test -d '$T/proj/plan.csv'"
mkdir -p "$T/sp" && echo mine >"$T/sp/x.txt"
(cd "$T" && "$MVM" replay "$S4" "$T/plan.csv" -o "newsub/../sp" >/dev/null 2>"$T/err")
rc=$?
check "-o newsub/../sp (a foreign folder through ..): refused (exit 2, $rc) before simulating" \
  bash -c "[ $rc -eq 2 ] && grep -qx mine '$T/sp/x.txt' && ! grep -q replaying '$T/err'"
"$MVM" run "$S4" --schedulers mvm -o "$T/piped" 2>/dev/null | head -c 10 >/dev/null
check "stdout closed early (| head): the folder is whole, no temporaries" \
  bash -c "test -s '$T/piped/summary.json' && ! ls -a '$T' | grep -q '^\.piped\.'"

# concurrent writers: two replays of different plans into one folder end with one whole set
"$MVM" plan "$S4" -s btrplace -o "$T/plan-b.csv" 2>/dev/null
for i in 1 2 3; do
  "$MVM" replay "$S4" "$T/plan.csv" -o "$T/conc" >/dev/null 2>&1 &
  "$MVM" replay "$S4" "$T/plan-b.csv" -o "$T/conc" >/dev/null 2>&1 &
  wait
done
n=$(jq '.plans | length' "$T/conc/summary.json" 2>/dev/null)
name=$(jq -r '.plans[0].name' "$T/conc/summary.json" 2>/dev/null)
check "concurrent writers: one whole result set ($n plan, $name)" \
  bash -c "[ '$n' = 1 ] && grep -c '^$name,' '$T/conc/actions.csv' | grep -qx 8 && test -s '$T/conc/gantt-$name.png' && ls '$T/conc' | grep -c 'gantt-.*png' | grep -qx 1"
check "... no temporaries left" no_temporaries "$T"

# disk full: a small tmpfs (root only)
mkdir -p "$T/full"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=48k tmpfs "$T/full" 2>/dev/null; then
  "$MVM" replay "$S4" "$T/plan.csv" -o "$T/full/ok" >/dev/null 2>&1 # small: fits
  had=$(test -s "$T/full/ok/summary.json" && echo yes)
  "$MVM" run "$S4" -o "$T/full/ok" >/dev/null 2>"$T/err"
  rc=$?
  check "disk full during run: exit 6 ($rc)" [ "$rc" -eq 6 ]
  check "... the previous result set is intact" bash -c "[ '$had' = yes ] && jq -e '.plans | length == 1' '$T/full/ok/summary.json' >/dev/null"
  check "... no temporaries left" no_temporaries "$T/full"
  rm -rf "$T/full/ok"
  "$MVM" plan "$S4" -o "$T/full/big.csv" >/dev/null 2>&1
  dd if=/dev/zero of="$T/full/filler" bs=1k count=64 2>/dev/null
  "$MVM" plan "$S4" -o "$T/full/big.csv" >/dev/null 2>&1
  rc=$?
  check "disk full writing a plan: exit 6 ($rc), the old plan intact" bash -c "[ $rc -eq 6 ] && grep -q '^migrate' '$T/full/big.csv'"
  umount "$T/full"
else
  echo "skip - disk full (needs root and tmpfs)"
fi

# ---- signals: 130 / 143, no orphan simulation, no temporaries, old folder kept ----
"$MVM" generate decommission --scale 10 -o "$T/s10" >/dev/null 2>&1
"$MVM" run "$S4" --schedulers mvm -o "$T/sig" >/dev/null 2>&1
set -m # job control: background jobs get SIGINT like foreground ones (else bash ignores it for them)
signal_run() { # SIGNAL OUTDIR: sets rc to mvm's exit status after SIGNAL during a replay
  "$MVM" run "$T/s10/scale-10.xml" --schedulers mvm,btrplace -o "$2" >/dev/null 2>&1 &
  local pid=$!
  # wait until the simulation child exists, then signal mvm
  for _ in $(seq 100); do pgrep -P $pid >/dev/null && break; sleep 0.05; done
  sleep 0.3
  kill -"$1" $pid
  wait $pid
  rc=$?
  sleep 0.3
}
for s in INT:130 TERM:143; do
  sig=${s%:*}
  want=${s#*:}
  signal_run "$sig" "$T/sig"
  check "SIG$sig during a replay: exit $want ($rc)" [ "$rc" -eq "$want" ]
  check "... no simulation left running" bash -c "! pgrep -f '[m]vm run $T/s10' >/dev/null"
  check "... no temporaries left" no_temporaries "$T"
  check "... the previous result set is kept" bash -c "jq -e '.plans[0].name == \"mvm\"' '$T/sig/summary.json' >/dev/null && test -s '$T/sig/plan-mvm.csv'"
done

for sig in QUIT USR1 ALRM; do
  signal_run "$sig" "$T/sig2"
  check "SIG$sig during a replay: exit 128+signal ($rc), no temporaries, no simulation left" \
    bash -c "[ $rc -gt 128 ] && ! ls -a '$T' | grep -q '^\.sig2\.' && ! pgrep -f '[m]vm run $T/s10' >/dev/null"
done
set +m

# ---- honest results ----
printf 'action,subject,from,to,start,end,bandwidth_mbps\nmigrate,vm1,src1,dst,0,41.277523,80\n' >"$T/slow.csv"
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/huge" --max-time 1e15s >/dev/null 2>"$T/err"
rc=$?
check "--max-time 1e15s refused, exit 2 ($rc)" bash -c "[ $rc -eq 2 ] && grep -q 'at most 10^7 s' '$T/err'"
"$MVM" replay "$S4" "$T/slow.csv" -o "$T/long" --max-time 1e7s --max-rounds 5000 >/dev/null 2>&1
check "a migration that never converges, given 10^7 s and 5000 rounds: reported not converged" \
  awk -F, 'NR>1 && $3=="vm1"{found=1; exit !($14 == 0)} END{if(!found) exit 1}' "$T/long/actions.csv"
sed 's/^migrate,vm1,src1,dst,/migrate,vm1,src2,dst,/' "$T/plan.csv" >"$T/wrong.csv"
"$MVM" replay "$S4" "$T/wrong.csv" -o "$T/wrong" >/dev/null 2>"$T/err"
rc=$?
check "replay of a migration from the wrong host: exit 2 with the line ($rc)" \
  bash -c "[ $rc -eq 2 ] && grep -qE 'wrong.csv:[0-9]+: .*migrate vm1: goes src2 -> dst' '$T/err' && test ! -e '$T/wrong'"
awk -F, 'BEGIN{OFS=","} $1=="migrate" && $2=="vm1"{$7="1e-300"} {print}' "$T/plan.csv" >"$T/tiny.csv"
"$MVM" replay "$S4" "$T/tiny.csv" -o "$T/tiny" >/dev/null 2>"$T/err"
rc=$?
check "replay of a migration at 1e-300 Mb/s: exit 2 with the line ($rc)" \
  bash -c "[ $rc -eq 2 ] && grep -qE 'tiny.csv:[0-9]+: .*migrate vm1: at 1e-300 Mb/s' '$T/err'"

echo "$pass passed, $failn failed"
[ "$failn" -eq 0 ]
