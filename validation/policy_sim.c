/* An online policy in the loop of the simulation: a driver actor calls the policy on every
 * event, the actions it starts run as actors through the precopy plugin (migrations,
 * boots, shutdowns), and each one's end comes back to the driver as an event with the
 * simulated figures. The executed timeline is written as a plan (`# timeline: executed`).
 * Runs in a forked child, like the replay. */
#include "policy_sim.h"

#include "../scheduler/src/policy_ctx.h"
#include "mvm/precopy.h"
#include "replay_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <simgrid/vm.h>
#include <stdlib.h>
#include <string.h>

typedef struct simev {
  mvm_event ev;
  int rec;
  double energy;
  int failed;
} simev;

typedef struct sim {
  mvm_policy_ctx ctx;
  const mvm_scenario* truth;
  mvm__sg_hostmap* hmap;
  sg_vm_t* vms;
  sg_sem_t sem;
  simev* q; /* FIFO of ended actions and timers */
  size_t head, n, cap;
  int rc;
  mvm_error err;
  int oom;
} sim;

typedef struct job {
  sim* s;
  mvm_event_kind kind;
  int subject, rec;
  double rate, at;
  long timer;
} job;

static void post(sim* s, simev e)
{
  if (s->head > 0 && s->head == s->n) /* drained: start over */
    s->head = s->n = 0;
  if (mvm_grow((void**)&s->q, &s->cap, s->n + 1, sizeof *s->q, NULL)) {
    s->oom = 1;
    return;
  }
  s->q[s->n++] = e;
  sg_sem_release(s->sem);
}

static void run_job(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  job* j = sg_actor_self_get_data();
  sim* s = j->s;
  simev e = {.ev = {.kind = j->kind, .vm = -1, .node = -1, .timer = j->timer}, .rec = j->rec};
  if (j->kind == MVM_EV_MIGRATED) {
    const mvm_vm* vm = &s->truth->vms[j->subject];
    sg_host_t dst = mvm__sg_hostmap_get(s->hmap, s->truth->nodes[vm->to].host);
    mvm_migration_result mr;
    int rc = mvm_vm_precopy_migrate(s->vms[j->subject], dst, j->rate, &mr);
    e.ev.vm = j->subject;
    e.ev.bytes = mr.bytes_sent;
    e.ev.downtime = mr.downtime;
    e.ev.rounds = mr.rounds;
    e.ev.converged = mr.converged;
    e.energy = mr.energy;
    e.failed = mr.failed || rc != 0;
  } else if (j->kind == MVM_EV_TIMER) {
    sg_actor_sleep_until(j->at);
  } else {
    sg_host_t h = mvm__sg_hostmap_get(s->hmap, s->truth->nodes[j->subject].host);
    e.ev.node = j->subject;
    if (j->kind == MVM_EV_BOOTED)
      mvm_host_boot(h);
    else
      mvm_host_shutdown(h);
  }
  e.ev.now = simgrid_get_clock();
  free(j);
  post(s, e);
}

static int spawn(sim* s, mvm_event_kind kind, int subject, int rec, double rate, double at, long timer)
{
  job* j = malloc(sizeof *j);
  if (!j)
    return -1;
  *j = (job){s, kind, subject, rec, rate, at, timer};
  const char* host = kind == MVM_EV_TIMER ? s->truth->nodes[0].host
                     : kind == MVM_EV_MIGRATED ? s->truth->nodes[s->truth->vms[subject].from].host
                                               : s->truth->nodes[subject].host;
  static const char* const names[] = {"start", "migrate", "boot", "shutdown", "timer"};
  sg_actor_t a = sg_actor_init(names[kind], mvm__sg_hostmap_get(s->hmap, host));
  sg_actor_set_data(a, j);
  sg_actor_start(a, run_job, 0, NULL);
  return 0;
}

static int be_migrate(void* be, int v, double rate, int rec) { return spawn(be, MVM_EV_MIGRATED, v, rec, rate, 0, 0); }
static int be_boot(void* be, int n, int rec) { return spawn(be, MVM_EV_BOOTED, n, rec, 0, 0, 0); }
static int be_shutdown(void* be, int n, int rec) { return spawn(be, MVM_EV_SHUTDOWN, n, rec, 0, 0, 0); }
static int be_timer(void* be, double at, long id) { return spawn(be, MVM_EV_TIMER, -1, -1, 0, at, id); }

static void driver(int argc, char** argv)
{
  (void)argc;
  (void)argv;
  sim* s = sg_actor_self_get_data();
  mvm_event ev = {.kind = MVM_EV_START, .now = simgrid_get_clock(), .vm = -1, .node = -1};
  s->rc = mvm__pol_event(&s->ctx, &ev, -1, &s->err);
  while (!s->rc && mvm__pol_pending(&s->ctx)) {
    sg_sem_acquire(s->sem);
    if (s->oom) {
      s->rc = mvm_err_set(&s->err, MVM_ENOMEM, "out of memory");
      break;
    }
    simev e = s->q[s->head++];
    if (e.rec >= 0) {
      s->ctx.rec[e.rec].energy = e.energy;
      s->ctx.rec[e.rec].failed = e.failed;
    }
    s->rc = mvm__pol_event(&s->ctx, &e.ev, e.rec, &s->err);
  }
  if (!s->rc)
    s->rc = mvm__pol_finish(&s->ctx, &s->err);
}

typedef struct sim_args {
  const mvm_policy_ref* ref;
  const mvm_scenario* declared;
  const mvm_scenario* truth;
  const mvm_netview* nv;
  const mvm_replay_opts* o;
} sim_args;

/* In the child. Writes the error (code, message), then the records and the replay block. */
static int child_online(void* arg, FILE* out)
{
  const sim_args* a = arg;
  sim s = {.truth = a->truth};
  mvm__pol_backend be = {be_migrate, be_boot, be_shutdown, be_timer, &s};
  int ok = 0;
  mvm_sim_action* sa = NULL;
  if (mvm__sim_setup(a->truth, a->o, &s.hmap, &s.vms))
    goto done;
  if ((s.rc = mvm__pol_init(&s.ctx, a->ref, a->declared, a->nv, 1, &be, &s.err)))
    goto report;
  s.sem = sg_sem_init(0);
  sg_actor_t d = sg_actor_init("policy", mvm__sg_hostmap_get(s.hmap, a->truth->nodes[0].host));
  sg_actor_set_data(d, &s);
  sg_actor_start(d, driver, 0, NULL);
  simgrid_run();
report:
  ok = fwrite(&s.rc, sizeof s.rc, 1, out) == 1 && fwrite(&s.err, sizeof s.err, 1, out) == 1;
  if (ok && !s.rc) {
    size_t n = s.ctx.nrec;
    sa = calloc(n + 1, sizeof *sa);
    ok = sa && fwrite(&n, sizeof n, 1, out) == 1 && fwrite(s.ctx.rec, sizeof *s.ctx.rec, n, out) == n;
    for (size_t i = 0; ok && i < n; i++) {
      const mvm__pol_record* r = &s.ctx.rec[i];
      sa[i] = (mvm_sim_action){r->start, r->end, r->bytes, r->downtime, r->energy, r->rounds,
                               r->kind == MVM_ACT_MIGRATE ? r->converged : 1, r->failed, r->done};
    }
    ok = ok && mvm__sim_write(out, sa, n) == 0;
  }
  ok = ok && fflush(out) == 0;
done:
  if (s.ctx.ref)
    mvm__pol_free(&s.ctx);
  if (s.sem)
    sg_sem_destroy(s.sem);
  free(s.q);
  free(sa);
  free(s.vms);
  mvm__sg_hostmap_free(s.hmap);
  return ok ? 0 : -1;
}

typedef struct tag {
  const char* subject; /* each action's own string: a unique key */
  size_t idx;
} tag;

static int cmp_tag(const void* a, const void* b)
{
  const tag *x = a, *y = b;
  return x->subject < y->subject ? -1 : x->subject > y->subject;
}

/* Sorts the plan (mvm_plan_normalize) and the figures along. */
static int normalize_along(mvm_plan* p, mvm_replay_result* res, mvm_error* err)
{
  size_t n = p->nactions;
  mvm_sim_action* sorted = calloc(n + 1, sizeof *sorted);
  tag* t = calloc(n + 1, sizeof *t);
  if (!sorted || !t) {
    free(sorted);
    free(t);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++)
    t[i] = (tag){p->actions[i].subject, i};
  mvm_qsort(t, n, sizeof *t, cmp_tag);
  mvm_plan_normalize(p); /* moves the actions, not their strings */
  for (size_t i = 0; i < n; i++) {
    tag key = {p->actions[i].subject, 0};
    const tag* f = bsearch(&key, t, n, sizeof *t, cmp_tag);
    if (f)
      sorted[i] = res->act[f->idx];
  }
  free(res->act);
  res->act = sorted;
  free(t);
  return 0;
}

int mvm_policy_simulate(const mvm_policy_ref* ref, const mvm_scenario* declared, const mvm_scenario* truth,
                        const mvm_netview* nv, const mvm_replay_opts* o, mvm_plan** timeline, mvm_replay_result* res,
                        mvm_error* err)
{
  *timeline = NULL;
  memset(res, 0, sizeof *res);
  if (!ref->p->on_event)
    return mvm_err_set(err, MVM_EINPUT, "policy '%s' is offline: plan it, then replay the plan", ref->name);
  if (declared->nnodes == 0)
    return mvm_err_set(err, MVM_EINPUT, "%s: no node: nothing to run policy '%s' on", declared->path, ref->name);
  sim_args a = {ref, declared, truth ? truth : declared, nv, o};
  char what[200];
  snprintf(what, sizeof what, "policy %s", ref->name);
  FILE* in;
  double wall = 0;
  int rc = mvm__sim_fork(child_online, &a, what, &in, &wall, err);
  if (rc)
    return rc;
  int crc = 0;
  size_t n = 0;
  mvm_policy_ctx ctx = {.ref = ref, .sc = declared};
  if (fread(&crc, sizeof crc, 1, in) != 1 || fread(err, sizeof *err, 1, in) != 1)
    rc = mvm_err_set(err, MVM_ESIMULATION, "cannot read the results of the simulation");
  else if (crc) {
    err->msg[sizeof err->msg - 1] = '\0';
    rc = err->code ? (int)err->code : MVM_ESIMULATION;
  } else if (fread(&n, sizeof n, 1, in) != 1 || n > MVM_PLAN_MAX_ACTIONS ||
             !(ctx.rec = calloc(n + 1, sizeof *ctx.rec)) || fread(ctx.rec, sizeof *ctx.rec, n, in) != n)
    rc = mvm_err_set(err, MVM_ESIMULATION, "cannot read the results of the simulation");
  ctx.nrec = n;
  if (!rc)
    rc = mvm__sim_read(in, n, res, err);
  fclose(in);
  if (!rc)
    rc = mvm__pol_timeline(&ctx, timeline, err);
  free(ctx.rec);
  if (!rc) {
    (*timeline)->executed = 1;
    rc = normalize_along(*timeline, res, err);
  }
  if (rc) {
    mvm_plan_free(*timeline);
    *timeline = NULL;
    mvm_replay_result_free(res);
  }
  res->wall = wall;
  return rc;
}
