/* mvm — lower bounds on what any plan of a scenario achieves (see bound.c): the sum of
 * end times, the makespan and the energy. They judge the schedulers' plans (the gap). */
#ifndef MVM_BOUND_H
#define MVM_BOUND_H

#include "mvm/netview.h"
#include "mvm/scenario.h"

/* A lower bound on the sum of end times of every plan of the scenario (see bound.c). */
double mvm_lower_bound(const mvm_scenario* sc, const mvm_netview* nv);
/* Lower bounds on the makespan (s) and on the energy (J, until the plan ends, given cmax a
 * lower bound on the makespan); see bound.c. -1 if out of memory. */
double mvm_lower_bound_makespan(const mvm_scenario* sc, const mvm_netview* nv);
double mvm_lower_bound_energy(const mvm_scenario* sc, const mvm_netview* nv, double cmax);

#endif
