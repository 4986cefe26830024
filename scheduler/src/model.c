#include "mvm/model.h"
#include "mvm/netview.h"
#include "mvm/dirtying.h"

#include <math.h>

/* Share of the dirtied data a round sends again: the rounds model's calibration; the seed's
 * closed form sends it all. */
static double resend(const mvm_precopy_params* p) { return p->model == MVM_PRECOPY_ROUNDS ? p->resend : 1.0; }

double mvm_precopy_limit(const mvm_precopy_params* p)
{
  double hpr = (p->hot_size > 0 && p->hot_duration > 0) ? p->hot_size / p->hot_duration : 0;
  return (hpr > p->cold_rate ? hpr : p->cold_rate) * resend(p);
}

/* Data to send again after an interval of length t (two-phase model, x the resent share). */
static double dirtied(const mvm_precopy_params* p, double t)
{
  mvm_dirtying w = {p->hot_size, p->hot_duration, p->cold_rate};
  return mvm_dirtied(&w, t, resend(p));
}

/* The protocol's rounds at rate B (see model.h): duration (s), and bytes sent in *data. */
static double rounds(const mvm_precopy_params* p, double rate, double* data)
{
  double lat = p->round_latency > 0 ? p->round_latency : 0;
  double s = p->used, t = lat + s / rate, d = (p->setup > 0 ? p->setup : 0) + t, sent = s;
  for (int i = 0; i < MVM_PRECOPY_MAX_ROUNDS; i++) {
    double w = dirtied(p, t);
    if (w * t <= s * p->downtime) { /* fits in the downtime at the rate just observed */
      *data = sent + w;
      return d + lat + w / rate;    /* the stop-and-copy */
    }
    double next = lat + w / rate;
    if (next >= t * (1 - 1e-12))
      break; /* rounds no longer shrink: it never fits in the downtime */
    s = w;
    t = next;
    d += t;
    sent += s;
  }
  *data = INFINITY;
  return INFINITY;
}

double mvm_precopy_duration(const mvm_precopy_params* p, double rate)
{
  if (!(rate > 0) || rate <= mvm_precopy_limit(p))
    return INFINITY;
  if (p->model == MVM_PRECOPY_ROUNDS) {
    double data;
    return rounds(p, rate, &data);
  }
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
  if (!(rate > 0) || rate <= mvm_precopy_limit(p))
    return INFINITY;
  if (p->model == MVM_PRECOPY_ROUNDS) {
    double data;
    rounds(p, rate, &data);
    return data;
  }
  double d = mvm_precopy_duration(p, rate);
  return isfinite(d) ? rate * (d - p->downtime) : INFINITY;
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

void mvm_vm_precopy(const mvm_scenario* sc, const mvm_netview* nv, size_t v, mvm_precopy_params* p)
{
  const mvm_vm* vm = &sc->vms[v];
  p->used = vm->used;
  mvm_vm_workload(sc, vm, &p->hot_size, &p->hot_duration, &p->cold_rate);
  p->downtime = sc->defaults.downtime;
  p->model = sc->defaults.precopy_model;
  p->round_latency = nv && v < nv->nroutes ? nv->routes[v].latency * sc->defaults.lat_factor : 0;
  p->setup = sc->defaults.mig_setup;
  p->resend = sc->defaults.resend;
}
