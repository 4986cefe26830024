/* Pre-validation of a SimGrid platform file before SimGrid reads it. SimGrid 3.32 aborts or
 * crashes on some hostile platforms (deep zone nesting overflows its lexer; core="0",
 * speed="0f", NaN or negative bandwidths and latencies abort it, at load time or in the
 * middle of a replay), so mvm reads the file first with libxml2 (no network, no DTD loaded,
 * no entity declared) and refuses what SimGrid would not survive. */
#include "mvm/ident.h"
#include "mvm/platform.h"
#include "mvm/units.h"
#include "../src/xmlsafe.h"

#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef enum { POSITIVE, NON_NEGATIVE, CORES } bound;

/* Attributes SimGrid 3.32 reads as numbers, on any element (host, cluster, cabinet, peer,
 * link, backbone, disk, ...). A comma-separated list (pstates, wifi rates) checks each item. */
static const struct {
  const char* name;
  mvm_unit_kind kind;
  bound b;
} numeric[] = {
    {"speed", MVM_UNIT_SPEED, POSITIVE},       {"core", MVM_UNIT_COUNT, CORES},
    {"bandwidth", MVM_UNIT_RATE, POSITIVE},    {"bw", MVM_UNIT_RATE, POSITIVE},
    {"bb_bw", MVM_UNIT_RATE, POSITIVE},        {"bw_in", MVM_UNIT_RATE, POSITIVE},
    {"bw_out", MVM_UNIT_RATE, POSITIVE},       {"loopback_bw", MVM_UNIT_RATE, POSITIVE},
    {"limiter_link", MVM_UNIT_RATE, POSITIVE}, {"read_bw", MVM_UNIT_RATE, POSITIVE},
    {"write_bw", MVM_UNIT_RATE, POSITIVE},     {"latency", MVM_UNIT_TIME, NON_NEGATIVE},
    {"lat", MVM_UNIT_TIME, NON_NEGATIVE},      {"bb_lat", MVM_UNIT_TIME, NON_NEGATIVE},
    {"loopback_lat", MVM_UNIT_TIME, NON_NEGATIVE},
};

/* Checks one item of a numeric attribute: a unit-less number (SimGrid's deprecated base
 * unit) or a quantity of the kind; finite and within the bound. Returns 0, or -1 with why. */
static int check_value(const char* item, mvm_unit_kind kind, bound b, char* why, unsigned why_len)
{
  double v;
  int unitless = mvm_parse_quantity(item, MVM_UNIT_COUNT, &v, why, why_len) == 0;
  if (!unitless && mvm_parse_quantity(item, b == CORES ? MVM_UNIT_COUNT : kind, &v, why, why_len) != 0)
    return -1;
  if (b == POSITIVE && !(v > 0)) {
    snprintf(why, why_len, "'%s' must be positive", item);
    return -1;
  }
  if (b == CORES && (v < 1 || v > 1e6 || v != floor(v))) {
    snprintf(why, why_len, "'%s' must be a whole number from 1 to 1000000", item);
    return -1;
  }
  return 0;
}

/* Checks the numeric attributes of element n; fails with file:line, element and id. */
static int check_element(const char* path, xmlNode* n, mvm_error* err)
{
  for (size_t k = 0; k < sizeof numeric / sizeof numeric[0]; k++) {
    xmlChar* v = xmlGetProp(n, (const xmlChar*)numeric[k].name);
    if (!v)
      continue;
    char why[256] = "";
    int bad = 0;
    char* save = NULL;
    char* item = strtok_r((char*)v, ",", &save);
    if (!item) {
      snprintf(why, sizeof why, "empty value");
      bad = 1;
    }
    for (; item && !bad; item = strtok_r(NULL, ",", &save))
      bad = check_value(item, numeric[k].kind, numeric[k].b, why, sizeof why) != 0;
    xmlFree(v);
    if (bad) {
      xmlChar* id = xmlGetProp(n, (const xmlChar*)"id");
      char cut[MVM_ID_CUT], ecut[MVM_ID_CUT], whycut[128];
      snprintf(whycut, sizeof whycut, "%s", why);
      if (strlen(why) >= sizeof whycut)
        strcpy(whycut + sizeof whycut - 4, "...");
      mvm_err_set(err, MVM_EINPUT, "%s:%ld: %s '%s': %s: %s", path, xmlGetLineNo(n),
                  mvm_id_cut((const char*)n->name, ecut), id ? mvm_id_cut((const char*)id, cut) : "",
                  numeric[k].name, whycut);
      xmlFree(id);
      return MVM_EINPUT;
    }
  }
  return 0;
}

/* ---------- structure: what SimGrid 3.32 aborts on rather than reports ---------- */

#define MAX_CLUSTER_HOSTS 1000000 /* over all clusters of the file: each is a host in memory */

static const char* const routings[] = {"Full", "Floyd", "Dijkstra", "DijkstraCache", "None", "Vivaldi", "Cluster",
                                       "Wifi", NULL};

typedef struct names {
  char** v;
  size_t n, cap;
} names;

static int names_add(names* a, const char* s)
{
  if (a->n == a->cap) {
    size_t c = a->cap ? 2 * a->cap : 64;
    char** nv = realloc(a->v, c * sizeof *nv);
    if (!nv)
      return -1;
    a->v = nv;
    a->cap = c;
  }
  if (!(a->v[a->n] = strdup(s)))
    return -1;
  a->n++;
  return 0;
}

static void names_free(names* a)
{
  for (size_t i = 0; i < a->n; i++)
    free(a->v[i]);
  free(a->v);
  memset(a, 0, sizeof *a);
}

static int cmp_str(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

/* The first name given twice, or NULL. Sorts a. */
static const char* names_dup(names* a)
{
  if (a->n > 1)
    qsort(a->v, a->n, sizeof *a->v, cmp_str);
  for (size_t i = 1; i < a->n; i++)
    if (!strcmp(a->v[i - 1], a->v[i]))
      return a->v[i];
  return NULL;
}

typedef struct walk {
  const char* path;
  names links; /* link ids, over the file (SimGrid's link names are global) */
  names hostlinks; /* "up^Adown^Aline^Aid" of every host_link (^A: a character XML 1.0 cannot hold), checked once every link is known */
  double cluster_hosts;
} walk;

static int fail_at(const walk* w, xmlNode* n, mvm_error* err, const char* what)
{
  xmlChar* id = xmlGetProp(n, (const xmlChar*)"id");
  char cut[MVM_ID_CUT], ecut[MVM_ID_CUT];
  mvm_err_set(err, MVM_EINPUT, "%s:%ld: %s '%s': %s", w->path, xmlGetLineNo(n), mvm_id_cut((const char*)n->name, ecut),
              id ? mvm_id_cut((const char*)id, cut) : "", what);
  xmlFree(id);
  return MVM_EINPUT;
}

/* Hosts a cluster's radical ("0-99,200,300-309") makes; -1 if it does not parse. */
static double radical_count(const char* r)
{
  double total = 0;
  while (*r) {
    char* end;
    double a = strtod(r, &end), b = a;
    if (end == r)
      return -1;
    r = end;
    if (*r == '-') {
      b = strtod(r + 1, &end);
      if (end == r + 1)
        return -1;
      r = end;
    }
    if (!(b >= a))
      return -1;
    total += b - a + 1;
    if (*r == ',')
      r++;
    else if (*r)
      return -1;
  }
  return total;
}

/* ---------- cluster topologies ---------- */

#define FT_MAX_LEVELS 8
#define FT_MAX_ARITY 1024
#define FT_MAX_HOSTS 65536    /* per FAT_TREE cluster */
#define FT_MAX_PAIRS 2.0e8    /* SimGrid 3.32 builds a fat tree by testing every pair of nodes of two
                                 adjacent levels (k = 48: 3.4e7 pairs, 10 s; this bound: about a minute) */
#define FT_MAX_LINKS 1.0e6

/* Reads "a,b,c" (exactly want whole numbers from 1 to FT_MAX_ARITY) into v; 0 or -1. */
static int ft_list(const char* s, int want, long* v)
{
  int n = 0;
  while (n < want) {
    char* end;
    if (*s < '0' || *s > '9')
      return -1;
    long x = strtol(s, &end, 10);
    if (end - s > 5 || x < 1 || x > FT_MAX_ARITY)
      return -1;
    v[n++] = x;
    s = end;
    if (n < want && *s++ != ',')
      return -1;
  }
  return *s ? -1 : 0;
}

/* A cluster's topology: FLAT, or a FAT_TREE whose parameters SimGrid 3.32 reads without
 * aborting ("L;d1,..,dL;u1,..,uL;c1,..,cL": L levels, the down links of each level's
 * switches, the up links of each level's nodes, the parallel links of each), whose leaves are
 * exactly the radical's hosts (fewer radicals than leaves: SimGrid dies), and small enough to
 * build (hosts, links and SimGrid's pair tests bounded). TORUS and DRAGONFLY are refused:
 * mvm does not check their parameters. */
static int check_topology(walk* w, xmlNode* n, const char* topo, mvm_error* err)
{
  if (!strcmp(topo, "FLAT"))
    return 0;
  if (strcmp(topo, "FAT_TREE"))
    return fail_at(w, n, err, "topology must be FLAT or FAT_TREE (mvm does not check TORUS or DRAGONFLY parameters)");
  xmlChar* p = xmlGetProp(n, (const xmlChar*)"topo_parameters");
  xmlChar* radical = xmlGetProp(n, (const xmlChar*)"radical");
  char buf[512], *parts[4] = {0};
  int rc = 0;
  const char* bad = NULL;
  if (!p || !radical || strlen((const char*)p) >= sizeof buf)
    bad = "a FAT_TREE needs topo_parameters (under 512 characters) and a radical";
  if (!bad) {
    strcpy(buf, (const char*)p);
    int np = 0;
    for (char* c = buf; np < 4;) {
      parts[np++] = c;
      c = strchr(c, ';');
      if (!c)
        break;
      *c++ = '\0';
    }
    long levels = 0;
    long d[FT_MAX_LEVELS], u[FT_MAX_LEVELS], c[FT_MAX_LEVELS];
    if (np != 4 || ft_list(parts[0], 1, &levels) || levels > FT_MAX_LEVELS || ft_list(parts[1], (int)levels, d) ||
        ft_list(parts[2], (int)levels, u) || ft_list(parts[3], (int)levels, c))
      bad = "topo_parameters must be 'L;d1,..,dL;u1,..,uL;c1,..,cL': L from 1 to 8 levels, then L whole numbers "
            "from 1 to 1024 in each list";
    if (!bad) {
      /* nodes per level: 0 the hosts (product of the down links), then each level's switches */
      double nodes[FT_MAX_LEVELS + 1], links = 0, pairs = 0;
      nodes[0] = 1;
      for (long i = 0; i < levels; i++)
        nodes[0] *= d[i];
      for (long i = 1; i <= levels; i++) {
        double x = 1;
        for (long j = i; j < levels; j++)
          x *= d[j];
        for (long j = 0; j < i; j++)
          x *= u[j];
        nodes[i] = x;
      }
      for (long i = 0; i < levels; i++) {
        links += nodes[i] * u[i] * c[i];
        pairs += nodes[i] * nodes[i + 1];
      }
      double hosts = radical_count((const char*)radical);
      if (nodes[0] > FT_MAX_HOSTS || links > FT_MAX_LINKS || pairs > FT_MAX_PAIRS)
        bad = "fat tree too large (at most 65536 hosts, 1000000 links, 2e8 node pairs for SimGrid to test)";
      else if (hosts != nodes[0]) {
        snprintf(buf, sizeof buf, "the radical gives %.0f hosts, the fat tree has %.0f leaves", hosts, nodes[0]);
        bad = buf;
      }
    }
  }
  if (bad)
    rc = fail_at(w, n, err, bad);
  xmlFree(p);
  xmlFree(radical);
  return rc;
}

/* Attributes of one element that SimGrid aborts on: trace files (read outside mvm's control),
 * an unknown routing, a pstate past the speeds, clusters that would not fit in memory. */
static int check_structure(walk* w, xmlNode* n, mvm_error* err)
{
  for (xmlAttr* a = n->properties; a; a = a->next) {
    size_t l = strlen((const char*)a->name);
    if (l > 5 && !strcmp((const char*)a->name + l - 5, "_file"))
      return fail_at(w, n, err, "trace files (*_file attributes) are not supported");
  }
  int rc = 0;
  xmlChar* routing = xmlGetProp(n, (const xmlChar*)"routing");
  if (routing) {
    int ok = 0;
    for (int i = 0; routings[i]; i++)
      ok |= !strcmp((const char*)routing, routings[i]);
    if (!ok)
      rc = fail_at(w, n, err, "routing must be Full, Floyd, Dijkstra, DijkstraCache, None, Vivaldi, Cluster or Wifi");
  }
  xmlFree(routing);
  xmlChar* pstate = xmlGetProp(n, (const xmlChar*)"pstate");
  xmlChar* speed = xmlGetProp(n, (const xmlChar*)"speed");
  if (!rc && pstate) {
    char* end;
    long p = strtol((const char*)pstate, &end, 10);
    long nspeeds = 1;
    for (const xmlChar* c = speed; c && *c; c++)
      nspeeds += *c == ',';
    if (end == (char*)pstate || *end || p < 0 || p >= nspeeds)
      rc = fail_at(w, n, err, "pstate must be the index of one of its speeds");
  }
  xmlFree(pstate);
  xmlFree(speed);
  xmlChar* radical = xmlGetProp(n, (const xmlChar*)"radical");
  if (!rc && radical) {
    double c = radical_count((const char*)radical);
    w->cluster_hosts += c > 0 ? c : 0;
    if (c < 0)
      rc = fail_at(w, n, err, "radical must be ranges like 0-99,200");
    else if (w->cluster_hosts > MAX_CLUSTER_HOSTS)
      rc = fail_at(w, n, err, "clusters of more than 1000000 hosts in all");
  }
  xmlFree(radical);
  xmlChar* topo = xmlGetProp(n, (const xmlChar*)"topology");
  if (!rc && topo)
    rc = check_topology(w, n, (const char*)topo, err);
  xmlFree(topo);
  if (!rc && !strcmp((const char*)n->name, "host_link")) {
    xmlChar* id = xmlGetProp(n, (const xmlChar*)"id");
    xmlChar* up = xmlGetProp(n, (const xmlChar*)"up");
    xmlChar* down = xmlGetProp(n, (const xmlChar*)"down");
    char rec[900];
    snprintf(rec, sizeof rec, "%.280s\x01%.280s\x01%ld\x01%.280s", up ? (const char*)up : "", down ? (const char*)down : "",
             xmlGetLineNo(n), id ? (const char*)id : "");
    if (names_add(&w->hostlinks, rec))
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    xmlFree(id);
    xmlFree(up);
    xmlFree(down);
  }
  if (!rc && !strcmp((const char*)n->name, "link")) {
    xmlChar* id = xmlGetProp(n, (const xmlChar*)"id");
    if (id && names_add(&w->links, (const char*)id))
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    xmlFree(id);
  }
  return rc;
}

/* A zone's own children: a routed zone (Full, Floyd, Dijkstra) with two members or more and
 * no route crashes SimGrid 3.32 when a route is asked for; the same route twice aborts it. */
static int check_zone(walk* w, xmlNode* z, mvm_error* err)
{
  xmlChar* routing = xmlGetProp(z, (const xmlChar*)"routing");
  int routed = routing && (!strcmp((const char*)routing, "Full") || !strcmp((const char*)routing, "Floyd") ||
                           !strncmp((const char*)routing, "Dijkstra", 8));
  xmlFree(routing);
  size_t members = 0, routes = 0;
  names pairs = {0};
  int rc = 0;
  for (xmlNode* c = z->children; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char* e = (const char*)c->name;
    if (!strcmp(e, "host") || !strcmp(e, "cluster") || !strcmp(e, "peer") || !strcmp(e, "zone") ||
        !strcmp(e, "AS") || !strcmp(e, "cabinet") || !strcmp(e, "router"))
      members++;
    if (strcmp(e, "route") && strcmp(e, "zoneRoute") && strcmp(e, "ASroute") && strcmp(e, "bypassRoute") &&
        strcmp(e, "bypassZoneRoute"))
      continue;
    routes++;
    xmlChar* src = xmlGetProp(c, (const xmlChar*)"src");
    xmlChar* dst = xmlGetProp(c, (const xmlChar*)"dst");
    char key[600];
    snprintf(key, sizeof key, "%s %.280s -> %.280s", e, src ? (const char*)src : "", dst ? (const char*)dst : "");
    xmlFree(src);
    xmlFree(dst);
    if (names_add(&pairs, key))
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  const char* dup = rc ? NULL : names_dup(&pairs);
  if (dup) {
    char what[700];
    snprintf(what, sizeof what, "%.600s is given twice", dup);
    rc = fail_at(w, z, err, what);
  }
  names_free(&pairs);
  if (!rc && routed && members >= 2 && routes == 0)
    rc = fail_at(w, z, err, "a routed zone with two members or more has no route");
  return rc;
}

/* Walks the tree below n (at depth) without recursion deeper than MAX_DEPTH. */
static int check_tree(walk* w, xmlNode* n, int depth, mvm_error* err)
{
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    char ecut[MVM_ID_CUT];
    if (depth > MAX_DEPTH)
      return mvm_err_set(err, MVM_EINPUT, "%s:%ld: %s: elements nested more than %d deep", w->path,
                         xmlGetLineNo(n), mvm_id_cut((const char*)n->name, ecut), MAX_DEPTH);
    int rc = check_element(w->path, n, err);
    if (!rc)
      rc = check_structure(w, n, err);
    if (!rc && (!strcmp((const char*)n->name, "zone") || !strcmp((const char*)n->name, "AS")))
      rc = check_zone(w, n, err);
    if (!rc)
      rc = check_tree(w, n->children, depth + 1, err);
    if (rc)
      return rc;
  }
  return 0;
}

/* 1 if name is a declared link, or the _UP or _DOWN half of one (SPLITDUPLEX); links sorted. */
static int link_known(const names* links, const char* name)
{
  char base[300];
  snprintf(base, sizeof base, "%s", name);
  const char* k = base;
  if (links->n && bsearch(&k, links->v, links->n, sizeof *links->v, cmp_str))
    return 1;
  size_t l = strlen(base);
  if (l > 3 && !strcmp(base + l - 3, "_UP"))
    base[l - 3] = '\0';
  else if (l > 5 && !strcmp(base + l - 5, "_DOWN"))
    base[l - 5] = '\0';
  else
    return 0;
  return links->n && bsearch(&k, links->v, links->n, sizeof *links->v, cmp_str) != NULL;
}

/* Every host_link names links of the file: SimGrid 3.32 dies (xbt_die) on an unknown one. */
static int check_hostlinks(walk* w, mvm_error* err)
{
  for (size_t i = 0; i < w->hostlinks.n; i++) {
    char* f[4];
    char* c = w->hostlinks.v[i];
    for (int j = 0; j < 4; j++) { /* split by hand: strtok would merge empty fields */
      f[j] = c;
      char* e = c ? strchr(c, '\x01') : NULL;
      if (e)
        *e++ = '\0';
      c = e;
    }
    long line = f[2] ? strtol(f[2], NULL, 10) : 0;
    const char* missing = !f[0] || !link_known(&w->links, f[0]) ? (f[0] ? f[0] : "")
                          : !f[1] || !link_known(&w->links, f[1]) ? (f[1] ? f[1] : "")
                                                                  : NULL;
    if (missing) {
      char cut[MVM_ID_CUT], lcut[MVM_ID_CUT];
      return mvm_err_set(err, MVM_EINPUT, "%s:%ld: host_link '%s': no link '%s'", w->path, line,
                         mvm_id_cut(f[3] ? f[3] : "", cut), mvm_id_cut(missing, lcut));
    }
  }
  return 0;
}

int mvm_platform_check(const char* path, mvm_error* err)
{
  xmlDoc* doc = mvm_xml_read_untrusted(path, 1, err);
  if (!doc)
    return err ? err->code : MVM_EINPUT;
  walk w = {.path = path};
  int rc = check_tree(&w, xmlDocGetRootElement(doc), 1, err);
  const char* dup = rc ? NULL : names_dup(&w.links);
  if (dup) {
    char cut[MVM_ID_CUT];
    rc = mvm_err_set(err, MVM_EINPUT, "%s: link '%s' is declared twice", path, mvm_id_cut(dup, cut));
  }
  if (!rc)
    rc = check_hostlinks(&w, err);
  names_free(&w.links);
  names_free(&w.hostlinks);
  xmlFreeDoc(doc);
  return rc;
}
