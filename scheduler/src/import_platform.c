/* A SimGrid platform from a BtrPlace instance's network view (import_internal.h): one
 * full-duplex link per node or switch uplink, switches of bounded capacity as one SHARED link,
 * and the shortest route between every pair of linked nodes. */
#include "import_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NP "$.origin.views[net]"
#define MAX_NET_LINKS 100000 /* links and switches of a network view */
#define MAX_HOPS 256

typedef struct netlink {
  long id;
  int a, b; /* vertices: a = the physical element, b = its switch */
} netlink;

/* The view as a graph: vertices are the nodes (0..nnodes-1), then the switches. */
typedef struct netgraph {
  size_t nsw, nl, nv;
  long* swid;
  double* swcap; /* Mb/s, <= 0: unbounded (a router only) */
  netlink* L;
  double* lcap; /* Mb/s */
  size_t* deg;  /* CSR: the links of vertex v are adj[deg[v] .. deg[v+1]) */
  int* adj;
} netgraph;

static void graph_free(netgraph* g)
{
  free(g->swid);
  free(g->swcap);
  free(g->L);
  free(g->lcap);
  free(g->deg);
  free(g->adj);
}

/* Reads the switches (ids and capacities). */
static int read_switches(ctx* c, json_t* sws, netgraph* g)
{
  char p[1024];
  int rc = 0;
  for (size_t i = 0; i < g->nsw && !rc; i++) {
    json_t* s = json_array_get(sws, i);
    mvm__imp_subpath(p, sizeof p, NP ".switches", NULL, i);
    g->swcap[i] = -1;
    if (!json_is_object(s))
      rc = mvm__imp_bad(c, p, "expected an object");
    else if (!(rc = mvm__imp_get_id(c, s, p, "id", &g->swid[i])) &&
             !(rc = mvm__imp_get_num(c, s, p, "capacity", 1, -1, 1e9, &g->swcap[i])))
      for (size_t j = 0; j < i && !rc; j++)
        if (g->swid[j] == g->swid[i])
          rc = mvm__imp_bad(c, p, "switch %ld is listed twice", g->swid[i]);
  }
  return rc;
}

/* Reads link i: its capacity, its switch and its physical element (a node or a switch). */
static int read_link(ctx* c, json_t* l, size_t i, netgraph* g)
{
  char p[1024], q[1024];
  json_t *pe, *type;
  long sw, pid;
  int rc;
  netlink* L = &g->L[i];
  mvm__imp_subpath(p, sizeof p, NP ".links", NULL, i);
  if (!json_is_object(l))
    return mvm__imp_bad(c, p, "expected an object");
  if ((rc = mvm__imp_get_id(c, l, p, "id", &L->id)) ||
      (rc = mvm__imp_get_num(c, l, p, "capacity", 1, 1e-3, 1e9, &g->lcap[i])) ||
      (rc = mvm__imp_get_id(c, l, p, "switch", &sw)) ||
      (rc = mvm__imp_get(c, l, p, "physicalElement", JSON_OBJECT, 1, &pe)))
    return rc;
  mvm__imp_subpath(q, sizeof q, p, "physicalElement", 0);
  if ((rc = mvm__imp_get_id(c, pe, q, "id", &pid)) || (rc = mvm__imp_get(c, pe, q, "type", JSON_STRING, 1, &type)))
    return rc;
  const char* t = json_string_value(type);
  L->a = L->b = -1;
  for (size_t j = 0; j < g->nsw; j++) {
    if (g->swid[j] == sw)
      L->b = (int)(c->nnodes + j);
    if (!strcmp(t, "switch") && g->swid[j] == pid)
      L->a = (int)(c->nnodes + j);
  }
  if (!strcmp(t, "node")) {
    node_t* n = mvm__imp_find_node(c, pid);
    if (n) {
      L->a = (int)(n - c->nodes);
      n->linked = 1;
    }
  } else if (strcmp(t, "switch") != 0)
    return mvm__imp_bad(c, q, "type '%.40s' is neither node nor switch", t);
  for (size_t j = 0; j < i; j++)
    if (g->L[j].id == L->id)
      return mvm__imp_bad(c, p, "link %ld is listed twice", L->id);
  if (L->b < 0)
    return mvm__imp_bad(c, p, "switch %ld is not in the network view", sw);
  if (L->a < 0)
    return mvm__imp_bad(c, q, "%s %ld is not in the %s", t, pid, strcmp(t, "node") ? "network view" : "mapping");
  if (L->a == L->b)
    return mvm__imp_bad(c, p, "links switch %ld to itself", sw);
  return 0;
}

/* Reads the view into g (allocated here; graph_free). */
static int read_graph(ctx* c, json_t* sws, json_t* lks, netgraph* g)
{
  memset(g, 0, sizeof *g);
  g->nsw = json_array_size(sws);
  g->nl = json_array_size(lks);
  g->nv = c->nnodes + g->nsw;
  if (g->nsw + g->nl > MAX_NET_LINKS)
    return mvm__imp_bad(c, NP, "more than %d links and switches", MAX_NET_LINKS);
  g->swid = calloc(g->nsw + 1, sizeof *g->swid);
  g->swcap = calloc(g->nsw + 1, sizeof *g->swcap);
  g->L = calloc(g->nl + 1, sizeof *g->L);
  g->lcap = calloc(g->nl + 1, sizeof *g->lcap);
  g->deg = calloc(g->nv + 2, sizeof *g->deg);
  g->adj = calloc(2 * g->nl + 1, sizeof *g->adj);
  size_t* fill = calloc(g->nv + 1, sizeof *fill);
  int rc = 0;
  if (!g->swid || !g->swcap || !g->L || !g->lcap || !g->deg || !g->adj || !fill)
    rc = mvm_err_set(c->err, MVM_ENOMEM, "out of memory");
  if (!rc)
    rc = read_switches(c, sws, g);
  for (size_t i = 0; i < g->nl && !rc; i++)
    rc = read_link(c, json_array_get(lks, i), i, g);
  if (!rc) { /* adjacency (CSR): link indices per vertex */
    for (size_t i = 0; i < g->nl; i++) {
      g->deg[g->L[i].a + 1]++;
      g->deg[g->L[i].b + 1]++;
    }
    for (size_t v = 0; v < g->nv; v++)
      g->deg[v + 1] += g->deg[v];
    for (size_t i = 0; i < g->nl; i++) {
      g->adj[g->deg[g->L[i].a] + fill[g->L[i].a]++] = (int)i;
      g->adj[g->deg[g->L[i].b] + fill[g->L[i].b]++] = (int)i;
    }
  }
  free(fill);
  return rc;
}

/* The hosts, links and switch links of the platform. */
static void write_elements(const ctx* c, const netgraph* g, FILE* fp)
{
  fprintf(fp, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
              "<!-- Generated by mvm import btrplace from the instance's network view: one full-duplex\n"
              "     link per node or switch uplink (SPLITDUPLEX, the view's capacity, 1 us), switches of\n"
              "     unbounded capacity are routers only, the others one SHARED link. Routes are the\n"
              "     shortest paths (symmetrical). -->\n<platform version=\"4.1\">\n"
              "  <zone id=\"btrplace\" routing=\"Full\">\n");
  for (size_t i = 0; i < c->nnodes; i++) {
    const node_t* n = &c->nodes[i];
    fprintf(fp, "    <host id=\"node%ld\" speed=\"1Gf\" core=\"%.0f\">", n->id, n->cpu >= 1 ? floor(n->cpu) : 1.0);
    if (n->mem_gib > 0)
      fprintf(fp, "<prop id=\"memory\" value=\"%.15gGiB\"/>", n->mem_gib);
    fprintf(fp, "</host>\n");
  }
  for (size_t i = 0; i < g->nl; i++)
    fprintf(fp, "    <link id=\"link%ld\" bandwidth=\"%.15gMbps\" latency=\"1us\" sharing_policy=\"SPLITDUPLEX\"/>\n",
            g->L[i].id, g->lcap[i]);
  for (size_t j = 0; j < g->nsw; j++)
    if (g->swcap[j] > 0)
      fprintf(fp, "    <link id=\"switch%ld\" bandwidth=\"%.15gMbps\" latency=\"0us\" sharing_policy=\"SHARED\"/>\n",
              g->swid[j], g->swcap[j]);
}

/* Breadth-first from node s into prev (the link that reached each vertex, -2: unreached);
 * nodes other than s are leaves (a route never crosses a server). */
static void bfs_from(const ctx* c, const netgraph* g, size_t s, int* prev, int* queue)
{
  for (size_t v = 0; v < g->nv; v++)
    prev[v] = -2;
  size_t qh = 0, qt = 0;
  queue[qt++] = (int)s;
  prev[s] = -1;
  while (qh < qt) {
    int u = queue[qh++];
    if (u != (int)s && (size_t)u < c->nnodes)
      continue;
    for (size_t k = g->deg[u]; k < g->deg[u + 1]; k++) {
      const netlink* l = &g->L[g->adj[k]];
      int w = l->a == u ? l->b : l->a;
      if (prev[w] == -2) {
        prev[w] = g->adj[k];
        queue[qt++] = w;
      }
    }
  }
}

/* The route from node s to node d along prev. */
static int write_route(ctx* c, const netgraph* g, size_t s, size_t d, const int* prev, FILE* fp)
{
  int hops[MAX_HOPS], nh = 0, v = (int)d; /* walking back from d: the hops in reverse order */
  while (v != (int)s && nh < MAX_HOPS) {
    hops[nh++] = prev[v];
    const netlink* l = &g->L[prev[v]];
    v = l->a == v ? l->b : l->a;
  }
  if (nh >= MAX_HOPS)
    return mvm__imp_bad(c, NP, "a route longer than %d links", MAX_HOPS);
  fprintf(fp, "    <route src=\"node%ld\" dst=\"node%ld\">", c->nodes[s].id, c->nodes[d].id);
  v = (int)s;
  for (int h = nh - 1; h >= 0; h--) {
    const netlink* l = &g->L[hops[h]];
    int up = l->a == v; /* from the element towards its switch */
    if (v >= (int)c->nnodes && g->swcap[v - c->nnodes] > 0)
      fprintf(fp, "<link_ctn id=\"switch%ld\"/>", g->swid[v - c->nnodes]);
    fprintf(fp, "<link_ctn id=\"link%ld\" direction=\"%s\"/>", l->id, up ? "UP" : "DOWN");
    v = up ? l->b : l->a;
  }
  fprintf(fp, "</route>\n");
  return 0;
}

/* Checks the view's routing and reads its switches and links. */
static int read_view(ctx* c, json_t** sws, json_t** lks)
{
  json_t* routing;
  int rc;
  if (!c->net)
    return mvm__imp_bad(c, "$.origin.views", "no network view (id \"net\") to build the platform from: give --platform");
  if (c->nnodes > MAX_NET_NODES)
    return mvm__imp_bad(c, NP, "%zu nodes: a platform from the network view has a route per pair of nodes, at most %d "
                        "nodes (give --platform)", c->nnodes, MAX_NET_NODES);
  if ((rc = mvm__imp_get(c, c->net, NP, "routing", JSON_OBJECT, 0, &routing)) ||
      (rc = mvm__imp_get(c, c->net, NP, "switches", JSON_ARRAY, 1, sws)) ||
      (rc = mvm__imp_get(c, c->net, NP, "links", JSON_ARRAY, 1, lks)))
    return rc;
  if (routing) {
    json_t* t;
    if ((rc = mvm__imp_get(c, routing, NP ".routing", "type", JSON_STRING, 1, &t)))
      return rc;
    if (strcmp(json_string_value(t), "default") != 0)
      return mvm__imp_bad(c, NP ".routing.type", "routing '%.40s' is not supported (default is)", json_string_value(t));
  }
  return 0;
}

int mvm__imp_write_platform(ctx* c, char** out)
{
  json_t *sws, *lks;
  netgraph g;
  int rc = read_view(c, &sws, &lks);
  if (rc)
    return rc;
  rc = read_graph(c, sws, lks, &g);
  int* prev = rc ? NULL : calloc(g.nv + 1, sizeof *prev);
  int* queue = rc ? NULL : calloc(g.nv + 1, sizeof *queue);
  size_t len;
  FILE* fp = NULL;
  if (!rc && (!prev || !queue || !(fp = open_memstream(out, &len))))
    rc = mvm_err_set(c->err, MVM_ENOMEM, "out of memory");
  if (!rc)
    write_elements(c, &g, fp);
  for (size_t s = 0; s < c->nnodes && !rc; s++) {
    if (!c->nodes[s].linked)
      continue;
    bfs_from(c, &g, s, prev, queue);
    for (size_t d = s + 1; d < c->nnodes && !rc; d++)
      if (prev[d] != -2)
        rc = write_route(c, &g, s, d, prev, fp);
  }
  if (!rc)
    fprintf(fp, "  </zone>\n</platform>\n");
  if (fp && fclose(fp) != 0 && !rc)
    rc = mvm_err_set(c->err, MVM_ENOMEM, "out of memory");
  if (rc && fp) {
    free(*out);
    *out = NULL;
  }
  free(prev);
  free(queue);
  graph_free(&g);
  return rc;
}
