#include "mvm/power.h"

#include "mvm/energy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct pev {
  double t, dw;
} pev;

static int cmp_pev(const void* a, const void* b)
{
  const pev* x = a;
  const pev* y = b;
  return (x->t > y->t) - (x->t < y->t);
}

int mvm_plan_power(const mvm_scenario* sc, const mvm_plan* p, mvm_power_step** steps, size_t* nsteps,
                   double* energy, mvm_error* err)
{
  const mvm_defaults* d = &sc->defaults;
  *steps = NULL;
  *nsteps = 0;
  pev* ev = mvm_xcalloc(2 * p->nactions + 1, sizeof(pev), err);
  if (!ev)
    return MVM_ENOMEM;
  size_t n = 0;
  double p0 = (double)sc->nvms * d->vm_power;
  for (size_t i = 0; i < sc->nnodes; i++)
    p0 += sc->nodes[i].initially_on ? d->node_idle : 0;
  for (size_t i = 0; i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    double dur = a->end - a->start;
    switch (a->kind) {
    case MVM_ACT_MIGRATE: {
      /* Liu's energy over the transfer: nothing is sent during the set-up */
      double s = dur > d->mig_setup ? d->mig_setup : 0, tr = dur - s;
      double w = mvm_migration_power(d->mig_alpha, d->mig_beta, a->bandwidth_mbps / 8, tr);
      ev[n++] = (pev){a->start + s, w};
      ev[n++] = (pev){a->end, -w};
      break;
    }
    case MVM_ACT_BOOT:
      ev[n++] = (pev){a->start, d->node_idle * (1 + d->boot_overhead)};
      ev[n++] = (pev){a->end, -d->node_idle * d->boot_overhead};
      break;
    case MVM_ACT_SHUTDOWN:
      ev[n++] = (pev){a->end, -d->node_idle};
      break;
    }
  }
  mvm_qsort(ev, n, sizeof(pev), cmp_pev);
  mvm_power_step* st = mvm_xcalloc(n + 1, sizeof(mvm_power_step), err);
  if (!st) {
    free(ev);
    return MVM_ENOMEM;
  }
  size_t k = 0;
  double w = p0;
  mvm_power_meter m = mvm_power_meter_start(p0, INFINITY);
  st[k++] = (mvm_power_step){0, p0};
  for (size_t i = 0; i < n;) {
    double ti = ev[i].t;
    while (i < n && ev[i].t == ti)
      w += ev[i++].dw;
    if (w < 0 && w > -1e-6)
      w = 0;
    mvm_power_meter_step(&m, ti, w);
    mvm_power_steps_append(st, &k, ti, w, 0);
  }
  free(ev);
  *steps = st;
  *nsteps = k;
  *energy = m.joules;
  return 0;
}
