#include "mvm/model.h"

#include <math.h>

double mvm_precopy_limit(const mvm_precopy_params* p)
{
  double hpr = (p->hot_size > 0 && p->hot_duration > 0) ? p->hot_size / p->hot_duration : 0;
  return hpr > p->cold_rate ? hpr : p->cold_rate;
}

double mvm_precopy_duration(const mvm_precopy_params* p, double rate)
{
  if (!(rate > 0) || rate <= mvm_precopy_limit(p))
    return INFINITY;
  double hpr = (p->hot_size > 0 && p->hot_duration > 0) ? p->hot_size / p->hot_duration : 0;
  double dmin = p->used / rate;
  double d;
  if (dmin > p->hot_duration) {
    double cold = (p->hot_size + (dmin - p->hot_duration) * p->cold_rate) / (rate - p->cold_rate);
    double hot = (p->hot_size / rate) * hpr / (rate - hpr);
    d = dmin + cold + hot;
  } else {
    double x = hpr * dmin;
    d = dmin + x / (rate - hpr);
  }
  return d + p->downtime;
}

double mvm_precopy_data(const mvm_precopy_params* p, double rate)
{
  double d = mvm_precopy_duration(p, rate);
  if (!isfinite(d))
    return INFINITY;
  return rate * (d - p->downtime);
}

double mvm_precopy_rate_for(const mvm_precopy_params* p, double target, double rmax)
{
  if (mvm_precopy_duration(p, rmax) >= target)
    return rmax;
  double lo = mvm_precopy_limit(p), hi = rmax; /* d(lo) = inf > target, d(hi) < target */
  for (int i = 0; i < 100 && hi - lo > 1e-9 * rmax; i++) {
    double mid = 0.5 * (lo + hi);
    if (mvm_precopy_duration(p, mid) <= target)
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

double mvm_naive_duration(double memory, double rate) { return rate > 0 ? memory / rate : INFINITY; }

double mvm_migration_energy(double alpha, double beta, double bytes) { return alpha * bytes / 1e6 + beta; }

void mvm_vm_precopy(const mvm_scenario* sc, size_t v, mvm_precopy_params* p)
{
  const mvm_vm* vm = &sc->vms[v];
  p->used = vm->used;
  mvm_vm_workload(sc, vm, &p->hot_size, &p->hot_duration, &p->cold_rate);
  p->downtime = sc->defaults.downtime;
}
