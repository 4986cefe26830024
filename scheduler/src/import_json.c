/* The JSON field readers of the BtrPlace import: each names the file and the JSON path of what
 * it refuses (import_internal.h). */
#include "import_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mvm__imp_bad(ctx* c, const char* path, const char* fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return mvm_err_set(c->err, MVM_EINPUT, "%s: %s: %s", c->file, path, msg);
}

/* path + "." + key (or "[i]" when key is NULL), with the key's odd characters shown as '?' */
void mvm__imp_subpath(char* out, size_t n, const char* path, const char* key, size_t i)
{
  if (!key) {
    int w = snprintf(out, n, "%s[%zu]", path, i);
    if (w < 0 || (size_t)w >= n) /* a path longer than the buffer (depth is bounded): cut */
      out[n - 1] = '\0';
    return;
  }
  char k[80];
  size_t j = 0;
  for (; key[j] && j + 4 < sizeof k; j++)
    k[j] = (key[j] >= 0x20 && key[j] < 0x7f) ? key[j] : '?';
  if (key[j]) {
    memcpy(k + j, "...", 3);
    j += 3;
  }
  k[j] = '\0';
  int w = snprintf(out, n, "%s.%s", path, k);
  if (w < 0 || (size_t)w >= n)
    out[n - 1] = '\0';
}

static const char* mvm__imp_type_name(json_type t)
{
  switch (t) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  default: return "a number";
  }
}

static int mvm__imp_type_ok(const json_t* v, json_type t)
{
  return t == JSON_REAL ? json_is_number(v) : json_typeof(v) == t;
}

/* obj.key of type t (JSON_REAL: any number). Missing: an error if required, else *out = NULL. */
int mvm__imp_get(ctx* c, json_t* obj, const char* path, const char* key, json_type t, int required,
               json_t** out)
{
  char p[1024];
  mvm__imp_subpath(p, sizeof p, path, key, 0);
  *out = json_object_get(obj, key);
  if (!*out)
    return required ? mvm__imp_bad(c, p, "missing field") : 0;
  if (!mvm__imp_type_ok(*out, t))
    return mvm__imp_bad(c, p, "expected %s", mvm__imp_type_name(t));
  return 0;
}

/* A finite number in [lo, hi]; missing and optional: *v unchanged. */
int mvm__imp_get_num(ctx* c, json_t* obj, const char* path, const char* key, int required, double lo,
                   double hi, double* v)
{
  json_t* j;
  int rc = mvm__imp_get(c, obj, path, key, JSON_REAL, required, &j);
  if (rc || !j)
    return rc;
  double x = json_number_value(j);
  if (!isfinite(x) || x < lo || x > hi) {
    char p[1024];
    mvm__imp_subpath(p, sizeof p, path, key, 0);
    return mvm__imp_bad(c, p, "%g is out of range [%g, %g]", x, lo, hi);
  }
  *v = x;
  return 0;
}

int mvm__imp_as_id(ctx* c, const json_t* j, const char* path, long* id)
{
  if (!json_is_integer(j))
    return mvm__imp_bad(c, path, "expected an integer");
  json_int_t x = json_integer_value(j);
  if (x < 0 || x > MAX_ID)
    return mvm__imp_bad(c, path, "%lld is out of range [0, %ld]", (long long)x, MAX_ID);
  *id = (long)x;
  return 0;
}

int mvm__imp_key_id(ctx* c, const char* key, const char* path, long* id)
{
  char* end;
  errno = 0;
  long x = (key[0] >= '0' && key[0] <= '9') ? strtol(key, &end, 10) : -1;
  if (x < 0 || errno || *end || x > MAX_ID)
    return mvm__imp_bad(c, path, "'%.40s' is not a node or VM number", key);
  *id = x;
  return 0;
}

int mvm__imp_get_id(ctx* c, json_t* obj, const char* path, const char* key, long* id)
{
  json_t* j;
  int rc = mvm__imp_get(c, obj, path, key, JSON_INTEGER, 1, &j);
  if (rc)
    return rc;
  char p[1024];
  mvm__imp_subpath(p, sizeof p, path, key, 0);
  return mvm__imp_as_id(c, j, p, id);
}

int mvm__imp_depth_check(ctx* c, json_t* j, const char* path, int depth)
{
  if (!json_is_object(j) && !json_is_array(j))
    return 0;
  if (depth >= MVM_IMPORT_MAX_DEPTH)
    return mvm__imp_bad(c, path, "nested deeper than %d levels", MVM_IMPORT_MAX_DEPTH);
  char p[1024];
  if (json_is_array(j)) {
    size_t i;
    json_t* v;
    json_array_foreach(j, i, v) {
      mvm__imp_subpath(p, sizeof p, path, NULL, i);
      if (mvm__imp_depth_check(c, v, p, depth + 1))
        return MVM_EINPUT;
    }
    return 0;
  }
  const char* k;
  json_t* v;
  json_object_foreach(j, k, v) {
    mvm__imp_subpath(p, sizeof p, path, k, 0);
    if (mvm__imp_depth_check(c, v, p, depth + 1))
      return MVM_EINPUT;
  }
  return 0;
}

node_t* mvm__imp_find_node(ctx* c, long id)
{
  for (size_t i = 0; i < c->nnodes; i++) /* instances have tens of nodes; the reads are bounded */
    if (c->nodes[i].id == id)
      return &c->nodes[i];
  return NULL;
}

