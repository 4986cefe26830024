/* Boots against the migrations' power under a budget.
 *
 * A migration draws alpha x its rate while it sends, so at any instant t the data through a
 * shared element flows at most at
 *   min(cap, (s0 - pb b(t) + credit d(t) + idle off(t)) / alpha)
 * with b(t) the boots started, d(t) those ended, off(t) the sources off (their shutdown
 * ended). A plan that starts its boots early leaves its migrations little power and slows
 * them; one that keeps the element full boots late. The sum's other terms see each side
 * alone (boot_delays: boots as early as power allows with no migration; the element terms:
 * migrations at full capacity), this one the trade-off.
 *
 * For any plan, with b its boot profile and V = sum w_j C_j over the element's migrations:
 *  - each boot starts no earlier than its least start s[k] (boot_delays), so b(t) <= B(t);
 *  - V >= vfloor (the element terms), and V >= F(b): the preemptive schedule that runs, at
 *    every instant, the job of largest w/p at the speed above (Smith's ratio rule; with a
 *    varying speed it still pairs the largest densities with the earliest work, so it
 *    minimises sum w_j M_j, M_j the mean time of j's data) plus sum w_j own_j (the data of
 *    j flows at most at its own rate, so C_j >= M_j + own_j). In the ratio order, with
 *    Q(t) the work done by t (in seconds of the element at full capacity) and R(Q) the
 *    weight of the work not yet done (each job's weight times its fraction left, convex
 *    and decreasing), sum w_j M_j = r0 sum w + integral from r0 of R(Q(t)) dt.
 * So (sum of the starts) + V >= min over b of [sum starts + max(vfloor, F(b))]
 *   >= max over theta in [0, 1] of min over b of [sum starts + theta F(b)] + (1 - theta) vfloor.
 * For each theta the minimum is a dynamic programme over time slots of DT: in slot i boots
 * started in it are charged the slot's start (no later than theirs), the data flows at most
 * at the speed with the boots started before the slot, the boots ended by its end (no more
 * than those started and than B(t - boot)) and the sources off by its end (u), so the work
 * done stays at most the programme's and each slot's R integral (along the straight line of
 * that speed) at least the plan's. Per (slot, boots started) the labels (cost, work done)
 * that no other beats on both are kept, at most LABELS (the two closest in cost merged into
 * the better of each: a relaxation). The sources off by a slot's end are also at most those
 * whose data the work done by its start (plus the slot beyond the shutdown) can hold: a
 * source that sends through the element empties no faster than the element, slowed or not;
 * and at most cover[the boots ended by lag before its end] (mvm__source_cover, below: a
 * source goes off only once its VMs have moved to nodes that are up, each after its node's
 * boot, the last one a shutdown before).
 * Past the horizon H (every boot may have started and the element runs full with every boot
 * started and none ended, or every source that can be off is, plus the time to carry all the
 * work at full speed), the boots not started start at H at least and the work left runs at
 * most at the speed with the boots started by H, ended, and every source off. The boots'
 * ends are bounded by boot_delays' (b(t) <= B(t)) only, not by this programme's own starts.
 * Nine theta values (2^-k), then GOLDEN golden-section steps around the best when the work
 * allows; its work grows as the boots squared: skipped beyond WORK_MAX (about 17 boots on
 * the decommission; the golden steps about 13).
 * With releases (mvm__pjob.rd: in any plan, at most as many jobs of a kind are released
 * with d boots ended as have rd <= d) the weight of the work not done is also at least the
 * weight of the jobs not released plus R over those released, and the work done at most
 * theirs; with bp->cov, vfloor also holds the starts of the boots it marks (boots_gain). */
#include "bound_power.h"

#include "mvm/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LABELS 32
#define STRIDE (LABELS + 1) /* one more while adding */
#define SLOTS_MAX 4000
#define THETAS 9       /* theta = 2^-k, k = 0..THETAS-1 */
#define GOLDEN 4       /* then golden-section steps around the best */
#define WORK_MAX 1e8 /* label steps at most (about 0.2 s) */

typedef struct lab {
  double c, q;
} lab;

/* The work axis in the ratio order: n + 1 breakpoints wq, R and S (the integral of R from 0)
 * at each, and each job's density. */
typedef struct fluid {
  size_t n;
  double *wq, *r, *s, *rho;
} fluid;

static int cmp_pjob(const void* a, const void* b)
{
  const mvm__pjob *x = a, *y = b;
  double l = x->p * y->w, r = y->p * x->w; /* x before y if p_x / w_x < p_y / w_y */
  return (l > r) - (l < r);
}

static size_t seg(const fluid* f, double q)
{
  size_t lo = 0, hi = f->n; /* wq[lo] <= q < wq[hi] */
  while (hi - lo > 1) {
    size_t m = (lo + hi) / 2;
    if (f->wq[m] <= q)
      lo = m;
    else
      hi = m;
  }
  return lo;
}

static double r_at(const fluid* f, double q)
{
  if (q >= f->wq[f->n])
    return 0;
  size_t i = seg(f, q);
  return fmax(0, f->r[i] - f->rho[i] * (q - f->wq[i]));
}

static double s_at(const fluid* f, double q)
{
  if (q >= f->wq[f->n])
    return f->s[f->n];
  size_t i = seg(f, q);
  double x = q - f->wq[i];
  return f->s[i] + f->r[i] * x - f->rho[i] * x * x / 2;
}

/* Adds (c, q) to the labels l[0..*n) (ascending q, then ascending c: none beats another). */
static void add_label(lab* l, size_t* n, double c, double q)
{
  size_t k = *n, i;
  for (i = 0; i < k; i++)
    if (l[i].q >= q && l[i].c <= c)
      return; /* beaten */
  /* drop those it beats, insert in q order */
  size_t m = 0;
  for (i = 0; i < k; i++)
    if (!(l[i].q <= q && l[i].c >= c))
      l[m++] = l[i];
  k = m;
  for (i = k; i > 0 && l[i - 1].q > q; i--)
    l[i] = l[i - 1];
  l[i] = (lab){c, q};
  k++;
  while (k > LABELS) { /* merge the two closest in cost into the better of each */
    size_t best = 0;
    for (i = 1; i + 1 < k; i++)
      if (l[i + 1].c - l[i].c < l[best + 1].c - l[best].c)
        best = i;
    l[best] = (lab){fmin(l[best].c, l[best + 1].c), l[best + 1].q};
    memmove(l + best + 1, l + best + 2, (k - best - 2) * sizeof(lab));
    k--;
    m = 0; /* the merged label may beat its neighbours */
    for (i = 0; i < k; i++)
      if (i == best || !(l[i].q <= l[best].q && l[i].c >= l[best].c))
        l[m++] = l[i];
    k = m;
  }
  *n = k;
}

static size_t count_le(const double* a, size_t n, double t)
{
  size_t lo = 0, hi = n; /* first index with a[i] > t */
  while (lo < hi) {
    size_t m = (lo + hi) / 2;
    if (a[m] <= t)
      lo = m + 1;
    else
      hi = m;
  }
  return lo;
}

static size_t count_lt(const double* a, size_t n, double t)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t m = (lo + hi) / 2;
    if (a[m] < t)
      lo = m + 1;
    else
      hi = m;
  }
  return lo;
}

/* The integral of R from q at speed v (> 0) for len seconds, q never beyond qmax (the work
 * released): along the straight line up to qmax, then flat. Its end to *qend. */
static double slot_cost(const fluid* f, double q, double v, double len, double qmax, double* qend)
{
  double q2 = fmax(q, fmin(qmax, q + v * len));
  *qend = q2;
  double c = (s_at(f, q2) - s_at(f, q)) / v + fmax(0, len - (q2 - q) / v) * r_at(f, q2);
  return fmin(c, len * r_at(f, q)); /* R falls: never more than at q throughout (rounding) */
}

/* The fluid of the jobs released once d boots have ended (rd <= d; jobs in the ratio order)
 * into f (arrays of n + 1), and the weight of those with work not yet released to *u (jobs
 * without work are done at once: r0 + own, in fixed). */
static void fluid_of(const mvm__pjob* jobs, size_t n, size_t d, fluid* f, double* u)
{
  double sw = 0, un = 0;
  for (size_t j = 0; j < n; j++)
    if (jobs[j].p > 0)
      *(jobs[j].rd <= d ? &sw : &un) += jobs[j].w;
  size_t m = 0;
  f->wq[0] = f->s[0] = 0;
  for (size_t j = 0; j < n; j++) {
    if (!(jobs[j].p > 0) || jobs[j].rd > d)
      continue;
    f->wq[m + 1] = f->wq[m] + jobs[j].p;
    f->rho[m] = jobs[j].w / jobs[j].p;
    f->r[m] = sw;
    f->s[m + 1] = f->s[m] + jobs[j].p * (sw - jobs[j].w / 2);
    sw -= jobs[j].w;
    m++;
  }
  f->n = m;
  f->r[m] = 0;
  *u = un;
}

/* min over b of [sum starts + theta F(b)] - theta (r0 sum w + sum w own), or NAN when out
 * of memory; the k-th boot's start weighs wp[k + 1] - wp[k] (1, or theta for those bp->cov
 * marks). fd[d], ud[d] (NULL: every job released from r0): the fluid of the jobs released
 * once d boots have ended and the weight of the others; f = fd[nb], all of them. With at
 * most d boots ended, the weight of the work not done is at least R(Q) over every job, and
 * at least the weight not released plus R over those released, and the work done Q is at
 * most what they hold: the larger of the two integrals counts. */
static double programme(const mvm__boot_power* bp, const fluid* f, const fluid* fd, const double* ud, double cap,
                        double r0, double theta, double h, size_t slots, double dt, const double* wp, lab* cur,
                        size_t* ncur, lab* nxt, size_t* nnxt)
{
  size_t nb = bp->nb;
  double W = f->wq[f->n], sw = f->s[f->n];
  for (size_t b = 0; b <= nb; b++)
    ncur[b] = 0;
  cur[0] = (lab){0, 0};
  ncur[0] = 1;
  for (size_t i = 0; i < slots; i++) {
    double t = (double)i * dt, t1 = t + dt;
    size_t bc = count_lt(bp->s, nb, t1);            /* boots that may have started in the slot */
    size_t db = count_le(bp->s, nb, t1 - bp->boot); /* ... ended by its end */
    size_t dbl = count_le(bp->s, nb, t1 - bp->boot - bp->lag); /* ... by lag before */
    size_t outside = count_le(bp->uo, bp->nuo, t1), inside = count_le(bp->ui, bp->nui, t1);
    double len = t1 - fmax(t, r0); /* the part of the slot where data may flow */
    for (size_t b = 0; b <= nb; b++)
      nnxt[b] = 0;
    for (size_t b = 0; b <= nb; b++)
      for (size_t k = 0; k < ncur[b]; k++) {
        lab L = cur[b * STRIDE + k];
        /* a source off by t1 sent all its data by t1 - shutdown, so within the work done
         * by t and, if the slot is longer than the shutdown, at full speed since */
        double qoff = L.q + fmax(0, dt - bp->shutdown);
        size_t sent = count_le(bp->dg, bp->ndg, qoff * cap * (1 + 1e-9));
        double off0 = (double)(outside + (inside < sent ? inside : sent));
        for (size_t b2 = b; b2 <= (bc > b ? bc : b); b2++) {
          size_t de = b2 < db ? b2 : db, dl = b2 < dbl ? b2 : dbl;
          double d = (double)de, off = bp->cover ? fmin(off0, bp->cover[dl]) : off0;
          double p = bp->s0 - bp->pb * (double)b + bp->credit * d + bp->idle * off;
          double v = fmin(1, fmax(0, p / (bp->j_per_byte * cap)));
          double c = L.c + (wp[b2] - wp[b]) * t, q = L.q;
          if (len > 0) {
            const fluid* g = fd ? &fd[de] : f;
            double qmax = fmin(W, g->wq[g->n]);
            if (v > 0) {
              double q2, q3, all = slot_cost(f, q, v, len, qmax, &q2);
              double rel = fd ? ud[de] * len + slot_cost(g, fmin(q, qmax), v, len, qmax, &q3) : 0;
              c += theta * fmax(all, rel);
              q = q2;
            } else
              c += theta * len * fmax(r_at(f, q), fd ? ud[de] + r_at(g, fmin(q, qmax)) : 0);
          }
          add_label(nxt + b2 * STRIDE, &nnxt[b2], c, q);
        }
      }
    memcpy(cur, nxt, (nb + 1) * STRIDE * sizeof(lab));
    memcpy(ncur, nnxt, (nb + 1) * sizeof(size_t));
  }
  /* past h: the boots not started start at h at least; the data flows at most at the speed
   * with b boots started, all ended, and every source that can be off off (0: no plan
   * reaches h with b boots started and data left) */
  double best = INFINITY;
  for (size_t b = 0; b <= nb; b++) {
    /* (boots may still start after h: cover with all of them ended, the largest) */
    double nu = bp->cover ? fmin((double)bp->nu, bp->cover[bp->nb]) : (double)bp->nu;
    double p = bp->s0 - (bp->pb - bp->credit) * (double)b + bp->idle * nu;
    double v = fmin(1, fmax(0, p / (bp->j_per_byte * cap)));
    for (size_t k = 0; k < ncur[b]; k++) {
      lab L = cur[b * STRIDE + k];
      double left = sw - s_at(f, L.q);
      if (left > 0 && !(v > 0))
        continue;
      best = fmin(best, L.c + (wp[nb] - wp[b]) * h + (left > 0 ? theta * left / v : 0));
    }
  }
  return best;
}

/* What the programme runs on, the same for every theta (wp: its scratch). */
typedef struct dp_ctx {
  const mvm__boot_power* bp;
  const fluid *f, *fd;
  const double* ud;
  double cap, r0, h, dt, fixed, vfloor;
  size_t slots;
  double* wp;
  lab *cur, *nxt;
  size_t *ncur, *nnxt;
} dp_ctx;

/* The bound at one theta: V >= F(b) and V (plus the starts of the boots bp->cov marks) >=
 * vfloor, so the sum of the starts plus V is at least theta (the marked starts + F(b)) + the
 * other starts + (1 - theta) vfloor; -INFINITY when out of memory. */
static double at_theta(const dp_ctx* x, double theta)
{
  const mvm__boot_power* bp = x->bp;
  x->wp[0] = 0;
  for (size_t b = 0; b < bp->nb; b++)
    x->wp[b + 1] = x->wp[b] + (bp->cov && bp->cov[b] ? theta : 1);
  double v = programme(bp, x->f, x->fd, x->ud, x->cap, x->r0, theta, x->h, x->slots, x->dt, x->wp, x->cur, x->ncur,
                       x->nxt, x->nnxt);
  return isfinite(v) ? v + theta * x->fixed + (1 - theta) * x->vfloor : -INFINITY;
}

double mvm__boot_power_bound(const mvm__boot_power* bp, mvm__pjob* jobs, size_t n, double cap, double r0,
                             double vfloor)
{
  double starts = 0; /* of the boots whose starts vfloor does not hold */
  for (size_t k = 0; k < bp->nb; k++)
    starts += bp->cov && bp->cov[k] ? 0 : bp->s[k];
  double result = vfloor + starts;
  if (bp->nb == 0 || n == 0 || !(cap > 0) || !(bp->j_per_byte > 0) || !(bp->idle > 0) || !isfinite(r0))
    return result;
  /* the horizon: every boot may have started, and the element runs full even with every
   * boot started and none ended, or else every source that can be off is */
  double need = (bp->j_per_byte * cap - bp->s0 + bp->pb * (double)bp->nb) / bp->idle;
  if (need <= 0)
    return result; /* power never slows the element */
  size_t ui = (size_t)ceil(need);
  if (ui > bp->nu)
    ui = bp->nu;
  double work = 0; /* and the time to carry every job at full speed after that */
  for (size_t j = 0; j < n; j++)
    work += jobs[j].p > 0 ? jobs[j].p : 0;
  double h = fmax(ui ? bp->u[ui - 1] : 0, fmax(bp->s[bp->nb - 1], r0)) + work;
  double dt = fmax(1.0, h / SLOTS_MAX);
  size_t slots = (size_t)ceil(h / dt);
  h = (double)slots * dt;
  fluid f = {0}, *fd = NULL;
  double *ud = NULL, *fa = NULL;
  double per_theta = (double)slots * (double)(bp->nb + 1) * (double)(bp->nb + 1) * LABELS;
  if (per_theta * THETAS > WORK_MAX)
    return result; /* too many boots for the programme: left to the other terms */
  f.wq = calloc(n + 1, sizeof(double));
  f.r = calloc(n + 1, sizeof(double));
  f.s = calloc(n + 1, sizeof(double));
  f.rho = calloc(n + 1, sizeof(double));
  double* wp = calloc(bp->nb + 1, sizeof(double));
  lab* cur = calloc((bp->nb + 1) * STRIDE, sizeof(lab));
  lab* nxt = calloc((bp->nb + 1) * STRIDE, sizeof(lab));
  size_t* ncur = calloc(bp->nb + 1, sizeof(size_t));
  size_t* nnxt = calloc(bp->nb + 1, sizeof(size_t));
  if (!f.wq || !f.r || !f.s || !f.rho || !wp || !cur || !nxt || !ncur || !nnxt)
    goto out;
  mvm_qsort(jobs, n, sizeof(mvm__pjob), cmp_pjob);
  double sw = 0, fixed = 0;
  for (size_t j = 0; j < n; j++) {
    sw += jobs[j].w;
    fixed += jobs[j].w * jobs[j].own;
  }
  fixed += r0 * sw;
  /* breakpoints: jobs with work, in the ratio order; with releases, one fluid per number of
   * boots ended (out of memory: none, still a bound) */
  size_t late = 0;
  for (size_t j = 0; j < n; j++)
    late += jobs[j].p > 0 && jobs[j].rd > 0;
  double u0;
  fluid_of(jobs, n, bp->nb, &f, &u0);
  if (f.n == 0)
    goto out;
  if (late && (fd = calloc(bp->nb + 1, sizeof(fluid))) && (ud = calloc(bp->nb + 1, sizeof(double))) &&
      (fa = calloc(4 * (bp->nb + 1) * (n + 1), sizeof(double))))
    for (size_t d = 0; d <= bp->nb; d++) {
      double* a = fa + 4 * d * (n + 1);
      fd[d] = (fluid){0, a, a + (n + 1), a + 2 * (n + 1), a + 3 * (n + 1)};
      fluid_of(jobs, n, d, &fd[d], &ud[d]);
    }
  else {
    free(fd);
    fd = NULL;
  }
  dp_ctx dx = {bp, &f, fd, ud, cap, r0, h, dt, fixed, vfloor, slots, wp, cur, nxt, ncur, nnxt};
  /* theta on the grid 2^-k, then golden-section refinement around the best: the value is
   * a minimum of functions affine in theta (each boot profile's), so concave; each theta
   * gives a bound, the refinement only a closer one */
  double tbest = -INFINITY;
  int kbest = 0;
  for (int k = 0; k < THETAS; k++) {
    double v = at_theta(&dx, ldexp(1.0, -k));
    if (v > tbest)
      tbest = v, kbest = k;
  }
  if (isfinite(tbest) && per_theta * (THETAS + GOLDEN + 2) <= WORK_MAX) {
    double lo = ldexp(1.0, -(kbest + 1 < THETAS ? kbest + 1 : kbest)), hi = ldexp(1.0, -(kbest > 0 ? kbest - 1 : 0));
    const double gr = 0.6180339887498949;
    double x1 = hi - gr * (hi - lo), x2 = lo + gr * (hi - lo);
    double f1 = at_theta(&dx, x1);
    double f2 = at_theta(&dx, x2);
    for (int it = 0; it < GOLDEN; it++) {
      if (f1 >= f2) {
        hi = x2, x2 = x1, f2 = f1, x1 = hi - gr * (hi - lo);
        f1 = at_theta(&dx, x1);
      } else {
        lo = x1, x1 = x2, f1 = f2, x2 = lo + gr * (hi - lo);
        f2 = at_theta(&dx, x2);
      }
    }
    tbest = fmax(tbest, fmax(f1, f2));
  }
  result = fmax(result, tbest);
out:
  free(fd);
  free(ud);
  free(fa);
  free(wp);
  free(f.wq);
  free(f.r);
  free(f.s);
  free(f.rho);
  free(cur);
  free(nxt);
  free(ncur);
  free(nnxt);
  return result;
}

/* cover[j], j = 0..nb: the most sources that shut down whose migrations all go to nodes
 * that do not boot or to some j of the nb nodes that boot (a source goes off only once each
 * of its migrations has ended, into a node up by then). Exact when nb <= COVER_EXACT (sums
 * over submasks), else the sources that need at most j distinct boots; INFINITY (no limit)
 * when out of memory. */
#define COVER_EXACT 18
typedef struct pair2 {
  size_t a, b;
} pair2;

static int cmp_pair2(const void* x, const void* y)
{
  const pair2 *p = x, *q = y;
  if (p->a != q->a)
    return (p->a > q->a) - (p->a < q->a);
  return (p->b > q->b) - (p->b < q->b);
}

void mvm__source_cover(const mvm_scenario* sc, size_t nb, double* cover)
{
  size_t nn = sc->nnodes;
  size_t* bidx = calloc(nn + 1, sizeof(size_t));  /* a node that boots: 1 + its index */
  size_t* cnt = calloc(nn + 1, sizeof(size_t));   /* a source: the distinct boots it needs (nb > COVER_EXACT) */
  uint32_t* need = calloc(nn + 1, sizeof(uint32_t)); /* ... as a mask (nb <= COVER_EXACT) */
  size_t* hist = calloc(nb + 2, sizeof(size_t));
  int exact = nb <= COVER_EXACT;
  uint32_t* g = exact ? calloc((size_t)1 << nb, sizeof(uint32_t)) : NULL;
  for (size_t j = 0; j <= nb; j++)
    cover[j] = INFINITY;
  if (!bidx || !cnt || !need || !hist || (exact && !g))
    goto out;
  size_t k = 0;
  for (size_t n = 0; n < nn; n++)
    if (!sc->nodes[n].initially_on && sc->nodes[n].finally_on)
      bidx[n] = ++k;
  for (size_t v = 0; exact && v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    size_t from = (size_t)vm->from, to = (size_t)vm->to;
    size_t b = vm->to >= 0 && to < nn ? bidx[to] : 0;
    if (mvm_vm_moves(vm) && b > 0 && vm->from >= 0 && from < nn)
      need[from] |= 1u << (b - 1);
  }
  if (!exact) { /* distinct (source, boot) pairs, sorted */
    size_t np = 0;
    pair2* pr = calloc(sc->nvms + 1, sizeof(pair2));
    if (!pr)
      goto out;
    for (size_t v = 0; v < sc->nvms; v++) {
      const mvm_vm* vm = &sc->vms[v];
      if (mvm_vm_moves(vm) && vm->to >= 0 && (size_t)vm->to < nn && bidx[vm->to] && vm->from >= 0 &&
          (size_t)vm->from < nn)
        pr[np++] = (pair2){(size_t)vm->from, (size_t)vm->to};
    }
    mvm_qsort(pr, np, sizeof(pair2), cmp_pair2);
    for (size_t i = 0; i < np; i++)
      if (i == 0 || pr[i].a != pr[i - 1].a || pr[i].b != pr[i - 1].b)
        cnt[pr[i].a]++;
    free(pr);
  }
  if (exact) {
    size_t full = (size_t)1 << nb;
    for (size_t n = 0; n < nn; n++)
      if (sc->nodes[n].initially_on && !sc->nodes[n].finally_on)
        g[need[n]]++;
    for (size_t i = 0; i < nb; i++) /* g[m]: the sources whose mask is within m */
      for (size_t m = 0; m < full; m++)
        if (m & ((size_t)1 << i))
          g[m] += g[m ^ ((size_t)1 << i)];
    for (size_t j = 0; j <= nb; j++)
      cover[j] = 0;
    for (size_t m = 0; m < full; m++) {
      size_t j = (size_t)__builtin_popcountll((unsigned long long)m);
      cover[j] = fmax(cover[j], (double)g[m]);
    }
    goto out;
  }
  for (size_t n = 0; n < nn; n++)
    if (sc->nodes[n].initially_on && !sc->nodes[n].finally_on)
      hist[cnt[n] <= nb ? cnt[n] : nb + 1]++;
  double acc = 0;
  for (size_t j = 0; j <= nb; j++) {
    acc += (double)hist[j];
    cover[j] = acc;
  }
out:
  free(bidx);
  free(cnt);
  free(need);
  free(hist);
  free(g);
}
