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
 * goes on. Under power budgets it neither re-plans (the re-plan's list scheduler knows
 * neither the running migrations' power nor the portfolio's limits on booted nodes: on
 * decommission-cap5200 it was twice as long as mvm) nor starts a migration before those
 * planned to end before it, conflicting or not (starting early went over the budget): it
 * executes the plan as the replay does. */
#define _GNU_SOURCE /* qsort_r */
#include "policy_ctx.h"

#include "mvm/model.h"
#include "mvm/solver.h"
#include "schedule.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct online {
  double base;        /* when the current plan starts */
  double *start, *end, *rate; /* per VM, in the current plan (relative to base), start < 0: not in it */
  double* boot_at;    /* per node, < 0: none */
  double* shut_end;   /* per node: the planned end of its shutdown, < 0: none */
  int* order;         /* waiting VMs by planned start */
  int norder;
  double *logf;       /* per workload (+1: idle): sum of log factors */
  int* nf;
  int strict;         /* constraints other than sync: not before the planned instant */
  int budgets;        /* power budgets in the scenario: no re-plans (see the top) */
  int* sync;          /* per VM: its sync constraint, -1 */
  int* members;       /* scratch: a sync group */
  double* need;       /* scratch: per network element */
  int replans;
#define NERR 8
  double errs[NERR];  /* the learnt model's last relative errors */
  int nerr;
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

/* The model's duration of VM v at rate, with its workload's learnt factor. */
static double corrected(mvm_policy_ctx* ctx, const online* s, int v, double rate)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  size_t w = widx(sc, &sc->vms[v]);
  double f = s->nf[w] ? exp(s->logf[w] / s->nf[w]) : 1;
  mvm_precopy_params p;
  mvm_vm_precopy(sc, mvm_pol_netview(ctx), (size_t)v, &p);
  p.hot_size *= f;
  p.cold_rate *= f;
  return mvm_precopy_duration(&p, rate);
}

/* When (s from now) VM v's route will have its full rate free, as the running migrations
 * are predicted to end (rem[u]: predicted time left, < 0 if u is not running). */
static double release_of(mvm_policy_ctx* ctx, int v, const double* rem)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  const mvm_netview* nv = mvm_pol_netview(ctx);
  const mvm_route* r = &nv->routes[v];
  double want = mvm_route_rate(nv, (size_t)v), t = 0;
  for (int guard = 0; guard <= (int)sc->nvms; guard++) {
    int ok = 1;
    double next = INFINITY;
    for (size_t k = 0; k < r->count && ok; k++) {
      int e = nv->route_elems[r->first + k];
      if (!nv->elems[e].shared)
        continue;
      double used = ctx->used[e];
      for (size_t u = 0; u < sc->nvms; u++)
        if (rem[u] >= 0 && rem[u] <= t)
          used -= ctx->rec[ctx->vm_rec[u]].rate * mvm_route_load(nv, u, e);
      ok = mvm_element_capacity(nv, (size_t)e) - used >= want * mvm_route_load(nv, (size_t)v, e) * (1 - 1e-9);
    }
    if (ok)
      return t;
    for (size_t u = 0; u < sc->nvms; u++)
      if (rem[u] > t)
        next = fmin(next, rem[u]);
    if (!isfinite(next))
      return t;
    t = next;
  }
  return t;
}

/* Re-plans sub with the list scheduler, each waiting migration released when the running
 * ones leave its route free: first in the current plan's order (what going on predicts,
 * now that the model learnt), then under rules 0-2. Returns 0 and the best of the latter
 * in *out if its predicted completion is over 1 % earlier than going on; 0 and *out NULL
 * to go on with the current plan; or an error. */
static int solve_released(mvm_policy_ctx* ctx, online* s, const mvm_scenario* sub, mvm_plan** out, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  double* rem = calloc(sc->nvms + 1, sizeof(double));
  if (!rem)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  for (size_t u = 0; u < sc->nvms; u++) {
    rem[u] = -1;
    if (mvm_pol_vm(ctx, (int)u) == MVM_VM_MIGRATING) {
      const mvm__pol_record* r = &ctx->rec[ctx->vm_rec[u]];
      rem[u] = fmax(0, r->start + corrected(ctx, s, (int)u, r->rate) - mvm_pol_now(ctx));
    }
  }
  mvm_solver_opts o = mvm_solver_defaults();
  static const mvm__rule rules[] = {MVM__RULE_SHORTEST, MVM__RULE_SHORTEST, MVM__RULE_SOURCES, MVM__RULE_DESTINATIONS};
  int rc = 0;
  *out = NULL;
  double going_on = INFINITY, best = INFINITY;
  /* a re-plan must predict a gain above twice the model's recent error (at least 1 %) */
  double margin = 0;
  int ne = s->nerr < NERR ? s->nerr : NERR;
  for (int k = 0; k < ne; k++)
    margin += s->errs[k] / ne;
  margin = fmax(0.01, 2 * margin);
  for (int k = 0; k < 4 && !rc; k++) {
    mvm__variant var = {"online", rules[k], 0, 0, 0, 0, 0, 0, 0};
    mvm__gen* g = NULL;
    if ((rc = mvm__gen_new(sub, mvm_pol_netview(ctx), &o, &var, &g, err)))
      break;
    int n = mvm__gen_size(g);
    double* rel = calloc((size_t)n + 1, sizeof(double));
    double* prio = calloc((size_t)n + 1, sizeof(double));
    mvm_plan* p = NULL;
    for (int i = 0; rel && prio && i < n; i++) {
      mvm_action_kind kind;
      int from, to;
      mvm__gen_action(g, i, &kind, &from, &to);
      int v = mvm__gen_ref(g, i);
      rel[i] = kind == MVM_ACT_MIGRATE ? release_of(ctx, v, rem) : 0;
      prio[i] = kind == MVM_ACT_MIGRATE ? s->start[v] : mvm__gen_priorities(g)[i]; /* the current order */
    }
    if (!rel || !prio)
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    else if (mvm__gen_run(g, k == 0 ? prio : NULL, rel, NULL, err) == 0 && mvm__gen_plan(g, &p, err) == 0) {
      double cmax = mvm_plan_makespan(p);
      if (k == 0)
        going_on = cmax;
      else if (cmax < best && cmax < going_on * (1 - margin)) {
        best = cmax;
        mvm_plan_free(*out);
        *out = p;
        p = NULL;
      }
    }
    mvm_plan_free(p);
    free(rel);
    free(prio);
    mvm__gen_free(g);
  }
  free(rem);
  if (rc) {
    mvm_plan_free(*out);
    *out = NULL;
  }
  return rc;
}

/* Plans what is left and makes it the current plan. Returns 0, or the solver's error. */
static int replan(mvm_policy_ctx* ctx, online* s, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  mvm_scenario sub;
  int rc = make_sub(ctx, s, &sub) ? mvm_err_set(err, MVM_ENOMEM, "out of memory") : 0;
  mvm_plan* p = NULL;
  mvm_solver_opts o = mvm_solver_defaults();
  /* the first plan is the offline mvm plan; a re-plan knows when the running migrations free their routes */
  if (!rc)
    rc = mvm_pol_running(ctx) ? solve_released(ctx, s, &sub, &p, err) : mvm_solve(&sub, mvm_pol_netview(ctx), &o, &p, err);
  free_sub(&sub);
  if (rc || !p)
    return rc; /* an error, or going on with the current plan */
  s->base = mvm_pol_now(ctx);
  for (size_t v = 0; v < sc->nvms; v++)
    s->start[v] = -1;
  for (size_t n = 0; n < sc->nnodes; n++)
    s->boot_at[n] = s->shut_end[n] = -1;
  for (size_t i = 0; i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    if (a->kind == MVM_ACT_MIGRATE) {
      int v = mvm_scenario_find_vm(sc, a->subject);
      s->start[v] = a->start;
      s->end[v] = a->end;
      s->rate[v] = a->bandwidth_mbps * 1e6 / 8;
    } else if (a->kind == MVM_ACT_BOOT)
      s->boot_at[mvm_scenario_find_node(sc, a->subject)] = a->start;
    else
      s->shut_end[mvm_scenario_find_node(sc, a->subject)] = a->end;
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

/* 1 if VM v may start now: waiting, destination on, its planned instant reached when that
 * binds, every conflicting migration planned to end before its start done. */
static int ready(mvm_policy_ctx* ctx, const online* s, int v, double now)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  if (mvm_pol_vm(ctx, v) != MVM_VM_WAITING || s->start[v] < 0 || mvm_pol_node(ctx, sc->vms[v].to) != MVM_NODE_ON)
    return 0;
  if (s->strict && s->start[v] > now + 1e-9)
    return 0;
  for (int j = 0; j < s->norder; j++) {
    int u = s->order[j];
    if (u != v && s->end[u] <= s->start[v] + 1e-6 && mvm_pol_vm(ctx, u) != MVM_VM_DONE &&
        (s->budgets || conflicts(sc, mvm_pol_netview(ctx), u, v))) /* under budgets: every one, as the replay */
      return 0;
  }
  return 1;
}

/* 1 if a boot planned at `at` may start: always, but under power budgets only once the
 * migrations and shutdowns planned to end by then have ended (the power they free is what
 * the plan gave the boot; a shutdown ending a microsecond after the boot's instant went
 * 20 W over decommission-cap5200's budget). */
static int boot_ready(mvm_policy_ctx* ctx, const online* s, double at)
{
  if (!s->budgets)
    return 1;
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  for (size_t n = 0; n < sc->nnodes; n++)
    if (s->shut_end[n] >= 0 && s->shut_end[n] <= at + 1e-6 && mvm_pol_node(ctx, (int)n) != MVM_NODE_OFF)
      return 0;
  for (int j = 0; j < s->norder; j++) {
    int u = s->order[j];
    if (s->end[u] <= at + 1e-6 && mvm_pol_vm(ctx, u) != MVM_VM_DONE)
      return 0;
  }
  return 1;
}

/* 1 if the n migrations fit together at their planned rates in what the running ones
 * leave on every shared network element, each above its convergence limit. */
static int fit_together(mvm_policy_ctx* ctx, online* s, const int* m, int n)
{
  const mvm_netview* nv = mvm_pol_netview(ctx);
  int ok = 1;
  for (int i = 0; i < n && ok; i++)
    ok = s->rate[m[i]] > mvm_pol_min_rate(ctx, m[i]) * (1 + 1e-6);
  for (int pass = 0; pass < 3; pass++) /* add the loads, check them, take them back */
    for (int i = 0; i < n; i++) {
      const mvm_route* r = &nv->routes[m[i]];
      for (size_t k = 0; k < r->count + r->ack_count; k++) {
        int e = k < r->count ? nv->route_elems[r->first + k] : nv->ack_elems[r->ack_first + k - r->count];
        double load = (k < r->count ? 1 : nv->ack_factor) * s->rate[m[i]];
        if (pass == 0)
          s->need[e] += load;
        else if (pass == 1)
          ok &= !nv->elems[e].shared ||
                ctx->used[e] + s->need[e] <= mvm_element_capacity(nv, (size_t)e) * (1 + 1e-9) + 1e-6;
        else
          s->need[e] = 0;
      }
    }
  return ok;
}

/* A sync group starts all its members at once: the shorter ones slowed (never above their
 * planned rate) to last as long as the longest, by the model. The plan may have started them
 * at full rate one after the other instead, ending together (--exact's and the default's
 * small-scenario search do). */
static void sync_rates(mvm_policy_ctx* ctx, online* s, const int* m, int n)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  double dmax = 0;
  for (int i = 0; i < n; i++) {
    mvm_precopy_params p;
    mvm_vm_precopy(sc, mvm_pol_netview(ctx), (size_t)m[i], &p);
    dmax = fmax(dmax, mvm_precopy_duration(&p, s->rate[m[i]]));
  }
  for (int i = 0; i < n && isfinite(dmax); i++) {
    mvm_precopy_params p;
    mvm_vm_precopy(sc, mvm_pol_netview(ctx), (size_t)m[i], &p);
    if (mvm_precopy_duration(&p, s->rate[m[i]]) < dmax)
      s->rate[m[i]] = mvm_precopy_rate_for(&p, dmax, s->rate[m[i]]);
  }
}

/* Starts the waiting migrations whose turn has come (see the top of the file): a sync
 * group's members all together or none. */
static int dispatch(mvm_policy_ctx* ctx, online* s, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  double now = mvm_pol_now(ctx) - s->base;
  int rc = mvm_pol_shutdown_emptied(ctx, err);
  for (size_t n = 0; n < sc->nnodes && !rc; n++)
    if (s->boot_at[n] >= 0 && s->boot_at[n] <= now + 1e-9 && mvm_pol_node(ctx, (int)n) == MVM_NODE_OFF &&
        boot_ready(ctx, s, s->boot_at[n]))
      rc = mvm_pol_boot(ctx, (int)n, err);
  int* m = s->members;
  for (int k = 0; k < s->norder && !rc; k++) {
    int v = s->order[k], n = 0, ok = 1;
    if (!ready(ctx, s, v, now))
      continue;
    if (s->sync[v] < 0)
      m[n++] = v;
    else {
      const mvm_constraint* c = &sc->constraints[s->sync[v]];
      for (size_t i = 0; i < c->nvms && ok; i++)
        if (mvm_pol_vm(ctx, c->vms[i]) == MVM_VM_WAITING) {
          ok = ready(ctx, s, c->vms[i], now);
          m[n++] = c->vms[i];
        }
    }
    if (!ok || !fit_together(ctx, s, m, n))
      continue;
    if (n > 1)
      sync_rates(ctx, s, m, n);
    for (int i = 0; i < n && !rc; i++)
      rc = mvm_pol_migrate(ctx, m[i], s->rate[m[i]], err);
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
  s->shut_end = calloc(nn, sizeof(double));
  s->logf = calloc(nw, sizeof(double));
  s->nf = calloc(nw, sizeof(int));
  s->sync = calloc(nv, sizeof(int));
  s->members = calloc(nv, sizeof(int));
  s->need = calloc(mvm_pol_netview(ctx)->nelems + 1, sizeof(double));
  if (!s->start || !s->end || !s->rate || !s->order || !s->boot_at || !s->shut_end || !s->logf || !s->nf || !s->sync || !s->members ||
      !s->need)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  for (size_t v = 0; v < sc->nvms; v++)
    s->sync[v] = -1;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    s->strict |= sc->constraints[c].kind != MVM_C_SYNC;
    s->budgets |= sc->constraints[c].kind == MVM_C_POWER;
    for (size_t i = 0; sc->constraints[c].kind == MVM_C_SYNC && i < sc->constraints[c].nvms; i++)
      if (s->sync[sc->constraints[c].vms[i]] < 0)
        s->sync[sc->constraints[c].vms[i]] = (int)c;
  }
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
    double pred = corrected(ctx, s, ev->vm, ev->rate);
    s->logf[w] += log(fit_factor(ctx, ev->vm, ev->rate, d));
    s->nf[w]++;
    /* how far off the learnt model still is: the last errors, each made before learning from it */
    if (isfinite(pred) && pred > 0)
      s->errs[s->nerr++ % NERR] = fabs(d - pred) / pred;
    double threshold = mvm_pol_param(ctx) / 100.0;
    if (!s->budgets && mvm_pol_remaining(ctx) > 0 && isfinite(pred) && fabs(d - pred) > threshold * pred) {
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
  free(s->shut_end);
  free(s->logf);
  free(s->nf);
  free(s->sync);
  free(s->members);
  free(s->need);
}

const mvm_policy mvm__policy_mvm_online = {
    MVM_POLICY_ABI, "mvm-online",
    "mvm in the loop: the mvm plan executed on events, re-planned when a migration drifts from the model by over K % "
    "(default 5)",
    5, NULL, on_event, sizeof(online), cleanup};
