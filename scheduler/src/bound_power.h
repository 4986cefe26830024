/* Boots against the migrations' power under a budget (part of the sum's lower bound). */
#ifndef MVM_BOUND_POWER_H
#define MVM_BOUND_POWER_H

#include <stddef.h>

#include "mvm/scenario.h"

/* A boot this short (s) may end as it starts (mvm check accepts durations 1e-5 s off):
 * the bounds then do not count on the overhead it draws until its end. */
#define MVM__BOOT_INSTANT 1e-4

/* What a power budget that holds from time 0 on leaves (bound.c's boot_delays): the slack
 * s0 over the first draw (W), a booting node's draw pb, the draw it gives back once booted
 * (credit), a source's idle draw given back once off, the boot and shutdown times; joules
 * per byte sent (alpha / 1e6); the k-th boot's least start s[k] (ascending, nb of them);
 * the instants u[] (ascending) at which the most sources that can be off by then grows by
 * one; of the sources that shut down, those not all of whose migrations cross the element:
 * the least instant each can be off (uo, ascending), the others (the group): the same (ui),
 * and the data the g of them sending least send in all, dg[g - 1] (bytes, ascending).
 * Sources off by t: at most #(uo <= t) + min(#(ui <= t), #(dg <= the data the element
 * carried by t - shutdown)), and at most cover[boots ended by t - lag]. */
typedef struct mvm__boot_power {
  double s0, pb, credit, idle, boot, shutdown, j_per_byte;
  size_t nb, nu, nuo, nui, ndg;
  const double *s, *u, *uo, *ui, *dg;
  const double* cover; /* NULL, or cover[j], j = 0..nb: the most sources off with j boots ended */
  double lag;          /* ... ended by lag before (the shutdown plus the least migration into a boot) */
  /* NULL, or per boot (in start order) whether vfloor bounds the migrations' sum w C plus
   * that boot's start (bound.c, boots_gain) rather than the sum alone: such a boot's start
   * is charged theta x its start where the others are charged it in full */
  const unsigned char* cov;
} mvm__boot_power;

/* A migration through one shared element: p the time the element takes to carry the data it
 * sends at least at its full capacity (s), w its weight, own half the least time its data
 * takes at its own rate (s). */
typedef struct mvm__pjob {
  double p, w, own;
  size_t rd; /* in any plan, at most as many jobs of its kind are released with d boots ended
              * as have rd <= d (0: released from r0) */
} mvm__pjob;

/* A lower bound on (sum of the boots' starts) + V, V = sum w_j C_j over the n migrations
 * of one shared element of capacity cap (bytes/s), none of which sends a byte before r0,
 * given that V >= vfloor (with bp->cov: V + the starts of the boots it marks >= vfloor).
 * At least vfloor + sum s[k] (over the boots not marked). Reorders jobs. */
double mvm__boot_power_bound(const mvm__boot_power* bp, mvm__pjob* jobs, size_t n, double cap, double r0,
                             double vfloor);

/* cover[j], j = 0..nb (nb: the nodes that boot): the most sources that shut down whose
 * migrations all go to nodes that do not boot or to some j of those that do (a source goes
 * off only once each of its migrations has ended, into a node up by then). Exact when nb <=
 * 18 (sums over submasks), else the sources that need at most j distinct boots; INFINITY
 * (no limit) when out of memory. */
void mvm__source_cover(const mvm_scenario* sc, size_t nb, double* cover);

#endif
