/* mvm — the scheduler's view of the network: blocking elements with capacities and, for
 * every migrating VM, the ordered elements of its route. Built from a SimGrid platform by
 * the adapter (mvm/platform.h); the scheduler core only sees this structure. */
#ifndef MVM_NETVIEW_H
#define MVM_NETVIEW_H

#include "mvm/error.h"
#include "mvm/scenario.h"

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
} mvm_route;

typedef struct mvm_netview {
  mvm_element* elems; /* sorted by name */
  size_t nelems;
  int* route_elems;
  size_t nroute_elems;
  mvm_route* routes; /* one per VM of the scenario, same index */
  size_t nroutes;
  double bw_factor; /* effective flow rate / nominal bandwidth */
} mvm_netview;

void mvm_netview_free(mvm_netview* nv);

/* Effective capacity (bytes/s) the scheduler shares on element e. */
static inline double mvm_element_capacity(const mvm_netview* nv, size_t e)
{
  return nv->elems[e].bandwidth * nv->bw_factor;
}
/* Effective rate of VM v alone on its route (bytes/s). */
static inline double mvm_route_rate(const mvm_netview* nv, size_t v)
{
  return nv->routes[v].bottleneck * nv->bw_factor;
}

#endif
