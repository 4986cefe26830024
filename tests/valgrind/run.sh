#!/usr/bin/env bash
# The whole test suite under valgrind: the three unit tests, then the end-to-end tests with
# every `mvm` call (plan, check, replay and its forked simulation, run, generate, the bad
# inputs) wrapped in valgrind. Fails on any memory error or definite leak (exit 99 of a
# wrapped call, which the e2e expectations then report, or a non-empty log).
# Usage: tests/valgrind/run.sh [BUILD_DIR]     (slow: about 10 minutes on 2 cores)
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
fail=0
for t in test_units test_model test_plan_solver; do
  "${vg[@]}" "$build/tests/$t" >/dev/null 2>"$logs/$t.log" && echo "ok   - valgrind $t" ||
    { echo "FAIL - valgrind $t"; cat "$logs/$t.log"; fail=1; }
done
cat >"$logs/mvm" <<WRAP
#!/bin/sh
exec ${vg[*]} --log-file=$logs/vg.%p.log "$build/cli/mvm" "\$@"
WRAP
chmod +x "$logs/mvm"
"$here/tests/e2e/run.sh" "$logs/mvm" "$here" >"$logs/e2e.out" 2>&1 || fail=1
grep -E "^(FAIL|ok)" "$logs/e2e.out" | tail -3
grep -c "^ok" "$logs/e2e.out" | xargs echo "e2e checks passed under valgrind:"
grep "^FAIL" "$logs/e2e.out" && fail=1
for f in "$logs"/vg.*.log; do
  [ -s "$f" ] && { echo "valgrind report $f:"; cat "$f"; fail=1; }
done
[ $fail = 0 ] && echo "valgrind: no error, no definite leak" || echo "valgrind: FAILED"
exit $fail
