/* The state of an online policy's run and the calls of mvm/policy.h: what a policy sees
 * (VMs, nodes, reservations on the network) and the actions it starts, each checked before
 * the execution (prediction or simulation) carries it out. */
#include "policy_ctx.h"

#include "mvm/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int mvm__pol_init(mvm_policy_ctx* c, const mvm_policy_ref* ref, const mvm_scenario* sc, const mvm_netview* nv,
                  int simulated, const mvm__pol_backend* be, mvm_error* err)
{
  memset(c, 0, sizeof *c);
  c->ref = ref;
  c->sc = sc;
  c->nv = nv;
  c->simulated = simulated;
  c->be = *be;
  size_t nv_ = sc->nvms + 1, nn = sc->nnodes + 1;
  c->vm = calloc(nv_, sizeof *c->vm);
  c->vm_rec = calloc(nv_, sizeof *c->vm_rec);
  c->node = calloc(nn, sizeof *c->node);
  c->booted = calloc(nn, 1);
  c->shut = calloc(nn, 1);
  c->hosted = calloc(nn, sizeof(int));
  c->out = calloc(nn, sizeof(int));
  c->in = calloc(nn, sizeof(int));
  c->used = calloc(nv->nelems + 1, sizeof(double));
  c->state = calloc(ref->p->state_size + 1, 1);
  if (!c->vm || !c->vm_rec || !c->node || !c->booted || !c->shut || !c->hosted || !c->out || !c->in || !c->used ||
      !c->state) {
    mvm__pol_free(c);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  for (size_t v = 0; v < sc->nvms; v++) {
    c->vm[v] = mvm_vm_moves(&sc->vms[v]) ? MVM_VM_WAITING : MVM_VM_STAYS;
    c->vm_rec[v] = -1;
    c->remaining += mvm_vm_moves(&sc->vms[v]);
    c->hosted[sc->vms[v].from]++;
  }
  for (size_t n = 0; n < sc->nnodes; n++)
    c->node[n] = sc->nodes[n].initially_on ? MVM_NODE_ON : MVM_NODE_OFF;
  return 0;
}

void mvm__pol_free(mvm_policy_ctx* c)
{
  if (c->ref && c->ref->p->cleanup && c->state)
    c->ref->p->cleanup(c);
  free(c->vm);
  free(c->vm_rec);
  free(c->node);
  free(c->booted);
  free(c->shut);
  free(c->hosted);
  free(c->out);
  free(c->in);
  free(c->used);
  free(c->state);
  free(c->rec);
  memset(c, 0, sizeof *c);
}

/* ---------- what a policy sees ---------- */

double mvm_pol_now(const mvm_policy_ctx* c) { return c->now; }
const mvm_scenario* mvm_pol_scenario(const mvm_policy_ctx* c) { return c->sc; }
const mvm_netview* mvm_pol_netview(const mvm_policy_ctx* c) { return c->nv; }
int mvm_pol_param(const mvm_policy_ctx* c) { return c->ref->param; }
const char* mvm_pol_name(const mvm_policy_ctx* c) { return c->ref->name; }
void* mvm_pol_state(mvm_policy_ctx* c) { return c->ref->p->state_size ? c->state : NULL; }
int mvm_pol_simulated(const mvm_policy_ctx* c) { return c->simulated; }
int mvm_pol_running(const mvm_policy_ctx* c) { return c->running; }
int mvm_pol_remaining(const mvm_policy_ctx* c) { return c->remaining; }

mvm_vm_status mvm_pol_vm(const mvm_policy_ctx* c, int v)
{
  return v >= 0 && (size_t)v < c->sc->nvms ? c->vm[v] : MVM_VM_STAYS;
}

mvm_node_status mvm_pol_node(const mvm_policy_ctx* c, int n)
{
  return n >= 0 && (size_t)n < c->sc->nnodes ? c->node[n] : MVM_NODE_OFF;
}

int mvm_pol_outgoing(const mvm_policy_ctx* c, int n) { return n >= 0 && (size_t)n < c->sc->nnodes ? c->out[n] : 0; }
int mvm_pol_incoming(const mvm_policy_ctx* c, int n) { return n >= 0 && (size_t)n < c->sc->nnodes ? c->in[n] : 0; }

/* See policy_ctx.h. */
void mvm__pol_reserve(mvm_policy_ctx* c, int v, double rate)
{
  const mvm_netview* nv = c->nv;
  const mvm_route* r = &nv->routes[v];
  for (size_t k = 0; k < r->count; k++)
    c->used[nv->route_elems[r->first + k]] += rate;
  for (size_t k = 0; k < r->ack_count; k++)
    c->used[nv->ack_elems[r->ack_first + k]] += nv->ack_factor * rate;
}

double mvm_pol_free_rate(const mvm_policy_ctx* c, int v)
{
  if (v < 0 || (size_t)v >= c->sc->nvms || !mvm_vm_moves(&c->sc->vms[v]))
    return 0;
  const mvm_netview* nv = c->nv;
  const mvm_route* r = &nv->routes[v];
  double rate = mvm_route_rate(nv, (size_t)v);
  for (size_t k = 0; k < r->count + r->ack_count; k++) {
    int e = k < r->count ? nv->route_elems[r->first + k] : nv->ack_elems[r->ack_first + k - r->count];
    if (!nv->elems[e].shared)
      continue;
    double left = mvm_element_capacity(nv, (size_t)e) - c->used[e];
    rate = fmin(rate, fmax(0, left) / mvm_route_load(nv, (size_t)v, e));
  }
  return rate;
}

double mvm_pol_min_rate(const mvm_policy_ctx* c, int v)
{
  if (v < 0 || (size_t)v >= c->sc->nvms)
    return INFINITY;
  mvm_precopy_params p;
  mvm_vm_precopy(c->sc, c->nv, (size_t)v, &p);
  return mvm_precopy_limit(&p);
}

double mvm_pol_predict(const mvm_policy_ctx* c, int v, double rate)
{
  if (v < 0 || (size_t)v >= c->sc->nvms)
    return INFINITY;
  mvm_precopy_params p;
  mvm_vm_precopy(c->sc, c->nv, (size_t)v, &p);
  return mvm_precopy_duration(&p, rate);
}

/* ---------- what a policy does ---------- */

static int refuse(const mvm_policy_ctx* c, mvm_error* err, const char* what, const char* subject, const char* why)
{
  return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': t=%.6f s: %s %.64s: %s", c->ref->name, c->now, what,
                     subject, why);
}

static int add_record(mvm_policy_ctx* c, mvm_action_kind kind, int subject, double rate, mvm_error* err)
{
  if (mvm_grow((void**)&c->rec, &c->caprec, c->nrec + 1, sizeof *c->rec, err))
    return -1;
  c->rec[c->nrec] = (mvm__pol_record){.kind = kind, .subject = subject, .start = c->now, .end = c->now, .rate = rate};
  return (int)c->nrec++;
}

int mvm_pol_migrate(mvm_policy_ctx* c, int v, double rate, mvm_error* err)
{
  if (v < 0 || (size_t)v >= c->sc->nvms)
    return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': t=%.6f s: migrate: no VM of index %d", c->ref->name, c->now,
                       v);
  const mvm_vm* vm = &c->sc->vms[v];
  static const char* const st[] = {"it stays where it is", "", "it is migrating already", "it has moved already"};
  if (c->vm[v] != MVM_VM_WAITING)
    return refuse(c, err, "migrate", vm->id, st[c->vm[v]]);
  if (c->node[vm->to] != MVM_NODE_ON)
    return refuse(c, err, "migrate", vm->id, "its destination is not on (boot it and wait for BOOTED)");
  if (c->node[vm->from] != MVM_NODE_ON)
    return refuse(c, err, "migrate", vm->id, "its source is not on");
  if (!isfinite(rate) || rate <= mvm_pol_min_rate(c, v))
    return refuse(c, err, "migrate", vm->id, "the rate is not finite or too low to converge (mvm_pol_min_rate)");
  if (rate > mvm_route_rate(c->nv, (size_t)v) * (1 + 1e-9))
    return refuse(c, err, "migrate", vm->id, "the rate is above what its route carries (mvm_route_rate)");
  int r = add_record(c, MVM_ACT_MIGRATE, v, rate, err);
  if (r < 0 || c->be.migrate(c->be.be, v, rate, r))
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  c->vm[v] = MVM_VM_MIGRATING;
  c->vm_rec[v] = r;
  c->out[vm->from]++;
  c->in[vm->to]++;
  c->hosted[vm->to]++;
  mvm__pol_reserve(c, v, rate);
  c->running++;
  c->remaining--;
  c->busy++;
  return 0;
}

int mvm_pol_boot(mvm_policy_ctx* c, int n, mvm_error* err)
{
  if (n < 0 || (size_t)n >= c->sc->nnodes)
    return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': t=%.6f s: boot: no node of index %d", c->ref->name, c->now, n);
  const char* host = c->sc->nodes[n].host;
  if (c->node[n] != MVM_NODE_OFF)
    return refuse(c, err, "boot", host, "the node is not off");
  if (c->booted[n])
    return refuse(c, err, "boot", host, "the node was booted once already (a plan boots a node once)");
  int r = add_record(c, MVM_ACT_BOOT, n, 0, err);
  if (r < 0 || c->be.boot(c->be.be, n, r))
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  c->booted[n] = 1;
  c->node[n] = MVM_NODE_BOOTING;
  c->busy++;
  return 0;
}

int mvm_pol_shutdown(mvm_policy_ctx* c, int n, mvm_error* err)
{
  if (n < 0 || (size_t)n >= c->sc->nnodes)
    return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': t=%.6f s: shutdown: no node of index %d", c->ref->name,
                       c->now, n);
  const char* host = c->sc->nodes[n].host;
  if (c->node[n] != MVM_NODE_ON)
    return refuse(c, err, "shutdown", host, "the node is not on");
  if (c->hosted[n] || c->out[n] || c->in[n])
    return refuse(c, err, "shutdown", host, "the node still hosts VMs or migrations");
  if (c->shut[n])
    return refuse(c, err, "shutdown", host, "the node was shut down once already");
  int r = add_record(c, MVM_ACT_SHUTDOWN, n, 0, err);
  if (r < 0 || c->be.shutdown(c->be.be, n, r))
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  c->shut[n] = 1;
  c->node[n] = MVM_NODE_SHUTTING_DOWN;
  c->busy++;
  return 0;
}

int mvm_pol_timer(mvm_policy_ctx* c, double at, long* id, mvm_error* err)
{
  if (!isfinite(at) || at < c->now || at > 1e12)
    return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': t=%.6f s: timer at %g s: not a time from now on (up to 1e12 s)",
                       c->ref->name, c->now, at);
  long t = ++c->next_timer;
  if (c->be.timer(c->be.be, at, t))
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  c->timers++;
  if (id)
    *id = t;
  return 0;
}

int mvm_pol_boot_destinations(mvm_policy_ctx* c, mvm_error* err)
{
  char* want = calloc(c->sc->nnodes + 1, 1);
  if (!want)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  for (size_t v = 0; v < c->sc->nvms; v++)
    if (c->vm[v] == MVM_VM_WAITING)
      want[c->sc->vms[v].to] = 1;
  int rc = 0;
  for (size_t n = 0; n < c->sc->nnodes && !rc; n++)
    if (want[n] && c->node[n] == MVM_NODE_OFF && !c->booted[n])
      rc = mvm_pol_boot(c, (int)n, err);
  free(want);
  return rc;
}

int mvm_pol_shutdown_emptied(mvm_policy_ctx* c, mvm_error* err)
{
  for (size_t n = 0; n < c->sc->nnodes; n++)
    if (!c->sc->nodes[n].finally_on && c->node[n] == MVM_NODE_ON && !c->hosted[n] && !c->out[n] && !c->in[n] &&
        !c->shut[n]) {
      int rc = mvm_pol_shutdown(c, (int)n, err);
      if (rc)
        return rc;
    }
  return 0;
}

/* ---------- the run ---------- */

int mvm__pol_event(mvm_policy_ctx* c, mvm_event* ev, int r, mvm_error* err)
{
  c->now = ev->now;
  if (++c->events > MVM__POL_MAX_EVENTS)
    return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': t=%.6f s: over %ld events (timers set again and again?)",
                       c->ref->name, c->now, MVM__POL_MAX_EVENTS);
  mvm__pol_record* rec = r >= 0 ? &c->rec[r] : NULL;
  if (rec) {
    rec->end = ev->now;
    rec->done = 1;
    c->busy--;
  }
  switch (ev->kind) {
  case MVM_EV_MIGRATED: {
    const mvm_vm* vm = &c->sc->vms[ev->vm];
    rec->bytes = ev->bytes;
    rec->downtime = ev->downtime;
    rec->rounds = ev->rounds;
    rec->converged = ev->converged;
    ev->start = rec->start;
    ev->end = rec->end;
    ev->rate = rec->rate;
    ev->predicted = mvm_pol_predict(c, ev->vm, rec->rate);
    mvm__pol_reserve(c, ev->vm, -rec->rate);
    c->out[vm->from]--;
    c->in[vm->to]--;
    c->running--;
    c->vm_rec[ev->vm] = -1;
    if (rec->failed) { /* the VM stayed on its source: it waits again */
      c->vm[ev->vm] = MVM_VM_WAITING;
      c->hosted[vm->to]--;
      c->remaining++;
    } else {
      c->vm[ev->vm] = MVM_VM_DONE;
      c->hosted[vm->from]--;
    }
    break;
  }
  case MVM_EV_BOOTED:
    c->node[ev->node] = MVM_NODE_ON;
    break;
  case MVM_EV_SHUTDOWN:
    c->node[ev->node] = MVM_NODE_OFF;
    break;
  case MVM_EV_TIMER:
    c->timers--;
    break;
  case MVM_EV_START:
    break;
  }
  return c->ref->p->on_event(c, ev, err);
}

int mvm__pol_finish(mvm_policy_ctx* c, mvm_error* err)
{
  for (size_t v = 0; v < c->sc->nvms; v++)
    if (c->vm[v] == MVM_VM_WAITING)
      return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': ended at t=%.6f s with vm %s still on %s (not migrated)",
                         c->ref->name, c->now, c->sc->vms[v].id, c->sc->nodes[c->sc->vms[v].from].host);
  for (size_t n = 0; n < c->sc->nnodes; n++) {
    int on = c->node[n] == MVM_NODE_ON;
    if (on != c->sc->nodes[n].finally_on)
      return mvm_err_set(err, MVM_ESIMULATION, "policy '%s': ended at t=%.6f s with node %s %s, the scenario wants it %s",
                         c->ref->name, c->now, c->sc->nodes[n].host, on ? "on" : "off",
                         c->sc->nodes[n].finally_on ? "on" : "off");
  }
  return 0;
}

int mvm__pol_timeline(const mvm_policy_ctx* c, mvm_plan** out, mvm_error* err)
{
  mvm_plan* p = mvm_plan_new(err);
  if (!p || !(p->scheduler = mvm_xstrdup(c->ref->name, err))) {
    mvm_plan_free(p);
    return MVM_ENOMEM;
  }
  for (size_t i = 0; i < c->nrec; i++) {
    const mvm__pol_record* r = &c->rec[i];
    const char *subj, *from, *to;
    if (r->kind == MVM_ACT_MIGRATE) {
      const mvm_vm* vm = &c->sc->vms[r->subject];
      subj = vm->id;
      from = c->sc->nodes[vm->from].host;
      to = c->sc->nodes[vm->to].host;
    } else
      subj = from = to = c->sc->nodes[r->subject].host;
    if (mvm_plan_add(p, r->kind, subj, from, to, r->start, r->end, r->rate * 8 / 1e6, err)) {
      mvm_plan_free(p);
      return MVM_ENOMEM;
    }
  }
  p->objective = mvm_plan_sum_ends(p);
  *out = p;
  return 0;
}
