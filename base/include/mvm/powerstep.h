/* mvm — power as a step profile over time, and its integral: the energy. The scheduler's
 * predicted profile of a plan, the replay's simulated one and the plugin's per-host
 * energies are all integrated here, the same way.
 *
 * A meter holds the power drawn since its last step; each step integrates the time since
 * then at that power (no further than the meter's end) and sets the new power. Plain
 * values, no allocation, no error. */
#ifndef MVM_POWERSTEP_H
#define MVM_POWERSTEP_H

#include <stddef.h>

typedef struct mvm_power_step {
  double time;  /* s */
  double watts; /* from time until the next step */
} mvm_power_step;

typedef struct mvm_power_meter {
  double t;      /* s, time of the last step            */
  double watts;  /* W drawn since then                  */
  double joules; /* energy from 0 to t (clipped at until) */
  double until;  /* s, nothing counts after it (INFINITY: no end) */
} mvm_power_meter;

/* A meter at time 0 drawing `watts`, that counts nothing after `until`. */
mvm_power_meter mvm_power_meter_start(double watts, double until);
/* From time t (>= the last step) on, the profile draws `watts`. */
void mvm_power_meter_step(mvm_power_meter* m, double t, double watts);
/* Energy (J) from 0 to `at` (>= the last step), the last power held until then. */
double mvm_power_meter_energy(const mvm_power_meter* m, double at);

/* Appends the step (t, watts) to steps[0..*n) (the caller leaves room for one more), or,
 * when t is the last step's instant or (merge > 0) less than `merge` s after it, sets that step's power
 * instead (one change, not two). */
void mvm_power_steps_append(mvm_power_step* steps, size_t* n, double t, double watts, double merge);

#endif
