/* The SimGrid options (--cfg=KEY:VALUE) mvm accepts, checked before SimGrid starts: SimGrid
 * 3.32 aborts on some bad values (contexts/factory:nope) and hangs or computes nonsense on
 * others (surf/precision:nan), so only the keys below, with values of their type and range,
 * reach it. One table: the check and the message listing what is accepted both read it. */
#include "cli.h"
#include "mvm/ident.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { CFG_BOOL, CFG_DOUBLE, CFG_INT, CFG_ENUM } cfg_type;

typedef struct cfg_key {
  const char* key;
  cfg_type type;
  double min, max;      /* CFG_DOUBLE, CFG_INT: inclusive range */
  int min_open;         /* CFG_DOUBLE: min itself excluded */
  const char* values;   /* CFG_ENUM: comma-separated */
} cfg_key;

static const cfg_key keys[] = {
    {"network/model", CFG_ENUM, 0, 0, 0, "LV08,CM02"}, /* Constant aborts on any platform with a link */
    {"network/optim", CFG_ENUM, 0, 0, 0, "Lazy,Full"},
    {"network/crosstraffic", CFG_BOOL, 0, 0, 0, NULL},
    {"network/maxmin-selective-update", CFG_BOOL, 0, 0, 0, NULL},
    {"network/TCP-gamma", CFG_DOUBLE, 0, 1e15, 1, NULL},
    {"network/latency-factor", CFG_DOUBLE, 0, 1e6, 0, NULL},
    {"network/bandwidth-factor", CFG_DOUBLE, 0, 1, 1, NULL}, /* the scheduler follows it: (0, 1] */
    {"network/weight-S", CFG_DOUBLE, 0, 1e12, 0, NULL},
    {"network/loopback-bw", CFG_DOUBLE, 0, 1e18, 1, NULL},
    {"network/loopback-lat", CFG_DOUBLE, 0, 1e6, 0, NULL},
    {"cpu/model", CFG_ENUM, 0, 0, 0, "Cas01"},
    {"cpu/optim", CFG_ENUM, 0, 0, 0, "Lazy,Full"}, /* TI is refused: SimGrid 3.32 throws on it with these models */
    {"cpu/maxmin-selective-update", CFG_BOOL, 0, 0, 0, NULL},
    {"host/model", CFG_ENUM, 0, 0, 0, "default,compound"},
    {"surf/precision", CFG_DOUBLE, 0, 1e-2, 1, NULL},
    {"maxmin/precision", CFG_DOUBLE, 0, 1e-2, 1, NULL}, /* 1 makes the solver abort */
    {"maxmin/concurrency-limit", CFG_INT, -1, 1e6, 0, NULL}, /* 0 excluded below */
    {"contexts/factory", CFG_ENUM, 0, 0, 0, "thread,ucontext,raw,boost"},
    {"contexts/stack-size", CFG_INT, 16, 1048576, 0, NULL},
    {"contexts/guard-size", CFG_INT, 0, 1024, 0, NULL},
    {"contexts/nthreads", CFG_INT, 1, 64, 0, NULL},
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* 1 if v is one of the comma-separated values in list. */
static int in_list(const char* list, const char* v)
{
  size_t n = strlen(v);
  for (const char* p = list; *p;) {
    const char* c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    if (len == n && strncmp(p, v, n) == 0)
      return 1;
    p += len + (c != NULL);
  }
  return 0;
}

/* Checks value against k; returns 0, or -1 with what is accepted in why. */
static int check_value(const cfg_key* k, const char* v, char* why, size_t why_len)
{
  char* end;
  errno = 0;
  switch (k->type) {
  case CFG_BOOL:
    if (in_list("yes,on,true,1,no,off,false,0", v))
      return 0;
    snprintf(why, why_len, "a boolean (yes, on, true, 1, no, off, false, 0)");
    return -1;
  case CFG_ENUM:
    if (in_list(k->values, v))
      return 0;
    snprintf(why, why_len, "one of %s", k->values);
    return -1;
  case CFG_INT: {
    long x = strtol(v, &end, 10);
    if (*v && !*end && !errno && x >= k->min && x <= k->max && !(x == 0 && k->min < 0))
      return 0;
    snprintf(why, why_len, "a whole number from %.0f to %.0f%s", k->min, k->max, k->min < 0 ? ", not 0" : "");
    return -1;
  }
  case CFG_DOUBLE: {
    double x = strtod(v, &end);
    if (*v && !*end && !errno && isfinite(x) && (k->min_open ? x > k->min : x >= k->min) && x <= k->max &&
        strpbrk(v, "xX") == NULL)
      return 0;
    snprintf(why, why_len, "a finite number %s %g and <= %g", k->min_open ? ">" : ">=", k->min, k->max);
    return -1;
  }
  }
  return -1;
}

int cli_sgcfg_check(const char* arg, mvm_error* err)
{
  const char* kv = arg + (strncmp(arg, "--cfg=", 6) == 0 ? 6 : 0);
  const char* colon = strchr(kv, ':');
  size_t klen = colon ? (size_t)(colon - kv) : strlen(kv);
  char cut[MVM_ID_CUT], key[MVM_ID_CUT + 1];
  snprintf(key, sizeof key, "%.*s", (int)(klen < 64 ? klen : 64), kv);
  for (size_t i = 0; i < NKEYS; i++) {
    if (strlen(keys[i].key) != klen || strncmp(keys[i].key, kv, klen) != 0)
      continue;
    char why[200];
    if (!colon)
      return mvm_err_set(err, MVM_EINPUT, "--cfg=%s: expected --cfg=%s:VALUE", keys[i].key, keys[i].key);
    if (check_value(&keys[i], colon + 1, why, sizeof why) == 0)
      return 0;
    return mvm_err_set(err, MVM_EINPUT, "--cfg=%s: bad value '%s' (accepted: %s)", keys[i].key,
                       mvm_id_cut(colon + 1, cut), why);
  }
  mvm_err_set(err, MVM_EINPUT, "--cfg: unknown SimGrid option '%s%s' (mvm accepts:", mvm_id_cut(key, cut),
              klen > 64 ? "..." : "");
  for (size_t i = 0; i < NKEYS; i++)
    mvm_err_append(err, "%s%s", i ? ", " : " ", keys[i].key);
  mvm_err_append(err, ")");
  return MVM_EINPUT;
}
