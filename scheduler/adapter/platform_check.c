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
  names_free(&w.links);
  xmlFreeDoc(doc);
  return rc;
}
