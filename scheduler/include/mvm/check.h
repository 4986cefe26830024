/* mvm — the independent plan checker. It shares nothing with the solver but the scenario,
 * the network view, the duration model and the power profile: it sweeps every network
 * element, node and power budget over time and checks every constraint. */
#ifndef MVM_CHECK_H
#define MVM_CHECK_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/scenario.h"

#include <stdio.h>

/* Checks plan p (read from plan_path, for messages) against the scenario. Prints one line
 * per violation on out ("PLAN:LINE: t=...s: action subject: what"), at most max_report of
 * them, and returns their total count in *nviolations. Returns 0, or an error code if the
 * check itself could not run (out of memory). */
int mvm_check(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const char* plan_path,
              FILE* out, size_t max_report, size_t* nviolations, mvm_error* err);

/* Same, and counts in *nstructural the violations that make the plan impossible to execute
 * * (unknown VM or node, wrong endpoints, an action twice, a node booted or shut
 * down against the scenario, a rate at which one copy of the memory takes over 10^7 s);
 * the others (durations, capacities, order, constraints, budgets) a simulation can still
 * play out. */
int mvm_check_ex(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const char* plan_path,
                 FILE* out, size_t max_report, size_t* nviolations, size_t* nstructural, mvm_error* err);

#endif
