/* Exact mode: depth-first branch and bound over the serial schedule generation scheme.
 *
 * The plan space: every migration runs at a constant rate, its path's bottleneck rate or,
 * with `levels` > 1, one of levels - 1 lower rates evenly spaced down to a quarter of it
 * (always above 1.25 x its never-converges limit); a sync group ends together, its members
 * either each at its bottleneck rate or starting together with the shorter ones slowed to
 * the longest one's duration. Boots start at 0, shutdowns when their node's last VM has
 * left. For a given choice of rates, the sum of end times is a regular objective, so an
 * optimal plan is active (no action can start earlier without moving another), and every
 * active plan is what the serial scheme builds from some order of the actions (each placed
 * at its earliest feasible start given those before it). The search enumerates the orders
 * and the rates, and prunes a partial plan when its bound (the ends so far, each remaining
 * unit at least where it would go now among the placed ones, the shutdowns after them)
 * reaches the best complete plan. So, unless it stops at max_nodes, the plan it returns is optimal
 * in that space.
 *
 * Resources: one capacity per shared network element (as in schedule.c), one unit capacity
 * per serialize group; precedences and deadlines as in the scenario. Refused (MVM_EINPUT):
 * power budgets, node memory or cores that could bind, more than MVM_EXACT_MAX migrations. */
#include "mvm/exact.h"
#include "mvm/model.h"
#include "mvm/solver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-9
#define MAXM MVM_EXACT_MAX
#define MAXMODES 8
#define MAXRES 256

typedef struct placed {
  double t0, t1, rate;
} placed;

typedef struct unit {
  int n;
  int vm[MAXM];       /* VM indices */
  int npred;          /* units that must end before it starts */
  int pred[MAXM];
  double deadline;    /* INFINITY if none */
  int nmodes;
  double rate[MAXMODES][MAXM], dur[MAXMODES][MAXM]; /* per mode, per member */
  double lb;          /* sum over members of release + fastest duration */
  double fast[MAXM];  /* per member: fastest duration */
  int mi[MAXM];       /* per member: migration index (set before the search) */
} unit;

typedef struct xs {
  const mvm_scenario* sc;
  const mvm_netview* nv;
  int nu;
  unit u[MAXM];
  int unit_of[MAXM]; /* per migration index */
  int nmig;
  int mig_vm[MAXM];
  double rel[MAXM];             /* per migration: release (boot end) */
  /* resources: shared elements used by the migrations, then serialize groups */
  int nres;
  int key[MAXRES];
  double cap[MAXRES];
  int nuse[MAXM]; /* per migration: resources it uses */
  int use[MAXM][MAXRES];
  double amount[MAXM][MAXRES];
  /* search state */
  int done[MAXM]; /* per unit: placed */
  int on[MAXM];   /* per migration: placed */
  int mode[MAXM];
  placed at[MAXM]; /* per migration */
  double uend[MAXM]; /* per unit */
  double best, fixed; /* fixed: boots, shutdown durations */
  int best_mode[MAXM];
  placed best_at[MAXM];
  int sym[MAXM]; /* per unit: an earlier identical unit (placed first), or -1 */
  int start_cut; /* the start-order cut and its bound hold (see dfs) */
  unsigned char conflict[MAXM][MAXM]; /* units that share a resource */
  /* per resource, the migrations that use it and how much: fixed + per_rate x rate (set
   * before the search, from use and amount) */
  int nusers[MAXRES];
  int users[MAXRES][MAXM];
  double fixed_use[MAXRES][MAXM], rate_use[MAXRES][MAXM];
  int improved;  /* a plan better than the incumbent was found */
  long nodes, max_nodes;
  int stopped;
  int nshut;
  int shut_node[MAXM * 2];
  double shutdown;
} xs;

static int mig_index(const xs* x, int vm)
{
  for (int i = 0; i < x->nmig; i++)
    if (x->mig_vm[i] == vm)
      return i;
  return -1;
}

/* Usage of resource r over [t0, t1) by the placed migrations (max over the window). */
static double peak(const xs* x, int r, double t0, double t1)
{
  double worst = 0;
  int nu = x->nusers[r];
  const int* us = x->users[r];
  /* the usage is piecewise constant; its maximum is at t0 or at a start inside */
  for (int pass = -1; pass < nu; pass++) {
    double t = pass < 0 ? t0 : x->at[us[pass]].t0;
    if (pass >= 0 && (!x->on[us[pass]] || t < t0 || t >= t1))
      continue;
    double sum = 0;
    for (int k = 0; k < nu; k++) {
      int m = us[k];
      if (x->on[m] && x->at[m].t0 <= t + TOL && t < x->at[m].t1 - TOL)
        sum += x->fixed_use[r][k] + x->rate_use[r][k] * x->at[m].rate;
    }
    worst = fmax(worst, sum);
  }
  return worst;
}

/* Can migration m run over [t0, t1) at rate given what is placed? */
static int fits(const xs* x, int m, double t0, double t1, double rate)
{
  for (int k = 0; k < x->nuse[m]; k++) {
    int r = x->use[m][k];
    double need = x->amount[m][k] < 0 ? -x->amount[m][k] * rate : x->amount[m][k];
    if (peak(x, r, t0, t1) + need > x->cap[r] * (1 + 1e-9) + TOL)
      return 0;
  }
  return 1;
}

/* Places unit u in mode md at the earliest common end T; returns T or INFINITY. Its
 * members are marked placed on success. */
static double place(xs* x, int ui, int md)
{
  unit* u = &x->u[ui];
  double tlo = 0;
  for (int i = 0; i < u->n; i++) {
    int m = u->mi[i];
    double ready = x->rel[m];
    for (int p = 0; p < u->npred; p++)
      ready = fmax(ready, x->uend[u->pred[p]]);
    tlo = fmax(tlo, ready + u->dur[md][i]);
  }
  /* candidate ends: tlo, and every placed end plus a member's duration */
  double cand[1 + MAXM * MAXM];
  int nc = 0;
  cand[nc++] = tlo;
  for (int m = 0; m < x->nmig; m++)
    if (x->on[m])
      for (int i = 0; i < u->n; i++)
        if (x->at[m].t1 + u->dur[md][i] > tlo)
          cand[nc++] = x->at[m].t1 + u->dur[md][i];
  for (int c = 1; c < nc; c++) { /* in increasing order */
    double v = cand[c];
    int j = c;
    for (; j > 0 && cand[j - 1] > v; j--)
      cand[j] = cand[j - 1];
    cand[j] = v;
  }
  for (int c = 0; c < nc; c++) {
    double T = cand[c];
    if (c > 0 && T == cand[c - 1])
      continue; /* tried */
    if (T > u->deadline + TOL)
      return INFINITY;
    int ok = 1;
    for (int i = 0; i < u->n && ok; i++) {
      int m = u->mi[i];
      ok = fits(x, m, T - u->dur[md][i], T, u->rate[md][i]);
      if (ok) { /* the next members see this one */
        x->at[m] = (placed){T - u->dur[md][i], T, u->rate[md][i]};
        x->on[m] = 1;
      }
    }
    for (int i = 0; i < u->n && !ok; i++)
      x->on[u->mi[i]] = 0;
    if (ok) {
      x->done[ui] = 1;
      return T;
    }
  }
  return INFINITY;
}

/* With est (per unit, a lower bound on its end, or NULL): a source's unplaced migration
 * ends no earlier than its unit's est. */
static double shutdown_sum(const xs* x, int complete, const double* est)
{
  double sum = 0;
  for (int s = 0; s < x->nshut; s++) {
    double last = 0;
    for (int m = 0; m < x->nmig; m++) {
      if (x->sc->vms[x->mig_vm[m]].from != x->shut_node[s])
        continue;
      int ui = x->unit_of[m];
      if (x->on[m])
        last = fmax(last, x->at[m].t1);
      else if (!complete) {
        const unit* u = &x->u[ui];
        for (int i = 0; i < u->n; i++)
          if (u->vm[i] == x->mig_vm[m])
            last = fmax(last, fmax(x->rel[m] + u->dur[0][i], est ? est[ui] : 0));
      }
    }
    sum += last;
  }
  return sum;
}

/* The search places units in the order of their starts (ties: by index). The serial scheme
 * builds every active plan from the order of its starts, so an order where a unit would
 * start before the one placed just before it only repeats a plan reached another way: it
 * is cut. Hence also the bound: every unit still to place starts no earlier than the last
 * start (last_start), its members end no earlier than that, or their release, plus their
 * fastest duration. The argument needs every unit to use the same resources from its start
 * to its end: a sync group whose members run at full rate and end together does not (the
 * shorter ones start later), and a plan with one may need it placed after a unit that
 * starts later (found by review: 81.4 s lost to 91.7 s). So both hold only without such
 * groups (start_cut); else every order is tried, as before. */
static void dfs(xs* x, int depth, double partial, double last_start, int last_unit, const double* pest)
{
  if (x->stopped)
    return;
  if (++x->nodes > x->max_nodes) {
    x->stopped = 1;
    return;
  }
  if (depth == x->nu) {
    double total = partial + shutdown_sum(x, 1, NULL) + x->fixed;
    if (total < x->best - 1e-9) {
      x->best = total;
      x->improved = 1;
      memcpy(x->best_mode, x->mode, sizeof x->mode);
      memcpy(x->best_at, x->at, sizeof x->at);
    }
    return;
  }
  /* Each unit still to place ends no earlier than where it would go now, among what is
   * placed (more placed units only delay it), in its best mode; a unit that fits nowhere
   * now fits nowhere later. Units whose predecessors are not all placed: their release
   * (or the last start) plus their fastest duration. A unit that shares no resource with
   * the one just placed (last_unit) keeps its end from the parent node (pest): the earliest
   * feasible end only moves where a placed migration frees a resource it uses. */
  double est[MAXM];
  double bound = partial + x->fixed;
  for (int ui = 0; ui < x->nu; ui++) {
    est[ui] = 0;
    if (x->done[ui])
      continue;
    unit* u = &x->u[ui];
    for (int i = 0; i < u->n; i++)
      bound += fmax(x->rel[u->mi[i]], last_start) + u->fast[i];
    int ready = 1;
    for (int p = 0; p < u->npred && ready; p++)
      ready = x->done[u->pred[p]] == 1;
    if (!ready)
      continue;
    double T = INFINITY;
    if (pest && pest[ui] > 0 && last_unit >= 0 && !x->conflict[last_unit][ui])
      T = pest[ui];
    else
      for (int md = 0; md < u->nmodes; md++) {
        T = fmin(T, place(x, ui, md));
        x->done[ui] = 0;
        for (int i = 0; i < u->n; i++)
          x->on[u->mi[i]] = 0;
      }
    if (!isfinite(T))
      return;
    est[ui] = T;
    for (int i = 0; i < u->n; i++) /* the member's own term, raised to the unit's end */
      bound += fmax(0, T - (fmax(x->rel[u->mi[i]], last_start) + u->fast[i]));
  }
  bound += shutdown_sum(x, 0, est);
  if (bound >= x->best - 1e-9)
    return;
  /* children in the order of their units' ends now (ties: by index): good plans first */
  int ord[MAXM];
  for (int k = 0; k < x->nu; k++) {
    int j = k;
    for (; j > 0 && est[ord[j - 1]] > est[k]; j--)
      ord[j] = ord[j - 1];
    ord[j] = k;
  }
  for (int k = 0; k < x->nu; k++) {
    int ui = ord[k];
    unit* u = &x->u[ui];
    if (x->done[ui] || (x->sym[ui] >= 0 && !x->done[x->sym[ui]]))
      continue; /* identical units go in index order: the other orders give the same plans */
    int ready = 1;
    for (int p = 0; p < u->npred && ready; p++)
      ready = x->done[u->pred[p]] == 1;
    if (!ready)
      continue;
    for (int md = 0; md < u->nmodes; md++) {
      double T = place(x, ui, md);
      if (!isfinite(T))
        continue;
      double st = INFINITY;
      for (int i = 0; i < u->n; i++)
        st = fmin(st, T - u->dur[md][i]);
      int in_order = !x->start_cut || st > last_start + TOL || (st >= last_start - TOL && ui > last_unit);
      if (in_order) {
        x->mode[ui] = md;
        x->uend[ui] = T;
        dfs(x, depth + 1, partial + T * u->n, x->start_cut ? fmax(st, last_start) : 0, ui, est);
      }
      x->done[ui] = 0;
      for (int i = 0; i < u->n; i++)
        x->on[u->mi[i]] = 0;
      if (x->stopped)
        return;
    }
  }
}

/* Migration m uses resource `key` (an element index, or -1 - constraint index for a
 * serialize group) of capacity cap, by amount (< 0: -amount times its rate). */
static int add_use(xs* x, int m, int key, double cap, double amount)
{
  int r;
  for (r = 0; r < x->nres; r++)
    if (x->key[r] == key)
      break;
  if ((r == x->nres && x->nres >= MAXRES) || x->nuse[m] >= MAXRES)
    return -1;
  if (r == x->nres) {
    x->key[x->nres] = key;
    x->cap[x->nres++] = cap;
  }
  x->use[m][x->nuse[m]] = r;
  x->amount[m][x->nuse[m]++] = amount;
  return 0;
}

static int refuse(mvm_error* err, const char* what)
{
  return mvm_err_set(err, MVM_EINPUT, "--exact: %s", what);
}

/* Rate levels of migration v: the bottleneck rate, the rate that leaves room for the
 * acknowledgements of one migration the other way (users: mvm_ack_users, or NULL), as the
 * default scheduler has, then lower ones (see the top). */
static int rate_levels(const xs* x, int v, int levels, const int* users, double* r)
{
  mvm_precopy_params p;
  mvm_vm_precopy(x->sc, x->nv, (size_t)v, &p);
  double full = mvm_route_rate(x->nv, (size_t)v), lo = fmax(0.25 * full, 1.25 * mvm_precopy_limit(&p));
  int n = 0;
  r[n++] = full;
  double res = users ? mvm_route_rate_reserving(x->nv, (size_t)v, users) : full;
  if (res < full && res >= lo)
    r[n++] = res;
  for (int k = 1; k < levels && n < MAXMODES; k++) {
    double q = full - (full - 0.25 * full) * k / (levels - 1);
    if (q >= lo && q < full)
      r[n++] = q;
  }
  return n;
}

static double dur_at(const xs* x, int v, double rate)
{
  mvm_precopy_params p;
  mvm_vm_precopy(x->sc, x->nv, (size_t)v, &p);
  return mvm_precopy_duration(&p, rate);
}

/* Whether units a and b (single migrations) are interchangeable: same source and
 * destination, release, deadline, modes, resources and amounts, no precedence either way.
 * Swapping two such units in an order gives the same plan up to their names. */
static int same_unit(const xs* x, int a, int b, const char* is_pred)
{
  const unit* u = &x->u[a];
  const unit* v = &x->u[b];
  if (u->n != 1 || v->n != 1 || u->npred || v->npred || is_pred[a] || is_pred[b] || u->nmodes != v->nmodes ||
      u->deadline != v->deadline)
    return 0;
  const mvm_vm* p = &x->sc->vms[u->vm[0]];
  const mvm_vm* q = &x->sc->vms[v->vm[0]];
  int ma = mig_index(x, u->vm[0]), mb = mig_index(x, v->vm[0]);
  if (p->from != q->from || p->to != q->to || x->rel[ma] != x->rel[mb] || x->nuse[ma] != x->nuse[mb])
    return 0;
  for (int md = 0; md < u->nmodes; md++)
    if (u->rate[md][0] != v->rate[md][0] || u->dur[md][0] != v->dur[md][0])
      return 0;
  for (int k = 0; k < x->nuse[ma]; k++)
    if (x->use[ma][k] != x->use[mb][k] || x->amount[ma][k] != x->amount[mb][k])
      return 0;
  return 1;
}

/* Fills x->sym: each unit's closest earlier identical unit, or -1. */
static void find_symmetries(xs* x)
{
  char is_pred[MAXM] = {0};
  for (int ui = 0; ui < x->nu; ui++)
    for (int p = 0; p < x->u[ui].npred; p++)
      is_pred[x->u[ui].pred[p]] = 1;
  for (int ui = 0; ui < x->nu; ui++) {
    x->sym[ui] = -1;
    for (int uj = ui - 1; uj >= 0 && x->sym[ui] < 0; uj--)
      if (same_unit(x, uj, ui, is_pred))
        x->sym[ui] = uj;
  }
}

int mvm_solve_exact(const mvm_scenario* sc, const mvm_netview* nv, int levels, long max_nodes,
                    const mvm_plan* incumbent, mvm_plan** out, mvm_exact_info* info, mvm_error* err)
{
  *out = NULL;
  xs* x = calloc(1, sizeof(xs));
  if (!x)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  int rc = 0;
  x->sc = sc;
  x->nv = nv;
  int* users = nv->ack_factor > 0 ? mvm_ack_users(nv, sc) : NULL;
  if (nv->ack_factor > 0 && !users) {
    free(x);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  x->max_nodes = max_nodes > 0 ? max_nodes : 20000000;
  x->shutdown = sc->defaults.shutdown;
  if (levels < 1)
    levels = 1;
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_POWER) {
      rc = refuse(err, "power budgets are not supported (use the default scheduler)");
      goto done;
    }
  for (size_t v = 0; v < sc->nvms; v++)
    if (mvm_vm_moves(&sc->vms[v])) {
      if (x->nmig == MAXM) {
        rc = mvm_err_set(err, MVM_EINPUT, "--exact: at most %d migrations (this scenario has more)", MAXM);
        goto done;
      }
      x->mig_vm[x->nmig] = (int)v;
      x->rel[x->nmig] = sc->nodes[sc->vms[v].to].initially_on ? 0 : sc->defaults.boot;
      x->unit_of[x->nmig] = -1;
      x->nmig++;
    }
  /* node capacities must never bind: everything ever on a node fits at once */
  for (size_t n = 0; n < sc->nnodes; n++) {
    double mem = 0, cores = 0;
    for (size_t v = 0; v < sc->nvms; v++)
      if ((size_t)sc->vms[v].from == n || (size_t)sc->vms[v].to == n) {
        mem += sc->vms[v].memory;
        cores += sc->vms[v].cores;
      }
    if ((sc->nodes[n].memory >= 0 && mem > sc->nodes[n].memory) ||
        (sc->nodes[n].cores >= 0 && cores > sc->nodes[n].cores)) {
      rc = refuse(err, "node capacities that bind during the transition are not supported");
      goto done;
    }
  }
  /* units: sync groups, then the other migrations */
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SYNC)
      continue;
    unit* u = &x->u[x->nu];
    for (size_t i = 0; i < k->nvms; i++) {
      int m = mig_index(x, k->vms[i]);
      if (m < 0 || x->unit_of[m] >= 0)
        continue;
      u->vm[u->n++] = k->vms[i];
      x->unit_of[m] = x->nu;
    }
    if (u->n)
      x->nu++;
  }
  for (int m = 0; m < x->nmig; m++)
    if (x->unit_of[m] < 0) {
      x->u[x->nu].vm[x->u[x->nu].n++] = x->mig_vm[m];
      x->unit_of[m] = x->nu++;
    }
  for (int ui = 0; ui < x->nu; ui++) {
    unit* u = &x->u[ui];
    u->deadline = INFINITY;
    double r[MAXMODES];
    if (u->n == 1) {
      u->nmodes = rate_levels(x, u->vm[0], levels, users, r);
      for (int md = 0; md < u->nmodes; md++) {
        u->rate[md][0] = r[md];
        u->dur[md][0] = dur_at(x, u->vm[0], r[md]);
      }
    } else { /* mode 0: all at full rate; mode 1: start together, shorter ones slowed;
                modes 2 and 3: the same from the rates that leave room for acknowledgements */
      u->nmodes = 0;
      for (int base = 0; base < (users ? 2 : 1); base++) {
        int m0 = u->nmodes;
        double dmax = 0;
        for (int i = 0; i < u->n; i++) {
          u->rate[m0][i] = base ? mvm_route_rate_reserving(nv, (size_t)u->vm[i], users)
                                : mvm_route_rate(nv, (size_t)u->vm[i]);
          u->dur[m0][i] = dur_at(x, u->vm[i], u->rate[m0][i]);
          dmax = fmax(dmax, u->dur[m0][i]);
        }
        if (base && !isfinite(dmax))
          break; /* a member would not converge at its reserving rate: no such modes */
        for (int i = 0; i < u->n; i++) {
          mvm_precopy_params p;
          mvm_vm_precopy(sc, nv, (size_t)u->vm[i], &p);
          u->rate[m0 + 1][i] =
              u->dur[m0][i] < dmax ? mvm_precopy_rate_for(&p, dmax, u->rate[m0][i]) : u->rate[m0][i];
          u->dur[m0 + 1][i] = mvm_precopy_duration(&p, u->rate[m0 + 1][i]);
        }
        u->nmodes += 2;
      }
    }
    for (int md = 0; md < u->nmodes; md++)
      for (int i = 0; i < u->n; i++)
        if (!isfinite(u->dur[md][i])) {
          rc = mvm_err_set(err, MVM_EINFEASIBLE, "--exact: vm '%s' never converges on its route",
                           sc->vms[u->vm[i]].id);
          goto done;
        }
    u->lb = 0;
    for (int i = 0; i < u->n; i++) {
      double fastest = INFINITY;
      for (int md = 0; md < u->nmodes; md++)
        fastest = fmin(fastest, u->dur[md][i]);
      u->fast[i] = fastest;
      u->lb += x->rel[mig_index(x, u->vm[i])] + fastest;
    }
  }
  /* precedences, deadlines, serialize groups */
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind == MVM_C_PRECEDENCE) {
      int a = mig_index(x, k->vms[0]), b = mig_index(x, k->vms[1]);
      if (a < 0 || b < 0)
        continue;
      int ua = x->unit_of[a], ub = x->unit_of[b];
      if (ua == ub) {
        rc = mvm_err_set(err, MVM_EINFEASIBLE, "--exact: precedence inside a sync group (line %d)", k->line);
        goto done;
      }
      x->u[ub].pred[x->u[ub].npred++] = ua;
    } else if (k->kind == MVM_C_DEADLINE) {
      for (size_t i = 0; i < k->nvms; i++) {
        int m = mig_index(x, k->vms[i]);
        if (m >= 0)
          x->u[x->unit_of[m]].deadline = fmin(x->u[x->unit_of[m]].deadline, k->at);
      }
    }
  }
  for (int m = 0; m < x->nmig; m++) {
    /* each shared element its route or its route back (the acknowledgements) crosses,
     * once, with the share of the rate it takes there */
    const mvm_route* rt = &nv->routes[x->mig_vm[m]];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int el = k < rt->count ? nv->route_elems[rt->first + k] : nv->ack_elems[rt->ack_first + k - rt->count];
      int dup = 0;
      for (int j = 0; j < x->nuse[m]; j++)
        dup |= x->key[x->use[m][j]] == el;
      if (nv->elems[el].shared && !dup &&
          add_use(x, m, el, mvm_element_capacity(nv, (size_t)el), -mvm_route_load(nv, (size_t)x->mig_vm[m], el))) {
        rc = refuse(err, "more than 256 network elements and serialize groups");
        goto done;
      }
    }
  }
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SERIALIZE)
      continue;
    for (size_t i = 0; i < k->nvms; i++) {
      int m = mig_index(x, k->vms[i]);
      if (m >= 0 && add_use(x, m, -1 - (int)c, 1, 1)) {
        rc = refuse(err, "more than 256 network elements and serialize groups");
        goto done;
      }
    }
  }
  /* boots at 0 (they end at the boot duration), the shutdown durations */
  for (size_t n = 0; n < sc->nnodes; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (!nd->initially_on && nd->finally_on)
      x->fixed += sc->defaults.boot;
    if (nd->initially_on && !nd->finally_on) {
      x->fixed += sc->defaults.shutdown;
      x->shut_node[x->nshut++] = (int)n;
    }
  }
  find_symmetries(x);
  x->start_cut = 1; /* unless a unit's members run with unequal durations (see dfs) */
  for (int ui = 0; ui < x->nu; ui++)
    for (int md = 0; md < x->u[ui].nmodes; md++)
      for (int i = 1; i < x->u[ui].n; i++)
        if (fabs(x->u[ui].dur[md][i] - x->u[ui].dur[md][0]) > TOL)
          x->start_cut = 0;
  /* the incumbent's value prunes from the start: only strictly better plans are built */
  x->best = incumbent ? mvm_plan_sum_ends(incumbent) - 1e-4 : INFINITY; /* better beyond rounding */
  for (int ui = 0; ui < x->nu; ui++)
    for (int i = 0; i < x->u[ui].n; i++)
      x->u[ui].mi[i] = mig_index(x, x->u[ui].vm[i]);
  for (int r = 0; r < x->nres; r++) /* each resource's users (see peak) */
    x->nusers[r] = 0;
  for (int m = 0; m < x->nmig; m++)
    for (int k = 0; k < x->nuse[m]; k++) {
      int r = x->use[m][k], n = x->nusers[r]++;
      double a = x->amount[m][k];
      x->users[r][n] = m;
      x->fixed_use[r][n] = a < 0 ? 0 : a;
      x->rate_use[r][n] = a < 0 ? -a : 0;
    }
  for (int a = 0; a < x->nu; a++) /* units that share a resource (see dfs) */
    for (int b = 0; b < x->nu; b++) {
      x->conflict[a][b] = 0;
      for (int i = 0; i < x->u[a].n && !x->conflict[a][b]; i++)
        for (int j = 0; j < x->u[b].n && !x->conflict[a][b]; j++) {
          int ma = mig_index(x, x->u[a].vm[i]), mb = mig_index(x, x->u[b].vm[j]);
          for (int k = 0; k < x->nuse[ma] && !x->conflict[a][b]; k++)
            for (int l = 0; l < x->nuse[mb]; l++)
              if (x->use[ma][k] == x->use[mb][l])
                x->conflict[a][b] = 1;
        }
    }
  dfs(x, 0, 0, 0, -1, NULL);
  if (info) {
    info->proven = !x->stopped;
    info->nodes = x->stopped ? x->max_nodes : x->nodes; /* the one that stopped it is not visited */
    info->optimum = x->best;
    info->kept_incumbent = 0;
  }
  if (incumbent && !x->improved) { /* nothing better than the incumbent in this space */
    if (info) {
      info->kept_incumbent = 1;
      info->optimum = mvm_plan_sum_ends(incumbent);
    }
    rc = 0;
    goto done;
  }
  if (!isfinite(x->best)) {
    rc = x->stopped ? mvm_err_set(err, MVM_EINPUT, "--exact: no plan found within %ld search nodes", x->max_nodes)
                    : mvm_err_set(err, MVM_EINFEASIBLE,
                                  "--exact: infeasible: no plan at these rates meets the sync, serialize, "
                                  "precedence and deadline constraints with the links' capacities");
    goto done;
  }
  mvm_plan* plan = mvm_plan_new(err);
  if (!plan) {
    rc = MVM_ENOMEM;
    goto done;
  }
  for (size_t n = 0; n < sc->nnodes && !rc; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (!nd->initially_on && nd->finally_on)
      rc = mvm_plan_add(plan, MVM_ACT_BOOT, nd->host, nd->host, nd->host, 0, sc->defaults.boot, 0, err);
  }
  for (int m = 0; m < x->nmig && !rc; m++) {
    const mvm_vm* vm = &sc->vms[x->mig_vm[m]];
    rc = mvm_plan_add(plan, MVM_ACT_MIGRATE, vm->id, sc->nodes[vm->from].host, sc->nodes[vm->to].host,
                      x->best_at[m].t0, x->best_at[m].t1, x->best_at[m].rate * 8 / 1e6, err);
  }
  for (int s = 0; s < x->nshut && !rc; s++) {
    double last = 0;
    for (int m = 0; m < x->nmig; m++)
      if (sc->vms[x->mig_vm[m]].from == x->shut_node[s])
        last = fmax(last, x->best_at[m].t1);
    const char* h = sc->nodes[x->shut_node[s]].host;
    rc = mvm_plan_add(plan, MVM_ACT_SHUTDOWN, h, h, h, last, last + sc->defaults.shutdown, 0, err);
  }
  if (rc) {
    mvm_plan_free(plan);
    goto done;
  }
  mvm_plan_normalize(plan);
  plan->objective = mvm_plan_sum_ends(plan);
  *out = plan;
  rc = 0;
done:
  free(users);
  free(x);
  return rc;
}
