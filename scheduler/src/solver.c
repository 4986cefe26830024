/* The scheduler: an event-driven (parallel) schedule generator over cumulative resources.
 * See mvm/solver.h for the method; this file is its implementation.
 *
 * Invariants: res[r].used is the sum of what the running (or, for node memory, the
 * already started) actions hold on r; `power` is the predicted draw at the current time.
 * An action is in exactly one state: waiting for predecessors, held (a sync member whose
 * group is not complete), ready (in the ready heap), parked (in one resource's watch
 * heap), running (in the running heap) or done. */
#include "heap.h"
#include "mvm/model.h"
#include "mvm/power.h"
#include "mvm/solver.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS_REL 1e-9
#define LEVEL_MIN_FRACTION 0.25 /* lowest rate level, as a fraction of the bottleneck rate */
#define LEVEL_MIN_MARGIN 1.25   /* and at least this factor above the never-converges limit */

enum { A_MIG, A_BOOT, A_SHUT };
enum { S_WAIT, S_HELD, S_READY, S_PARKED, S_RUNNING, S_DONE };
enum { R_ELEM, R_POWER, R_MEM, R_CORES, R_SERIAL, R_CAP, R_OPEN };

typedef struct res {
  int kind;
  int ref; /* element, constraint or node index */
  double cap, used;
  double from, to; /* power window */
  iheap watch;
} res;

typedef struct act {
  int kind;
  int ref; /* vm index (migration) or node index */
  int npred;
  int succ_first, nsucc;
  int sync; /* sync group or -1 */
  double rate_full, rate_min, dur_full;
  double start, end, rate, power;
  int state;
  int parked_on;
  int parked_kinds; /* bit per resource kind it ever waited on (for explanations) */
} act;

typedef struct solver {
  const mvm_scenario* sc;
  const mvm_netview* nv;
  mvm_solver_opts o;
  mvm_error* err;
  int use_network;
  act* a;
  int na;
  double* prio;
  double* endkey;
  int* succ;
  res* r;
  int nr;
  int* elem_res;  /* element -> resource or -1 (FATPIPE) */
  int* node_mem;  /* node -> resource or -1 */
  int* node_cores;
  int* boot_of;   /* node -> boot action or -1 */
  int* ser_first; /* vm -> CSR of serialize resources */
  int* ser;
  int* power_res;
  int npower;
  int cap_res;
  int** groups; /* sync groups: member actions */
  int* group_size;
  int* group_ready;
  int ngroups;
  int* mig_of_vm; /* vm -> migration action or -1 */
  int open_res;    /* booted nodes still waiting for migrations (variant max_open) or -1 */
  int* pending_in; /* node -> incoming migrations not yet started */
  int* receiving;  /* node -> incoming migrations running */
  char* open_counted; /* node -> counted in the open set */
  int open_idle;   /* variant: the open set counts only booted nodes receiving nothing */
  int boots_last;  /* variant: boots after the ready migrations in priority */
  size_t* wfirst;  /* vm -> first of its loads in wts */
  double* wts;     /* per vm, per loaded element (route, then route back): load per unit rate */
  int ack_reserve; /* variant: a migration's full rate leaves room, on every element of its
                      route, for the acknowledgements of one migration going the other way */
  int max_open;    /* variant: at most this many such nodes (0: no limit) */
  int rule;        /* variant: 0 shortest first, 1 by source rank, 2 by destination rank,
                      3 shortest first weighted by the migrations that wait for it */
  double power;
  double now;
  iheap ready, running;
  const double* release; /* per action: not before this instant (search hints), or NULL */
  iheap timers;          /* ready actions waiting for their release */
} solver;

/* ---------- durations ---------- */

static double mig_duration(const solver* s, int vm, double rate)
{
  if (s->o.kind == MVM_SCHED_BTRPLACE)
    return mvm_naive_duration(s->sc->vms[vm].memory, rate);
  mvm_precopy_params p;
  mvm_vm_precopy(s->sc, s->nv, (size_t)vm, &p);
  return mvm_precopy_duration(&p, rate);
}

/* Predicted power of a migration (W) while it sends: Liu's energy spread over its transfer (its
 * duration but the set-up, mvm_plan_power). The budget is checked with it over the whole
 * migration, which is on the safe side during the set-up. */
static double mig_power(const solver* s, double rate, double dur)
{
  const mvm_defaults* d = &s->sc->defaults;
  double tr = dur > d->mig_setup ? dur - d->mig_setup : dur;
  return d->mig_alpha * rate / 1e6 + (tr > 0 ? d->mig_beta / tr : 0);
}

/* The elements a migration loads: its route (k < count), then its route back, where the
 * acknowledgements go (k < count + ack_count). */
static inline int loaded_elem(const mvm_netview* nv, const mvm_route* rt, size_t k)
{
  return k < rt->count ? nv->route_elems[rt->first + k] : nv->ack_elems[rt->ack_first + k - rt->count];
}

/* ---------- resources ---------- */

static int add_res(solver* s, int kind, int ref, double cap)
{
  res* r = &s->r[s->nr];
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->ref = ref;
  r->cap = cap;
  r->to = INFINITY;
  return s->nr++;
}

static int fits(const res* r, double add) { return r->used + add <= r->cap * (1 + EPS_REL) + 1e-12; }

/* Amount an action needs on a resource at its start (for waking watchers). */
static double need_on(const solver* s, int ai, const res* r)
{
  const act* a = &s->a[ai];
  switch (r->kind) {
  case R_ELEM:
    return a->rate_min * (s->nv->ack_factor > 0 ? mvm_route_load(s->nv, (size_t)a->ref, r->ref) : 1);
  case R_POWER:
    if (a->kind == A_BOOT)
      return s->sc->defaults.node_idle * (1 + s->sc->defaults.boot_overhead);
    return mig_power(s, a->rate_min, a->dur_full);
  case R_MEM:
    return s->sc->vms[a->ref].memory;
  case R_CORES:
    return s->sc->vms[a->ref].cores;
  default:
    return 1;
  }
}

/* Power-budget check for an action drawing `add` W over [t, t + dur). */
static int power_block(const solver* s, double t, double dur, double add)
{
  for (int k = 0; k < s->npower; k++) {
    const res* r = &s->r[s->power_res[k]];
    if (t + dur > r->from && t < r->to && s->power + add > r->cap * (1 + EPS_REL) + 1e-9)
      return s->power_res[k];
  }
  return -1;
}

/* Resource blocking a migration at rate `rate` now, or -1 if it fits. */
static int mig_block(const solver* s, int ai, double rate, double dur)
{
  const act* a = &s->a[ai];
  const mvm_vm* vm = &s->sc->vms[a->ref];
  if (s->use_network) {
    const mvm_route* rt = &s->nv->routes[a->ref];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int el = loaded_elem(s->nv, rt, k);
      int ri = s->elem_res[el];
      double w = s->wts[s->wfirst[a->ref] + k];
      if (ri >= 0 && !fits(&s->r[ri], rate * w))
        return ri;
    }
  }
  int m = s->node_mem[vm->to], c = s->node_cores[vm->to];
  if (m >= 0 && !fits(&s->r[m], vm->memory))
    return m;
  if (c >= 0 && !fits(&s->r[c], vm->cores))
    return c;
  for (int k = s->ser_first[a->ref]; k < s->ser_first[a->ref + 1]; k++)
    if (!fits(&s->r[s->ser[k]], 1))
      return s->ser[k];
  if (s->cap_res >= 0 && !fits(&s->r[s->cap_res], 1))
    return s->cap_res;
  return power_block(s, s->now, dur, mig_power(s, rate, dur));
}

/* Adds (sign +1) or removes (-1) what a migration holds while it runs. */
static void mig_hold(solver* s, int ai, int sign)
{
  act* a = &s->a[ai];
  if (s->use_network) {
    const mvm_route* rt = &s->nv->routes[a->ref];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int ri = s->elem_res[loaded_elem(s->nv, rt, k)];
      if (ri >= 0)
        s->r[ri].used += sign * a->rate * (k < rt->count ? 1 : s->nv->ack_factor);
    }
  }
  for (int k = s->ser_first[a->ref]; k < s->ser_first[a->ref + 1]; k++)
    s->r[s->ser[k]].used += sign;
  if (s->cap_res >= 0)
    s->r[s->cap_res].used += sign;
  s->power += sign * a->power;
}

/* Node capacity: a VM holds its destination from its start, its source until its end. */
static void mig_take_destination(solver* s, int ai, int sign)
{
  const mvm_vm* vm = &s->sc->vms[s->a[ai].ref];
  int m = s->node_mem[vm->to], c = s->node_cores[vm->to];
  if (m >= 0)
    s->r[m].used += sign * vm->memory;
  if (c >= 0)
    s->r[c].used += sign * vm->cores;
}

/* ---------- waking watchers ---------- */

static int wake(solver* s, int ri);

/* The open set (variant max_open): booted nodes that still wait for migrations. With
 * open_idle, only those receiving none right now: a node that receives is in use. */
static void open_count(solver* s, int n, int in)
{
  if (s->open_counted[n] != in) {
    s->open_counted[n] = (char)in;
    s->r[s->open_res].used += in ? 1 : -1;
  }
}

/* A migration into a booted node has started: the node may leave the open set. */
static int arrived(solver* s, int ai)
{
  int n = s->sc->vms[s->a[ai].ref].to;
  if (s->open_res < 0 || s->boot_of[n] < 0)
    return 0;
  --s->pending_in[n];
  s->receiving[n]++;
  int was = s->open_counted[n];
  open_count(s, n, s->open_idle ? 0 : s->pending_in[n] > 0);
  return was && !s->open_counted[n] ? wake(s, s->open_res) : 0;
}

/* A migration into a booted node has ended: with open_idle, a node left waiting for more
 * is open again. */
static void departed(solver* s, int ai)
{
  int n = s->sc->vms[s->a[ai].ref].to;
  if (s->open_res < 0 || s->boot_of[n] < 0)
    return;
  s->receiving[n]--;
  if (s->open_idle && s->receiving[n] == 0 && s->pending_in[n] > 0)
    open_count(s, n, 1);
}

static int wake(solver* s, int ri)
{
  res* r = &s->r[ri];
  double promised = 0;
  while (r->watch.n) {
    int top = r->watch.a[0];
    double need = need_on(s, top, r);
    if (r->kind == R_POWER) {
      if (s->power + promised + need > r->cap * (1 + EPS_REL) + 1e-9)
        break;
    } else if (!fits(r, promised + need))
      break;
    iheap_pop(&r->watch, s->prio);
    promised += need;
    s->a[top].state = S_READY;
    if (iheap_push(&s->ready, s->prio, top))
      return -1;
  }
  return 0;
}

static int wake_power(solver* s)
{
  for (int k = 0; k < s->npower; k++)
    if (wake(s, s->power_res[k]))
      return -1;
  return 0;
}

static int park(solver* s, int ai, int ri)
{
  s->a[ai].state = S_PARKED;
  s->a[ai].parked_on = ri;
  s->a[ai].parked_kinds |= 1 << s->r[ri].kind;
  return iheap_push(&s->r[ri].watch, s->prio, ai);
}

/* ---------- starting and finishing ---------- */

static int start(solver* s, int ai, double rate, double dur, double power)
{
  act* a = &s->a[ai];
  a->start = s->now;
  a->end = s->now + dur;
  a->rate = rate;
  a->power = power;
  a->state = S_RUNNING;
  s->endkey[ai] = a->end;
  if (a->kind == A_MIG) {
    mig_hold(s, ai, +1);
    mig_take_destination(s, ai, +1);
    if (arrived(s, ai))
      return -1;
  } else if (a->kind == A_BOOT) {
    s->power += power;
    if (s->open_res >= 0 && s->pending_in[a->ref] > 0)
      open_count(s, a->ref, 1);
  }
  return iheap_push(&s->running, s->endkey, ai);
}

static int finish(solver* s, int ai)
{
  act* a = &s->a[ai];
  a->state = S_DONE;
  const mvm_defaults* d = &s->sc->defaults;
  if (a->kind == A_MIG) {
    mig_hold(s, ai, -1);
    departed(s, ai);
    const mvm_vm* vm = &s->sc->vms[a->ref];
    int m = s->node_mem[vm->from], c = s->node_cores[vm->from];
    if (m >= 0)
      s->r[m].used -= vm->memory;
    if (c >= 0)
      s->r[c].used -= vm->cores;
    if (s->use_network) {
      const mvm_route* rt = &s->nv->routes[a->ref];
      for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
        int ri = s->elem_res[loaded_elem(s->nv, rt, k)];
        if (ri >= 0 && wake(s, ri))
          return -1;
      }
    }
    for (int k = s->ser_first[a->ref]; k < s->ser_first[a->ref + 1]; k++)
      if (wake(s, s->ser[k]))
        return -1;
    if (s->cap_res >= 0 && wake(s, s->cap_res))
      return -1;
    if ((m >= 0 && wake(s, m)) || (c >= 0 && wake(s, c)))
      return -1;
  } else if (a->kind == A_BOOT)
    s->power -= d->node_idle * d->boot_overhead;
  else
    s->power -= d->node_idle;
  if (wake_power(s))
    return -1;
  for (int k = 0; k < a->nsucc; k++) {
    int b = s->succ[a->succ_first + k];
    if (--s->a[b].npred == 0) {
      s->a[b].state = S_READY;
      if (iheap_push(&s->ready, s->prio, b))
        return -1;
    }
  }
  return 0;
}

/* Next instant something ends (for the rate-level decision). */
static double next_release(const solver* s) { return s->running.n ? s->endkey[s->running.a[0]] : INFINITY; }

static int try_migration(solver* s, int ai)
{
  act* a = &s->a[ai];
  double p = mig_power(s, a->rate_full, a->dur_full);
  int blk = mig_block(s, ai, a->rate_full, a->dur_full);
  if (blk < 0)
    return start(s, ai, a->rate_full, a->dur_full, p);
  if (s->o.levels && (s->r[blk].kind == R_ELEM || s->r[blk].kind == R_POWER)) {
    /* the best rate the path offers now */
    double avail = a->rate_full;
    const mvm_route* rt = &s->nv->routes[a->ref];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int el = loaded_elem(s->nv, rt, k);
      int ri = s->elem_res[el];
      double w = s->wts[s->wfirst[a->ref] + k];
      if (ri >= 0 && w > 0 && (s->r[ri].cap - s->r[ri].used) / w < avail)
        avail = (s->r[ri].cap - s->r[ri].used) / w;
    }
    /* and the power budgets: the fastest rate whose power fits what they leave now
     * (a migration's power grows with its rate; bisection) */
    double head = INFINITY;
    for (int k = 0; k < s->npower; k++) {
      const res* r = &s->r[s->power_res[k]];
      if (s->now < r->to && r->from < s->now + a->dur_full * 4)
        head = fmin(head, r->cap * (1 - 1e-4) - s->power); /* a margin for the simulation */
    }
    if (avail >= a->rate_min && isfinite(head) && mig_power(s, avail, mig_duration(s, a->ref, avail)) > head) {
      double lo = a->rate_min, hi = avail;
      if (mig_power(s, lo, mig_duration(s, a->ref, lo)) > head)
        avail = 0;
      else {
        for (int it = 0; it < 30 && hi - lo > 1e-6 * hi; it++) {
          double mid = 0.5 * (lo + hi);
          if (mig_power(s, mid, mig_duration(s, a->ref, mid)) <= head)
            lo = mid;
          else
            hi = mid;
        }
        avail = lo;
      }
    }
    if (avail >= a->rate_min) {
      double d = mig_duration(s, a->ref, avail);
      if (s->now + d < next_release(s) + a->dur_full) {
        double pw = mig_power(s, avail, d);
        if (mig_block(s, ai, avail, d) < 0)
          return start(s, ai, avail, d, pw);
      }
    }
  }
  return park(s, ai, blk);
}

/* A complete sync group: every member starts now and ends with the longest one. */
static int try_group(solver* s, int ai)
{
  int g = s->a[ai].sync;
  int n = s->group_size[g];
  int* m = s->groups[g];
  double dmax = 0;
  for (int k = 0; k < n; k++)
    if (s->a[m[k]].dur_full > dmax)
      dmax = s->a[m[k]].dur_full;
  int k, blk = -1;
  for (k = 0; k < n; k++) {
    act* x = &s->a[m[k]];
    double rate = x->rate_full;
    if (x->dur_full < dmax && s->o.kind != MVM_SCHED_BTRPLACE) {
      mvm_precopy_params p;
      mvm_vm_precopy(s->sc, s->nv, (size_t)x->ref, &p);
      rate = mvm_precopy_rate_for(&p, dmax, x->rate_full);
    }
    double d = mig_duration(s, x->ref, rate);
    if (d > dmax)
      d = dmax;
    blk = mig_block(s, m[k], rate, dmax);
    if (blk >= 0)
      break;
    /* hold now so the next members see it */
    x->rate = rate;
    x->power = mig_power(s, rate, d);
    mig_hold(s, m[k], +1);
    mig_take_destination(s, m[k], +1);
  }
  if (blk >= 0) {
    while (k-- > 0) {
      mig_hold(s, m[k], -1);
      mig_take_destination(s, m[k], -1);
    }
    return park(s, ai, blk);
  }
  for (k = 0; k < n; k++) {
    act* x = &s->a[m[k]];
    x->start = s->now;
    x->end = s->now + dmax;
    x->state = S_RUNNING;
    s->endkey[m[k]] = x->end;
    if (iheap_push(&s->running, s->endkey, m[k]) || arrived(s, m[k]))
      return -1;
  }
  return 0;
}

static int process_ready(solver* s)
{
  const mvm_defaults* d = &s->sc->defaults;
  while (s->ready.n) {
    int ai = iheap_pop(&s->ready, s->prio);
    act* a = &s->a[ai];
    int rc = 0;
    if (s->release && s->release[ai] > s->now) {
      if (iheap_push(&s->timers, s->release, ai))
        return -1;
      continue;
    }
    if (a->kind == A_MIG && a->sync >= 0) {
      if (a->state == S_READY && s->group_ready[a->sync] < s->group_size[a->sync]) {
        /* first time ready: count it; the last member to arrive represents the group */
        if (++s->group_ready[a->sync] < s->group_size[a->sync]) {
          a->state = S_HELD;
          continue;
        }
      }
      rc = try_group(s, ai);
    } else if (a->kind == A_MIG)
      rc = try_migration(s, ai);
    else if (a->kind == A_BOOT) {
      double p = d->node_idle * (1 + d->boot_overhead);
      int blk = s->open_res >= 0 && s->pending_in[a->ref] > 0 && !fits(&s->r[s->open_res], 1) ? s->open_res : -1;
      if (blk < 0)
        blk = power_block(s, s->now, INFINITY, p);
      rc = blk < 0 ? start(s, ai, 0, d->boot, p) : park(s, ai, blk);
    } else
      rc = start(s, ai, 0, d->shutdown, 0);
    if (rc)
      return -1;
  }
  return 0;
}

/* ---------- set-up ---------- */

typedef struct keyed {
  double k;
  size_t i;
} keyed;

static int cmp_keyed(const void* a, const void* b)
{
  const keyed* x = a;
  const keyed* y = b;
  if (x->k != y->k)
    return (x->k > y->k) - (x->k < y->k);
  return (x->i > y->i) - (x->i < y->i);
}

static double* successor_weights(solver* s, mvm_error* err);

/* Rule 4: rule 1's source order (lightest first), interleaved over the sources' busiest
 * shared elements, so the drain keeps every bottleneck busy instead of emptying the
 * sources behind one element first (e.g. alternate racks when each rack's uplink limits
 * how many migrations leave it at once). The busiest element of a source is the one of
 * its migrations' routes with the most transfer time per lane (capacity / full rate).
 * Rewrites rank (node -> rank); -1 if out of memory. */
static int interleave_sources(solver* s, double* rank)
{
  const mvm_scenario* sc = s->sc;
  size_t ne = s->nv->nelems, nn = sc->nnodes;
  double* work = calloc(ne + 1, sizeof(double));
  int* key = malloc((nn + 1) * sizeof(int));
  int* count = calloc(ne + 2, sizeof(int));
  int* seen = calloc(ne + 2, sizeof(int));
  keyed* order = calloc(nn + 1, sizeof(keyed));
  int rc = -1;
  if (!work || !key || !count || !seen || !order)
    goto out;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == A_MIG) {
      const mvm_route* rt = &s->nv->routes[s->a[i].ref];
      for (size_t k = 0; k < rt->count; k++) {
        size_t e = s->nv->route_elems[rt->first + k];
        if (s->elem_res[e] >= 0)
          work[e] += s->a[i].dur_full * s->a[i].rate_full / s->r[s->elem_res[e]].cap;
      }
    }
  for (size_t n = 0; n < nn; n++)
    key[n] = -1;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == A_MIG) {
      int n = sc->vms[s->a[i].ref].from;
      const mvm_route* rt = &s->nv->routes[s->a[i].ref];
      for (size_t k = 0; k < rt->count; k++) {
        int e = (int)s->nv->route_elems[rt->first + k];
        if (s->elem_res[e] >= 0 && (key[n] < 0 || work[e] > work[key[n]] || (work[e] == work[key[n]] && e < key[n])))
          key[n] = e;
      }
    }
  for (size_t n = 0; n < nn; n++)
    count[key[n] + 1]++;
  /* position of each source within its group, in rank order, as a fraction of the group */
  for (size_t n = 0; n < nn; n++)
    order[n] = (keyed){rank[n], n};
  mvm_qsort(order, nn, sizeof(keyed), cmp_keyed);
  for (size_t j = 0; j < nn; j++) {
    size_t n = order[j].i;
    int g = key[n] + 1;
    order[j].k = (seen[g]++ + 0.5) / count[g];
  }
  mvm_qsort(order, nn, sizeof(keyed), cmp_keyed);
  for (size_t j = 0; j < nn; j++)
    rank[order[j].i] = (double)j;
  rc = 0;
out:
  free(work);
  free(key);
  free(count);
  free(seen);
  free(order);
  return rc;
}

static int build(solver* s)
{
  const mvm_scenario* sc = s->sc;
  const mvm_defaults* d = &sc->defaults;
  mvm_error* err = s->err;
  int nmig = 0, nboot = 0, nshut = 0;
  for (size_t v = 0; v < sc->nvms; v++)
    nmig += mvm_vm_moves(&sc->vms[v]);
  for (size_t n = 0; n < sc->nnodes; n++) {
    nboot += !sc->nodes[n].initially_on && sc->nodes[n].finally_on;
    nshut += sc->nodes[n].initially_on && !sc->nodes[n].finally_on;
  }
  s->na = nmig + nboot + nshut;
  int nser = 0;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    s->npower += k->kind == MVM_C_POWER;
    s->ngroups += k->kind == MVM_C_SYNC;
    nser += k->kind == MVM_C_SERIALIZE;
  }
  size_t maxres = s->nv->nelems + 2 * sc->nnodes + (size_t)s->npower + (size_t)nser + 2;
  s->a = mvm_xcalloc((size_t)s->na, sizeof(act), err);
  s->prio = mvm_xcalloc((size_t)s->na, sizeof(double), err);
  s->endkey = mvm_xcalloc((size_t)s->na, sizeof(double), err);
  s->r = mvm_xcalloc(maxres, sizeof(res), err);
  s->elem_res = mvm_xcalloc(s->nv->nelems, sizeof(int), err);
  s->node_mem = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->node_cores = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->boot_of = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->ser_first = mvm_xcalloc(sc->nvms + 1, sizeof(int), err);
  s->power_res = mvm_xcalloc((size_t)s->npower, sizeof(int), err);
  s->groups = mvm_xcalloc((size_t)s->ngroups, sizeof(int*), err);
  s->group_size = mvm_xcalloc((size_t)s->ngroups, sizeof(int), err);
  s->group_ready = mvm_xcalloc((size_t)s->ngroups, sizeof(int), err);
  s->mig_of_vm = mvm_xcalloc(sc->nvms, sizeof(int), err);
  s->pending_in = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->receiving = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->open_counted = mvm_xcalloc(sc->nnodes, 1, err);
  if (!s->pending_in || !s->receiving || !s->open_counted ||!s->a || !s->prio || !s->endkey || !s->r || !s->elem_res || !s->node_mem || !s->node_cores ||
      !s->boot_of || !s->ser_first || !s->power_res || !s->groups || !s->group_size || !s->group_ready ||
      !s->mig_of_vm)
    return MVM_ENOMEM;

  /* resources */
  for (size_t e = 0; e < s->nv->nelems; e++)
    s->elem_res[e] = (s->use_network && s->nv->elems[e].shared) ? add_res(s, R_ELEM, (int)e, mvm_element_capacity(s->nv, e)) : -1;
  for (size_t n = 0; n < sc->nnodes; n++) {
    s->node_mem[n] = sc->nodes[n].memory >= 0 ? add_res(s, R_MEM, (int)n, sc->nodes[n].memory) : -1;
    s->node_cores[n] = sc->nodes[n].cores >= 0 ? add_res(s, R_CORES, (int)n, sc->nodes[n].cores) : -1;
    s->boot_of[n] = -1;
  }
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    int m = s->node_mem[vm->from], c = s->node_cores[vm->from];
    if (m >= 0)
      s->r[m].used += vm->memory;
    if (c >= 0)
      s->r[c].used += vm->cores;
  }
  s->power = 0;
  for (size_t n = 0; n < sc->nnodes; n++)
    s->power += sc->nodes[n].initially_on ? d->node_idle : 0;
  s->power += (double)sc->nvms * d->vm_power;
  int kp = 0;
  int* ser_res_of = mvm_xcalloc(sc->nconstraints, sizeof(int), err);
  if (!ser_res_of)
    return MVM_ENOMEM;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind == MVM_C_POWER) {
      int ri = add_res(s, R_POWER, (int)c, k->max);
      s->r[ri].from = k->from;
      s->r[ri].to = k->to;
      s->power_res[kp++] = ri;
      if (k->from <= 0 && s->power > k->max * (1 + EPS_REL)) {
        free(ser_res_of);
        return mvm_err_set(err, MVM_EINFEASIBLE,
                           "%s:%d: power-budget: %.1f W is below the initial draw of %.1f W (nodes on at "
                           "%.0f W idle, %zu VMs at %.0f W)",
                           sc->path, k->line, k->max, s->power, d->node_idle, sc->nvms, d->vm_power);
      }
    } else if (k->kind == MVM_C_SERIALIZE)
      ser_res_of[c] = add_res(s, R_SERIAL, (int)c, 1);
  }
  s->cap_res = s->o.kind == MVM_SCHED_CAP ? add_res(s, R_CAP, -1, s->o.cap_k) : -1;
  s->open_res = s->max_open > 0 && nboot > 0 ? add_res(s, R_OPEN, -1, s->max_open) : -1;
  /* serialize CSR */
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_SERIALIZE)
      for (size_t k = 0; k < sc->constraints[c].nvms; k++)
        s->ser_first[sc->constraints[c].vms[k] + 1]++;
  for (size_t v = 0; v < sc->nvms; v++)
    s->ser_first[v + 1] += s->ser_first[v];
  s->ser = mvm_xcalloc((size_t)s->ser_first[sc->nvms] + 1, sizeof(int), err);
  int* fill = mvm_xcalloc(sc->nvms, sizeof(int), err);
  if (!s->ser || !fill) {
    free(fill);
    free(ser_res_of);
    return MVM_ENOMEM;
  }
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_SERIALIZE)
      for (size_t k = 0; k < sc->constraints[c].nvms; k++) {
        int v = sc->constraints[c].vms[k];
        s->ser[s->ser_first[v] + fill[v]++] = ser_res_of[c];
      }
  free(fill);
  free(ser_res_of);

  /* each migration's load per unit of rate on every element it loads (an element on both
   * its route and its route back carries both) */
  {
    size_t nw = 0;
    s->wfirst = mvm_xcalloc(sc->nvms + 1, sizeof(size_t), err);
    for (size_t v = 0; s->wfirst && v < sc->nvms; v++) {
      s->wfirst[v] = nw;
      if (mvm_vm_moves(&sc->vms[v]))
        nw += s->nv->routes[v].count + s->nv->routes[v].ack_count;
    }
    s->wts = s->wfirst ? mvm_xcalloc(nw + 1, sizeof(double), err) : NULL;
    if (!s->wts)
      return MVM_ENOMEM;
    for (size_t v = 0; v < sc->nvms; v++) {
      const mvm_route* rt = &s->nv->routes[v];
      for (size_t k = 0; mvm_vm_moves(&sc->vms[v]) && k < rt->count + rt->ack_count; k++)
        s->wts[s->wfirst[v] + k] = rt->ack_count ? mvm_route_load(s->nv, v, loaded_elem(s->nv, rt, k)) : 1;
    }
  }
  /* variant ack_reserve: how many migrations send acknowledgements through each element */
  int* acked = NULL;
  if (s->ack_reserve && s->nv->ack_factor > 0 && !(acked = mvm_ack_users(s->nv, sc)))
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  /* actions */
  int ai = 0;
  char bad[MVM_ERROR_MSG_MAX] = "";
  int nbad = 0;
  for (size_t v = 0; v < sc->nvms; v++) {
    s->mig_of_vm[v] = -1;
    if (!mvm_vm_moves(&sc->vms[v]))
      continue;
    act* a = &s->a[ai];
    a->kind = A_MIG;
    a->ref = (int)v;
    a->sync = -1;
    a->rate_full = acked ? mvm_route_rate_reserving(s->nv, v, acked) : mvm_route_rate(s->nv, v);
    a->dur_full = mig_duration(s, (int)v, a->rate_full);
    mvm_precopy_params p;
    mvm_vm_precopy(sc, s->nv, v, &p);
    double lim = mvm_precopy_limit(&p);
    a->rate_min = a->rate_full;
    if (s->o.levels) {
      double lo = fmax(LEVEL_MIN_FRACTION * a->rate_full, LEVEL_MIN_MARGIN * lim);
      if (lo < a->rate_full)
        a->rate_min = lo;
    }
    if (!isfinite(a->dur_full)) {
      if (nbad++ < 5) {
        char one[300];
        snprintf(one, sizeof one, "%s%s:%d: vm '%s' never converges: it dirties %.1f Mb/s, its route gives %.1f Mb/s",
                 nbad > 1 ? "\n" : "", sc->path, sc->vms[v].line, sc->vms[v].id, lim * 8 / 1e6,
                 a->rate_full * 8 / 1e6);
        strncat(bad, one, sizeof bad - strlen(bad) - 1);
      }
    }
    s->mig_of_vm[v] = ai++;
    s->pending_in[sc->vms[v].to]++;
  }
  free(acked);
  if (nbad) {
    mvm_err_set(err, MVM_EINFEASIBLE, "%s", bad);
    if (nbad > 5)
      mvm_err_append(err, "\n(and %d more migrations that never converge)", nbad - 5);
    return MVM_EINFEASIBLE;
  }
  for (size_t n = 0; n < sc->nnodes; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (!nd->initially_on && nd->finally_on) {
      s->a[ai].kind = A_BOOT;
      s->a[ai].ref = (int)n;
      s->a[ai].sync = -1;
      s->a[ai].dur_full = d->boot;
      s->boot_of[n] = ai++;
    }
  }
  for (size_t n = 0; n < sc->nnodes; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (nd->initially_on && !nd->finally_on) {
      s->a[ai].kind = A_SHUT;
      s->a[ai].ref = (int)n;
      s->a[ai].sync = -1;
      s->a[ai].dur_full = d->shutdown;
      ai++;
    }
  }

  /* sync groups */
  int g = 0;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SYNC)
      continue;
    s->groups[g] = mvm_xcalloc(k->nvms, sizeof(int), err);
    if (!s->groups[g])
      return MVM_ENOMEM;
    for (size_t i = 0; i < k->nvms; i++) {
      int m = s->mig_of_vm[k->vms[i]];
      if (s->a[m].sync >= 0)
        return mvm_err_set(err, MVM_EINFEASIBLE, "%s:%d: sync: vm '%s' is already in another sync group", sc->path,
                           k->line, sc->vms[k->vms[i]].id);
      s->a[m].sync = g;
      s->groups[g][s->group_size[g]++] = m;
    }
    g++;
  }

  /* precedences (CSR of successors) */
  int* cnt = mvm_xcalloc((size_t)s->na + 1, sizeof(int), err);
  if (!cnt)
    return MVM_ENOMEM;
#define EDGE(x, y, pass)                                                                         \
  do {                                                                                           \
    if (pass == 0)                                                                               \
      cnt[(x) + 1]++;                                                                            \
    else {                                                                                       \
      s->succ[s->a[x].succ_first + s->a[x].nsucc++] = (y);                                       \
      s->a[y].npred++;                                                                           \
    }                                                                                            \
  } while (0)
  /* the shutdown action of each node, if any (one scan, not one per shutdown) */
  int* shut_of = mvm_xcalloc(sc->nnodes + 1, sizeof(int), err);
  if (!shut_of) {
    free(cnt);
    return MVM_ENOMEM;
  }
  for (size_t n = 0; n < sc->nnodes; n++)
    shut_of[n] = -1;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == A_SHUT)
      shut_of[s->a[i].ref] = i;
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < s->na; i++) {
      act* a = &s->a[i];
      if (a->kind == A_MIG) {
        const mvm_vm* vm = &sc->vms[a->ref];
        if (s->boot_of[vm->to] >= 0)
          EDGE(s->boot_of[vm->to], i, pass);
        if (shut_of[vm->from] >= 0) /* a source shuts down after its last departure */
          EDGE(i, shut_of[vm->from], pass);
      }
    }
    for (size_t c = 0; c < sc->nconstraints; c++)
      if (sc->constraints[c].kind == MVM_C_PRECEDENCE)
        EDGE(s->mig_of_vm[sc->constraints[c].vms[0]], s->mig_of_vm[sc->constraints[c].vms[1]], pass);
    if (pass == 0) {
      for (int i = 0; i < s->na; i++)
        cnt[i + 1] += cnt[i];
      s->succ = mvm_xcalloc((size_t)cnt[s->na] + 1, sizeof(int), err);
      if (!s->succ) {
        free(cnt);
        free(shut_of);
        return MVM_ENOMEM;
      }
      for (int i = 0; i < s->na; i++)
        s->a[i].succ_first = cnt[i];
    }
  }
#undef EDGE
  free(cnt);
  free(shut_of);

  /* priorities. Rule 1 ranks the sources by what they have to send (then by name), so
   * they empty one after the other and shut down, freeing power; rule 2 ranks the
   * destinations the same way, so they fill (and boot) one after the other. */
  double* rank = NULL;
  double* weight = NULL;
  double span = 1;
  if (s->rule == 3 && (weight = successor_weights(s, err)) == NULL)
    return MVM_ENOMEM;
  if (s->rule == 1 || s->rule == 2 || s->rule == 4) {
    keyed* load = mvm_xcalloc(sc->nnodes, sizeof(keyed), err);
    rank = mvm_xcalloc(sc->nnodes, sizeof(double), err);
    if (!load || !rank) {
      free(load);
      free(rank);
      return MVM_ENOMEM;
    }
    for (size_t n = 0; n < sc->nnodes; n++)
      load[n].i = n;
    for (int i = 0; i < s->na; i++)
      if (s->a[i].kind == A_MIG) {
        const mvm_vm* vm = &sc->vms[s->a[i].ref];
        load[s->rule != 2 ? vm->from : vm->to].k += s->a[i].dur_full;
        span = fmax(span, 2 * s->a[i].dur_full);
      }
    mvm_qsort(load, sc->nnodes, sizeof(keyed), cmp_keyed); /* ties by index: nodes are sorted by name */
    for (size_t n = 0; n < sc->nnodes; n++)
      rank[load[n].i] = (double)n;
    free(load);
    if (s->rule == 4 && interleave_sources(s, rank)) {
      free(rank);
      free(weight);
      return mvm_err_set(err, MVM_ENOMEM, "out of memory");
    }
  }
  /* each VM's earliest deadline, one pass over the constraints */
  double* deadline = mvm_xcalloc(sc->nvms + 1, sizeof(double), err);
  if (!deadline) {
    free(rank);
    free(weight);
    return MVM_ENOMEM;
  }
  for (size_t v = 0; v < sc->nvms; v++)
    deadline[v] = INFINITY;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    for (size_t i = 0; k->kind == MVM_C_DEADLINE && i < k->nvms; i++)
      deadline[k->vms[i]] = fmin(deadline[k->vms[i]], k->at);
  }
  for (int i = 0; i < s->na; i++) {
    act* a = &s->a[i];
    double dur = a->dur_full;
    if (a->kind == A_MIG && a->sync >= 0)
      for (int k = 0; k < s->group_size[a->sync]; k++)
        dur = fmax(dur, s->a[s->groups[a->sync][k]].dur_full);
    double p;
    if (a->kind == A_BOOT && s->boots_last)
      p = 2e12; /* variant: boots take only the power the ready migrations leave */
    else if (a->kind != A_MIG)
      p = -2e12; /* boots and shutdowns first: they gate migrations and free power */
    else if (s->o.kind != MVM_SCHED_MVM)
      p = i; /* first come, first served (VM id order) */
    else if (s->o.objective == MVM_OBJ_MAKESPAN)
      p = -dur;
    else
      p = weight ? dur / weight[i] : dur;
    if (rank && a->kind == A_MIG)
      p += span * rank[s->rule != 2 ? sc->vms[a->ref].from : sc->vms[a->ref].to];
    else if (rank && a->kind == A_BOOT)
      p += rank[a->ref];
    if (a->kind == A_MIG && isfinite(deadline[a->ref])) /* earliest deadline first */
      p = fmin(p, -1e12 + deadline[a->ref]);
    s->prio[i] = p;
  }
  free(deadline);
  free(rank);
  free(weight);
  return 0;
}

/* Rule 3's weights: 1 + the weights of the migrations that must wait for this one
 * (precedence successors and their sync mates, transitively; shared descendants count
 * once per path, which only sharpens the priority of actions that gate many). Iterative
 * depth-first post-order over the precedence DAG. NULL if out of memory. */
static double* successor_weights(solver* s, mvm_error* err)
{
  int n = s->na;
  double* w = mvm_xcalloc((size_t)n + 1, sizeof(double), err);
  int* stack = mvm_xcalloc((size_t)n + 1, sizeof(int), err);
  int* pos = mvm_xcalloc((size_t)n + 1, sizeof(int), err);
  unsigned char* state = mvm_xcalloc((size_t)n + 1, 1, err);
  if (!w || !stack || !pos || !state) {
    free(w);
    w = NULL;
    goto out;
  }
  for (int r = 0; r < n; r++) {
    if (state[r])
      continue;
    int top = 0;
    stack[top++] = r;
    state[r] = 1;
    while (top) {
      int x = stack[top - 1];
      const act* a = &s->a[x];
      if (pos[x] < a->nsucc) {
        int y = s->succ[a->succ_first + pos[x]++];
        if (!state[y]) {
          state[y] = 1;
          stack[top++] = y;
        }
        continue;
      }
      double sum = a->kind == A_MIG ? 1 : 0;
      for (int k = 0; k < a->nsucc; k++) {
        int y = s->succ[a->succ_first + k];
        sum += w[y];
        if (s->a[y].kind == A_MIG && s->a[y].sync >= 0)
          sum += s->group_size[s->a[y].sync] - 1;
      }
      w[x] = sum > 0 ? sum : 1;
      state[x] = 2;
      top--;
    }
  }
out:
  free(stack);
  free(pos);
  free(state);
  return w;
}

static void explain_deadlock(solver* s)
{
  const mvm_scenario* sc = s->sc;
  mvm_err_set(s->err, MVM_EINFEASIBLE, "%s: infeasible: no action can start at t=%.3f s:", sc->path, s->now);
  int shown = 0;
  for (int i = 0; i < s->na && shown < 6; i++) {
    act* a = &s->a[i];
    if (a->state != S_PARKED && a->state != S_HELD)
      continue;
    const char* subj = a->kind == A_MIG ? sc->vms[a->ref].id : sc->nodes[a->ref].host;
    const char* what = a->kind == A_MIG ? "migration of vm" : a->kind == A_BOOT ? "boot of node" : "shutdown of node";
    if (a->state == S_HELD) {
      mvm_err_append(s->err, "\n  %s '%s' waits for the rest of its sync group", what, subj);
      shown++;
      continue;
    }
    const res* r = &s->r[a->parked_on];
    switch (r->kind) {
    case R_POWER:
      mvm_err_append(s->err, "\n  %s '%s' needs more power than power-budget (line %d) of %.1f W leaves (draw %.1f W)",
                     what, subj, sc->constraints[r->ref].line, r->cap, s->power);
      break;
    case R_MEM:
    case R_CORES:
      mvm_err_append(s->err, "\n  %s '%s' does not fit in the %s of node '%s' (%s)", what, subj,
                     r->kind == R_MEM ? "memory" : "cores", sc->nodes[r->ref].host,
                     "its VMs cannot leave before it fills: a cycle or swap of VMs");
      break;
    case R_OPEN:
      mvm_err_append(s->err, "\n  %s '%s' waits until fewer than %d booted nodes wait for VMs", what, subj, s->max_open);
      break;
    case R_SERIAL:
      mvm_err_append(s->err, "\n  %s '%s' is serialized (line %d)", what, subj, sc->constraints[r->ref].line);
      break;
    default:
      mvm_err_append(s->err, "\n  %s '%s' waits for %s", what, subj, r->kind == R_ELEM ? s->nv->elems[r->ref].name : "a slot");
    }
    shown++;
  }
  for (int i = 0; i < s->na && !shown; i++)
    if (s->a[i].state == S_WAIT) {
      mvm_err_append(s->err, "\n  actions wait for predecessors that never end");
      shown++;
    }
}

static int check_deadlines(solver* s)
{
  const mvm_scenario* sc = s->sc;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_DEADLINE)
      continue;
    for (size_t i = 0; i < k->nvms; i++) {
      const act* a = &s->a[s->mig_of_vm[k->vms[i]]];
      if (a->end <= k->at + 1e-6)
        continue;
      mvm_err_set(s->err, MVM_EINFEASIBLE, "%s:%d: deadline: vm '%s' cannot end by %.3f s (planned end %.3f s", sc->path,
                  k->line, sc->vms[k->vms[i]].id, k->at, a->end);
      double alone = a->dur_full;
      const mvm_vm* vm = &sc->vms[k->vms[i]];
      if (s->boot_of[vm->to] >= 0)
        alone += sc->defaults.boot;
      if (alone > k->at)
        mvm_err_append(s->err, "; alone on the network it would take %.3f s)", alone);
      else {
        mvm_err_append(s->err, ") because of");
        int any = 0, v = k->vms[i];
        for (size_t j = 0; j < sc->nconstraints; j++) {
          const mvm_constraint* o = &sc->constraints[j];
          int involved = o->kind == MVM_C_POWER && o->from <= a->start + 1e-9 &&
                         (a->parked_kinds & (1 << R_POWER));
          for (size_t m = 0; m < o->nvms && !involved; m++)
            involved = o->vms[m] == v && (o->kind == MVM_C_SERIALIZE || o->kind == MVM_C_PRECEDENCE ||
                                          o->kind == MVM_C_SYNC);
          if (j != c && involved) {
            mvm_err_append(s->err, "%s %s (line %d)", any ? "," : "",
                           o->kind == MVM_C_POWER ? "power-budget" : o->kind == MVM_C_SERIALIZE ? "serialize"
                           : o->kind == MVM_C_PRECEDENCE ? "precedence" : "sync",
                           o->line);
            any = 1;
          }
        }
        /* the busiest shared element of its route before it started */
        const mvm_route* rt = &s->nv->routes[v];
        int best_e = -1, best_n = 0;
        for (size_t e = 0; s->use_network && (a->parked_kinds & (1 << R_ELEM)) && e < rt->count; e++) {
          int el = s->nv->route_elems[rt->first + e];
          if (s->elem_res[el] < 0)
            continue;
          int n = 0;
          for (size_t w = 0; w < sc->nvms; w++) {
            int ow = s->mig_of_vm[w];
            if ((int)w == v || ow < 0 || s->a[ow].start >= a->start + 1e-9)
              continue;
            const mvm_route* r2 = &s->nv->routes[w];
            for (size_t f = 0; f < r2->count; f++)
              n += (int)s->nv->route_elems[r2->first + f] == el;
          }
          if (n > best_n) {
            best_n = n;
            best_e = el;
          }
        }
        if (best_e >= 0)
          mvm_err_append(s->err, "%s the capacity of %s (%d migration%s crossed it first)", any ? "," : "",
                         s->nv->elems[best_e].name, best_n, best_n > 1 ? "s" : "");
        else if (!any)
          mvm_err_append(s->err, " the network's capacity");
      }
      return MVM_EINFEASIBLE;
    }
  }
  return 0;
}

static void solver_free(solver* s)
{
  for (int i = 0; i < s->nr; i++)
    iheap_free(&s->r[i].watch);
  for (int g = 0; g < s->ngroups; g++)
    if (s->groups)
      free(s->groups[g]);
  free(s->groups);
  free(s->group_size);
  free(s->group_ready);
  free(s->a);
  free(s->prio);
  free(s->endkey);
  free(s->succ);
  free(s->r);
  free(s->elem_res);
  free(s->node_mem);
  free(s->node_cores);
  free(s->boot_of);
  free(s->ser_first);
  free(s->ser);
  free(s->power_res);
  free(s->mig_of_vm);
  free(s->pending_in);
  free(s->wfirst);
  free(s->wts);
  free(s->receiving);
  free(s->open_counted);
  iheap_free(&s->ready);
  iheap_free(&s->running);
  iheap_free(&s->timers);
}

mvm_solver_opts mvm_solver_defaults(void)
{
  mvm_solver_opts o = {.kind = MVM_SCHED_MVM, .cap_k = 0, .objective = MVM_OBJ_SUM, .levels = 1, .search = -1};
  return o;
}

int mvm_solver_parse(const char* name, mvm_solver_opts* o, mvm_error* err)
{
  if (strcmp(name, "mvm") == 0) {
    o->kind = MVM_SCHED_MVM;
    return 0;
  }
  if (strcmp(name, "btrplace") == 0) {
    o->kind = MVM_SCHED_BTRPLACE;
    return 0;
  }
  if (strncmp(name, "cap-", 4) == 0) {
    char* end;
    long k = strtol(name + 4, &end, 10);
    if (*end == '\0' && k >= 1 && k <= 1000000) {
      o->kind = MVM_SCHED_CAP;
      o->cap_k = (int)k;
      return 0;
    }
  }
  return mvm_err_set(err, MVM_EINPUT, "unknown scheduler '%s' (mvm, btrplace or cap-K with K >= 1)", name);
}

int mvm_objective_parse(const char* name, mvm_objective* obj, mvm_error* err)
{
  if (strcmp(name, "sum") == 0)
    *obj = MVM_OBJ_SUM;
  else if (strcmp(name, "makespan") == 0)
    *obj = MVM_OBJ_MAKESPAN;
  else if (strcmp(name, "energy") == 0)
    *obj = MVM_OBJ_ENERGY;
  else
    return mvm_err_set(err, MVM_EINPUT, "unknown objective '%s' (sum, makespan or energy)", name);
  return 0;
}

/* Energy objective: boot each node just in time for its first incoming migration when
 * the power budget allows (idle power is not drawn while waiting). */
static void boots_just_in_time(solver* s)
{
  const mvm_scenario* sc = s->sc;
  if (s->npower > 0) /* the boot's overhead would move later: allowed only without a budget */
    return;
  for (size_t n = 0; n < sc->nnodes; n++) {
    int b = s->boot_of[n];
    if (b < 0)
      continue;
    /* a boot's successors are the migrations into its node (see build) */
    double first = INFINITY;
    for (int k = 0; k < s->a[b].nsucc; k++)
      first = fmin(first, s->a[s->succ[s->a[b].succ_first + k]].start);
    if (!isfinite(first) || first - sc->defaults.boot <= s->a[b].start)
      continue;
    s->a[b].start = first - sc->defaults.boot;
    s->a[b].end = first;
  }
}

/* One schedule generation. *setup_failed tells an error of the scenario itself (found
 * while building, the same for every variant) from one of this variant's schedule. */
/* A variant of the schedule generation: the portfolio's rule, limit and switches, and for
 * the search the priorities and release times to use instead of the rule's (NULL: the
 * rule's). The priorities used and the start of every action are copied out when asked
 * (arrays of one entry per action, in build()'s order). */
typedef struct variant {
  int max_open, rule, open_idle, boots_last, ack_reserve;
  const double* prio_in;
  const double* release;
  double* prio_out;
  double* start_out;
} variant;

static int solve_once(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, const variant* v,
                      mvm_plan** out, int* setup_failed, mvm_error* err)
{
  *setup_failed = 0;
  *out = NULL;
  solver s;
  memset(&s, 0, sizeof s);
  s.sc = sc;
  s.nv = nv;
  s.o = *o;
  s.max_open = v->max_open;
  s.rule = v->rule;
  s.open_idle = v->open_idle;
  s.boots_last = v->boots_last;
  s.ack_reserve = v->ack_reserve;
  if (s.o.kind != MVM_SCHED_MVM)
    s.o.levels = 0;
  s.err = err;
  s.use_network = o->kind == MVM_SCHED_MVM;
  s.release = v->release;
  int rc = build(&s);
  if (rc) {
    solver_free(&s);
    *setup_failed = 1;
    return rc;
  }
  if (v->prio_in)
    memcpy(s.prio, v->prio_in, (size_t)s.na * sizeof(double));
  if (v->prio_out)
    memcpy(v->prio_out, s.prio, (size_t)s.na * sizeof(double));
  for (int i = 0; i < s.na && !rc; i++)
    if (s.a[i].npred == 0) {
      s.a[i].state = S_READY;
      rc = iheap_push(&s.ready, s.prio, i) ? MVM_ENOMEM : 0;
    }
  int done = 0;
  while (!rc) {
    if (process_ready(&s)) {
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
      break;
    }
    if (!s.running.n && !s.timers.n)
      break;
    s.now = s.running.n ? s.endkey[s.running.a[0]] : INFINITY;
    if (s.timers.n && s.release[s.timers.a[0]] < s.now)
      s.now = s.release[s.timers.a[0]];
    while (!rc && s.timers.n && s.release[s.timers.a[0]] <= s.now)
      if (iheap_push(&s.ready, s.prio, iheap_pop(&s.timers, s.release)))
        rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    while (!rc && s.running.n && s.endkey[s.running.a[0]] <= s.now) {
      int ai = iheap_pop(&s.running, s.endkey);
      done++;
      if (finish(&s, ai))
        rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    }
  }
  if (!rc && done < s.na) {
    explain_deadlock(&s);
    rc = MVM_EINFEASIBLE;
  }
  if (!rc)
    rc = check_deadlines(&s);
  if (!rc && o->objective == MVM_OBJ_ENERGY)
    boots_just_in_time(&s);
  if (!rc && v->start_out)
    for (int i = 0; i < s.na; i++)
      v->start_out[i] = s.a[i].start;
  mvm_plan* p = NULL;
  if (!rc && !(p = mvm_plan_new(err)))
    rc = MVM_ENOMEM;
  for (int i = 0; i < s.na && !rc; i++) {
    const act* a = &s.a[i];
    if (a->kind == A_MIG) {
      const mvm_vm* vm = &sc->vms[a->ref];
      rc = mvm_plan_add(p, MVM_ACT_MIGRATE, vm->id, sc->nodes[vm->from].host, sc->nodes[vm->to].host, a->start,
                        a->end, a->rate * 8 / 1e6, err);
    } else {
      const char* h = sc->nodes[a->ref].host;
      rc = mvm_plan_add(p, a->kind == A_BOOT ? MVM_ACT_BOOT : MVM_ACT_SHUTDOWN, h, h, h, a->start, a->end, 0, err);
    }
  }
  solver_free(&s);
  if (rc) {
    mvm_plan_free(p);
    return rc;
  }
  const char* names[] = {"mvm", "btrplace", "cap"};
  char name[64];
  if (o->kind == MVM_SCHED_CAP)
    snprintf(name, sizeof name, "cap-%d", o->cap_k);
  else
    snprintf(name, sizeof name, "%s", names[o->kind]);
  p->scheduler = strdup(name);
  mvm_plan_normalize(p);
  p->objective = mvm_plan_sum_ends(p);
  *out = p;
  return 0;
}

/* The value a plan is judged by, for the scenario's objective. */
static int plan_value(const mvm_scenario* sc, const mvm_plan* p, mvm_objective obj, double* v, mvm_error* err)
{
  if (obj == MVM_OBJ_SUM) {
    *v = p->objective;
    return 0;
  }
  if (obj == MVM_OBJ_MAKESPAN) {
    *v = 0;
    for (size_t i = 0; i < p->nactions; i++)
      *v = fmax(*v, p->actions[i].end);
    return 0;
  }
  mvm_power_step* st;
  size_t n;
  int rc = mvm_plan_power(sc, p, &st, &n, v, err);
  free(st);
  return rc;
}

/* Runs variant v and values its plan for the objective: 0 with *p and *val set, the
 * variant's error (its plan infeasible or the scenario at fault, see *setup_failed), or
 * MVM_ENOMEM. Errors go to err. */
static int run_variant(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, const variant* v,
                       mvm_plan** p, double* val, int* setup_failed, mvm_error* err)
{
  int rc = solve_once(sc, nv, o, v, p, setup_failed, err);
  if (!rc && (rc = plan_value(sc, *p, o->objective, val, err))) {
    mvm_plan_free(*p);
    *p = NULL;
  }
  return rc;
}

/* ---------- local search over the list scheduler's decisions ----------
 *
 * The portfolio's best plan is the start. Each step changes one decision of the schedule
 * generation and runs it again: the priorities of two migrations (swap), a migration moved
 * just before another, the migrations of one source moved ahead (so it empties and shuts
 * down sooner), a boot's priority set among the migrations' (so it no longer takes every
 * watt freed first), or a boot's release time (just in time for its first arrival, or
 * later, or as soon as possible). A change is kept when the plan is as good or better
 * (sideways moves let the search cross plateaus); the best plan seen is returned. Its own
 * xorshift generator with a fixed seed: the same scenario gives the same plan. */

typedef struct search_ctx {
  int na, nmig, nboot;
  int* mig_src;  /* migration index -> source node */
  int* mig_dst;  /* migration index -> destination node */
  int* boot_node;/* boot k (action nmig + k) -> node */
} search_ctx;

static uint64_t xs_next(uint64_t* x)
{
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

static double xs_unit(uint64_t* x) { return (double)(xs_next(x) >> 11) * (1.0 / 9007199254740992.0); }

static void search_move(const search_ctx* c, const mvm_scenario* sc, uint64_t* rng, double* prio, double* rel,
                        const double* start)
{
  int nm = c->nmig, nb = c->nboot;
  if (nm < 1 || (nm < 2 && nb < 1))
    return; /* nothing to change */
  int kind = (int)(xs_next(rng) % (nb ? 5u : 3u));
  if (nm < 2 && kind < 3)
    kind = 3 + (int)(xs_next(rng) % 2u);
  double span = 0;
  for (int i = 0; i < nm; i++)
    span = fmax(span, fabs(prio[i]));
  switch (kind) {
  case 0: { /* swap two migrations */
    int i = (int)(xs_next(rng) % (uint64_t)nm), j = (int)(xs_next(rng) % (uint64_t)nm);
    double t = prio[i];
    prio[i] = prio[j];
    prio[j] = t;
    break;
  }
  case 1: { /* migration i just before migration j */
    int i = (int)(xs_next(rng) % (uint64_t)nm), j = (int)(xs_next(rng) % (uint64_t)nm);
    prio[i] = prio[j] - 1e-9 * (1 + fabs(prio[j]));
    break;
  }
  case 2: { /* the migrations of one source ahead by a random amount */
    int i = (int)(xs_next(rng) % (uint64_t)nm);
    double shift = xs_unit(rng) * (span + 1);
    for (int k = 0; k < nm; k++)
      if (c->mig_src[k] == c->mig_src[i])
        prio[k] -= shift;
    break;
  }
  case 3: { /* a boot's priority among the migrations', or first again */
    int b = nm + (int)(xs_next(rng) % (uint64_t)nb);
    prio[b] = xs_next(rng) % 4u == 0 ? -2e12 : prio[xs_next(rng) % (uint64_t)nm] - 1e-9;
    break;
  }
  default: { /* a boot's release time */
    int k = (int)(xs_next(rng) % (uint64_t)nb), b = nm + k;
    double first = INFINITY;
    for (int i = 0; i < nm; i++)
      if (c->mig_dst[i] == c->boot_node[k])
        first = fmin(first, start[i]);
    unsigned what = (unsigned)(xs_next(rng) % 3u);
    if (what == 0)
      rel[b] = 0;
    else if (what == 1 && isfinite(first))
      rel[b] = fmax(0, first - sc->defaults.boot);
    else
      rel[b] = start[b] + xs_unit(rng) * sc->defaults.boot;
    break;
  }
  }
}

/* Runs the search from variant v0 (whose plan is worth v0_value) for `budget` schedule
 * generations; replaces *best (worth *best_v) when it finds better. */
static int local_search(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, const variant* v0,
                        double v0_value, long budget, mvm_plan** best, double* best_v, mvm_error* err)
{
  search_ctx c = {0};
  for (size_t v = 0; v < sc->nvms; v++)
    c.nmig += mvm_vm_moves(&sc->vms[v]);
  for (size_t n = 0; n < sc->nnodes; n++) {
    c.nboot += !sc->nodes[n].initially_on && sc->nodes[n].finally_on;
    c.na += sc->nodes[n].initially_on && !sc->nodes[n].finally_on;
  }
  c.na += c.nmig + c.nboot;
  size_t na = (size_t)c.na + 1;
  double* cur_prio = mvm_xcalloc(na, sizeof(double), err);
  double* cur_rel = mvm_xcalloc(na, sizeof(double), err);
  double* cur_start = mvm_xcalloc(na, sizeof(double), err);
  double* prio = mvm_xcalloc(na, sizeof(double), err);
  double* rel = mvm_xcalloc(na, sizeof(double), err);
  double* start = mvm_xcalloc(na, sizeof(double), err);
  c.mig_src = mvm_xcalloc(na, sizeof(int), err);
  c.mig_dst = mvm_xcalloc(na, sizeof(int), err);
  c.boot_node = mvm_xcalloc(na, sizeof(int), err);
  int rc = 0;
  if (!cur_prio || !cur_rel || !cur_start || !prio || !rel || !start || !c.mig_src || !c.mig_dst || !c.boot_node) {
    rc = MVM_ENOMEM;
    goto out;
  }
  /* the action layout of build(): migrations in VM order, then boots in node order */
  for (size_t v = 0, i = 0; v < sc->nvms; v++)
    if (mvm_vm_moves(&sc->vms[v])) {
      c.mig_src[i] = sc->vms[v].from;
      c.mig_dst[i++] = sc->vms[v].to;
    }
  for (size_t n = 0, k = 0; n < sc->nnodes; n++)
    if (!sc->nodes[n].initially_on && sc->nodes[n].finally_on)
      c.boot_node[k++] = (int)n;
  {
    variant v = *v0;
    v.prio_out = cur_prio;
    v.start_out = cur_start;
    mvm_plan* p;
    int setup_failed;
    if ((rc = solve_once(sc, nv, o, &v, &p, &setup_failed, err)))
      goto out;
    mvm_plan_free(p);
  }
  double cur_v = v0_value;
  uint64_t rng = 0x9E3779B97F4A7C15ULL;
  mvm_error scratch;
  for (long it = 0; it < budget; it++) {
    memcpy(prio, cur_prio, na * sizeof(double));
    memcpy(rel, cur_rel, na * sizeof(double));
    search_move(&c, sc, &rng, prio, rel, cur_start);
    variant v = {.max_open = v0->max_open, .rule = v0->rule, .open_idle = v0->open_idle,
                 .boots_last = v0->boots_last, .ack_reserve = v0->ack_reserve, .prio_in = prio,
                 .release = rel, .start_out = start};
    mvm_plan* p;
    int setup_failed;
    double val;
    int r = run_variant(sc, nv, o, &v, &p, &val, &setup_failed, &scratch);
    if (r == MVM_ENOMEM) {
      rc = r;
      *err = scratch;
      goto out;
    }
    if (r)
      continue;
    if (val <= cur_v * (1 + 1e-12)) {
      cur_v = val;
      double* t;
      t = cur_prio, cur_prio = prio, prio = t;
      t = cur_rel, cur_rel = rel, rel = t;
      t = cur_start, cur_start = start, start = t;
    }
    if (val < *best_v * (1 - 1e-9)) {
      mvm_plan_free(*best);
      *best = p;
      *best_v = val;
    } else
      mvm_plan_free(p);
  }
out:
  free(cur_prio);
  free(cur_rel);
  free(cur_start);
  free(prio);
  free(rel);
  free(start);
  free(c.mig_src);
  free(c.mig_dst);
  free(c.boot_node);
  return rc;
}

/* Constraints that contradict each other whatever the durations: two migrations that must
 * end together (sync, transitively) but may not overlap (serialize) or must follow one
 * another (precedence). Returns MVM_EINFEASIBLE naming both constraints and their lines,
 * MVM_ENOMEM, or 0. */
static int uf_find(int* up, int v)
{
  while (up[v] != v)
    v = up[v] = up[up[v]];
  return v;
}

static int check_contradictions(const mvm_scenario* sc, mvm_error* err)
{
  int nsync = 0;
  for (size_t c = 0; c < sc->nconstraints; c++)
    nsync += sc->constraints[c].kind == MVM_C_SYNC;
  if (!nsync)
    return 0;
  int* up = mvm_xcalloc(sc->nvms + 1, sizeof(int), err);
  int* line_of = mvm_xcalloc(sc->nvms + 1, sizeof(int), err);
  if (!up || !line_of) {
    free(up);
    free(line_of);
    return MVM_ENOMEM;
  }
  for (size_t v = 0; v < sc->nvms; v++)
    up[v] = (int)v;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SYNC)
      continue;
    for (size_t i = 0; i < k->nvms; i++) {
      line_of[k->vms[i]] = k->line;
      if (i)
        up[uf_find(up, k->vms[i])] = uf_find(up, k->vms[0]);
    }
  }
  int rc = 0;
  for (size_t c = 0; c < sc->nconstraints && !rc; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SERIALIZE && k->kind != MVM_C_PRECEDENCE)
      continue;
    for (size_t i = 0; i < k->nvms && !rc; i++)
      for (size_t j = i + 1; j < k->nvms && !rc; j++) {
        int a = k->vms[i], b = k->vms[j];
        if (a == b || uf_find(up, a) != uf_find(up, b))
          continue;
        rc = mvm_err_set(err, MVM_EINFEASIBLE,
                         "%s:%d: %s: vm '%s' and vm '%s' must end together (sync, line %d), so they "
                         "cannot %s",
                         sc->path, k->line, k->kind == MVM_C_SERIALIZE ? "serialize" : "precedence",
                         sc->vms[a].id, sc->vms[b].id, line_of[a],
                         k->kind == MVM_C_SERIALIZE ? "run one after the other" : "follow one another");
      }
  }
  free(up);
  free(line_of);
  return rc;
}

/* The mvm scheduler runs a small portfolio of schedule generations and keeps the best plan
 * for the objective (ties: the first, so the result is deterministic): priority rules 0-2
 * (3 with precedences, 4 with power budgets), and, when nodes boot under a power budget
 * or for the energy objective, limits on how many booted nodes may wait for their VMs at
 * once (all, then fewer... one), counting either every node with VMs still to come or
 * only those receiving none right now, and (with budgets) boots either before or after
 * the ready migrations in priority, so boots follow the migrations instead of taking the
 * budget first. Then a local search (local_search) from the three best variants, with
 * an automatic budget where the portfolio is weak: power budgets, the energy objective,
 * small scenarios. The first variant's error is reported if none is feasible. */
int mvm_solve(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, mvm_plan** out,
              mvm_error* err)
{
  *out = NULL;
  int setup_failed;
  int rc0 = check_contradictions(sc, err);
  if (rc0)
    return rc0;
  if (o->kind != MVM_SCHED_MVM)
    return solve_once(sc, nv, o, &(variant){0}, out, &setup_failed, err);
  int nboot = 0, npower = 0;
  for (size_t n = 0; n < sc->nnodes; n++)
    nboot += !sc->nodes[n].initially_on && sc->nodes[n].finally_on;
  for (size_t c = 0; c < sc->nconstraints; c++)
    npower += sc->constraints[c].kind == MVM_C_POWER;
  int limits[40], nl = 0;
  limits[nl++] = 0;
  if (nboot > 1 && (npower > 0 || o->objective == MVM_OBJ_ENERGY)) {
    if (nboot <= 16)
      for (int b = nboot - 1; b >= 1; b--)
        limits[nl++] = b;
    else
      for (int b = nboot / 2; b >= 1 && nl < 40; b = b > 1 ? b / 2 : 0)
        limits[nl++] = b;
  }
  mvm_plan* best = NULL;
  double best_v = INFINITY;
  variant top_var[3];
  double top_v[3];
  int ntop = 0;
  int first_rc = 0;
  mvm_error scratch;
  /* rule 3 only differs from rule 0 with precedences; rule 4 is for power budgets, where
   * the order in which sources empty (and shut down) matters most */
  int use_rule[5] = {1, 1, 1, 0, npower > 0};
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_PRECEDENCE)
      use_rule[3] = 1;
  /* with acknowledgements, the same plans again with room left for them (when some element
   * carries both a migration's data and another's acknowledgements) */
  int overlap = 0;
  if (nv->ack_factor > 0) {
    int* users = mvm_ack_users(nv, sc);
    if (!users)
      return mvm_err_set(err, MVM_ENOMEM, "out of memory");
    for (size_t v = 0; v < sc->nvms && !overlap; v++)
      for (size_t k = 0; mvm_vm_moves(&sc->vms[v]) && k < nv->routes[v].count; k++) {
        int e = nv->route_elems[nv->routes[v].first + k];
        overlap |= users[e] > 0 && nv->elems[e].shared;
      }
    free(users);
  }
  for (int li = 0; li < nl; li++)
    for (int rv = 0; rv < 40; rv++) {
      int rule = rv % 5, idle = rv / 5 % 2, last = rv / 10 % 2, ackr = rv / 20;
      if (!use_rule[rule] || (idle && limits[li] == 0) || (last && !(npower > 0 && nboot > 0)) || (ackr && !overlap))
        continue;
      mvm_plan* p;
      int first = li == 0 && rv == 0; /* the plain variant: its errors are the scenario's */
      variant var = {.max_open = limits[li], .rule = rule, .open_idle = idle, .boots_last = last, .ack_reserve = ackr};
      double v;
      int rc = run_variant(sc, nv, o, &var, &p, &v, &setup_failed, first ? err : &scratch);
      if (first)
        first_rc = rc;
      if (first && setup_failed)
        return rc; /* every variant would fail the same way */
      if (rc == MVM_ENOMEM) {
        mvm_plan_free(best);
        if (!first)
          *err = scratch;
        return rc;
      }
      if (rc)
        continue;
      /* the three best distinct variants seed the search */
      int pos = ntop;
      while (pos > 0 && v < top_v[pos - 1] * (1 - 1e-9))
        pos--;
      if (pos < 3 && !(pos > 0 && v <= top_v[pos - 1] * (1 + 1e-9))) {
        for (int k = ntop < 3 ? ntop : 2; k > pos; k--) {
          top_v[k] = top_v[k - 1];
          top_var[k] = top_var[k - 1];
        }
        top_v[pos] = v;
        top_var[pos] = var;
        ntop += ntop < 3;
      }
      if (v < best_v * (1 - 1e-12)) {
        mvm_plan_free(best);
        best = p;
        best_v = v;
      } else
        mvm_plan_free(p);
    }
  if (!best)
    return first_rc;
  /* automatic search budget: where the portfolio is weak (power budgets, the energy
   * objective) or the scenario is small, about 3e5 actions scheduled in all */
  long na = (long)sc->nvms + (long)sc->nnodes + 1;
  long budget = o->search;
  if (budget < 0)
    budget = (npower > 0 || o->objective == MVM_OBJ_ENERGY || na <= 64) ? 300000 / na : 0;
  if (budget > 2000 && o->search < 0)
    budget = 2000;
  int nmig = 0;
  for (size_t v = 0; v < sc->nvms; v++)
    nmig += mvm_vm_moves(&sc->vms[v]);
  for (int k = 0; k < ntop && budget / ntop > 0 && (nmig > 1 || (nmig == 1 && nboot > 0)); k++) {
    int rc = local_search(sc, nv, o, &top_var[k], top_v[k], budget / ntop, &best, &best_v, err);
    if (rc) {
      mvm_plan_free(best);
      return rc;
    }
  }
  *out = best;
  return 0;
}
