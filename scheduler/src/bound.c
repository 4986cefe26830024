/* Lower bound on the sum of end times (the MinMTTR objective).
 *
 * Every action ends no earlier than e_j: its release (the destination's boot) plus its
 * duration at the bottleneck rate (sync members: the longest of their group); a shutdown
 * no earlier than its last outgoing migration's e_j plus its duration. That gives
 * LB0 = sum e_j.
 * On a shared element of capacity C, the k-th migration to complete through it has sent
 * at least the k smallest data volumes A_k, so C_[k] >= r_min + A_k / C, and also
 * C_[k] >= the k-th smallest e_j. Summing max of both over the element's migrations, plus
 * e_j for every other action, is a bound for each element. Two more terms per element:
 * - its migrations cannot go faster than one "machine" each: with r the fastest of their
 *   rates, the element is at most m = ceil(C / r) machines of speed r, and on identical
 *   machines (preemption allowed) SPT minimises the sum of completion times, with processing
 *   times V_j / r, all released at r_min;
 * - a source that shuts down once all its migrations have left, when they all cross the
 *   element: the t-th earliest of those shutdowns waits for the K_t-th completion on the
 *   element, K_t the number of migrations of the t sources with fewest, so it ends no
 *   earlier than the bound on the K_t-th completion plus the shutdown.
 * - both at once: the sum of the migrations' ends and of those shutdowns is at least
 *   sum w_j C_j, with w_j = 2 for the largest migration of each such source, else 1; on
 *   m machines (preemption allowed), sum w_j C_j >= r_min sum w_j + the WSPT schedule on
 *   one machine m times as fast + (m - 1)/(2m) sum w_j p_j (Eastman, Even and Isaacs 1964;
 *   the mean-busy-time argument holds for any schedule that runs a job at most at one
 *   machine's speed).
 * Groups that share no migration add up: the bound also sums the gains of every element
 * when each migration is counted on one element only, its route's first shared element
 * (the source's link) or its last (the destination's). The result is the best of these.
 * Every element term is computed twice: with the data each migration sends at least, from
 * its first byte, and with what it reserves at least (least_works: its rate held over its
 * whole duration, set-up included, at the best rate for that), from its start.
 * The mean-busy-time terms (busy_gain, assign_gain) charge each migration its own duration
 * besides what it reserves: a migration's end is its mean busy time plus half its duration,
 * so a low rate that reserves less (an idle VM's set-up) lasts longer and pays for it. The
 * partitions also count each migration on its busiest shared element (the link several racks
 * share, when each rack has its own). Under a power budget the boots that must wait for power
 * (boot_delays) add their delays, and busy_gain also releases the migrations into the nodes
 * that boot late no earlier than those boots allow (released, wspt_released). A boot that
 * needs m sources off for its power starts no earlier than the m-th shutdown: boots_gain
 * counts it as weight on the first sources to go off (emptying them whole goes against
 * Smith's order), and the power programme (power_gain, bound_power.c) then weighs the
 * boots' power against the migrations' with that bound and with the releases. */
#include "mvm/bound.h"

#include "bound_power.h"
#include "heap.h"
#include "mvm/energy.h"
#include "mvm/model.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORK_GRID 48 /* geometric rate grid of rate_modes */
/* mvm check accepts rates and powers 1e-6 over their limits and durations 1e-6 (relative)
 * and 1e-5 s off the model's: the bounds give that much away (tolerant) */
#define MVM_BOUND_TOL 1e-6

static int same_params(const mvm_precopy_params* a, const mvm_precopy_params* b)
{
  return a->used == b->used && a->hot_size == b->hot_size && a->hot_duration == b->hot_duration &&
         a->cold_rate == b->cold_rate && a->downtime == b->downtime && a->model == b->model &&
         a->round_latency == b->round_latency && a->setup == b->setup && a->resend == b->resend;
}

static double tolerant(double b, size_t nactions)
{
  return b > 0 ? b * (1 - 4 * MVM_BOUND_TOL) - 2e-5 * (double)nactions : b;
}

static int cmp_double(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static int cmp_size(const void* a, const void* b)
{
  size_t x = *(const size_t*)a, y = *(const size_t*)b;
  return (x > y) - (x < y);
}

/* What the bound knows of every migration, and scratch space for one group. */
typedef struct bctx {
  const mvm_scenario* sc;
  const mvm_netview* nv;
  const double *e, *vol, *rel, *rate, *last_out;
  const size_t* nout; /* migrations leaving each node */
  double shutdown;
  double *ev, *av, *b, *heap; /* n doubles each */
  double* heap2;              /* 2n doubles */
  size_t* seen;               /* per node, zeroed between groups */
  double* vmax;               /* per node: largest volume seen in the group, zeroed too */
  int* vbig;                  /* per node: that migration */
  double* w;                  /* per migration: weight in the joint term, reset to 1 */
  size_t* sizes;              /* n */
  const double* dur;          /* per migration: its duration at its bottleneck rate, or NULL */
  struct mode_cache* modes;   /* assign_gain's rate modes, or NULL */
  struct bjob* bj;            /* busy_gain's scratch: 2n, or NULL */
  double assign_left;         /* assign_gain's work left (cost evaluations and steps) */
  const double* shift;        /* k-th boot's least start (boot_delays), k = 0..; NULL: none */
  const mvm__boot_power* pw;  /* boots against the migrations' power (this group), or NULL */
  const double *data, *drel;  /* per migration: data sent at least, its first byte's least time */
} bctx;

/* Sum of completion times of jobs p[0..n) (sorted ascending) on m identical machines
 * free from time r0, in SPT order (optimal for P||sum C and P|pmtn|sum C). */
static double spt_parallel(const double* p, size_t n, size_t m, double r0, double* heap)
{
  if (m > n)
    m = n;
  for (size_t i = 0; i < m; i++)
    heap[i] = r0;
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    /* machine free first: heap[0] of a binary min-heap */
    double c = heap[0] + p[i];
    sum += c;
    size_t k = 0;
    for (;;) { /* sift the new end time down */
      size_t l = 2 * k + 1, r = l + 1, t = k;
      double tv = c;
      if (l < m && heap[l] < tv)
        t = l, tv = heap[l];
      if (r < m && heap[r] < tv)
        t = r, tv = heap[r];
      if (t == k)
        break;
      heap[k] = heap[t];
      k = t;
    }
    heap[k] = c;
  }
  return sum;
}

typedef struct wjob {
  double p, w;
} wjob;

static int cmp_wspt(const void* a, const void* b)
{
  const wjob *x = a, *y = b;
  double l = x->p * y->w, r = y->p * x->w; /* x before y if p_x/w_x < p_y/w_y */
  return (l > r) - (l < r);
}

/* Eastman-Even-Isaacs bound on sum w_j C_j for jobs on m identical machines from r0. */
static double eei(wjob* j, size_t n, double m, double r0)
{
  mvm_qsort(j, n, sizeof(wjob), cmp_wspt);
  double t = 0, sum = 0, wp = 0;
  for (size_t i = 0; i < n; i++) {
    t += j[i].p / m;
    sum += j[i].w * (r0 + t);
    wp += j[i].w * j[i].p;
  }
  return sum + (m - 1) / (2 * m) * wp;
}

/* What the n migrations of `who` through one element of capacity cap add to the base
 * bound (>= 0): their own terms and those of the sources they empty. */
static double group_gain(bctx* x, const int* who, size_t n, double cap)
{
  double rmin = INFINITY, sum_e = 0, rmax = 0;
  for (size_t i = 0; i < n; i++) {
    int v = who[i];
    x->ev[i] = x->e[v];
    x->av[i] = x->vol[v];
    rmin = fmin(rmin, x->rel[v]);
    rmax = fmax(rmax, x->rate[v]);
    sum_e += x->e[v];
  }
  mvm_qsort(x->ev, n, sizeof(double), cmp_double);
  mvm_qsort(x->av, n, sizeof(double), cmp_double);
  double acc = 0, lb = 0;
  for (size_t i = 0; i < n; i++) {
    acc += x->av[i];
    x->b[i] = fmax(rmin + acc / cap, x->ev[i]); /* the (i+1)-th completion ends no earlier */
    lb += x->b[i];
  }
  if (rmax > 0) {
    double m = ceil(cap / rmax - 1e-9);
    for (size_t i = 0; i < n; i++)
      x->av[i] /= rmax;
    lb = fmax(lb, spt_parallel(x->av, n, m < 1 ? 1 : (size_t)m, rmin, x->heap));
  }
  double gain = lb - sum_e;
  /* sources all of whose migrations cross the element, and shut down */
  size_t ns = 0;
  double old = 0;
  for (size_t i = 0; i < n; i++) {
    size_t src = x->sc->vms[who[i]].from;
    if (x->vol[who[i]] >= x->vmax[src]) {
      x->vmax[src] = x->vol[who[i]];
      x->vbig[src] = who[i];
    }
    if (++x->seen[src] == x->nout[src]) {
      const mvm_node* nd = &x->sc->nodes[src];
      if (nd->initially_on && !nd->finally_on) {
        x->w[x->vbig[src]] = 2;
        x->sizes[ns] = x->nout[src];
        x->av[ns++] = x->vmax[src] / rmax; /* its largest migration, as a job on the machines */
        old += x->last_out[src];
      }
    }
  }
  for (size_t i = 0; i < n; i++) {
    x->seen[x->sc->vms[who[i]].from] = 0;
    x->vmax[x->sc->vms[who[i]].from] = 0;
  }
  if (ns) {
    mvm_qsort(x->sizes, ns, sizeof(size_t), cmp_size);
    size_t k = 0;
    double sd = 0;
    for (size_t t = 0; t < ns; t++) {
      k += x->sizes[t];
      sd += x->b[k - 1];
    }
    /* also: a source's shutdown waits for its largest migration, and those ns migrations
     * alone need at least their SPT schedule on the m machines */
    if (rmax > 0) {
      double m = ceil(cap / rmax - 1e-9);
      mvm_qsort(x->av, ns, sizeof(double), cmp_double);
      sd = fmax(sd, spt_parallel(x->av, ns, m < 1 ? 1 : (size_t)m, rmin, x->heap));
    }
    if (sd > old)
      gain += sd - old;
    if (rmax > 0) {
      wjob* jobs = (wjob*)x->heap2;
      double m = fmax(1, ceil(cap / rmax - 1e-9));
      for (size_t i = 0; i < n; i++)
        jobs[i] = (wjob){x->vol[who[i]] / rmax, x->w[who[i]]};
      /* replaces the migrations' e_j and the sources' last departures (the shutdown
       * durations are in both) */
      gain = fmax(gain, eei(jobs, n, m, rmin) - sum_e - old);
    }
  }
  for (size_t i = 0; i < n; i++)
    x->w[who[i]] = 1;
  return gain;
}

/* The mean-busy-time bound with each migration's own duration. A migration v run at rate r
 * holds r over [start, end], so it reserves a_v = r x duration(r) >= least_works on the element
 * (x->vol), and its end is its mean busy time plus half its duration, itself at least its
 * duration at its bottleneck rate (x->dur). The element runs at most cap at once, so for any
 * weights w, sum w_v M_v is at least what Smith's rule gives when the element serves the
 * a_v one after the other from the group's earliest start (a preemptive single machine:
 * the mean-busy-time relaxation). A source that shuts down once all its migrations (all in
 * the group) have left ends no earlier than any of them plus the shutdown, so no earlier
 * than any convex combination of their ends plus the shutdown: its migrations' weights are
 * 1 + lambda_v with the lambdas summing to 1. Three choices of lambda (all on the longest,
 * half on each of the two longest, in proportion to the durations), the best kept. Gain
 * over the base bound, or 0 (also when out of memory). */
typedef struct bjob {
  size_t src;
  double p, w, own;
  int v;
} bjob;

static int cmp_bjob_src(const void* a, const void* b)
{
  const bjob *x = a, *y = b;
  if (x->src != y->src)
    return (x->src > y->src) - (x->src < y->src);
  return (x->own < y->own) - (x->own > y->own); /* longest first */
}

static int cmp_bjob_wspt(const void* a, const void* b)
{
  const bjob *x = a, *y = b;
  double l = x->p * y->w, r = y->p * x->w;
  return (l > r) - (l < r);
}

/* The same bound with the rate chosen jointly with the order (small groups). Split every
 * migration of weight w into 2w pieces of weight 1/2 (the weights are 1, 1.5 or 2): pieces
 * of one migration next to each other give its term back, so letting them go anywhere, at
 * any rate each, is a relaxation. With equal weights a piece's cost depends only on its
 * position q of N: (1/2) (R0 + what the pieces before reserve + its own share / 2 + d / 2)
 * = (1/2) (R0 + a (N - q + 1/2) / (cap k) + d / 2) with a what it reserves and d its
 * duration, k its migration's pieces; at the best rate for that position, over lower corners
 * of intervals covering every rate (a = max(r_i d(r_i+1), r_i setup + data(r_i+1)), d =
 * d(r_i+1), see least_works). The least total over the assignments of pieces to positions
 * (Hungarian method, O(N^3)) is the bound. 0 when too large or out of memory. */
#define ASSIGN_MAX 320
#define ASSIGN_WORK 2e8 /* per bound: about 0.2 s */
#define MODES_MAX 96
typedef struct bmode {
  double a, d;
} bmode;

/* rate_modes of recent templates (a template's VMs on one bottleneck share them) */
#define MODE_CACHE 8
typedef struct mode_cache {
  mvm_precopy_params p[MODE_CACHE];
  double hi[MODE_CACHE];
  size_t nm[MODE_CACHE], next, n;
  bmode m[MODE_CACHE][MODES_MAX];
} mode_cache;

/* Whether the rounds model may converge at a rate below one where it does not. With a
 * round latency near the downtime a faster rate shortens the rounds until the latency
 * dominates and the stop-and-copy test can no longer pass (a 2.1 ms route at the default
 * 13.01 latency factor and 30 ms downtime). A random search (2026-12-01: random templates,
 * 400 rates each from the limit up) found no such case with the round latency under half
 * the downtime (0 of 26,000) and 183 of 4,000 between half and 1.2 times it; so under half,
 * a rate where the model does not converge stands for its grid interval; above, the
 * interval only gets what any rate must do (set-up, memory). */
static int jumpy(const mvm_precopy_params* p)
{
  return p->model == MVM_PRECOPY_ROUNDS && p->round_latency * 2 >= p->downtime;
}

static size_t rate_modes(const mvm_precopy_params* p, double hi, bmode* out)
{
  double lim = mvm_precopy_limit(p), lo = lim;
  if (!(hi > 0) || !(lo < hi))
    return 0;
  if (!(lo > 0))
    lo = hi * 1e-6;
  double pts[MODES_MAX + 2];
  size_t np = 0;
  /* geometric from the limit, and every 1 % from half the rate up: plans run near full rate */
  for (int i = 0; i < WORK_GRID; i++)
    pts[np++] = lo * pow(hi / lo, (double)i / WORK_GRID);
  for (int i = 40; i >= 1; i--)
    if (hi * (1 - 0.0125 * i) > lo)
      pts[np++] = hi * (1 - 0.0125 * i);
  pts[np++] = hi;
  mvm_qsort(pts, np, sizeof(double), cmp_double);
  double setup = p->model == MVM_PRECOPY_ROUNDS && p->setup > 0 ? p->setup : 0;
  size_t nm = 0;
  double used = p->model == MVM_PRECOPY_ROUNDS && p->used > 0 ? p->used : 0; /* round 0 sends it */
  if (!(lim > 0)) /* (0, lo]: at least its memory, for longer than at lo: d(r) >= setup + used / r */
    out[nm++] = (bmode){used, setup + used / lo};
  for (size_t i = 0; i + 1 < np; i++) {
    double a = pts[i], b = pts[i + 1];
    if (!(b > a))
      continue;
    double d = mvm_precopy_duration(p, b), x = mvm_precopy_data(p, b);
    if (!isfinite(d) || !isfinite(x)) {
      if (jumpy(p)) /* a rate in there may converge: what any must do */
        out[nm++] = (bmode){a * setup + used, setup + used / b};
    } else
      out[nm++] = (bmode){fmax(a * d, a * setup + x), d};
  }
  return nm;
}

/* p's rate modes on bottleneck hi: from the cache mc (NULL: none), else computed into
 * scratch (MODES_MAX) and kept there. Their count to *nm. */
static const bmode* modes_of(mode_cache* mc, const mvm_precopy_params* p, double hi, bmode* scratch, size_t* nm)
{
  for (size_t c = 0; mc && c < mc->n; c++)
    if (mc->hi[c] == hi && same_params(&mc->p[c], p)) {
      *nm = mc->nm[c];
      return mc->m[c];
    }
  *nm = rate_modes(p, hi, scratch);
  if (mc) {
    size_t at = mc->next;
    mc->p[at] = *p;
    mc->hi[at] = hi;
    mc->nm[at] = *nm;
    memcpy(mc->m[at], scratch, *nm * sizeof(bmode));
    mc->next = (at + 1) % MODE_CACHE;
    mc->n += mc->n < MODE_CACHE;
  }
  return scratch;
}

static double assign_gain(bctx* x, const bjob* jobs, size_t n, double cap, double r0, double base)
{
  size_t N = 0;
  for (size_t i = 0; i < n; i++)
    N += (size_t)lround(2 * jobs[i].w);
  /* its work: the cost matrix over every mode, then the Hungarian method; within a budget
   * per bound (many small groups, as each source's own link at scale, would add up) */
  double work = (double)N * (double)N * (MODES_MAX + (double)N);
  if (N > ASSIGN_MAX || N < 2 || work > x->assign_left)
    return 0;
  x->assign_left -= work;
  double* c = malloc(N * N * sizeof(double));
  double* u = calloc(N + 1, sizeof(double));
  double* vv = calloc(N + 1, sizeof(double));
  double* minv = calloc(N + 1, sizeof(double));
  size_t* pa = calloc(N + 1, sizeof(size_t));
  size_t* way = calloc(N + 1, sizeof(size_t));
  char* used = calloc(N + 1, 1);
  bmode* md = malloc(MODES_MAX * sizeof(bmode));
  double total = -INFINITY;
  if (!c || !u || !vv || !minv || !pa || !way || !used || !md)
    goto out;
  size_t row = 0;
  for (size_t i = 0; i < n; i++) {
    mvm_precopy_params pp;
    mvm_vm_precopy(x->sc, x->nv, (size_t)jobs[i].v, &pp);
    size_t k = (size_t)lround(2 * jobs[i].w), nm;
    const bmode* mode = modes_of(x->modes, &pp, mvm_route_rate(x->nv, (size_t)jobs[i].v), md, &nm);
    if (nm == 0)
      goto out;
    for (size_t q = 0; q < N; q++) {
      double th = (double)(N - q) - 0.5, best = INFINITY;
      for (size_t m = 0; m < nm; m++)
        best = fmin(best, mode[m].a / (cap * (double)k) * th + mode[m].d / 2);
      c[row * N + q] = 0.5 * best;
    }
    for (size_t r = 1; r < k; r++)
      memcpy(c + (row + r) * N, c + row * N, N * sizeof(double));
    row += k;
  }
  /* Hungarian method (rows: pieces, columns: positions), potentials u, vv */
  for (size_t i = 1; i <= N; i++) {
    pa[0] = i;
    size_t j0 = 0;
    for (size_t j = 0; j <= N; j++) {
      minv[j] = INFINITY;
      used[j] = 0;
    }
    do {
      used[j0] = 1;
      size_t i0 = pa[j0], j1 = 0;
      double delta = INFINITY;
      for (size_t j = 1; j <= N; j++)
        if (!used[j]) {
          double cur = c[(i0 - 1) * N + (j - 1)] - u[i0] - vv[j];
          if (cur < minv[j]) {
            minv[j] = cur;
            way[j] = j0;
          }
          if (minv[j] < delta) {
            delta = minv[j];
            j1 = j;
          }
        }
      for (size_t j = 0; j <= N; j++)
        if (used[j]) {
          u[pa[j]] += delta;
          vv[j] -= delta;
        } else
          minv[j] -= delta;
      j0 = j1;
    } while (pa[j0] != 0);
    do {
      size_t j1 = way[j0];
      pa[j0] = pa[j1];
      j0 = j1;
    } while (j0);
  }
  total = 0;
  for (size_t j = 1; j <= N; j++)
    total += c[(pa[j] - 1) * N + (j - 1)];
  total += 0.5 * (double)N * r0;
out:
  free(c);
  free(u);
  free(vv);
  free(minv);
  free(pa);
  free(way);
  free(used);
  free(md);
  return isfinite(total) ? total - base : 0;
}

/* Releases when boots wait for power (x->shift): a migration into a node that boots can
 * start once that node is up, and the k-th node up started its boot no earlier than
 * shift[k - 1]. Which node boots k-th is the plan's choice, so for each kind of job (equal
 * p, w and own: interchangeable in the bound) the number released by the k-th boot is taken
 * as the most any k of the nodes receive of that kind (at least what any plan releases, and
 * releasing more jobs earlier only lowers the bound): the i-th job of a kind gets
 * rel + shift[k - 1] with k the fewest nodes that can hold i of them. rel[i] gets each
 * job's release (jobs into nodes on at first: their own). */
typedef struct rkey {
  double p, w, own;
  int dst, i;
} rkey;

static int cmp_rkey(const void* a, const void* b)
{
  const rkey *x = a, *y = b;
  if (x->p != y->p)
    return (x->p > y->p) - (x->p < y->p);
  if (x->w != y->w)
    return (x->w > y->w) - (x->w < y->w);
  if (x->own != y->own)
    return (x->own > y->own) - (x->own < y->own);
  if (x->dst != y->dst)
    return (x->dst > y->dst) - (x->dst < y->dst);
  return (x->i > y->i) - (x->i < y->i);
}

static int same_kind(const rkey* x, const rkey* y) { return x->p == y->p && x->w == y->w && x->own == y->own; }

static void released(const bctx* x, const bjob* k, size_t n, rkey* key, size_t* cnt, double* rel, size_t* rd)
{
  const mvm_scenario* sc = x->sc;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    int to = sc->vms[k[i].v].to;
    rel[i] = x->rel[k[i].v];
    if (rd)
      rd[i] = 0;
    if (!sc->nodes[to].initially_on && sc->nodes[to].finally_on)
      key[m++] = (rkey){k[i].p, k[i].w, k[i].own, to, (int)i};
  }
  mvm_qsort(key, m, sizeof(rkey), cmp_rkey);
  for (size_t a = 0; a < m;) {
    size_t b = a, nd = 0;
    while (b < m && same_kind(&key[b], &key[a])) {
      size_t c = b;
      while (c < m && key[c].dst == key[b].dst && same_kind(&key[c], &key[b]))
        c++;
      cnt[nd++] = c - b; /* this kind's jobs into one node */
      b = c;
    }
    mvm_qsort(cnt, nd, sizeof(size_t), cmp_size); /* ascending: the most from the end */
    size_t i = a, kth = 0;
    for (size_t q = nd; q > 0; q--, kth++)
      for (size_t c = 0; c < cnt[q - 1]; c++, i++) {
        rel[key[i].i] += x->shift[kth];
        if (rd)
          rd[key[i].i] = kth + 1;
      }
    a = b;
  }
}

/* Sum of w (M + own) for the preemptive schedule on one machine (the element, its works
 * p) that runs, at every instant, the released job of largest w / p: it minimises the
 * weighted mean busy times under release dates (Goemans 1997), a relaxation of any plan's
 * as in busy_gain. */
static double wspt_released(const bjob* k, const double* rel, size_t n, rkey* by, int* ord, double* key,
                            double* left, double* msum)
{
  for (size_t i = 0; i < n; i++) {
    by[i] = (rkey){rel[i], 0, 0, 0, (int)i};
    key[i] = k[i].w > 0 ? k[i].p / k[i].w : INFINITY;
    left[i] = k[i].p;
    msum[i] = 0;
  }
  mvm_qsort(by, n, sizeof(rkey), cmp_rkey); /* by release, then index */
  for (size_t i = 0; i < n; i++)
    ord[i] = by[i].i;
  iheap h = {0};
  size_t next = 0;
  double t = n ? rel[ord[0]] : 0, val = 0;
  while (next < n || h.n) {
    while (next < n && rel[ord[next]] <= t)
      if (iheap_push(&h, key, ord[next++])) {
        free(h.a);
        return 0;
      }
    if (!h.n) {
      t = rel[ord[next]];
      continue;
    }
    int j = h.a[0];
    double until = next < n ? rel[ord[next]] : INFINITY;
    int done = left[j] <= until - t;
    double dt = done ? left[j] : until - t;
    msum[j] += dt * (t + dt / 2);
    left[j] -= dt;
    t += dt;
    if (done) {
      iheap_pop(&h, key);
      val += k[j].w * ((k[j].p > 0 ? msum[j] / k[j].p : t) + k[j].own);
    }
  }
  free(h.a);
  return val;
}

/* The same weights against the boots' power (bound_power.c), over the data each migration
 * sends from its first byte (k: n jobs, vfloor: a bound on their sum w C): a bound on their
 * sum w C plus the boots' starts beyond boot_delays' (counted there, not twice); 0 when out
 * of memory. */
static double power_gain(const bctx* x, const bjob* k, size_t n, double cap, double vfloor, const unsigned char* cov)
{
  mvm__pjob* pj = calloc(n, sizeof(mvm__pjob));
  if (!pj)
    return 0;
  double dr0 = INFINITY, starts = 0;
  for (size_t i = 0; i < n; i++) {
    int v = k[i].v;
    double tr = fmin(x->e[v] - x->drel[v], x->rate[v] > 0 ? x->data[v] / x->rate[v] : INFINITY);
    pj[i] = (mvm__pjob){x->data[v] / cap, k[i].w, fmax(0, tr) / 2, 0};
    dr0 = fmin(dr0, x->drel[v]);
  }
  /* rd: with d boots ended, at most as many jobs of a kind are released as have rd <= d (released, over the
   * jobs as this term sees them: kinds of equal data, weight and own); out of memory: from r0 */
  bjob* kk = x->shift ? calloc(n, sizeof(bjob)) : NULL;
  rkey* key = kk ? calloc(n, sizeof(rkey)) : NULL;
  size_t* cnt = key ? calloc(2 * n, sizeof(size_t)) : NULL;
  double* rel = cnt ? calloc(n, sizeof(double)) : NULL;
  if (rel) {
    size_t* rd = cnt + n;
    for (size_t i = 0; i < n; i++)
      kk[i] = (bjob){k[i].src, pj[i].p, pj[i].w, pj[i].own, k[i].v};
    released(x, kk, n, key, cnt, rel, rd);
    for (size_t i = 0; i < n; i++)
      pj[i].rd = rd[i];
  }
  free(kk);
  free(key);
  free(cnt);
  free(rel);
  for (size_t b = 0; b < x->pw->nb; b++)
    starts += x->pw->s[b];
  mvm__boot_power bp = *x->pw;
  bp.cov = cov;
  double v = mvm__boot_power_bound(&bp, pj, n, cap, dr0, vfloor) - starts;
  free(pj);
  return v;
}

/* The boots that wait for sources to go off, as weight on the first sources off (rule 1's
 * jobs k, sorted by source, longest first; base as in assign_gain). Under the budget, at the
 * instant the b-th boot starts (b boots started, at most b - 1 ended: a boot lasts) the draw
 * is at least p0 + pb b - credit (b - 1) - idle off (migrations draw >= 0), so at least
 * m(b) = ceil((pb b - credit (b - 1) - s0) / idle) sources are off: that boot starts no
 * earlier than O_(m(b)), the m(b)-th shutdown's end. The plan's sum then counts, besides
 * each source's shutdown O_s once, sum_j c_j O_(j) (c_j: the boots with m(b) = j), which is
 * at least sum_s c_pi(s) O_s for some pairing pi of ranks with sources; and O_s >= half the
 * ends of its two longest migrations plus the shutdown, as in rule 1. When the sources are
 * alike (the same migrations, as the relaxation sees them: sizes, weights, rate modes) the
 * assignment's bound is the same for every pi, so one of them is computed: the c_j go to
 * the first sources as extra weight on their two longest migrations. It replaces those
 * boots' least starts (boot_delays', added to every candidate afterwards): the gain
 * returned subtracts them. Only when every source that shuts down is in the group (the
 * ranks are over all of them) and migrations cannot draw less than nothing; 0 otherwise,
 * or when out of memory. */
static double boots_gain(bctx* x, const bjob* k, size_t n, double cap, double r0, double base, unsigned char* cov,
                         double* y)
{
  const mvm__boot_power* bp = x->pw;
  const mvm_scenario* sc = x->sc;
  const mvm_defaults* d = &sc->defaults;
  if (!bp || bp->nb == 0 || !bp->s || !(bp->idle > 0) || d->mig_alpha < 0 || d->mig_beta < 0)
    return 0;
  size_t nsd = 0, ns = 0;
  for (size_t i = 0; i < sc->nnodes; i++)
    nsd += sc->nodes[i].initially_on && !sc->nodes[i].finally_on;
  /* the sources in k, each alike the first */
  size_t first = SIZE_MAX, len = 0;
  for (size_t a = 0; a < n && k[a].src != SIZE_MAX;) {
    size_t b = a;
    while (b < n && k[b].src == k[a].src)
      b++;
    if (first == SIZE_MAX) {
      first = a;
      len = b - a;
    } else if (b - a != len)
      return 0;
    else
      for (size_t i = 0; i < len; i++) {
        const bjob *u = &k[first + i], *v = &k[a + i];
        mvm_precopy_params pu, pv;
        mvm_vm_precopy(sc, x->nv, (size_t)u->v, &pu);
        mvm_vm_precopy(sc, x->nv, (size_t)v->v, &pv);
        if (u->p != v->p || u->own != v->own || u->w != v->w || !same_params(&pu, &pv) ||
            mvm_route_rate(x->nv, (size_t)u->v) != mvm_route_rate(x->nv, (size_t)v->v))
          return 0;
      }
    ns++;
    a = b;
  }
  if (ns == 0 || ns != nsd)
    return 0;
  /* a boot that may end as it starts gives its credit back at once: b boots ended */
  double ended = bp->boot > MVM__BOOT_INSTANT ? 1 : 0;
  double* c = calloc(ns, sizeof(double));
  bjob* k2 = malloc(n * sizeof(bjob));
  double covered = 0, ctot = 0, g = 0;
  if (!c || !k2)
    goto out;
  for (size_t b = 1; b <= bp->nb; b++) {
    double m = ceil((bp->pb * (double)b - bp->credit * ((double)b - ended) - bp->s0) / bp->idle - 1e-9);
    cov[b - 1] = m >= 1 && m <= (double)ns;
    if (cov[b - 1]) {
      c[(size_t)m - 1] += 1;
      covered += bp->s[b - 1];
      ctot += 1;
    }
  }
  if (ctot == 0)
    goto out;
  memcpy(k2, k, n * sizeof(bjob));
  for (size_t a = 0, si = 0; a < n && k2[a].src != SIZE_MAX; a += len, si++) {
    if (len == 1)
      k2[a].w += c[si];
    else
      k2[a].w += c[si] / 2, k2[a + 1].w += c[si] / 2;
  }
  g = assign_gain(x, k2, n, cap, r0, base);
out:
  free(c);
  free(k2);
  *y = g > 0 ? g + base + ctot * (x->shutdown - 1e-4) : 0; /* sum w C plus the covered boots' starts, at least */
  /* (each covered start may be a little earlier than its shutdown's end as the plan gives
   * it, within mvm check's tolerances: 1e-4 s each given away) */
  return g > 0 ? g + ctot * (x->shutdown - 1e-4) - covered : 0;
}

static double busy_gain(bctx* x, const int* who, size_t n, double cap)
{
  if (!x->dur || n < 2 || !(cap > 0))
    return 0;
  if (!x->bj || n > x->sc->nvms) /* scratch for 2 nvms */
    return 0;
  bjob* j = x->bj;
  bjob* k = x->bj + n;
  double r0 = INFINITY, sum_e = 0, old = 0;
  for (size_t i = 0; i < n; i++) {
    int v = who[i];
    size_t src = x->sc->vms[v].from;
    r0 = fmin(r0, x->rel[v]);
    sum_e += x->e[v];
    x->seen[src]++;
    j[i] = (bjob){src, x->vol[v] / cap, 1, x->dur[v] / 2, v};
  }
  /* sources that shut down with all their migrations in the group: their lambdas */
  for (size_t i = 0; i < n; i++) {
    size_t src = j[i].src;
    const mvm_node* nd = &x->sc->nodes[src];
    if (!(nd->initially_on && !nd->finally_on) || x->seen[src] != x->nout[src])
      j[i].src = SIZE_MAX; /* no shutdown term */
  }
  for (size_t i = 0; i < n; i++)
    x->seen[x->sc->vms[who[i]].from] = 0;
  mvm_qsort(j, n, sizeof(bjob), cmp_bjob_src);
  double best = 0;
  /* with boots that wait for power: the same with releases (NULL scratch: skipped) */
  double* rs = x->shift ? calloc(4 * n, sizeof(double)) : NULL;
  rkey* rkeys = rs ? calloc(n, sizeof(rkey)) : NULL;
  size_t* cnt = rkeys ? calloc(n, sizeof(size_t)) : NULL;
  int* ord = cnt ? calloc(n, sizeof(int)) : NULL;
  if (!ord) {
    free(rs);
    free(rkeys);
    free(cnt);
    rs = NULL;
    rkeys = NULL;
    cnt = NULL;
  }
  /* boots_gain's boots (NULL: skipped) */
  unsigned char* cov = x->pw && x->pw->nb > 0 ? calloc(x->pw->nb, 1) : NULL;
  for (int rule = 0; rule < 3; rule++) {
    memcpy(k, j, n * sizeof(bjob));
    old = 0;
    for (size_t a = 0; a < n && k[a].src != SIZE_MAX;) {
      size_t b = a;
      double tot = 0;
      while (b < n && k[b].src == k[a].src)
        tot += k[b++].own;
      old += x->last_out[k[a].src];
      if (rule == 0 || b - a == 1)
        k[a].w += 1;
      else if (rule == 1)
        k[a].w += 0.5, k[a + 1].w += 0.5;
      else
        for (size_t i = a; i < b; i++)
          k[i].w += tot > 0 ? k[i].own / tot : 1.0 / (double)(b - a);
      a = b;
    }
    double rbest = 0; /* this rule's best */
    if (rule == 1)
      rbest = fmax(rbest, assign_gain(x, k, n, cap, r0, sum_e + old));
    double bg = 0, by = 0;
    if (rule == 1 && x->pw && x->pw->nb > 0 && cov)
      bg = boots_gain(x, k, n, cap, r0, sum_e + old, cov, &by);
    if (x->shift && rs) {
      released(x, k, n, rkeys, cnt, rs, NULL);
      rbest = fmax(rbest, wspt_released(k, rs, n, rkeys, ord, rs + n, rs + 2 * n, rs + 3 * n) - sum_e - old);
    }
    mvm_qsort(k, n, sizeof(bjob), cmp_bjob_wspt);
    double t = r0, val = 0;
    for (size_t i = 0; i < n; i++) {
      val += k[i].w * (t + k[i].p / 2 + k[i].own);
      t += k[i].p;
    }
    rbest = fmax(rbest, val - sum_e - old);
    if (rule == 1 && x->pw && x->pw->nb > 0 && x->data && x->drel) {
      /* and with boots_gain's bound when it holds (it counts the covered boots' starts too:
       * on the 5.0 kW decommission 36,875 s of gain against 36,302 s from the others'; on
       * some random instances the other way round) */
      double v0 = fmax(rbest, 0) + sum_e + old;
      rbest = fmax(rbest, power_gain(x, k, n, cap, v0, NULL) - sum_e - old);
      if (bg > 0)
        rbest = fmax(rbest, power_gain(x, k, n, cap, by, cov) - sum_e - old);
    }
    rbest = fmax(rbest, bg); /* after power_gain: bg holds boots' starts, not a bound on the ends alone */
    best = fmax(best, rbest);
  }
  free(cov);
  free(rs);
  free(rkeys);
  free(cnt);
  free(ord);
  return best;
}

/* How long each element is busy at least: what its migrations reserve (work) over its
 * capacity, to busy[] (nelems, zeroed here). */
static void element_busy(const mvm_scenario* sc, const mvm_netview* nv, const double* work, double* busy)
{
  memset(busy, 0, nv->nelems * sizeof(double));
  for (size_t v = 0; v < sc->nvms; v++)
    for (size_t k = 0; mvm_vm_moves(&sc->vms[v]) && k < nv->routes[v].count; k++) {
      int e = nv->route_elems[nv->routes[v].first + k];
      busy[e] += work[v] / mvm_element_capacity(nv, (size_t)e);
    }
}

/* Migration v's busiest shared element (the most reserved over its capacity, busy[]), -1
 * if it stays or crosses none. */
static int busiest(const mvm_scenario* sc, const mvm_netview* nv, const double* busy, size_t v)
{
  int pick = -1;
  for (size_t k = 0; mvm_vm_moves(&sc->vms[v]) && k < nv->routes[v].count; k++) {
    int e = nv->route_elems[nv->routes[v].first + k];
    if (nv->elems[e].shared && (pick < 0 || busy[e] > busy[pick]))
      pick = e;
  }
  return pick;
}

/* Sum of the gains when migration v is counted on element pick[v] only (-1: none). */
static double partition_gain(bctx* x, const int* pick)
{
  const mvm_netview* nv = x->nv;
  size_t nvms = x->sc->nvms;
  size_t* start = calloc(nv->nelems + 2, sizeof(size_t));
  int* who = calloc(nvms ? nvms : 1, sizeof(int));
  double gain = 0;
  if (start && who) {
    for (size_t v = 0; v < nvms; v++)
      if (pick[v] >= 0)
        start[pick[v] + 2]++;
    for (size_t i = 0; i < nv->nelems; i++)
      start[i + 2] += start[i + 1];
    for (size_t v = 0; v < nvms; v++)
      if (pick[v] >= 0)
        who[start[pick[v] + 1]++] = (int)v;
    for (size_t el = 0; el < nv->nelems; el++) {
      size_t n = start[el + 1] - start[el];
      if (n >= 2) {
        double cap = mvm_element_capacity(nv, el);
        gain += fmax(group_gain(x, who + start[el], n, cap), busy_gain(x, who + start[el], n, cap));
      }
    }
  }
  free(start);
  free(who);
  return gain;
}

/* Each migration's earliest end alone on the network: its destination's boot (if it starts
 * off), then its fastest duration, to end[v]; the least data it sends, to data[v] (0 for a
 * VM that stays). */
static void fastest_ends(const mvm_scenario* sc, const mvm_netview* nv, double* end, double* data)
{
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    end[v] = data[v] = 0;
    if (!mvm_vm_moves(vm))
      continue;
    mvm_precopy_params p;
    mvm_vm_precopy(sc, nv, v, &p);
    double r = mvm_route_rate(nv, v);
    end[v] = (sc->nodes[vm->to].initially_on ? 0 : sc->defaults.boot) + mvm_precopy_duration(&p, r);
    /* at any lower rate the rounds last longer, more pages are dirtied, and the
     * stop-and-copy threshold is lower: a migration sends at least what it sends at full
     * rate (which includes its used memory, sent in round 0) */
    data[v] = mvm_precopy_data(&p, r);
  }
}

/* What migration v reserves at least on each element of its route: a plan runs it at one
 * rate r in (its never-converges limit, its bottleneck rate] and holds r over its whole
 * duration, set-up included, so it reserves r x duration(r) bytes. Lower rates hold less
 * during the set-up but last longer and dirty more: the least over r is the least of its
 * rate modes' reservations (rate_modes: lower corners of intervals covering every rate,
 * valid because the data and the duration do not increase with the rate, the assumption
 * fastest_ends already makes). The modes are shared by the VMs of one template on one
 * bottleneck (mc, NULL: none). 0 for a VM that stays. */
static void least_works(const mvm_scenario* sc, const mvm_netview* nv, mode_cache* mc, double* work)
{
  bmode scratch[MODES_MAX];
  for (size_t v = 0; v < sc->nvms; v++) {
    work[v] = 0;
    if (!mvm_vm_moves(&sc->vms[v]))
      continue;
    mvm_precopy_params p;
    mvm_vm_precopy(sc, nv, v, &p);
    size_t nm;
    const bmode* m = modes_of(mc, &p, mvm_route_rate(nv, v), scratch, &nm);
    double w = nm ? INFINITY : 0;
    for (size_t k = 0; k < nm; k++)
      w = fmin(w, m[k].a);
    work[v] = w;
  }
}

static void node_link_time(const mvm_scenario* sc, const mvm_netview* nv, const double* data, const double* work,
                           int incoming, double* t);

/* Boots under a power budget (one that holds from time 0 on, the lowest): the nodes drawn
 * at first (VMs, nodes on) leave the budget's slack S0; a booting node draws idle x (1 +
 * overhead), a booted one idle, a source frees idle when its shutdown ends, and migrations
 * draw more (not counted: a bound). So the k-th boot to start, at s_k, needs
 * k x boot power - S0 <= overhead x idle x (boots ended by s_k) + idle x (sources off by
 * s_k). Sources off by t: each no earlier than its own bound (its last migration's earliest
 * end, or its first start plus the time its own link takes to carry its data, plus the
 * shutdown); those that send all their data through the busiest shared element also one
 * after the other there at most (from the group's first start, the g sources with least
 * reservations, over its capacity); and no more than those whose VMs all go to nodes that
 * are on or among the boots ended by t (mvm__source_cover: a plan's k-th boot starts no
 * earlier than s_k, so its boots ended by t are at most those of the s_i + boot <= t, of
 * the k - 1 before). Returns the sum of those s_k (the boots' ends exceed
 * the base bound's by that much), 0 without such a budget or boots, or when out of memory;
 * the s_k to s_out (one per node at most, left as given unless all were found). */
typedef struct off_ev {
  double t;
  int in_group, fluid; /* a source's own bound (in the group or not), or the group's g-th */
} off_ev;

static int cmp_off_ev(const void* a, const void* b)
{
  const off_ev *x = a, *y = b;
  if (x->t != y->t)
    return (x->t > y->t) - (x->t < y->t);
  return (x->fluid > y->fluid) - (x->fluid < y->fluid);
}

static double boot_delays(const mvm_scenario* sc, const mvm_netview* nv, const double* data, const double* held,
                          const double* start, const double* dur, const double* last_out, const double* busy,
                          double* s_out, mvm__boot_power* bp, double* u_out, double* off_sum)
{
  const mvm_defaults* d = &sc->defaults;
  double budget = INFINITY, p0 = (double)sc->nvms * d->vm_power;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind == MVM_C_POWER && k->from <= 0 && k->to == INFINITY)
      budget = fmin(budget, k->max * (1 + MVM_BOUND_TOL) + 1e-6); /* what mvm check accepts */
  }
  size_t nb = 0, nn = sc->nnodes;
  for (size_t n = 0; n < nn; n++) {
    p0 += sc->nodes[n].initially_on ? d->node_idle : 0;
    nb += !sc->nodes[n].initially_on && sc->nodes[n].finally_on;
  }
  double s0 = budget - p0, pb = d->node_idle * (1 + d->boot_overhead);
  if (!isfinite(budget) || nb == 0 || !(s0 >= 0) || !(d->node_idle > 0) || pb * (double)nb <= s0)
    return 0;
  /* the busiest shared element */
  int el = -1;
  for (size_t e = 0; e < nv->nelems; e++)
    if (nv->elems[e].shared && busy[e] > 0 && (el < 0 || busy[e] > busy[el]))
      el = (int)e;
  double* own = calloc(nn + 1, sizeof(double));
  double* link = calloc(nn + 1, sizeof(double));
  double* first = calloc(nn + 1, sizeof(double));
  double* gheld = calloc(nn + 1, sizeof(double));
  double* gdata = calloc(nn + 1, sizeof(double));
  int* all_in = calloc(nn + 1, sizeof(int)); /* 1: every migration crosses el, -1: not */
  off_ev* ev = calloc(2 * nn + 2, sizeof(off_ev));
  double* s = calloc(nb + 1, sizeof(double));
  double* cover = calloc(nb + 1, sizeof(double));
  double sum = 0;
  if (!own || !link || !first || !gheld || !gdata || !all_in || !ev || !s || !cover)
    goto out;
  mvm__source_cover(sc, nb, cover);
  /* a source off by t sent its last VM by t - shutdown, each into a node whose boot had
   * ended before that VM started: the boots it needs ended by t - lag */
  double lag = INFINITY;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    const mvm_node *src = &sc->nodes[vm->from], *dst = &sc->nodes[vm->to];
    if (mvm_vm_moves(vm) && src->initially_on && !src->finally_on && !dst->initially_on && dst->finally_on)
      lag = fmin(lag, fmax(0, dur[v]));
  }
  lag = d->shutdown + (isfinite(lag) ? lag : 0);
  node_link_time(sc, nv, data, held, 0, link);
  for (size_t n = 0; n < nn; n++)
    first[n] = INFINITY;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    first[vm->from] = fmin(first[vm->from], start[v]);
    int hit = 0;
    for (size_t k = 0; k < nv->routes[v].count && !hit; k++)
      hit = nv->route_elems[nv->routes[v].first + k] == el;
    if (!hit)
      all_in[vm->from] = -1;
    else if (all_in[vm->from] == 0)
      all_in[vm->from] = 1;
    gheld[vm->from] += held[v];
    gdata[vm->from] += data[v];
  }
  size_t ne = 0, ng = 0;
  double r0 = INFINITY;
  for (size_t n = 0; n < nn; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (!(nd->initially_on && !nd->finally_on))
      continue;
    own[n] = fmax(last_out[n], (isfinite(first[n]) ? first[n] : 0) + link[n]) + d->shutdown;
    int g = el >= 0 && all_in[n] == 1;
    ev[ne++] = (off_ev){own[n], g, 0};
    if (g) {
      gdata[ng] = gdata[n];
      gheld[ng++] = gheld[n]; /* compacted: n >= ng */
      r0 = fmin(r0, first[n]);
    }
  }
  if (ng > 0) {
    mvm_qsort(gheld, ng, sizeof(double), cmp_double);
    double acc = 0, cap = mvm_element_capacity(nv, (size_t)el);
    for (size_t g = 0; g < ng; g++) {
      acc += gheld[g];
      ev[ne++] = (off_ev){r0 + acc / cap + d->shutdown, 0, 1};
    }
  }
  mvm_qsort(ev, ne, sizeof(off_ev), cmp_off_ev);
  if (bp && u_out) { /* for bound_power.c: the instants at which the sources off at most
                      * grow, those of the sources outside the group and inside it, and the
                      * data the g inside sending least send (u_out: 5 nn + 2; its last nb + 1: cover[]) */
    size_t o = 0, in = 0, fl = 0, last = 0, nu = 0;
    double *uo = u_out + nn, *ui = u_out + 2 * nn, *dg = u_out + 3 * nn;
    for (size_t i = 0; i < ne; i++) {
      if (ev[i].fluid)
        fl++;
      else if (ev[i].in_group)
        ui[in++] = ev[i].t;
      else
        uo[o++] = ev[i].t;
      size_t now = o + (in < fl ? in : fl);
      for (; last < now && nu < nn; last++)
        u_out[nu++] = ev[i].t;
    }
    mvm_qsort(gdata, ng, sizeof(double), cmp_double);
    for (size_t g = 0; g < ng; g++)
      dg[g] = (g ? dg[g - 1] : 0) + gdata[g];
    *bp = (mvm__boot_power){s0, pb, d->node_idle * d->boot_overhead, d->node_idle, d->boot, d->shutdown,
                            d->mig_beta >= 0 ? d->mig_alpha / 1e6 : 0, 0, nu, o, in, ng, NULL, u_out, uo, ui, dg, NULL, 0, NULL};
  }
  /* off[i]: sources off at most by ev[i].t */
  /* t only grows: the off events (k) and the boots ended (done: the s_i, in order, plus the
   * boot) are each passed once */
  size_t outside = 0, inside = 0, fluid = 0, k = 0, done = 0, dl = 0;
  double prev = 0;
  for (size_t b = 1; b <= nb; b++) {
    double need = pb * (double)b - s0, t = prev;
    for (;;) {
      while (k < ne && ev[k].t <= t) {
        if (ev[k].fluid)
          fluid++;
        else if (ev[k].in_group)
          inside++;
        else
          outside++;
        k++;
      }
      while (done + 1 < b && s[done] + d->boot <= t)
        done++;
      while (dl + 1 < b && s[dl] + d->boot + lag <= t)
        dl++;
      /* sources off: also only those whose destinations are among the boots ended by t - lag */
      double off = fmin((double)(outside + (inside < fluid ? inside : fluid)), cover[dl]);
      double next = fmin(k < ne ? ev[k].t : INFINITY, done + 1 < b ? s[done] + d->boot : INFINITY);
      next = fmin(next, dl + 1 < b ? s[dl] + d->boot + lag : INFINITY);
      /* (a boot that may end as it starts gives its overhead back at once, its own too) */
      if (need <= d->node_idle * d->boot_overhead * ((double)done + (d->boot <= MVM__BOOT_INSTANT)) + d->node_idle * off)
        break;
      if (!isfinite(next))
        goto out; /* never enough power: no plan; what is summed so far stands */
      t = next;
    }
    s[b - 1] = prev = t;
    sum += t;
  }
  if (off_sum) { /* the i-th source off no earlier than the first instant at which i can be */
    size_t nsrc = 0, got = 0, k2 = 0, o2 = 0, i2 = 0, f2 = 0, d2 = 0;
    for (size_t i = 0; i < ne; i++)
      nsrc += !ev[i].fluid;
    double t = 0, tot = 0;
    while (got < nsrc) {
      for (; k2 < ne && ev[k2].t <= t; k2++)
        *(ev[k2].fluid ? &f2 : ev[k2].in_group ? &i2 : &o2) += 1;
      while (d2 < nb && s[d2] + d->boot + lag <= t)
        d2++;
      double can = fmin((double)(o2 + (i2 < f2 ? i2 : f2)), cover[d2]);
      for (; got < nsrc && (double)(got + 1) <= can; got++)
        tot += t;
      double next = fmin(k2 < ne ? ev[k2].t : INFINITY, d2 < nb ? s[d2] + d->boot + lag : INFINITY);
      if (!isfinite(next))
        break;
      t = next;
    }
    if (got == nsrc)
      *off_sum = tot;
  }
  if (s_out) { /* the k-th boot to start starts no earlier than s[k - 1] */
    memcpy(s_out, s, nb * sizeof(double));
    if (bp && u_out) {
      memcpy(u_out + 4 * nn, cover, (nb + 1) * sizeof(double));
      bp->nb = nb;
      bp->s = s_out;
      bp->cover = u_out + 4 * nn;
      bp->lag = lag;
    }
  }
out:
  free(own);
  free(link);
  free(first);
  free(gheld);
  free(gdata);
  free(all_in);
  free(ev);
  free(s);
  free(cover);
  return sum;
}

double mvm_lower_bound(const mvm_scenario* sc, const mvm_netview* nv)
{
  size_t nv_ = sc->nvms, nn = sc->nnodes, n1 = nv_ ? nv_ : 1;
  double* e = calloc(n1, sizeof(double));
  double* vol = calloc(n1, sizeof(double));
  double* rel = calloc(n1, sizeof(double));
  double* held = calloc(n1, sizeof(double));
  double* start = calloc(n1, sizeof(double));
  double* dur = calloc(n1, sizeof(double)); /* duration at the bottleneck rate */
  mode_cache* mc = calloc(1, sizeof(mode_cache)); /* NULL: no cache, still a bound */
  bjob* bj = calloc(2 * n1, sizeof(bjob));          /* NULL: no busy_gain, still a bound */
  double* rate = calloc(n1, sizeof(double));
  double* last_out = calloc(nn ? nn : 1, sizeof(double));
  size_t* nout = calloc(nn ? nn : 1, sizeof(size_t));
  size_t* seen = calloc(nn ? nn : 1, sizeof(size_t));
  double* vmax = calloc(nn ? nn : 1, sizeof(double));
  int* vbig = calloc(nn ? nn : 1, sizeof(int));
  double* w = calloc(n1, sizeof(double));
  double* scratch = calloc(6 * n1, sizeof(double));
  size_t* sizes = calloc(n1, sizeof(size_t));
  size_t* cnt = calloc(nv->nelems + 1, sizeof(size_t));
  int* who = NULL;
  int* pick = calloc(n1, sizeof(int));
  double *busy = NULL, *shift = NULL, *upw = NULL;
  double best = -1;
  if (!e || !vol || !rel || !held || !start || !dur || !rate || !last_out || !nout || !seen || !vmax || !vbig || !w || !scratch || !sizes || !cnt || !pick)
    goto done;
  const mvm_defaults* d = &sc->defaults;
  double base = 0;
  fastest_ends(sc, nv, e, vol);
  least_works(sc, nv, mc, held);
  for (size_t v = 0; v < nv_; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    rate[v] = mvm_route_rate(nv, v);
    /* no data flows before the destination is up and the migration is set up */
    rel[v] = (sc->nodes[vm->to].initially_on ? 0 : d->boot) + d->mig_setup;
    start[v] = rel[v] - d->mig_setup; /* what it reserves (held) is held from its start */
    dur[v] = e[v] - start[v];
    nout[vm->from]++;
  }
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind == MVM_C_SYNC) {
      double m = 0;
      for (size_t i = 0; i < k->nvms; i++)
        m = fmax(m, e[k->vms[i]]);
      for (size_t i = 0; i < k->nvms; i++)
        e[k->vms[i]] = m;
    }
  }
  for (size_t v = 0; v < nv_; v++)
    if (mvm_vm_moves(&sc->vms[v])) {
      base += e[v];
      last_out[sc->vms[v].from] = fmax(last_out[sc->vms[v].from], e[v]);
    }
  for (size_t n = 0; n < nn; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (!nd->initially_on && nd->finally_on)
      base += d->boot;
    if (nd->initially_on && !nd->finally_on)
      base += last_out[n] + d->shutdown;
  }
  best = base;
  /* the element terms twice: with the data each migration sends from its first byte, and
   * with what it reserves from its start (least_works); the larger gain holds */
  bctx xs[2] = {{sc, nv, e, vol, rel, rate, last_out, nout, d->shutdown, scratch, scratch + n1, scratch + 2 * n1,
                 scratch + 3 * n1, scratch + 4 * n1, seen, vmax, vbig, w, sizes, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL},
                {sc, nv, e, held, start, rate, last_out, nout, d->shutdown, scratch, scratch + n1,
                 scratch + 2 * n1, scratch + 3 * n1, scratch + 4 * n1, seen, vmax, vbig, w, sizes, dur, mc, bj,
                 ASSIGN_WORK, NULL, NULL, NULL, NULL}};
  for (size_t v = 0; v < nv_; v++)
    w[v] = 1;
  /* boots under a power budget wait for power: their ends add to every candidate, and the
   * mean-busy-time terms release migrations into them as late as the boots allow */
  busy = calloc(nv->nelems + 1, sizeof(double));
  shift = calloc(nn + 1, sizeof(double));
  if (!busy || !shift)
    goto done;
  element_busy(sc, nv, held, busy);
  mvm__boot_power bp = {0};
  upw = calloc(5 * nn + 2, sizeof(double));
  double off_sum = 0; /* the sources' shutdown ends, in order, as late as power and boots make them */
  double delays = boot_delays(sc, nv, vol, held, start, dur, last_out, busy, shift, upw ? &bp : NULL, upw, &off_sum);
  if (delays > 0)
    xs[0].shift = xs[1].shift = shift;
  xs[1].data = vol;
  xs[1].drel = rel;
  int pel = -1; /* the busiest shared element (boot_delays'): its group also against the boots' power */
  for (size_t el = 0; el < nv->nelems; el++)
    if (nv->elems[el].shared && busy[el] > 0 && (pel < 0 || busy[el] > busy[pel]))
      pel = (int)el;
  /* per shared element, all its migrations */
  for (size_t v = 0; v < nv_; v++)
    for (size_t k = 0; k < nv->routes[v].count; k++)
      cnt[nv->route_elems[nv->routes[v].first + k] + 1]++;
  for (size_t i = 0; i < nv->nelems; i++)
    cnt[i + 1] += cnt[i];
  size_t total = cnt[nv->nelems];
  who = calloc(total ? total : 1, sizeof(int));
  if (!who)
    goto done;
  for (size_t v = 0; v < nv_; v++)
    for (size_t k = 0; k < nv->routes[v].count; k++) {
      int el = nv->route_elems[nv->routes[v].first + k];
      who[cnt[el]++] = (int)v;
    }
  for (size_t el = nv->nelems; el > 0; el--) /* back to the start of each element's list */
    cnt[el] = cnt[el - 1];
  cnt[0] = 0;
  for (size_t el = 0; el < nv->nelems; el++) {
    size_t n = cnt[el + 1] - cnt[el];
    xs[1].pw = (int)el == pel && delays > 0 ? &bp : NULL;
    if (n >= 2 && nv->elems[el].shared)
      for (int h = 0; h < 2; h++)
        best = fmax(best, base + fmax(group_gain(&xs[h], who + cnt[el], n, mvm_element_capacity(nv, el)),
                                      busy_gain(&xs[h], who + cnt[el], n, mvm_element_capacity(nv, el))));
  }
  /* the power term holds for one group, the busiest element's, alone: the partitions add
   * their groups' gains, and each would count the boots' delays again */
  xs[1].pw = NULL;
  /* partitions: each migration on its first (then last) shared element, then on its
   * busiest one (the most reserved over the capacity: a link that several racks share) */
  for (int last = 0; last < 3; last++) {
    for (size_t v = 0; v < nv_; v++) {
      const mvm_route* r = &nv->routes[v];
      pick[v] = -1;
      if (last == 2) {
        pick[v] = busiest(sc, nv, busy, v);
        continue;
      }
      for (size_t k = 0; mvm_vm_moves(&sc->vms[v]) && k < r->count; k++) {
        int el = nv->route_elems[r->first + (last ? r->count - 1 - k : k)];
        if (nv->elems[el].shared) {
          pick[v] = el;
          break;
        }
      }
    }
    for (int h = 0; h < 2; h++)
      best = fmax(best, base + partition_gain(&xs[h], pick));
  }
  /* the base with those shutdown ends instead of each source's own */
  if (off_sum > 0) {
    double own = 0;
    for (size_t n = 0; n < nn; n++)
      if (sc->nodes[n].initially_on && !sc->nodes[n].finally_on)
        own += last_out[n] + d->shutdown;
    best = fmax(best, base - own + off_sum);
  }
  best += delays;
done:
  free(busy);
  free(shift);
  free(upw);
  free(e);
  free(vol);
  free(rel);
  free(held);
  free(start);
  free(dur);
  free(mc);
  free(bj);
  free(rate);
  free(last_out);
  free(nout);
  free(seen);
  free(vmax);
  free(vbig);
  free(w);
  free(scratch);
  free(sizes);
  free(cnt);
  free(who);
  free(pick);
  return tolerant(best, sc->nvms + sc->nnodes);
}

/* Lower bound on the makespan: the latest of (a) every action's earliest end (a migration
 * after its destination's boot at its fastest rate, a source's shutdown after its last
 * migration's earliest end, a boot), and (b) for every shared element, its migrations'
 * earliest release plus the time to carry the data they send at least (what each sends at
 * its fastest rate, and its acknowledgements' share) at the element's capacity. -1 if out
 * of memory. */
/* Under a power budget the boots wait for power (boot_delays): the last one ends no earlier
 * than its least start plus the boot, and when every node that boots receives a VM, the
 * last to boot then takes at least the time its own link carries them (whichever it is:
 * the least over those nodes). 0 without such a budget, or when out of memory. end, data,
 * work: per VM (fastest_ends, least_works); out: per node, its migrations' latest end. */
static double last_boot_end(const mvm_scenario* sc, const mvm_netview* nv, const double* end, const double* data,
                            const double* work, const double* out, double* off_sum)
{
  const mvm_defaults* d = &sc->defaults;
  size_t nn = sc->nnodes, nb = 0;
  for (size_t n = 0; n < nn; n++)
    nb += !sc->nodes[n].initially_on && sc->nodes[n].finally_on;
  double c = 0;
  double* start = calloc(sc->nvms + 1, sizeof(double));
  double* dur = calloc(sc->nvms + 1, sizeof(double));
  double* busy = calloc(nv->nelems + 1, sizeof(double));
  double* s = calloc(nn + 1, sizeof(double));
  double* in = calloc(nn + 1, sizeof(double));
  if (nb == 0 || !start || !dur || !busy || !s || !in)
    goto out;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    start[v] = sc->nodes[vm->to].initially_on ? 0 : d->boot;
    dur[v] = mvm_vm_moves(vm) ? end[v] - start[v] : 0;
  }
  element_busy(sc, nv, work, busy);
  if (!(boot_delays(sc, nv, data, work, start, dur, out, busy, s, NULL, NULL, off_sum) > 0))
    goto out;
  node_link_time(sc, nv, data, work, 1, in);
  double least = INFINITY;
  for (size_t n = 0; n < nn; n++)
    if (!sc->nodes[n].initially_on && sc->nodes[n].finally_on)
      least = fmin(least, in[n]);
  c = s[nb - 1] + d->boot + (isfinite(least) ? least : 0);
out:
  free(start);
  free(dur);
  free(busy);
  free(s);
  free(in);
  return c;
}

double mvm_lower_bound_makespan(const mvm_scenario* sc, const mvm_netview* nv)
{
  const mvm_defaults* d = &sc->defaults;
  double* end = calloc(sc->nvms + 1, sizeof(double));
  double* data = calloc(sc->nvms + 1, sizeof(double));
  double* work = calloc(sc->nvms + 1, sizeof(double));
  double* load = calloc(nv->nelems + 1, sizeof(double));
  double* held = calloc(nv->nelems + 1, sizeof(double));
  double* rel = calloc(nv->nelems + 1, sizeof(double));
  double* tail = calloc(nv->nelems + 1, sizeof(double));
  double* out = calloc(sc->nnodes + 1, sizeof(double));
  double c = -1;
  if (!end || !data || !work || !load || !held || !rel || !tail || !out)
    goto done;
  c = 0;
  fastest_ends(sc, nv, end, data);
  mode_cache* mc = calloc(1, sizeof(mode_cache)); /* NULL: no cache */
  least_works(sc, nv, mc, work);
  free(mc);
  for (size_t e = 0; e < nv->nelems; e++) {
    rel[e] = INFINITY;
    tail[e] = d->shutdown;
  }
  for (size_t n = 0; n < sc->nnodes; n++)
    if (!sc->nodes[n].initially_on && sc->nodes[n].finally_on)
      c = fmax(c, d->boot);
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    c = fmax(c, end[v]);
    out[vm->from] = fmax(out[vm->from], end[v]);
    double r0 = (sc->nodes[vm->to].initially_on ? 0 : d->boot) + d->mig_setup; /* first byte */
    const mvm_route* rt = &nv->routes[v];
    for (size_t k = 0; k < rt->count + rt->ack_count; k++) {
      int e = k < rt->count ? nv->route_elems[rt->first + k] : nv->ack_elems[rt->ack_first + k - rt->count];
      load[e] += data[v] * (k < rt->count ? 1 : nv->ack_factor);
      held[e] += k < rt->count ? work[v] : data[v] * nv->ack_factor;
      rel[e] = fmin(rel[e], r0);
      if (!(sc->nodes[vm->from].initially_on && !sc->nodes[vm->from].finally_on))
        tail[e] = 0; /* a source that stays on: no shutdown after its last migration */
    }
  }
  for (size_t n = 0; n < sc->nnodes; n++)
    if (sc->nodes[n].initially_on && !sc->nodes[n].finally_on)
      c = fmax(c, out[n] + d->shutdown);
  c = fmax(c, last_boot_end(sc, nv, end, data, work, out, NULL));
  /* An element carries its migrations' data from their first byte, and holds what they
   * reserve (least_works) from their start (the first byte less the set-up); the last of
   * them ends no earlier, and when each comes from a node that shuts down, the shutdown of
   * the last one's source follows (tail). */
  for (size_t e = 0; e < nv->nelems; e++)
    if (nv->elems[e].shared && load[e] > 0) {
      double cap = mvm_element_capacity(nv, e);
      c = fmax(c, rel[e] + fmax(load[e] / cap, held[e] / cap - d->mig_setup) + tail[e]);
    }
done:
  free(end);
  free(data);
  free(work);
  free(load);
  free(held);
  free(rel);
  free(tail);
  free(out);
  return tolerant(c, 1);
}

typedef struct node_elem {
  int node, elem;
  double data, work;
} node_elem;

static int cmp_node_elem(const void* a, const void* b)
{
  const node_elem* x = a;
  const node_elem* y = b;
  if (x->node != y->node)
    return x->node - y->node;
  return x->elem - y->elem;
}

/* For every node, the least time its links keep it busy: its outgoing (incoming, with
 * incoming = 1) migrations' data that cross the same first (last) shared element of their
 * routes, over that element's capacity, the largest over the elements; to t[node]. 0 if
 * out of memory (still a bound). */
static void node_link_time(const mvm_scenario* sc, const mvm_netview* nv, const double* data, const double* work,
                           int incoming, double* t)
{
  node_elem* ne = calloc(sc->nvms + 1, sizeof(node_elem));
  size_t n = 0;
  if (!ne)
    return;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    const mvm_route* r = &nv->routes[v];
    if (!mvm_vm_moves(vm))
      continue;
    for (size_t k = 0; k < r->count; k++) {
      int e = nv->route_elems[r->first + (incoming ? r->count - 1 - k : k)];
      if (nv->elems[e].shared) {
        ne[n++] = (node_elem){incoming ? vm->to : vm->from, e, data[v], work[v]};
        break;
      }
    }
  }
  mvm_qsort(ne, n, sizeof(node_elem), cmp_node_elem);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    double sum = 0, held = 0;
    while (j < n && ne[j].node == ne[i].node && ne[j].elem == ne[i].elem) {
      sum += ne[j].data;
      held += ne[j++].work;
    }
    /* the first byte waits for a migration's set-up; or what they reserve (least_works) */
    double cap = mvm_element_capacity(nv, (size_t)ne[i].elem);
    t[ne[i].node] = fmax(t[ne[i].node], fmax(sc->defaults.mig_setup + sum / cap, held / cap));
    i = j;
  }
  free(ne);
}

/* The migrations of each node that cross element e (the node: the destination when incoming,
 * else the source), to hit (nn + 1 ints). */
static void count_hits(const mvm_scenario* sc, const mvm_netview* nv, size_t e, int incoming, int* hit)
{
  memset(hit, 0, (sc->nnodes + 1) * sizeof(int));
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    const mvm_route* rt = &nv->routes[v];
    for (size_t k = 0; k < rt->count; k++)
      if ((size_t)nv->route_elems[rt->first + k] == e) {
        hit[incoming ? vm->to : vm->from]++;
        break;
      }
  }
}

/* Whether node n is in the element's group: it shuts down (boots, when incoming) and all its
 * migrations cross the element. */
static int group_node(const mvm_scenario* sc, size_t n, int incoming, const int* cnt, const int* hit)
{
  const mvm_node* nd = &sc->nodes[n];
  int wanted = incoming ? (!nd->initially_on && nd->finally_on) : (nd->initially_on && !nd->finally_on);
  return wanted && cnt[n] > 0 && hit[n] == cnt[n];
}

typedef struct elem_gain {
  double g;
  int e;
} elem_gain;

static int cmp_elem_gain(const void* a, const void* b)
{
  const elem_gain *x = a, *y = b;
  if (x->g != y->g)
    return (x->g < y->g) - (x->g > y->g); /* largest first */
  return x->e - y->e;
}

#define NODE_GROUPS_MAX 256 /* elements tried for disjoint groups */

/* The nodes that shut down (incoming = 0) or boot (1) share the network: on a shared element
 * e that every migration of several such nodes crosses, a node's data goes through e at most
 * at the rate of its own first (last) shared element, so with r the largest of those rates
 * e is at most m = ceil(C / r) machines of speed r, and the sum over the nodes of the time
 * until their last byte has left (a source), or from their first migration to the end of the
 * plan (a booted node: the same, backwards from the end), is at least SPT's on m machines,
 * with processing times V / r (V: what the node sends or receives) and the set-up: a source
 * from its earliest first byte, a booted node from its first migration's start. Returns the
 * gain of that sum over sum cur[n] (each node's own bound), added over elements whose groups
 * share no node (each rack's own link), or that of one cut (each migration on its busiest
 * shared element, their capacities added) if larger; 0 when out of memory (still a bound). */
/* What node_group_gain needs to value one group. */
typedef struct ng_ctx {
  const mvm_scenario* sc;
  int incoming;
  const int *cnt, *hit;
  const double *own, *rel, *vol, *held, *cur;
  double *p, *p2, *heap;
} ng_ctx;

/* The gain of the group (group_node with g->hit) through capacity cap: SPT on
 * ceil(cap / r) machines of speed r, r the fastest of the nodes' own elements. */
static double ng_eval(ng_ctx* g, double cap)
{
  const mvm_defaults* d = &g->sc->defaults;
  double r = 0, r0 = INFINITY, sum_cur = 0;
  size_t k = 0;
  for (size_t n = 0; n < g->sc->nnodes; n++) {
    if (!group_node(g->sc, n, g->incoming, g->cnt, g->hit))
      continue;
    r = fmax(r, fmin(g->own[n], cap));
    r0 = fmin(r0, g->rel[n]);
    sum_cur += g->cur[n];
    g->p2[k] = g->held[n];
    g->p[k++] = g->vol[n];
  }
  if (k < 2 || !(r > 0) || !isfinite(r))
    return 0;
  for (size_t i = 0; i < k; i++) {
    g->p[i] /= r;
    g->p2[i] /= r;
  }
  mvm_qsort(g->p, k, sizeof(double), cmp_double);
  mvm_qsort(g->p2, k, sizeof(double), cmp_double);
  size_t m = (size_t)ceil(cap / r - 1e-9);
  double spt = g->incoming ? spt_parallel(g->p, k, m, 0, g->heap) + (double)k * d->mig_setup
                           : spt_parallel(g->p, k, m, r0, g->heap);
  /* or what the migrations reserve, from their start (the first byte less the set-up) */
  double spt2 = g->incoming ? spt_parallel(g->p2, k, m, 0, g->heap) : spt_parallel(g->p2, k, m, r0 - d->mig_setup, g->heap);
  return fmax(spt, spt2) - sum_cur;
}

static double node_group_gain(const mvm_scenario* sc, const mvm_netview* nv, const double* data,
                              const double* work, int incoming, const double* cur)
{
  const mvm_defaults* d = &sc->defaults;
  size_t nn = sc->nnodes;
  double best = 0;
  double* vol = calloc(nn + 1, sizeof(double));
  double* held = calloc(nn + 1, sizeof(double)); /* what its migrations reserve (least_works) */
  double* own = calloc(nn + 1, sizeof(double)); /* the node's own first (last) shared element's capacity */
  int* first_el = calloc(nn + 1, sizeof(int));  /* that element, -1: none yet, -2: several */
  double* rel = calloc(nn + 1, sizeof(double));
  int* cnt = calloc(nn + 1, sizeof(int)); /* the node's migrations */
  int* hit = calloc(nn + 1, sizeof(int)); /* of them, crossing the element under study */
  double* p = calloc(nn + 1, sizeof(double));
  double* heap = calloc(nn + 1, sizeof(double));
  double* p2 = calloc(nn + 1, sizeof(double));
  double* gain = calloc(nv->nelems + 1, sizeof(double));
  elem_gain* order = calloc(nv->nelems + 1, sizeof(elem_gain));
  char* taken = calloc(nn + 1, 1);
  size_t norder = 0;
  if (!vol || !held || !own || !first_el || !rel || !cnt || !hit || !p || !heap || !p2 || !gain || !order || !taken)
    goto done;
  for (size_t n = 0; n < nn; n++) {
    first_el[n] = -1;
    rel[n] = INFINITY;
  }
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    int n = incoming ? vm->to : vm->from;
    const mvm_route* rt = &nv->routes[v];
    vol[n] += data[v];
    held[n] += work[v];
    cnt[n]++;
    rel[n] = fmin(rel[n], (sc->nodes[vm->to].initially_on ? 0 : d->boot) + d->mig_setup);
    int el = -1;
    for (size_t k = 0; k < rt->count && el < 0; k++) {
      int e = nv->route_elems[rt->first + (incoming ? rt->count - 1 - k : k)];
      if (nv->elems[e].shared)
        el = e;
    }
    if (el < 0 || (first_el[n] >= 0 && first_el[n] != el))
      first_el[n] = -2;
    else if (first_el[n] == -1)
      first_el[n] = el;
  }
  for (size_t n = 0; n < nn; n++)
    own[n] = first_el[n] >= 0 ? mvm_element_capacity(nv, (size_t)first_el[n]) : INFINITY;
  ng_ctx g = {sc, incoming, cnt, hit, own, rel, vol, held, cur, p, p2, heap};
  for (size_t e = 0; e < nv->nelems; e++) {
    if (!nv->elems[e].shared)
      continue;
    count_hits(sc, nv, e, incoming, hit);
    gain[e] = ng_eval(&g, mvm_element_capacity(nv, e));
  }
  /* elements whose groups share no node add up: the largest gains first, each taken if
   * none of its nodes is in a group already taken */
  for (size_t e = 0; e < nv->nelems; e++)
    if (gain[e] > 0)
      order[norder++] = (elem_gain){gain[e], (int)e};
  mvm_qsort(order, norder, sizeof(elem_gain), cmp_elem_gain);
  for (size_t i = 0; i < norder && i < NODE_GROUPS_MAX; i++) {
    size_t e = (size_t)order[i].e;
    count_hits(sc, nv, e, incoming, hit);
    int clash = 0;
    for (size_t n = 0; n < nn && !clash; n++)
      clash = group_node(sc, n, incoming, cnt, hit) && taken[n];
    if (clash)
      continue;
    for (size_t n = 0; n < nn; n++)
      if (group_node(sc, n, incoming, cnt, hit))
        taken[n] = 1;
    best += gain[e];
  }
  /* a cut: each migration on its busiest shared element; the nodes all of whose migrations
   * have one share their elements' capacities together (one link per rack: both racks') */
  double* busy = gain; /* reused: the gains are summed */
  element_busy(sc, nv, work, busy);
  memset(hit, 0, (nn + 1) * sizeof(int));
  for (size_t v = 0; v < sc->nvms; v++)
    if (busiest(sc, nv, busy, v) >= 0)
      hit[incoming ? sc->vms[v].to : sc->vms[v].from]++;
  /* the capacity of the elements picked by the group's migrations, each counted once */
  double cut = 0;
  char* inset = calloc(nv->nelems + 1, 1);
  if (inset) {
    for (size_t v = 0; v < sc->nvms; v++) {
      const mvm_vm* vm = &sc->vms[v];
      if (!mvm_vm_moves(vm) || !group_node(sc, incoming ? vm->to : vm->from, incoming, cnt, hit))
        continue;
      int pick = busiest(sc, nv, busy, v);
      if (pick >= 0 && !inset[pick]) {
        inset[pick] = 1;
        cut += mvm_element_capacity(nv, (size_t)pick);
      }
    }
    free(inset);
    if (cut > 0)
      best = fmax(best, ng_eval(&g, cut));
  }
done:
  free(vol);
  free(held);
  free(p2);
  free(own);
  free(first_el);
  free(rel);
  free(cnt);
  free(hit);
  free(p);
  free(heap);
  free(gain);
  free(order);
  free(taken);
  return best;
}

/* Lower bound on the energy (J) drawn until the plan ends, with cmax a lower bound on the
 * makespan: every VM draws its power until then, every node that stays on its idle power,
 * a source shut down its idle power until its last migration's earliest end (or until its
 * link has carried all its VMs' data) plus the shutdown, a booted node the boot's energy
 * and its idle power for at least its longest incoming migration (or the time its link
 * takes to carry them all), and every migration Liu's alpha V + beta with V at least what
 * it sends at its fastest rate. Sources (booted nodes) that share an element add what they
 * must wait for each other there (node_group_gain). -1 if out of memory or cmax < 0. */
double mvm_lower_bound_energy(const mvm_scenario* sc, const mvm_netview* nv, double cmax)
{
  const mvm_defaults* d = &sc->defaults;
  double* end = calloc(sc->nvms + 1, sizeof(double));
  double* data = calloc(sc->nvms + 1, sizeof(double));
  double* out = calloc(sc->nnodes + 1, sizeof(double));
  double* in = calloc(sc->nnodes + 1, sizeof(double));
  double* work = calloc(sc->nvms + 1, sizeof(double));
  double e = -1;
  if (!end || !data || !out || !in || !work || cmax < 0)
    goto done;
  fastest_ends(sc, nv, end, data);
  mode_cache* mc = calloc(1, sizeof(mode_cache)); /* NULL: no cache */
  least_works(sc, nv, mc, work);
  free(mc);
  node_link_time(sc, nv, data, work, 0, out); /* a source is on until its VMs have left */
  node_link_time(sc, nv, data, work, 1, in);  /* a booted node is on while its VMs arrive */
  e = (double)sc->nvms * d->vm_power * cmax;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    out[vm->from] = fmax(out[vm->from], end[v]);
    double r0 = sc->nodes[vm->to].initially_on ? 0 : d->boot;
    in[vm->to] = fmax(in[vm->to], end[v] - r0);
    e += mvm_migration_energy(d->mig_alpha, d->mig_beta, data[v]);
  }
  double src = 0; /* the sources' idle energy */
  for (size_t n = 0; n < sc->nnodes; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (nd->initially_on && nd->finally_on)
      e += d->node_idle * cmax;
    else if (nd->initially_on)
      src += d->node_idle * (out[n] + d->shutdown);
    else if (nd->finally_on)
      e += d->node_idle * (1 + d->boot_overhead) * d->boot + d->node_idle * in[n];
  }
  /* sources and booted nodes that share an element cannot all empty (fill) at once */
  src += d->node_idle * node_group_gain(sc, nv, data, work, 0, out);
  e += d->node_idle * node_group_gain(sc, nv, data, work, 1, in);
  /* or, under a power budget, the sources' shutdown ends as late as power and boots make
   * them (boot_delays) */
  double off_sum = 0;
  last_boot_end(sc, nv, end, data, work, out, &off_sum);
  e += fmax(src, d->node_idle * off_sum);
done:
  free(end);
  free(data);
  free(out);
  free(in);
  free(work);
  return tolerant(e, 0);
}
