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

/* Walks the tree below n (at depth) without recursion deeper than MAX_DEPTH. */
static int check_tree(const char* path, xmlNode* n, int depth, mvm_error* err)
{
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    char ecut[MVM_ID_CUT];
    if (depth > MAX_DEPTH)
      return mvm_err_set(err, MVM_EINPUT, "%s:%ld: %s: elements nested more than %d deep", path, xmlGetLineNo(n),
                         mvm_id_cut((const char*)n->name, ecut), MAX_DEPTH);
    int rc = check_element(path, n, err);
    if (!rc)
      rc = check_tree(path, n->children, depth + 1, err);
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
  int rc = check_tree(path, xmlDocGetRootElement(doc), 1, err);
  xmlFreeDoc(doc);
  return rc;
}
