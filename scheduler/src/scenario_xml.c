/* Scenario reader: libxml2 parses, the embedded XML Schema validates the structure, then
 * this file resolves names and checks what a schema cannot (units, references,
 * duplicates, cycles). Every message is "file:line: object: what". */
#include "mvm/scenario.h"
#include "mvm/calibration.h"
#include "mvm/dirtying.h"
#include "mvm/ident.h"
#include "mvm/units.h"
#include "xmlsafe.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

mvm_defaults mvm_defaults_standard(void)
{
  mvm_calibration c = mvm_calibration_default();
  mvm_defaults d = {
      .node_idle = c.node_idle,
      .vm_power = c.vm_power,
      .boot = c.boot,
      .shutdown = c.shutdown,
      .boot_overhead = c.boot_overhead,
      .downtime = c.downtime,
      .mig_alpha = c.mig_alpha,
      .mig_beta = c.mig_beta,
      .bw_factor = c.bw_factor,
      .mig_setup = c.mig_setup,
      .resend = c.resend,
      .lat_factor = c.lat_factor,
      .precopy_model = MVM_PRECOPY_ROUNDS,
  };
  return d;
}

void mvm_vm_workload(const mvm_scenario* sc, const mvm_vm* vm, double* hot_size,
                     double* hot_duration, double* cold_rate)
{
  if (vm->workload >= 0) {
    const mvm_workload* w = &sc->workloads[vm->workload];
    *hot_size = w->hot_size;
    *hot_duration = w->hot_duration;
    *cold_rate = w->cold_rate;
  } else {
    mvm_dirtying idle = mvm_dirtying_idle();
    *hot_size = idle.hot_size;
    *hot_duration = idle.hot_duration;
    *cold_rate = idle.cold_rate;
  }
}

/* ---------- reader state ---------- */

typedef struct raw_vm {
  mvm_vm vm;
  char* workload;
  char* from;
  char* to;
} raw_vm;

typedef struct reader {
  const char* file;
  mvm_error* err;
  mvm_scenario* sc;
  raw_vm* raw;
  size_t nraw, capraw;
  size_t capw, capn, capc;
  int failed;
} reader;

static int fail(reader* r, int line, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(reader* r, int line, const char* fmt, ...)
{
  if (r->failed)
    return MVM_EINPUT;
  r->failed = 1;
  char msg[800];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  mvm_err_set(r->err, MVM_EINPUT, "%s:%d: %s", r->file, line, msg);
  return MVM_EINPUT;
}

static int oom(reader* r)
{
  r->failed = 1;
  return mvm_err_set(r->err, MVM_ENOMEM, "%s: out of memory", r->file);
}

/* attribute value or NULL; caller frees with xmlFree */
static char* attr(xmlNode* n, const char* name) { return (char*)xmlGetProp(n, (const xmlChar*)name); }

/* Parses attribute `name` of element n as a quantity; leaves *out unchanged if absent.
 * object names the element for messages. Returns 1 if present and parsed, 0 if absent,
 * -1 on error. */
static int quantity(reader* r, xmlNode* n, const char* name, mvm_unit_kind kind, double* out,
                    const char* object)
{
  char* v = attr(n, name);
  if (!v)
    return 0;
  char why[256];
  int rc = mvm_parse_quantity(v, kind, out, why, sizeof why);
  xmlFree(v);
  if (rc != 0) {
    fail(r, (int)xmlGetLineNo(n), "%s: attribute %s: %s", object, name, why);
    return -1;
  }
  return 1;
}

static char* dup_attr(reader* r, xmlNode* n, const char* name)
{
  char* v = attr(n, name);
  if (!v)
    return NULL;
  char* s = strdup(v);
  xmlFree(v);
  if (!s)
    oom(r);
  return s;
}

/* Fails the reader unless value, if present, is a valid id. kind names the element ("vm");
 * owner is NULL when value is the element's own id, else the element's id and value is
 * the reference in attribute attrname. Returns 0 if absent or valid, -1 otherwise. */
static int check_id(reader* r, int line, const char* kind, const char* owner, const char* attrname,
                    const char* value)
{
  if (!value || mvm_id_valid(value))
    return 0;
  char cut[MVM_ID_CUT];
  if (!owner)
    fail(r, line, "%s '%s': invalid id (%s)", kind, mvm_id_cut(value, cut), mvm_id_rule);
  else
    fail(r, line, "%s '%s': attribute %s: invalid id '%s' (%s)", kind, owner, attrname, mvm_id_cut(value, cut),
         mvm_id_rule);
  return -1;
}

/* ---------- libxml2 error capture ---------- */

typedef struct xml_errs {
  char msg[600];
  int line;
  int have;
} xml_errs;

static void capture_error(void* ctx, const xmlError* e)
{
  xml_errs* x = ctx;
  if (x->have || !e)
    return;
  x->have = 1;
  x->line = e->line;
  snprintf(x->msg, sizeof x->msg, "%s", e->message ? e->message : "XML error");
  size_t len = strlen(x->msg);
  while (len && (x->msg[len - 1] == '\n' || x->msg[len - 1] == ' '))
    x->msg[--len] = '\0';
}

static void capture_error_v(void* ctx, xmlErrorPtr e) { capture_error(ctx, e); }

/* ---------- sections ---------- */

static void read_defaults(reader* r, xmlNode* n)
{
  mvm_defaults* d = &r->sc->defaults;
  const char* obj = "defaults";
  quantity(r, n, "node-idle", MVM_UNIT_POWER, &d->node_idle, obj);
  quantity(r, n, "vm-power", MVM_UNIT_POWER, &d->vm_power, obj);
  quantity(r, n, "boot", MVM_UNIT_TIME, &d->boot, obj);
  quantity(r, n, "shutdown", MVM_UNIT_TIME, &d->shutdown, obj);
  quantity(r, n, "boot-overhead", MVM_UNIT_PERCENT, &d->boot_overhead, obj);
  quantity(r, n, "downtime", MVM_UNIT_TIME, &d->downtime, obj);
  quantity(r, n, "migration-alpha", MVM_UNIT_COUNT, &d->mig_alpha, obj);
  quantity(r, n, "migration-beta", MVM_UNIT_COUNT, &d->mig_beta, obj);
  if (quantity(r, n, "bandwidth-factor", MVM_UNIT_COUNT, &d->bw_factor, obj) > 0 &&
      (d->bw_factor <= 0 || d->bw_factor > 1))
    fail(r, (int)xmlGetLineNo(n), "defaults: bandwidth-factor must be in (0, 1]");
  if (quantity(r, n, "migration-setup", MVM_UNIT_TIME, &d->mig_setup, obj) > 0 && !(d->mig_setup >= 0 && d->mig_setup <= 3600))
    fail(r, (int)xmlGetLineNo(n), "defaults: migration-setup must be from 0 to 1h");
  if (quantity(r, n, "dirty-resend", MVM_UNIT_PERCENT, &d->resend, obj) > 0 && !(d->resend >= 0 && d->resend <= 1))
    fail(r, (int)xmlGetLineNo(n), "defaults: dirty-resend must be from 0 to 100%%");
  if (quantity(r, n, "latency-factor", MVM_UNIT_COUNT, &d->lat_factor, obj) > 0 && !(d->lat_factor >= 0))
    fail(r, (int)xmlGetLineNo(n), "defaults: latency-factor must not be negative");
  if (d->downtime <= 0)
    fail(r, (int)xmlGetLineNo(n), "defaults: downtime must be positive");
  char* model = attr(n, "precopy-model"); /* the schema allows only the two values */
  if (model)
    d->precopy_model = strcmp(model, "paper") == 0 ? MVM_PRECOPY_PAPER : MVM_PRECOPY_ROUNDS;
  xmlFree(model);
}

static void read_workload(reader* r, xmlNode* n)
{
  if (mvm_grow((void**)&r->sc->workloads, &r->capw, r->sc->nworkloads + 1, sizeof(mvm_workload),
               r->err)) {
    r->failed = 1;
    return;
  }
  mvm_workload* w = &r->sc->workloads[r->sc->nworkloads++];
  w->line = (int)xmlGetLineNo(n);
  w->id = dup_attr(r, n, "id");
  if (!w->id || check_id(r, w->line, "workload", NULL, "id", w->id))
    return;
  char obj[300];
  snprintf(obj, sizeof obj, "workload '%s'", w->id);
  quantity(r, n, "hot-size", MVM_UNIT_SIZE, &w->hot_size, obj);
  quantity(r, n, "hot-duration", MVM_UNIT_TIME, &w->hot_duration, obj);
  quantity(r, n, "cold-rate", MVM_UNIT_RATE, &w->cold_rate, obj);
  if (!r->failed && w->hot_size > 0 && w->hot_duration <= 0)
    fail(r, w->line, "%s: hot-duration must be positive when hot-size is", obj);
}

static void read_node(reader* r, xmlNode* n)
{
  if (mvm_grow((void**)&r->sc->nodes, &r->capn, r->sc->nnodes + 1, sizeof(mvm_node), r->err)) {
    r->failed = 1;
    return;
  }
  mvm_node* nd = &r->sc->nodes[r->sc->nnodes++];
  nd->line = (int)xmlGetLineNo(n);
  nd->memory = -1;
  nd->cores = -1;
  nd->host = dup_attr(r, n, "host");
  if (!nd->host || check_id(r, nd->line, "node", NULL, "host", nd->host))
    return;
  char* st = attr(n, "state");
  nd->initially_on = !st || strcmp(st, "on") == 0;
  xmlFree(st);
  char* fin = attr(n, "final");
  nd->finally_on = fin ? strcmp(fin, "on") == 0 : -1; /* -1: decided later */
  xmlFree(fin);
  char obj[300];
  snprintf(obj, sizeof obj, "node '%s'", nd->host);
  quantity(r, n, "memory", MVM_UNIT_SIZE, &nd->memory, obj);
  quantity(r, n, "cores", MVM_UNIT_COUNT, &nd->cores, obj);
}

static void read_vm(reader* r, xmlNode* n)
{
  if (mvm_grow((void**)&r->raw, &r->capraw, r->nraw + 1, sizeof(raw_vm), r->err)) {
    r->failed = 1;
    return;
  }
  raw_vm* rv = &r->raw[r->nraw++];
  rv->vm.line = (int)xmlGetLineNo(n);
  rv->vm.id = dup_attr(r, n, "id");
  rv->from = dup_attr(r, n, "from");
  rv->to = dup_attr(r, n, "to");
  rv->workload = dup_attr(r, n, "workload");
  rv->vm.cores = 1;
  rv->vm.workload = -1;
  if (!rv->vm.id || !rv->from || check_id(r, rv->vm.line, "vm", NULL, "id", rv->vm.id) ||
      check_id(r, rv->vm.line, "vm", rv->vm.id, "from", rv->from) ||
      check_id(r, rv->vm.line, "vm", rv->vm.id, "to", rv->to) ||
      check_id(r, rv->vm.line, "vm", rv->vm.id, "workload", rv->workload))
    return;
  char obj[300];
  snprintf(obj, sizeof obj, "vm '%s'", rv->vm.id);
  quantity(r, n, "memory", MVM_UNIT_SIZE, &rv->vm.memory, obj);
  rv->vm.used = rv->vm.memory;
  quantity(r, n, "used", MVM_UNIT_SIZE, &rv->vm.used, obj);
  quantity(r, n, "cores", MVM_UNIT_COUNT, &rv->vm.cores, obj);
  if (r->failed)
    return;
  if (rv->vm.memory <= 0)
    fail(r, rv->vm.line, "%s: memory must be positive", obj);
  else if (rv->vm.used <= 0)
    fail(r, rv->vm.line, "%s: used memory must be positive", obj);
  else if (rv->vm.used > rv->vm.memory)
    fail(r, rv->vm.line, "%s: uses more memory (%.0f B) than it has (%.0f B)", obj, rv->vm.used,
         rv->vm.memory);
}

typedef struct raw_constraint {
  xmlNode* node;
} raw_constraint;

/* ---------- sorting and lookup ---------- */

static int cmp_str(const char* a, const char* b) { return strcmp(a, b); }
static int cmp_node(const void* a, const void* b)
{
  return cmp_str(((const mvm_node*)a)->host, ((const mvm_node*)b)->host);
}
static int cmp_rawvm(const void* a, const void* b)
{
  return cmp_str(((const raw_vm*)a)->vm.id, ((const raw_vm*)b)->vm.id);
}
static int cmp_workload(const void* a, const void* b)
{
  return cmp_str(((const mvm_workload*)a)->id, ((const mvm_workload*)b)->id);
}

/* Index of the element of base[0..n) (`size` bytes each, sorted by the string at offset off)
 * whose string is key, or -1. */
static int find_sorted(const void* base, size_t n, size_t size, size_t off, const char* key)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char* name = *(const char* const*)((const char*)base + mid * size + off);
    int c = strcmp(name, key);
    if (c == 0)
      return (int)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

int mvm_scenario_find_vm(const mvm_scenario* sc, const char* id)
{
  return find_sorted(sc->vms, sc->nvms, sizeof *sc->vms, offsetof(mvm_vm, id), id);
}

int mvm_scenario_find_node(const mvm_scenario* sc, const char* host)
{
  return find_sorted(sc->nodes, sc->nnodes, sizeof *sc->nodes, offsetof(mvm_node, host), host);
}

static int find_workload(const mvm_scenario* sc, const char* id)
{
  return find_sorted(sc->workloads, sc->nworkloads, sizeof *sc->workloads, offsetof(mvm_workload, id), id);
}

/* Adds implicit nodes for hosts that VMs name but no <node> declares. */
static void add_implicit_nodes(reader* r)
{
  mvm_scenario* sc = r->sc;
  mvm_qsort(sc->nodes, sc->nnodes, sizeof(mvm_node), cmp_node);
  for (size_t i = 1; i < sc->nnodes; i++)
    if (strcmp(sc->nodes[i - 1].host, sc->nodes[i].host) == 0) {
      int line = sc->nodes[i - 1].line > sc->nodes[i].line ? sc->nodes[i - 1].line : sc->nodes[i].line;
      fail(r, line, "node '%s': declared twice", sc->nodes[i].host);
      return;
    }
  size_t declared = sc->nnodes;
  for (size_t i = 0; i < r->nraw && !r->failed; i++) {
    const char* hosts[2] = {r->raw[i].from, r->raw[i].to};
    for (int k = 0; k < 2; k++) {
      if (!hosts[k])
        continue;
      /* search declared (sorted) part, then the implicit tail linearly via a re-sort later */
      size_t lo = 0, hi = declared;
      int found = 0;
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sc->nodes[mid].host, hosts[k]);
        if (c == 0) {
          found = 1;
          break;
        }
        if (c < 0)
          lo = mid + 1;
        else
          hi = mid;
      }
      if (found)
        continue;
      if (mvm_grow((void**)&sc->nodes, &r->capn, sc->nnodes + 1, sizeof(mvm_node), r->err)) {
        r->failed = 1;
        return;
      }
      mvm_node* nd = &sc->nodes[sc->nnodes++];
      nd->host = strdup(hosts[k]);
      if (!nd->host) {
        oom(r);
        return;
      }
      nd->initially_on = 1;
      nd->finally_on = -1;
      nd->memory = -1;
      nd->cores = -1;
      nd->line = 0;
    }
  }
  mvm_qsort(sc->nodes, sc->nnodes, sizeof(mvm_node), cmp_node);
  /* merge implicit duplicates (several VMs naming the same undeclared host) */
  size_t w = 0;
  for (size_t i = 0; i < sc->nnodes; i++) {
    if (w > 0 && strcmp(sc->nodes[w - 1].host, sc->nodes[i].host) == 0) {
      mvm_node* keep = &sc->nodes[w - 1];
      mvm_node* drop = &sc->nodes[i];
      if (drop->line) { /* keep the declared one */
        free(keep->host);
        *keep = *drop;
      } else
        free(drop->host);
      continue;
    }
    sc->nodes[w++] = sc->nodes[i];
  }
  sc->nnodes = w;
}

static void resolve_vms(reader* r)
{
  mvm_scenario* sc = r->sc;
  mvm_qsort(r->raw, r->nraw, sizeof(raw_vm), cmp_rawvm);
  for (size_t i = 1; i < r->nraw; i++)
    if (strcmp(r->raw[i - 1].vm.id, r->raw[i].vm.id) == 0) {
      int a = r->raw[i - 1].vm.line, b = r->raw[i].vm.line;
      fail(r, a > b ? a : b, "vm '%s': declared twice (lines %d and %d)", r->raw[i].vm.id,
           a < b ? a : b, a > b ? a : b);
      return;
    }
  sc->vms = mvm_xcalloc(r->nraw, sizeof(mvm_vm), r->err);
  if (!sc->vms) {
    r->failed = 1;
    return;
  }
  for (size_t i = 0; i < r->nraw; i++) {
    raw_vm* rv = &r->raw[i];
    mvm_vm* vm = &sc->vms[sc->nvms++];
    *vm = rv->vm;
    rv->vm.id = NULL; /* ownership moved */
    if (rv->workload) {
      vm->workload = find_workload(sc, rv->workload);
      if (vm->workload < 0) {
        fail(r, vm->line, "vm '%s': unknown workload '%s'", vm->id, rv->workload);
        return;
      }
    }
    vm->from = mvm_scenario_find_node(sc, rv->from);
    vm->to = rv->to ? mvm_scenario_find_node(sc, rv->to) : vm->from;
    if (!sc->nodes[vm->from].initially_on) {
      fail(r, vm->line, "vm '%s': its host '%s' is off at the start", vm->id, rv->from);
      return;
    }
  }
}

/* Resolves a whitespace-separated list of VM ids. */
static int resolve_list(reader* r, xmlNode* n, const char* attrname, mvm_constraint* c,
                        const char* what)
{
  char* v = attr(n, attrname);
  if (!v)
    return fail(r, (int)xmlGetLineNo(n), "%s: missing attribute %s", what, attrname);
  size_t cap = c->nvms; /* a second list (precedence's "after") appends to the first */
  char* save = NULL;
  int rc = 0;
  for (char* tok = strtok_r(v, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
    int idx = mvm_scenario_find_vm(r->sc, tok);
    if (idx < 0) {
      char cut[MVM_ID_CUT];
      rc = fail(r, (int)xmlGetLineNo(n), "%s: unknown vm '%s'", what, mvm_id_cut(tok, cut));
      break;
    }
    if (!mvm_vm_moves(&r->sc->vms[idx])) {
      rc = fail(r, (int)xmlGetLineNo(n), "%s: vm '%s' does not migrate", what, tok);
      break;
    }
    for (size_t k = 0; k < c->nvms; k++)
      if (c->vms[k] == idx) {
        rc = fail(r, (int)xmlGetLineNo(n), "%s: vm '%s' named twice", what, tok);
        break;
      }
    if (rc)
      break;
    if (mvm_grow((void**)&c->vms, &cap, c->nvms + 1, sizeof(int), r->err)) {
      rc = r->failed = MVM_ENOMEM;
      break;
    }
    c->vms[c->nvms++] = idx;
  }
  xmlFree(v);
  return rc;
}

static void read_constraint(reader* r, xmlNode* n)
{
  const char* name = (const char*)n->name;
  if (mvm_grow((void**)&r->sc->constraints, &r->capc, r->sc->nconstraints + 1,
               sizeof(mvm_constraint), r->err)) {
    r->failed = 1;
    return;
  }
  mvm_constraint* c = &r->sc->constraints[r->sc->nconstraints++];
  c->line = (int)xmlGetLineNo(n);
  c->to = INFINITY;
  if (strcmp(name, "sync") == 0) {
    c->kind = MVM_C_SYNC;
    resolve_list(r, n, "vms", c, "sync");
  } else if (strcmp(name, "serialize") == 0) {
    c->kind = MVM_C_SERIALIZE;
    resolve_list(r, n, "vms", c, "serialize");
  } else if (strcmp(name, "deadline") == 0) {
    c->kind = MVM_C_DEADLINE;
    if (resolve_list(r, n, "vms", c, "deadline") == 0)
      quantity(r, n, "at", MVM_UNIT_TIME, &c->at, "deadline");
  } else if (strcmp(name, "precedence") == 0) {
    c->kind = MVM_C_PRECEDENCE;
    if (resolve_list(r, n, "before", c, "precedence") == 0)
      resolve_list(r, n, "after", c, "precedence");
    if (!r->failed && c->nvms != 2)
      fail(r, c->line, "precedence: before and after name one vm each");
  } else if (strcmp(name, "power-budget") == 0) {
    c->kind = MVM_C_POWER;
    quantity(r, n, "max", MVM_UNIT_POWER, &c->max, "power-budget");
    quantity(r, n, "from", MVM_UNIT_TIME, &c->from, "power-budget");
    quantity(r, n, "to", MVM_UNIT_TIME, &c->to, "power-budget");
    if (!r->failed && c->to <= c->from)
      fail(r, c->line, "power-budget: the window ends before it starts");
  }
}

/* Precedence cycles: iterative DFS over the precedence graph. */
static void check_precedence_cycles(reader* r)
{
  mvm_scenario* sc = r->sc;
  size_t n = sc->nvms;
  size_t nprec = 0;
  for (size_t i = 0; i < sc->nconstraints; i++)
    nprec += sc->constraints[i].kind == MVM_C_PRECEDENCE;
  if (!nprec)
    return;
  size_t* head = calloc(n + 1, sizeof(size_t));
  int* adj = calloc(nprec, sizeof(int));
  int* cline = calloc(nprec, sizeof(int));
  unsigned char* color = calloc(n, 1);
  size_t* stack = calloc(n + 1, sizeof(size_t));
  size_t* pos = calloc(n, sizeof(size_t));
  if (!head || !adj || !cline || !color || !stack || !pos) {
    oom(r);
    goto out;
  }
  for (size_t i = 0; i < sc->nconstraints; i++)
    if (sc->constraints[i].kind == MVM_C_PRECEDENCE)
      head[sc->constraints[i].vms[0] + 1]++;
  for (size_t i = 0; i < n; i++)
    head[i + 1] += head[i];
  {
    size_t* fill = calloc(n, sizeof(size_t));
    if (!fill) {
      oom(r);
      goto out;
    }
    for (size_t i = 0; i < sc->nconstraints; i++)
      if (sc->constraints[i].kind == MVM_C_PRECEDENCE) {
        int a = sc->constraints[i].vms[0];
        adj[head[a] + fill[a]] = sc->constraints[i].vms[1];
        cline[head[a] + fill[a]] = sc->constraints[i].line;
        fill[a]++;
      }
    free(fill);
  }
  for (size_t s = 0; s < n && !r->failed; s++) {
    if (color[s])
      continue;
    size_t top = 0;
    stack[top++] = s;
    color[s] = 1;
    pos[s] = head[s];
    while (top && !r->failed) {
      size_t v = stack[top - 1];
      if (pos[v] < head[v + 1]) {
        size_t e = pos[v]++;
        size_t w = (size_t)adj[e];
        if (color[w] == 1)
          fail(r, cline[e], "precedence: cycle through vm '%s' and vm '%s'", sc->vms[v].id,
               sc->vms[w].id);
        else if (!color[w]) {
          color[w] = 1;
          pos[w] = head[w];
          stack[top++] = w;
        }
      } else {
        color[v] = 2;
        top--;
      }
    }
  }
out:
  free(head);
  free(adj);
  free(cline);
  free(color);
  free(stack);
  free(pos);
}

static void settle_nodes(reader* r)
{
  mvm_scenario* sc = r->sc;
  int* hosts_end = calloc(sc->nnodes ? sc->nnodes : 1, sizeof(int));
  if (!hosts_end) {
    oom(r);
    return;
  }
  for (size_t i = 0; i < sc->nvms; i++)
    hosts_end[sc->vms[i].to] = 1;
  for (size_t i = 0; i < sc->nnodes && !r->failed; i++) {
    mvm_node* nd = &sc->nodes[i];
    if (nd->finally_on < 0)
      nd->finally_on = hosts_end[i] ? 1 : nd->initially_on;
    else if (!nd->finally_on && hosts_end[i]) {
      for (size_t v = 0; v < sc->nvms; v++)
        if (sc->vms[v].to == (int)i) {
          fail(r, nd->line, "node '%s': final=\"off\" but vm '%s' ends on it", nd->host,
               sc->vms[v].id);
          break;
        }
    }
  }
  free(hosts_end);
}

static char* resolve_platform(const char* scenario_path, const char* platform)
{
  if (platform[0] == '/')
    return strdup(platform);
  const char* slash = strrchr(scenario_path, '/');
  size_t dirlen = slash ? (size_t)(slash - scenario_path + 1) : 0;
  char* p = malloc(dirlen + strlen(platform) + 1);
  if (!p)
    return NULL;
  memcpy(p, scenario_path, dirlen);
  strcpy(p + dirlen, platform);
  return p;
}

static int is_element(xmlNode* n, const char* name)
{
  return n->type == XML_ELEMENT_NODE && strcmp((const char*)n->name, name) == 0;
}

static int validate(reader* r, xmlDoc* doc)
{
  xml_errs xe = {0};
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(mvm_scenario_xsd, (int)strlen(mvm_scenario_xsd));
  xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
  xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
  int rc;
  if (!vc)
    rc = mvm_err_set(r->err, MVM_ENOMEM, "%s: cannot load the scenario schema", r->file);
  else {
    xmlSchemaSetValidStructuredErrors(vc, capture_error_v, &xe);
    int v = xmlSchemaValidateDoc(vc, doc);
    if (v != 0)
      rc = fail(r, xe.line, "schema: %s", xe.have ? xe.msg : "document does not match the scenario schema");
    else
      rc = 0;
  }
  if (vc)
    xmlSchemaFreeValidCtxt(vc);
  if (schema)
    xmlSchemaFree(schema);
  if (pc)
    xmlSchemaFreeParserCtxt(pc);
  return rc;
}

int mvm_scenario_read(const char* path, mvm_scenario** out, mvm_error* err)
{
  *out = NULL;
  reader r = {.file = path, .err = err};
  FILE* probe = fopen(path, "r");
  if (!probe)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot read the scenario: %s", path, strerror(errno));
  fclose(probe);
  xmlDoc* doc = mvm_xml_read_untrusted(path, 0, err);
  if (!doc)
    return err ? err->code : MVM_EINPUT;
  int rc = validate(&r, doc);
  if (rc) {
    xmlFreeDoc(doc);
    return rc;
  }
  mvm_scenario* sc = calloc(1, sizeof *sc);
  if (!sc) {
    xmlFreeDoc(doc);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  r.sc = sc;
  sc->defaults = mvm_defaults_standard();
  sc->path = strdup(path);
  xmlNode* root = xmlDocGetRootElement(doc);
  char* platform = attr(root, "platform");
  sc->platform_path = platform ? resolve_platform(path, platform) : NULL;
  xmlFree(platform);
  if (!sc->path || !sc->platform_path)
    oom(&r);

  for (xmlNode* n = root->children; n && !r.failed; n = n->next) {
    if (is_element(n, "defaults"))
      read_defaults(&r, n);
    else if (is_element(n, "workload"))
      read_workload(&r, n);
    else if (is_element(n, "node"))
      read_node(&r, n);
    else if (is_element(n, "vm"))
      read_vm(&r, n);
  }
  if (!r.failed) {
    mvm_qsort(sc->workloads, sc->nworkloads, sizeof(mvm_workload), cmp_workload);
    for (size_t i = 1; i < sc->nworkloads; i++)
      if (strcmp(sc->workloads[i - 1].id, sc->workloads[i].id) == 0) {
        int a = sc->workloads[i - 1].line, b = sc->workloads[i].line;
        fail(&r, a > b ? a : b, "workload '%s': declared twice", sc->workloads[i].id);
        break;
      }
  }
  if (!r.failed)
    add_implicit_nodes(&r);
  if (!r.failed)
    resolve_vms(&r);
  for (xmlNode* n = root->children; n && !r.failed; n = n->next)
    if (n->type == XML_ELEMENT_NODE && !is_element(n, "defaults") && !is_element(n, "workload") &&
        !is_element(n, "node") && !is_element(n, "vm"))
      read_constraint(&r, n);
  if (!r.failed)
    check_precedence_cycles(&r);
  if (!r.failed)
    settle_nodes(&r);

  for (size_t i = 0; i < r.nraw; i++) {
    free(r.raw[i].vm.id);
    free(r.raw[i].workload);
    free(r.raw[i].from);
    free(r.raw[i].to);
  }
  free(r.raw);
  xmlFreeDoc(doc);
  if (r.failed) {
    mvm_scenario_free(sc);
    return err ? err->code : MVM_EINPUT;
  }
  *out = sc;
  return 0;
}

void mvm_scenario_free(mvm_scenario* sc)
{
  if (!sc)
    return;
  for (size_t i = 0; i < sc->nworkloads; i++)
    free(sc->workloads[i].id);
  for (size_t i = 0; i < sc->nnodes; i++)
    free(sc->nodes[i].host);
  for (size_t i = 0; i < sc->nvms; i++)
    free(sc->vms[i].id);
  for (size_t i = 0; i < sc->nconstraints; i++)
    free(sc->constraints[i].vms);
  free(sc->workloads);
  free(sc->nodes);
  free(sc->vms);
  free(sc->constraints);
  free(sc->path);
  free(sc->platform_path);
  free(sc);
}
