/* Step profiles and their energy (see mvm/powerstep.h). */
#include "mvm/powerstep.h"

#include <math.h>

mvm_power_meter mvm_power_meter_start(double watts, double until)
{
  return (mvm_power_meter){.t = 0, .watts = watts, .joules = 0, .until = until};
}

void mvm_power_meter_step(mvm_power_meter* m, double t, double watts)
{
  m->joules += m->watts * (fmin(t, m->until) - fmin(m->t, m->until));
  m->t = t;
  m->watts = watts;
}

double mvm_power_meter_energy(const mvm_power_meter* m, double at)
{
  return m->joules + m->watts * (fmin(at, m->until) - fmin(m->t, m->until));
}

void mvm_power_steps_append(mvm_power_step* steps, size_t* n, double t, double watts, double merge)
{
  if (*n && (t == steps[*n - 1].time || (merge > 0 && t - steps[*n - 1].time < merge)))
    steps[*n - 1].watts = watts;
  else
    steps[(*n)++] = (mvm_power_step){t, watts};
}
