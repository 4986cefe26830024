/* Per-host state of the mvm plugin, in SimGrid's style (like its host-energy plugin): a host
 * extension holds each host's record; SimGrid frees it (rec_free) when it destroys the host.
 * A table by index only names records for the power samples (mvm_power_samples). */
#include "plugin_internal.h"
#include "sgbridge.h"

#include "mvm/units.h"

#include <math.h>
#include <stdlib.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(mvm_power);

static size_t ext_rank;
static int ext_ready;
static mvm__hostrec** by_index; /* NULL slot: host destroyed */
static size_t nrec, cap, live;

static void rec_free(void* p)
{
  mvm__hostrec* r = p;
  if ((size_t)r->index < nrec && by_index[r->index] == r)
    by_index[r->index] = NULL;
  free(r);
  if (--live == 0) { /* the platform is gone: so is what the plugin recorded of it */
    free(by_index);
    by_index = NULL;
    nrec = cap = 0;
    mvm__power_forget();
  }
}

/* A host's own value of a power parameter (units as in a scenario): NAN when the property
 * is absent, or (with a warning) when it does not parse, so that the global value is used. */
static double prop_value(const_sg_host_t h, const char* key, mvm_unit_kind kind)
{
  const char* s = sg_host_get_property_value(h, key);
  double v = NAN;
  char why[200];
  if (s && mvm_parse_quantity(s, kind, &v, why, sizeof why) < 0) {
    XBT_WARN("host %s: property %s='%s' does not parse (%s); the global value is used", sg_host_get_name(h), key,
             s, why);
    return NAN;
  }
  return v;
}

static void read_overrides(mvm__hostrec* r)
{
  r->idle = prop_value(r->host, "mvm:idle", MVM_UNIT_POWER);
  r->vm_power = prop_value(r->host, "mvm:vm-power", MVM_UNIT_POWER);
  r->boot = prop_value(r->host, "mvm:boot", MVM_UNIT_TIME);
  r->boot_overhead = prop_value(r->host, "mvm:boot-overhead", MVM_UNIT_PERCENT);
  r->shutdown = prop_value(r->host, "mvm:shutdown", MVM_UNIT_TIME);
}

mvm__hostrec* mvm__rec(const_sg_host_t h)
{
  if (!ext_ready) {
    ext_rank = sg_host_extension_create(rec_free);
    ext_ready = 1;
  }
  mvm__hostrec* r = sg_host_extension_get(h, ext_rank);
  if (r)
    return r;
  if (nrec == cap) {
    size_t nc = cap ? cap * 2 : 1024;
    mvm__hostrec** nb = realloc(by_index, nc * sizeof *nb);
    if (!nb)
      return NULL;
    by_index = nb;
    cap = nc;
  }
  if (!(r = calloc(1, sizeof *r)))
    return NULL;
  r->host = h;
  r->index = (int)nrec;
  r->state = MVM_HOST_ON;
  read_overrides(r);
  by_index[nrec++] = r;
  live++;
  mvm__sg_host_extension_set((sg_host_t)h, ext_rank, r);
  return r;
}

size_t mvm__rec_count(void) { return nrec; }

const_sg_host_t mvm__rec_host(int index)
{
  return index >= 0 && (size_t)index < nrec && by_index[index] ? by_index[index]->host : NULL;
}
