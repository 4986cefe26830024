/* Adapter: SimGrid platform -> mvm_netview. Routes, bandwidths, latencies and sharing
 * policies all come from SimGrid itself (no second parser of platform files). */
#include "mvm/platform.h"
#include "sgbridge.h"
#include "mvm/units.h"

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/config.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int engine_started;
static double bw_factor_cfg; /* network/bandwidth-factor given with --cfg (0: not given) */

/* The VALUE of the last --cfg=KEY:VALUE in argv, or NULL. */
static const char* cfg_find(int argc, char** argv, const char* key)
{
  size_t n = strlen(key);
  const char* v = NULL;
  for (int i = 1; i < argc; i++)
    if (!strncmp(argv[i], "--cfg=", 6) && !strncmp(argv[i] + 6, key, n) && argv[i][6 + n] == ':')
      v = argv[i] + 7 + n;
  return v;
}

int mvm_platform_load(const mvm_scenario* sc, int* argc, char** argv, mvm_error* err)
{
  if (!engine_started) {
    int one = 1;
    char* fake[] = {(char*)"mvm", NULL};
    char why[600] = "";
    /* SimGrid takes its options out of argv: what was given is read before */
    const char* bw = argc ? cfg_find(*argc, argv, "network/bandwidth-factor") : NULL;
    int given_bw = bw != NULL, given_ct = argc && cfg_find(*argc, argv, "network/crosstraffic");
    if (bw) { /* cli/sgcfg.c let only a number in (0, 1] through */
      char* end;
      double x = strtod(bw, &end);
      bw_factor_cfg = *end == '\0' && x > 0 && x <= 1 ? x : 0;
    }
    struct sigaction saved;
    sigaction(SIGINT, NULL, &saved);
    int ok = mvm__sg_init(argc ? argc : &one, argc ? argv : fake, why, sizeof why) == 0;
    sigaction(SIGINT, &saved, NULL); /* SimGrid installs a SIGINT handler that exits 1 */
    if (!ok) {
      char* nl = strchr(why, '\n'); /* SimGrid follows with the list of every key */
      if (nl)
        *nl = '\0';
      return mvm_err_set(err, MVM_EINPUT, "SimGrid option: %s", why);
    }
    engine_started = 1;
    /* the calibrated network (docs/calibration.md), unless --cfg said otherwise:
     * - TCP payload rate: the scenario's bandwidth-factor (0.941 of the nominal bandwidth with
     *   1500-byte Ethernet frames) replaces LV08's 0.97; the scheduler uses the same value;
     * - no acknowledgement load on the route back: LV08's crosstraffic puts 5 % of every flow
     *   there, real TCP acknowledgements are about 2 % and did not slow the real migrations that
     *   crossed a link in opposite directions (validation/accuracy.sh) */
    if (!given_bw)
      sg_cfg_set_double("network/bandwidth-factor", sc->defaults.bw_factor);
    if (!given_ct)
      sg_cfg_set_boolean("network/crosstraffic", "no");
  }
  /* a regular file only: a FIFO or a terminal would block the reader (O_NONBLOCK: the open
   * itself does not wait for a writer) */
  int fd = open(sc->platform_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  int regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (fd >= 0)
    close(fd);
  if (!regular)
    return mvm_err_set(err, MVM_EINPUT, "%s:1: scenario: platform file '%.200s' cannot be read (or is not a regular file)",
                       sc->path, sc->platform_path);
  int rc = mvm_platform_check(sc->platform_path, err);
  if (rc)
    return rc;
  char why[600] = "";
  struct sigaction saved;
  sigaction(SIGINT, NULL, &saved);
  rc = mvm__sg_load_platform(sc->platform_path, why, sizeof why);
  sigaction(SIGINT, &saved, NULL); /* SimGrid's own SIGINT handler exits 1: the caller's comes back */
  if (rc != 0)
    return mvm_err_set(err, rc == -2 ? MVM_ENOMEM : MVM_EINPUT, "%s: cannot load the platform: %s",
                       sc->platform_path, why);
  return 0;
}

static int node_line(const mvm_scenario* sc, size_t node)
{
  if (sc->nodes[node].line)
    return sc->nodes[node].line;
  for (size_t v = 0; v < sc->nvms; v++)
    if (sc->vms[v].from == (int)node || sc->vms[v].to == (int)node)
      return sc->vms[v].line;
  return 1;
}

typedef struct elem_sort {
  mvm_element e;
  size_t old;
} elem_sort;

static int cmp_elem(const void* a, const void* b)
{
  return strcmp(((const elem_sort*)a)->e.name, ((const elem_sort*)b)->e.name);
}

#define MAX_ROUTE 1024

/* The links met so far: each SimGrid link carries its element index + 1 as its data. */
typedef struct elem_index {
  sg_link_t* seen; /* links whose data we set, to clear it afterwards */
  size_t nseen, capseen, capel;
} elem_index;

/* Index of link l in nv->elems, adding it on first sight; -1 if out of memory. */
static int elem_of(mvm_netview* nv, const_sg_link_t cl, elem_index* ex, mvm_error* err)
{
  sg_link_t l = (sg_link_t)cl;
  uintptr_t idx = (uintptr_t)sg_link_get_data(l);
  if (idx)
    return (int)(idx - 1);
  if (mvm_grow((void**)&nv->elems, &ex->capel, nv->nelems + 1, sizeof(mvm_element), err) ||
      mvm_grow((void**)&ex->seen, &ex->capseen, ex->nseen + 1, sizeof(sg_link_t), err))
    return -1;
  mvm_element* e = &nv->elems[nv->nelems];
  e->name = strdup(sg_link_get_name(l));
  if (!e->name) {
    mvm_err_set(err, MVM_ENOMEM, "out of memory");
    return -1;
  }
  e->bandwidth = sg_link_get_bandwidth(l);
  e->latency = sg_link_get_latency(l);
  e->shared = !mvm__sg_link_is_fatpipe(l);
  nv->nelems++;
  sg_link_set_data(l, (void*)(uintptr_t)nv->nelems);
  ex->seen[ex->nseen++] = l;
  return (int)(nv->nelems - 1);
}

int mvm_netview_build(mvm_scenario* sc, mvm_netview** out, mvm_error* err)
{
  *out = NULL;
  sg_host_t* hosts = calloc(sc->nnodes ? sc->nnodes : 1, sizeof(sg_host_t));
  mvm_netview* nv = calloc(1, sizeof *nv);
  const_sg_link_t* links = calloc(MAX_ROUTE, sizeof(const_sg_link_t));
  elem_index ex = {0};
  size_t capre = 0, capack = 0;
  mvm__sg_hostmap* hmap = NULL;
  int rc = 0;
  if (!hosts || !nv || !links) {
    rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    goto done;
  }
  nv->bw_factor = bw_factor_cfg > 0 ? bw_factor_cfg : sc->defaults.bw_factor;
  /* SimGrid's CM02/LV08 models send 5 % of each flow back when network/crosstraffic is on
   * (a constant of theirs, not a setting) */
  nv->ack_factor = sg_cfg_get_boolean("network/crosstraffic") ? 0.05 : 0.0;
  if (!(hmap = mvm__sg_hostmap_new())) {
    rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < sc->nnodes; i++) {
    mvm_node* nd = &sc->nodes[i];
    hosts[i] = mvm__sg_hostmap_get(hmap, nd->host);
    if (!hosts[i]) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: node '%s': no such host in platform %s", sc->path,
                       node_line(sc, i), nd->host, sc->platform_path);
      goto done;
    }
    if (nd->cores < 0)
      nd->cores = sg_host_core_count(hosts[i]);
    const char* mem = sg_host_get_property_value(hosts[i], "memory");
    if (nd->memory < 0 && mem) {
      char why[256];
      if (mvm_parse_quantity(mem, MVM_UNIT_SIZE, &nd->memory, why, sizeof why) != 0) {
        rc = mvm_err_set(err, MVM_EINPUT, "%s: host '%s': property memory: %s", sc->platform_path,
                         nd->host, why);
        goto done;
      }
    }
  }
  nv->routes = calloc(sc->nvms ? sc->nvms : 1, sizeof(mvm_route));
  if (!nv->routes) {
    rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    goto done;
  }
  nv->nroutes = sc->nvms;
  for (size_t v = 0; v < sc->nvms; v++) {
    const mvm_vm* vm = &sc->vms[v];
    mvm_route* r = &nv->routes[v];
    r->first = nv->nroute_elems;
    if (!mvm_vm_moves(vm))
      continue;
    size_t count = 0;
    char why[600] = "";
    if (mvm__sg_route(hosts[vm->from], hosts[vm->to], links, MAX_ROUTE, &count, why, sizeof why) != 0 ||
        count == 0) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: vm '%s': no route from '%s' to '%s' in %s%s%s", sc->path,
                       vm->line, vm->id, sc->nodes[vm->from].host, sc->nodes[vm->to].host,
                       sc->platform_path, why[0] ? ": " : "", why);
      goto done;
    }
    if (mvm_grow((void**)&nv->route_elems, &capre, nv->nroute_elems + count, sizeof(int), err)) {
      rc = MVM_ENOMEM;
      goto done;
    }
    r->bottleneck = -1;
    for (size_t k = 0; k < count; k++) {
      int idx = elem_of(nv, links[k], &ex, err);
      if (idx < 0) {
        rc = MVM_ENOMEM;
        goto done;
      }
      const mvm_element* e = &nv->elems[idx];
      nv->route_elems[nv->nroute_elems++] = idx;
      if (r->bottleneck < 0 || e->bandwidth < r->bottleneck)
        r->bottleneck = e->bandwidth;
      r->latency += e->latency;
    }
    r->count = count;
    /* the acknowledgements' way back (checked by SimGrid at every communication: a
     * platform without it cannot run the migration) */
    r->ack_first = nv->nack_elems;
    if (nv->ack_factor > 0) {
      if (mvm__sg_route(hosts[vm->to], hosts[vm->from], links, MAX_ROUTE, &count, why, sizeof why) != 0 ||
          count == 0) {
        rc = mvm_err_set(err, MVM_EINPUT,
                         "%s:%d: vm '%s': no route back from '%s' to '%s' in %s (SimGrid sends the "
                         "acknowledgements that way; declare the route symmetrical)%s%s",
                         sc->path, vm->line, vm->id, sc->nodes[vm->to].host, sc->nodes[vm->from].host,
                         sc->platform_path, why[0] ? ": " : "", why);
        goto done;
      }
      if (mvm_grow((void**)&nv->ack_elems, &capack, nv->nack_elems + count, sizeof(int), err)) {
        rc = MVM_ENOMEM;
        goto done;
      }
      for (size_t k = 0; k < count; k++) {
        int idx = elem_of(nv, links[k], &ex, err);
        if (idx < 0) {
          rc = MVM_ENOMEM;
          goto done;
        }
        nv->ack_elems[nv->nack_elems++] = idx;
      }
      r->ack_count = count;
    }
  }
  /* sort elements by name so that everything downstream is independent of SimGrid's order */
  {
    elem_sort* es = calloc(nv->nelems ? nv->nelems : 1, sizeof(elem_sort));
    size_t* remap = calloc(nv->nelems ? nv->nelems : 1, sizeof(size_t));
    if (!es || !remap) {
      free(es);
      free(remap);
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < nv->nelems; i++) {
      es[i].e = nv->elems[i];
      es[i].old = i;
    }
    mvm_qsort(es, nv->nelems, sizeof(elem_sort), cmp_elem);
    for (size_t i = 0; i < nv->nelems; i++) {
      nv->elems[i] = es[i].e;
      remap[es[i].old] = i;
    }
    for (size_t i = 0; i < nv->nroute_elems; i++)
      nv->route_elems[i] = (int)remap[nv->route_elems[i]];
    for (size_t i = 0; i < nv->nack_elems; i++)
      nv->ack_elems[i] = (int)remap[nv->ack_elems[i]];
    free(es);
    free(remap);
  }
done:
  for (size_t i = 0; i < ex.nseen; i++)
    sg_link_set_data(ex.seen[i], NULL);
  free(ex.seen);
  free(links);
  free(hosts);
  if (hmap)
    mvm__sg_hostmap_free(hmap);
  if (rc) {
    mvm_netview_free(nv);
    return rc;
  }
  *out = nv;
  return 0;
}
