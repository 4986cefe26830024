# Shared by the end-to-end test scripts (sourced, not run): `. "$(dirname "$0")/../lib.sh" NAME`
# makes a temporary folder $T (/tmp/mvm-NAME.XXXXXX, removed on exit), the counters pass and
# failn, ok and ko (one line each: "ok   - ..." or "FAIL - ..."), expect, and finish.
T=$(mktemp -d "/tmp/mvm-${1:-test}.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
failn=0
ok() { pass=$((pass + 1)); echo "ok   - $*"; }
ko() { failn=$((failn + 1)); echo "FAIL - $*"; }

# expect STATUS PATTERN DESCRIPTION -- command...: the command exits STATUS and, unless
# PATTERN is empty, its standard output or error matches the extended regex PATTERN.
expect() {
  local status=$1 pattern=$2 desc=$3
  shift 4
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -ne "$status" ]; then
    ko "$desc: exit $rc, expected $status ($(head -c 300 "$T/err"))"
  elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$T/out" "$T/err"; then
    ko "$desc: output lacks /$pattern/: $(head -c 300 "$T/out") $(head -c 300 "$T/err")"
  else
    ok "$desc"
  fi
}

# finish: prints "N passed, M failed" and returns non-zero if any failed (end a script with it).
finish() {
  echo "$pass passed, $failn failed"
  [ "$failn" -eq 0 ]
}
