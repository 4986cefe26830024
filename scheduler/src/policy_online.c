/* mvm-online: the mvm scheduler in the loop. It plans with mvm_solve (the offline mvm
 * policy's plan), then executes that plan event by event, and re-plans what is left
 * whenever a migration's measured duration drifts from the model's prediction by more than
 * a threshold (K %, "mvm-online-K", default 5 %): the loop the mVM paper leaves open.
 *
 * Execution: a migration starts when its destination is on, when every migration planned
 * to end before its planned start and conflicting with it (a shared network element, a
 * node, or a scenario constraint between them) has ended, and when its route has its
 * planned rate free; with constraints other than sync in the scenario (budgets, deadlines,
 * precedences, serialize), also not before its planned instant. Unlike the offline replay,
 * it does not wait for unrelated migrations that run late.
 * Learning: after each migration, the factor f that makes the model (hot pages and cold
 * rate x f) give the measured duration; the VMs of the same workload are then predicted
 * with the geometric mean of their factors. A re-plan solves the VMs still waiting, with
 * the nodes as they are now, the constraints among waiting VMs and the budgets shifted to
 * now; running migrations keep their reservations. If the re-plan fails, the old plan
 * goes on. */
#define _GNU_SOURCE /* qsort_r */
#include "policy_ctx.h"

#include "mvm/model.h"
#include "mvm/solver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct online {
  double base;        /* when the current plan starts */
  double *start, *end, *rate; /* per VM, in the current plan (relative to base), start < 0: not in it */
  double* boot_at;    /* per node, < 0: none */
  int* order;         /* waiting VMs by planned start */
  int norder;
  double *logf;       /* per workload (+1: idle): sum of log factors */
  int* nf;
  int strict;         /* constraints other than sync: not before the planned instant */
  int replans;
} online;

static size_t widx(const mvm_scenario* sc, const mvm_vm* vm)
{
  return vm->workload < 0 ? sc->nworkloads : (size_t)vm->workload;
}

/* The scenario as it is now, with the corrected workloads. Its arrays are new (freed by
 * free_sub), its strings the declared scenario's. */
static int make_sub(mvm_policy_ctx* ctx, const online* s, mvm_scenario* sub)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  double now = mvm_pol_now(ctx);
  *sub = *sc;
  sub->vms = calloc(sc->nvms + 1, sizeof *sub->vms);
  sub->nodes = calloc(sc->nnodes + 1, sizeof *sub->nodes);
  sub->workloads = calloc(sc->nworkloads + 2, sizeof *sub->workloads);
  sub->constraints = calloc(sc->nconstraints + 1, sizeof *sub->constraints);
  if (!sub->vms || !sub->nodes || !sub->workloads || !sub->constraints)
    return -1;
  memcpy(sub->vms, sc->vms, sc->nvms * sizeof *sc->vms);
  memcpy(sub->nodes, sc->nodes, sc->nnodes * sizeof *sc->nodes);
  memcpy(sub->workloads, sc->workloads, sc->nworkloads * sizeof *sc->workloads);
  mvm_vm idle = {.workload = -1};
  mvm_workload* w = &sub->workloads[sc->nworkloads];
  mvm_vm_workload(sc, &idle, &w->hot_size, &w->hot_duration, &w->cold_rate);
  w->id = (char*)"idle";
  sub->nworkloads = sc->nworkloads + 1;
  for (size_t k = 0; k < sub->nworkloads; k++) {
    double f = s->nf[k] ? exp(s->logf[k] / s->nf[k]) : 1;
    sub->workloads[k].hot_size *= f;
    sub->workloads[k].cold_rate *= f;
  }
  for (size_t v = 0; v < sc->nvms; v++) {
    sub->vms[v].workload = (int)widx(sc, &sc->vms[v]);
    if (mvm_pol_vm(ctx, (int)v) != MVM_VM_WAITING)
      sub->vms[v].from = sub->vms[v].to;
  }
  for (size_t n = 0; n < sc->nnodes; n++) {
    mvm_node_status st = mvm_pol_node(ctx, (int)n);
    sub->nodes[n].initially_on = st == MVM_NODE_ON || st == MVM_NODE_BOOTING;
  }
  sub->nconstraints = 0;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    mvm_constraint k = sc->constraints[c];
    int waiting = 1;
    for (size_t i = 0; i < k.nvms; i++)
      waiting &= mvm_pol_vm(ctx, k.vms[i]) == MVM_VM_WAITING;
    if (k.kind == MVM_C_POWER) {
      if (k.to <= now)
        continue;
      k.from = fmax(0, k.from - now);
      k.to -= now;
    } else if (!waiting || (k.kind == MVM_C_DEADLINE && (k.at -= now) <= 0))
      continue;
    sub->constraints[sub->nconstraints++] = k;
  }
  return 0;
}

static void free_sub(mvm_scenario* sub)
{
  free(sub->vms);
  free(sub->nodes);
  free(sub->workloads);
  free(sub->constraints);
}

static int cmp_start(const void* a, const void* b, void* arg)
{
  const online* s = arg;
  int x = *(const int*)a, y = *(const int*)b;
  if (s->start[x] != s->start[y])
    return s->start[x] < s->start[y] ? -1 : 1;
  return x - y;
}

/* Plans what is left and makes it the current plan. Returns 0, or the solver's error. */
static int replan(mvm_policy_ctx* ctx, online* s, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  mvm_scenario sub;
  int rc = make_sub(ctx, s, &sub) ? mvm_err_set(err, MVM_ENOMEM, "out of memory") : 0;
  mvm_plan* p = NULL;
  mvm_solver_opts o = mvm_solver_defaults();
  if (!rc)
    rc = mvm_solve(&sub, mvm_pol_netview(ctx), &o, &p, err);
  free_sub(&sub);
  if (rc)
    return rc;
  s->base = mvm_pol_now(ctx);
  for (size_t v = 0; v < sc->nvms; v++)
    s->start[v] = -1;
  for (size_t n = 0; n < sc->nnodes; n++)
    s->boot_at[n] = -1;
  for (size_t i = 0; i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    if (a->kind == MVM_ACT_MIGRATE) {
      int v = mvm_scenario_find_vm(sc, a->subject);
      s->start[v] = a->start;
      s->end[v] = a->end;
      s->rate[v] = a->bandwidth_mbps * 1e6 / 8;
    } else if (a->kind == MVM_ACT_BOOT)
      s->boot_at[mvm_scenario_find_node(sc, a->subject)] = a->start;
  }
  mvm_plan_free(p);
  s->norder = 0;
  for (size_t v = 0; v < sc->nvms; v++)
    if (s->start[v] >= 0 && mvm_pol_vm(ctx, (int)v) == MVM_VM_WAITING)
      s->order[s->norder++] = (int)v;
  qsort_r(s->order, (size_t)s->norder, sizeof(int), cmp_start, s);
  /* wake-ups at the planned boots (and starts, when they bind) */
  for (size_t n = 0; n < sc->nnodes && !rc; n++)
    if (s->boot_at[n] > 0)
      rc = mvm_pol_timer(ctx, s->base + s->boot_at[n], NULL, err);
  for (int k = 0; k < s->norder && s->strict && !rc; k++)
    if (s->start[s->order[k]] > 0)
      rc = mvm_pol_timer(ctx, s->base + s->start[s->order[k]], NULL, err);
  return rc;
}

/* 1 if a constraint of the scenario names both VMs. */
static int linked(const mvm_scenario* sc, int a, int b)
{
  for (size_t c = 0; c < sc->nconstraints; c++) {
    int fa = 0, fb = 0;
    for (size_t i = 0; i < sc->constraints[c].nvms; i++) {
      fa |= sc->constraints[c].vms[i] == a;
      fb |= sc->constraints[c].vms[i] == b;
    }
    if (fa && fb)
      return 1;
  }
  return 0;
}

static int conflicts(const mvm_scenario* sc, const mvm_netview* nv, int a, int b)
{
  const mvm_vm *x = &sc->vms[a], *y = &sc->vms[b];
  if (x->from == y->from || x->to == y->to || x->from == y->to || x->to == y->from)
    return 1;
  const mvm_route *ra = &nv->routes[a], *rb = &nv->routes[b];
  for (size_t i = 0; i < ra->count; i++) {
    int e = nv->route_elems[ra->first + i];
    for (size_t j = 0; nv->elems[e].shared && j < rb->count; j++)
      if (nv->route_elems[rb->first + j] == e)
        return 1;
  }
  return linked(sc, a, b);
}

/* Starts the waiting migrations whose turn has come (see the top of the file). */
static int dispatch(mvm_policy_ctx* ctx, online* s, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  const mvm_netview* nv = mvm_pol_netview(ctx);
  double now = mvm_pol_now(ctx) - s->base;
  int rc = mvm_pol_shutdown_emptied(ctx, err);
  for (size_t n = 0; n < sc->nnodes && !rc; n++)
    if (s->boot_at[n] >= 0 && s->boot_at[n] <= now + 1e-9 && mvm_pol_node(ctx, (int)n) == MVM_NODE_OFF)
      rc = mvm_pol_boot(ctx, (int)n, err);
  for (int k = 0; k < s->norder && !rc; k++) {
    int v = s->order[k];
    const mvm_vm* vm = &sc->vms[v];
    if (mvm_pol_vm(ctx, v) != MVM_VM_WAITING || mvm_pol_node(ctx, vm->to) != MVM_NODE_ON)
      continue;
    if (s->strict && s->start[v] > now + 1e-9)
      continue;
    int ready = 1;
    for (int j = 0; j < s->norder && ready; j++) {
      int u = s->order[j];
      if (u != v && s->end[u] <= s->start[v] + 1e-6 && mvm_pol_vm(ctx, u) != MVM_VM_DONE)
        ready = !conflicts(sc, nv, u, v);
    }
    double rate = fmin(s->rate[v], mvm_pol_free_rate(ctx, v));
    if (!ready || rate < s->rate[v] * (1 - 1e-9) || rate <= mvm_pol_min_rate(ctx, v) * (1 + 1e-6))
      continue;
    rc = mvm_pol_migrate(ctx, v, rate, err);
  }
  return rc;
}

/* The factor f on VM v's hot pages and cold rate that makes the model's duration at `rate`
 * the measured one d (bisection on log f in [1/20, 20]; the duration grows with f). */
static double fit_factor(mvm_policy_ctx* ctx, int v, double rate, double d)
{
  mvm_precopy_params p;
  mvm_vm_precopy(mvm_pol_scenario(ctx), mvm_pol_netview(ctx), (size_t)v, &p);
  double lo = log(1.0 / 20), hi = log(20.0), hs = p.hot_size, cr = p.cold_rate;
  for (int it = 0; it < 40; it++) {
    double mid = (lo + hi) / 2;
    p.hot_size = hs * exp(mid);
    p.cold_rate = cr * exp(mid);
    double dm = mvm_precopy_duration(&p, rate);
    if (!isfinite(dm) || dm > d)
      hi = mid;
    else
      lo = mid;
  }
  return exp((lo + hi) / 2);
}

static int setup(mvm_policy_ctx* ctx, online* s, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  size_t nv = sc->nvms + 1, nn = sc->nnodes + 1, nw = sc->nworkloads + 2;
  s->start = calloc(nv, sizeof(double));
  s->end = calloc(nv, sizeof(double));
  s->rate = calloc(nv, sizeof(double));
  s->order = calloc(nv, sizeof(int));
  s->boot_at = calloc(nn, sizeof(double));
  s->logf = calloc(nw, sizeof(double));
  s->nf = calloc(nw, sizeof(int));
  if (!s->start || !s->end || !s->rate || !s->order || !s->boot_at || !s->logf || !s->nf)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  for (size_t c = 0; c < sc->nconstraints; c++)
    s->strict |= sc->constraints[c].kind != MVM_C_SYNC;
  return 0;
}

static int on_event(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err)
{
  online* s = mvm_pol_state(ctx);
  int rc = 0;
  if (ev->kind == MVM_EV_START) {
    if ((rc = setup(ctx, s, err)) || (rc = replan(ctx, s, err)))
      return rc;
  } else if (ev->kind == MVM_EV_MIGRATED) {
    const mvm_scenario* sc = mvm_pol_scenario(ctx);
    size_t w = widx(sc, &sc->vms[ev->vm]);
    double d = ev->end - ev->start;
    /* what the current (corrected) model predicted for it */
    double f = s->nf[w] ? exp(s->logf[w] / s->nf[w]) : 1;
    mvm_precopy_params p;
    mvm_vm_precopy(sc, mvm_pol_netview(ctx), (size_t)ev->vm, &p);
    p.hot_size *= f;
    p.cold_rate *= f;
    double pred = mvm_precopy_duration(&p, ev->rate);
    s->logf[w] += log(fit_factor(ctx, ev->vm, ev->rate, d));
    s->nf[w]++;
    double threshold = mvm_pol_param(ctx) / 100.0;
    if (mvm_pol_remaining(ctx) > 0 && isfinite(pred) && fabs(d - pred) > threshold * pred) {
      mvm_error scratch;
      if (replan(ctx, s, &scratch) == 0)
        s->replans++;
    }
  }
  return dispatch(ctx, s, err);
}

static void cleanup(mvm_policy_ctx* ctx)
{
  online* s = mvm_pol_state(ctx);
  free(s->start);
  free(s->end);
  free(s->rate);
  free(s->order);
  free(s->boot_at);
  free(s->logf);
  free(s->nf);
}

const mvm_policy mvm__policy_mvm_online = {
    MVM_POLICY_ABI, "mvm-online",
    "mvm in the loop: the mvm plan executed on events, re-planned when a migration drifts from the model by over K % "
    "(default 5)",
    5, NULL, on_event, sizeof(online), cleanup};
