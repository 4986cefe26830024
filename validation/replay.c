/* Replay: executes a plan on the SimGrid platform with the precopy plugin.
 * time mode: each action starts at its planned instant.
 * event mode: each action starts as soon as the actions it waited for in the plan have
 *   ended (BtrPlace's executor): its explicit predecessors (boot before arrivals, last
 *   departure before shutdown, precedence) and the actions whose planned end is its
 *   planned start and that share a network element or a node with it. An action that
 *   waited for nothing starts at its planned instant. */
#include "replay.h"

#include "mvm/precopy.h"
#include "mvm/sgbridge.h"

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
#include <xbt/sysdep.h>

typedef struct ractor {
  const mvm_action* a;
  mvm_sim_action* out;
  sg_host_t host; /* node (boot/shutdown) or source */
  sg_host_t dst;
  sg_vm_t vm;
  double rate;
  sg_sem_t sem;
  int npred;
  int* succ;
  int nsucc;
  struct ractor* all;
} ractor;

static void run_action(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  ractor* r = sg_actor_self_get_data();
  if (r->sem && r->npred > 0) {
    for (int k = 0; k < r->npred; k++)
      sg_sem_acquire(r->sem);
  } else
    sg_actor_sleep_until(r->a->start);
  r->out->start = simgrid_get_clock();
  if (r->a->kind == MVM_ACT_BOOT)
    mvm_host_boot(r->host);
  else if (r->a->kind == MVM_ACT_SHUTDOWN)
    mvm_host_shutdown(r->host);
  else {
    mvm_migration_result mr;
    int mrc = mvm_vm_precopy_migrate(r->vm, r->dst, r->rate, &mr);
    r->out->bytes = mr.bytes_sent;
    r->out->downtime = mr.downtime;
    r->out->energy = mr.energy;
    r->out->rounds = mr.rounds;
    r->out->converged = mr.converged;
    r->out->failed = mr.failed || mrc != 0;
  }
  r->out->end = simgrid_get_clock();
  r->out->done = 1;
  for (int k = 0; k < r->nsucc; k++)
    sg_sem_release(r->all[r->succ[k]].sem);
}

/* shared element or node between two migrations */
static int share(const mvm_scenario* sc, const mvm_netview* nv, const mvm_action* x, const mvm_action* y)
{
  if (!strcmp(x->from, y->from) || !strcmp(x->from, y->to) || !strcmp(x->to, y->from) || !strcmp(x->to, y->to))
    return 1;
  if (x->kind != MVM_ACT_MIGRATE || y->kind != MVM_ACT_MIGRATE)
    return 0;
  int vx = mvm_scenario_find_vm(sc, x->subject), vy = mvm_scenario_find_vm(sc, y->subject);
  if (vx < 0 || vy < 0)
    return 0;
  const mvm_route* rx = &nv->routes[vx];
  const mvm_route* ry = &nv->routes[vy];
  for (size_t i = 0; i < rx->count; i++)
    for (size_t j = 0; j < ry->count; j++)
      if (nv->route_elems[rx->first + i] == nv->route_elems[ry->first + j] &&
          nv->elems[nv->route_elems[rx->first + i]].shared)
        return 1;
  return 0;
}

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

/* Builds the event-mode dependencies (CSR into one array owned by r[0].succ). */
static int event_deps(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, ractor* r)
{
  size_t n = p->nactions;
  endkey* ek = calloc(n + 1, sizeof *ek);
  int* edges = NULL;
  size_t nedges = 0, cap = 0;
  if (!ek)
    return -1;
  for (size_t i = 0; i < n; i++)
    ek[i] = (endkey){p->actions[i].end, (int)i};
  mvm_qsort(ek, n, sizeof *ek, cmp_endkey);
  /* pairs (y -> x) */
  for (size_t x = 0; x < n; x++) {
    const mvm_action* ax = &p->actions[x];
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (ek[mid].end < ax->start - 1e-6)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (size_t k = lo; k < n && ek[k].end <= ax->start + 1e-6; k++) {
      size_t y = (size_t)ek[k].idx;
      const mvm_action* ay = &p->actions[y];
      if (y == x || ay->end > ax->start + 1e-6)
        continue;
      int dep = share(sc, nv, ax, ay);
      if (!dep)
        continue;
      if (nedges + 2 > cap) {
        cap = cap ? 2 * cap : 1024;
        int* ne = realloc(edges, cap * sizeof(int));
        if (!ne) {
          free(edges);
          free(ek);
          return -1;
        }
        edges = ne;
      }
      edges[nedges++] = (int)y;
      edges[nedges++] = (int)x;
    }
  }
  /* explicit dependencies: boots before arrivals, departures before shutdowns */
  for (size_t x = 0; x < n; x++) {
    const mvm_action* ax = &p->actions[x];
    if (ax->kind != MVM_ACT_MIGRATE)
      continue;
    for (size_t y = 0; y < n; y++) {
      const mvm_action* ay = &p->actions[y];
      int e1 = ay->kind == MVM_ACT_BOOT && !strcmp(ay->subject, ax->to) && ay->end > ax->start + 1e-6;
      int e2 = ay->kind == MVM_ACT_SHUTDOWN && !strcmp(ay->subject, ax->from) && ax->end > ay->start + 1e-6;
      if (!e1 && !e2)
        continue; /* the ones with matching instants are already in */
      if (nedges + 2 > cap) {
        cap = cap ? 2 * cap : 1024;
        int* ne = realloc(edges, cap * sizeof(int));
        if (!ne) {
          free(edges);
          free(ek);
          return -1;
        }
        edges = ne;
      }
      edges[nedges++] = e1 ? (int)y : (int)x;
      edges[nedges++] = e1 ? (int)x : (int)y;
    }
  }
  (void)sc;
  free(ek);
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
  return 0;
}

/* Runs in the child: builds the simulation, runs it, writes the results to fd. */
static int child_replay(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const mvm_replay_opts* o,
                        FILE* out)
{
  const mvm_defaults* d = &sc->defaults;
  mvm_power_params pp = {d->node_idle, d->vm_power, d->boot, d->boot_overhead, d->shutdown, d->mig_alpha, d->mig_beta};
  mvm_power_set_params(&pp);
  mvm_precopy_limits lim = {o->max_rounds > 0 ? o->max_rounds : 64, o->max_time > 0 ? o->max_time : 3600.0,
                            o->fail_on_stall ? MVM_ON_STALL_FAIL : MVM_ON_STALL_FORCE};
  mvm_precopy_set_limits(&lim);
  mvm_sg_hostmap* hmap = mvm_sg_hostmap_new();
  if (!hmap)
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
    sg_host_t h = mvm_sg_hostmap_get(hmap, sc->nodes[n].host);
    if (!h) {
      mvm_sg_hostmap_free(hmap);
      return -1;
    }
    mvm_host_set_state(h, sc->nodes[n].initially_on ? MVM_HOST_ON : MVM_HOST_OFF);
  }
  int rc = -1;
  double* cur = NULL;
  mvm_power_step* steps = NULL;
  sg_vm_t* vms = calloc(sc->nvms + 1, sizeof(sg_vm_t));
  ractor* r = calloc(p->nactions + 1, sizeof(ractor));
  mvm_sim_action* sa = calloc(p->nactions + 1, sizeof(mvm_sim_action));
  if (!vms || !r || !sa)
    goto done;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    vms[v] = sg_vm_create_core(mvm_sg_hostmap_get(hmap, sc->nodes[vm->from].host), vm->id);
    sg_vm_start(vms[v]);
    mvm_workload_t w = {vm->used, 0, 0, 0, d->downtime};
    mvm_vm_workload(sc, vm, &w.hot_size, &w.hot_duration, &w.cold_rate);
    mvm_vm_set_workload(vms[v], &w);
  }
  if (o->mode == MVM_REPLAY_EVENT && event_deps(sc, nv, p, r))
    goto done;
  for (size_t i = 0; i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    r[i].a = a;
    r[i].out = &sa[i];
    r[i].all = r;
    r[i].host = mvm_sg_hostmap_get(hmap, a->from);
    r[i].dst = mvm_sg_hostmap_get(hmap, a->to);
    r[i].rate = a->bandwidth_mbps * 1e6 / 8;
    if (o->mode == MVM_REPLAY_EVENT)
      r[i].sem = sg_sem_init(0);
    if (a->kind == MVM_ACT_MIGRATE) {
      int v = mvm_scenario_find_vm(sc, a->subject);
      if (v < 0)
        goto done;
      r[i].vm = vms[v];
    }
    if (!r[i].host || !r[i].dst)
      goto done;
    char name[300];
    snprintf(name, sizeof name, "%s-%s", mvm_action_kind_name(a->kind), a->subject);
    sg_actor_t act = sg_actor_init(name, r[i].host);
    sg_actor_set_data(act, &r[i]);
    sg_actor_start(act, run_action, 0, NULL);
  }
  simgrid_run();
  double end = 0;
  for (size_t i = 0; i < p->nactions; i++)
    end = fmax(end, sa[i].end);
  size_t ns;
  const mvm_power_sample* s = mvm_power_samples(&ns);
  size_t nhosts = mvm_power_host_count();
  cur = calloc(nhosts + 1, sizeof(double));
  steps = calloc(ns + 1, sizeof(mvm_power_step));
  if (!cur || !steps)
    goto done;
  size_t k = 0;
  double total = 0, energy = 0, t = 0;
  for (size_t i = 0; i < ns; i++) {
    if (s[i].time > t) {
      energy += total * (fmin(s[i].time, end) - fmin(t, end));
      t = s[i].time;
    }
    total += s[i].watts - cur[s[i].host];
    cur[s[i].host] = s[i].watts;
    if (fabs(total) < 1e-9)
      total = 0;
    /* changes closer than the plan's time resolution (its CSV has microseconds) are one
     * change: an action planned to start when another ends may start a few hundred
     * nanoseconds before the simulated end, which is no power peak */
    if (k && s[i].time - steps[k - 1].time < 1e-6)
      steps[k - 1].watts = total;
    else
      steps[k++] = (mvm_power_step){s[i].time, total};
  }
  if (end > t)
    energy += total * (end - t);
  size_t nact = p->nactions;
  int ok = fwrite(&nact, sizeof nact, 1, out) == 1 && fwrite(sa, sizeof *sa, nact, out) == nact &&
           fwrite(&k, sizeof k, 1, out) == 1 && fwrite(steps, sizeof *steps, k, out) == k &&
           fwrite(&energy, sizeof energy, 1, out) == 1 && fwrite(&end, sizeof end, 1, out) == 1 && fflush(out) == 0;
  rc = ok ? 0 : -1;
done:
  if (r && p->nactions) {
    free(r[0].succ); /* event mode: one array for every action's successors (r[0].succ is its start) */
    for (size_t i = 0; i < p->nactions; i++)
      if (r[i].sem)
        sg_sem_destroy(r[i].sem);
  }
  free(cur);
  free(steps);
  free(sa);
  free(r);
  free(vms);
  mvm_sg_hostmap_free(hmap);
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

int mvm_replay(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const mvm_replay_opts* o,
               mvm_replay_result* res, mvm_error* err)
{
  memset(res, 0, sizeof *res);
  FILE* tmp = tmpfile();
  if (!tmp)
    return mvm_err_set(err, MVM_EIO, "cannot create a temporary file: %s", strerror(errno));
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  fflush(stdout);
  fflush(stderr);
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
    _exit(child_replay(sc, nv, p, o, tmp) == 0 ? 0 : 1);
  }
  mvm_child_register(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  mvm_child_register(0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  res->wall = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fclose(tmp);
    return mvm_err_set(err, MVM_ESIMULATION, "the simulation of plan %s failed (%s %d)",
                       p->scheduler ? p->scheduler : "?", WIFEXITED(status) ? "exit status" : "signal",
                       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  }
  rewind(tmp);
  size_t nact = 0, k = 0;
  int ok = fread(&nact, sizeof nact, 1, tmp) == 1 && nact == p->nactions;
  if (ok) {
    res->act = calloc(nact + 1, sizeof *res->act);
    ok = res->act && fread(res->act, sizeof *res->act, nact, tmp) == nact && fread(&k, sizeof k, 1, tmp) == 1;
  }
  if (ok) {
    res->power = calloc(k + 1, sizeof *res->power);
    ok = res->power && fread(res->power, sizeof *res->power, k, tmp) == k &&
         fread(&res->energy, sizeof res->energy, 1, tmp) == 1 && fread(&res->end_time, sizeof res->end_time, 1, tmp) == 1;
  }
  fclose(tmp);
  res->nact = nact;
  res->npower = k;
  if (!ok) {
    mvm_replay_result_free(res);
    return mvm_err_set(err, MVM_ESIMULATION, "cannot read the results of the simulation");
  }
  return 0;
}

void mvm_replay_result_free(mvm_replay_result* res)
{
  free(res->act);
  free(res->power);
  memset(res, 0, sizeof *res);
}
