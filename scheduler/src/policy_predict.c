/* An online policy run against the prediction: a discrete-event loop in which a migration
 * lasts what the scheduler's model gives at its rate (mvm/model.h), a boot and a shutdown
 * their scenario durations. No SimGrid: this is what `mvm plan -s POLICY` writes. Events
 * at the same instant come in the order their actions were started (deterministic). */
#include "policy_ctx.h"

#include "mvm/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct pending {
  double at;
  long seq;
  mvm_event_kind kind;
  int subject, rec;
  long timer;
} pending;

typedef struct predict {
  mvm_policy_ctx* ctx;
  pending* q;
  size_t n, cap;
  long seq;
} predict;

static int push(predict* pr, pending e)
{
  if (mvm_grow((void**)&pr->q, &pr->cap, pr->n + 1, sizeof *pr->q, NULL))
    return -1;
  e.seq = pr->seq++;
  pr->q[pr->n++] = e;
  return 0;
}

static int be_migrate(void* be, int v, double rate, int rec)
{
  predict* pr = be;
  double d = mvm_pol_predict(pr->ctx, v, rate);
  return push(pr, (pending){pr->ctx->now + d, 0, MVM_EV_MIGRATED, v, rec, 0});
}

static int be_boot(void* be, int n, int rec)
{
  predict* pr = be;
  return push(pr, (pending){pr->ctx->now + pr->ctx->sc->defaults.boot, 0, MVM_EV_BOOTED, n, rec, 0});
}

static int be_shutdown(void* be, int n, int rec)
{
  predict* pr = be;
  return push(pr, (pending){pr->ctx->now + pr->ctx->sc->defaults.shutdown, 0, MVM_EV_SHUTDOWN, n, rec, 0});
}

static int be_timer(void* be, double at, long id)
{
  predict* pr = be;
  return push(pr, (pending){at, 0, MVM_EV_TIMER, -1, -1, id});
}

/* Removes and returns the earliest pending event (ties: the first pushed). */
static pending pop(predict* pr)
{
  size_t best = 0;
  for (size_t i = 1; i < pr->n; i++)
    if (pr->q[i].at < pr->q[best].at || (pr->q[i].at == pr->q[best].at && pr->q[i].seq < pr->q[best].seq))
      best = i;
  pending e = pr->q[best];
  pr->q[best] = pr->q[--pr->n];
  return e;
}

/* Runs ref's online policy against the prediction; its timeline in *out. */
static int run_predicted(const mvm_policy_ref* ref, const mvm_scenario* sc, const mvm_netview* nv, mvm_plan** out,
                         mvm_error* err)
{
  predict pr = {0};
  mvm_policy_ctx ctx;
  mvm__pol_backend be = {be_migrate, be_boot, be_shutdown, be_timer, &pr};
  int rc = mvm__pol_init(&ctx, ref, sc, nv, 0, &be, err);
  if (rc)
    return rc;
  pr.ctx = &ctx;
  mvm_event ev = {.kind = MVM_EV_START, .now = 0, .vm = -1, .node = -1};
  rc = mvm__pol_event(&ctx, &ev, -1, err);
  while (!rc && pr.n > 0) {
    pending e = pop(&pr);
    ev = (mvm_event){.kind = e.kind, .now = e.at, .vm = -1, .node = -1, .timer = e.timer};
    if (e.kind == MVM_EV_MIGRATED) {
      mvm__pol_record* r = &ctx.rec[e.rec];
      mvm_precopy_params p;
      mvm_vm_precopy(sc, nv, (size_t)e.subject, &p);
      ev.vm = e.subject;
      ev.bytes = mvm_precopy_data(&p, r->rate);
      ev.downtime = p.downtime;
      ev.converged = 1;
    } else if (e.kind != MVM_EV_TIMER)
      ev.node = e.subject;
    rc = mvm__pol_event(&ctx, &ev, e.rec, err);
  }
  if (!rc)
    rc = mvm__pol_finish(&ctx, err);
  if (!rc)
    rc = mvm__pol_timeline(&ctx, out, err);
  mvm__pol_free(&ctx);
  free(pr.q);
  return rc;
}

int mvm_policy_plan(const mvm_policy_ref* ref, const mvm_scenario* sc, const mvm_netview* nv, mvm_plan** out,
                    mvm_error* err)
{
  *out = NULL;
  if (!ref->p->plan)
    return run_predicted(ref, sc, nv, out, err);
  int rc = ref->p->plan(sc, nv, ref->param, out, err);
  if (rc)
    return rc;
  free((*out)->scheduler);
  if (!((*out)->scheduler = mvm_xstrdup(ref->name, err))) {
    mvm_plan_free(*out);
    *out = NULL;
    return MVM_ENOMEM;
  }
  return 0;
}
