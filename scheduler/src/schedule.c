/* The schedule generation: an event-driven (parallel) list scheduler over cumulative
 * resources. See mvm/solver.h for the method, schedule.h for the interface, and
 * schedule_impl.h for the state and its invariants; the set-up (resources, actions,
 * precedences, priorities) is in schedule_setup.c. */
#include "mvm/energy.h"
#include "mvm/power.h"
#include "schedule_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- durations ---------- */

/* Predicted power of a migration (W) while it sends: Liu's energy spread over its transfer (its
 * duration but the set-up, mvm_plan_power). The budget is checked with it over the whole
 * migration, which is on the safe side during the set-up. */
static double mig_power(const mvm__gen* s, double rate, double dur)
{
  const mvm_defaults* d = &s->sc->defaults;
  double tr = dur > d->mig_setup ? dur - d->mig_setup : dur;
  return mvm_migration_power(d->mig_alpha, d->mig_beta, rate / 1e6, tr);
}

/* ---------- resources ---------- */

/* Whether r can take `add` more (within the relative tolerance). */
static int fits(const mvm__res* r, double add) { return r->used + add <= r->cap * (1 + MVM__EPS_REL) + 1e-12; }

/* Amount an action needs on a resource at its start (for waking watchers). */
static double need_on(const mvm__gen* s, int ai, const mvm__res* r)
{
  const mvm__act* a = &s->a[ai];
  switch (r->kind) {
  case MVM__R_ELEM:
    return a->rate_min * (s->nv->ack_factor > 0 ? mvm_route_load(s->nv, (size_t)a->ref, r->ref) : 1);
  case MVM__R_POWER:
    if (a->kind == MVM__A_BOOT)
      return s->sc->defaults.node_idle * (1 + s->sc->defaults.boot_overhead);
    return mig_power(s, a->rate_min, a->dur_full);
  case MVM__R_MEM:
    return s->sc->vms[a->ref].memory;
  case MVM__R_CORES:
    return s->sc->vms[a->ref].cores;
  default:
    return 1;
  }
}

/* Power-budget check for an action drawing `add` W over [t, t + dur). */
static int power_block(const mvm__gen* s, double t, double dur, double add)
{
  for (int k = 0; k < s->npower; k++) {
    const mvm__res* r = &s->r[s->power_res[k]];
    if (t + dur > r->from && t < r->to && s->power + add > r->cap * (1 + MVM__EPS_REL) + 1e-9)
      return s->power_res[k];
  }
  return -1;
}

/* Resource blocking a migration at rate `rate` now, or -1 if it fits. */
static int mig_block(const mvm__gen* s, int ai, double rate, double dur)
{
  const mvm__act* a = &s->a[ai];
  const mvm_vm* vm = &s->sc->vms[a->ref];
  if (s->use_network) {
    const mvm_route* rt = &s->nv->routes[a->ref];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int el = mvm__loaded_elem(s->nv, rt, k);
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
static void mig_hold(mvm__gen* s, int ai, int sign)
{
  mvm__act* a = &s->a[ai];
  if (s->use_network) {
    const mvm_route* rt = &s->nv->routes[a->ref];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int ri = s->elem_res[mvm__loaded_elem(s->nv, rt, k)];
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
static void mig_take_destination(mvm__gen* s, int ai, int sign)
{
  const mvm_vm* vm = &s->sc->vms[s->a[ai].ref];
  int m = s->node_mem[vm->to], c = s->node_cores[vm->to];
  if (m >= 0)
    s->r[m].used += sign * vm->memory;
  if (c >= 0)
    s->r[c].used += sign * vm->cores;
}

/* ---------- waking watchers ---------- */

static int wake(mvm__gen* s, int ri);

/* The open set (variant max_open): booted nodes that still wait for migrations. With
 * open_idle, only those receiving none right now: a node that receives is in use. */
static void open_count(mvm__gen* s, int n, int in)
{
  if (s->open_counted[n] != in) {
    s->open_counted[n] = (char)in;
    s->r[s->open_res].used += in ? 1 : -1;
  }
}

/* A migration into a booted node has started: the node may leave the open set. */
static int arrived(mvm__gen* s, int ai)
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
static void departed(mvm__gen* s, int ai)
{
  int n = s->sc->vms[s->a[ai].ref].to;
  if (s->open_res < 0 || s->boot_of[n] < 0)
    return;
  s->receiving[n]--;
  if (s->open_idle && s->receiving[n] == 0 && s->pending_in[n] > 0)
    open_count(s, n, 1);
}

/* Moves the actions parked on resource ri that now fit (in priority order, counting what
 * the earlier ones will take) to the ready heap. Returns 0, or -1 if out of memory. */
static int wake(mvm__gen* s, int ri)
{
  mvm__res* r = &s->r[ri];
  double promised = 0;
  while (r->watch.n) {
    int top = r->watch.a[0];
    double need = need_on(s, top, r);
    if (r->kind == MVM__R_POWER) {
      if (s->power + promised + need > r->cap * (1 + MVM__EPS_REL) + 1e-9)
        break;
    } else if (!fits(r, promised + need))
      break;
    iheap_pop(&r->watch, s->prio);
    promised += need;
    s->a[top].state = MVM__S_READY;
    if (iheap_push(&s->ready, s->prio, top))
      return -1;
  }
  return 0;
}

/* wake() on every power budget. Returns 0, or -1 if out of memory. */
static int wake_power(mvm__gen* s)
{
  for (int k = 0; k < s->npower; k++)
    if (wake(s, s->power_res[k]))
      return -1;
  return 0;
}

/* Parks action ai on resource ri, which blocks it. Returns 0, or -1 if out of memory. */
static int park(mvm__gen* s, int ai, int ri)
{
  s->a[ai].state = MVM__S_PARKED;
  s->a[ai].parked_on = ri;
  s->a[ai].parked_kinds |= 1 << s->r[ri].kind;
  return iheap_push(&s->r[ri].watch, s->prio, ai);
}

/* ---------- starting and finishing ---------- */

/* Starts action ai now at `rate` for `dur` drawing `power`: takes its resources. Returns
 * 0, or -1 if out of memory. */
static int start(mvm__gen* s, int ai, double rate, double dur, double power)
{
  mvm__act* a = &s->a[ai];
  a->start = s->now;
  a->end = s->now + dur;
  a->rate = rate;
  a->power = power;
  a->state = MVM__S_RUNNING;
  s->endkey[ai] = a->end;
  if (a->kind == MVM__A_MIG) {
    mig_hold(s, ai, +1);
    mig_take_destination(s, ai, +1);
    if (arrived(s, ai))
      return -1;
  } else if (a->kind == MVM__A_BOOT) {
    s->power += power;
    if (s->open_res >= 0 && s->pending_in[a->ref] > 0)
      open_count(s, a->ref, 1);
  }
  return iheap_push(&s->running, s->endkey, ai);
}

/* Ends action ai: releases its resources, wakes their watchers and readies the
 * successors it was the last predecessor of. Returns 0, or -1 if out of memory. */
static int finish(mvm__gen* s, int ai)
{
  mvm__act* a = &s->a[ai];
  a->state = MVM__S_DONE;
  const mvm_defaults* d = &s->sc->defaults;
  if (a->kind == MVM__A_MIG) {
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
        int ri = s->elem_res[mvm__loaded_elem(s->nv, rt, k)];
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
  } else if (a->kind == MVM__A_BOOT)
    s->power -= d->node_idle * d->boot_overhead;
  else
    s->power -= d->node_idle;
  if (wake_power(s))
    return -1;
  for (int k = 0; k < a->nsucc; k++) {
    int b = s->succ[a->succ_first + k];
    if (--s->a[b].npred == 0) {
      s->a[b].state = MVM__S_READY;
      if (iheap_push(&s->ready, s->prio, b))
        return -1;
    }
  }
  return 0;
}

/* Next instant something ends (for the rate-level decision). */
static double next_release(const mvm__gen* s) { return s->running.n ? s->endkey[s->running.a[0]] : INFINITY; }

/* Starts migration ai now at its full rate, or at a lower level (levels on) when the
 * network or a power budget blocks it and that ends sooner than waiting; else parks it on
 * the resource that blocks it. Returns 0, or -1 if out of memory. */
static int try_migration(mvm__gen* s, int ai)
{
  mvm__act* a = &s->a[ai];
  double p = mig_power(s, a->rate_full, a->dur_full);
  int blk = mig_block(s, ai, a->rate_full, a->dur_full);
  if (blk < 0)
    return start(s, ai, a->rate_full, a->dur_full, p);
  if (s->o.levels && (s->r[blk].kind == MVM__R_ELEM || s->r[blk].kind == MVM__R_POWER)) {
    /* the best rate the path offers now */
    double avail = a->rate_full;
    const mvm_route* rt = &s->nv->routes[a->ref];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int el = mvm__loaded_elem(s->nv, rt, k);
      int ri = s->elem_res[el];
      double w = s->wts[s->wfirst[a->ref] + k];
      if (ri >= 0 && w > 0 && (s->r[ri].cap - s->r[ri].used) / w < avail)
        avail = (s->r[ri].cap - s->r[ri].used) / w;
    }
    /* and the power budgets: the fastest rate whose power fits what they leave now
     * (a migration's power grows with its rate; bisection) */
    double head = INFINITY;
    for (int k = 0; k < s->npower; k++) {
      const mvm__res* r = &s->r[s->power_res[k]];
      if (s->now < r->to && r->from < s->now + a->dur_full * 4)
        head = fmin(head, r->cap * (1 - 1e-4) - s->power); /* a margin for the simulation */
    }
    if (avail >= a->rate_min && isfinite(head) && mig_power(s, avail, mvm__mig_duration(s, a->ref, avail)) > head) {
      double lo = a->rate_min, hi = avail;
      if (mig_power(s, lo, mvm__mig_duration(s, a->ref, lo)) > head)
        avail = 0;
      else {
        for (int it = 0; it < 30 && hi - lo > 1e-6 * hi; it++) {
          double mid = 0.5 * (lo + hi);
          if (mig_power(s, mid, mvm__mig_duration(s, a->ref, mid)) <= head)
            lo = mid;
          else
            hi = mid;
        }
        avail = lo;
      }
    }
    if (avail >= a->rate_min) {
      double d = mvm__mig_duration(s, a->ref, avail);
      if (s->now + d < next_release(s) + a->dur_full) {
        double pw = mig_power(s, avail, d);
        if (mig_block(s, ai, avail, d) < 0)
          return start(s, ai, avail, d, pw);
      }
    }
  }
  return park(s, ai, blk);
}

/* A complete sync group: every member starts now and ends with the longest one; else the
 * group parks (on ai) on what blocks a member. Returns 0, or -1 if out of memory. */
/* The rate at which group member x lasts dmax (its full rate if it lasts that long at it),
 * as the plan file will carry it (Mb/s, 6 decimals, rounded up): the bisection may stop at
 * a jump of the model, where the rate read back must give the same duration. */
static double member_rate(const mvm__gen* s, const mvm__act* x, double dmax)
{
  if (!(x->dur_full < dmax) || s->o.kind == MVM_SCHED_BTRPLACE)
    return x->rate_full;
  mvm_precopy_params p;
  mvm_vm_precopy(s->sc, s->nv, (size_t)x->ref, &p);
  double mbps = ceil(mvm_precopy_rate_for(&p, dmax, x->rate_full) * 8 / 1e6 * 1e6) / 1e6;
  return fmin(x->rate_full, mbps * 1e6 / 8);
}

/* Whether the n members of m, at the rates that make them last dmax, fit together in the
 * capacity of every network element (need: one double per resource, scratch). */
static int group_fits(const mvm__gen* s, const int* m, int n, double dmax, double* need)
{
  if (!s->use_network)
    return 1;
  memset(need, 0, (size_t)s->nr * sizeof(double));
  for (int k = 0; k < n; k++) {
    const mvm__act* x = &s->a[m[k]];
    double rate = member_rate(s, x, dmax);
    const mvm_route* rt = &s->nv->routes[x->ref];
    for (size_t j = 0; j < rt->count + rt->ack_count; j++) {
      int ri = s->elem_res[mvm__loaded_elem(s->nv, rt, j)];
      if (ri >= 0)
        need[ri] += rate * s->wts[s->wfirst[x->ref] + j];
    }
  }
  for (int ri = 0; ri < s->nr; ri++)
    if (need[ri] > s->r[ri].cap * (1 + MVM__EPS_REL) + 1e-12)
      return 0;
  return 1;
}

/* The group's duration: its longest member's at its full rate, unless the members then need
 * more than an element can carry even alone (they would never start): then the least of
 * dmax x 2^(j/8), j = 1..80, at which they fit. */
static double group_span(const mvm__gen* s, const int* m, int n, double dmax)
{
  double* need = malloc(((size_t)s->nr + 1) * sizeof(double));
  if (!need || group_fits(s, m, n, dmax, need)) {
    free(need);
    return dmax;
  }
  double d = dmax;
  for (int j = 1; j <= 80; j++) {
    d = dmax * pow(2, j / 8.0);
    if (group_fits(s, m, n, d, need))
      break;
  }
  free(need);
  return d;
}

static int try_group(mvm__gen* s, int ai)
{
  int g = s->a[ai].sync;
  int n = s->group_size[g];
  int* m = s->groups[g];
  double dmax = 0;
  for (int k = 0; k < n; k++)
    if (s->a[m[k]].dur_full > dmax)
      dmax = s->a[m[k]].dur_full;
  if (!s->gspan && (s->gspan = malloc((size_t)s->ngroups * sizeof(double))) != NULL)
    for (int h = 0; h < s->ngroups; h++)
      s->gspan[h] = NAN;
  if (!s->gspan)
    return -1;
  if (isnan(s->gspan[g]))
    s->gspan[g] = group_span(s, m, n, dmax);
  dmax = s->gspan[g];
  int k, blk = -1;
  for (k = 0; k < n; k++) {
    mvm__act* x = &s->a[m[k]];
    double rate = member_rate(s, x, dmax);
    double d = mvm__mig_duration(s, x->ref, rate);
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
    mvm__act* x = &s->a[m[k]];
    x->end = s->now + dmax;
    /* a member whose slower rate does not last exactly dmax (the model's duration need not be
     * continuous in the rate near its never-converges limit) starts later, its rate held from
     * now: the group still ends together and the plan matches the model */
    double d = mvm__mig_duration(s, x->ref, x->rate);
    x->start = isfinite(d) && d < dmax * (1 - 1e-9) ? x->end - d : s->now;
    x->state = MVM__S_RUNNING;
    s->endkey[m[k]] = x->end;
    if (iheap_push(&s->running, s->endkey, m[k]) || arrived(s, m[k]))
      return -1;
  }
  return 0;
}

/* Tries every ready action in priority order (actions before their release time go to
 * the timers). Returns 0, or -1 if out of memory. */
static int process_ready(mvm__gen* s)
{
  const mvm_defaults* d = &s->sc->defaults;
  while (s->ready.n) {
    int ai = iheap_pop(&s->ready, s->prio);
    mvm__act* a = &s->a[ai];
    int rc = 0;
    if (s->release && s->release[ai] > s->now) {
      if (iheap_push(&s->timers, s->release, ai))
        return -1;
      continue;
    }
    if (a->kind == MVM__A_MIG && a->sync >= 0) {
      if (a->state == MVM__S_READY && s->group_ready[a->sync] < s->group_size[a->sync]) {
        /* first time ready: count it; the last member to arrive represents the group */
        if (++s->group_ready[a->sync] < s->group_size[a->sync]) {
          a->state = MVM__S_HELD;
          continue;
        }
      }
      rc = try_group(s, ai);
    } else if (a->kind == MVM__A_MIG)
      rc = try_migration(s, ai);
    else if (a->kind == MVM__A_BOOT) {
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

/* Frees what the set-up and the runs allocated, not s itself. */
static void gen_release(mvm__gen* s)
{
  for (int i = 0; i < s->nr; i++)
    iheap_free(&s->r[i].watch);
  for (int g = 0; g < s->ngroups; g++)
    if (s->groups)
      free(s->groups[g]);
  free(s->groups);
  free(s->group_size);
  free(s->group_ready);
  free(s->gspan);
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

/* Energy objective: boot each node just in time for its first incoming migration when
 * the power budget allows (idle power is not drawn while waiting). */
static void boots_just_in_time(mvm__gen* s)
{
  const mvm_scenario* sc = s->sc;
  if (s->npower > 0) /* the boot's overhead would move later: allowed only without a budget */
    return;
  for (size_t n = 0; n < sc->nnodes; n++) {
    int b = s->boot_of[n];
    if (b < 0)
      continue;
    /* a boot's successors are the migrations into its node (see add_precedences) */
    double first = INFINITY;
    for (int k = 0; k < s->a[b].nsucc; k++)
      first = fmin(first, s->a[s->succ[s->a[b].succ_first + k]].start);
    if (!isfinite(first) || first - sc->defaults.boot <= s->a[b].start)
      continue;
    s->a[b].start = first - sc->defaults.boot;
    s->a[b].end = first;
  }
}

/* ---------- the generator ---------- */

/* The interface functions: contracts in schedule.h. */

int mvm__gen_new(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, const mvm__variant* v,
                 mvm__gen** out, mvm_error* err)
{
  *out = NULL;
  mvm__gen* s = mvm_xcalloc(1, sizeof *s, err);
  if (!s)
    return MVM_ENOMEM;
  s->sc = sc;
  s->nv = nv;
  s->o = *o;
  s->max_open = v->max_open;
  s->rule = v->rule;
  s->open_idle = v->open_idle;
  s->boots_last = v->boots_last;
  s->split = v->split;
  s->even = v->even;
  s->halve_short = v->halve_short;
  s->ack_reserve = v->ack_reserve;
  if (s->o.kind != MVM_SCHED_MVM)
    s->o.levels = 0;
  s->err = err;
  s->use_network = o->kind == MVM_SCHED_MVM;
  int rc = mvm__gen_setup(s);
  if (rc) {
    mvm__gen_free(s);
    return rc;
  }
  *out = s;
  return 0;
}

/* Sets s up again for a new run, as mvm__gen_new left it. Returns 0 or the set-up's error. */
static int gen_reset(mvm__gen* s)
{
  mvm__gen keep = *s;
  s->gspan = NULL; /* the groups' spans depend on the scenario and the variant only: kept */
  gen_release(s);
  memset(s, 0, sizeof *s);
  s->gspan = keep.gspan;
  s->sc = keep.sc;
  s->nv = keep.nv;
  s->o = keep.o;
  s->max_open = keep.max_open;
  s->rule = keep.rule;
  s->open_idle = keep.open_idle;
  s->boots_last = keep.boots_last;
  s->split = keep.split;
  s->even = keep.even;
  s->halve_short = keep.halve_short;
  s->ack_reserve = keep.ack_reserve;
  s->err = keep.err;
  s->use_network = keep.use_network;
  s->ran = 1; /* until a set-up succeeds, every run sets up again */
  return mvm__gen_setup(s);
}

/* The event loop: starts what is ready, then moves to the next end or release, until
 * nothing runs or waits for its release. Returns the number of actions done, -1 if out of
 * memory (err set). */
static int gen_loop(mvm__gen* s)
{
  int rc = 0, done = 0;
  for (int i = 0; i < s->na && !rc; i++)
    if (s->a[i].npred == 0) {
      s->a[i].state = MVM__S_READY;
      rc = iheap_push(&s->ready, s->prio, i) ? -1 : 0;
    }
  while (!rc) {
    if (process_ready(s)) {
      rc = mvm_err_set(s->err, MVM_ENOMEM, "out of memory");
      break;
    }
    if (!s->running.n && !s->timers.n)
      break;
    s->now = s->running.n ? s->endkey[s->running.a[0]] : INFINITY;
    if (s->timers.n && s->release[s->timers.a[0]] < s->now)
      s->now = s->release[s->timers.a[0]];
    while (!rc && s->timers.n && s->release[s->timers.a[0]] <= s->now)
      if (iheap_push(&s->ready, s->prio, iheap_pop(&s->timers, s->release)))
        rc = mvm_err_set(s->err, MVM_ENOMEM, "out of memory");
    while (!rc && s->running.n && s->endkey[s->running.a[0]] <= s->now) {
      int ai = iheap_pop(&s->running, s->endkey);
      done++;
      if (finish(s, ai))
        rc = mvm_err_set(s->err, MVM_ENOMEM, "out of memory");
    }
  }
  return rc ? -1 : done;
}

int mvm__gen_run(mvm__gen* s, const double* prio, const double* release, const unsigned char* halve,
                 mvm_error* err)
{
  s->err = err;
  int rc = s->ran ? gen_reset(s) : 0;
  if (rc)
    return rc;
  s->ran = 1;
  mvm__gen_halve(s, halve);
  s->release = release;
  if (prio)
    memcpy(s->prio, prio, (size_t)s->na * sizeof(double));
  int done = gen_loop(s);
  s->release = NULL; /* the caller's, valid during the call only */
  if (done < 0)
    return MVM_ENOMEM;
  if (done < s->na) {
    mvm__explain_deadlock(s, err);
    return MVM_EINFEASIBLE;
  }
  if ((rc = mvm__check_deadlines(s, err)))
    return rc;
  if (s->o.objective == MVM_OBJ_ENERGY)
    boots_just_in_time(s);
  return 0;
}

int mvm__gen_size(const mvm__gen* s) { return s->na; }

void mvm__gen_action(const mvm__gen* s, int i, mvm_action_kind* kind, int* from, int* to)
{
  const mvm__act* a = &s->a[i];
  if (a->kind == MVM__A_MIG) {
    *kind = MVM_ACT_MIGRATE;
    *from = s->sc->vms[a->ref].from;
    *to = s->sc->vms[a->ref].to;
  } else {
    *kind = a->kind == MVM__A_BOOT ? MVM_ACT_BOOT : MVM_ACT_SHUTDOWN;
    *from = *to = a->ref;
  }
}

const double* mvm__gen_priorities(const mvm__gen* s) { return s->prio; }

int mvm__gen_ref(const mvm__gen* s, int i) { return s->a[i].ref; }

double mvm__gen_start(const mvm__gen* s, int i) { return s->a[i].start; }

int mvm__gen_halved(const mvm__gen* s, int i) { return s->a[i].halved; }

int mvm__gen_plan(const mvm__gen* s, mvm_plan** out, mvm_error* err)
{
  const mvm_scenario* sc = s->sc;
  int rc = 0;
  mvm_plan* p = mvm_plan_new(err);
  *out = NULL;
  if (!p)
    return MVM_ENOMEM;
  for (int i = 0; i < s->na && !rc; i++) {
    const mvm__act* a = &s->a[i];
    if (a->kind == MVM__A_MIG) {
      const mvm_vm* vm = &sc->vms[a->ref];
      rc = mvm_plan_add(p, MVM_ACT_MIGRATE, vm->id, sc->nodes[vm->from].host, sc->nodes[vm->to].host, a->start,
                        a->end, a->rate * 8 / 1e6, err);
    } else {
      const char* h = sc->nodes[a->ref].host;
      rc = mvm_plan_add(p, a->kind == MVM__A_BOOT ? MVM_ACT_BOOT : MVM_ACT_SHUTDOWN, h, h, h, a->start, a->end, 0, err);
    }
  }
  if (rc) {
    mvm_plan_free(p);
    return rc;
  }
  const char* names[] = {"mvm", "btrplace", "cap"};
  char name[64];
  if (s->o.kind == MVM_SCHED_CAP)
    snprintf(name, sizeof name, "cap-%d", s->o.cap_k);
  else
    snprintf(name, sizeof name, "%s", names[s->o.kind]);
  p->scheduler = strdup(name);
  mvm_plan_normalize(p);
  p->objective = mvm_plan_sum_ends(p);
  *out = p;
  return 0;
}

void mvm__gen_free(mvm__gen* s)
{
  if (!s)
    return;
  gen_release(s);
  free(s);
}
