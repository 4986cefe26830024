/* Drawn workloads (mvm/drift.h). */
#include "mvm/drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t mvm_splitmix64(uint64_t* s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double uniform(uint64_t* s) { return ((double)(mvm_splitmix64(s) >> 11) + 0.5) / 9007199254740992.0; }

static double normal(uint64_t* s)
{
  double u = uniform(s), v = uniform(s);
  return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

int mvm_drift(const mvm_scenario* sc, uint64_t seed, double bias, double sigma, mvm_scenario** out, mvm_error* err)
{
  *out = NULL;
  if (!(bias > 0) || !isfinite(bias) || !(sigma >= 0) || sigma > 3)
    return mvm_err_set(err, MVM_EINPUT, "drift: bias must be positive and sigma from 0 to 3 (got %g, %g)", bias, sigma);
  mvm_scenario* d = calloc(1, sizeof *d);
  if (!d)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  *d = *sc;
  d->vms = calloc(sc->nvms + 1, sizeof *d->vms);
  d->workloads = calloc(sc->nvms + 1, sizeof *d->workloads);
  if (!d->vms || !d->workloads) {
    mvm_drift_free(d);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  memcpy(d->vms, sc->vms, sc->nvms * sizeof *sc->vms);
  d->nworkloads = sc->nvms;
  uint64_t st = seed * 0x2545f4914f6cdd1dULL + 1;
  for (size_t v = 0; v < sc->nvms; v++) {
    mvm_workload* w = &d->workloads[v];
    mvm_vm_workload(sc, &sc->vms[v], &w->hot_size, &w->hot_duration, &w->cold_rate);
    w->id = sc->vms[v].id;
    w->line = sc->vms[v].line;
    if (mvm_vm_moves(&sc->vms[v])) {
      w->hot_size *= bias * exp(sigma * normal(&st));
      w->cold_rate *= bias * exp(sigma * normal(&st));
    }
    d->vms[v].workload = (int)v;
  }
  *out = d;
  return 0;
}

void mvm_drift_free(mvm_scenario* d)
{
  if (!d)
    return;
  free(d->vms);
  free(d->workloads);
  free(d);
}
