/* mvm — prediction models of the scheduler (no SimGrid here).
 *
 * Pre-copy live migration with shared storage and two-phase page dirtying (mVM, 2015):
 *   used memory mu, hot pages HPs rewritten within HPd (HPr = HPs/HPd), cold pages at CPr
 *   after HPd, downtime D, effective transfer rate B (bytes/s), dmin = mu / B.
 *   if dmin > HPd:  d = dmin + (HPs + (dmin - HPd) CPr) / (B - CPr)
 *                            + (HPs / B) HPr / (B - HPr) + D
 *   else:           X = HPr dmin (hot pages dirtied during round 0, no cold pages yet)
 *                   d = dmin + X / (B - HPr) + D
 *   The migration converges only if B > max(HPr, CPr).
 *
 * BtrPlace's naive model: d = memory / B (no dirty pages, no sharing).
 * Liu et al. (HPDC 2011) migration energy: E = alpha V + beta, V in MB (1e6 bytes). */
#ifndef MVM_MODEL_H
#define MVM_MODEL_H

typedef struct mvm_precopy_params {
  double used;         /* bytes          */
  double hot_size;     /* bytes (HPs)    */
  double hot_duration; /* s (HPd)        */
  double cold_rate;    /* bytes/s (CPr)  */
  double downtime;     /* s (D)          */
} mvm_precopy_params;

/* Rate (bytes/s) at or below which the migration never converges: max(HPr, CPr). */
double mvm_precopy_limit(const mvm_precopy_params* p);
/* Predicted duration (s) at effective rate B (bytes/s); INFINITY if it never converges. */
double mvm_precopy_duration(const mvm_precopy_params* p, double rate);
/* Predicted bytes sent at rate B (rounds until the stop-and-copy); INFINITY if diverging. */
double mvm_precopy_data(const mvm_precopy_params* p, double rate);
/* Lowest rate in (limit, rmax] whose duration is <= target (bisection on the decreasing
 * duration); rmax if even rmax is too slow. */
double mvm_precopy_rate_for(const mvm_precopy_params* p, double target, double rmax);

/* BtrPlace's model: memory / rate. */
double mvm_naive_duration(double memory, double rate);

/* Liu's migration energy (J) for bytes sent. */
double mvm_migration_energy(double alpha, double beta, double bytes);

#include "mvm/scenario.h"
/* Pre-copy parameters of VM v of a scenario (its workload, or the idle one). */
void mvm_vm_precopy(const mvm_scenario* sc, size_t v, mvm_precopy_params* p);

#endif
