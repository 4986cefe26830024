/* mvm — exact mode for small scenarios: branch and bound that proves a plan optimal for
 * the sum of end times within a stated plan space (see exact.c). */
#ifndef MVM_EXACT_H
#define MVM_EXACT_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/scenario.h"

#define MVM_EXACT_MAX 12 /* migrations at most */

typedef struct mvm_exact_info {
  int proven;     /* 1 if the search finished (the plan is optimal), 0 if it hit max_nodes */
  long nodes;     /* search nodes visited */
  double optimum; /* sum of end times of the plan (unrounded) */
} mvm_exact_info;

/* Best plan over the exact mode's space, with `levels` rates per migration (1: bottleneck
 * rate only). Stops after max_nodes search nodes (<= 0: 20 million) with the best plan
 * found. Returns 0, MVM_EINPUT (unsupported scenario: power budget, binding node
 * capacities, too many migrations), MVM_EINFEASIBLE or MVM_ENOMEM. */
int mvm_solve_exact(const mvm_scenario* sc, const mvm_netview* nv, int levels, long max_nodes, mvm_plan** out,
                    mvm_exact_info* info, mvm_error* err);

#endif
