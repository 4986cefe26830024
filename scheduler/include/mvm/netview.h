/* mvm — the scheduler's view of the network: blocking elements with capacities and, for
 * every migrating VM, the ordered elements of its route. Built from a SimGrid platform by
 * the adapter (mvm/platform.h); the scheduler core only sees this structure. */
#ifndef MVM_NETVIEW_H
#define MVM_NETVIEW_H

#include "mvm/error.h"
#include "mvm/scenario.h"

#include <math.h>
#include <stddef.h>

typedef struct mvm_element {
  char* name;       /* SimGrid link name (SPLITDUPLEX directions are "<name>_UP"/"_DOWN") */
  double bandwidth; /* nominal, bytes/s */
  double latency;   /* s */
  int shared;       /* 0 for FATPIPE: each flow may use the whole bandwidth, no sharing */
} mvm_element;

typedef struct mvm_route {
  size_t first;      /* index into route_elems */
  size_t count;      /* 0 if the VM does not move */
  double bottleneck; /* smallest nominal bandwidth along the route, bytes/s */
  double latency;    /* sum of latencies, s */
  size_t ack_first;  /* index into ack_elems: the route back, destination -> source */
  size_t ack_count;  /* 0 if the VM does not move or the network sends no acknowledgements */
} mvm_route;

typedef struct mvm_netview {
  mvm_element* elems; /* sorted by name */
  size_t nelems;
  int* route_elems;
  size_t nroute_elems;
  mvm_route* routes; /* one per VM of the scenario, same index */
  size_t nroutes;
  double bw_factor; /* effective flow rate / nominal bandwidth */
  /* SimGrid's cross-traffic (network/crosstraffic, on in LV08): a flow of rate r also
   * loads every element of the route back with ack_factor x r (TCP acknowledgements). */
  int* ack_elems;
  size_t nack_elems;
  double ack_factor;
} mvm_netview;

void mvm_netview_free(mvm_netview* nv);

/* Effective capacity (bytes/s) the scheduler shares on element e. */
static inline double mvm_element_capacity(const mvm_netview* nv, size_t e)
{
  return nv->elems[e].bandwidth * nv->bw_factor;
}
/* What a migration of VM v at rate r puts on element e, per unit of r: one per crossing of
 * its route, ack_factor per crossing of the route back. */
static inline double mvm_route_load(const mvm_netview* nv, size_t v, int e)
{
  const mvm_route* r = &nv->routes[v];
  double w = 0;
  for (size_t k = 0; k < r->count; k++)
    w += nv->route_elems[r->first + k] == e;
  for (size_t k = 0; k < r->ack_count; k++)
    w += nv->ack_factor * (nv->ack_elems[r->ack_first + k] == e);
  return w;
}

/* Effective rate of VM v alone on its route (bytes/s): the bottleneck at the bandwidth
 * factor, less, on a link its acknowledgements also cross (a SHARED link in both
 * directions), the share they take. */
static inline double mvm_route_rate(const mvm_netview* nv, size_t v)
{
  const mvm_route* r = &nv->routes[v];
  double rate = r->bottleneck * nv->bw_factor;
  for (size_t k = 0; k < r->count && r->ack_count; k++) {
    int e = nv->route_elems[r->first + k];
    if (nv->elems[e].shared)
      rate = fmin(rate, mvm_element_capacity(nv, (size_t)e) / mvm_route_load(nv, v, e));
  }
  return rate;
}

/* For each element, how many migrating VMs of sc send acknowledgements through it. NULL
 * if out of memory; the caller frees it. */
int* mvm_ack_users(const mvm_netview* nv, const mvm_scenario* sc);
/* VM v's rate alone (mvm_route_rate) lowered so that, on every shared element of its route
 * that carries acknowledgements of other migrations (users from mvm_ack_users), one
 * migration going the other way at the same rate still fits: the rate at which two
 * opposite migrations can share a full-duplex link. */
double mvm_route_rate_reserving(const mvm_netview* nv, size_t v, const int* users);

#endif
