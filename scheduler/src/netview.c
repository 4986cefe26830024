#include "mvm/netview.h"

#include <stdlib.h>

void mvm_netview_free(mvm_netview* nv)
{
  if (!nv)
    return;
  for (size_t i = 0; i < nv->nelems; i++)
    free(nv->elems[i].name);
  free(nv->elems);
  free(nv->route_elems);
  free(nv->ack_elems);
  free(nv->routes);
  free(nv);
}

int* mvm_ack_users(const mvm_netview* nv, const mvm_scenario* sc)
{
  int* users = calloc(nv->nelems + 1, sizeof(int));
  if (!users)
    return NULL;
  for (size_t v = 0; v < sc->nvms && v < nv->nroutes; v++)
    if (mvm_vm_moves(&sc->vms[v]))
      for (size_t j = 0; j < nv->routes[v].ack_count; j++)
        users[nv->ack_elems[nv->routes[v].ack_first + j]]++;
  return users;
}

double mvm_route_rate_reserving(const mvm_netview* nv, size_t v, const int* users)
{
  const mvm_route* rt = &nv->routes[v];
  double rate = mvm_route_rate(nv, v);
  for (size_t k = 0; k < rt->count; k++) {
    int e = nv->route_elems[rt->first + k];
    int own = 0;
    for (size_t j = 0; j < rt->ack_count; j++)
      own += nv->ack_elems[rt->ack_first + j] == e;
    if (nv->elems[e].shared && users[e] > own)
      rate = fmin(rate, mvm_element_capacity(nv, (size_t)e) / (mvm_route_load(nv, v, e) + nv->ack_factor));
  }
  return rate;
}
