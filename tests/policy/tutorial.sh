#!/usr/bin/env bash
# Runs every command of docs/tutorial.md (its ```sh blocks), in a fresh folder holding the
# source tree's scenarios/ and examples/, with `mvm` on the PATH and mvm installed under a
# temporary prefix for pkg-config (the example policy builds against the installed library).
# Usage: tutorial.sh MVM SOURCE_DIR BUILD_DIR
set -u
MVM=$1
SRC=$2
BUILD=$3
T=$(mktemp -d /tmp/mvm-tutorial.XXXXXX)
trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >"$T/install.log" 2>&1 || { cat "$T/install.log"; exit 1; }
mkdir -p "$T/bin" "$T/work"
ln -s "$MVM" "$T/bin/mvm"
ln -s "$SRC/scenarios" "$T/work/scenarios"
ln -s "$SRC/examples" "$T/work/examples"
export PATH="$T/bin:$PATH" PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig"
cd "$T/work" || exit 1
pass=0
failn=0
n=0
while IFS= read -r cmd; do
  n=$((n + 1))
  if bash -c "$cmd" >"$T/out" 2>&1; then
    pass=$((pass + 1))
    echo "ok   - $cmd"
  else
    failn=$((failn + 1))
    echo "FAIL - $cmd: $(tail -3 "$T/out")"
  fi
done < <(awk '/^```sh$/ {on = 1; next} /^```/ {on = 0} on && NF' "$SRC/docs/tutorial.md")
# what the tutorial says it made
for f in out/actions.csv kv/plan-kubevirt.csv greedy.so greedy/plan-greedy.csv cmp/table.txt cmp/runs.csv; do
  if [ -s "$f" ]; then pass=$((pass + 1)); echo "ok   - $f written"; else failn=$((failn + 1)); echo "FAIL - no $f"; fi
done
grep -q "^greedy " cmp/table.txt && { pass=$((pass + 1)); echo "ok   - the example policy is in the comparison"; } ||
  { failn=$((failn + 1)); echo "FAIL - greedy not in cmp/table.txt"; }
[ "$n" -ge 10 ] || { failn=$((failn + 1)); echo "FAIL - only $n commands found in the tutorial"; }
echo "$pass passed, $failn failed"
[ "$failn" -eq 0 ]
