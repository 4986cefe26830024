/* FATPIPE links that can never limit a migration of the plan, made cheap for SimGrid's solver.
 *
 * Why: SimGrid 3.32's max-min solver (MaxMin::do_solve, src/kernel/lmm/maxmin.cpp) recomputes
 * a FATPIPE constraint's usage by walking every flow of the link each time it fixes the rate
 * of one flow crossing it: n^2 per solve for n concurrent flows. The generated data centres
 * send every migration through four FATPIPE links (backbones and uplinks); with 10,000
 * concurrent migrations that walk was 92 % of a 410 s replay (perf, 339 solves of ~1.1 s).
 *
 * What: such a link keeps its bandwidth and latency (so SimGrid's per-flow bound, the
 * slowest link of the route at the bandwidth factor, and LV08's penalties are unchanged) and
 * its constraint keeps its place and elements in the max-min system; only its sharing
 * policy becomes NONLINEAR with a bound no flow reaches (mvm__sg_link_set_unbounded), which
 * the solver updates in O(1) per flow.
 *
 * When it changes nothing: in MaxMin::do_solve a constraint matters only when its ratio
 * remaining / usage is the smallest (it then saturates and fixes its flows' rates); it is
 * otherwise dropped from the table of candidates when its last flow is fixed, which both
 * forms do at the same step. A FATPIPE link e has ratio bw_e / max(w/p) over its unfixed
 * flows (w: 1 for data, the cross-traffic factor for acknowledgements on the route back; p:
 * LV08's penalty). Let u be the flow reaching that max: if u's route also crosses a shared
 * link s with bw_s < bw_e / w_u (a server link here), s is still a candidate (u is unfixed)
 * and its ratio is at most bw_s p_u < bw_e p_u / w_u, the ratio of e: e is never the
 * smallest, nor tied with it. So e is unbound only if every migration of the plan crossing
 * it (either way) has such a link, with a margin, and w/p stays far above the solver's
 * precision (below it, a FATPIPE link leaves the candidates before its last flow is fixed).
 * The outputs are byte-identical to SimGrid's FATPIPE form (8580307) at scales 10, 100, 300
 * and 1000, and with --keep-fatpipe (tests/e2e/scale.sh). */
#include "replay_internal.h"

#include "mvm/plan.h"

#include <math.h>
#include <stdint.h>
#include <simgrid/link.h>
#include <stdlib.h>
#include <xbt/config.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_CATEGORY(mvm);
XBT_LOG_NEW_DEFAULT_SUBCATEGORY(mvm_fatpipe, mvm, "mvm replay: FATPIPE links that can never bind");

#define MAX_ROUTE 1024
#define ACK_FACTOR 0.05 /* SimGrid 3.32's cross-traffic weight (network_cm02.cpp) */

typedef struct fp_link {
  sg_link_t link;
  int used; /* crossed by a migration, either way */
  int bad;  /* it could limit one: stays FATPIPE */
} fp_link;

typedef struct fp_state {
  fp_link* links;
  size_t n, cap;
} fp_state;

/* The record of a FATPIPE link (its index + 1 kept in the link's data); NULL if out of memory. */
static fp_link* record(fp_state* st, const_sg_link_t cl)
{
  sg_link_t l = (sg_link_t)cl;
  size_t idx = (size_t)(uintptr_t)sg_link_get_data(l);
  if (idx)
    return &st->links[idx - 1];
  if (st->n == st->cap) {
    size_t nc = st->cap ? 2 * st->cap : 16;
    fp_link* nl = realloc(st->links, nc * sizeof *nl);
    if (!nl)
      return NULL;
    st->links = nl;
    st->cap = nc;
  }
  st->links[st->n] = (fp_link){l, 0, 0};
  sg_link_set_data(l, (void*)(uintptr_t)(st->n + 1));
  return &st->links[st->n++];
}

/* Marks the FATPIPE links of one route: a flow of weight w crossing them, whose forward
 * route's slowest shared link is slowest (INFINITY: none) and whose LV08 penalty is pen. */
static int mark(fp_state* st, const const_sg_link_t* links, size_t n, double w, double slowest, double pen,
                double precision)
{
  for (size_t k = 0; k < n; k++) {
    if (mvm__sg_link_policy(links[k]) != MVM__SG_FATPIPE)
      continue;
    fp_link* f = record(st, links[k]);
    if (!f)
      return -1;
    f->used = 1;
    double bw = sg_link_get_bandwidth(links[k]);
    if (!(slowest * w * (1 + 1e-6) < bw) || !(w / pen > 100 * precision))
      f->bad = 1;
  }
  return 0;
}

/* Slowest shared link of a route (INFINITY if none) and the flow's LV08 penalty: the
 * route's latency plus weight-S over each link's bandwidth (network_cm02.cpp). */
static void route_figures(const const_sg_link_t* links, size_t n, double weight_s, double* slowest, double* pen)
{
  *slowest = INFINITY;
  *pen = 0;
  for (size_t k = 0; k < n; k++) {
    double bw = sg_link_get_bandwidth(links[k]);
    *pen += sg_link_get_latency(links[k]) + (weight_s > 0 ? weight_s / bw : 0);
    if (mvm__sg_link_policy(links[k]) == MVM__SG_SHARED && bw > 0)
      *slowest = fmin(*slowest, bw);
  }
}

/* See replay_internal.h. */
int mvm__unbind_fatpipes(const mvm_plan* p, const mvm__sg_hostmap* hmap, size_t* nunbound)
{
  *nunbound = 0;
  fp_state st = {0};
  const_sg_link_t* fwd = malloc(MAX_ROUTE * sizeof *fwd);
  const_sg_link_t* back = malloc(MAX_ROUTE * sizeof *back);
  int rc = fwd && back ? 0 : -1;
  int acks = sg_cfg_get_boolean("network/crosstraffic");
  double weight_s = sg_cfg_get_double("network/weight-S");
  double precision = sg_cfg_get_double("maxmin/precision");
  char why[200];
  for (size_t i = 0; rc == 0 && i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    if (a->kind != MVM_ACT_MIGRATE)
      continue;
    sg_host_t src = mvm__sg_hostmap_get(hmap, a->from), dst = mvm__sg_hostmap_get(hmap, a->to);
    if (!src || !dst || src == dst)
      continue;
    size_t nf = 0, nb = 0;
    if (mvm__sg_route(src, dst, fwd, MAX_ROUTE, &nf, why, sizeof why) ||
        (acks && mvm__sg_route(dst, src, back, MAX_ROUTE, &nb, why, sizeof why))) {
      rc = 1; /* a route SimGrid does not know: leave every link as it is */
      break;
    }
    double slowest, pen;
    route_figures(fwd, nf, weight_s, &slowest, &pen);
    if (!(pen > 0))
      pen = 1e-300; /* no latency, no weight-S: w/p is infinite, far above the precision */
    if (mark(&st, fwd, nf, 1.0, slowest, pen, precision) || mark(&st, back, nb, ACK_FACTOR, slowest, pen, precision))
      rc = -1;
  }
  for (size_t k = 0; k < st.n; k++) {
    sg_link_set_data(st.links[k].link, NULL);
    if (rc == 0 && st.links[k].used && !st.links[k].bad && mvm__sg_link_set_unbounded(st.links[k].link) == 0) {
      XBT_VERB("FATPIPE link %s can never limit a migration of the plan: unbound", sg_link_get_name(st.links[k].link));
      (*nunbound)++;
    } else if (rc == 0 && st.links[k].used)
      XBT_VERB("FATPIPE link %s could limit a migration of the plan: kept", sg_link_get_name(st.links[k].link));
  }
  XBT_VERB("%zu FATPIPE links unbound", *nunbound);
  free(st.links);
  free(fwd);
  free(back);
  return rc < 0 ? -1 : 0;
}
