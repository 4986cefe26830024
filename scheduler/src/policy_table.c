/* The built-in policies' table and the loader (built-in names, or a user's shared object
 * through dlopen: see mvm/policy.h for the trust boundary). The offline planners of
 * mvm/solver.h are wrapped here as policies. */
#include "mvm/ident.h"
#include "mvm/policy.h"
#include "mvm/solver.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern const mvm_policy mvm__policy_one_by_one, mvm__policy_per_host, mvm__policy_kubevirt, mvm__policy_cqncr,
    mvm__policy_mvm_online;

static int solve_as(mvm_sched_kind kind, const mvm_scenario* sc, const mvm_netview* nv, int k, mvm_plan** out,
                    mvm_error* err)
{
  mvm_solver_opts o = mvm_solver_defaults();
  o.kind = kind;
  o.cap_k = k;
  int rc = mvm_solve(sc, nv, &o, out, err);
  if (!rc)
    (*out)->lower_bound = mvm_lower_bound(sc, nv);
  return rc;
}

static int plan_mvm(const mvm_scenario* sc, const mvm_netview* nv, int k, mvm_plan** out, mvm_error* err)
{
  return solve_as(MVM_SCHED_MVM, sc, nv, k, out, err);
}
static int plan_btrplace(const mvm_scenario* sc, const mvm_netview* nv, int k, mvm_plan** out, mvm_error* err)
{
  return solve_as(MVM_SCHED_BTRPLACE, sc, nv, k, out, err);
}
static int plan_cap(const mvm_scenario* sc, const mvm_netview* nv, int k, mvm_plan** out, mvm_error* err)
{
  return solve_as(MVM_SCHED_CAP, sc, nv, k, out, err);
}

static const mvm_policy policy_mvm = {
    MVM_POLICY_ABI, "mvm",
    "Kherbache, Hermenier, Madelaine, mVM (2015): network- and workload-aware offline plan (mvm/solver.h)", 0,
    plan_mvm, NULL, 0, NULL};
static const mvm_policy policy_btrplace = {
    MVM_POLICY_ABI, "btrplace",
    "BtrPlace's default model: every migration at once, duration = memory / bandwidth (offline)", 0, plan_btrplace,
    NULL, 0, NULL};
static const mvm_policy policy_cap = {
    MVM_POLICY_ABI, "cap",
    "fixed parallelism cap (Memory Buddies style): at most K concurrent migrations, FIFO, bottleneck rate (offline)",
    2, plan_cap, NULL, 0, NULL};

static const mvm_policy* const table[] = {&policy_mvm,          &policy_btrplace,     &policy_cap,
                                          &mvm__policy_one_by_one, &mvm__policy_per_host, &mvm__policy_kubevirt,
                                          &mvm__policy_cqncr,   &mvm__policy_mvm_online, NULL};

const mvm_policy* const* mvm_policy_builtin(void) { return table; }

/* A policy record's own consistency. */
static int valid_record(const mvm_policy* p, const char* where, mvm_error* err)
{
  if (!p || p->abi != MVM_POLICY_ABI)
    return mvm_err_set(err, MVM_EINPUT, "%s: not an mvm policy of ABI %d", where, MVM_POLICY_ABI);
  if (!p->name || !mvm_id_valid(p->name))
    return mvm_err_set(err, MVM_EINPUT, "%s: the policy's name is not a valid id (%s)", where, mvm_id_rule);
  if (!p->plan == !p->on_event)
    return mvm_err_set(err, MVM_EINPUT, "%s: policy '%s' must give exactly one of plan and on_event", where, p->name);
  if (p->state_size > (size_t)1 << 30)
    return mvm_err_set(err, MVM_EINPUT, "%s: policy '%s' asks for over 1 GiB of state", where, p->name);
  return 0;
}

static int load_object(const char* path, mvm_policy_ref* out, mvm_error* err)
{
  struct stat st;
  if (strlen(path) >= PATH_MAX)
    return mvm_err_set(err, MVM_EINPUT, "%.64s...: path too long", path);
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    return mvm_err_set(err, MVM_EINPUT, "%s: not a regular file (a policy's shared object)", path);
  void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot load: %s", path, dlerror());
  const mvm_policy* (*entry)(void);
  *(void**)&entry = dlsym(h, "mvm_policy_entry");
  if (!entry) {
    dlclose(h);
    return mvm_err_set(err, MVM_EINPUT, "%s: no function mvm_policy_entry (see mvm/policy.h)", path);
  }
  const mvm_policy* p = entry();
  int rc = valid_record(p, path, err);
  if (rc) {
    dlclose(h);
    return rc;
  }
  out->p = p;
  out->handle = h;
  out->param = p->default_param;
  snprintf(out->name, sizeof out->name, "%s", p->name);
  return 0;
}

int mvm_policy_load(const char* spec, mvm_policy_ref* out, mvm_error* err)
{
  memset(out, 0, sizeof *out);
  if (strchr(spec, '/'))
    return load_object(spec, out, err);
  size_t len = strlen(spec);
  for (const mvm_policy* const* t = table; *t; t++) {
    size_t n = strlen((*t)->name);
    if (len == n && !strncmp(spec, (*t)->name, n)) {
      out->p = *t;
      out->param = (*t)->default_param;
    } else if ((*t)->default_param > 0 && len > n + 1 && !strncmp(spec, (*t)->name, n) && spec[n] == '-') {
      char* end;
      long k = strtol(spec + n + 1, &end, 10);
      if (*end || spec[n + 1] < '1' || spec[n + 1] > '9' || k < 1 || k > 1000000)
        return mvm_err_set(err, MVM_EINPUT, "policy '%.64s': K must be a whole number from 1 to 1000000", spec);
      out->p = *t;
      out->param = (int)k;
    } else
      continue;
    snprintf(out->name, sizeof out->name, "%s", spec); /* as given: "per-host", "per-host-2" */
    return 0;
  }
  char list[512] = "";
  for (const mvm_policy* const* t = table; *t; t++) {
    size_t u = strlen(list);
    snprintf(list + u, sizeof list - u, "%s%s%s", u ? ", " : "", (*t)->name, (*t)->default_param ? "-K" : "");
  }
  return mvm_err_set(err, MVM_EINPUT, "unknown policy '%.64s' (built in: %s; or a path to a shared object, with a '/')",
                     spec, list);
}

void mvm_policy_unload(mvm_policy_ref* ref)
{
  if (ref->handle)
    dlclose(ref->handle);
  memset(ref, 0, sizeof *ref);
}
