/* Replay: executes a plan on the SimGrid platform with the precopy plugin.
 * event mode (default): what BtrPlace's executor does on a real testbed (github
 *   btrplace/g5k-executor, PlanMonitor): an action starts as soon as the actions it depends
 *   on have ended, not at its planned second. A migration depends on every migration whose
 *   planned end is at or before its planned start (whatever the nodes), and on the boot of
 *   its destination; a shutdown on the migrations out of its node. Under a power budget, a
 *   migration or a boot depends on every action (boots and shutdowns too) planned to end at
 *   or before its planned start: the power the plan counted on is then free (a migration
 *   that waited for an old server to shut down no longer starts when its serialized
 *   predecessor ends, 15 W over the budget). An action that depends on nothing starts at
 *   its planned instant.
 * time mode: each action starts at its planned instant, and still not before its explicit
 *   dependencies (the boot of a migration's destination, the migrations out of a node being
 *   shut down) have ended: a real executor never shuts a server down under a leaving VM. */
#define _GNU_SOURCE /* qsort_r */
#include "replay.h"
#include "replay_internal.h"
#include "trace.h"

#include "mvm/powerstep.h"
#include "mvm/precopy.h"
#include "sgbridge.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xbt/config.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

XBT_LOG_EXTERNAL_CATEGORY(mvm);
XBT_LOG_NEW_DEFAULT_SUBCATEGORY(mvm_replay, mvm, "mvm replay: the simulation of a plan");

typedef struct ractor {
  const mvm_action* a;
  mvm_sim_action* out;
  sg_host_t host; /* node (boot/shutdown) or source */
  sg_host_t dst;
  sg_vm_t vm;
  double rate;
  sg_sem_t sem;
  int npred;  /* releases to wait for: explicit predecessors, +1 for the end-order prefix */
  int* succ;  /* explicit successors */
  int nsucc;
  int need;   /* event mode: actions in end order that must have ended (0: none) */
  int rank;   /* position in end order (migrations; every action under a power budget), -1 otherwise */
  int event;  /* event mode */
  int started;  /* its actor exists (start_actor), or its boot or shutdown is under way (power_ready) */
  int released; /* releases received from predecessors */
  struct executor* ex;
  struct ractor* all;
} ractor;

/* The end-order prefix of the event mode: migrations (under a power budget: every action)
 * sorted by planned end; `prefix` of them have all ended; the waiting actions sorted by
 * `need` are released as it grows. */
typedef struct executor {
  int* order;  /* action index of the k-th action in end order */
  char* done;  /* by rank */
  int nend, prefix; /* actions in the end order */
  int* waiting; /* actions with need > 0, by need */
  int nwait, next;
} executor;

static void run_action(int argc, char** argv);
static void power_ready(struct ractor* r);

/* An action's index and a time (its planned end, or start), sorted by time then index. */
typedef struct endkey {
  double end;
  int idx;
} endkey;

static int cmp_endkey(const void* a, const void* b)
{
  const endkey* x = a;
  const endkey* y = b;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x->idx - y->idx;
}

/* Actors are created when they are due, not all at time 0: 168,000 waiting actors (the
 * 96,000-VM plan) exceeded the process's memory mappings (two per actor stack, SimGrid
 * aborts: "Failed to protect stack"). An action's actor starts when its last predecessor
 * releases it (event mode: it would not wait for its planned start) or at its planned start
 * (the launcher), whichever comes first; it then waits as before, so the simulation is the
 * same (byte-identical reports). */
static void start_actor(ractor* r)
{
  if (r->started)
    return;
  r->started = 1;
  char name[300];
  snprintf(name, sizeof name, "%s-%s", mvm_action_kind_name(r->a->kind), r->a->subject);
  sg_actor_t act = sg_actor_init(name, r->host);
  sg_actor_set_data(act, r);
  sg_actor_start(act, run_action, 0, NULL);
}

static int is_power(const ractor* r) { return r->a->kind == MVM_ACT_BOOT || r->a->kind == MVM_ACT_SHUTDOWN; }

/* Starts r's action: a migration's actor, or a boot or shutdown when ready. */
static void start(ractor* r)
{
  if (is_power(r))
    power_ready(r);
  else
    start_actor(r);
}

/* Release of r's action by a predecessor. */
static void release(ractor* r)
{
  if (r->sem)
    sg_sem_release(r->sem);
  if (++r->released >= r->npred)
    start(r);
}

typedef struct launcher {
  ractor* r;
  endkey* order; /* the actions by planned start, then plan order */
  size_t n;
} launcher;

/* Starts every action's actor at its planned start. */
static void run_launcher(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  launcher* l = sg_actor_self_get_data();
  for (size_t i = 0; i < l->n; i++) {
    ractor* r = &l->r[l->order[i].idx];
    if (r->started || (r->event && r->npred > 0)) /* the latter: started by its last release */
      continue;
    sg_actor_sleep_until(l->order[i].end);
    start(r);
  }
}

static const mvm_replay_opts* progress_opts; /* the child's options, for its progress callback */
static size_t progress_done, progress_total;
static double surf_precision; /* SimGrid's shortest sleep (surf/precision), s */
static int timer_failed;      /* a boot's or shutdown's timer could not be set: the run fails */

/* r's action has ended now: its figures, progress, and the actions waiting for it. */
static void action_ended(ractor* r)
{
  r->out->end = simgrid_get_clock();
  r->out->done = 1;
  if (progress_opts && progress_opts->progress)
    progress_opts->progress(++progress_done, progress_total, r->out->end, progress_opts->progress_data);
  for (int k = 0; k < r->nsucc; k++)
    release(&r->all[r->succ[k]]);
  executor* ex = r->ex;
  if (ex && r->rank >= 0) {
    ex->done[r->rank] = 1;
    while (ex->prefix < ex->nend && ex->done[ex->prefix])
      ex->prefix++;
    while (ex->next < ex->nwait && r->all[ex->waiting[ex->next]].need <= ex->prefix)
      release(&r->all[ex->waiting[ex->next++]]);
  }
}

/* Boots and shutdowns are not actors: at the 96,000-migration plan's peak, 24,000 boot
 * actors ending when 10,000 migrations start needed more memory mappings (two per actor
 * stack) than the process may have. They are timers that do what their actor did, at the
 * same instants: wait for the planned start (an actor's sleep: SimGrid makes it at least
 * surf/precision long) and for the predecessors, set the transition state, and the final
 * one after the boot or shutdown time. */
static void power_end(void* arg)
{
  ractor* r = arg;
  mvm_host_set_state(r->host, r->a->kind == MVM_ACT_BOOT ? MVM_HOST_ON : MVM_HOST_OFF);
  action_ended(r);
}

static void power_begin(void* arg)
{
  ractor* r = arg;
  mvm_host_state during = r->a->kind == MVM_ACT_BOOT ? MVM_HOST_BOOTING : MVM_HOST_SHUTTING_DOWN;
  double now = simgrid_get_clock();
  r->out->start = now;
  mvm_host_set_state(r->host, during);
  double d = mvm_host_transition_time(r->host, during);
  if (d > 0 && mvm__sg_timer_at(now + fmax(d, surf_precision), power_end, r) == 0)
    return;
  timer_failed |= d > 0; /* no memory for the timer: the run's figures are discarded */
  power_end(r);
}

/* A boot or shutdown whose predecessors have all ended (else the last one calls again)
 * begins at its planned start (event mode, a shutdown with predecessors: at once; a boot
 * has none but, under a power budget, the end-order prefix: it still waits for its planned
 * start, or the just-in-time boot would draw early). */
static void power_ready(ractor* r)
{
  if (r->started || r->released < r->npred)
    return;
  r->started = 1;
  double now = simgrid_get_clock();
  if ((!r->event || r->npred == 0 || r->a->kind == MVM_ACT_BOOT) && r->a->start > now) {
    if (mvm__sg_timer_at(now + fmax(r->a->start - now, surf_precision), power_begin, r) == 0)
      return;
    timer_failed = 1; /* no memory for the timer: the run's figures are discarded */
  }
  power_begin(r);
}

static void run_action(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  ractor* r = sg_actor_self_get_data();
  if (!r->event || r->npred == 0)
    sg_actor_sleep_until(r->a->start);
  for (int k = 0; k < r->npred; k++)
    sg_sem_acquire(r->sem);
  r->out->start = simgrid_get_clock();
  mvm_migration_result mr;
  int mrc = mvm_vm_precopy_migrate(r->vm, r->dst, r->rate, &mr);
  r->out->bytes = mr.bytes_sent;
  r->out->downtime = mr.downtime;
  r->out->energy = mr.energy;
  r->out->rounds = mr.rounds;
  r->out->converged = mr.converged;
  r->out->failed = mr.failed || mrc != 0;
  action_ended(r);
}


static int cmp_need(const void* a, const void* b, void* arg)
{
  const ractor* r = arg;
  int x = *(const int*)a, y = *(const int*)b;
  if (r[x].need != r[y].need)
    return r[x].need < r[y].need ? -1 : 1;
  return x - y;
}

static int cmp_by_to(const void* a, const void* b, void* arg)
{
  const mvm_plan* p = arg;
  int c = strcmp(p->actions[*(const int*)a].to, p->actions[*(const int*)b].to);
  return c ? c : *(const int*)a - *(const int*)b;
}

static int cmp_by_from(const void* a, const void* b, void* arg)
{
  const mvm_plan* p = arg;
  int c = strcmp(p->actions[*(const int*)a].from, p->actions[*(const int*)b].from);
  return c ? c : *(const int*)a - *(const int*)b;
}

/* Explicit dependencies (both modes): the boot of a node before the migrations into it, the
 * migrations out of a node before its shutdown. Event mode: the end-order prefix each
 * migration waits for. Fills r[].succ (one array, owned by r[0].succ), npred, need, rank and
 * ex. Returns 0 or -1 (out of memory). */
static int build_deps(const mvm_plan* p, int event, int power, ractor* r, executor* ex)
{
  size_t n = p->nactions;
  int* edges = NULL;
  size_t nedges = 0, cap = 0;
  for (size_t i = 0; i < n; i++)
    r[i].rank = -1;
  /* the migrations sorted by destination (then by source): each boot (shutdown) finds the
   * migrations into (out of) its node by binary search */
  int* mig = calloc(n + 1, sizeof(int));
  size_t nm = 0;
  if (!mig)
    return -1;
  for (int side = 0; side < 2; side++) {
    nm = 0;
    for (size_t i = 0; i < n; i++)
      if (p->actions[i].kind == MVM_ACT_MIGRATE)
        mig[nm++] = (int)i;
    qsort_r(mig, nm, sizeof(int), side ? cmp_by_from : cmp_by_to, (void*)p);
    for (size_t x = 0; x < n; x++) {
      const mvm_action* ax = &p->actions[x];
      if (ax->kind != (side ? MVM_ACT_SHUTDOWN : MVM_ACT_BOOT))
        continue;
      size_t lo = 0, hi = nm;
      while (lo < hi) { /* first migration whose node is >= the subject */
        size_t mid = (lo + hi) / 2;
        const mvm_action* am = &p->actions[mig[mid]];
        if (strcmp(side ? am->from : am->to, ax->subject) < 0)
          lo = mid + 1;
        else
          hi = mid;
      }
      for (size_t k = lo; k < nm; k++) {
        const mvm_action* am = &p->actions[mig[k]];
        if (strcmp(side ? am->from : am->to, ax->subject) != 0)
          break;
        if (mvm_grow((void**)&edges, &cap, nedges + 2, sizeof(int), NULL)) {
          free(edges);
          free(mig);
          return -1;
        }
        /* a boot before the migrations into its node; the migrations out of a node before its shutdown */
        edges[nedges++] = side ? mig[k] : (int)x;
        edges[nedges++] = side ? (int)x : mig[k];
      }
    }
  }
  free(mig);
  int* cnt = calloc(n + 1, sizeof(int));
  int* succ = calloc(nedges / 2 + 1, sizeof(int));
  if (!cnt || !succ) {
    free(cnt);
    free(succ);
    free(edges);
    return -1;
  }
  for (size_t e = 0; e < nedges; e += 2)
    cnt[edges[e] + 1]++;
  for (size_t i = 0; i < n; i++)
    cnt[i + 1] += cnt[i];
  for (size_t i = 0; i < n; i++) {
    r[i].succ = succ + cnt[i];
    r[i].nsucc = 0;
  }
  for (size_t e = 0; e < nedges; e += 2) {
    ractor* y = &r[edges[e]];
    y->succ[y->nsucc++] = edges[e + 1];
    r[edges[e + 1]].npred++;
  }
  free(cnt);
  free(edges);
  if (!event)
    return 0;
  /* the end-order prefix */
  endkey* ek = calloc(n + 1, sizeof *ek);
  ex->order = calloc(n + 1, sizeof(int));
  ex->done = calloc(n + 1, 1);
  ex->waiting = calloc(n + 1, sizeof(int));
  if (!ek || !ex->order || !ex->done || !ex->waiting) {
    free(ek);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    if (power || p->actions[i].kind == MVM_ACT_MIGRATE)
      ek[ex->nend++] = (endkey){p->actions[i].end, (int)i};
  mvm_qsort(ek, (size_t)ex->nend, sizeof *ek, cmp_endkey);
  for (int k = 0; k < ex->nend; k++) {
    ex->order[k] = ek[k].idx;
    r[ek[k].idx].rank = k;
  }
  for (size_t x = 0; x < n; x++) {
    r[x].ex = ex;
    if (p->actions[x].kind != MVM_ACT_MIGRATE && !(power && p->actions[x].kind == MVM_ACT_BOOT))
      continue;
    /* migrations planned to end at or before x's planned start (1 us: the plan's resolution) */
    int lo = 0, hi = ex->nend;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (ek[mid].end <= p->actions[x].start + 1e-6)
        lo = mid + 1;
      else
        hi = mid;
    }
    r[x].need = lo > r[x].rank ? r[x].rank : lo; /* never itself (a zero-length migration) */
    if (r[x].need > 0) {
      r[x].npred++;
      ex->waiting[ex->nwait++] = (int)x;
    }
  }
  qsort_r(ex->waiting, (size_t)ex->nwait, sizeof(int), cmp_need, r);
  free(ek);
  return 0;
}

/* Lines of a /proc file that fit in a long (a count or a number); -1 if unreadable. */
static long proc_count(const char* path, int lines)
{
  FILE* f = fopen(path, "r");
  if (!f)
    return -1;
  long n = 0;
  if (lines) {
    for (int c; (c = getc(f)) != EOF;)
      n += c == '\n';
  } else if (fscanf(f, "%ld", &n) != 1)
    n = -1;
  fclose(f);
  return n;
}

/* SimGrid's contexts for the plan, unless --cfg chose them. A replay's actors use less than
 * 16 KiB of stack (they ran with 16 KiB stacks and guard pages): stacks of 256 KiB, not
 * SimGrid's 8 MiB (20,000 of those made 324 GB of virtual memory, which a strict overcommit
 * policy or a ulimit -v would refuse). Each actor's stack takes two memory mappings with
 * its guard page; past vm.max_map_count SimGrid aborts ("Failed to protect stack"). A
 * migration has two actors (the pre-copy loop, its receiver), boots and shutdowns none:
 * when twice the plan's peak of planned concurrent migrations, 1.5 times over (event mode
 * may gather more), would not fit beside the mappings already there, the stacks lose their
 * guard page and shrink to 64 KiB (without a guard page SimGrid callocs each stack: 64 KiB
 * resident per actor). */
static void choose_contexts(const mvm_plan* p)
{
  size_t n = 0;
  endkey* ev = calloc(2 * p->nactions + 1, sizeof *ev);
  if (!ev)
    return;
  for (size_t i = 0; i < p->nactions; i++)
    if (p->actions[i].kind == MVM_ACT_MIGRATE) {
      ev[n++] = (endkey){p->actions[i].start, 1};
      ev[n++] = (endkey){p->actions[i].end, -1}; /* ends first at equal times */
    }
  mvm_qsort(ev, n, sizeof *ev, cmp_endkey);
  long cur = 0, peak = 0;
  for (size_t k = 0; k < n; k++)
    peak = (cur += ev[k].idx) > peak ? cur : peak;
  free(ev);
  long limit = proc_count("/proc/sys/vm/max_map_count", 0);
  long used = proc_count("/proc/self/maps", 1);
  long need = (long)(1.5 * 2 * (2 * peak + 2)); /* + the launcher, maestro */
  if (limit <= 0 || used < 0)
    limit = 65530, used = 1000; /* Linux's default, and a guess */
  int noguard = mvm__sg_cfg_is_default("contexts/guard-size") && used + need > limit;
  int stack = mvm__sg_cfg_is_default("contexts/stack-size") ? (noguard ? 64 : 256) : 0;
  XBT_VERB("peak of %ld planned concurrent migrations: about %ld memory mappings for actor stacks beside %ld, "
           "at most %ld: %s guard pages, %s",
           peak, need, used, limit, noguard ? "without" : "with",
           !stack ? "stacks as --cfg set them" : noguard ? "stacks of 64 KiB" : "stacks of 256 KiB");
  if (noguard)
    sg_cfg_set_int("contexts/guard-size", 0);
  if (stack)
    sg_cfg_set_int("contexts/stack-size", stack);
}

/* See replay_internal.h. */
int mvm__sim_setup(const mvm_scenario* sc, const mvm_replay_opts* o, mvm__sg_hostmap** hmap_out, sg_vm_t** vms_out)
{
  const mvm_defaults* d = &sc->defaults;
  mvm_power_params pp = {d->node_idle, d->vm_power, d->boot, d->boot_overhead, d->shutdown, d->mig_alpha, d->mig_beta};
  mvm_power_set_params(&pp);
  mvm_precopy_limits lim = mvm_precopy_defaults();
  if (o->max_rounds > 0)
    lim.max_rounds = o->max_rounds;
  if (o->max_time > 0)
    lim.max_time = o->max_time;
  lim.on_stall = o->fail_on_stall ? MVM_ON_STALL_FAIL : MVM_ON_STALL_FORCE;
  lim.setup = d->mig_setup;
  lim.resend = d->resend;
  if (o->autoconverge) {
    lim.throttle_initial = 0.2;  /* QEMU's cpu-throttle-initial */
    lim.throttle_increment = 0.1; /* QEMU's cpu-throttle-increment */
  }
  lim.postcopy_after = o->postcopy_after;
  mvm_precopy_set_limits(&lim);
  *vms_out = NULL;
  mvm__sg_hostmap* hmap = mvm__sg_hostmap_new();
  if (!(*hmap_out = hmap))
    return -1;
  /* hosts of the platform outside the scenario are not metered (the plan does not count
   * them either): the plugin sees them off */
  {
    size_t nh = sg_host_count();
    sg_host_t* all = sg_host_list();
    for (size_t i = 0; all && i < nh; i++)
      if (mvm_scenario_find_node(sc, sg_host_get_name(all[i])) < 0)
        mvm_host_set_state(all[i], MVM_HOST_OFF);
    xbt_free(all);
  }
  for (size_t n = 0; n < sc->nnodes; n++) {
    sg_host_t h = mvm__sg_hostmap_get(hmap, sc->nodes[n].host);
    if (!h)
      return -1;
    mvm_host_set_state(h, sc->nodes[n].initially_on ? MVM_HOST_ON : MVM_HOST_OFF);
  }
  sg_vm_t* vms = calloc(sc->nvms + 1, sizeof(sg_vm_t));
  if (!(*vms_out = vms))
    return -1;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    vms[v] = sg_vm_create_core(mvm__sg_hostmap_get(hmap, sc->nodes[vm->from].host), vm->id);
    sg_vm_start(vms[v]);
    mvm_workload_t w = {vm->used, 0, 0, 0, d->downtime};
    mvm_vm_workload(sc, vm, &w.hot_size, &w.hot_duration, &w.cold_rate);
    mvm_vm_set_workload(vms[v], &w);
  }
  return 0;
}

/* See replay_internal.h. */
int mvm__sim_write(FILE* out, const mvm_sim_action* sa, size_t nact)
{
  double end = 0;
  for (size_t i = 0; i < nact; i++)
    end = fmax(end, sa[i].end);
  size_t ns;
  const mvm_power_sample* s = mvm_power_samples(&ns);
  size_t nhosts = mvm_power_host_count();
  double* cur = calloc(nhosts + 1, sizeof(double));
  mvm_power_step* steps = calloc(ns + 1, sizeof(mvm_power_step));
  if (!cur || !steps) {
    free(cur);
    free(steps);
    return -1;
  }
  size_t k = 0;
  double total = 0;
  mvm_power_meter m = mvm_power_meter_start(0, end); /* the energy up to the last action's end */
  for (size_t i = 0; i < ns; i++) {
    total += s[i].watts - cur[s[i].host];
    cur[s[i].host] = s[i].watts;
    if (fabs(total) < 1e-9)
      total = 0;
    mvm_power_meter_step(&m, s[i].time, total);
    /* changes closer than the plan's time resolution (its CSV has microseconds) are one
     * change: an action planned to start when another ends may start a few hundred
     * nanoseconds before the simulated end, which is no power peak */
    mvm_power_steps_append(steps, &k, s[i].time, total, 1e-6);
  }
  double energy = mvm_power_meter_energy(&m, end);
  int ok = fwrite(&nact, sizeof nact, 1, out) == 1 && fwrite(sa, sizeof *sa, nact, out) == nact &&
           fwrite(&k, sizeof k, 1, out) == 1 && fwrite(steps, sizeof *steps, k, out) == k &&
           fwrite(&energy, sizeof energy, 1, out) == 1 && fwrite(&end, sizeof end, 1, out) == 1 && fflush(out) == 0;
  free(cur);
  free(steps);
  return ok ? 0 : -1;
}

typedef struct replay_job {
  const mvm_scenario* sc;
  const mvm_netview* nv;
  const mvm_plan* p;
  const mvm_replay_opts* o;
} replay_job;

/* Runs in the child: builds the simulation, runs it, writes the results to out (and the
 * Paje trace, when asked, into the output folder being built). */
static int child_replay(void* arg, FILE* out)
{
  const replay_job* job = arg;
  const mvm_scenario* sc = job->sc;
  const mvm_plan* p = job->p;
  const mvm_replay_opts* o = job->o;
  mvm__sg_hostmap* hmap = NULL;
  sg_vm_t* vms = NULL;
  int rc = -1;
  executor ex = {0};
  endkey* lorder = NULL; /* the launcher's order */
  ractor* r = calloc(p->nactions + 1, sizeof(ractor));
  mvm_sim_action* sa = calloc(p->nactions + 1, sizeof(mvm_sim_action));
  if (mvm__sim_setup(sc, o, &hmap, &vms) || !r || !sa)
    goto done;
  int power = 0; /* a power budget: the prefix also waits for the boots and shutdowns */
  for (size_t c = 0; c < sc->nconstraints; c++)
    power |= sc->constraints[c].kind == MVM_C_POWER;
  if (build_deps(p, o->mode == MVM_REPLAY_EVENT, power, r, &ex))
    goto done;
  choose_contexts(p);
  size_t nunbound = 0;
  if (!o->keep_fatpipe)
    mvm__unbind_fatpipes(p, hmap, &nunbound); /* on failure the links stay as they were */
  for (size_t i = 0; i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    r[i].a = a;
    r[i].out = &sa[i];
    r[i].all = r;
    r[i].host = mvm__sg_hostmap_get(hmap, a->from);
    r[i].dst = mvm__sg_hostmap_get(hmap, a->to);
    r[i].rate = a->bandwidth_mbps * 1e6 / 8;
    r[i].event = o->mode == MVM_REPLAY_EVENT;
    r[i].sem = a->kind == MVM_ACT_MIGRATE ? sg_sem_init(0) : NULL;
    if (a->kind == MVM_ACT_MIGRATE) {
      int v = mvm_scenario_find_vm(sc, a->subject);
      if (v < 0)
        goto done;
      r[i].vm = vms[v];
    }
    if (!r[i].host || !r[i].dst)
      goto done;
  }
  lorder = calloc(p->nactions + 1, sizeof(endkey));
  if (!lorder)
    goto done;
  launcher l = {r, lorder, p->nactions};
  for (size_t i = 0; i < p->nactions; i++)
    l.order[i] = (endkey){p->actions[i].start, (int)i};
  mvm_qsort(l.order, p->nactions, sizeof(endkey), cmp_endkey);
  if (p->nactions) {
    sg_actor_t la = sg_actor_init("mvm-launcher", r[0].host);
    sg_actor_set_data(la, &l);
    sg_actor_start(la, run_launcher, 0, NULL);
  }
  mvm_trace* trace = o->trace_path ? mvm_trace_new(sc, job->nv) : NULL;
  if (o->trace_path && !trace)
    goto done;
  mvm_precopy_set_round_callback(trace ? mvm_trace_round : NULL, trace);
  progress_opts = o;
  progress_total = p->nactions;
  surf_precision = sg_cfg_get_double("surf/precision");
  timer_failed = 0;
  simgrid_run();
  if (timer_failed) {
    fprintf(stderr, "mvm: out of memory in the simulation (a boot or shutdown timer)\n");
    goto done;
  }
  if (trace) { /* the child writes it into the output folder being built */
    double end = 0;
    for (size_t i = 0; i < p->nactions; i++)
      end = fmax(end, sa[i].end);
    mvm_error terr = {0};
    int trc = mvm_trace_write(trace, o->trace_path, end, &terr);
    mvm_trace_free(trace);
    if (trc) {
      fprintf(stderr, "mvm: %s\n", terr.msg);
      goto done;
    }
  }
  rc = mvm__sim_write(out, sa, p->nactions);
done:
  if (r && p->nactions) {
    free(r[0].succ); /* one array for every action's successors (r[0].succ is its start) */
    for (size_t i = 0; i < p->nactions; i++)
      if (r[i].sem)
        sg_sem_destroy(r[i].sem);
  }
  free(ex.order);
  free(ex.done);
  free(ex.waiting);
  free(lorder);
  free(sa);
  free(r);
  free(vms);
  mvm__sg_hostmap_free(hmap);
  return rc;
}

static volatile pid_t child_pid;

void mvm_child_register(pid_t pid) { child_pid = pid; }

void mvm_child_kill_signal_safe(void)
{
  pid_t pid = child_pid;
  if (pid > 0)
    kill(pid, SIGKILL);
}

/* See replay_internal.h. */
int mvm__sim_fork(int (*child)(void* arg, FILE* out), void* arg, const char* what, FILE** out, double* wall,
                  mvm_error* err)
{
  *out = NULL;
  FILE* tmp = tmpfile();
  if (!tmp)
    return mvm_err_set(err, MVM_EIO, "cannot create a temporary file: %s", strerror(errno));
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  fflush(NULL); /* every stream: a child that flushed an inherited buffer would write it twice */
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    fclose(tmp);
    return mvm_err_set(err, MVM_ESIMULATION, "cannot fork the replay: %s", strerror(errno));
  }
  if (pid == 0) {
    /* the simulation dies with mvm (a signal, a crash): never an orphan */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(1);
    _exit(child(arg, tmp) == 0 ? 0 : 1);
  }
  mvm_child_register(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  mvm_child_register(0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (wall)
    *wall = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fclose(tmp);
    return mvm_err_set(err, MVM_ESIMULATION, "the simulation of %s failed (%s %d)", what,
                       WIFEXITED(status) ? "exit status" : "signal",
                       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  }
  rewind(tmp);
  *out = tmp;
  return 0;
}

/* See replay_internal.h. */
int mvm__sim_read(FILE* tmp, size_t nexpected, mvm_replay_result* res, mvm_error* err)
{
  size_t nact = 0, k = 0;
  int ok = fread(&nact, sizeof nact, 1, tmp) == 1 && nact == nexpected;
  if (ok) {
    res->act = calloc(nact + 1, sizeof *res->act);
    ok = res->act && fread(res->act, sizeof *res->act, nact, tmp) == nact && fread(&k, sizeof k, 1, tmp) == 1 &&
         k <= ((size_t)1 << 40) / sizeof *res->power;
  }
  if (ok) {
    res->power = calloc(k + 1, sizeof *res->power);
    ok = res->power && fread(res->power, sizeof *res->power, k, tmp) == k &&
         fread(&res->energy, sizeof res->energy, 1, tmp) == 1 && fread(&res->end_time, sizeof res->end_time, 1, tmp) == 1;
  }
  res->nact = nact;
  res->npower = k;
  if (!ok) {
    mvm_replay_result_free(res);
    return mvm_err_set(err, MVM_ESIMULATION, "cannot read the results of the simulation");
  }
  return 0;
}

int mvm_replay(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const mvm_replay_opts* o,
               mvm_replay_result* res, mvm_error* err)
{
  memset(res, 0, sizeof *res);
  replay_job job = {sc, nv, p, o};
  char what[200];
  snprintf(what, sizeof what, "plan %s", p->scheduler ? p->scheduler : "?");
  FILE* tmp;
  double wall = 0;
  int rc = mvm__sim_fork(child_replay, &job, what, &tmp, &wall, err);
  if (rc)
    return rc;
  rc = mvm__sim_read(tmp, p->nactions, res, err);
  fclose(tmp);
  res->wall = wall;
  return rc;
}

void mvm_replay_result_free(mvm_replay_result* res)
{
  free(res->act);
  free(res->power);
  memset(res, 0, sizeof *res);
}
