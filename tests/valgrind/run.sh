#!/usr/bin/env bash
# The whole test suite under valgrind: the unit tests, then the end-to-end tests with
# every `mvm` call (plan, check, replay and its forked simulation, run, generate, the bad
# inputs) wrapped in valgrind. Fails on any memory error or definite leak (exit 99 of a
# wrapped call, which the e2e expectations then report, or a non-empty log).
# Also tests/import, tests/security/input.sh, tests/exact/seeded.sh, tests/e2e/power_plans.sh,
# tests/e2e/scale.sh and tests/policy/run.sh the same way.
# Usage: tests/valgrind/run.sh [BUILD_DIR]     (slow: about 15 minutes on 2 cores)
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
fail=0
export MVM_TEST_SLOW=1 # timing bounds of the suites are loosened under valgrind
for t in test_units test_model test_plan_solver test_policy test_bound_power test_plugin; do
  arg=()
  [ $t = test_plugin ] && arg=("$here/tests/plugin/two-hosts.platform.xml")
  "${vg[@]}" "$build/tests/$t" "${arg[@]}" >/dev/null 2>"$logs/$t.log" && echo "ok   - valgrind $t" ||
    { echo "FAIL - valgrind $t"; cat "$logs/$t.log"; fail=1; }
done
cat >"$logs/mvm" <<WRAP
#!/bin/sh
exec ${vg[*]} --log-file=$logs/vg.%p.log "$build/cli/mvm" "\$@"
WRAP
chmod +x "$logs/mvm"
# the end-to-end suites whose checks do not depend on timing (the signal and concurrency checks
# of tests/security/output.sh do, and the accuracy floors of tests/fidelity replay 25 plans)
suites=("e2e/run.sh:$here" "import/run.sh:$here" "security/input.sh:" "exact/seeded.sh:" "e2e/power_plans.sh:$here/scenarios"
  "e2e/scale.sh:$here" "policy/run.sh:$here $build/tests/libtest_bad_policy.so $build/tests/libtest_noentry.so")
for suite in "${suites[@]}"; do
  name=${suite%%/*}
  script=${suite%%:*}
  read -r -a arg <<<"${suite#*:}"
  slow=1
  [ "$name" = policy ] && slow= # MVM_TEST_SLOW there means more random scenarios, not looser timing
  MVM_TEST_SLOW=$slow "$here/tests/$script" "$logs/mvm" "${arg[@]}" >"$logs/$name.out" 2>&1 || fail=1
  grep -c "^ok" "$logs/$name.out" | xargs echo "$script checks passed under valgrind:"
  grep "^FAIL" "$logs/$name.out" && fail=1
done
for f in "$logs"/vg.*.log; do
  [ -s "$f" ] && { echo "valgrind report $f:"; cat "$f"; fail=1; }
done
[ $fail = 0 ] && echo "valgrind: no error, no definite leak" || echo "valgrind: FAILED"
exit $fail
