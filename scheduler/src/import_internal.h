/* mvm — internal to the BtrPlace import (import_btrplace.c reads the instance, import_json.c
 * holds the JSON field readers, import_platform.c writes a platform from the network view).
 * Not installed. Every reader returns 0 or MVM_EINPUT with "FILE: $.json.path: what" in
 * c->err; MVM_ENOMEM if out of memory. */
#ifndef MVM_IMPORT_INTERNAL_H
#define MVM_IMPORT_INTERNAL_H

#include "mvm/import.h"

#include <jansson.h>
#include <stddef.h>

#define MAX_ID 9999999L /* node and VM numbers */
#define MAX_TIME 1e9    /* s */
#define MAX_MB 1e9      /* MB, MB/s */
#define MAX_NODES 10000  /* the lookups are linear: a small file must not take hours */
#define MAX_NET_NODES 1000 /* a generated platform has a route per pair of nodes */


typedef struct node_t {
  long id;
  int online, booted, shut, nend; /* nend: VMs it hosts at the end */
  double boot, shutdown;          /* s, < 0 if not given */
  double mem_gib, cpu;            /* < 0 if not given */
  int linked;                     /* has a link in the network view */
} node_t;

typedef struct vm_t {
  long id, from, to; /* node ids */
  double used, hot_size, hot_dur, cold; /* MB, MB, s, MB/s */
  int has_wl, wl, migrated;
  double mem_gib, cpu; /* < 0 if not given */
} vm_t;

typedef struct ctx {
  const char* file;
  mvm_error* err;
  node_t* nodes;
  size_t nnodes, cnodes;
  vm_t* vms;
  size_t nvms, cvms;
  json_t* net; /* the network view, or NULL */
  double idle_w, vm_w; /* < 0 if not given */
} ctx;

/* Sets c->err to "FILE: PATH: message" (MVM_EINPUT) and returns MVM_EINPUT. */
int mvm__imp_bad(ctx* c, const char* path, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
/* path + "." + key (or "[i]" when key is NULL) into out, odd characters of the key as '?'. */
void mvm__imp_subpath(char* out, size_t n, const char* path, const char* key, size_t i);
/* obj.key of type t (JSON_REAL: any number); missing: an error if required, else *out = NULL. */
int mvm__imp_get(ctx* c, json_t* obj, const char* path, const char* key, json_type t, int required, json_t** out);
/* A finite number in [lo, hi]; missing and optional: *v unchanged. */
int mvm__imp_get_num(ctx* c, json_t* obj, const char* path, const char* key, int required, double lo, double hi,
                     double* v);
/* A node or VM number: j an integer in [0, MAX_ID]; key_id: an object key that spells one. */
int mvm__imp_as_id(ctx* c, const json_t* j, const char* path, long* id);
int mvm__imp_key_id(ctx* c, const char* key, const char* path, long* id);
/* obj.key, a required node or VM number. */
int mvm__imp_get_id(ctx* c, json_t* obj, const char* path, const char* key, long* id);
/* Refuses values nested deeper than MVM_IMPORT_MAX_DEPTH below j. */
int mvm__imp_depth_check(ctx* c, json_t* j, const char* path, int depth);
/* The node of number id, or NULL. */
node_t* mvm__imp_find_node(ctx* c, long id);
/* The platform XML from the instance's network view into *out (malloc'd, the caller frees). */
int mvm__imp_write_platform(ctx* c, char** out);

#endif
