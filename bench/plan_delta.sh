#!/usr/bin/env bash
# Compares the plans' objective values of two mvm binaries on the random scenarios of
# tests/random/gen.sh (seeds 1..N, without or with a power budget): how many are better,
# worse, the mean and the best relative change (NEW against OLD). For scheduler changes
# that must never make a plan worse (docs/design-notes.md, the half-rate pairs).
# Usage: bench/plan_delta.sh OLD_MVM NEW_MVM OBJECTIVE N BUDGET(0|1)
set -uo pipefail
OLD=${1:?usage: plan_delta.sh OLD NEW OBJECTIVE N BUDGET} NEW=${2:?} OBJ=${3:?} N=${4:?} B=${5:?}
. "$(dirname "$0")/../tests/random/gen.sh"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
value() { grep '^# objective' "$1" | tail -1 | sed -E 's/.*: //'; }
for ((i = 1; i <= N; i++)); do
  gen_instance "$i" "$D" "$B" >/dev/null 2>&1
  "$OLD" plan -q "$D/s.xml" --objective "$OBJ" -o "$D/a.csv" >/dev/null 2>&1 || continue
  "$NEW" plan -q "$D/s.xml" --objective "$OBJ" -o "$D/b.csv" >/dev/null 2>&1 || { echo "seed $i: NEW fails where OLD plans"; continue; }
  echo "$i $(value "$D/a.csv") $(value "$D/b.csv")"
done | awk '/^seed/{print; next} {d = ($3 - $2) / $2 * 100; n++; s += d; if (d < -1e-9) b++; if (d > 1e-9) w++; if (d < m) m = d}
  END {printf "%d plans: %d better, %d worse, mean %+.3f %%, best %+.3f %%\n", n, b, w, n ? s / n : 0, m}'
