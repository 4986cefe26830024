/* The plan checker: an independent sweep of the plan against the scenario. */
#include "mvm/check.h"
#include "mvm/model.h"
#include "mvm/power.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TOL_T 1e-5   /* s, plans carry 6 decimals */
#define TOL_REL 1e-6 /* capacities */

/* Tolerance on instants near t: 6 decimals, or a few ulps where a double has fewer (a boot
 * ending at 1e15 s is only known to 0.125 s). */
static double tol(double t) { return TOL_T + 4 * DBL_EPSILON * fabs(t); }

typedef struct checker {
  const mvm_scenario* sc;
  const mvm_netview* nv;
  const mvm_plan* p;
  const char* path;
  FILE* out;
  size_t max_report, count;
  int* mig;  /* vm -> action or -1 */
  int* boot; /* node -> action or -1 */
  int* shut; /* node -> action or -1 */
  size_t structural; /* violations that make the plan impossible to execute at all */
  mvm_error* err;
  int rc; /* MVM_ENOMEM once an allocation failed: the count is then not to be trusted */
} checker;

/* calloc that records a failure in c (the check then returns MVM_ENOMEM). */
static void* check_alloc(checker* c, size_t n, size_t size)
{
  void* p = mvm_xcalloc(n, size, c->err);
  if (!p)
    c->rc = MVM_ENOMEM;
  return p;
}

static void violation(checker* c, const mvm_action* a, double t, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void violation(checker* c, const mvm_action* a, double t, const char* fmt, ...)
{
  if (c->count++ >= c->max_report)
    return;
  char msg[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (a)
    fprintf(c->out, "%s:%d: t=%.6f s: %s %s: %s\n", c->path, a->line, t, mvm_action_kind_name(a->kind), a->subject,
            msg);
  else
    fprintf(c->out, "%s: t=%.6f s: %s\n", c->path, t, msg);
}

typedef struct sev {
  double t;
  double amount;
  int action;
} sev;

/* ends (negative amounts) before starts at the same instant: intervals are [start, end) */
static int cmp_sev(const void* a, const void* b)
{
  const sev* x = a;
  const sev* y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  if ((x->amount < 0) != (y->amount < 0))
    return x->amount < 0 ? -1 : 1;
  return x->action - y->action;
}

/* Sweeps events; reports the first instant the running sum exceeds cap. */
static void sweep(checker* c, sev* ev, size_t n, double base, double cap, const char* what, const char* unit,
                  double scale)
{
  mvm_qsort(ev, n, sizeof(sev), cmp_sev);
  double used = base;
  for (size_t i = 0; i < n; i++) {
    used += ev[i].amount;
    if (ev[i].amount > 0 && used > cap * (1 + TOL_REL) + 1e-9) {
      violation(c, &c->p->actions[ev[i].action], ev[i].t, "%s: %.3f %s in use > %.3f %s", what, used * scale, unit,
                cap * scale, unit);
      return;
    }
  }
}

/* Longest time (s) a plan may take to copy a VM's memory once: SimGrid's own live migration
 * gives up after 10^7 s. A slower rate is a malformed plan, not a slow one. */
#define MAX_COPY_TIME 1e7

static int check_presence(checker* c)
{
  const mvm_scenario* sc = c->sc;
  size_t before = c->count;
  for (size_t i = 0; i < c->p->nactions; i++) {
    const mvm_action* a = &c->p->actions[i];
    if (a->kind == MVM_ACT_MIGRATE) {
      int v = mvm_scenario_find_vm(sc, a->subject);
      if (v < 0) {
        violation(c, a, a->start, "no such vm in the scenario");
        continue;
      }
      const mvm_vm* vm = &sc->vms[v];
      if (!mvm_vm_moves(vm)) {
        violation(c, a, a->start, "the vm does not move in the scenario");
        continue;
      }
      if (strcmp(a->from, sc->nodes[vm->from].host) || strcmp(a->to, sc->nodes[vm->to].host)) {
        violation(c, a, a->start, "goes %s -> %s, the scenario says %s -> %s", a->from, a->to,
                  sc->nodes[vm->from].host, sc->nodes[vm->to].host);
        continue;
      }
      if (c->mig[v] >= 0) {
        violation(c, a, a->start, "migrated twice");
        continue;
      }
      c->mig[v] = (int)i;
      if (vm->used / (a->bandwidth_mbps * 1e6 / 8) > MAX_COPY_TIME)
        violation(c, a, a->start, "at %g Mb/s, copying its %.0f MB once takes more than %g s", a->bandwidth_mbps,
                  vm->used / 1e6, MAX_COPY_TIME);
    } else {
      int n = mvm_scenario_find_node(sc, a->subject);
      if (n < 0) {
        violation(c, a, a->start, "no such node in the scenario");
        continue;
      }
      const mvm_node* nd = &sc->nodes[n];
      int* slot = a->kind == MVM_ACT_BOOT ? &c->boot[n] : &c->shut[n];
      int wanted = a->kind == MVM_ACT_BOOT ? (!nd->initially_on && nd->finally_on)
                                           : (nd->initially_on && !nd->finally_on);
      if (!wanted)
        violation(c, a, a->start, "the scenario does not %s this node", a->kind == MVM_ACT_BOOT ? "boot" : "shut down");
      else if (*slot >= 0)
        violation(c, a, a->start, "planned twice");
      else
        *slot = (int)i;
    }
  }
  c->structural = c->count - before; /* a plan of part of the moves can still be executed */
  for (size_t v = 0; v < sc->nvms; v++)
    if (mvm_vm_moves(&sc->vms[v]) && c->mig[v] < 0)
      violation(c, NULL, 0, "missing action: migrate %s (%s -> %s)", sc->vms[v].id, sc->nodes[sc->vms[v].from].host,
                sc->nodes[sc->vms[v].to].host);
  for (size_t n = 0; n < sc->nnodes; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (!nd->initially_on && nd->finally_on && c->boot[n] < 0)
      violation(c, NULL, 0, "missing action: boot %s", nd->host);
    if (nd->initially_on && !nd->finally_on && c->shut[n] < 0)
      violation(c, NULL, 0, "missing action: shutdown %s", nd->host);
  }
  return 0;
}

static void check_durations(checker* c)
{
  const mvm_scenario* sc = c->sc;
  const mvm_defaults* d = &sc->defaults;
  for (size_t v = 0; v < sc->nvms; v++) {
    if (c->mig[v] < 0)
      continue;
    const mvm_action* a = &c->p->actions[c->mig[v]];
    double rate = a->bandwidth_mbps * 1e6 / 8;
    double max = mvm_route_rate(c->nv, v);
    if (rate > max * (1 + TOL_REL))
      violation(c, a, a->start, "reserves %.3f Mb/s, more than its route's %.3f Mb/s", a->bandwidth_mbps, max * 8 / 1e6);
    mvm_precopy_params p;
    mvm_vm_precopy(sc, c->nv, v, &p);
    double dur = mvm_precopy_duration(&p, rate);
    if (!isfinite(dur))
      violation(c, a, a->start, "never converges at %.3f Mb/s (it dirties %.3f Mb/s)", a->bandwidth_mbps,
                mvm_precopy_limit(&p) * 8 / 1e6);
    else if (!c->p->executed && fabs((a->end - a->start) - dur) > tol(a->end) + 1e-6 * dur)
      violation(c, a, a->start, "lasts %.6f s, the model gives %.6f s at %.3f Mb/s", a->end - a->start, dur,
                a->bandwidth_mbps);
  }
  for (size_t n = 0; n < sc->nnodes; n++) {
    if (c->boot[n] >= 0) {
      const mvm_action* a = &c->p->actions[c->boot[n]];
      if (fabs(a->end - a->start - d->boot) > tol(a->end))
        violation(c, a, a->start, "lasts %.6f s, a boot takes %.6f s", a->end - a->start, d->boot);
    }
    if (c->shut[n] >= 0) {
      const mvm_action* a = &c->p->actions[c->shut[n]];
      if (fabs(a->end - a->start - d->shutdown) > tol(a->end))
        violation(c, a, a->start, "lasts %.6f s, a shutdown takes %.6f s", a->end - a->start, d->shutdown);
    }
  }
}

static void check_nodes_order(checker* c)
{
  const mvm_scenario* sc = c->sc;
  for (size_t v = 0; v < sc->nvms; v++) {
    if (c->mig[v] < 0)
      continue;
    const mvm_action* a = &c->p->actions[c->mig[v]];
    const mvm_vm* vm = &sc->vms[v];
    int b = c->boot[vm->to];
    if (!sc->nodes[vm->to].initially_on) {
      if (b < 0)
        violation(c, a, a->start, "enters node %s, which is off and never booted", a->to);
      else if (a->start < c->p->actions[b].end - tol(c->p->actions[b].end))
        violation(c, a, a->start, "enters node %s before its boot ends (%.6f s)", a->to, c->p->actions[b].end);
    }
    int s = c->shut[vm->from];
    if (s >= 0 && c->p->actions[s].start < a->end - tol(a->end))
      violation(c, &c->p->actions[s], c->p->actions[s].start, "starts before vm %s has left (%.6f s)", vm->id, a->end);
  }
}

static void check_network(checker* c)
{
  const mvm_scenario* sc = c->sc;
  const mvm_netview* nv = c->nv;
  size_t* first = check_alloc(c, nv->nelems + 1, sizeof(size_t));
  if (!first)
    return;
  /* a migration loads its route at its rate, and the route back at ack_factor x its rate
   * (SimGrid's cross-traffic: the acknowledgements) */
  for (size_t v = 0; v < sc->nvms; v++)
    if (c->mig[v] >= 0) {
      for (size_t k = 0; k < nv->routes[v].count; k++)
        first[nv->route_elems[nv->routes[v].first + k] + 1] += 2;
      for (size_t k = 0; k < nv->routes[v].ack_count; k++)
        first[nv->ack_elems[nv->routes[v].ack_first + k] + 1] += 2;
    }
  for (size_t e = 0; e < nv->nelems; e++)
    first[e + 1] += first[e];
  sev* ev = check_alloc(c, first[nv->nelems] + 1, sizeof(sev));
  size_t* fill = ev ? check_alloc(c, nv->nelems + 1, sizeof(size_t)) : NULL;
  if (ev && fill) {
    for (size_t v = 0; v < sc->nvms; v++) {
      if (c->mig[v] < 0)
        continue;
      const mvm_action* a = &c->p->actions[c->mig[v]];
      double rate = a->bandwidth_mbps * 1e6 / 8;
      for (size_t k = 0; k < nv->routes[v].count; k++) {
        int e = nv->route_elems[nv->routes[v].first + k];
        ev[first[e] + fill[e]++] = (sev){a->start, rate, c->mig[v]};
        ev[first[e] + fill[e]++] = (sev){a->end, -rate, c->mig[v]};
      }
      double ack = rate * nv->ack_factor;
      for (size_t k = 0; k < nv->routes[v].ack_count; k++) {
        int e = nv->ack_elems[nv->routes[v].ack_first + k];
        ev[first[e] + fill[e]++] = (sev){a->start, ack, c->mig[v]};
        ev[first[e] + fill[e]++] = (sev){a->end, -ack, c->mig[v]};
      }
    }
    for (size_t e = 0; e < nv->nelems; e++) {
      if (!nv->elems[e].shared)
        continue;
      char what[300];
      snprintf(what, sizeof what, "network element %s", nv->elems[e].name);
      sweep(c, ev + first[e], fill[e], 0, mvm_element_capacity(nv, e), what, "Mb/s", 8 / 1e6);
    }
  }
  free(ev);
  free(fill);
  free(first);
}

static void check_node_capacity(checker* c)
{
  const mvm_scenario* sc = c->sc;
  for (int res = 0; res < 2; res++) {
    size_t* first = check_alloc(c, sc->nnodes + 1, sizeof(size_t));
    double* base = first ? check_alloc(c, sc->nnodes + 1, sizeof(double)) : NULL;
    if (!first || !base) {
      free(first);
      free(base);
      return;
    }
    for (size_t v = 0; v < sc->nvms; v++) {
      const mvm_vm* vm = &sc->vms[v];
      base[vm->from] += res ? vm->cores : vm->memory;
      if (c->mig[v] >= 0) {
        first[vm->from + 1]++;
        first[vm->to + 1]++;
      }
    }
    for (size_t n = 0; n < sc->nnodes; n++)
      first[n + 1] += first[n];
    sev* ev = check_alloc(c, first[sc->nnodes] + 1, sizeof(sev));
    size_t* fill = ev ? check_alloc(c, sc->nnodes + 1, sizeof(size_t)) : NULL;
    if (ev && fill) {
      for (size_t v = 0; v < sc->nvms; v++) {
        if (c->mig[v] < 0)
          continue;
        const mvm_vm* vm = &sc->vms[v];
        const mvm_action* a = &c->p->actions[c->mig[v]];
        double q = res ? vm->cores : vm->memory;
        ev[first[vm->to] + fill[vm->to]++] = (sev){a->start, q, c->mig[v]};
        ev[first[vm->from] + fill[vm->from]++] = (sev){a->end, -q, c->mig[v]};
      }
      for (size_t n = 0; n < sc->nnodes; n++) {
        double cap = res ? sc->nodes[n].cores : sc->nodes[n].memory;
        if (cap < 0)
          continue;
        char what[300];
        snprintf(what, sizeof what, "%s of node %s", res ? "cores" : "memory", sc->nodes[n].host);
        if (base[n] > cap * (1 + TOL_REL))
          violation(c, NULL, 0, "%s: %.0f in use at the start > %.0f", what, base[n], cap);
        else
          sweep(c, ev + first[n], fill[n], base[n], cap, what, res ? "cores" : "MB", res ? 1 : 1e-6);
      }
    }
    free(ev);
    free(fill);
    free(first);
    free(base);
  }
}

static void check_constraints(checker* c)
{
  const mvm_scenario* sc = c->sc;
  for (size_t k = 0; k < sc->nconstraints; k++) {
    const mvm_constraint* cs = &sc->constraints[k];
    switch (cs->kind) {
    case MVM_C_SYNC: {
      const mvm_action* first = NULL;
      for (size_t i = 0; i < cs->nvms; i++) {
        int ai = c->mig[cs->vms[i]];
        if (ai < 0)
          continue;
        const mvm_action* a = &c->p->actions[ai];
        if (!first)
          first = a;
        else if (c->p->executed) { /* an executor starts them together; their ends are the simulation's */
          if (fabs(a->start - first->start) > tol(a->start))
            violation(c, a, a->start, "sync (scenario line %d): starts at %.6f s, vm %s at %.6f s (executed timeline)",
                      cs->line, a->start, first->subject, first->start);
        } else if (fabs(a->end - first->end) > tol(a->end))
          violation(c, a, a->end, "sync (scenario line %d): ends at %.6f s, vm %s at %.6f s", cs->line, a->end,
                    first->subject, first->end);
      }
      break;
    }
    case MVM_C_SERIALIZE:
      for (size_t i = 0; i < cs->nvms; i++)
        for (size_t j = i + 1; j < cs->nvms; j++) {
          int x = c->mig[cs->vms[i]], y = c->mig[cs->vms[j]];
          if (x < 0 || y < 0)
            continue;
          const mvm_action* a = &c->p->actions[x];
          const mvm_action* b = &c->p->actions[y];
          if (a->start < b->end - tol(b->end) && b->start < a->end - tol(a->end))
            violation(c, a, fmax(a->start, b->start), "serialize (scenario line %d): overlaps vm %s", cs->line,
                      b->subject);
        }
      break;
    case MVM_C_PRECEDENCE: {
      int x = c->mig[cs->vms[0]], y = c->mig[cs->vms[1]];
      if (x >= 0 && y >= 0 && c->p->actions[y].start < c->p->actions[x].end - tol(c->p->actions[x].end))
        violation(c, &c->p->actions[y], c->p->actions[y].start,
                  "precedence (scenario line %d): starts before vm %s ends (%.6f s)", cs->line,
                  c->p->actions[x].subject, c->p->actions[x].end);
      break;
    }
    case MVM_C_DEADLINE:
      for (size_t i = 0; i < cs->nvms; i++) {
        int x = c->mig[cs->vms[i]];
        if (x >= 0 && c->p->actions[x].end > cs->at + tol(cs->at))
          violation(c, &c->p->actions[x], c->p->actions[x].end, "deadline (scenario line %d) of %.6f s missed",
                    cs->line, cs->at);
      }
      break;
    case MVM_C_POWER:
      break; /* below, with the power profile */
    }
  }
}

static void check_power(checker* c)
{
  const mvm_scenario* sc = c->sc;
  int any = 0;
  for (size_t k = 0; k < sc->nconstraints; k++)
    any |= sc->constraints[k].kind == MVM_C_POWER;
  if (!any)
    return;
  mvm_power_step* st;
  size_t n;
  double energy;
  if ((c->rc = mvm_plan_power(sc, c->p, &st, &n, &energy, c->err)))
    return;
  for (size_t k = 0; k < sc->nconstraints; k++) {
    const mvm_constraint* cs = &sc->constraints[k];
    if (cs->kind != MVM_C_POWER)
      continue;
    for (size_t i = 0; i < n; i++) {
      double t0 = st[i].time, t1 = i + 1 < n ? st[i + 1].time : INFINITY;
      if (t1 <= cs->from || t0 >= cs->to || t1 - t0 <= 0)
        continue;
      if (st[i].watts > cs->max * (1 + TOL_REL) + 1e-6) {
        violation(c, NULL, fmax(t0, cs->from), "power-budget (scenario line %d): %.1f W drawn > %.1f W", cs->line,
                  st[i].watts, cs->max);
        break;
      }
    }
  }
  free(st);
}

int mvm_check(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const char* plan_path, FILE* out,
              size_t max_report, size_t* nviolations, mvm_error* err)
{
  size_t ns;
  return mvm_check_ex(sc, nv, p, plan_path, out, max_report, nviolations, &ns, err);
}

int mvm_check_ex(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const char* plan_path, FILE* out,
                 size_t max_report, size_t* nviolations, size_t* nstructural, mvm_error* err)
{
  checker c = {.sc = sc, .nv = nv, .p = p, .path = plan_path, .out = out, .max_report = max_report, .err = err};
  *nviolations = 0;
  *nstructural = 0;
  c.mig = check_alloc(&c, sc->nvms, sizeof(int));
  c.boot = c.mig ? check_alloc(&c, sc->nnodes, sizeof(int)) : NULL;
  c.shut = c.boot ? check_alloc(&c, sc->nnodes, sizeof(int)) : NULL;
  if (!c.shut) {
    free(c.mig);
    free(c.boot);
    free(c.shut);
    return MVM_ENOMEM;
  }
  for (size_t i = 0; i < sc->nvms; i++)
    c.mig[i] = -1;
  for (size_t i = 0; i < sc->nnodes; i++)
    c.boot[i] = c.shut[i] = -1;
  check_presence(&c);
  check_durations(&c);
  check_nodes_order(&c);
  check_network(&c);
  check_node_capacity(&c);
  check_constraints(&c);
  if (!c.rc)
    check_power(&c);
  if (c.count > c.max_report && !c.rc)
    fprintf(out, "%s: ... and %zu more violations\n", plan_path, c.count - c.max_report);
  *nviolations = c.count;
  *nstructural = c.structural;
  free(c.mig);
  free(c.boot);
  free(c.shut);
  return c.rc;
}
