/* mvm — a plan: one action a row (migrate, boot, shutdown) with its start, its predicted
 * end and, for migrations, the bandwidth reserved for it.
 *
 * CSV, header `action,subject,from,to,start,end,bandwidth_mbps`, sorted by start then
 * subject; times in seconds with 6 decimals, bandwidth in Mb/s (1e6 bits/s) of effective
 * flow rate with 6 decimals, empty for boot and shutdown. Lines starting with '#' are
 * comments (`# key: value` metadata: scheduler, objective, lower bound, gap). Values are
 * quantised to those decimals before writing, so a plan reads back bit-exactly. */
#ifndef MVM_PLAN_H
#define MVM_PLAN_H

#include "mvm/error.h"

#include <stddef.h>
#include <stdio.h>

typedef enum { MVM_ACT_MIGRATE, MVM_ACT_BOOT, MVM_ACT_SHUTDOWN } mvm_action_kind;

typedef struct mvm_action {
  mvm_action_kind kind;
  char* subject; /* VM id for migrate, host for boot/shutdown */
  char* from;    /* source host (migrate), the host itself (boot/shutdown) */
  char* to;      /* destination host (migrate), the host itself (boot/shutdown) */
  double start;  /* s */
  double end;    /* s, predicted */
  double bandwidth_mbps; /* reserved effective rate, Mb/s; 0 for boot and shutdown */
  int line;      /* line in the CSV it was read from, 0 if computed */
} mvm_action;

typedef struct mvm_plan {
  mvm_action* actions;
  size_t nactions, cap;
  char* scheduler;    /* which scheduler made it (metadata, may be NULL) */
  double objective;   /* sum of end times (s), as predicted */
  double lower_bound; /* on that objective, < 0 if unknown */
  /* the objective the plan was made for when it is not the sum of end times (metadata):
   * its name and unit ("makespan, s", "energy, J"; NULL: none), value and lower bound */
  const char* alt_objective;
  double alt_value, alt_bound;
  /* 1: an executed timeline (an online policy's run in the simulation, `# timeline:
   * executed`): its migrations last what the simulation measured, not what the model
   * predicts, so mvm check does not hold their durations to the model, and checks that
   * sync members start together (what an executor controls) instead of ending together */
  int executed;
} mvm_plan;

mvm_plan* mvm_plan_new(mvm_error* err);
void mvm_plan_free(mvm_plan* p);
/* Appends an action (strings copied). Returns 0 or MVM_ENOMEM. */
int mvm_plan_add(mvm_plan* p, mvm_action_kind kind, const char* subject, const char* from,
                 const char* to, double start, double end, double bandwidth_mbps, mvm_error* err);
/* Rounds times and bandwidths to the written precision and sorts by start, then subject,
 * then kind. */
void mvm_plan_normalize(mvm_plan* p);
/* Sum of end times of all actions. */
double mvm_plan_sum_ends(const mvm_plan* p);
double mvm_plan_makespan(const mvm_plan* p);
/* Gap of the sum of end times to p->lower_bound, in percent; 0 when the two agree within the
 * plan's 1 us rounding per action (never "-0.00"). Negative only if the bound is wrong. */
double mvm_plan_gap_percent(const mvm_plan* p);

const char* mvm_action_kind_name(mvm_action_kind k);

/* Writes the plan as CSV (normalises it first), atomically; "-" is stdout. */
int mvm_plan_write(mvm_plan* p, const char* path, mvm_error* err);
int mvm_plan_write_fp(mvm_plan* p, FILE* fp);
/* Bounds of the plan reader: a longer line, or more actions, is refused. */
#define MVM_PLAN_MAX_LINE 4096
#define MVM_PLAN_MAX_ACTIONS 4000000
/* Reads a CSV plan. Errors name "file:line: column or action: what" (MVM_EINPUT); ids must
 * be valid (mvm/ident.h), lines at most MVM_PLAN_MAX_LINE bytes, without NUL bytes. */
int mvm_plan_read(const char* path, mvm_plan** out, mvm_error* err);

#endif
