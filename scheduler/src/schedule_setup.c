/* The set-up of the schedule generation (mvm__gen_setup): resources, actions, sync
 * groups, precedences and the priority rule's priorities. The runs are in schedule.c;
 * the state is described in schedule_impl.h. */
#include "schedule_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL_MIN_FRACTION 0.25 /* lowest rate level, as a fraction of the bottleneck rate */
#define LEVEL_MIN_MARGIN 1.25   /* and at least this factor above the never-converges limit */
#define SPLIT_GAIN 0.98         /* variant split: the slower migration must last under 98 % of
                                   split times the full-rate one (unless variant even) */

/* Adds a resource of kind and capacity cap; returns its index (s->r has room). */
static int add_res(mvm__gen* s, int kind, int ref, double cap)
{
  mvm__res* r = &s->r[s->nr];
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->ref = ref;
  r->cap = cap;
  r->to = INFINITY;
  return s->nr++;
}

/* A key and an index, sorted by key then index (deterministic ties). */
typedef struct keyed {
  double k;
  size_t i;
} keyed;

/* qsort order of keyed: by k, then by i. */
static int cmp_keyed(const void* a, const void* b)
{
  const keyed* x = a;
  const keyed* y = b;
  if (x->k != y->k)
    return (x->k > y->k) - (x->k < y->k);
  return (x->i > y->i) - (x->i < y->i);
}

/* Sorts order (by key, then index) and gives each its position: rank[order[j].i] = j. */
static void rank_in_order(keyed* order, size_t n, double* rank)
{
  mvm_qsort(order, n, sizeof(keyed), cmp_keyed);
  for (size_t j = 0; j < n; j++)
    rank[order[j].i] = (double)j;
}

/* Each source's busiest shared element (key, node -> element, -1: none): the one of its
 * migrations' routes with the most transfer time per lane (capacity / full rate). -1 if
 * out of memory. */
static int busiest_elements(const mvm__gen* s, int* key)
{
  const mvm_scenario* sc = s->sc;
  double* work = calloc(s->nv->nelems + 1, sizeof(double));
  if (!work)
    return -1;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == MVM__A_MIG) {
      const mvm_route* rt = &s->nv->routes[s->a[i].ref];
      for (size_t k = 0; k < rt->count; k++) {
        size_t e = s->nv->route_elems[rt->first + k];
        if (s->elem_res[e] >= 0)
          work[e] += s->a[i].dur_full * s->a[i].rate_full / s->r[s->elem_res[e]].cap;
      }
    }
  for (size_t n = 0; n < sc->nnodes; n++)
    key[n] = -1;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == MVM__A_MIG) {
      int n = sc->vms[s->a[i].ref].from;
      const mvm_route* rt = &s->nv->routes[s->a[i].ref];
      for (size_t k = 0; k < rt->count; k++) {
        int e = (int)s->nv->route_elems[rt->first + k];
        if (s->elem_res[e] >= 0 && (key[n] < 0 || work[e] > work[key[n]] || (work[e] == work[key[n]] && e < key[n])))
          key[n] = e;
      }
    }
  free(work);
  return 0;
}

/* Rule 4: rule 1's source order (lightest first), interleaved over the sources' busiest
 * shared elements, so the drain keeps every bottleneck busy instead of emptying the
 * sources behind one element first (e.g. alternate racks when each rack's uplink limits
 * how many migrations leave it at once). Rewrites rank (node -> rank); -1 if out of memory. */
static int interleave_sources(mvm__gen* s, double* rank)
{
  size_t ne = s->nv->nelems, nn = s->sc->nnodes;
  int* key = malloc((nn + 1) * sizeof(int));
  int* count = calloc(ne + 2, sizeof(int));
  int* seen = calloc(ne + 2, sizeof(int));
  keyed* order = calloc(nn + 1, sizeof(keyed));
  int rc = -1;
  if (!key || !count || !seen || !order || busiest_elements(s, key))
    goto out;
  for (size_t n = 0; n < nn; n++)
    count[key[n] + 1]++;
  /* position of each source within its group, in rank order, as a fraction of the group */
  for (size_t n = 0; n < nn; n++)
    order[n] = (keyed){rank[n], n};
  mvm_qsort(order, nn, sizeof(keyed), cmp_keyed);
  for (size_t j = 0; j < nn; j++) {
    size_t n = order[j].i;
    int g = key[n] + 1;
    order[j].k = (seen[g]++ + 0.5) / count[g];
  }
  rank_in_order(order, nn, rank);
  rc = 0;
out:
  free(key);
  free(count);
  free(seen);
  free(order);
  return rc;
}

/* Rule 3's weights: 1 + the weights of the migrations that must wait for this one
 * (precedence successors and their sync mates, transitively; shared descendants count
 * once per path, which only sharpens the priority of actions that gate many). Iterative
 * depth-first post-order over the precedence DAG. NULL if out of memory. */
static double* successor_weights(mvm__gen* s, mvm_error* err)
{
  int n = s->na;
  double* w = mvm_xcalloc((size_t)n + 1, sizeof(double), err);
  int* stack = mvm_xcalloc((size_t)n + 1, sizeof(int), err);
  int* pos = mvm_xcalloc((size_t)n + 1, sizeof(int), err);
  unsigned char* state = mvm_xcalloc((size_t)n + 1, 1, err);
  if (!w || !stack || !pos || !state) {
    free(w);
    w = NULL;
    goto out;
  }
  for (int r = 0; r < n; r++) {
    if (state[r])
      continue;
    int top = 0;
    stack[top++] = r;
    state[r] = 1;
    while (top) {
      int x = stack[top - 1];
      const mvm__act* a = &s->a[x];
      if (pos[x] < a->nsucc) {
        int y = s->succ[a->succ_first + pos[x]++];
        if (!state[y]) {
          state[y] = 1;
          stack[top++] = y;
        }
        continue;
      }
      double sum = a->kind == MVM__A_MIG ? 1 : 0;
      for (int k = 0; k < a->nsucc; k++) {
        int y = s->succ[a->succ_first + k];
        sum += w[y];
        if (s->a[y].kind == MVM__A_MIG && s->a[y].sync >= 0)
          sum += s->group_size[s->a[y].sync] - 1;
      }
      w[x] = sum > 0 ? sum : 1;
      state[x] = 2;
      top--;
    }
  }
out:
  free(stack);
  free(pos);
  free(state);
  return w;
}

/* ---------- the set-up, step by step ---------- */

/* Counts the actions and constraints and allocates the arrays. Returns 0 and *nboot (the
 * boots), or MVM_ENOMEM. */
static int alloc_state(mvm__gen* s, int* nboot, int* nser)
{
  const mvm_scenario* sc = s->sc;
  mvm_error* err = s->err;
  int nmig = 0, nshut = 0;
  *nboot = 0;
  for (size_t v = 0; v < sc->nvms; v++)
    nmig += mvm_vm_moves(&sc->vms[v]);
  for (size_t n = 0; n < sc->nnodes; n++) {
    *nboot += !sc->nodes[n].initially_on && sc->nodes[n].finally_on;
    nshut += sc->nodes[n].initially_on && !sc->nodes[n].finally_on;
  }
  s->na = nmig + *nboot + nshut;
  *nser = 0;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    s->npower += k->kind == MVM_C_POWER;
    s->ngroups += k->kind == MVM_C_SYNC;
    *nser += k->kind == MVM_C_SERIALIZE;
  }
  size_t maxres = s->nv->nelems + 2 * sc->nnodes + (size_t)s->npower + (size_t)*nser + 2;
  s->a = mvm_xcalloc((size_t)s->na, sizeof(mvm__act), err);
  s->prio = mvm_xcalloc((size_t)s->na, sizeof(double), err);
  s->endkey = mvm_xcalloc((size_t)s->na, sizeof(double), err);
  s->r = mvm_xcalloc(maxres, sizeof(mvm__res), err);
  s->elem_res = mvm_xcalloc(s->nv->nelems, sizeof(int), err);
  s->node_mem = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->node_cores = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->boot_of = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->ser_first = mvm_xcalloc(sc->nvms + 1, sizeof(int), err);
  s->power_res = mvm_xcalloc((size_t)s->npower, sizeof(int), err);
  s->groups = mvm_xcalloc((size_t)s->ngroups, sizeof(int*), err);
  s->group_size = mvm_xcalloc((size_t)s->ngroups, sizeof(int), err);
  s->group_ready = mvm_xcalloc((size_t)s->ngroups, sizeof(int), err);
  s->mig_of_vm = mvm_xcalloc(sc->nvms, sizeof(int), err);
  s->pending_in = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->receiving = mvm_xcalloc(sc->nnodes, sizeof(int), err);
  s->open_counted = mvm_xcalloc(sc->nnodes, 1, err);
  if (!s->pending_in || !s->receiving || !s->open_counted || !s->a || !s->prio || !s->endkey || !s->r ||
      !s->elem_res || !s->node_mem || !s->node_cores || !s->boot_of || !s->ser_first || !s->power_res ||
      !s->groups || !s->group_size || !s->group_ready || !s->mig_of_vm)
    return MVM_ENOMEM;
  return 0;
}

/* The resources: shared elements, node memory and cores (holding the VMs they start
 * with), power budgets, serialize groups (ser_res_of: constraint -> resource), the cap-K
 * slots, the open set. Sets the initial draw. Returns 0, or MVM_EINFEASIBLE for a budget
 * below the initial draw. */
static int add_resources(mvm__gen* s, int nboot, int* ser_res_of)
{
  const mvm_scenario* sc = s->sc;
  const mvm_defaults* d = &sc->defaults;
  for (size_t e = 0; e < s->nv->nelems; e++)
    s->elem_res[e] = (s->use_network && s->nv->elems[e].shared) ? add_res(s, MVM__R_ELEM, (int)e, mvm_element_capacity(s->nv, e)) : -1;
  for (size_t n = 0; n < sc->nnodes; n++) {
    s->node_mem[n] = sc->nodes[n].memory >= 0 ? add_res(s, MVM__R_MEM, (int)n, sc->nodes[n].memory) : -1;
    s->node_cores[n] = sc->nodes[n].cores >= 0 ? add_res(s, MVM__R_CORES, (int)n, sc->nodes[n].cores) : -1;
    s->boot_of[n] = -1;
  }
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    int m = s->node_mem[vm->from], c = s->node_cores[vm->from];
    if (m >= 0)
      s->r[m].used += vm->memory;
    if (c >= 0)
      s->r[c].used += vm->cores;
  }
  s->power = 0;
  for (size_t n = 0; n < sc->nnodes; n++)
    s->power += sc->nodes[n].initially_on ? d->node_idle : 0;
  s->power += (double)sc->nvms * d->vm_power;
  int kp = 0;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind == MVM_C_POWER) {
      int ri = add_res(s, MVM__R_POWER, (int)c, k->max);
      s->r[ri].from = k->from;
      s->r[ri].to = k->to;
      s->power_res[kp++] = ri;
      if (k->from <= 0 && s->power > k->max * (1 + MVM__EPS_REL))
        return mvm_err_set(s->err, MVM_EINFEASIBLE,
                           "%s:%d: power-budget: %.1f W is below the initial draw of %.1f W (nodes on at "
                           "%.0f W idle, %zu VMs at %.0f W)",
                           sc->path, k->line, k->max, s->power, d->node_idle, sc->nvms, d->vm_power);
    } else if (k->kind == MVM_C_SERIALIZE)
      ser_res_of[c] = add_res(s, MVM__R_SERIAL, (int)c, 1);
  }
  s->cap_res = s->o.kind == MVM_SCHED_CAP ? add_res(s, MVM__R_CAP, -1, s->o.cap_k) : -1;
  s->open_res = s->max_open > 0 && nboot > 0 ? add_res(s, MVM__R_OPEN, -1, s->max_open) : -1;
  return 0;
}

/* Each VM's serialize resources (CSR ser_first / ser). Returns 0 or MVM_ENOMEM. */
static int serialize_lists(mvm__gen* s, const int* ser_res_of)
{
  const mvm_scenario* sc = s->sc;
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_SERIALIZE)
      for (size_t k = 0; k < sc->constraints[c].nvms; k++)
        s->ser_first[sc->constraints[c].vms[k] + 1]++;
  for (size_t v = 0; v < sc->nvms; v++)
    s->ser_first[v + 1] += s->ser_first[v];
  s->ser = mvm_xcalloc((size_t)s->ser_first[sc->nvms] + 1, sizeof(int), s->err);
  int* fill = mvm_xcalloc(sc->nvms, sizeof(int), s->err);
  if (!s->ser || !fill) {
    free(fill);
    return MVM_ENOMEM;
  }
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_SERIALIZE)
      for (size_t k = 0; k < sc->constraints[c].nvms; k++) {
        int v = sc->constraints[c].vms[k];
        s->ser[s->ser_first[v] + fill[v]++] = ser_res_of[c];
      }
  free(fill);
  return 0;
}

/* Each migration's load per unit of rate on every element it loads (an element on both
 * its route and its route back carries both). Returns 0 or MVM_ENOMEM. */
static int route_loads(mvm__gen* s)
{
  const mvm_scenario* sc = s->sc;
  size_t nw = 0;
  s->wfirst = mvm_xcalloc(sc->nvms + 1, sizeof(size_t), s->err);
  for (size_t v = 0; s->wfirst && v < sc->nvms; v++) {
    s->wfirst[v] = nw;
    if (mvm_vm_moves(&sc->vms[v]))
      nw += s->nv->routes[v].count + s->nv->routes[v].ack_count;
  }
  s->wts = s->wfirst ? mvm_xcalloc(nw + 1, sizeof(double), s->err) : NULL;
  if (!s->wts)
    return MVM_ENOMEM;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_route* rt = &s->nv->routes[v];
    for (size_t k = 0; mvm_vm_moves(&sc->vms[v]) && k < rt->count + rt->ack_count; k++)
      s->wts[s->wfirst[v] + k] = rt->ack_count ? mvm_route_load(s->nv, v, mvm__loaded_elem(s->nv, rt, k)) : 1;
  }
  return 0;
}

/* The migration actions, in VM order: full rate (variant ack_reserve: leaving room for
 * acknowledgements, acked = mvm_ack_users or NULL), duration, lowest rate level. Returns 0,
 * and *nmig (their number), or MVM_EINFEASIBLE naming (up to five of) the migrations that
 * never converge. */
static int add_migrations(mvm__gen* s, const int* acked, int* nmig)
{
  const mvm_scenario* sc = s->sc;
  int ai = 0;
  char bad[MVM_ERROR_MSG_MAX] = "";
  int nbad = 0;
  for (size_t v = 0; v < sc->nvms; v++) {
    s->mig_of_vm[v] = -1;
    if (!mvm_vm_moves(&sc->vms[v]))
      continue;
    mvm__act* a = &s->a[ai];
    a->kind = MVM__A_MIG;
    a->ref = (int)v;
    a->sync = -1;
    a->rate_full = acked ? mvm_route_rate_reserving(s->nv, v, acked) : mvm_route_rate(s->nv, v);
    a->dur_full = mvm__mig_duration(s, (int)v, a->rate_full);
    mvm_precopy_params p;
    mvm_vm_precopy(sc, s->nv, v, &p);
    double lim = mvm_precopy_limit(&p);
    double bottleneck = a->rate_full;
    if (s->split > 1 && isfinite(a->dur_full)) { /* variant split */
      double r = a->rate_full / s->split, d = mvm__mig_duration(s, (int)v, r);
      double gain = s->even || s->rule == MVM__RULE_FILL || s->rule == MVM__RULE_ROUNDS ? 1 : SPLIT_GAIN;
      if (r >= LEVEL_MIN_MARGIN * lim && d < s->split * a->dur_full * gain) {
        a->rate_full = r;
        a->dur_full = d;
      }
    }
    a->rate_min = a->rate_full;
    if (s->o.levels) {
      double lo = fmax(LEVEL_MIN_FRACTION * bottleneck, LEVEL_MIN_MARGIN * lim);
      if (lo < a->rate_full)
        a->rate_min = lo;
    }
    if (!isfinite(a->dur_full)) {
      if (nbad++ < 5) {
        char one[300];
        snprintf(one, sizeof one, "%s%s:%d: vm '%s' never converges: it dirties %.1f Mb/s, its route gives %.1f Mb/s",
                 nbad > 1 ? "\n" : "", sc->path, sc->vms[v].line, sc->vms[v].id, lim * 8 / 1e6,
                 a->rate_full * 8 / 1e6);
        strncat(bad, one, sizeof bad - strlen(bad) - 1);
      }
    }
    s->mig_of_vm[v] = ai++;
    s->pending_in[sc->vms[v].to]++;
  }
  *nmig = ai;
  if (nbad) {
    mvm_err_set(s->err, MVM_EINFEASIBLE, "%s", bad);
    if (nbad > 5)
      mvm_err_append(s->err, "\n(and %d more migrations that never converge)", nbad - 5);
    return MVM_EINFEASIBLE;
  }
  return 0;
}

static int cmp_dbl(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

void mvm__gen_halve(mvm__gen* s, const unsigned char* halve)
{
  if ((!halve && !s->halve_short) || !s->use_network)
    return;
  double median = INFINITY;
  if (!halve) { /* the variant's: those at most as long as the median */
    double* d = malloc((size_t)s->na * sizeof(double));
    size_t n = 0;
    for (int i = 0; d && i < s->na; i++)
      if (s->a[i].kind == MVM__A_MIG && s->a[i].sync < 0 && isfinite(s->a[i].dur_full))
        d[n++] = s->a[i].dur_full;
    if (!d || n == 0) { /* out of memory: the variant runs unhalved */
      free(d);
      return;
    }
    mvm_qsort(d, n, sizeof(double), cmp_dbl);
    median = d[(n - 1) / 2];
    free(d);
  }
  for (int i = 0; i < s->na; i++) {
    mvm__act* a = &s->a[i];
    if (a->kind != MVM__A_MIG || a->sync >= 0 || !isfinite(a->dur_full) ||
        (halve ? !halve[i] : !(a->dur_full <= median)))
      continue;
    mvm_precopy_params p;
    mvm_vm_precopy(s->sc, s->nv, (size_t)a->ref, &p);
    double r = a->rate_full / 2, d = mvm__mig_duration(s, a->ref, r);
    if (r >= LEVEL_MIN_MARGIN * mvm_precopy_limit(&p) && isfinite(d)) {
      a->rate_full = r;
      a->dur_full = d;
      a->rate_min = fmin(a->rate_min, r);
      a->halved = 1;
    }
  }
}

/* The boot actions then the shutdown actions, in node order, after the nmig migrations. */
static void add_power_actions(mvm__gen* s, int nmig)
{
  const mvm_scenario* sc = s->sc;
  int ai = nmig;
  for (int pass = 0; pass < 2; pass++)
    for (size_t n = 0; n < sc->nnodes; n++) {
      const mvm_node* nd = &sc->nodes[n];
      if (pass == 0 ? (nd->initially_on || !nd->finally_on) : (!nd->initially_on || nd->finally_on))
        continue;
      s->a[ai].kind = pass == 0 ? MVM__A_BOOT : MVM__A_SHUT;
      s->a[ai].ref = (int)n;
      s->a[ai].sync = -1;
      s->a[ai].dur_full = pass == 0 ? sc->defaults.boot : sc->defaults.shutdown;
      if (pass == 0)
        s->boot_of[n] = ai;
      ai++;
    }
}

/* The sync groups: their member actions. Returns 0, MVM_ENOMEM, or MVM_EINFEASIBLE for a
 * VM in two groups. */
static int add_sync_groups(mvm__gen* s)
{
  const mvm_scenario* sc = s->sc;
  int g = 0;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SYNC)
      continue;
    s->groups[g] = mvm_xcalloc(k->nvms, sizeof(int), s->err);
    if (!s->groups[g])
      return MVM_ENOMEM;
    for (size_t i = 0; i < k->nvms; i++) {
      int m = s->mig_of_vm[k->vms[i]];
      if (s->a[m].sync >= 0)
        return mvm_err_set(s->err, MVM_EINFEASIBLE, "%s:%d: sync: vm '%s' is already in another sync group",
                           sc->path, k->line, sc->vms[k->vms[i]].id);
      s->a[m].sync = g;
      s->groups[g][s->group_size[g]++] = m;
    }
    g++;
  }
  return 0;
}

/* The precedences (CSR of successors, succ_first / nsucc / succ, and npred): a boot before
 * the migrations into its node, a shutdown after the migrations out of it, and the
 * scenario's precedences. Two passes: count, then fill. Returns 0 or MVM_ENOMEM. */
static int add_precedences(mvm__gen* s)
{
  const mvm_scenario* sc = s->sc;
  int* cnt = mvm_xcalloc((size_t)s->na + 1, sizeof(int), s->err);
  /* the shutdown action of each node, if any (one scan, not one per shutdown) */
  int* shut_of = mvm_xcalloc(sc->nnodes + 1, sizeof(int), s->err);
  if (!cnt || !shut_of) {
    free(cnt);
    free(shut_of);
    return MVM_ENOMEM;
  }
#define EDGE(x, y, pass)                                                                         \
  do {                                                                                           \
    if (pass == 0)                                                                               \
      cnt[(x) + 1]++;                                                                            \
    else {                                                                                       \
      s->succ[s->a[x].succ_first + s->a[x].nsucc++] = (y);                                       \
      s->a[y].npred++;                                                                           \
    }                                                                                            \
  } while (0)
  for (size_t n = 0; n < sc->nnodes; n++)
    shut_of[n] = -1;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == MVM__A_SHUT)
      shut_of[s->a[i].ref] = i;
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < s->na; i++) {
      mvm__act* a = &s->a[i];
      if (a->kind == MVM__A_MIG) {
        const mvm_vm* vm = &sc->vms[a->ref];
        if (s->boot_of[vm->to] >= 0)
          EDGE(s->boot_of[vm->to], i, pass);
        if (shut_of[vm->from] >= 0) /* a source shuts down after its last departure */
          EDGE(i, shut_of[vm->from], pass);
      }
    }
    for (size_t c = 0; c < sc->nconstraints; c++)
      if (sc->constraints[c].kind == MVM_C_PRECEDENCE)
        EDGE(s->mig_of_vm[sc->constraints[c].vms[0]], s->mig_of_vm[sc->constraints[c].vms[1]], pass);
    if (pass == 0) {
      for (int i = 0; i < s->na; i++)
        cnt[i + 1] += cnt[i];
      s->succ = mvm_xcalloc((size_t)cnt[s->na] + 1, sizeof(int), s->err);
      if (!s->succ) {
        free(cnt);
        free(shut_of);
        return MVM_ENOMEM;
      }
      for (int i = 0; i < s->na; i++)
        s->a[i].succ_first = cnt[i];
    }
  }
#undef EDGE
  free(cnt);
  free(shut_of);
  return 0;
}

/* Rule 6: rank holds rule 2's destination ranks; rewrites it to the sources' ranks, by
 * the rank of the first destination they send to, then by what they send (the lightest
 * first), so that each destination fills from one source after the other. Each
 * destination's first source is the one behind the busiest element (busiest_elements)
 * that fewest destinations before it started from, so that destinations filling at once
 * draw on different bottlenecks (e.g. one from each rack when each rack has its uplink).
 * Nodes that send nothing (the boots) come after, in rule 2's order. -1 if out of memory. */
static int fill_sources(mvm__gen* s, double* rank)
{
  const mvm_scenario* sc = s->sc;
  size_t nn = sc->nnodes;
  double* first = mvm_xcalloc(nn + 1, sizeof(double), s->err);
  double* sent = mvm_xcalloc(nn + 1, sizeof(double), s->err);
  keyed* order = mvm_xcalloc(nn + 1, sizeof(keyed), s->err);
  int* key = mvm_xcalloc(nn + 1, sizeof(int), s->err);
  int* use = mvm_xcalloc(s->nv->nelems + 2, sizeof(int), s->err);
  int rc = -1;
  if (!first || !sent || !order || !key || !use || busiest_elements(s, key))
    goto out;
  for (size_t n = 0; n < nn; n++)
    first[n] = INFINITY;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == MVM__A_MIG) {
      const mvm_vm* vm = &sc->vms[s->a[i].ref];
      first[vm->from] = fmin(first[vm->from], rank[vm->to]);
      sent[vm->from] += s->a[i].dur_full;
    }
  double total = 1;
  for (size_t n = 0; n < nn; n++)
    total += sent[n];
  for (size_t n = 0; n < nn; n++)
    order[n] = (keyed){(isfinite(first[n]) ? first[n] : (double)nn + rank[n]) * total + sent[n], n};
  mvm_qsort(order, nn, sizeof(keyed), cmp_keyed);
  for (size_t a = 0, b; a < nn && isfinite(first[order[a].i]); a = b) {
    size_t lead = a;
    for (b = a; b < nn && first[order[b].i] == first[order[a].i]; b++)
      if (use[key[order[b].i] + 1] < use[key[order[lead].i] + 1])
        lead = b;
    keyed x = order[lead];
    memmove(order + a + 1, order + a, (lead - a) * sizeof(keyed));
    order[a] = x;
    use[key[x.i] + 1]++;
  }
  if (s->rule == MVM__RULE_ROUNDS) /* every destination's first source, then every second... */
    for (size_t a = 0, b; a < nn && isfinite(first[order[a].i]); a = b) {
      for (b = a; b < nn && first[order[b].i] == first[order[a].i]; b++)
        order[b].k = (double)(b - a) * (double)(nn + 1) + first[order[b].i];
    }
  for (size_t j = 0; j < nn; j++)
    if (!isfinite(first[order[j].i]))
      order[j].k = (double)(nn + 1) * (double)(nn + 1) + (double)j;
  if (s->rule == MVM__RULE_ROUNDS)
    mvm_qsort(order, nn, sizeof(keyed), cmp_keyed);
  for (size_t j = 0; j < nn; j++)
    rank[order[j].i] = (double)j;
  rc = 0;
out:
  free(first);
  free(sent);
  free(order);
  free(key);
  free(use);
  return rc;
}

/* Rules 1, 2, 4, 6 and 7: each node's rank (node -> rank, a new array in *rank) and *span, the
 * spacing of the ranks' priority bands (twice the longest migration, at least 1). Rule 1
 * ranks the sources by what they have to send (then by name), so they empty one after the
 * other and shut down, freeing power; rule 2 ranks the destinations the same way, so they
 * fill (and boot) one after the other; rules 6-7 rank the destinations so, then the sources
 * (fill_sources). Returns 0 or MVM_ENOMEM (*rank NULL). */
static int node_ranks(mvm__gen* s, double** rank, double* span)
{
  const mvm_scenario* sc = s->sc;
  keyed* load = mvm_xcalloc(sc->nnodes, sizeof(keyed), s->err);
  *rank = mvm_xcalloc(sc->nnodes, sizeof(double), s->err);
  if (!load || !*rank) {
    free(load);
    free(*rank);
    *rank = NULL;
    return MVM_ENOMEM;
  }
  for (size_t n = 0; n < sc->nnodes; n++)
    load[n].i = n;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == MVM__A_MIG) {
      const mvm_vm* vm = &sc->vms[s->a[i].ref];
      load[s->rule == MVM__RULE_DESTINATIONS || s->rule == MVM__RULE_FILL || s->rule == MVM__RULE_ROUNDS ? vm->to : vm->from]
          .k += s->a[i].dur_full;
      *span = fmax(*span, 2 * s->a[i].dur_full);
    }
  mvm_qsort(load, sc->nnodes, sizeof(keyed), cmp_keyed); /* ties by index: nodes are sorted by name */
  for (size_t n = 0; n < sc->nnodes; n++)
    (*rank)[load[n].i] = (double)n;
  free(load);
  if ((s->rule == MVM__RULE_FILL || s->rule == MVM__RULE_ROUNDS) && fill_sources(s, *rank)) {
    free(*rank);
    *rank = NULL;
    return mvm_err_set(s->err, MVM_ENOMEM, "out of memory");
  }
  if (s->rule == MVM__RULE_INTERLEAVED && interleave_sources(s, *rank)) {
    free(*rank);
    *rank = NULL;
    return mvm_err_set(s->err, MVM_ENOMEM, "out of memory");
  }
  return 0;
}

/* Whether node n shuts down (it frees its idle power once empty). */
static int frees(const mvm_scenario* sc, size_t n) { return sc->nodes[n].initially_on && !sc->nodes[n].finally_on; }

/* cover_ranks' candidates: a binary heap of (gain, node), the largest gain first, then the
 * lowest index; gains only grow, so stale entries are skipped when they come out. */
typedef struct gpick {
  size_t gain, d;
} gpick;

static int gp_before(gpick a, gpick b) { return a.gain > b.gain || (a.gain == b.gain && a.d < b.d); }

static void gp_push(gpick* h, size_t* n, gpick x)
{
  size_t i = (*n)++;
  while (i > 0 && gp_before(x, h[(i - 1) / 2])) {
    h[i] = h[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h[i] = x;
}

static gpick gp_pop(gpick* h, size_t* n)
{
  gpick top = h[0], x = h[--*n];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    gpick b = x;
    if (l < *n && gp_before(h[l], b)) {
      m = l;
      b = h[l];
    }
    if (r < *n && gp_before(h[r], b))
      m = r;
    if (m == i)
      break;
    h[i] = h[m];
    i = m;
  }
  if (*n)
    h[i] = x;
  return top;
}

/* Rule 5 (power budgets with boots): the nodes that boot ranked in the order a greedy
 * picks them, each time the one that lets the most sources that shut down empty (every
 * destination of their migrations on at first or picked; ties: by name), and the sources
 * ranked by the step at which they can empty (then by what they send, then by name): the
 * boots come in the order that frees power soonest and the migrations follow them. Fills
 * rank (node -> rank, zeroed by the caller) and *span. Returns 0 or MVM_ENOMEM. */
static int cover_ranks(mvm__gen* s, double* rank, double* span)
{
  const mvm_scenario* sc = s->sc;
  size_t nn = sc->nnodes, np = 0;
  keyed* pair = calloc(sc->nvms + 1, sizeof(keyed));  /* (source, destination off) */
  size_t* first = calloc(nn + 1, sizeof(size_t));     /* a destination's sources */
  size_t* who = calloc(sc->nvms + 1, sizeof(size_t));
  size_t* missing = calloc(nn + 1, sizeof(size_t));   /* per source: destinations not picked */
  size_t* gain = calloc(nn + 1, sizeof(size_t));      /* per destination: sources it empties */
  size_t* waiting = calloc(nn + 1, sizeof(size_t));   /* per destination: sources needing it */
  double* step = calloc(nn + 1, sizeof(double));      /* per source: when it can empty */
  double* sent = calloc(nn + 1, sizeof(double));
  int* picked = calloc(nn + 1, sizeof(int));
  keyed* order = calloc(nn + 1, sizeof(keyed));
  size_t* sfirst = calloc(nn + 2, sizeof(size_t)); /* a source's destinations */
  size_t* fill = calloc(nn + 1, sizeof(size_t));
  size_t* dst = calloc(sc->nvms + 1, sizeof(size_t));
  gpick* heap = calloc(nn + 2 * sc->nvms + 1, sizeof(gpick)); /* each node, then a push per gain */
  int rc = MVM_ENOMEM;
  if (!pair || !first || !who || !missing || !gain || !waiting || !step || !sent || !picked || !order || !sfirst ||
      !fill || !dst || !heap)
    goto out;
  for (int i = 0; i < s->na; i++)
    if (s->a[i].kind == MVM__A_MIG) {
      const mvm_vm* vm = &sc->vms[s->a[i].ref];
      sent[vm->from] += s->a[i].dur_full;
      *span = fmax(*span, 2 * s->a[i].dur_full);
      if (!sc->nodes[vm->to].initially_on)
        pair[np++] = (keyed){(double)vm->to * (double)(nn + 1) + (double)vm->from, 0};
    }
  mvm_qsort(pair, np, sizeof(keyed), cmp_keyed); /* by destination, then source */
  size_t nu = 0; /* distinct pairs, grouped by destination */
  for (size_t k = 0; k < np; k++)
    if (nu == 0 || pair[k].k != pair[nu - 1].k)
      pair[nu++] = pair[k];
  for (size_t k = 0; k < nu; k++) {
    size_t to = (size_t)(pair[k].k / (double)(nn + 1)), from = (size_t)pair[k].k - to * (nn + 1);
    first[to + 1]++;
    missing[from]++;
    waiting[to]++;
    who[k] = from;
  }
  for (size_t n = 0; n < nn; n++) {
    first[n + 1] += first[n];
    sfirst[n + 1] = sfirst[n] + missing[n];
  }
  for (size_t k = 0; k < nu; k++) { /* each source's destinations */
    size_t to = (size_t)(pair[k].k / (double)(nn + 1));
    dst[sfirst[who[k]] + fill[who[k]]++] = to;
  }
  for (size_t n = 0; n < nn; n++)
    if (missing[n] == 1 && frees(sc, n)) /* its one destination empties it, it shuts down */
      gain[dst[sfirst[n]]]++;
  size_t ndest = 0, nh = 0;
  for (size_t n = 0; n < nn; n++)
    if (waiting[n] > 0) {
      ndest++;
      gp_push(heap, &nh, (gpick){gain[n], n});
    }
  for (size_t t = 0; t < ndest; t++) {
    gpick g = gp_pop(heap, &nh);
    while (picked[g.d] || g.gain != gain[g.d]) /* stale */
      g = gp_pop(heap, &nh);
    size_t best = g.d;
    picked[best] = 1;
    rank[best] = (double)t;
    for (size_t k = first[best]; k < first[best + 1]; k++) {
      size_t src = who[k];
      if (--missing[src] == 0)
        step[src] = (double)(t + 1);
      else if (missing[src] == 1 && frees(sc, src)) /* the destination it still needs now empties it */
        for (size_t j = sfirst[src]; j < sfirst[src + 1]; j++)
          if (!picked[dst[j]])
            gp_push(heap, &nh, (gpick){++gain[dst[j]], dst[j]});
    }
  }
  for (size_t n = 0; n < nn; n++) /* nodes that boot for no VM: after the others */
    if (!sc->nodes[n].initially_on && !picked[n])
      rank[n] = (double)ndest;
  size_t no = 0;
  for (size_t n = 0; n < nn; n++)
    if (sent[n] > 0)
      order[no++] = (keyed){step[n] * (*span) * (double)(sc->nvms + 1) + sent[n], n};
  rank_in_order(order, no, rank);
  rc = 0;
out:
  free(pair);
  free(first);
  free(who);
  free(missing);
  free(gain);
  free(waiting);
  free(step);
  free(sent);
  free(picked);
  free(order);
  free(sfirst);
  free(fill);
  free(dst);
  free(heap);
  return rc ? mvm_err_set(s->err, MVM_ENOMEM, "out of memory") : 0;
}

/* Each VM's earliest deadline (INFINITY: none), a new array; NULL if out of memory. */
static double* vm_deadlines(const mvm__gen* s)
{
  const mvm_scenario* sc = s->sc;
  double* deadline = mvm_xcalloc(sc->nvms + 1, sizeof(double), s->err);
  if (!deadline)
    return NULL;
  for (size_t v = 0; v < sc->nvms; v++)
    deadline[v] = INFINITY;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    for (size_t i = 0; k->kind == MVM_C_DEADLINE && i < k->nvms; i++)
      deadline[k->vms[i]] = fmin(deadline[k->vms[i]], k->at);
  }
  return deadline;
}

/* The rule's priority of every action (s->prio), in the bands of schedule.h: boots and
 * shutdowns first (or boots last), migrations with a deadline earliest first, then the
 * rule's order. Returns 0 or MVM_ENOMEM. */
static int set_priorities(mvm__gen* s)
{
  const mvm_scenario* sc = s->sc;
  double* rank = NULL;
  double* weight = NULL;
  double span = 1;
  if (s->rule == MVM__RULE_SUCCESSORS && (weight = successor_weights(s, s->err)) == NULL)
    return MVM_ENOMEM;
  if (s->rule == MVM__RULE_SOURCES || s->rule == MVM__RULE_DESTINATIONS || s->rule == MVM__RULE_INTERLEAVED ||
      s->rule == MVM__RULE_FILL || s->rule == MVM__RULE_ROUNDS) {
    int rc = node_ranks(s, &rank, &span);
    if (rc) {
      free(weight);
      return rc;
    }
  } else if (s->rule == MVM__RULE_COVER) {
    rank = mvm_xcalloc(sc->nnodes + 1, sizeof(double), s->err);
    if (!rank || cover_ranks(s, rank, &span)) { /* the error is set */
      free(rank);
      free(weight);
      return MVM_ENOMEM;
    }
  }
  double* deadline = vm_deadlines(s);
  if (!deadline) {
    free(rank);
    free(weight);
    return MVM_ENOMEM;
  }
  for (int i = 0; i < s->na; i++) {
    mvm__act* a = &s->a[i];
    double dur = a->dur_full;
    if (a->kind == MVM__A_MIG && a->sync >= 0)
      for (int k = 0; k < s->group_size[a->sync]; k++)
        dur = fmax(dur, s->a[s->groups[a->sync][k]].dur_full);
    double p;
    if (a->kind == MVM__A_BOOT && s->boots_last)
      p = MVM__PRIO_LAST; /* variant: boots take only the power the ready migrations leave */
    else if (a->kind != MVM__A_MIG)
      p = MVM__PRIO_FIRST; /* boots and shutdowns first: they gate migrations and free power */
    else if (s->o.kind != MVM_SCHED_MVM)
      p = i; /* first come, first served (VM id order) */
    else if (s->o.objective == MVM_OBJ_MAKESPAN || ((s->rule == MVM__RULE_FILL || s->rule == MVM__RULE_ROUNDS) && s->o.objective == MVM_OBJ_ENERGY))
      p = -dur; /* longest first: the lanes of a node end together (for the energy, a source
                   draws power until its last migration ends, whatever the order) */
    else
      p = weight ? dur / weight[i] : dur;
    if (rank && a->kind == MVM__A_MIG)
      p += span * rank[s->rule != MVM__RULE_DESTINATIONS ? sc->vms[a->ref].from : sc->vms[a->ref].to];
    else if (rank && a->kind == MVM__A_BOOT)
      p += rank[a->ref];
    if (a->kind == MVM__A_MIG && isfinite(deadline[a->ref])) /* earliest deadline first */
      p = fmin(p, MVM__PRIO_DEADLINE + deadline[a->ref]);
    s->prio[i] = p;
  }
  free(deadline);
  free(rank);
  free(weight);
  return 0;
}

int mvm__gen_setup(mvm__gen* s)
{
  int nboot, nser, nmig, rc;
  if ((rc = alloc_state(s, &nboot, &nser)))
    return rc;
  int* ser_res_of = mvm_xcalloc(s->sc->nconstraints, sizeof(int), s->err);
  if (!ser_res_of)
    return MVM_ENOMEM;
  rc = add_resources(s, nboot, ser_res_of);
  if (!rc)
    rc = serialize_lists(s, ser_res_of);
  free(ser_res_of);
  if (rc || (rc = route_loads(s)))
    return rc;
  /* variant ack_reserve: how many migrations send acknowledgements through each element */
  int* acked = NULL;
  if (s->ack_reserve && s->nv->ack_factor > 0 && !(acked = mvm_ack_users(s->nv, s->sc)))
    return mvm_err_set(s->err, MVM_ENOMEM, "out of memory");
  rc = add_migrations(s, acked, &nmig);
  free(acked);
  if (rc)
    return rc;
  add_power_actions(s, nmig);
  if ((rc = add_sync_groups(s)) || (rc = add_precedences(s)))
    return rc;
  return set_priorities(s);
}
