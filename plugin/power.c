/* Host power states and energy accounting of the mvm plugin.
 *
 * SimGrid's host energy plugin models power as a function of CPU load per pstate; it has
 * no notion of booting, of per-VM power or of migration energy, which are what this model
 * needs (the seed's calibration, mvm/calibration.h: 110 W idle from power-on to power-off,
 * 16 W per VM, +20 % while booting, Liu's migration energy). We keep its approach (per-host
 * state in a host extension, host.c; power changes recorded when they happen and
 * integrated exactly between them, mvm/powerstep.h) but not its code. */
#include "plugin_internal.h"

#include "mvm/calibration.h"
#include "mvm/powerstep.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdlib.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(mvm_power, mvm, "mvm plugin: host power states and energy");

typedef struct delta {
  double t;
  int host;
  double dw;
  size_t seq;
} delta;

static mvm_power_params params;
static int params_set;
/* the power log: every change, in the order it was made (sorted by time when read) */
static delta* deltas;
static size_t ndeltas, deltas_cap;
static mvm_power_sample* samples;

const mvm_power_params* mvm__power_params(void)
{
  if (!params_set) {
    mvm_calibration c = mvm_calibration_default();
    params = (mvm_power_params){c.node_idle, c.vm_power, c.boot, c.boot_overhead, c.shutdown, c.mig_alpha, c.mig_beta};
    params_set = 1;
  }
  return &params;
}

void mvm_power_set_params(const mvm_power_params* p)
{
  params = *p;
  params_set = 1;
}

#define OR_GLOBAL(r, field) (isnan((r)->field) ? mvm__power_params()->field : (r)->field)

void mvm__power_delta(mvm__hostrec* rec, double t, double dw)
{
  if (dw == 0)
    return;
  if (ndeltas == deltas_cap) {
    size_t nc = deltas_cap ? deltas_cap * 2 : 4096;
    delta* nd = realloc(deltas, nc * sizeof *nd);
    if (!nd) {
      XBT_WARN("out of memory: a power change of host %s is lost", sg_host_get_name(rec->host));
      return;
    }
    deltas = nd;
    deltas_cap = nc;
  }
  deltas[ndeltas] = (delta){t, rec->index, dw, ndeltas};
  ndeltas++;
}

void mvm__power_forget(void)
{
  free(deltas);
  free(samples);
  deltas = NULL;
  samples = NULL;
  ndeltas = deltas_cap = 0;
}

static double state_power(const mvm__hostrec* r)
{
  switch (r->state) {
  case MVM_HOST_OFF:
    return 0;
  case MVM_HOST_BOOTING:
    return OR_GLOBAL(r, idle) * (1 + OR_GLOBAL(r, boot_overhead));
  default:
    return OR_GLOBAL(r, idle) + r->nvms * OR_GLOBAL(r, vm_power);
  }
}

static void set_state(mvm__hostrec* r, mvm_host_state s)
{
  r->state = s;
  double w = state_power(r);
  mvm__power_delta(r, simgrid_get_clock(), w - r->base);
  r->base = w;
}

void mvm_host_set_state(sg_host_t host, mvm_host_state state)
{
  mvm__hostrec* r = mvm__rec(host);
  if (r)
    set_state(r, state);
}

double mvm_host_transition_time(const_sg_host_t host, mvm_host_state during)
{
  mvm__hostrec* r = mvm__rec(host);
  if (!r)
    return 0;
  return during == MVM_HOST_BOOTING ? OR_GLOBAL(r, boot) : OR_GLOBAL(r, shutdown);
}

/* Booting or shutting down: the host is `during` for the boot or shutdown duration, then
 * `after`; blocks the calling actor meanwhile. */
static void transition(sg_host_t host, mvm_host_state during, mvm_host_state after)
{
  mvm__hostrec* r = mvm__rec(host);
  if (!r)
    return;
  set_state(r, during);
  sg_actor_sleep_for(mvm_host_transition_time(host, during));
  set_state(r, after);
}

void mvm_host_boot(sg_host_t host) { transition(host, MVM_HOST_BOOTING, MVM_HOST_ON); }

void mvm_host_shutdown(sg_host_t host) { transition(host, MVM_HOST_SHUTTING_DOWN, MVM_HOST_OFF); }

void mvm__power_vm_moved(mvm__hostrec* src, mvm__hostrec* dst)
{
  src->nvms--;
  dst->nvms++;
  set_state(src, src->state);
  set_state(dst, dst->state);
}

static int cmp_delta(const void* a, const void* b)
{
  const delta* x = a;
  const delta* y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

const mvm_power_sample* mvm_power_samples(size_t* n)
{
  if (ndeltas > 1)
    qsort(deltas, ndeltas, sizeof(delta), cmp_delta);
  for (size_t i = 0; i < ndeltas; i++)
    deltas[i].seq = i;
  free(samples);
  samples = calloc(ndeltas + 1, sizeof *samples);
  double* cur = calloc(mvm__rec_count() + 1, sizeof(double));
  if (!samples || !cur) {
    free(cur);
    *n = 0;
    return NULL;
  }
  for (size_t i = 0; i < ndeltas; i++) {
    cur[deltas[i].host] += deltas[i].dw;
    if (fabs(cur[deltas[i].host]) < 1e-9)
      cur[deltas[i].host] = 0;
    samples[i] = (mvm_power_sample){deltas[i].t, deltas[i].host, cur[deltas[i].host]};
  }
  free(cur);
  *n = ndeltas;
  return samples;
}

/* Energy (J) from 0 to until of one host (its index), or of all (host < 0). */
static double energy_until(int host, double until)
{
  size_t n;
  const mvm_power_sample* s = mvm_power_samples(&n);
  mvm_power_meter m = mvm_power_meter_start(0, INFINITY);
  for (size_t i = 0; i < n && s[i].time <= until; i++) {
    if (host >= 0 && s[i].host != host)
      continue;
    /* one host: its power as sampled; all: the sum, from the sorted changes */
    mvm_power_meter_step(&m, s[i].time, host >= 0 ? s[i].watts : m.watts + deltas[i].dw);
  }
  return mvm_power_meter_energy(&m, until);
}

double mvm_host_energy(const_sg_host_t host)
{
  mvm__hostrec* r = mvm__rec(host);
  return r ? energy_until(r->index, simgrid_get_clock()) : 0;
}

double mvm_total_energy(void) { return energy_until(-1, simgrid_get_clock()); }

const char* mvm_power_host_name(int host)
{
  const_sg_host_t h = mvm__rec_host(host);
  return h ? sg_host_get_name(h) : "?";
}

size_t mvm_power_host_count(void) { return mvm__rec_count(); }
