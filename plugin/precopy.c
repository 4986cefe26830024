/* Iterative pre-copy live migration (see mvm/precopy.h for the model). Everything timed
 * here comes from SimGrid: each round is a real communication on the platform's route,
 * so its duration reflects the link sharing with every other flow at that moment. */
#include "mvm/sgbridge.h"
#include "plugin_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

XBT_LOG_NEW_DEFAULT_CATEGORY(mvm_precopy, "mvm plugin: pre-copy live migration");

mvm_precopy_limits mvm_precopy_defaults(void)
{
  return (mvm_precopy_limits){.max_rounds = 64, .max_time = 3600.0, .on_stall = MVM_ON_STALL_FORCE, .resend = 1.0};
}

static mvm_precopy_limits limits = {.max_rounds = 64, .max_time = 3600.0, .on_stall = MVM_ON_STALL_FORCE, .resend = 1.0};

/* Every physical host draws power from time 0 (on, unless the program sets another state
 * before the simulation starts), even one the program never touches. Hosts in name order
 * (SimGrid's order is not the file's). */
static int cmp_host_name(const void* a, const void* b)
{
  return strcmp(sg_host_get_name(*(const sg_host_t*)a), sg_host_get_name(*(const sg_host_t*)b));
}

static void register_hosts(void)
{
  size_t n = sg_host_count();
  sg_host_t* hosts = sg_host_list();
  if (!hosts)
    return;
  qsort(hosts, n, sizeof *hosts, cmp_host_name);
  for (size_t i = 0; i < n; i++)
    mvm_host_set_state(hosts[i], MVM_HOST_ON);
  xbt_free(hosts);
}

void mvm_precopy_plugin_init(void)
{
  static int done;
  if (!done)
    mvm_sg_on_platform_created(register_hosts);
  done = 1;
  XBT_DEBUG("mvm precopy plugin initialised");
}

void mvm_precopy_set_limits(const mvm_precopy_limits* l) { limits = *l; }

int mvm_vm_set_workload(sg_vm_t vm, const mvm_workload_t* w)
{
  mvm_hostrec* r = mvm_rec((const_sg_host_t)vm);
  mvm_hostrec* pm = mvm_rec(sg_vm_get_pm(vm));
  if (!r || !pm)
    return -1;
  if (!r->is_vm) {
    r->is_vm = 1;
    pm->nvms++;
    mvm_host_set_state(sg_vm_get_pm(vm), pm->state); /* refresh its power */
  }
  r->work = *w;
  r->has_work = 1;
  return 0;
}

int mvm_parse_prop(const char* s, const char* const* units, const double* factors, double* out)
{
  if (!s)
    return 0;
  char* end;
  double v = strtod(s, &end);
  if (end == s || v < 0 || !isfinite(v))
    return -1;
  for (int i = 0; units[i]; i++)
    if (strcmp(end, units[i]) == 0) {
      *out = v * factors[i];
      return 1;
    }
  return -1;
}

int mvm_vm_load_workload(sg_vm_t vm)
{
  static const char* const size_u[] = {"B", "kB", "MB", "GB", "KiB", "MiB", "GiB", NULL};
  static const double size_f[] = {1, 1e3, 1e6, 1e9, 1024.0, 1048576.0, 1073741824.0};
  static const char* const rate_u[] = {"Bps", "kBps", "MBps", "GBps", "B/s", "kB/s", "MB/s", "GB/s", NULL};
  static const double rate_f[] = {1, 1e3, 1e6, 1e9, 1, 1e3, 1e6, 1e9};
  static const char* const time_u[] = {"s", "ms", "us", "min", NULL};
  static const double time_f[] = {1, 1e-3, 1e-6, 60};
  sg_host_t pm = sg_vm_get_pm(vm);
  const char* name = sg_vm_get_name(vm);
  char key[512];
  mvm_workload_t w = {0, 5e6, 3.0, 0, 0.030};
  struct {
    const char* suffix;
    const char* const* u;
    const double* f;
    double* dst;
  } fields[] = {{"used", size_u, size_f, &w.used},
                {"hot-size", size_u, size_f, &w.hot_size},
                {"hot-duration", time_u, time_f, &w.hot_duration},
                {"cold-rate", rate_u, rate_f, &w.cold_rate},
                {"downtime", time_u, time_f, &w.downtime}};
  int have_used = 0;
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    snprintf(key, sizeof key, "mvm:%s:%s", name, fields[i].suffix);
    int rc = mvm_parse_prop(sg_host_get_property_value(pm, key), fields[i].u, fields[i].f, fields[i].dst);
    if (rc < 0) {
      XBT_WARN("host %s: property %s does not parse", sg_host_get_name(pm), key);
      return -1;
    }
    if (i == 0)
      have_used = rc;
  }
  if (!have_used)
    return -1;
  return mvm_vm_set_workload(vm, &w);
}

/* Data dirtied during an interval of length L of a running VM. */
static double dirtied(const mvm_workload_t* w, double L)
{
  double hot = 0;
  if (w->hot_size > 0)
    hot = w->hot_duration > 0 ? fmin(w->hot_size, w->hot_size / w->hot_duration * L) : w->hot_size;
  double cold = w->cold_rate * fmax(0, L - w->hot_duration);
  return hot + cold;
}

typedef struct round_log {
  double t0, t1, bytes;
} round_log;

/* Spreads the migration's energy over its rounds, in proportion to the data of each. */
static void charge_energy(mvm_hostrec* src, const round_log* r, int n, double total, double* energy)
{
  const mvm_power_params* p = mvm_power_params_get();
  *energy = p->alpha * total / 1e6 + p->beta;
  for (int i = 0; i < n; i++) {
    double dur = r[i].t1 - r[i].t0;
    double e = p->alpha * r[i].bytes / 1e6 + (total > 0 ? p->beta * r[i].bytes / total : 0);
    if (dur <= 0)
      continue; /* instantaneous round: nothing to draw over time (energy still counted) */
    mvm_power_delta(src, r[i].t0, e / dur);
    mvm_power_delta(src, r[i].t1, -e / dur);
  }
}

int mvm_vm_precopy_migrate(sg_vm_t vm, sg_host_t dst, double rate, mvm_migration_result* res)
{
  memset(res, 0, sizeof *res);
  mvm_hostrec* v = mvm_rec((const_sg_host_t)vm);
  sg_host_t src = sg_vm_get_pm(vm);
  mvm_hostrec* rs = mvm_rec(src);
  mvm_hostrec* rd = mvm_rec(dst);
  res->start = res->end = simgrid_get_clock();
  if (!v || !rs || !rd || !v->has_work) {
    XBT_WARN("vm %s has no workload: call mvm_vm_set_workload first", sg_vm_get_name(vm));
    res->failed = 1;
    return -1;
  }
  const mvm_workload_t* w = &v->work;
  round_log* log = NULL;
  int nlog = 0, caplog = 0;
  double remaining = w->used;
  int stalled = 0, failed = 0, postcopy = 0;
  double throttle = 0;
  if (limits.setup > 0) /* libvirt and QEMU set up the migration: nothing sent yet */
    sg_actor_sleep_for(limits.setup);
  for (;;) {
    double r0 = simgrid_get_clock();
    if (mvm_sg_transfer(src, dst, remaining, rate) != 0) {
      failed = 1;
      break;
    }
    double r1 = simgrid_get_clock();
    if (nlog == caplog) {
      caplog = caplog ? 2 * caplog : 16;
      round_log* nl = realloc(log, (size_t)caplog * sizeof *nl);
      if (!nl) {
        failed = 1;
        break;
      }
      log = nl;
    }
    log[nlog++] = (round_log){r0, r1, remaining};
    res->bytes_sent += remaining;
    res->rounds++;
    double L = r1 - r0;
    if (remaining > 0 && L < fmax(r0, 1.0) * 1e-12) {
      /* the clock is too far out for its resolution to time this round (a plan at 1e15 s):
       * nothing can be concluded about convergence from it */
      stalled = 1;
      break;
    }
    double observed = L > 0 ? remaining / L : INFINITY;
    /* what the next round must send: the data dirtied meanwhile, of which the share behind
     * the round's scan (resend), slowed by the vCPU throttle of auto-converge */
    double dirty = dirtied(w, L) * limits.resend * (1 - throttle);
    XBT_DEBUG("%s round %d: %.0f B in %.6f s (%.0f B/s), %.0f B to send again", sg_vm_get_name(vm), res->rounds,
              remaining, L, observed, dirty);
    /* QEMU's auto-converge: a round that dirtied more than half of what it sent throttles the
     * vCPUs (first throttle_initial, then throttle_increment more per round, at most 99 %) */
    if (limits.throttle_initial > 0 && res->rounds >= 2 && dirty > 0.5 * remaining)
      throttle = fmin(0.99, throttle > 0 ? throttle + limits.throttle_increment : limits.throttle_initial);
    remaining = dirty;
    if (dirty <= observed * w->downtime)
      break;
    if (limits.postcopy_after > 0 && res->rounds >= limits.postcopy_after) {
      postcopy = 1;
      break;
    }
    if (res->rounds >= limits.max_rounds || r1 - res->start >= limits.max_time) {
      stalled = 1;
      break;
    }
  }
  res->throttle = throttle;
  res->converged = !stalled && !failed;
  if (failed || (stalled && limits.on_stall == MVM_ON_STALL_FAIL)) {
    res->failed = 1;
    res->end = simgrid_get_clock();
    charge_energy(rs, log, nlog, res->bytes_sent, &res->energy);
    free(log);
    XBT_INFO("migration of %s failed after %d rounds", sg_vm_get_name(vm), res->rounds);
    return -1;
  }
  if (postcopy) {
    /* post-copy: the VM stops only for its device state (one empty message's time), resumes
     * on dst, and the pages still dirty are pulled from the source while it runs there */
    res->postcopy = 1;
    sg_vm_suspend(vm);
    double s0 = simgrid_get_clock();
    int ok = mvm_sg_transfer(src, dst, 0, rate) == 0;
    double s1 = simgrid_get_clock();
    if (ok) {
      mvm_sg_vm_set_pm(vm, dst);
      mvm_power_vm_moved(rs, rd);
    }
    sg_vm_resume(vm);
    res->downtime = s1 - s0;
    double p0 = simgrid_get_clock();
    if (ok)
      ok = mvm_sg_transfer(src, dst, remaining, rate) == 0;
    double p1 = simgrid_get_clock();
    if (nlog == caplog) {
      round_log* nl = realloc(log, (size_t)(caplog + 1) * sizeof *nl);
      if (nl)
        log = nl;
      else
        nlog--;
    }
    log[nlog++] = (round_log){p0, p1, remaining};
    res->bytes_sent += remaining;
    res->rounds++;
    res->end = p1;
    res->failed = !ok;
    charge_energy(rs, log, nlog, res->bytes_sent, &res->energy);
    free(log);
    return ok ? 0 : -1;
  }
  /* stop-and-copy */
  sg_vm_suspend(vm);
  double s0 = simgrid_get_clock();
  int ok = mvm_sg_transfer(src, dst, remaining, rate) == 0;
  double s1 = simgrid_get_clock();
  if (!ok) {
    /* the last copy did not arrive: the VM resumes where it was, the migration failed */
    sg_vm_resume(vm);
    res->failed = 1;
    res->converged = 0;
    res->downtime = s1 - s0;
    res->end = s1;
    charge_energy(rs, log, nlog, res->bytes_sent, &res->energy);
    free(log);
    XBT_INFO("migration of %s failed in its stop-and-copy", sg_vm_get_name(vm));
    return -1;
  }
  res->bytes_sent += remaining;
  res->rounds++;
  if (nlog == caplog) {
    round_log* nl = realloc(log, (size_t)(caplog + 1) * sizeof *nl);
    if (nl)
      log = nl;
    else
      nlog--; /* drop the first round's spread, energy total is still right */
  }
  log[nlog++] = (round_log){s0, s1, remaining};
  mvm_sg_vm_set_pm(vm, dst);
  sg_vm_resume(vm);
  res->downtime = s1 - s0;
  res->end = s1;
  mvm_power_vm_moved(rs, rd);
  charge_energy(rs, log, nlog, res->bytes_sent, &res->energy);
  free(log);
  return 0;
}
