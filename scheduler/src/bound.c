/* Lower bound on the sum of end times (the MinMTTR objective).
 *
 * Every action ends no earlier than e_j: its release (the destination's boot) plus its
 * duration at the bottleneck rate (sync members: the longest of their group); a shutdown
 * no earlier than its last outgoing migration's e_j plus its duration. That gives
 * LB0 = sum e_j.
 * On a shared element of capacity C, the k-th migration to complete through it has sent
 * at least the k smallest data volumes A_k, so C_[k] >= r_min + A_k / C, and also
 * C_[k] >= the k-th smallest e_j. Summing max of both over the element's migrations, plus
 * e_j for every other action, is a bound for each element; the result is the best one. */
#include "mvm/model.h"
#include "mvm/solver.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

double mvm_lower_bound(const mvm_scenario* sc, const mvm_netview* nv)
{
  size_t nv_ = sc->nvms;
  double* e = calloc(nv_ ? nv_ : 1, sizeof(double));
  double* vol = calloc(nv_ ? nv_ : 1, sizeof(double));
  double* rel = calloc(nv_ ? nv_ : 1, sizeof(double));
  double* last_out = calloc(sc->nnodes ? sc->nnodes : 1, sizeof(double));
  if (!e || !vol || !rel || !last_out) {
    free(e);
    free(vol);
    free(rel);
    free(last_out);
    return -1;
  }
  const mvm_defaults* d = &sc->defaults;
  double base = 0;
  for (size_t v = 0; v < nv_; v++) {
    const mvm_vm* vm = &sc->vms[v];
    if (!mvm_vm_moves(vm))
      continue;
    mvm_precopy_params p;
    mvm_vm_precopy(sc, nv, v, &p);
    double rate = mvm_route_rate(nv, v);
    rel[v] = sc->nodes[vm->to].initially_on ? 0 : d->boot;
    e[v] = rel[v] + mvm_precopy_duration(&p, rate);
    vol[v] = mvm_precopy_data(&p, rate);
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
  for (size_t n = 0; n < sc->nnodes; n++) {
    const mvm_node* nd = &sc->nodes[n];
    if (!nd->initially_on && nd->finally_on)
      base += d->boot;
    if (nd->initially_on && !nd->finally_on)
      base += last_out[n] + d->shutdown;
  }
  double best = base;
  /* per shared element */
  size_t* cnt = calloc(nv->nelems + 1, sizeof(size_t));
  if (cnt) {
    for (size_t v = 0; v < nv_; v++)
      for (size_t k = 0; k < nv->routes[v].count; k++)
        cnt[nv->route_elems[nv->routes[v].first + k] + 1]++;
    for (size_t i = 0; i < nv->nelems; i++)
      cnt[i + 1] += cnt[i];
    size_t total = cnt[nv->nelems];
    int* who = calloc(total ? total : 1, sizeof(int));
    size_t* fill = calloc(nv->nelems ? nv->nelems : 1, sizeof(size_t));
    double* ev = calloc(total ? total : 1, sizeof(double));
    double* av = calloc(total ? total : 1, sizeof(double));
    if (who && fill && ev && av) {
      for (size_t v = 0; v < nv_; v++)
        for (size_t k = 0; k < nv->routes[v].count; k++) {
          int el = nv->route_elems[nv->routes[v].first + k];
          who[cnt[el] + fill[el]++] = (int)v;
        }
      for (size_t el = 0; el < nv->nelems; el++) {
        size_t n = cnt[el + 1] - cnt[el];
        if (n < 2 || !nv->elems[el].shared)
          continue;
        double cap = mvm_element_capacity(nv, el), rmin = INFINITY, sum_e = 0;
        for (size_t i = 0; i < n; i++) {
          int v = who[cnt[el] + i];
          ev[i] = e[v];
          av[i] = vol[v];
          rmin = fmin(rmin, rel[v]);
          sum_e += e[v];
        }
        mvm_qsort(ev, n, sizeof(double), cmp_double);
        mvm_qsort(av, n, sizeof(double), cmp_double);
        double acc = 0, lb = 0;
        for (size_t i = 0; i < n; i++) {
          acc += av[i];
          lb += fmax(rmin + acc / cap, ev[i]);
        }
        if (base - sum_e + lb > best)
          best = base - sum_e + lb;
      }
    }
    free(who);
    free(fill);
    free(ev);
    free(av);
  }
  free(cnt);
  free(e);
  free(vol);
  free(rel);
  free(last_out);
  return best;
}
