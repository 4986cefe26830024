/* mvm — predicted power over time of a plan, and its energy.
 *
 * A node draws node-idle W while on (booted, or shutting down), node-idle x (1 +
 * boot-overhead) while booting, nothing while off; every VM draws vm-power W wherever it
 * runs; a migration draws alpha x rate (MB/s) + beta / duration W while it runs, so that
 * its energy is Liu's alpha V + beta with V the data sent at its reserved rate. */
#ifndef MVM_POWER_H
#define MVM_POWER_H

#include "mvm/error.h"
#include "mvm/plan.h"
#include "mvm/powerstep.h"
#include "mvm/scenario.h"

/* Power steps of the plan from t = 0 to its makespan (last step: the power after it), and
 * the energy (J) over [0, makespan]. *steps is malloc'ed (caller frees). Actions whose
 * subject is unknown to the scenario are ignored (the checker reports them). */
int mvm_plan_power(const mvm_scenario* sc, const mvm_plan* p, mvm_power_step** steps, size_t* nsteps,
                   double* energy, mvm_error* err);

#endif
