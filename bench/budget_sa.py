#!/usr/bin/env python3
"""How good can a plan of a decommissioning under a power budget get: an independent search
(an analysis aid, not part of mvm; docs/design-notes.md, "the 5.0 kW sum: the plan side").

It reads a plan that mvm wrote (its migrations: which VM goes from where to where, its
duration and rate; its boots; the shutdowns), keeps every migration's duration and rate, and
searches the list schedules around it with its own event simulator, written apart from mvm's:
  - the shared link carries at most --lanes migrations at once; a source sends and a
    destination receives one at a time; a migration starts once its destination's boot ended;
  - power: the first draw (--p0, W) plus, per boot, idle x (1 + overhead) from its start and
    idle from its end; per migration alpha x rate (MB/s) + beta / transfer from the end of its
    set-up to its end; minus idle once a source's shutdown ends (it starts when the source's
    last VM has left); never over --budget;
  - a schedule: the migrations' priority list (each starts at the first instant where it is
    the first that fits), the boots' order, and per boot the number of shutdowns that must
    have ended before it is due (a due boot that does not fit holds back the migrations).
Simulated annealing moves a migration in the list, swaps two, swaps two boots, or changes
one boot's trigger; the sum of end times (migrations, shutdowns, boots) is the objective.
--out writes the best schedule as a plan CSV for `mvm check` (the check is mvm's, not ours),
replaced whole or not at all. Exit 2 on a file that is not an mvm plan (file:line and why),
6 when the output cannot be written.

The 5.0 kW decommission (scenarios/decommission-cap5000.xml; figures from `mvm info`):
  mvm plan scenarios/decommission-cap5000.xml -o /tmp/p.csv
  bench/budget_sa.py /tmp/p.csv --p0 4176 --budget 5000 --iterations 20000 --seed 1 --out /tmp/sa.csv
  mvm check scenarios/decommission-cap5000.xml /tmp/sa.csv
"""
import argparse
import bisect
import csv
import math
import os
import random
import sys
import tempfile


HEADER = ["action", "subject", "from", "to", "start", "end", "bandwidth_mbps"]


def fail(msg, code=2):
    """A clear error on standard error; exit 2 (bad input, as mvm) or 6 (I/O error)."""
    print(f"budget_sa.py: {msg}", file=sys.stderr)
    sys.exit(code)


def load(path):
    """The plan's migrations, boots and the sources that shut down; exits 2 with the file and
    line on anything that is not an mvm plan."""
    try:
        with open(path, newline="") as f:
            lines = [(i, l) for i, l in enumerate(f, 1) if not l.startswith("#")]
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    rows = list(zip((i for i, _ in lines), csv.reader(l for _, l in lines)))
    if not rows or rows[0][1] != HEADER:
        fail(f"{path}: not an mvm plan (its header is not {','.join(HEADER)})")
    migs, boots, shut = [], [], set()
    for line, r in rows[1:]:
        try:
            a, subj, src, dst, st, en, bw = r
            st, en = float(st), float(en)
            if not (math.isfinite(st) and math.isfinite(en) and en >= st):
                raise ValueError("start and end must be finite, end >= start")
            if a == "migrate":
                bw = float(bw)
                if not (math.isfinite(bw) and bw > 0):
                    raise ValueError("bandwidth must be > 0")
                migs.append((st, subj, src, dst, en - st, bw))
            elif a == "boot":
                boots.append((st, subj, en - st))
            elif a == "shutdown":
                shut.add(subj)
            else:
                raise ValueError(f"unknown action {a!r}")
        except ValueError as e:
            fail(f"{path}:{line}: {e}")
    missing = shut - {m[2] for m in migs}
    if missing:
        fail(f"{path}: {sorted(missing)[0]} shuts down but sends no VM")
    migs.sort()
    boots.sort()
    return migs, boots, shut


class Power:
    """Committed power steps (time, change), sorted; the peak over an interval."""

    def __init__(self, p0):
        self.p0, self.ev = p0, []

    def add(self, t, dw):
        bisect.insort(self.ev, (t, dw))

    def peak(self, t0, t1):
        p, i, ev = self.p0, 0, self.ev
        while i < len(ev) and ev[i][0] <= t0 + 1e-12:
            p += ev[i][1]
            i += 1
        best = p
        while i < len(ev) and ev[i][0] < t1 - 1e-12:
            p += ev[i][1]
            i += 1
            while i < len(ev) and abs(ev[i][0] - ev[i - 1][0]) < 1e-12:
                p += ev[i][1]
                i += 1
            best = max(best, p)
        return best


def simulate(a, migs, boots, prio, border, trig, out=None):
    """Sum of end times of the list schedule (prio: migration indices, border: boot indices,
    trig[k]: shutdowns that must have ended before the k-th boot is due); inf if stuck."""
    pw = Power(a.p0)
    t, total, bi = 0.0, 0.0, 0
    up = {b[1]: math.inf for b in boots}
    busy, left, lanes, offs = {}, {}, [], []
    for m in migs:
        left[m[2]] = left.get(m[2], 0) + 1
    pending = list(prio)
    while pending:
        noff = sum(1 for x in offs if x <= t + 1e-9)
        lanes = [e for e in lanes if e > t + 1e-9]
        held = False
        while bi < len(border) and trig[bi] <= noff:
            _, node, dur = boots[border[bi]]
            if pw.peak(t, math.inf) + a.idle * (1 + a.overhead) > a.budget:
                held = True
                break
            pw.add(t, a.idle * (1 + a.overhead))
            pw.add(t + dur, -a.idle * a.overhead)
            up[node] = t + dur
            total += t + dur
            if out is not None:
                out.append(("boot", node, node, node, t, t + dur, ""))
            bi += 1
        if not held:
            keep = []
            for i in pending:
                _, vm, src, dst, dur, bw = migs[i]
                if (len(lanes) >= a.lanes or busy.get(src, 0) > t + 1e-9 or busy.get(dst, 0) > t + 1e-9
                        or up.get(dst, 0) > t + 1e-9):
                    keep.append(i)
                    continue
                setup = a.setup if dur > a.setup else 0
                w = a.alpha * bw / 8 + (a.beta / (dur - setup) if dur > setup else 0)
                if pw.peak(t + setup, t + dur) + w > a.budget:
                    keep.append(i)
                    continue
                pw.add(t + setup, w)
                pw.add(t + dur, -w)
                busy[src] = busy[dst] = t + dur
                lanes.append(t + dur)
                total += t + dur
                if out is not None:
                    out.append(("migrate", vm, src, dst, t, t + dur, f"{bw:.6f}"))
                left[src] -= 1
                if left[src] == 0:
                    pw.add(t + dur + a.shutdown, -a.idle)
                    offs.append(t + dur + a.shutdown)
                    total += t + dur + a.shutdown
                    if out is not None:
                        out.append(("shutdown", src, src, src, t + dur, t + dur + a.shutdown, ""))
            pending = keep
        nxt = [e for e in lanes if e > t + 1e-9] + [x for x in up.values() if t + 1e-9 < x < math.inf]
        nxt += [x for x, _ in pw.ev if x > t + 1e-9]
        if not nxt:
            return math.inf
        t = min(nxt)
    return total if bi == len(border) else math.inf


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("plan", help="a plan mvm wrote for the scenario (the search starts from it)")
    ap.add_argument("--p0", type=float, required=True, help="the first draw: nodes on x idle + VMs x VM power (W)")
    ap.add_argument("--budget", type=float, required=True, help="power budget (W)")
    ap.add_argument("--lanes", type=int, default=4, help="migrations the shared link carries at once")
    ap.add_argument("--idle", type=float, default=110.0, help="a node's idle power (W)")
    ap.add_argument("--overhead", type=float, default=0.2, help="a boot's extra draw, a share of idle")
    ap.add_argument("--shutdown", type=float, default=17.0, help="shutdown duration (s)")
    ap.add_argument("--setup", type=float, default=2.5, help="migration set-up (s), no power drawn")
    ap.add_argument("--alpha", type=float, default=0.512, help="migration energy, J/MB")
    ap.add_argument("--beta", type=float, default=20.165, help="migration energy, J per migration")
    ap.add_argument("--iterations", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="write the best schedule found as a plan CSV")
    a = ap.parse_args()
    a.budget += 0.005  # mvm check's tolerance is relative 1e-6
    if a.out and not os.path.isdir(os.path.dirname(os.path.abspath(a.out))):
        fail(f"{a.out}: no such directory", 6)  # before the search, not after it
    migs, boots, shut = load(a.plan)
    if not migs or not boots:
        fail(f"{a.plan}: the plan has no migration or no boot")
    rng = random.Random(a.seed)
    prio = list(range(len(migs)))
    border = list(range(len(boots)))
    # the plan's own boots: each due once as many shutdowns have ended as had by its start
    offs = sorted(st + a.shutdown for st in
                  [max(m[0] + m[4] for m in migs if m[2] == s) for s in shut])
    trig = [sum(1 for x in offs if x <= b[0] + 1e-6) for b in boots]
    cur = (prio, border, trig)
    cv = simulate(a, migs, boots, *cur)
    print(f"the plan, resimulated: {cv:.3f} s")
    best = (cv, cur)
    for it in range(a.iterations):
        temp = 40.0 * (1 - it / a.iterations) + 0.3
        p, b, tr = list(cur[0]), list(cur[1]), list(cur[2])
        r = rng.random()
        if r < 0.6:
            x = p.pop(rng.randrange(len(p)))
            p.insert(rng.randrange(len(p) + 1), x)
        elif r < 0.75:
            i, j = rng.sample(range(len(p)), 2)
            p[i], p[j] = p[j], p[i]
        elif r < 0.85 and len(b) > 1:
            i, j = rng.sample(range(len(b)), 2)
            b[i], b[j] = b[j], b[i]
        else:
            i = rng.randrange(len(tr))
            tr[i] = max(0, tr[i] + rng.choice((-1, 1)))
            tr = [max(tr[: k + 1]) for k in range(len(tr))]  # boots due in order
        v = simulate(a, migs, boots, p, b, tr)
        if v < cv or rng.random() < math.exp(-(v - cv) / temp):
            cur, cv = (p, b, tr), v
            if v < best[0]:
                best = (v, cur)
    print(f"best: {best[0]:.3f} s (triggers {best[1][2]})")
    if a.out:
        rows = []
        simulate(a, migs, boots, *best[1], out=rows)
        # replaced whole or not at all: a new file beside it, renamed over it
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".budget_sa.", dir=os.path.dirname(os.path.abspath(a.out)))
            with os.fdopen(fd, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(HEADER)
                for r in sorted(rows, key=lambda r: (r[4], r[0], r[1])):
                    w.writerow([r[0], r[1], r[2], r[3], f"{r[4]:.6f}", f"{r[5]:.6f}", r[6]])
            os.replace(tmp, a.out)
        except OSError as e:
            if tmp:
                os.unlink(tmp)
            fail(f"{a.out}: {e.strerror}", 6)


if __name__ == "__main__":
    main()
