/* mvm — prediction models of the scheduler (no SimGrid here).
 *
 * Pre-copy live migration with shared storage and two-phase page dirtying (mVM, 2015):
 *   used memory mu, hot pages HPs rewritten within HPd (HPr = HPs/HPd), cold pages at CPr
 *   after HPd, downtime D, effective transfer rate B (bytes/s), dmin = mu / B.
 *   The migration converges only if B > max(HPr, CPr).
 *
 * Two duration models:
 * - MVM_PRECOPY_ROUNDS (default): the protocol's rounds at rate B, each also paying the
 *   route's latency l (SimGrid: latency-factor x the sum of the links' latencies). Round 0
 *   sends S0 = mu in T0 = l + mu/B; a round of length T dirties
 *   W(T) = min(HPs, HPr T) + CPr max(0, T - HPd), sent by the next round in l + W/B. When
 *   W fits in the downtime at the rate the last round achieved (W <= D S/T), the VM stops
 *   and the rest goes in l + W/B (the stop-and-copy). d = T0 + T1 + ... + Tn. If the rounds
 *   stop shrinking before that (or after MVM_PRECOPY_MAX_ROUNDS), it never converges.
 * - MVM_PRECOPY_PAPER: the seed's closed form,
 *   if dmin > HPd:  d = dmin + (HPs + (dmin - HPd) CPr) / (B - CPr)
 *                            + (HPs / B) HPr / (B - HPr) + D
 *   else:           X = HPr dmin (hot pages dirtied during round 0, no cold pages yet)
 *                   d = dmin + X / (B - HPr) + D
 *   It counts the hot pages re-sent after round 0 once, as if the round that sends the data
 *   of round 0 were shorter than HPd: when it is longer, the whole hot set is dirty again
 *   and the formula is optimistic (by 2.5 % for a 4000 MB stressed VM at 500 Mb/s:
 *   bench/compare_builtin.sh); it also adds the full downtime D where the protocol stops
 *   as soon as the rest fits in it.
 *
 * BtrPlace's naive model: d = memory / B (no dirty pages, no sharing).
 * The two-phase dirtying is mvm/dirtying.h's, Liu's migration energy mvm/energy.h's (both
 * in the base library, shared with the plugin). */
#ifndef MVM_MODEL_H
#define MVM_MODEL_H

#include "mvm/energy.h"

typedef struct mvm_precopy_params {
  double used;         /* bytes          */
  double hot_size;     /* bytes (HPs)    */
  double hot_duration; /* s (HPd)        */
  double cold_rate;    /* bytes/s (CPr)  */
  double downtime;     /* s (D)          */
  int model;           /* MVM_PRECOPY_ROUNDS (0) or MVM_PRECOPY_PAPER */
  double round_latency; /* s paid by every round (rounds model only) */
  double setup;         /* s before the first round (rounds model only) */
  double resend;        /* share of the dirtied data sent again (rounds model only; 1 = all) */
} mvm_precopy_params;

#define MVM_PRECOPY_MAX_ROUNDS 10000

/* Rate (bytes/s) at or below which the migration never converges: max(HPr, CPr). */
double mvm_precopy_limit(const mvm_precopy_params* p);
/* Predicted duration (s) at effective rate B (bytes/s); INFINITY if it never converges. */
double mvm_precopy_duration(const mvm_precopy_params* p, double rate);
/* Predicted bytes sent at rate B (every round, stop-and-copy included); INFINITY if diverging. */
double mvm_precopy_data(const mvm_precopy_params* p, double rate);
/* Lowest rate in (limit, rmax] whose duration is <= target (bisection on the decreasing
 * duration); rmax if even rmax is too slow. */
double mvm_precopy_rate_for(const mvm_precopy_params* p, double target, double rmax);

/* BtrPlace's model: memory / rate. */
double mvm_naive_duration(double memory, double rate);

#include "mvm/scenario.h"
struct mvm_netview;
/* Pre-copy parameters of VM v of a scenario (its workload, or the idle one; the latency of
 * its route in nv, none if nv is NULL). */
void mvm_vm_precopy(const mvm_scenario* sc, const struct mvm_netview* nv, size_t v, mvm_precopy_params* p);

#endif
