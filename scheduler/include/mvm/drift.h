/* mvm — drawn workloads: the same scenario with each VM's dirtying drawn around its declared
 * workload, to see how robust a policy is when reality differs from what it was told.
 *
 * For each moving VM, in VM order, two factors f_hot and f_cold = bias x exp(sigma x Z),
 * Z standard normal (Box-Muller on mvm's own splitmix64 generator seeded with `seed`): its
 * hot-page size and cold-page rate are multiplied by them (its hot duration and used memory
 * are kept: the hypervisor knows those). Same seed, same draws, on every machine. */
#ifndef MVM_DRIFT_H
#define MVM_DRIFT_H

#include "mvm/scenario.h"

#include <stdint.h>

/* A copy of sc whose VMs each have a workload of their own, drawn as above. The copy owns
 * its arrays but shares sc's strings: free it with mvm_drift_free before sc. Returns 0, or
 * MVM_EINPUT (bias <= 0, sigma < 0 or > 3, not finite) or MVM_ENOMEM. */
int mvm_drift(const mvm_scenario* sc, uint64_t seed, double bias, double sigma, mvm_scenario** out, mvm_error* err);
void mvm_drift_free(mvm_scenario* d);

/* splitmix64: the next value of *state. */
uint64_t mvm_splitmix64(uint64_t* state);

#endif
