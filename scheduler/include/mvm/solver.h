/* mvm — the migration scheduler.
 *
 * The default scheduler ("mvm") is an event-driven schedule generator over cumulative
 * resources: one per shared network element (capacity = nominal bandwidth x bandwidth
 * factor), one per power budget, per node memory and cores, one per serialize group. At
 * each instant an action ends, the ready actions are tried in priority order (deadline,
 * then shortest predicted duration for the sum-of-ends objective); an action that does
 * not fit waits on the resource that blocked it and is tried again only when that
 * resource frees capacity, which keeps the run near-linear in the number of actions.
 * A migration gets its path's bottleneck rate, or a lower level (down to a quarter of it,
 * always above its never-converges limit) when starting now at that rate ends sooner
 * than waiting for the next release would. Sync groups start together and end together:
 * the shorter members get the lower rate that makes them last as long as the longest.
 *
 * That generation runs as a small portfolio and the best plan for the objective is kept:
 * three priority rules (shortest first; sources ranked by what they send, so they empty
 * and shut down one after the other; destinations ranked, so they fill one after the
 * other), and, when nodes boot under a power budget (or for the energy objective), limits
 * on how many booted nodes may wait for VMs at once, so boots follow the migrations
 * instead of taking the whole budget first (without a limit, a tight budget can be spent
 * on idle new nodes and leave no power for any migration); on scenarios of at most 1,024
 * actions also rows that run the migrations at most as long as the median at half their
 * rate (two side by side share what one at full rate takes, and each one's set-up, which
 * holds its rate, overlaps the other's transfer). Then a local search (unless search is
 * 0; on those scenarios its last shares may also halve a migration's rate or set it back
 * to full), and, for the sum objective without power budgets on scenarios of at most 12
 * migrations, a branch and bound over the exact mode's space (mvm/exact.h) bounded to 1e5
 * search nodes and seeded with the plan so far: it replaces the plan only when it finds a
 * strictly better one (also skipped when search is 0).
 *
 * Baselines: "btrplace" (all migrations at once, network ignored, d = memory / rate) and
 * "cap-K" (at most K concurrent migrations, first come first served, bottleneck rate,
 * network ignored). */
#ifndef MVM_SOLVER_H
#define MVM_SOLVER_H

#include "mvm/bound.h" /* the lower bounds, declared here before */
#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/scenario.h"

typedef enum { MVM_SCHED_MVM, MVM_SCHED_BTRPLACE, MVM_SCHED_CAP } mvm_sched_kind;
typedef enum { MVM_OBJ_SUM, MVM_OBJ_MAKESPAN, MVM_OBJ_ENERGY } mvm_objective;

typedef struct mvm_solver_opts {
  mvm_sched_kind kind;
  int cap_k;              /* for MVM_SCHED_CAP */
  mvm_objective objective;
  int levels;             /* 1: may choose a rate below the bottleneck (mvm only) */
  long search;            /* local search after the portfolio (mvm only): schedule generations
                             to try; -1 (default): automatic (see portfolio.c), 0: none
                             (then no bounded exact search either: the portfolio alone) */
} mvm_solver_opts;

/* Default options: mvm scheduler, sum of end times, bandwidth levels on. */
mvm_solver_opts mvm_solver_defaults(void);
/* Parses "mvm", "btrplace" or "cap-K" into o->kind / o->cap_k. Returns 0 or MVM_EINPUT. */
int mvm_solver_parse(const char* name, mvm_solver_opts* o, mvm_error* err);
/* Parses "sum", "makespan" or "energy". */
int mvm_objective_parse(const char* name, mvm_objective* obj, mvm_error* err);

/* Computes a plan. Returns 0 and a new plan (free with mvm_plan_free), MVM_EINFEASIBLE
 * with the constraints in conflict named, or MVM_EINPUT for migrations that never converge. */
int mvm_solve(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o,
              mvm_plan** out, mvm_error* err);

#endif
