/* Local search over the list scheduler's decisions.
 *
 * The portfolio's best plan is the start. Each step changes one decision of the schedule
 * generation and runs it again: the priorities of two migrations (swap), a migration moved
 * just before another, the migrations of one source moved ahead (so it empties and shuts
 * down sooner), a boot's priority set among the migrations' (so it no longer takes every
 * watt freed first), or a boot's release time (just in time for its first arrival, or
 * later, or as soon as possible), or (when asked) a migration's rate halved or back to
 * full, half the time with a second migration of the same VM size and workload: two halves
 * share one lane, each one's set-up overlapping the other's transfer. A change is kept when
 * the plan is as good or better (sideways moves let the search cross plateaus); the best
 * plan seen is returned. Its own xorshift generator with a fixed seed: the same scenario
 * gives the same plan. It sees the schedule generation only through schedule.h (one
 * generator, run again at each step). */
#include "schedule.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The actions a move may change, by kind (indices into the generator's actions). */
typedef struct search_ctx {
  int nmig, nboot;
  int* mig;       /* migration k -> its action */
  int* mig_src;   /* migration k -> source node */
  int* mig_dst;   /* migration k -> destination node */
  int* boot;      /* boot k -> its action */
  int* boot_node; /* boot k -> node */
  int* mig_kind;  /* migration k -> the first migration of the same VM size and workload */
} search_ctx;

/* The next number of the xorshift generator *x. */
static uint64_t xs_next(uint64_t* x)
{
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

/* A uniform number in [0, 1) from *x. */
static double xs_unit(uint64_t* x) { return (double)(xs_next(x) >> 11) * (1.0 / 9007199254740992.0); }

/* Changes one decision at random in prio, rel and half (one entry per action), given the
 * starts of the current schedule. Does nothing when there is nothing to change. */
static void search_move(const search_ctx* c, const mvm_scenario* sc, uint64_t* rng, double* prio, double* rel,
                        unsigned char* half, const double* start)
{
  int nm = c->nmig, nb = c->nboot;
  const int* mig = c->mig;
  if (nm < 1)
    return; /* nothing to change */
  if (half && xs_next(rng) % 6u == 0) { /* a migration's rate halved or back to full, and another's of its kind */
    int i = (int)(xs_next(rng) % (uint64_t)nm);
    unsigned char to = !half[mig[i]];
    half[mig[i]] = to;
    if (xs_next(rng) % 2u) {
      int j = (int)(xs_next(rng) % (uint64_t)nm);
      for (int t = 0; t < nm && (c->mig_kind[j] != c->mig_kind[i] || j == i); t++)
        j = (j + 1) % nm;
      if (j != i && c->mig_kind[j] == c->mig_kind[i])
        half[mig[j]] = to;
    }
    return;
  }
  if (nm < 2 && nb < 1)
    return; /* nothing else to change */
  int kind = (int)(xs_next(rng) % (nb ? 5u : 3u));
  if (nm < 2 && kind < 3)
    kind = 3 + (int)(xs_next(rng) % 2u);
  double span = 0;
  for (int i = 0; i < nm; i++)
    span = fmax(span, fabs(prio[mig[i]]));
  switch (kind) {
  case 0: { /* swap two migrations */
    int i = (int)(xs_next(rng) % (uint64_t)nm), j = (int)(xs_next(rng) % (uint64_t)nm);
    double t = prio[mig[i]];
    prio[mig[i]] = prio[mig[j]];
    prio[mig[j]] = t;
    break;
  }
  case 1: { /* migration i just before migration j */
    int i = (int)(xs_next(rng) % (uint64_t)nm), j = (int)(xs_next(rng) % (uint64_t)nm);
    prio[mig[i]] = prio[mig[j]] - 1e-9 * (1 + fabs(prio[mig[j]]));
    break;
  }
  case 2: { /* the migrations of one source ahead by a random amount */
    int i = (int)(xs_next(rng) % (uint64_t)nm);
    double shift = xs_unit(rng) * (span + 1);
    for (int k = 0; k < nm; k++)
      if (c->mig_src[k] == c->mig_src[i])
        prio[mig[k]] -= shift;
    break;
  }
  case 3: { /* a boot's priority among the migrations', or first again */
    int b = c->boot[xs_next(rng) % (uint64_t)nb];
    prio[b] = xs_next(rng) % 4u == 0 ? MVM__PRIO_FIRST : prio[mig[xs_next(rng) % (uint64_t)nm]] - 1e-9;
    break;
  }
  default: { /* a boot's release time */
    int k = (int)(xs_next(rng) % (uint64_t)nb), b = c->boot[k];
    double first = INFINITY;
    for (int i = 0; i < nm; i++)
      if (c->mig_dst[i] == c->boot_node[k])
        first = fmin(first, start[mig[i]]);
    unsigned what = (unsigned)(xs_next(rng) % 3u);
    if (what == 0)
      rel[b] = 0;
    else if (what == 1 && isfinite(first))
      rel[b] = fmax(0, first - sc->defaults.boot);
    else
      rel[b] = start[b] + xs_unit(rng) * sc->defaults.boot;
    break;
  }
  }
}

/* A migration's kind: its VM's size and workload (migrations of one kind last as long on
 * the same route), and its index. */
typedef struct mkey {
  double used, hot, hot_dur, cold;
  int k;
} mkey;

static int cmp_mkey(const void* a, const void* b)
{
  const mkey *x = a, *y = b;
  if (x->used != y->used)
    return x->used < y->used ? -1 : 1;
  if (x->hot != y->hot)
    return x->hot < y->hot ? -1 : 1;
  if (x->hot_dur != y->hot_dur)
    return x->hot_dur < y->hot_dur ? -1 : 1;
  if (x->cold != y->cold)
    return x->cold < y->cold ? -1 : 1;
  return (x->k > y->k) - (x->k < y->k);
}

/* c->mig_kind from the migrations' kinds (key: c->nmig entries of scratch). */
static void search_kinds(search_ctx* c, const mvm__gen* g, const mvm_scenario* sc, mkey* key)
{
  for (int k = 0; k < c->nmig; k++) {
    const mvm_vm* vm = &sc->vms[mvm__gen_ref(g, c->mig[k])];
    key[k].used = vm->used;
    key[k].k = k;
    mvm_vm_workload(sc, vm, &key[k].hot, &key[k].hot_dur, &key[k].cold);
  }
  mvm_qsort(key, (size_t)c->nmig, sizeof *key, cmp_mkey);
  for (int k = 0, first = 0; k < c->nmig; k++) {
    const mkey *x = &key[k], *y = &key[k > 0 ? k - 1 : 0];
    if (k == 0 || x->used != y->used || x->hot != y->hot || x->hot_dur != y->hot_dur || x->cold != y->cold)
      first = x->k;
    c->mig_kind[x->k] = first;
  }
}

/* Fills c from g's actions (arrays of na entries, allocated by the caller). */
static void search_actions(search_ctx* c, const mvm__gen* g)
{
  c->nmig = c->nboot = 0;
  for (int i = 0; i < mvm__gen_size(g); i++) {
    mvm_action_kind kind;
    int from, to;
    mvm__gen_action(g, i, &kind, &from, &to);
    if (kind == MVM_ACT_MIGRATE) {
      c->mig[c->nmig] = i;
      c->mig_src[c->nmig] = from;
      c->mig_dst[c->nmig++] = to;
    } else if (kind == MVM_ACT_BOOT) {
      c->boot[c->nboot] = i;
      c->boot_node[c->nboot++] = to;
    }
  }
}

/* One step: runs g with prio, rel and half; on a plan, copies the starts into start, values the
 * plan in *val and hands it over in *p. Returns 0, or the run's error in err. */
static int search_step(mvm__gen* g, const mvm_scenario* sc, const mvm_solver_opts* o, const double* prio,
                       const double* rel, const unsigned char* half, double* start, mvm_plan** p, double* val,
                       mvm_error* err)
{
  int rc = mvm__gen_run(g, prio, rel, half, err);
  if (!rc)
    for (int i = 0; i < mvm__gen_size(g); i++)
      start[i] = mvm__gen_start(g, i);
  if (!rc && (rc = mvm__gen_plan(g, p, err)) == 0 && (rc = mvm__plan_value(sc, *p, o->objective, val, err))) {
    mvm_plan_free(*p);
    *p = NULL;
  }
  return rc;
}

/* Swaps two arrays. */
static void swap_arrays(double** x, double** y)
{
  double* t = *x;
  *x = *y;
  *y = t;
}

static void swap_bytes(unsigned char** x, unsigned char** y)
{
  unsigned char* t = *x;
  *x = *y;
  *y = t;
}

int mvm__local_search(const mvm_scenario* sc, const mvm_netview* nv, const mvm_solver_opts* o,
                      const mvm__variant* v0, double v0_value, long budget, int halves, mvm_plan** best,
                      double* best_v, mvm_error* err)
{
  mvm__gen* g;
  int rc = mvm__gen_new(sc, nv, o, v0, &g, err);
  if (rc)
    return rc;
  size_t na = (size_t)mvm__gen_size(g) + 1;
  search_ctx c = {0};
  double* cur_prio = mvm_xcalloc(na, sizeof(double), err);
  double* cur_rel = mvm_xcalloc(na, sizeof(double), err);
  double* cur_start = mvm_xcalloc(na, sizeof(double), err);
  double* prio = mvm_xcalloc(na, sizeof(double), err);
  double* rel = mvm_xcalloc(na, sizeof(double), err);
  double* start = mvm_xcalloc(na, sizeof(double), err);
  c.mig = mvm_xcalloc(na, sizeof(int), err);
  c.mig_src = mvm_xcalloc(na, sizeof(int), err);
  c.mig_dst = mvm_xcalloc(na, sizeof(int), err);
  c.boot = mvm_xcalloc(na, sizeof(int), err);
  c.boot_node = mvm_xcalloc(na, sizeof(int), err);
  c.mig_kind = mvm_xcalloc(na, sizeof(int), err);
  unsigned char* cur_half = mvm_xcalloc(na, 1, err);
  unsigned char* half = mvm_xcalloc(na, 1, err);
  mkey* keys = mvm_xcalloc(na, sizeof(mkey), err);
  if (!cur_prio || !cur_rel || !cur_start || !prio || !rel || !start || !c.mig || !c.mig_src || !c.mig_dst ||
      !c.boot || !c.boot_node || !c.mig_kind || !cur_half || !half || !keys) {
    rc = MVM_ENOMEM;
    goto out;
  }
  search_actions(&c, g);
  search_kinds(&c, g, sc, keys);
  /* the start: v0's own schedule, its priorities and starts */
  if ((rc = mvm__gen_run(g, NULL, NULL, NULL, err)))
    goto out;
  memcpy(cur_prio, mvm__gen_priorities(g), (na - 1) * sizeof(double));
  for (size_t i = 0; i + 1 < na; i++)
    cur_half[i] = (unsigned char)mvm__gen_halved(g, (int)i);
  for (size_t i = 0; i + 1 < na; i++)
    cur_start[i] = mvm__gen_start(g, (int)i);
  double cur_v = v0_value;
  uint64_t rng = 0x9E3779B97F4A7C15ULL;
  mvm_error scratch;
  for (long it = 0; it < budget; it++) {
    memcpy(prio, cur_prio, na * sizeof(double));
    memcpy(rel, cur_rel, na * sizeof(double));
    memcpy(half, cur_half, na);
    search_move(&c, sc, &rng, prio, rel, halves ? half : NULL, cur_start);
    mvm_plan* p = NULL;
    double val;
    int r = search_step(g, sc, o, prio, rel, half, start, &p, &val, &scratch);
    if (r == MVM_ENOMEM) {
      rc = r;
      *err = scratch;
      goto out;
    }
    if (r)
      continue;
    if (val <= cur_v * (1 + 1e-12)) {
      cur_v = val;
      swap_arrays(&cur_prio, &prio);
      swap_arrays(&cur_rel, &rel);
      swap_arrays(&cur_start, &start);
      swap_bytes(&cur_half, &half);
    }
    if (val < *best_v * (1 - 1e-9)) {
      mvm_plan_free(*best);
      *best = p;
      *best_v = val;
    } else
      mvm_plan_free(p);
  }
out:
  mvm__gen_free(g);
  free(cur_prio);
  free(cur_rel);
  free(cur_start);
  free(prio);
  free(rel);
  free(start);
  free(c.mig);
  free(c.mig_src);
  free(c.mig_dst);
  free(c.boot);
  free(c.boot_node);
  free(c.mig_kind);
  free(cur_half);
  free(half);
  free(keys);
  return rc;
}
