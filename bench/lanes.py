#!/usr/bin/env python3
"""The best sum of end times of one lane of a decommissioning, exactly (an analysis aid,
not part of mvm; docs/design-notes.md, "two migrations at half the rate share a lane").

A lane is one full-rate share of the bottleneck link: it runs one migration at full rate, or
(--pairs) two of the same kind side by side at half the rate (each one's set-up, which holds
its rate, overlaps the other's transfer). It serves S sources of K VM kinds each (one VM of
every kind per source); a source shuts down once its last VM has left (--shutdown s). The
dynamic programme runs over the sources' states (which of their VMs have left, as a sorted
tuple: sources are interchangeable) and the lane's clock; the sum counts every migration's
end and every shutdown's end. The whole reconfiguration in lockstep lanes is lanes x the
lane's best + the boots' ends (--boots), a plan that the list scheduler can realise when the
sources' and destinations' own links allow it.

The decommission (scenarios/decommission.xml, 24 sources on 4 lanes of 941 Mb/s after the
boots end at 120 s; durations from `mvm info`, and the model at 470.5 Mb/s for the pairs):
  bench/lanes.py --full 19.528,20.257,36.531,37.539 --sources 6 --lanes 4 --release 120 \\
      --boots 1440 --shutdown 17                                   # 57,353.8 s
  ... --half 36.554,39.267,70.561,74.412 --pairs                   # 56,661.3 s (90 s)
"""
import argparse
import itertools
import sys
from functools import lru_cache


def best_lane(full, half, sources, release, shutdown, pairs):
    kinds = len(full)
    done = (1 << kinds) - 1

    @lru_cache(maxsize=None)
    def rest(state, t):
        if all(m == done for m in state):
            return 0.0, ()
        best = (float("inf"), ())
        for k in (1, 2) if pairs else (1,):
            for i in range(kinds):
                cand = [s for s in range(sources) if not state[s] >> i & 1]
                seen = set()
                for combo in itertools.combinations(cand, k):
                    key = tuple(sorted(state[s] for s in combo))
                    if key in seen:
                        continue
                    seen.add(key)
                    end = t + (full[i] if k == 1 else half[i])
                    nxt, cost = list(state), 0.0
                    for s in combo:
                        nxt[s] |= 1 << i
                        cost += end + ((end + shutdown) if nxt[s] == done else 0.0)
                    sub, steps = rest(tuple(sorted(nxt)), round(end, 6))
                    if cost + sub < best[0]:
                        best = (cost + sub, ((t, k, i),) + steps)
        return best

    return rest(tuple([0] * sources), float(release))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", required=True, help="durations at full rate, one per VM kind (s)")
    ap.add_argument("--half", help="durations at half the rate, same kinds (s); with --pairs")
    ap.add_argument("--pairs", action="store_true", help="two VMs of a kind side by side at half the rate")
    ap.add_argument("--sources", type=int, default=6, help="sources per lane")
    ap.add_argument("--lanes", type=int, default=4)
    ap.add_argument("--release", type=float, default=0.0, help="when the lane may start (s)")
    ap.add_argument("--boots", type=float, default=0.0, help="sum of the boots' ends (s)")
    ap.add_argument("--shutdown", type=float, default=0.0, help="shutdown duration (s)")
    ap.add_argument("--steps", action="store_true", help="print the lane's best order")
    a = ap.parse_args()
    full = [float(x) for x in a.full.split(",")]
    half = [float(x) for x in a.half.split(",")] if a.half else None
    if a.pairs and (half is None or len(half) != len(full)):
        sys.exit("lanes.py: --pairs needs --half with one duration per kind")
    value, steps = best_lane(full, half, a.sources, a.release, a.shutdown, a.pairs)
    if a.steps:
        for t, k, i in steps:
            print(f"{t:10.3f}  {'pair of' if k == 2 else 'one   '} kind {i}")
    print(f"lane {value:.3f} s; {a.lanes} lanes + boots: {a.lanes * value + a.boots:.3f} s")


if __name__ == "__main__":
    main()
