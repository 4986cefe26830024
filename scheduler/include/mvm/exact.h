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
  int proven;         /* 1 if the search finished: no plan of the space beats the result */
  long nodes;         /* search nodes visited */
  double optimum;     /* sum of end times of the result (unrounded) */
  int kept_incumbent; /* 1 if no plan of the space beats the incumbent: *out is NULL */
} mvm_exact_info;

/* Best plan over the exact mode's space, with `levels` rates per migration (1: bottleneck
 * rate only). Symmetric migrations (same source, destination, durations, resources, no
 * precedence) are tried in one order only. With an incumbent (a plan of the scenario, e.g.
 * the default scheduler's; NULL: none), only plans strictly better than it are built: the
 * search prunes with its value from the start, and when it finds none, returns 0 with *out
 * NULL and info->kept_incumbent set (so the caller never gets worse than the incumbent).
 * Stops after max_nodes search nodes (<= 0: 20 million) with the best plan found; then
 * info->proven is 0. Returns 0, MVM_EINPUT (unsupported scenario: power budget, binding
 * node capacities, too many migrations; or no plan within max_nodes and no incumbent),
 * MVM_EINFEASIBLE (no incumbent and no plan in the space) or MVM_ENOMEM. */
int mvm_solve_exact(const mvm_scenario* sc, const mvm_netview* nv, int levels, long max_nodes,
                    const mvm_plan* incumbent, mvm_plan** out, mvm_exact_info* info, mvm_error* err);

#endif
