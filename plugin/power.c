/* Host power states and energy accounting of the mvm plugin.
 *
 * SimGrid's host energy plugin models power as a function of CPU load per pstate; it has
 * no notion of booting, of per-VM power or of migration energy, which are what this model
 * needs (the seed's calibration: 110 W idle from power-on to power-off, 16 W per VM,
 * +20 % while booting, Liu's migration energy). We keep its approach (power changes are
 * recorded when they happen and integrated exactly between them) but not its code. */
#include "plugin_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_CATEGORY(mvm_power, "mvm plugin: host power states and energy");

typedef struct delta {
  double t;
  int host;
  double dw;
  size_t seq;
} delta;

static mvm_power_params params = {110.0, 16.0, 120.0, 0.20, 30.0, 0.512, 20.165};

/* pointer -> record, open addressing */
static mvm_hostrec** table;
static size_t table_cap, table_n;
static mvm_hostrec** by_index;
static size_t by_index_cap;
static delta* deltas;
static size_t ndeltas, deltas_cap;
static mvm_power_sample* samples;

static size_t hash_ptr(const void* p)
{
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static int rehash(size_t ncap)
{
  mvm_hostrec** nt = calloc(ncap, sizeof *nt);
  if (!nt)
    return -1;
  for (size_t i = 0; i < table_cap; i++)
    if (table[i]) {
      size_t j = hash_ptr(table[i]->host) & (ncap - 1);
      while (nt[j])
        j = (j + 1) & (ncap - 1);
      nt[j] = table[i];
    }
  free(table);
  table = nt;
  table_cap = ncap;
  return 0;
}

/* A host's own value of a power parameter: NAN when the property is absent, or (with a
 * warning) when it does not parse, so that the global value is used. */
static double prop_value(const_sg_host_t h, const char* key, const char* const* units, const double* factors)
{
  const char* s = sg_host_get_property_value(h, key);
  double v = NAN;
  if (mvm_parse_prop(s, units, factors, &v) < 0) {
    XBT_WARN("host %s: property %s='%s' does not parse; the global value is used", sg_host_get_name(h), key, s);
    return NAN;
  }
  return v;
}

static void read_overrides(mvm_hostrec* r)
{
  static const char* const watts[] = {"W", "kW", "", NULL};
  static const double watts_f[] = {1, 1e3, 1};
  static const char* const secs[] = {"s", "ms", "min", "", NULL};
  static const double secs_f[] = {1, 1e-3, 60, 1};
  static const char* const pct[] = {"%", "", NULL};
  static const double pct_f[] = {0.01, 1};
  r->idle = prop_value(r->host, "mvm:idle", watts, watts_f);
  r->vm_power = prop_value(r->host, "mvm:vm-power", watts, watts_f);
  r->boot = prop_value(r->host, "mvm:boot", secs, secs_f);
  r->boot_overhead = prop_value(r->host, "mvm:boot-overhead", pct, pct_f);
  r->shutdown = prop_value(r->host, "mvm:shutdown", secs, secs_f);
}

#define OR_GLOBAL(r, field) (isnan((r)->field) ? params.field : (r)->field)

mvm_hostrec* mvm_rec(const_sg_host_t h)
{
  if (table_cap) {
    size_t j = hash_ptr(h) & (table_cap - 1);
    while (table[j]) {
      if (table[j]->host == h)
        return table[j];
      j = (j + 1) & (table_cap - 1);
    }
  }
  if ((table_n + 1) * 2 > table_cap && rehash(table_cap ? table_cap * 2 : 1024))
    return NULL;
  if (table_n + 1 > by_index_cap) {
    size_t nc = by_index_cap ? by_index_cap * 2 : 1024;
    mvm_hostrec** nb = realloc(by_index, nc * sizeof *nb);
    if (!nb)
      return NULL;
    by_index = nb;
    by_index_cap = nc;
  }
  mvm_hostrec* r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->host = h;
  r->index = (int)table_n;
  r->state = MVM_HOST_ON;
  read_overrides(r);
  size_t j = hash_ptr(h) & (table_cap - 1);
  while (table[j])
    j = (j + 1) & (table_cap - 1);
  table[j] = r;
  by_index[table_n++] = r;
  return r;
}

void mvm_power_delta(mvm_hostrec* rec, double t, double dw)
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

const mvm_power_params* mvm_power_params_get(void) { return &params; }

void mvm_power_set_params(const mvm_power_params* p) { params = *p; }

static double state_power(const mvm_hostrec* r)
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

static void set_state(mvm_hostrec* r, mvm_host_state s)
{
  r->state = s;
  double w = state_power(r);
  mvm_power_delta(r, simgrid_get_clock(), w - r->base);
  r->base = w;
}

void mvm_host_set_state(sg_host_t host, mvm_host_state state)
{
  mvm_hostrec* r = mvm_rec(host);
  if (r)
    set_state(r, state);
}

mvm_host_state mvm_host_get_state(const_sg_host_t host)
{
  mvm_hostrec* r = mvm_rec(host);
  return r ? r->state : MVM_HOST_ON;
}

void mvm_host_boot(sg_host_t host)
{
  mvm_hostrec* r = mvm_rec(host);
  if (!r)
    return;
  set_state(r, MVM_HOST_BOOTING);
  sg_actor_sleep_for(OR_GLOBAL(r, boot));
  set_state(r, MVM_HOST_ON);
}

void mvm_host_shutdown(sg_host_t host)
{
  mvm_hostrec* r = mvm_rec(host);
  if (!r)
    return;
  set_state(r, MVM_HOST_SHUTTING_DOWN);
  sg_actor_sleep_for(OR_GLOBAL(r, shutdown));
  set_state(r, MVM_HOST_OFF);
}

void mvm_power_vm_moved(mvm_hostrec* src, mvm_hostrec* dst)
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
  double* cur = calloc(table_n + 1, sizeof(double));
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

static double energy_until(int host, double until)
{
  size_t n;
  const mvm_power_sample* s = mvm_power_samples(&n);
  double e = 0, w = 0, t = 0;
  for (size_t i = 0; i < n && s[i].time <= until; i++) {
    if (host >= 0 && s[i].host != host)
      continue;
    e += w * (s[i].time - t);
    t = s[i].time;
    if (host >= 0)
      w = s[i].watts;
    else {
      /* total: recompute from deltas */
      w += deltas[i].dw;
    }
  }
  return e + w * (until - t);
}

double mvm_host_energy(const_sg_host_t host)
{
  mvm_hostrec* r = mvm_rec(host);
  return r ? energy_until(r->index, simgrid_get_clock()) : 0;
}

double mvm_total_energy(void) { return energy_until(-1, simgrid_get_clock()); }

const char* mvm_power_host_name(int host)
{
  return host >= 0 && (size_t)host < table_n ? sg_host_get_name(by_index[host]->host) : "?";
}

size_t mvm_power_host_count(void) { return table_n; }
