/* Import of a BtrPlace instance (origin model + plan, JSON) into a scenario, a platform and a
 * plan. The mapping is documented in docs/formats.md ("Import from BtrPlace").
 *
 * JSON is parsed with jansson: a strict RFC 8259 parser (no comments, no trailing commas,
 * no NaN, no NUL inside strings unless asked), with a nesting limit of its own, that rejects
 * duplicate object keys on request (JSON_REJECT_DUPLICATES: "a":1,"a":2 is an error, not a
 * silent last-wins), and a small C library well kept in Debian (libjansson-dev). On top of
 * it this file bounds the input (MVM_IMPORT_MAX_BYTES, MVM_IMPORT_MAX_DEPTH) and checks
 * every field it uses, naming the file and the JSON path of the first bad one. */
#include "import_internal.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_long(const void* a, const void* b)
{
  long x = *(const long*)a, y = *(const long*)b;
  return (x > y) - (x < y);
}

static vm_t* find_vm(ctx* c, long id)
{
  /* c->vms is sorted by id once the mapping is read */
  return bsearch(&id, c->vms, c->nvms, sizeof *c->vms, cmp_long);
}

static int add_node(ctx* c, long id, int online, const char* path)
{
  if (mvm__imp_find_node(c, id))
    return mvm__imp_bad(c, path, "node %ld is listed twice", id);
  if (c->nnodes >= MAX_NODES)
    return mvm__imp_bad(c, path, "more than %d nodes", MAX_NODES);
  if (mvm_grow((void**)&c->nodes, &c->cnodes, c->nnodes + 1, sizeof *c->nodes, c->err))
    return MVM_ENOMEM;
  c->nodes[c->nnodes++] = (node_t){.id = id, .online = online, .boot = -1, .shutdown = -1,
                                   .mem_gib = -1, .cpu = -1};
  return 0;
}

static int read_mapping(ctx* c, json_t* mapping)
{
  const char* mp = "$.origin.mapping";
  json_t *on, *off, *ready;
  int rc;
  if ((rc = mvm__imp_get(c, mapping, mp, "onlineNodes", JSON_OBJECT, 1, &on)) ||
      (rc = mvm__imp_get(c, mapping, mp, "offlineNodes", JSON_ARRAY, 0, &off)) ||
      (rc = mvm__imp_get(c, mapping, mp, "readyVMs", JSON_ARRAY, 0, &ready)))
    return rc;
  if (ready && json_array_size(ready))
    return mvm__imp_bad(c, "$.origin.mapping.readyVMs", "ready (not running) VMs are not supported");
  char p[1024], q[1024], r[1024];
  const char* k;
  json_t* n;
  json_object_foreach(on, k, n) {
    long id;
    mvm__imp_subpath(p, sizeof p, "$.origin.mapping.onlineNodes", k, 0);
    if ((rc = mvm__imp_key_id(c, k, p, &id)) || (rc = add_node(c, id, 1, p)))
      return rc;
    if (!json_is_object(n))
      return mvm__imp_bad(c, p, "expected an object");
    json_t *run, *sleep;
    if ((rc = mvm__imp_get(c, n, p, "runningVMs", JSON_ARRAY, 1, &run)) ||
        (rc = mvm__imp_get(c, n, p, "sleepingVMs", JSON_ARRAY, 0, &sleep)))
      return rc;
    if (sleep && json_array_size(sleep)) {
      mvm__imp_subpath(q, sizeof q, p, "sleepingVMs", 0);
      return mvm__imp_bad(c, q, "sleeping VMs are not supported");
    }
    mvm__imp_subpath(q, sizeof q, p, "runningVMs", 0);
    size_t i;
    json_t* v;
    json_array_foreach(run, i, v) {
      long vid;
      mvm__imp_subpath(r, sizeof r, q, NULL, i);
      if ((rc = mvm__imp_as_id(c, v, r, &vid)))
        return rc;
      if (mvm_grow((void**)&c->vms, &c->cvms, c->nvms + 1, sizeof *c->vms, c->err))
        return MVM_ENOMEM;
      c->vms[c->nvms++] = (vm_t){.id = vid, .from = id, .to = id, .mem_gib = -1, .cpu = -1};
    }
  }
  if (off) {
    size_t i;
    json_t* v;
    json_array_foreach(off, i, v) {
      long id;
      mvm__imp_subpath(p, sizeof p, "$.origin.mapping.offlineNodes", NULL, i);
      if ((rc = mvm__imp_as_id(c, v, p, &id)) || (rc = add_node(c, id, 0, p)))
        return rc;
    }
  }
  mvm_qsort(c->vms, c->nvms, sizeof *c->vms, cmp_long);
  for (size_t i = 1; i < c->nvms; i++)
    if (c->vms[i].id == c->vms[i - 1].id)
      return mvm__imp_bad(c, "$.origin.mapping.onlineNodes", "VM %ld runs on two nodes", c->vms[i].id);
  return 0;
}

/* the workload in either dialect: maxDirtySize/maxDirtyDuration/dirtyRate (the thesis) or
 * hotDirtySize/hotDirtyDuration/coldDirtyRate */
static int read_vm_attrs(ctx* c, json_t* vms)
{
  static const char* dialect[2][3] = {{"maxDirtySize", "maxDirtyDuration", "dirtyRate"},
                                      {"hotDirtySize", "hotDirtyDuration", "coldDirtyRate"}};
  char p[1024];
  int rc;
  for (size_t i = 0; i < c->nvms; i++) {
    vm_t* vm = &c->vms[i];
    char key[32];
    snprintf(key, sizeof key, "%ld", vm->id);
    json_t* a;
    if ((rc = mvm__imp_get(c, vms, "$.origin.attributes.vms", key, JSON_OBJECT, 1, &a)))
      return rc;
    mvm__imp_subpath(p, sizeof p, "$.origin.attributes.vms", key, 0);
    if ((rc = mvm__imp_get_num(c, a, p, "memUsed", 1, 1e-6, MAX_MB, &vm->used)))
      return rc;
    for (int d = 0; d < 2 && !vm->has_wl; d++) {
      int present = 0;
      for (int f = 0; f < 3; f++)
        present += json_object_get(a, dialect[d][f]) != NULL;
      if (!present)
        continue;
      vm->cold = 0;
      if ((rc = mvm__imp_get_num(c, a, p, dialect[d][0], 1, 0, MAX_MB, &vm->hot_size)) ||
          (rc = mvm__imp_get_num(c, a, p, dialect[d][1], 1, 1e-6, MAX_TIME, &vm->hot_dur)) ||
          (rc = mvm__imp_get_num(c, a, p, dialect[d][2], 0, 0, MAX_MB, &vm->cold)))
        return rc;
      vm->has_wl = 1;
    }
  }
  return 0;
}

static int read_node_attrs(ctx* c, json_t* nodes)
{
  char p[1024];
  const char* k;
  json_t* a;
  int rc;
  json_object_foreach(nodes, k, a) {
    long id;
    mvm__imp_subpath(p, sizeof p, "$.origin.attributes.nodes", k, 0);
    if ((rc = mvm__imp_key_id(c, k, p, &id)))
      return rc;
    node_t* n = mvm__imp_find_node(c, id);
    if (!n)
      return mvm__imp_bad(c, p, "node %ld is not in the mapping", id);
    if (!json_is_object(a))
      return mvm__imp_bad(c, p, "expected an object");
    if ((rc = mvm__imp_get_num(c, a, p, "boot", 0, 0, MAX_TIME, &n->boot)) ||
        (rc = mvm__imp_get_num(c, a, p, "shutdown", 0, 0, MAX_TIME, &n->shutdown)))
      return rc;
  }
  return 0;
}

/* v must be an object with a string "id" (views[], actions[]) */
static int obj_with_id(ctx* c, json_t* v, const char* path, const char** id)
{
  if (!json_is_object(v))
    return mvm__imp_bad(c, path, "expected an object");
  json_t* j;
  int rc = mvm__imp_get(c, v, path, "id", JSON_STRING, 1, &j);
  if (!rc)
    *id = json_string_value(j);
  return rc;
}

/* shareableResource views (mem in GiB, cpu in cores), the energy view, the network view */
static int read_views(ctx* c, json_t* views)
{
  char p[1024], q[1024], r[1024];
  size_t i;
  json_t* v;
  int rc;
  json_array_foreach(views, i, v) {
    const char* s;
    mvm__imp_subpath(p, sizeof p, "$.origin.views", NULL, i);
    if ((rc = obj_with_id(c, v, p, &s)))
      return rc;
    if (!strcmp(s, "net")) {
      if (c->net)
        return mvm__imp_bad(c, p, "a second network view");
      c->net = v;
      continue;
    }
    if (strstr(s, "Energy") || strstr(s, "Power")) {
      if ((rc = mvm__imp_get_num(c, v, p, "idle", 0, 0, 1e6, &c->idle_w)) ||
          (rc = mvm__imp_get_num(c, v, p, "vm", 0, 0, 1e6, &c->vm_w)))
        return rc;
      continue;
    }
    if (strcmp(s, "shareableResource") != 0)
      continue; /* a view mvm has no use for */
    json_t *rcid, *nodes, *vms;
    if ((rc = mvm__imp_get(c, v, p, "rcId", JSON_STRING, 1, &rcid)) ||
        (rc = mvm__imp_get(c, v, p, "nodes", JSON_OBJECT, 0, &nodes)) ||
        (rc = mvm__imp_get(c, v, p, "vms", JSON_OBJECT, 0, &vms)))
      return rc;
    int mem = !strcmp(json_string_value(rcid), "mem");
    if (!mem && strcmp(json_string_value(rcid), "cpu") != 0)
      continue;
    const char* k;
    json_t* x;
    if (nodes) {
      mvm__imp_subpath(q, sizeof q, p, "nodes", 0);
      json_object_foreach(nodes, k, x) {
        long nid;
        mvm__imp_subpath(r, sizeof r, q, k, 0);
        if ((rc = mvm__imp_key_id(c, k, r, &nid)))
          return rc;
        node_t* n = mvm__imp_find_node(c, nid);
        if (!n)
          return mvm__imp_bad(c, r, "node %ld is not in the mapping", nid);
        double val = 0;
        if ((rc = mvm__imp_get_num(c, nodes, q, k, 1, 0, 1e7, &val)))
          return rc;
        *(mem ? &n->mem_gib : &n->cpu) = val;
      }
    }
    if (vms) {
      mvm__imp_subpath(q, sizeof q, p, "vms", 0);
      json_object_foreach(vms, k, x) {
        long vid;
        mvm__imp_subpath(r, sizeof r, q, k, 0);
        if ((rc = mvm__imp_key_id(c, k, r, &vid)))
          return rc;
        vm_t* vm = find_vm(c, vid);
        double val = 0;
        if ((rc = mvm__imp_get_num(c, vms, q, k, 1, 0, 1e7, &val)))
          return rc;
        if (vm)
          *(mem ? &vm->mem_gib : &vm->cpu) = val;
      }
    }
  }
  return 0;
}

/* actions[]: migrateVM, bootNode, shutdownNode, into the plan */
static int read_actions(ctx* c, json_t* actions, mvm_plan* plan, mvm_import* im)
{
  char p[1024], q[1024];
  size_t i;
  json_t* a;
  int rc;
  json_array_foreach(actions, i, a) {
    const char* kind;
    double st = 0, ed = 0;
    mvm__imp_subpath(p, sizeof p, "$.actions", NULL, i);
    if ((rc = obj_with_id(c, a, p, &kind)) ||
        (rc = mvm__imp_get_num(c, a, p, "start", 1, 0, MAX_TIME, &st)) ||
        (rc = mvm__imp_get_num(c, a, p, "end", 1, 0, MAX_TIME, &ed)))
      return rc;
    if (ed < st) {
      mvm__imp_subpath(q, sizeof q, p, "end", 0);
      return mvm__imp_bad(c, q, "ends (%g s) before it starts (%g s)", ed, st);
    }
    char s1[32], s2[32], s3[32];
    if (!strcmp(kind, "migrateVM")) {
      long vid, from, to;
      double bw = 0;
      if ((rc = mvm__imp_get_id(c, a, p, "vm", &vid)) || (rc = mvm__imp_get_id(c, a, p, "from", &from)) ||
          (rc = mvm__imp_get_id(c, a, p, "to", &to)) || (rc = mvm__imp_get_num(c, a, p, "bw", 1, 0, 1e7, &bw)))
        return rc;
      vm_t* vm = find_vm(c, vid);
      mvm__imp_subpath(q, sizeof q, p, "vm", 0);
      if (!vm)
        return mvm__imp_bad(c, q, "VM %ld is not running in the mapping", vid);
      if (vm->migrated)
        return mvm__imp_bad(c, q, "VM %ld migrates twice (not supported)", vid);
      mvm__imp_subpath(q, sizeof q, p, "from", 0);
      if (from != vm->from)
        return mvm__imp_bad(c, q, "VM %ld runs on node %ld, not %ld", vid, vm->from, from);
      mvm__imp_subpath(q, sizeof q, p, "to", 0);
      if (!mvm__imp_find_node(c, to))
        return mvm__imp_bad(c, q, "node %ld is not in the mapping", to);
      if (to == from)
        return mvm__imp_bad(c, q, "VM %ld migrates to the node it runs on", vid);
      vm->to = to;
      vm->migrated = 1;
      snprintf(s1, sizeof s1, "vm%ld", vid);
      snprintf(s2, sizeof s2, "node%ld", from);
      snprintf(s3, sizeof s3, "node%ld", to);
      if ((rc = mvm_plan_add(plan, MVM_ACT_MIGRATE, s1, s2, s3, st, ed, bw, c->err)))
        return rc;
      im->nmigrations++;
    } else if (!strcmp(kind, "bootNode") || !strcmp(kind, "shutdownNode")) {
      int boot = kind[0] == 'b';
      long nid;
      if ((rc = mvm__imp_get_id(c, a, p, "node", &nid)))
        return rc;
      node_t* n = mvm__imp_find_node(c, nid);
      mvm__imp_subpath(q, sizeof q, p, "node", 0);
      if (!n)
        return mvm__imp_bad(c, q, "node %ld is not in the mapping", nid);
      if (boot ? (n->online || n->booted) : (!n->online || n->shut))
        return mvm__imp_bad(c, q, "node %ld is %s", nid, boot ? "already on" : "already off");
      *(boot ? &n->booted : &n->shut) = 1;
      snprintf(s1, sizeof s1, "node%ld", nid);
      if ((rc = mvm_plan_add(plan, boot ? MVM_ACT_BOOT : MVM_ACT_SHUTDOWN, s1, s1, s1, st, ed, 0, c->err)))
        return rc;
      (*(boot ? &im->nboots : &im->nshutdowns))++;
    } else {
      mvm__imp_subpath(q, sizeof q, p, "id", 0);
      return mvm__imp_bad(c, q, "unsupported action '%.40s' (migrateVM, bootNode and shutdownNode are)", kind);
    }
  }
  for (size_t v = 0; v < c->nvms; v++) {
    node_t* n = mvm__imp_find_node(c, c->vms[v].to);
    n->nend++;
  }
  for (size_t k = 0; k < c->nnodes; k++)
    if (c->nodes[k].shut && c->nodes[k].nend)
      return mvm__imp_bad(c, "$.actions", "node %ld is shut down but still hosts %d VMs at the end",
                 c->nodes[k].id, c->nodes[k].nend);
  return 0;
}

static int cmp_node(const void* a, const void* b)
{
  return cmp_long(&((const node_t*)a)->id, &((const node_t*)b)->id);
}

/* The duration every node agrees on (or the longest, noted in *mixed); < 0 if none is given. */
static double common_duration(const ctx* c, int shutdown, int* mixed)
{
  double v = -1;
  *mixed = 0;
  for (size_t i = 0; i < c->nnodes; i++) {
    double d = shutdown ? c->nodes[i].shutdown : c->nodes[i].boot;
    if (d < 0)
      continue;
    if (v >= 0 && d != v)
      *mixed = 1;
    v = fmax(v, d);
  }
  return v;
}

static int write_scenario(ctx* c, char** out)
{
  size_t len;
  FILE* fp = open_memstream(out, &len);
  if (!fp)
    return mvm_err_set(c->err, MVM_ENOMEM, "out of memory");
  fprintf(fp, "<?xml version=\"1.0\"?>\n<!-- Imported from a BtrPlace instance by mvm import "
              "btrplace (docs/formats.md). -->\n<scenario version=\"1\" platform=\"platform.xml\">\n");
  int mb, ms;
  double boot = common_duration(c, 0, &mb), shut = common_duration(c, 1, &ms);
  if (mb || ms)
    fprintf(fp, "  <!-- the nodes' %s durations differ: the scenario has one per plan, the longest -->\n",
            mb && ms ? "boot and shutdown" : mb ? "boot" : "shutdown");
  fprintf(fp, "  <defaults");
  if (boot >= 0)
    fprintf(fp, " boot=\"%.15gs\"", boot);
  if (shut >= 0)
    fprintf(fp, " shutdown=\"%.15gs\"", shut);
  if (c->idle_w >= 0)
    fprintf(fp, " node-idle=\"%.15gW\"", c->idle_w);
  if (c->vm_w >= 0)
    fprintf(fp, " vm-power=\"%.15gW\"", c->vm_w);
  fprintf(fp, "/>\n");
  /* one workload per distinct (hot size, hot duration, cold rate), in VM order */
  int nwl = 0;
  for (size_t i = 0; i < c->nvms; i++) {
    vm_t* vm = &c->vms[i];
    if (!vm->has_wl)
      continue;
    vm->wl = -1;
    for (size_t j = 0; j < i && vm->wl < 0; j++)
      if (c->vms[j].has_wl && c->vms[j].hot_size == vm->hot_size && c->vms[j].hot_dur == vm->hot_dur &&
          c->vms[j].cold == vm->cold)
        vm->wl = c->vms[j].wl;
    if (vm->wl >= 0)
      continue;
    vm->wl = nwl++;
    fprintf(fp, "  <workload id=\"w%d\" hot-size=\"%.15gMB\" hot-duration=\"%.15gs\" cold-rate=\"%.15gMB/s\"/>\n",
            vm->wl, vm->hot_size, vm->hot_dur, vm->cold);
  }
  for (size_t i = 0; i < c->nnodes; i++) {
    const node_t* n = &c->nodes[i];
    fprintf(fp, "  <node host=\"node%ld\" state=\"%s\"", n->id, n->online ? "on" : "off");
    if (n->shut || n->booted)
      fprintf(fp, " final=\"%s\"", n->shut ? "off" : "on");
    if (n->mem_gib > 0)
      fprintf(fp, " memory=\"%.15gGiB\"", n->mem_gib);
    if (n->cpu > 0)
      fprintf(fp, " cores=\"%.15g\"", n->cpu);
    fprintf(fp, "/>\n");
  }
  for (size_t i = 0; i < c->nvms; i++) {
    const vm_t* vm = &c->vms[i];
    fprintf(fp, "  <vm id=\"vm%ld\"", vm->id);
    if (vm->mem_gib > 0)
      fprintf(fp, " memory=\"%.15gGiB\"", vm->mem_gib);
    else
      fprintf(fp, " memory=\"%.15gMB\"", vm->used);
    fprintf(fp, " used=\"%.15gMB\"", vm->used);
    if (vm->cpu > 0)
      fprintf(fp, " cores=\"%.15g\"", vm->cpu);
    if (vm->has_wl)
      fprintf(fp, " workload=\"w%d\"", vm->wl);
    fprintf(fp, " from=\"node%ld\"", vm->from);
    if (vm->to != vm->from)
      fprintf(fp, " to=\"node%ld\"", vm->to);
    fprintf(fp, "/>\n");
  }
  fprintf(fp, "</scenario>\n");
  if (fclose(fp) != 0) {
    free(*out);
    *out = NULL;
    return mvm_err_set(c->err, MVM_ENOMEM, "out of memory");
  }
  return 0;
}

/* Reads a whole file of at most MVM_IMPORT_MAX_BYTES. */
static int slurp(const char* path, char** buf, size_t* n, mvm_error* err)
{
  FILE* fp = fopen(path, "rb");
  if (!fp)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot read: %s", path, strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char* b = malloc(cap);
  int rc = 0;
  while (b) {
    if (len == cap) {
      if (cap > MVM_IMPORT_MAX_BYTES) {
        rc = mvm_err_set(err, MVM_EINPUT, "%s: larger than %u MB", path, MVM_IMPORT_MAX_BYTES >> 20);
        break;
      }
      char* nb = realloc(b, cap * 2);
      if (!nb)
        break;
      b = nb;
      cap *= 2;
    }
    size_t r = fread(b + len, 1, cap - len, fp);
    len += r;
    if (r == 0)
      break;
  }
  if (!rc && len > MVM_IMPORT_MAX_BYTES)
    rc = mvm_err_set(err, MVM_EINPUT, "%s: larger than %u MB", path, MVM_IMPORT_MAX_BYTES >> 20);
  if (!rc && !b)
    rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
  if (!rc && ferror(fp))
    rc = mvm_err_set(err, MVM_EINPUT, "%s: read error", path);
  fclose(fp);
  if (rc) {
    free(b);
    return rc;
  }
  *buf = b;
  *n = len;
  return 0;
}

int mvm_import_btrplace(const char* json_path, const char* platform_path, mvm_import** out,
                        mvm_error* err)
{
  *out = NULL;
  ctx c = {.file = json_path, .err = err, .idle_w = -1, .vm_w = -1};
  char* buf = NULL;
  size_t n = 0;
  int rc = slurp(json_path, &buf, &n, err);
  if (rc)
    return rc;
  json_error_t je;
  json_t* root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  if (!root)
    return mvm_err_set(err, MVM_EINPUT, "%s:%d:%d: $: not valid JSON: %s", json_path, je.line, je.column,
                       je.text);
  mvm_import* im = calloc(1, sizeof *im);
  if (!im) {
    json_decref(root);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  json_t *origin, *mapping, *attrs, *views, *actions, *anodes, *avms;
  if ((rc = mvm__imp_depth_check(&c, root, "$", 0)))
    goto done;
  if (!json_is_object(root)) {
    rc = mvm__imp_bad(&c, "$", "expected an object");
    goto done;
  }
  if ((rc = mvm__imp_get(&c, root, "$", "origin", JSON_OBJECT, 1, &origin)) ||
      (rc = mvm__imp_get(&c, root, "$", "actions", JSON_ARRAY, 1, &actions)) ||
      (rc = mvm__imp_get(&c, origin, "$.origin", "mapping", JSON_OBJECT, 1, &mapping)) ||
      (rc = mvm__imp_get(&c, origin, "$.origin", "attributes", JSON_OBJECT, 1, &attrs)) ||
      (rc = mvm__imp_get(&c, origin, "$.origin", "views", JSON_ARRAY, 0, &views)) ||
      (rc = mvm__imp_get(&c, attrs, "$.origin.attributes", "nodes", JSON_OBJECT, 0, &anodes)) ||
      (rc = mvm__imp_get(&c, attrs, "$.origin.attributes", "vms", JSON_OBJECT, 1, &avms)) ||
      (rc = read_mapping(&c, mapping)) || (rc = read_vm_attrs(&c, avms)) ||
      (anodes && (rc = read_node_attrs(&c, anodes))) || (views && (rc = read_views(&c, views))))
    goto done;
  if (!(im->plan = mvm_plan_new(err))) {
    rc = MVM_ENOMEM;
    goto done;
  }
  if ((rc = read_actions(&c, actions, im->plan, im)))
    goto done;
  im->plan->lower_bound = -1;
  if (!(im->plan->scheduler = strdup("btrplace-import"))) {
    rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    goto done;
  }
  im->plan->objective = mvm_plan_sum_ends(im->plan);
  im->nvms = c.nvms;
  mvm_qsort(c.nodes, c.nnodes, sizeof *c.nodes, cmp_node);
  if ((rc = write_scenario(&c, &im->scenario_xml)))
    goto done;
  if (platform_path) {
    size_t plen;
    if ((rc = slurp(platform_path, &im->platform_xml, &plen, err)))
      goto done;
    if (memchr(im->platform_xml, '\0', plen)) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s: NUL byte in the platform", platform_path);
      goto done;
    }
    char* t = realloc(im->platform_xml, plen + 1);
    if (!t) {
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
      goto done;
    }
    t[plen] = '\0';
    im->platform_xml = t;
  } else if ((rc = mvm__imp_write_platform(&c, &im->platform_xml)))
    goto done;
done:
  json_decref(root);
  free(c.nodes);
  free(c.vms);
  if (rc) {
    mvm_import_free(im);
    return rc;
  }
  *out = im;
  return 0;
}

void mvm_import_free(mvm_import* im)
{
  if (!im)
    return;
  free(im->scenario_xml);
  free(im->platform_xml);
  mvm_plan_free(im->plan);
  free(im);
}

int mvm_import_fit_bandwidth(mvm_plan* plan, const mvm_scenario* sc, const mvm_netview* nv,
                             size_t* nuncapped, size_t* nclamped, mvm_error* err)
{
  size_t nu = 0, nc = 0;
  for (size_t i = 0; i < plan->nactions; i++) {
    mvm_action* a = &plan->actions[i];
    if (a->kind != MVM_ACT_MIGRATE)
      continue;
    int v = mvm_scenario_find_vm(sc, a->subject);
    if (v < 0)
      return mvm_err_set(err, MVM_EINPUT, "migrate %s: no such VM in the scenario", a->subject);
    double max = floor(mvm_route_rate(nv, (size_t)v) * 8 / 1e6 * 1e6) / 1e6; /* Mb/s, 6 decimals down */
    if (a->bandwidth_mbps <= 0) {
      a->bandwidth_mbps = max;
      nu++;
    } else if (a->bandwidth_mbps > max) {
      a->bandwidth_mbps = max;
      nc++;
    }
  }
  if (nuncapped)
    *nuncapped = nu;
  if (nclamped)
    *nclamped = nc;
  return 0;
}
