/* mvm generate: scaled scenarios. */
#include "cli.h"
#include "mvm/generate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole number within [lo, hi] from option `name`; 0, or MVM_EINPUT in err. */
static int whole(const char* name, const char* s, long long lo, long long hi, long long* out, mvm_error* err)
{
  char* end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (*end || end == s || errno)
    return mvm_err_set(err, MVM_EINPUT, "--%s: '%.64s' is not a whole number", name, s);
  if (v < lo || v > hi)
    return mvm_err_set(err, MVM_EINPUT, "--%s must be between %lld and %lld, not %lld", name, lo, hi, v);
  *out = v;
  return 0;
}

static const char* const usage = "mvm generate: usage: mvm generate decommission --scale N -o DIR\n"
                                 "       mvm generate fat-tree --k K [--shape random|decommission|rebalance] "
                                 "[--migrations M] [--seed S] -o DIR\n";

int cmd_generate(int argc, char** argv)
{
  const char *scale = NULL, *dir = NULL, *k = NULL, *shape = NULL, *migs = NULL, *seed = NULL;
  const cli_opt opts[] = {{"scale", 0, "N", "decommission: scale factor (N = 10: 960 VMs, 720 servers)", &scale},
                          {"k", 0, "K", "fat-tree: switch ports, even, 4-64 (k^3/4 hosts: 48 gives 27,648)", &k},
                          {"shape", 0, "S", "fat-tree: random (default), decommission or rebalance", &shape},
                          {"migrations", 0, "M", "fat-tree: migrations (default: 10000, at most the hosts)", &migs},
                          {"seed", 0, "S", "fat-tree: seed of the placement (default 1)", &seed},
                          {"output", 'o', "DIR", "folder to write the scenario and its platform into", &dir},
                          {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("generate", opts, argc, argv, 0, NULL, &a);
  if (st >= 0)
    return st;
  mvm_error err = {0};
  if (a.npos == 1 && !strcmp(a.pos[0], "decommission") && scale && dir && !k && !shape && !migs && !seed) {
    long long n;
    if (whole("scale", scale, 1, 100000, &n, &err) || mvm_generate_decommission((int)n, dir, &err))
      return cli_fail(&err);
    fprintf(stderr, "mvm generate: wrote %s/scale-%lld.xml and %s/scale-%lld.platform.xml\n", dir, n, dir, n);
    return 0;
  }
  if (a.npos == 1 && !strcmp(a.pos[0], "fat-tree") && k && dir && !scale) {
    long long kk, m = -1, s = 1;
    mvm_fattree_shape sh = MVM_FT_RANDOM;
    if (whole("k", k, 4, 64, &kk, &err) || (migs && whole("migrations", migs, 1, 1000000, &m, &err)) ||
        (seed && whole("seed", seed, 0, 1000000000000LL, &s, &err)))
      return cli_fail(&err);
    if (shape && mvm_fattree_shape_parse(shape, &sh)) {
      mvm_err_set(&err, MVM_EINPUT, "--shape must be random, decommission or rebalance, not '%.64s'", shape);
      return cli_fail(&err);
    }
    long long hosts = kk * kk * kk / 4;
    if (m < 0)
      m = hosts < 10000 ? hosts : 10000;
    if (mvm_generate_fattree((int)kk, sh, (int)m, (uint64_t)s, dir, &err))
      return cli_fail(&err);
    fprintf(stderr, "mvm generate: wrote %s/fat-tree-%lld-%s.xml and %s/fat-tree-%lld.platform.xml\n", dir, kk,
            mvm_fattree_shape_name(sh), dir, kk);
    return 0;
  }
  fputs(usage, stderr);
  return 2;
}
