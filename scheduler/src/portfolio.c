/* The mvm scheduler's driver: the portfolio of schedule-generation variants, the choice
 * of the best plan and the local search from the best variants (mvm_solve); the options
 * (mvm_solver_defaults, mvm_solver_parse, mvm_objective_parse). The generation itself is
 * in schedule.c, the search in search.c, the diagnosis in diagnose.c. */
#include "mvm/exact.h"
#include "mvm/power.h"
#include "schedule.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- options ---------- */

/* See mvm/solver.h for the public functions' contracts. */
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

/* ---------- the portfolio ---------- */

/* The variants, in the order they run (ties go to the first: the order is part of the
 * result). Each row: name, priority rule, max_open (0 here: the limits come from the
 * scenario, see boot_limits), open_idle, boots_last, ack_reserve, split, even, halve_short.
 * Every row runs once per limit, where it applies (variant_applies). */
static const mvm__variant variants[] = {
  {"shortest", MVM__RULE_SHORTEST, 0, 0, 0, 0, 0, 0, 0},
  {"sources", MVM__RULE_SOURCES, 0, 0, 0, 0, 0, 0, 0},
  {"destinations", MVM__RULE_DESTINATIONS, 0, 0, 0, 0, 0, 0, 0},
  {"successors", MVM__RULE_SUCCESSORS, 0, 0, 0, 0, 0, 0, 0},
  {"interleaved", MVM__RULE_INTERLEAVED, 0, 0, 0, 0, 0, 0, 0},
  {"shortest+idle", MVM__RULE_SHORTEST, 0, 1, 0, 0, 0, 0, 0},
  {"sources+idle", MVM__RULE_SOURCES, 0, 1, 0, 0, 0, 0, 0},
  {"destinations+idle", MVM__RULE_DESTINATIONS, 0, 1, 0, 0, 0, 0, 0},
  {"successors+idle", MVM__RULE_SUCCESSORS, 0, 1, 0, 0, 0, 0, 0},
  {"interleaved+idle", MVM__RULE_INTERLEAVED, 0, 1, 0, 0, 0, 0, 0},
  {"shortest+boots-last", MVM__RULE_SHORTEST, 0, 0, 1, 0, 0, 0, 0},
  {"sources+boots-last", MVM__RULE_SOURCES, 0, 0, 1, 0, 0, 0, 0},
  {"destinations+boots-last", MVM__RULE_DESTINATIONS, 0, 0, 1, 0, 0, 0, 0},
  {"successors+boots-last", MVM__RULE_SUCCESSORS, 0, 0, 1, 0, 0, 0, 0},
  {"interleaved+boots-last", MVM__RULE_INTERLEAVED, 0, 0, 1, 0, 0, 0, 0},
  {"shortest+idle+boots-last", MVM__RULE_SHORTEST, 0, 1, 1, 0, 0, 0, 0},
  {"sources+idle+boots-last", MVM__RULE_SOURCES, 0, 1, 1, 0, 0, 0, 0},
  {"destinations+idle+boots-last", MVM__RULE_DESTINATIONS, 0, 1, 1, 0, 0, 0, 0},
  {"successors+idle+boots-last", MVM__RULE_SUCCESSORS, 0, 1, 1, 0, 0, 0, 0},
  {"interleaved+idle+boots-last", MVM__RULE_INTERLEAVED, 0, 1, 1, 0, 0, 0, 0},
  {"shortest+ack", MVM__RULE_SHORTEST, 0, 0, 0, 1, 0, 0, 0},
  {"sources+ack", MVM__RULE_SOURCES, 0, 0, 0, 1, 0, 0, 0},
  {"destinations+ack", MVM__RULE_DESTINATIONS, 0, 0, 0, 1, 0, 0, 0},
  {"successors+ack", MVM__RULE_SUCCESSORS, 0, 0, 0, 1, 0, 0, 0},
  {"interleaved+ack", MVM__RULE_INTERLEAVED, 0, 0, 0, 1, 0, 0, 0},
  {"shortest+idle+ack", MVM__RULE_SHORTEST, 0, 1, 0, 1, 0, 0, 0},
  {"sources+idle+ack", MVM__RULE_SOURCES, 0, 1, 0, 1, 0, 0, 0},
  {"destinations+idle+ack", MVM__RULE_DESTINATIONS, 0, 1, 0, 1, 0, 0, 0},
  {"successors+idle+ack", MVM__RULE_SUCCESSORS, 0, 1, 0, 1, 0, 0, 0},
  {"interleaved+idle+ack", MVM__RULE_INTERLEAVED, 0, 1, 0, 1, 0, 0, 0},
  {"shortest+boots-last+ack", MVM__RULE_SHORTEST, 0, 0, 1, 1, 0, 0, 0},
  {"sources+boots-last+ack", MVM__RULE_SOURCES, 0, 0, 1, 1, 0, 0, 0},
  {"destinations+boots-last+ack", MVM__RULE_DESTINATIONS, 0, 0, 1, 1, 0, 0, 0},
  {"successors+boots-last+ack", MVM__RULE_SUCCESSORS, 0, 0, 1, 1, 0, 0, 0},
  {"interleaved+boots-last+ack", MVM__RULE_INTERLEAVED, 0, 0, 1, 1, 0, 0, 0},
  {"shortest+idle+boots-last+ack", MVM__RULE_SHORTEST, 0, 1, 1, 1, 0, 0, 0},
  {"sources+idle+boots-last+ack", MVM__RULE_SOURCES, 0, 1, 1, 1, 0, 0, 0},
  {"destinations+idle+boots-last+ack", MVM__RULE_DESTINATIONS, 0, 1, 1, 1, 0, 0, 0},
  {"successors+idle+boots-last+ack", MVM__RULE_SUCCESSORS, 0, 1, 1, 1, 0, 0, 0},
  {"interleaved+idle+boots-last+ack", MVM__RULE_INTERLEAVED, 0, 1, 1, 1, 0, 0, 0},
  {"shortest+split2", MVM__RULE_SHORTEST, 0, 0, 0, 0, 2, 0, 0},
  {"sources+split2", MVM__RULE_SOURCES, 0, 0, 0, 0, 2, 0, 0},
  {"destinations+split2", MVM__RULE_DESTINATIONS, 0, 0, 0, 0, 2, 0, 0},
  {"sources+idle+split2", MVM__RULE_SOURCES, 0, 1, 0, 0, 2, 0, 0},
  {"sources+boots-last+split2", MVM__RULE_SOURCES, 0, 0, 1, 0, 2, 0, 0},
  {"sources+idle+boots-last+split2", MVM__RULE_SOURCES, 0, 1, 1, 0, 2, 0, 0},
  {"shortest+split4", MVM__RULE_SHORTEST, 0, 0, 0, 0, 4, 0, 0},
  {"sources+split4", MVM__RULE_SOURCES, 0, 0, 0, 0, 4, 0, 0},
  {"destinations+split4", MVM__RULE_DESTINATIONS, 0, 0, 0, 0, 4, 0, 0},
  {"cover", MVM__RULE_COVER, 0, 0, 0, 0, 0, 0, 0},
  {"cover+idle", MVM__RULE_COVER, 0, 1, 0, 0, 0, 0, 0},
  {"cover+boots-last", MVM__RULE_COVER, 0, 0, 1, 0, 0, 0, 0},
  {"cover+idle+boots-last", MVM__RULE_COVER, 0, 1, 1, 0, 0, 0, 0},
  {"sources+boots-last+even2", MVM__RULE_SOURCES, 0, 0, 1, 0, 2, 1, 0},
  {"sources+idle+boots-last+even2", MVM__RULE_SOURCES, 0, 1, 1, 0, 2, 1, 0},
  {"fill", MVM__RULE_FILL, 0, 0, 0, 0, 0, 0, 0},
  {"fill+split2", MVM__RULE_FILL, 0, 0, 0, 0, 2, 0, 0},
  {"fill+idle+split2", MVM__RULE_FILL, 0, 1, 0, 0, 2, 0, 0},
  {"fill+boots-last+split2", MVM__RULE_FILL, 0, 0, 1, 0, 2, 0, 0},
  {"fill+idle+boots-last+split2", MVM__RULE_FILL, 0, 1, 1, 0, 2, 0, 0},
  {"rounds", MVM__RULE_ROUNDS, 0, 0, 0, 0, 0, 0, 0},
  {"rounds+split2", MVM__RULE_ROUNDS, 0, 0, 0, 0, 2, 0, 0},
  {"rounds+idle+split2", MVM__RULE_ROUNDS, 0, 1, 0, 0, 2, 0, 0},
  {"shortest+half", MVM__RULE_SHORTEST, 0, 0, 0, 0, 0, 0, 1},
  {"sources+half", MVM__RULE_SOURCES, 0, 0, 0, 0, 0, 0, 1},
  {"interleaved+half", MVM__RULE_INTERLEAVED, 0, 0, 0, 0, 0, 0, 1},
  {"cover+half", MVM__RULE_COVER, 0, 0, 0, 0, 0, 0, 1},
  {"cover+boots-last+half", MVM__RULE_COVER, 0, 0, 1, 0, 0, 0, 1},
  {"sources+boots-last+half", MVM__RULE_SOURCES, 0, 0, 1, 0, 0, 0, 1},
  {"sources+idle+half", MVM__RULE_SOURCES, 0, 1, 0, 0, 0, 0, 1},
  {"sources+idle+boots-last+half", MVM__RULE_SOURCES, 0, 1, 1, 0, 0, 0, 1},
  {"interleaved+idle+boots-last+half", MVM__RULE_INTERLEAVED, 0, 1, 1, 0, 0, 0, 1},
  {"cover+idle+boots-last+half", MVM__RULE_COVER, 0, 1, 1, 0, 0, 0, 1},
};
#define NVARIANTS ((int)(sizeof variants / sizeof variants[0]))
#define MAX_LIMITS 40
/* scenarios with at most this many migrations get a bounded exact search (nodes) */
#define MVM__EXACT_SMALL 12
#define MVM__EXACT_SMALL_NODES 500000L
/* scenarios with at most this many actions (VMs + nodes) get the automatic search */
#define MVM__SEARCH_AUTO_ACTIONS 1024

/* What the portfolio depends on in the scenario. */
typedef struct portfolio_scope {
  int nboot, npower, nmig;
  int use_rule[8]; /* per mvm__rule: worth running */
  int overlap;     /* some shared element carries a migration's data and another's acks */
  int split;       /* variant split worth running: the makespan objective (and, for rows
                      even and rules 6-7, the energy objective) */
  int split_energy; /* the energy objective */
  int half;         /* the rows and moves that halve rates: scenarios of at most
                       MVM__SEARCH_AUTO_ACTIONS actions (beyond, 0.02 % on the 96,000-VM
                       decommission for 45 % more time and twice the concurrent migrations) */
  int limits[MAX_LIMITS], nlimits; /* the max_open limits, 0 (none) first */
} portfolio_scope;

/* The limits on the open set: none, then, when nodes boot under a power budget (or for
 * the energy objective), all but one down to one (halving from half when over 16 boots). */
static void boot_limits(portfolio_scope* ps, const mvm_solver_opts* o)
{
  int nboot = ps->nboot;
  ps->nlimits = 0;
  ps->limits[ps->nlimits++] = 0;
  if (nboot > 1 && (ps->npower > 0 || o->objective == MVM_OBJ_ENERGY)) {
    if (nboot <= 16)
      for (int b = nboot - 1; b >= 1; b--)
        ps->limits[ps->nlimits++] = b;
    else
      for (int b = nboot / 2; b >= 1 && ps->nlimits < MAX_LIMITS; b = b > 1 ? b / 2 : 0)
        ps->limits[ps->nlimits++] = b;
  }
}

/* Fills ps for the scenario. Returns 0 or MVM_ENOMEM. */
static int portfolio_scope_of(portfolio_scope* ps, const mvm_scenario* sc, const mvm_netview* nv,
                              const mvm_solver_opts* o, mvm_error* err)
{
  memset(ps, 0, sizeof *ps);
  for (size_t n = 0; n < sc->nnodes; n++)
    ps->nboot += !sc->nodes[n].initially_on && sc->nodes[n].finally_on;
  for (size_t v = 0; v < sc->nvms; v++)
    ps->nmig += mvm_vm_moves(&sc->vms[v]);
  for (size_t c = 0; c < sc->nconstraints; c++)
    ps->npower += sc->constraints[c].kind == MVM_C_POWER;
  boot_limits(ps, o);
  ps->split = o->objective == MVM_OBJ_MAKESPAN;
  ps->split_energy = o->objective == MVM_OBJ_ENERGY;
  ps->half = o->kind == MVM_SCHED_MVM && sc->nvms + sc->nnodes + 1 <= MVM__SEARCH_AUTO_ACTIONS;
  /* rule 3 only differs from rule 0 with precedences; rule 4 is for power budgets, where
   * the order in which sources empty (and shut down) matters most */
  ps->use_rule[MVM__RULE_SHORTEST] = ps->use_rule[MVM__RULE_SOURCES] = ps->use_rule[MVM__RULE_DESTINATIONS] = 1;
  ps->use_rule[MVM__RULE_INTERLEAVED] = ps->npower > 0;
  ps->use_rule[MVM__RULE_COVER] = ps->npower > 0 && ps->nboot > 0;
  /* rules 6-7 (destinations filled source after source) are for the makespan and energy
   * objectives, where a source's power and the last end count, not each migration's end */
  ps->use_rule[MVM__RULE_FILL] = ps->use_rule[MVM__RULE_ROUNDS] = ps->split || ps->split_energy;
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_PRECEDENCE)
      ps->use_rule[MVM__RULE_SUCCESSORS] = 1;
  /* with acknowledgements, the same plans again with room left for them (when some element
   * carries both a migration's data and another's acknowledgements) */
  if (nv->ack_factor > 0) {
    int* users = mvm_ack_users(nv, sc);
    if (!users)
      return mvm_err_set(err, MVM_ENOMEM, "out of memory");
    for (size_t v = 0; v < sc->nvms && !ps->overlap; v++)
      for (size_t k = 0; mvm_vm_moves(&sc->vms[v]) && k < nv->routes[v].count; k++) {
        int e = nv->route_elems[nv->routes[v].first + k];
        ps->overlap |= users[e] > 0 && nv->elems[e].shared;
      }
    free(users);
  }
  return 0;
}

/* Whether variant v runs under open-set limit `limit`: its rule is worth running, open_idle
 * only with a limit, boots_last only with boots under a power budget, ack_reserve only
 * where acknowledgements and data share an element, split for the makespan objective (and
 * for the energy objective in the rows even and the rules 6-7), halve_short where ps->half. */
static int variant_applies(const portfolio_scope* ps, const mvm__variant* v, int limit)
{
  int split_ok = ps->split || (ps->split_energy && (v->even || v->rule == MVM__RULE_FILL || v->rule == MVM__RULE_ROUNDS));
  return ps->use_rule[v->rule] && !(v->open_idle && limit == 0) && !(v->split > 1 && !split_ok) &&
         !(v->boots_last && !(ps->npower > 0 && ps->nboot > 0)) && !(v->ack_reserve && !ps->overlap) &&
         !(v->halve_short && !ps->half);
}

/* The value a plan is judged by, for the scenario's objective (see schedule.h). */
int mvm__plan_value(const mvm_scenario* sc, const mvm_plan* p, mvm_objective obj, double* v, mvm_error* err)
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

/* One schedule generation of variant v: 0 and a new plan in *p, or an error in err with
 * *setup_failed telling an error of the scenario itself (found while setting up, the same
 * for every variant) from one of this variant's schedule. */
static int solve_one(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, const mvm__variant* v,
                     mvm_plan** p, int* setup_failed, mvm_error* err)
{
  mvm__gen* g;
  *p = NULL;
  *setup_failed = 0;
  int rc = mvm__gen_new(sc, nv, o, v, &g, err);
  if (rc) {
    *setup_failed = 1;
    return rc;
  }
  rc = mvm__gen_run(g, NULL, NULL, NULL, err);
  if (!rc)
    rc = mvm__gen_plan(g, p, err);
  mvm__gen_free(g);
  return rc;
}

/* Runs variant v and values its plan for the objective: 0 with *p and *val set, the
 * variant's error (its plan infeasible or the scenario at fault, see *setup_failed), or
 * MVM_ENOMEM. Errors go to err. */
static int run_variant(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o,
                       const mvm__variant* v, mvm_plan** p, double* val, int* setup_failed, mvm_error* err)
{
  int rc = solve_one(sc, nv, o, v, p, setup_failed, err);
  if (!rc && (rc = mvm__plan_value(sc, *p, o->objective, val, err))) {
    mvm_plan_free(*p);
    *p = NULL;
  }
  return rc;
}

/* The three best distinct variants so far, best first (they seed the search), but those
 * that halve the short migrations' rates; the best of these apart (hvar, hv; hn: one). */
typedef struct podium {
  mvm__variant var[3];
  double v[3];
  int n;
  mvm__variant hvar;
  double hv;
  int hn;
} podium;

/* Enters variant var worth v on the podium, unless three better ones, or one as good, are
 * already there. */
static void podium_add(podium* pd, const mvm__variant* var, double v)
{
  int pos = pd->n;
  while (pos > 0 && v < pd->v[pos - 1] * (1 - 1e-9))
    pos--;
  if (pos < 3 && !(pos > 0 && v <= pd->v[pos - 1] * (1 + 1e-9))) {
    for (int k = pd->n < 3 ? pd->n : 2; k > pos; k--) {
      pd->v[k] = pd->v[k - 1];
      pd->var[k] = pd->var[k - 1];
    }
    pd->v[pos] = v;
    pd->var[pos] = *var;
    pd->n += pd->n < 3;
  }
}

/* Runs every applicable variant under every limit, in order; keeps the best plan (*best,
 * worth *best_v; ties: the first) and the podium. Returns 0 (*best NULL if no variant is
 * feasible: then *first_rc is the plain variant's error, in err), the scenario's own error,
 * or MVM_ENOMEM. */
static int run_portfolio(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o,
                         const portfolio_scope* ps, mvm_plan** best, double* best_v, podium* pd, int* first_rc,
                         mvm_error* err)
{
  mvm_error scratch;
  *best = NULL;
  *best_v = INFINITY;
  *first_rc = 0;
  for (int li = 0; li < ps->nlimits; li++)
    for (int k = 0; k < NVARIANTS; k++) {
      if (!variant_applies(ps, &variants[k], ps->limits[li]))
        continue;
      mvm__variant var = variants[k];
      var.max_open = ps->limits[li];
      int first = li == 0 && k == 0; /* the plain variant: its errors are the scenario's */
      mvm_plan* p;
      double v;
      int setup_failed;
      int rc = run_variant(sc, nv, o, &var, &p, &v, &setup_failed, first ? err : &scratch);
      if (first)
        *first_rc = rc;
      if (first && setup_failed)
        return rc; /* every variant would fail the same way */
      if (rc == MVM_ENOMEM) {
        mvm_plan_free(*best);
        *best = NULL;
        if (!first)
          *err = scratch;
        return rc;
      }
      if (rc)
        continue;
      if (!var.halve_short)
        podium_add(pd, &var, v);
      else if (!pd->hn || v < pd->hv * (1 - 1e-12)) {
        pd->hvar = var;
        pd->hv = v;
        pd->hn = 1;
      }
      if (v < *best_v * (1 - 1e-12)) {
        mvm_plan_free(*best);
        *best = p;
        *best_v = v;
      } else
        mvm_plan_free(p);
    }
  return 0;
}

/* The mvm scheduler runs a small portfolio of schedule generations and keeps the best plan
 * for the objective (ties: the first, so the result is deterministic): priority rules 0-2
 * (3 with precedences, 4 with power budgets, 5 with budgets and boots, 6-7 and the
 * half- and quarter-rate variants for the makespan and energy objectives), and, when
 * nodes boot under a power budget or for the energy objective, limits on how many booted
 * nodes may wait for their VMs at
 * once (all, then fewer... one), counting either every node with VMs still to come or
 * only those receiving none right now, and (with budgets) boots either before or after
 * the ready migrations in priority, so boots follow the migrations instead of taking the
 * budget first. Then a local search (search.c) from the three best variants, with
 * an automatic budget where the portfolio is weak: power budgets, the energy objective,
 * small scenarios. The first variant's error is reported if none is feasible. */
int mvm_solve(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, mvm_plan** out,
              mvm_error* err)
{
  *out = NULL;
  int rc = mvm__check_contradictions(sc, err);
  if (rc)
    return rc;
  if (o->kind != MVM_SCHED_MVM) {
    int setup_failed;
    return solve_one(sc, nv, o, &(mvm__variant){0}, out, &setup_failed, err);
  }
  portfolio_scope ps;
  if ((rc = portfolio_scope_of(&ps, sc, nv, o, err)))
    return rc;
  mvm_plan* best;
  double best_v;
  podium pd = {.n = 0};
  int first_rc;
  if ((rc = run_portfolio(sc, nv, o, &ps, &best, &best_v, &pd, &first_rc, err)))
    return rc;
  if (!best)
    return first_rc;
  /* automatic search budget: where the portfolio is weak (power budgets, the energy
   * objective) or the scenario is small or medium (MVM__SEARCH_AUTO_ACTIONS), about 3e5
   * actions scheduled in all, up to 2000 schedules; for the energy objective, the weakest,
   * and every objective under a power budget, about 1e6 and up to 7500 (about 1 s on the
   * 132-action decommission: its energy plan 0.7 % better, its 5.0 kW makespan plan
   * 833.6 -> 825.3 s, its 5.2 kW sum 60,348 -> 60,090 s; on tight random budgets the sum
   * 1-16 % better), 2e6 and up to 15,000 on scenarios of at most MVM__SEARCH_AUTO_ACTIONS
   * (2026-12-02: the 5.2 kW sum 60,090 -> 59,975 s, 5.0 kW 61,351 -> 61,241 s, 0.6 s more;
   * never worse: each variant's search runs the same moves further) */
  long na = (long)sc->nvms + (long)sc->nnodes + 1;
  long budget = o->search;
  if (budget < 0 && (o->objective == MVM_OBJ_ENERGY || ps.npower > 0)) {
    long acts = na <= MVM__SEARCH_AUTO_ACTIONS ? 2000000 : 1000000;
    budget = acts / na > 15000 ? 15000 : acts / na;
  }
  else if (budget < 0)
    budget = (ps.npower > 0 || na <= MVM__SEARCH_AUTO_ACTIONS) ? (300000 / na > 2000 ? 2000 : 300000 / na) : 0;
  for (int k = 0; k < pd.n && budget / pd.n > 0 && (ps.nmig > 1 || (ps.nmig == 1 && ps.nboot > 0)); k++) {
    rc = mvm__local_search(sc, nv, o, &pd.var[k], pd.v[k], budget / pd.n, 0, &best, &best_v, err);
    if (rc) {
      mvm_plan_free(best);
      return rc;
    }
  }
  /* then two more shares with the moves that halve migrations' rates (pairs of them share
   * a lane, each one's set-up overlapping the other's transfer), one from the best variant
   * that halves the short ones, one from the podium's best (each helps a different
   * decommission): the searches above are those of before these moves, so the plan is
   * never worse for them (2026-12-02: the decommission's sum
   * 57,668 -> 57,351 s, per-rack 38,454 -> 38,299 s; the budgeted ones unchanged) */
  for (int k = 0; k < 2 && ps.half && budget / (pd.n ? pd.n : 1) > 0 && ps.nmig > 1; k++) {
    if ((k == 0 && !pd.hn) || (k == 1 && !pd.n))
      continue;
    rc = mvm__local_search(sc, nv, o, k == 0 ? &pd.hvar : &pd.var[0], k == 0 ? pd.hv : pd.v[0],
                           budget / (pd.n ? pd.n : 1), 1, &best, &best_v, err);
    if (rc) {
      mvm_plan_free(best);
      return rc;
    }
  }
  /* small scenarios: a bounded branch and bound over the exact mode's space (bottleneck
   * rates, exact.c), seeded with the plan so far, may find a better order */
  if (o->search != 0 && o->objective == MVM_OBJ_SUM && ps.npower == 0 && ps.nmig >= 2 && ps.nmig <= MVM__EXACT_SMALL) {
    mvm_plan* xp = NULL;
    mvm_exact_info xi;
    mvm_error scratch;
    rc = mvm_solve_exact(sc, nv, 1, MVM__EXACT_SMALL_NODES, best, &xp, &xi, &scratch);
    if (rc == MVM_ENOMEM) {
      mvm_plan_free(best);
      *err = scratch;
      return rc;
    }
    if (!rc && xp) { /* strictly better: keep it, under the default scheduler's name */
      free(xp->scheduler);
      xp->scheduler = best->scheduler;
      best->scheduler = NULL;
      mvm_plan_free(best);
      best = xp;
    }
  }
  *out = best;
  return 0;
}
