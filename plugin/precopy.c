/* Iterative pre-copy live migration (see mvm/precopy.h for the model). Everything timed
 * here comes from SimGrid: each round is a real communication on the platform's route,
 * so its duration reflects the link sharing with every other flow at that moment. */
#include "plugin_internal.h"
#include "sgbridge.h"

#include "mvm/calibration.h"
#include "mvm/dirtying.h"
#include "mvm/energy.h"
#include "mvm/units.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(mvm_precopy, mvm, "mvm plugin: pre-copy live migration");

/* The migration stack as the two-phase model describes it: no set-up, everything dirtied
 * resent (a program that wants the calibrated stack sets mvm/calibration.h's values, as
 * `mvm replay` does); mvm's stall limits. */
#define PRECOPY_DEFAULTS                                                                                     \
  {.max_rounds = MVM_STALL_MAX_ROUNDS, .max_time = MVM_STALL_MAX_TIME, .on_stall = MVM_ON_STALL_FORCE, .resend = 1.0}

mvm_precopy_limits mvm_precopy_defaults(void) { return (mvm_precopy_limits)PRECOPY_DEFAULTS; }

static mvm_precopy_limits limits = PRECOPY_DEFAULTS;

void mvm_precopy_set_limits(const mvm_precopy_limits* l) { limits = *l; }

static mvm_precopy_round_cb round_cb;
static void* round_cb_data;

void mvm_precopy_set_round_callback(mvm_precopy_round_cb cb, void* data)
{
  round_cb = cb;
  round_cb_data = data;
}

/* One transfer of vm's migration went through [t0, t1] with bytes. */
static void round_done(sg_vm_t vm, sg_host_t src, sg_host_t dst, double t0, double t1, double bytes)
{
  if (round_cb)
    round_cb(vm, src, dst, t0, t1, bytes, round_cb_data);
}

int mvm_vm_set_workload(sg_vm_t vm, const mvm_workload_t* w)
{
  mvm__hostrec* r = mvm__rec((const_sg_host_t)vm);
  mvm__hostrec* pm = mvm__rec(sg_vm_get_pm(vm));
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

int mvm_vm_load_workload(sg_vm_t vm)
{
  sg_host_t pm = sg_vm_get_pm(vm);
  const char* name = sg_vm_get_name(vm);
  char key[512], why[200];
  mvm_dirtying idle = mvm_dirtying_idle();
  mvm_workload_t w = {0, idle.hot_size, idle.hot_duration, idle.cold_rate, mvm_calibration_default().downtime};
  struct {
    const char* suffix;
    mvm_unit_kind kind;
    double* dst;
  } fields[] = {{"used", MVM_UNIT_SIZE, &w.used},
                {"hot-size", MVM_UNIT_SIZE, &w.hot_size},
                {"hot-duration", MVM_UNIT_TIME, &w.hot_duration},
                {"cold-rate", MVM_UNIT_RATE, &w.cold_rate},
                {"downtime", MVM_UNIT_TIME, &w.downtime}};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    snprintf(key, sizeof key, "mvm:%s:%s", name, fields[i].suffix);
    const char* s = sg_host_get_property_value(pm, key);
    if (!s) {
      if (i == 0)
        return -1; /* no used memory: not a VM this program described */
      continue;
    }
    if (mvm_parse_quantity(s, fields[i].kind, fields[i].dst, why, sizeof why) < 0) {
      XBT_WARN("host %s: property %s does not parse: %s", sg_host_get_name(pm), key, why);
      return -1;
    }
  }
  return mvm_vm_set_workload(vm, &w);
}

/* Data dirtied during an interval of length L of a running VM, the share resent. */
static double dirtied(const mvm_workload_t* w, double L, double resend)
{
  mvm_dirtying d = {w->hot_size, w->hot_duration, w->cold_rate};
  return mvm_dirtied(&d, L, resend);
}

typedef struct round_log {
  double t0, t1, bytes;
} round_log;

/* Appends a round to the log; -1 (nothing appended) if out of memory. */
static int log_round(round_log** log, int* n, int* cap, double t0, double t1, double bytes)
{
  if (*n == *cap) {
    int nc = *cap ? 2 * *cap : 16;
    round_log* nl = realloc(*log, (size_t)nc * sizeof *nl);
    if (!nl)
      return -1;
    *log = nl;
    *cap = nc;
  }
  (*log)[(*n)++] = (round_log){t0, t1, bytes};
  return 0;
}

/* Spreads the migration's energy over its rounds, in proportion to the data of each. */
static void charge_energy(mvm__hostrec* src, const round_log* r, int n, double total, double* energy)
{
  const mvm_power_params* p = mvm__power_params();
  *energy = mvm_migration_energy(p->alpha, p->beta, total);
  for (int i = 0; i < n; i++) {
    double dur = r[i].t1 - r[i].t0;
    double e = mvm_migration_energy_share(p->alpha, p->beta, r[i].bytes, total);
    if (dur <= 0)
      continue; /* instantaneous round: nothing to draw over time (energy still counted) */
    mvm__power_delta(src, r[i].t0, e / dur);
    mvm__power_delta(src, r[i].t1, -e / dur);
  }
}

static int migrate_rounds(sg_vm_t vm, sg_host_t src, sg_host_t dst, mvm__sg_channel* ch, mvm_migration_result* res);

int mvm_vm_precopy_migrate(sg_vm_t vm, sg_host_t dst, double rate, mvm_migration_result* res)
{
  memset(res, 0, sizeof *res);
  mvm__hostrec* v = mvm__rec((const_sg_host_t)vm);
  sg_host_t src = sg_vm_get_pm(vm);
  mvm__hostrec* rs = mvm__rec(src);
  mvm__hostrec* rd = mvm__rec(dst);
  res->start = res->end = simgrid_get_clock();
  if (!v || !rs || !rd || !v->has_work) {
    XBT_WARN("vm %s has no workload: call mvm_vm_set_workload first", sg_vm_get_name(vm));
    res->failed = 1;
    return -1;
  }
  if (limits.setup > 0) /* libvirt and QEMU set up the migration: nothing sent yet */
    sg_actor_sleep_for(limits.setup);
  mvm__sg_channel* ch = mvm__sg_channel_open(dst, rate); /* every round goes through it */
  if (!ch) {
    XBT_WARN("migration of %s: out of memory", sg_vm_get_name(vm));
    res->failed = 1;
    return -1;
  }
  int rc = migrate_rounds(vm, src, dst, ch, res);
  mvm__sg_channel_close(ch);
  return rc;
}

/* The rounds of mvm_vm_precopy_migrate, then its stop-and-copy or post-copy, every
 * transfer through the migration's channel ch. */
static int migrate_rounds(sg_vm_t vm, sg_host_t src, sg_host_t dst, mvm__sg_channel* ch, mvm_migration_result* res)
{
  mvm__hostrec* v = mvm__rec((const_sg_host_t)vm);
  mvm__hostrec* rs = mvm__rec(src);
  mvm__hostrec* rd = mvm__rec(dst);
  const mvm_workload_t* w = &v->work;
  round_log* log = NULL;
  int nlog = 0, caplog = 0;
  double remaining = w->used;
  int stalled = 0, failed = 0, postcopy = 0;
  double throttle = 0;
  for (;;) {
    double r0 = simgrid_get_clock();
    if (mvm__sg_channel_send(ch, remaining, 0) != 0) {
      failed = 1;
      break;
    }
    double r1 = simgrid_get_clock();
    round_done(vm, src, dst, r0, r1, remaining);
    if (log_round(&log, &nlog, &caplog, r0, r1, remaining)) {
      failed = 1;
      break;
    }
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
    double dirty = dirtied(w, L, limits.resend) * (1 - throttle);
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
    int ok = mvm__sg_channel_send(ch, 0, 0) == 0;
    double s1 = simgrid_get_clock();
    if (ok) {
      round_done(vm, src, dst, s0, s1, 0);
      mvm__sg_vm_set_pm(vm, dst);
      mvm__power_vm_moved(rs, rd);
    }
    sg_vm_resume(vm);
    res->downtime = s1 - s0;
    double p0 = simgrid_get_clock();
    if (ok)
      ok = mvm__sg_channel_send(ch, remaining, 1) == 0; /* the pull: the last transfer */
    double p1 = simgrid_get_clock();
    if (ok)
      round_done(vm, src, dst, p0, p1, remaining);
    log_round(&log, &nlog, &caplog, p0, p1, remaining); /* out of memory: only the spread is lost */
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
  int ok = mvm__sg_channel_send(ch, remaining, 1) == 0; /* stop-and-copy: the last transfer */
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
  round_done(vm, src, dst, s0, s1, remaining);
  log_round(&log, &nlog, &caplog, s0, s1, remaining); /* out of memory: only the spread is lost */
  mvm__sg_vm_set_pm(vm, dst);
  sg_vm_resume(vm);
  res->downtime = s1 - s0;
  res->end = s1;
  mvm__power_vm_moved(rs, rd);
  charge_energy(rs, log, nlog, res->bytes_sent, &res->energy);
  free(log);
  return 0;
}
