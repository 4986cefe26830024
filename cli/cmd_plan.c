/* mvm plan: compute a plan; mvm check: verify one. */
#include "cli.h"
#include "mvm/check.h"
#include "mvm/exact.h"
#include "mvm/plan.h"
#include "mvm/policy.h"
#include "mvm/power.h"
#include "mvm/solver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A positive whole number, or -1. */
static long whole(const char* s)
{
  char* end;
  long v = strtol(s, &end, 10);
  return (end == s || *end || v < 1) ? -1 : v;
}

/* mvm plan -s POLICY: an offline policy's plan, or an online one run against the
 * prediction (mvm/policy.h). */
static int plan_policy(const char* spec, cli_args* a, const char* output, int quiet)
{
  mvm_error err = {0};
  mvm_policy_ref ref;
  if (mvm_policy_load(spec, &ref, &err))
    return cli_fail(&err);
  mvm_scenario* sc;
  mvm_netview* nv;
  mvm_plan* plan = NULL;
  int rc = cli_load(a->pos[0], a->sgargv, &a->sgargc, &sc, &nv, &err);
  if (rc) {
    mvm_policy_unload(&ref);
    return cli_fail(&err);
  }
  double t0 = now_s();
  rc = mvm_policy_plan(&ref, sc, nv, &plan, &err);
  double t1 = now_s();
  if (!rc) {
    plan->lower_bound = mvm_lower_bound(sc, nv);
    rc = mvm_plan_write(plan, output, &err);
  }
  if (!rc && !quiet)
    fprintf(stderr, "mvm plan: %s: %zu actions, sum of end times %.3f s, makespan %.3f s, lower bound %.3f s, "
            "gap %.2f%%, planned in %.6f s\n", plan->scheduler, plan->nactions, mvm_plan_sum_ends(plan),
            mvm_plan_makespan(plan), plan->lower_bound, mvm_plan_gap_percent(plan), t1 - t0);
  mvm_plan_free(plan);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  mvm_policy_unload(&ref);
  return rc ? cli_fail(&err) : 0;
}

int cmd_plan(int argc, char** argv)
{
  const char *sched = "mvm", *output = "-", *objective = "sum", *nolevels = NULL, *quiet = NULL, *exact = NULL;
  const char *xlevels = "1", *maxnodes = "20000000", *search = NULL, *progress = NULL;
  const cli_opt opts[] = {
      {"scheduler", 's', "POLICY", "mvm (default), btrplace, cap-K, a policy (one-by-one, per-host-K, kubevirt, cqncr, "
       "mvm-online: docs/policies.md) or ./policy.so (runs that code: docs/policies.md)", &sched},
      {"output", 'o', "PLAN.csv", "where to write the plan (default: standard output)", &output},
      {"objective", 0, "OBJ", "sum (of end times, default), makespan or energy", &objective},
      {"no-levels", 0, NULL, "always reserve the bottleneck rate (mVM 2015 behaviour)", &nolevels},
      {"search", 0, "N", "local search after the list scheduler: N schedule generations (default: automatic, 0: none)", &search},
      {"quiet", 'q', NULL, "do not print the summary or progress on standard error", &quiet},
      {"progress", 0, NULL, "print progress on standard error even when it is not a terminal", &progress},
      {"exact", 0, NULL, "branch and bound, proves the plan optimal (small scenarios, sum of end times)", &exact},
      {"exact-levels", 0, "K", "with --exact: rates per migration, the bottleneck and K-1 lower (default 1)", &xlevels},
      {"max-nodes", 0, "N", "with --exact: stop after N search nodes (default 20000000)", &maxnodes},
      {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("plan", opts, argc, argv, 1, "one scenario file", &a);
  if (st >= 0)
    return st;
  mvm_error err = {0};
  mvm_solver_opts o = mvm_solver_defaults();
  mvm_error serr = {0};
  if (mvm_solver_parse(sched, &o, &serr)) /* not one of the solver's own: a policy */
    return plan_policy(sched, &a, output, quiet != NULL);
  if (mvm_objective_parse(objective, &o.objective, &err))
    return cli_fail(&err);
  if (nolevels)
    o.levels = 0;
  if (search) {
    char* end;
    o.search = strtol(search, &end, 10);
    if (end == search || *end || o.search < 0 || o.search > 100000000) {
      fprintf(stderr, "mvm plan: --search must be a whole number from 0 to 100000000\n");
      return 2;
    }
  }
  long nlev = whole(xlevels), nmax = whole(maxnodes);
  if (exact && (o.kind != MVM_SCHED_MVM || o.objective != MVM_OBJ_SUM)) {
    fprintf(stderr, "mvm plan: --exact works with the mvm scheduler and the sum objective only\n");
    return 2;
  }
  if (nlev < 1 || nlev > 8 || nmax < 1) {
    fprintf(stderr, "mvm plan: --exact-levels must be 1 to 8 and --max-nodes positive\n");
    return 2;
  }
  mvm_scenario* sc;
  mvm_netview* nv;
  cli_progress_setup(quiet, progress);
  if (cli_load(a.pos[0], a.sgargv, &a.sgargc, &sc, &nv, &err))
    return cli_fail(&err);
  cli_progress_phase("planning %zu VMs with %s", sc->nvms, exact ? "--exact" : sched);
  double t0 = now_s();
  mvm_plan* plan = NULL;
  mvm_exact_info xi = {0, 0, 0, 0};
  int rc = mvm_solve(sc, nv, &o, &plan, &err);
  int exact_empty = 0; /* --exact: its space holds no plan, the default's stands */
  if (exact) {
    /* the default plan is the incumbent: --exact never returns worse */
    mvm_plan* seed = rc ? NULL : plan;
    mvm_error xerr = {0};
    plan = NULL;
    int xrc = mvm_solve_exact(sc, nv, (int)nlev, nmax, seed, &plan, &xi, &xerr);
    if (xrc == MVM_EINFEASIBLE && seed) {
      xrc = 0;
      exact_empty = 1;
    }
    if (xrc && !(xrc == MVM_EINFEASIBLE && rc == MVM_EINFEASIBLE))
      err = xerr; /* both infeasible: the default's message names what blocks */
    rc = xrc;
    if (!rc && !plan) { /* nothing better than the default plan in the exact space */
      plan = seed;
      seed = NULL;
    }
    mvm_plan_free(seed);
  }
  double t1 = now_s();
  cli_progress_end();
  if (!rc && exact && !exact_empty) {
    free(plan->scheduler);
    plan->scheduler = strdup(xi.proven ? "exact" : "exact-unproven");
    if (!plan->scheduler) {
      mvm_plan_free(plan);
      plan = NULL;
      rc = mvm_err_set(&err, MVM_ENOMEM, "out of memory");
    }
  }
  if (!rc) {
    plan->lower_bound = mvm_lower_bound(sc, nv);
    if (o.objective != MVM_OBJ_SUM) { /* the chosen objective's value and bound besides */
      double cmax = mvm_lower_bound_makespan(sc, nv);
      plan->alt_objective = o.objective == MVM_OBJ_MAKESPAN ? "makespan, s" : "energy, J";
      plan->alt_value = mvm_plan_makespan(plan);
      plan->alt_bound = o.objective == MVM_OBJ_MAKESPAN ? cmax : mvm_lower_bound_energy(sc, nv, cmax);
      if (o.objective == MVM_OBJ_ENERGY) {
        mvm_power_step* st = NULL;
        size_t nst;
        rc = mvm_plan_power(sc, plan, &st, &nst, &plan->alt_value, &err);
        free(st);
      }
    }
  }
  if (!rc) {
    double t2 = now_s();
    rc = mvm_plan_write(plan, output, &err);
    if (!rc && !quiet) {
      double obj = mvm_plan_sum_ends(plan);
      fprintf(stderr,
              "mvm plan: %s: %zu actions, sum of end times %.3f s, makespan %.3f s, lower bound %.3f s, gap %.2f%%, "
              "solved in %.6f s (bound %.6f s)\n",
              plan->scheduler, plan->nactions, obj, mvm_plan_makespan(plan), plan->lower_bound,
              mvm_plan_gap_percent(plan), t1 - t0, t2 - t1);
      if (plan->alt_objective && plan->alt_bound >= 0)
        fprintf(stderr, "mvm plan: objective %s %.3f, lower bound %.3f, gap %.2f%%\n", plan->alt_objective,
                plan->alt_value, plan->alt_bound,
                plan->alt_value > 0 ? 100 * (plan->alt_value - plan->alt_bound) / plan->alt_value : 0);
      if (exact && exact_empty)
        fprintf(stderr, "mvm plan: --exact: no plan in the exact space (bottleneck rates, boots at 0); the default "
                        "scheduler's plan kept\n");
      else if (exact)
        fprintf(stderr, "mvm plan: --exact: %s after %ld search nodes%s\n",
                xi.proven ? "optimal (search complete)" : "NOT proven optimal (stopped at --max-nodes)", xi.nodes,
                !xi.kept_incumbent ? ""
                : xi.proven        ? "; the default scheduler's plan kept: nothing in the exact space beats it"
                                   : "; the default scheduler's plan kept: nothing better found before the stop");
    }
  }
  mvm_plan_free(plan);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  return rc ? cli_fail(&err) : 0;
}

int cmd_check(int argc, char** argv)
{
  const char* max = "50";
  const cli_opt opts[] = {{"max", 0, "N", "report at most N violations (default 50)", &max}, {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("check", opts, argc, argv, 2, "a scenario and a plan", &a);
  if (st >= 0)
    return st;
  mvm_error err = {0};
  char* end;
  unsigned long maxn = strtoul(max, &end, 10);
  if (end == max || *end || max[0] == '-') {
    mvm_err_set(&err, MVM_EINPUT, "--max: '%.64s' is not a whole number", max);
    return cli_fail(&err);
  }
  mvm_plan* plan;
  mvm_scenario* sc;
  mvm_netview* nv;
  if (cli_load_with_plan(&a, &plan, &sc, &nv, &err))
    return cli_fail(&err);
  size_t nviol = 0;
  int rc = mvm_check(sc, nv, plan, a.pos[1], stdout, (size_t)maxn, &nviol, &err);
  if (!rc)
    printf("%s: %zu actions, %zu violation%s\n", a.pos[1], plan->nactions, nviol, nviol == 1 ? "" : "s");
  mvm_plan_free(plan);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  if (rc)
    return cli_fail(&err);
  return nviol ? 1 : 0;
}
