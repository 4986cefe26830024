/* Internal to the scheduler library (not installed): the interface between the schedule
 * generation (schedule.c, schedule_setup.c), the portfolio and its driver (portfolio.c),
 * the local search (search.c) and the infeasibility diagnosis (diagnose.c). Names with two
 * underscores (mvm__...) are internal: they may change without notice.
 *
 * A generator is one variant of the list scheduler set up for one scenario: create it
 * (mvm__gen_new), run it with the variant's own priorities or with given ones and release
 * times (mvm__gen_run, as often as wanted; each run starts afresh), read back the plan
 * (mvm__gen_plan) or the start of each action (mvm__gen_start), free it (mvm__gen_free).
 * Actions are numbered 0..mvm__gen_size()-1; mvm__gen_action says what each one is. */
#ifndef MVM_SCHEDULE_H
#define MVM_SCHEDULE_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/scenario.h"
#include "mvm/solver.h"

/* Priority bands: an action with a lower priority is tried first. The rules' own
 * priorities (durations, plus node ranks times twice the longest duration) stay far inside
 * (-1e12, 1e12), so the bands below are never crossed by them:
 *   MVM__PRIO_FIRST     boots and shutdowns: they gate migrations and free power;
 *   MVM__PRIO_DEADLINE  + the deadline (s): migrations with a deadline, earliest first,
 *                       after boots and shutdowns, before every other migration;
 *   MVM__PRIO_LAST      boots under variant boots_last: they take only the power the
 *                       ready migrations leave. */
#define MVM__PRIO_FIRST (-2e12)
#define MVM__PRIO_DEADLINE (-1e12)
#define MVM__PRIO_LAST 2e12

/* The priority rules of the portfolio. */
typedef enum {
  MVM__RULE_SHORTEST,     /* shortest first (longest first for the makespan) */
  MVM__RULE_SOURCES,      /* sources ranked by what they send: they empty one after the other */
  MVM__RULE_DESTINATIONS, /* destinations ranked the same way: they fill one after the other */
  MVM__RULE_SUCCESSORS,   /* shortest first, weighted by the migrations that wait for it */
  MVM__RULE_INTERLEAVED,  /* MVM__RULE_SOURCES interleaved over the sources' busiest elements */
  MVM__RULE_COVER,        /* power budgets: boots in the order that lets the most sources empty,
                             sources in the order they can */
  MVM__RULE_FILL          /* destinations fill one after the other (rule 2's order), each from
                             its sources one after the other: sources ranked by their first
                             destination's rank, then by what they send */,
  MVM__RULE_ROUNDS        /* rule 6's sources, every destination's first one first, then
                             every destination's second one...: destinations fill at once */
} mvm__rule;

/* A variant of the schedule generation: its priority rule, limit and switches. */
typedef struct mvm__variant {
  const char* name;
  mvm__rule rule;
  int max_open;    /* at most this many booted nodes wait for their VMs at once (0: no limit) */
  int open_idle;   /* that set counts only booted nodes receiving nothing right now */
  int boots_last;  /* boots after the ready migrations in priority (MVM__PRIO_LAST) */
  int ack_reserve; /* a migration's full rate leaves room, on every element of its route, for
                      the acknowledgements of one migration going the other way */
  int split;       /* > 1: a migration that dirties little runs at 1/split of its route's rate
                      when that costs less than split times its duration (its set-up, which
                      holds the rate, then overlaps the others' transfers): for the makespan
                      and energy objectives; 98 % of split times its duration, unless even */
  int even;        /* with split: the slower rate as soon as it lasts under split times the
                      full-rate duration (sends less); rules 6-7 always: their lanes pack */
  int halve_short; /* the migrations at most as long as the median (full rate) at half their
                      rate: two share a lane and each one's set-up overlaps the other's
                      transfer (the sum: the short ones end a little later, all the rest
                      sooner) */
} mvm__variant;

typedef struct mvm__gen mvm__gen;

/* ---------- schedule.c ---------- */

/* Sets up variant v of o's scheduler for the scenario (sc, nv and v must outlive the
 * generator; v is copied). Returns 0 and *out (free with mvm__gen_free), or the scenario's
 * own error (MVM_EINFEASIBLE: a budget below the initial draw, migrations that never
 * converge, a VM in two sync groups; MVM_ENOMEM) with *out NULL and err set. */
int mvm__gen_new(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o, const mvm__variant* v,
                 mvm__gen** out, mvm_error* err);
/* Runs the schedule generation with the priorities prio (one per action; NULL: the
 * variant's rule), release times (one per action, no action starts before; NULL: none) and
 * halves (one per action, NULL: none): a migration with a non-zero entry, in no sync group,
 * runs at half its full rate when that converges (schedule_setup.c); all three are
 * read during the call only. Returns 0 (a schedule), MVM_EINFEASIBLE (a deadlock
 * or a missed deadline, explained in err) or MVM_ENOMEM. */
int mvm__gen_run(mvm__gen* g, const double* prio, const double* release, const unsigned char* halve,
                 mvm_error* err);
/* The number of actions. */
int mvm__gen_size(const mvm__gen* g);
/* What action i is: its kind, and its source and destination nodes (a boot or a shutdown:
 * its node, twice). */
void mvm__gen_action(const mvm__gen* g, int i, mvm_action_kind* kind, int* from, int* to);
/* What action i acts on: its VM index (a migration) or node index (a boot, a shutdown). */
int mvm__gen_ref(const mvm__gen* g, int i);
/* The priorities of the last run (before any run: the rule's), one per action; owned by g. */
const double* mvm__gen_priorities(const mvm__gen* g);
/* The start (s) of action i in the last successful run. */
double mvm__gen_start(const mvm__gen* g, int i);
/* Whether migration i ran at half its full rate in the last run (the halve argument, or the
 * variant's halve_short). */
int mvm__gen_halved(const mvm__gen* g, int i);
/* The plan of the last successful run: 0 and a new plan (free with mvm_plan_free), or
 * MVM_ENOMEM with *out NULL. */
int mvm__gen_plan(const mvm__gen* g, mvm_plan** out, mvm_error* err);
/* Frees g (NULL: nothing). */
void mvm__gen_free(mvm__gen* g);

/* ---------- diagnose.c ---------- */

/* Constraints that contradict each other whatever the durations (sync against serialize
 * or precedence). Returns 0, MVM_EINFEASIBLE naming both constraints, or MVM_ENOMEM. */
int mvm__check_contradictions(const mvm_scenario* sc, mvm_error* err);
/* After a run where no action could start: sets err (MVM_EINFEASIBLE) to what the
 * stuck actions wait for. */
void mvm__explain_deadlock(const mvm__gen* g, mvm_error* err);
/* After a run: 0 if every deadline is met, else MVM_EINFEASIBLE with the first missed one
 * and what delayed it in err. */
int mvm__check_deadlines(const mvm__gen* g, mvm_error* err);

/* ---------- portfolio.c ---------- */

/* The value of plan p for the objective (s or J) in *v. Returns 0 or an error of
 * mvm_plan_power (MVM_ENOMEM). */
int mvm__plan_value(const mvm_scenario* sc, const mvm_plan* p, mvm_objective obj, double* v, mvm_error* err);

/* ---------- search.c ---------- */

/* Local search from variant v0 (whose plan is worth v0_value) for `budget` schedule
 * generations, with the moves that halve migrations' rates when `halves` (without, the
 * moves and their random numbers are those of before them); replaces *best (worth
 * *best_v; the old plan is freed) when it finds better.
 * Returns 0, or an error (MVM_ENOMEM, or v0's own) in err with *best unchanged. */
int mvm__local_search(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o,
                      const mvm__variant* v0, double v0_value, long budget, int halves, mvm_plan** best,
                      double* best_v, mvm_error* err);

#endif
