/* The two-phase dirtying (see mvm/dirtying.h). */
#include "mvm/dirtying.h"

#include <math.h>

mvm_dirtying mvm_dirtying_idle(void) { return (mvm_dirtying){.hot_size = 5e6, .hot_duration = 3.0, .cold_rate = 0}; }

double mvm_dirtied(const mvm_dirtying* w, double t, double resend)
{
  double hot = w->hot_duration > 0 ? fmin(w->hot_size, w->hot_size / w->hot_duration * t) : w->hot_size;
  return (hot + w->cold_rate * fmax(0, t - w->hot_duration)) * resend;
}
