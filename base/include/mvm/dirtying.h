/* mvm — the two-phase page dirtying of a running VM (mVM, 2015), read the same way by the
 * scheduler's models and the plugin's rounds.
 *
 * Hot pages HPs are rewritten within HPd (at HPr = HPs / HPd), cold pages at CPr after HPd:
 * over an interval of length t a VM dirties min(HPs, HPr t) + CPr max(0, t - HPd). Of that,
 * the share `resend` must be sent again by the next pre-copy round (the rest was dirtied
 * ahead of the round's scan and went with it). Pure functions: no state, no error. */
#ifndef MVM_DIRTYING_H
#define MVM_DIRTYING_H

typedef struct mvm_dirtying {
  double hot_size;     /* bytes (HPs)   */
  double hot_duration; /* s (HPd)       */
  double cold_rate;    /* bytes/s (CPr) */
} mvm_dirtying;

/* The idle workload, for a VM that declares none: 5 MB of hot pages over 3 s, no cold. */
mvm_dirtying mvm_dirtying_idle(void);

/* Bytes to send again after an interval of t s: the data dirtied meanwhile x resend. */
double mvm_dirtied(const mvm_dirtying* w, double t, double resend);

#endif
