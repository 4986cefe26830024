/* The field's online policies, as production stacks and papers describe them. Each boots
 * the destinations first, starts migrations in VM id order (FIFO) within its limits, and
 * shuts a server down as soon as it is empty.
 *
 * They follow the scenario's sync, serialize and precedence constraints (an operator
 * would script those around them), not its power budgets nor deadlines (the field's
 * policies know no power: mvm compare reports how far over a budget they go).
 *
 * Rates: production executors leave the rate to TCP; here a migration reserves a rate
 * (so that the executed timeline can be checked and predicted like a plan): its route's
 * rate divided by the policy's concurrency per host (the equal TCP share of a source link
 * among its K migrations), never more than what the running migrations leave on the route
 * (mvm_pol_free_rate). A migration waits while that leaves less than a quarter of its
 * share (the mvm scheduler's lowest rate level) or less than it needs to converge; one that
 * would never converge at its share takes its route's whole rate when it is free. */
#include "policy_ctx.h"

#include "mvm/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct limits {
  int global;     /* concurrent migrations in all (0: unlimited) */
  int per_source; /* ... out of one node (0: unlimited) */
  int share;      /* the route's rate is divided by this */
} limits;

/* The sync constraint VM v belongs to, -1 if none. */
static int sync_of(const mvm_scenario* sc, int v)
{
  for (size_t c = 0; c < sc->nconstraints; c++)
    for (size_t i = 0; sc->constraints[c].kind == MVM_C_SYNC && i < sc->constraints[c].nvms; i++)
      if (sc->constraints[c].vms[i] == v)
        return (int)c;
  return -1;
}

/* 1 if the scenario's serialize and precedence constraints let VM v start now: no
 * serialize partner migrating, every migration it must follow done. */
static int constraints_allow(mvm_policy_ctx* ctx, int v)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind == MVM_C_PRECEDENCE && k->vms[1] == v && mvm_pol_vm(ctx, k->vms[0]) != MVM_VM_DONE &&
        mvm_pol_vm(ctx, k->vms[0]) != MVM_VM_STAYS)
      return 0;
    if (k->kind != MVM_C_SERIALIZE)
      continue;
    int in = 0, busy = 0;
    for (size_t i = 0; i < k->nvms; i++) {
      in |= k->vms[i] == v;
      busy |= mvm_pol_vm(ctx, k->vms[i]) == MVM_VM_MIGRATING;
    }
    if (in && busy)
      return 0;
  }
  return 1;
}

/* Tries to start VM v, or its whole sync group (members start together, the shorter ones
 * slowed to end with the longest, as the scenario asks; the group counts as one migration
 * for the global limit). Returns 0 (started or not) or an error. */
static int try_start(mvm_policy_ctx* ctx, const limits* l, int v, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  const mvm_netview* nv = mvm_pol_netview(ctx);
  int g = sync_of(sc, v), one = v;
  const int* m = g < 0 ? &one : sc->constraints[g].vms;
  int n = g < 0 ? 1 : (int)sc->constraints[g].nvms, k, ok = 1, held = 0;
  double* rate = calloc((size_t)n + 1, sizeof(double));
  if (!rate)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  for (k = 0; k < n && ok; k++) { /* each member's rate, the ones before held meanwhile */
    const mvm_vm* vm = &sc->vms[m[k]];
    int same = 0; /* members before it leaving the same source */
    for (int i = 0; i < k; i++)
      same += sc->vms[m[i]].from == vm->from;
    ok = mvm_pol_vm(ctx, m[k]) == MVM_VM_WAITING && constraints_allow(ctx, m[k]) &&
         mvm_pol_node(ctx, vm->to) == MVM_NODE_ON &&
         mvm_pol_node(ctx, vm->from) == MVM_NODE_ON &&
         !(l->per_source && mvm_pol_outgoing(ctx, vm->from) + same >= l->per_source);
    double share = mvm_route_rate(nv, (size_t)m[k]) / (l->share > 0 ? l->share : 1);
    double lim = mvm_pol_min_rate(ctx, m[k]) * (1 + 1e-6);
    if (share <= lim) /* it would never converge at its share: it takes what is free */
      share = mvm_route_rate(nv, (size_t)m[k]);
    rate[k] = ok ? fmin(share, mvm_pol_free_rate(ctx, m[k])) : 0;
    ok = ok && rate[k] >= 0.25 * share && rate[k] > lim;
    if (ok) {
      mvm__pol_reserve(ctx, m[k], rate[k]);
      held++;
    }
  }
  while (held-- > 0)
    mvm__pol_reserve(ctx, m[held], -rate[held]);
  int rc = 0;
  if (ok && n > 1) { /* the shorter members end with the longest */
    double dmax = 0;
    for (k = 0; k < n; k++)
      dmax = fmax(dmax, mvm_pol_predict(ctx, m[k], rate[k]));
    for (k = 0; k < n; k++) {
      mvm_precopy_params p;
      mvm_vm_precopy(sc, nv, (size_t)m[k], &p);
      rate[k] = mvm_precopy_rate_for(&p, dmax, rate[k]);
    }
  }
  for (k = 0; k < n && ok && !rc; k++)
    rc = mvm_pol_migrate(ctx, m[k], rate[k], err);
  free(rate);
  return rc;
}

/* Starts the waiting migrations that fit, in VM order. */
static int dispatch(mvm_policy_ctx* ctx, const limits* l, const char* group, int gid, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  int rc = mvm_pol_shutdown_emptied(ctx, err);
  for (size_t v = 0; v < sc->nvms && !rc; v++) {
    if (l->global && mvm_pol_running(ctx) >= l->global)
      break;
    if (mvm_pol_vm(ctx, (int)v) != MVM_VM_WAITING || (group && group[v] != gid))
      continue;
    rc = try_start(ctx, l, (int)v, err);
  }
  return rc;
}

static int on_limits(mvm_policy_ctx* ctx, const mvm_event* ev, const limits* l, mvm_error* err)
{
  if (ev->kind == MVM_EV_START) {
    int rc = mvm_pol_boot_destinations(ctx, err);
    if (rc)
      return rc;
  }
  return dispatch(ctx, l, NULL, 0, err);
}

/* one-by-one: a single migration at a time (the sequential baseline of CloudSimMig and of
 * most studies, e.g. Bari et al. 2014's comparison point). */
static int one_by_one(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err)
{
  return on_limits(ctx, ev, &(limits){1, 0, 1}, err);
}

/* per-host-K: OpenStack Nova's max_concurrent_live_migrations (default 1): each compute
 * host runs at most K outgoing live migrations; no limit across hosts. */
static int per_host(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err)
{
  int k = mvm_pol_param(ctx);
  return on_limits(ctx, ev, &(limits){0, k, k}, err);
}

/* kubevirt: KubeVirt's migration configuration defaults: parallelMigrationsPerCluster 5,
 * parallelOutboundMigrationsPerNode 2 (completionTimeoutPerGiB 800 s/GiB: not enforced,
 * the plugin cannot cancel a migration; docs/policies.md). */
static int kubevirt(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err)
{
  return on_limits(ctx, ev, &(limits){5, 2, 2}, err);
}

/* cqncr: Bari, Zhani, Zhang, Ahmed, Boutaba, "CQNCR: Optimal VM Migration Planning in
 * Cloud Data Centers", IFIP Networking 2014: migrations are grouped so that no two of a
 * group compete for a resource (here: a shared network element or a node), groups run one
 * after the other, each group's migrations in parallel. Groups are formed greedily,
 * shortest predicted migration first, each into the first group it does not conflict with. */
typedef struct cqncr_state {
  char* group; /* per VM */
  int current, ngroups;
} cqncr_state;

typedef struct lone {
  double d;
  int v;
} lone;

static int cmp_lone(const void* a, const void* b)
{
  const lone *x = a, *y = b;
  if (x->d != y->d)
    return x->d < y->d ? -1 : 1;
  return x->v - y->v;
}

/* 1 if VMs a and b share a node or a shared network element. */
static int conflict(const mvm_scenario* sc, const mvm_netview* nv, int a, int b)
{
  const mvm_vm *x = &sc->vms[a], *y = &sc->vms[b];
  if (x->from == y->from || x->from == y->to || x->to == y->from || x->to == y->to)
    return 1;
  const mvm_route *ra = &nv->routes[a], *rb = &nv->routes[b];
  for (size_t i = 0; i < ra->count; i++) {
    int e = nv->route_elems[ra->first + i];
    if (!nv->elems[e].shared)
      continue;
    for (size_t j = 0; j < rb->count; j++)
      if (nv->route_elems[rb->first + j] == e)
        return 1;
  }
  return 0;
}

static int cqncr_groups(mvm_policy_ctx* ctx, cqncr_state* s, mvm_error* err)
{
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  const mvm_netview* nv = mvm_pol_netview(ctx);
  lone* l = calloc(sc->nvms + 1, sizeof *l);
  s->group = calloc(sc->nvms + 1, 1);
  int* members = calloc(sc->nvms + 1, sizeof(int));
  int* gof = calloc(sc->nvms + 1, sizeof(int));
  if (!l || !s->group || !members || !gof) {
    free(l);
    free(members);
    free(gof);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  size_t n = 0;
  for (size_t v = 0; v < sc->nvms; v++)
    if (mvm_vm_moves(&sc->vms[v]))
      l[n++] = (lone){mvm_pol_predict(ctx, (int)v, mvm_route_rate(nv, v)), (int)v};
  mvm_qsort(l, n, sizeof *l, cmp_lone);
  int ng = 0;
  for (size_t i = 0; i < n; i++) {
    int g = 0;
    for (;; g++) {
      int ok = 1;
      for (size_t j = 0; j < i && ok; j++)
        ok = gof[j] != g || !conflict(sc, nv, l[i].v, l[j].v);
      if (ok)
        break;
    }
    gof[i] = g;
    s->group[l[i].v] = (char)(g < 127 ? g : 127); /* beyond 127 groups, the rest run together */
    ng = g + 1 > ng ? g + 1 : ng;
  }
  s->ngroups = ng < 128 ? ng : 128;
  free(l);
  free(members);
  free(gof);
  return 0;
}

static int cqncr(mvm_policy_ctx* ctx, const mvm_event* ev, mvm_error* err)
{
  cqncr_state* s = mvm_pol_state(ctx);
  const mvm_scenario* sc = mvm_pol_scenario(ctx);
  if (ev->kind == MVM_EV_START) {
    int rc = cqncr_groups(ctx, s, err);
    if (!rc)
      rc = mvm_pol_boot_destinations(ctx, err);
    if (rc)
      return rc;
  }
  /* the next group once every member of the current one has moved */
  for (;;) {
    int left = 0;
    for (size_t v = 0; v < sc->nvms && !left; v++)
      left = s->group[v] == s->current && (mvm_pol_vm(ctx, (int)v) == MVM_VM_WAITING ||
                                           mvm_pol_vm(ctx, (int)v) == MVM_VM_MIGRATING);
    if (left || s->current + 1 >= s->ngroups)
      break;
    s->current++;
  }
  int rc = dispatch(ctx, &(limits){0, 0, 1}, s->group, s->current, err);
  /* a group whose members wait for migrations of later groups (precedences): let any go */
  if (!rc && !mvm__pol_pending(ctx) && mvm_pol_remaining(ctx) > 0)
    rc = dispatch(ctx, &(limits){0, 0, 1}, NULL, 0, err);
  return rc;
}

static void cqncr_cleanup(mvm_policy_ctx* ctx)
{
  cqncr_state* s = mvm_pol_state(ctx);
  free(s->group);
}

const mvm_policy mvm__policy_one_by_one = {MVM_POLICY_ABI, "one-by-one",
                                           "sequential migrations, the usual baseline (CloudSimMig's one-by-one)", 0,
                                           NULL, one_by_one, 0, NULL};
const mvm_policy mvm__policy_per_host = {
    MVM_POLICY_ABI, "per-host",
    "OpenStack Nova, max_concurrent_live_migrations: at most K outgoing migrations per host (default 1)", 1, NULL,
    per_host, 0, NULL};
const mvm_policy mvm__policy_kubevirt = {
    MVM_POLICY_ABI, "kubevirt",
    "KubeVirt migration defaults: 5 per cluster, 2 outbound per node (completionTimeoutPerGiB 800 s/GiB not enforced)",
    0, NULL, kubevirt, 0, NULL};
const mvm_policy mvm__policy_cqncr = {
    MVM_POLICY_ABI, "cqncr",
    "Bari et al., CQNCR (IFIP Networking 2014): groups of non-conflicting migrations, one group after the other", 0,
    NULL, cqncr, sizeof(cqncr_state), cqncr_cleanup};
