/* mvm replay: simulate one plan; mvm run: plan with every scheduler and compare. */
#include "cli.h"
#include "mvm/check.h"
#include "mvm/solver.h"
#include "mvm/io.h"
#include "mvm/calibration.h"
#include "mvm/units.h"
#include "replay.h"
#include "policy_exec.h"
#include "mvm/drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_replay_opts(const replay_args* a, mvm_replay_opts* o, mvm_error* err)
{
  memset(o, 0, sizeof *o);
  char* end;
  long mr = a->max_rounds ? strtol(a->max_rounds, &end, 10) : MVM_STALL_MAX_ROUNDS;
  if (a->max_rounds && (end == a->max_rounds || *end || mr < 1 || mr > 1000000))
    return mvm_err_set(err, MVM_EINPUT, "--max-rounds: '%.64s' is not a whole number from 1 to 1000000", a->max_rounds);
  o->max_rounds = (int)mr;
  char why[256];
  const char* mt = a->timeout ? a->timeout : a->max_time;
  const char* opt = a->timeout ? "--timeout" : "--max-time";
  why[0] = '\0';
  o->max_time = MVM_STALL_MAX_TIME;
  if ((mt && mvm_parse_quantity(mt, MVM_UNIT_TIME, &o->max_time, why, sizeof why)) || !(o->max_time > 0) ||
      o->max_time > 1e7)
    return mvm_err_set(err, MVM_EINPUT, "%s: '%.64s': %s", opt, mt,
                       why[0] ? why : "must be positive and at most 10^7 s (SimGrid's own migration timeout)");
  if (!strcmp(a->mode, "time"))
    o->mode = MVM_REPLAY_TIME;
  else if (!strcmp(a->mode, "event"))
    o->mode = MVM_REPLAY_EVENT;
  else
    return mvm_err_set(err, MVM_EINPUT, "--mode: '%.64s' is not time or event", a->mode);
  if (!strcmp(a->on_stall, "fail"))
    o->fail_on_stall = 1;
  else if (strcmp(a->on_stall, "force"))
    return mvm_err_set(err, MVM_EINPUT, "--on-stall: '%.64s' is not fail or force", a->on_stall);
  if (a->timeout && o->fail_on_stall)
    return mvm_err_set(err, MVM_EINPUT, "--timeout suspends the VM and ends the migration (libvirt): not with --on-stall fail");
  o->autoconverge = a->autoconverge != NULL;
  o->keep_fatpipe = a->keep_fatpipe != NULL;
  cli_progress_setup(a->quiet, a->progress);
  if (cli_progress_on())
    o->progress = cli_progress_replay;
  if (a->postcopy) {
    long pc = strtol(a->postcopy, &end, 10);
    if (end == a->postcopy || *end || pc < 1 || pc > 1000000)
      return mvm_err_set(err, MVM_EINPUT, "--postcopy-after: '%.64s' is not a whole number from 1 to 1000000",
                         a->postcopy);
    o->postcopy_after = (int)pc;
  }
  return 0;
}

/* Runs the checker on the plan before a replay. Returns MVM_EINPUT (the violations that make
 * it impossible to execute printed on stderr) or 0 (a warning if it violates the scenario in
 * ways a simulation can play out). */
static int replay_precheck(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* plan, const char* path,
                           mvm_error* err)
{
  char* buf = NULL;
  size_t len = 0;
  FILE* mem = open_memstream(&buf, &len);
  if (!mem)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  size_t nv_total = 0, nstruct = 0;
  int rc = mvm_check_ex(sc, nv, plan, path, mem, 10, &nv_total, &nstruct, err);
  fclose(mem);
  if (!rc && nstruct) {
    /* the structural checks run first: their lines come first */
    const char* line = buf;
    for (size_t k = 0; k < nstruct && k < 10 && line && *line; k++) {
      const char* nl = strchr(line, '\n');
      fprintf(stderr, "%.*s\n", (int)(nl ? nl - line : (long)strlen(line)), line);
      line = nl ? nl + 1 : NULL;
    }
    rc = mvm_err_set(err, MVM_EINPUT, "%s: the plan cannot be executed (%zu problem%s above); not simulated", path,
                     nstruct, nstruct > 1 ? "s" : "");
  } else if (!rc && nv_total)
    fprintf(stderr, "mvm replay: warning: %s violates the scenario %zu time%s (mvm check tells where); simulated as it is\n",
            path, nv_total, nv_total > 1 ? "s" : "");
  free(buf);
  return rc;
}

static void print_table(const mvm_scenario* sc, const mvm_report_entry* e, size_t n)
{
  printf("%-10s %5s %10s %10s %10s %10s %8s %8s %11s %11s %9s %9s\n", "plan", "migr", "mean pred", "mean sim",
         "end pred", "end sim", "MAE s", "MRE %", "energy pred", "energy sim", "peak pred", "peak sim");
  for (size_t k = 0; k < n; k++) {
    mvm_report_totals t;
    mvm_report_totals_compute(sc, e[k].plan, e[k].sim, &t);
    printf("%-10s %5d %10.2f %10.2f %10.2f %10.2f %8.2f %8.2f %11.0f %11.0f %9.0f %9.0f\n", e[k].name, t.nmig,
           t.mean_mig_pred, t.mean_mig_sim, t.completion_pred, t.completion_sim, t.mae, 100 * t.mre, t.energy_pred,
           t.energy_sim, t.peak_pred, t.peak_sim);
    if (t.nfailed || t.nstalled)
      printf("%-10s %d migrations did not converge (%d failed)\n", "", t.nstalled, t.nfailed);
  }
}

/* mvm replay SCENARIO -s POLICY: the policy executed in the simulation; its plan or executed
 * timeline is written as plan-NAME.csv beside the reports. */
static int replay_policy(const char* spec, cli_args* a, const mvm_replay_opts* ro, const char* dir, const char* seed,
                         const char* bias, const char* sigma, int plots)
{
  mvm_error err = {0};
  char* end;
  double b = strtod(bias, &end);
  int bad = *end || end == bias;
  double x = strtod(sigma, &end);
  bad |= *end || end == sigma;
  long sd = seed ? strtol(seed, &end, 10) : 0;
  bad |= seed && (*end || end == seed || sd < 0);
  if (bad || !(b >= 1e-3 && b <= 1e3) || !(x >= 0 && x <= 3)) {
    mvm_err_set(&err, MVM_EINPUT, "--seed a whole number from 0, --bias from 0.001 to 1000, --sigma from 0 to 3");
    return cli_fail(&err);
  }
  mvm_policy_ref ref;
  if (mvm_policy_load(spec, &ref, &err))
    return cli_fail(&err);
  mvm_scenario* sc;
  mvm_netview* nv;
  if (cli_load(a->pos[0], a->sgargv, &a->sgargc, &sc, &nv, &err)) {
    mvm_policy_unload(&ref);
    return cli_fail(&err);
  }
  mvm_outdir od = {0};
  mvm_plan* plan = NULL;
  mvm_replay_result res = {0};
  mvm_scenario* truth = NULL; /* --seed: the workloads mvm compare draws for that seed */
  int rc = seed ? mvm_drift(sc, (uint64_t)sd, b, x, &truth, &err) : 0;
  if (!rc)
    rc = mvm_outdir_begin(&od, dir, &err);
  if (!rc)
    rc = cli_policy_execute(&ref, sc, truth, nv, ro, &plan, &res, &err);
  if (!rc) {
    char path[4200];
    snprintf(path, sizeof path, "%s/plan-%s.csv", mvm_outdir_path(&od), ref.name);
    rc = mvm_plan_write(plan, path, &err);
  }
  mvm_report_entry e = {ref.name, plan, &res};
  const mvm_report_opts rep = {.plots = plots};
  if (!rc)
    rc = mvm_report_write_opts(truth ? truth : sc, &e, 1, mvm_outdir_path(&od), &rep, &err);
  if (!rc)
    rc = mvm_outdir_commit(&od, &err);
  cli_progress_end();
  if (!rc)
    print_table(truth ? truth : sc, &e, 1);
  mvm_drift_free(truth);
  mvm_outdir_abort(&od);
  mvm_replay_result_free(&res);
  mvm_plan_free(plan);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  mvm_policy_unload(&ref);
  return rc ? cli_fail(&err) : 0;
}

int cmd_replay(int argc, char** argv)
{
  const char *dir = "replay-out", *policy = NULL, *seed = NULL, *bias = "1", *sigma = "0.3", *trace = NULL;
  replay_args ra = {"event", "force", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}; /* stall limits: mvm/calibration.h */
  const cli_opt opts[] = {{"output", 'o', "DIR", "folder for actions.csv, power.csv, summary.json, plots", &dir},
                          {"policy", 's', "POLICY", "instead of a plan: run this policy (offline: planned and "
                           "replayed; online: in the loop; ./x.so runs that code), docs/policies.md", &policy},
                          {"seed", 0, "N", "with -s: simulate the workloads mvm compare draws for seed N", &seed},
                          {"bias", 0, "B", "with --seed: as mvm compare's --bias (default 1)", &bias},
                          {"sigma", 0, "X", "with --seed: as mvm compare's --sigma (default 0.3)", &sigma},
                          REPLAY_OPTIONS(ra),
                          {"trace", 0, NULL, "also write trace.paje: each migration's bandwidth on each link over "
                                             "time, one variable per migration (pajeng, ViTE)", &trace},
                          {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("replay", opts, argc, argv, 0, NULL, &a);
  if (st >= 0)
    return st;
  if (a.npos != (policy ? 1 : 2)) {
    fprintf(stderr, "mvm replay: expects a scenario and a plan, or a scenario and -s POLICY (see mvm replay --help)\n");
    return 2;
  }
  mvm_error err = {0};
  mvm_replay_opts ro;
  if (parse_replay_opts(&ra, &ro, &err))
    return cli_fail(&err);
  if (policy)
    return replay_policy(policy, &a, &ro, dir, seed, bias, sigma, !ra.noplots);
  mvm_plan* plan;
  mvm_scenario* sc;
  mvm_netview* nv;
  if (cli_load_with_plan(&a, &plan, &sc, &nv, &err))
    return cli_fail(&err);
  /* the checker first: a plan naming unknown VMs or hosts, giving an action twice or at an
   * absurd rate cannot be executed (exit 2); other violations are what a replay shows */
  int rc = replay_precheck(sc, nv, plan, a.pos[1], &err);
  mvm_outdir od = {0};
  if (!rc)
    rc = mvm_outdir_begin(&od, dir, &err);
  mvm_replay_result res = {0};
  char trace_path[4200];
  if (!rc && trace) {
    snprintf(trace_path, sizeof trace_path, "%s/trace.paje", mvm_outdir_path(&od));
    ro.trace_path = trace_path;
  }
  if (!rc)
    rc = mvm_replay(sc, nv, plan, &ro, &res, &err);
  if (!rc) {
    mvm_report_entry e = {plan->scheduler ? plan->scheduler : "plan", plan, &res};
    const mvm_report_opts rep = {.plots = !ra.noplots};
    rc = mvm_report_write_opts(sc, &e, 1, mvm_outdir_path(&od), &rep, &err);
    if (!rc)
      rc = mvm_outdir_commit(&od, &err);
    cli_progress_end();
    if (!rc)
      print_table(sc, &e, 1);
    mvm_report_totals t;
    mvm_report_totals_compute(sc, plan, &res, &t);
    if (!rc && t.nfailed)
      rc = mvm_err_set(&err, MVM_ESIMULATION, "%d migration(s) failed to converge (see %s/summary.json)", t.nfailed,
                       dir);
  }
  mvm_outdir_abort(&od);
  mvm_replay_result_free(&res);
  mvm_plan_free(plan);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  return rc ? cli_fail(&err) : 0;
}

int cmd_run(int argc, char** argv)
{
  const char *dir = "run-out", *scheds = "mvm,btrplace,cap-2,cap-3";
  replay_args ra = {"event", "force", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}; /* stall limits: mvm/calibration.h */
  const cli_opt opts[] = {{"output", 'o', "DIR", "folder for the plans, reports and plots", &dir},
                          {"schedulers", 's', "LIST", "comma-separated policies (default mvm,btrplace,cap-2,cap-3; docs/policies.md)",
                           &scheds},
                          REPLAY_OPTIONS(ra),
                          {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("run", opts, argc, argv, 1, "one scenario file", &a);
  if (st >= 0)
    return st;
  mvm_error err = {0};
  mvm_replay_opts ro;
  if (parse_replay_opts(&ra, &ro, &err))
    return cli_fail(&err);
  mvm_scenario* sc;
  mvm_netview* nv;
  if (cli_load(a.pos[0], a.sgargv, &a.sgargc, &sc, &nv, &err))
    return cli_fail(&err);
  /* every scheduler name is parsed before anything is planned or written */
  size_t cap = 1;
  for (const char* c = scheds; *c; c++)
    cap += *c == ',';
  char* list = strdup(scheds);
  char** names = calloc(cap, sizeof *names);
  mvm_policy_ref* so = calloc(cap, sizeof *so);
  mvm_plan** plans = calloc(cap, sizeof *plans);
  mvm_replay_result* res = calloc(cap, sizeof *res);
  mvm_report_entry* ent = calloc(cap, sizeof *ent);
  size_t n = 0;
  int rc = list && names && so && plans && res && ent ? 0 : (int)mvm_err_set(&err, MVM_ENOMEM, "out of memory");
  char* save = NULL;
  for (char* name = rc ? NULL : strtok_r(list, ",", &save); name && !rc; name = strtok_r(NULL, ",", &save)) {
    rc = mvm_policy_load(name, &so[n], &err);
    names[n] = name;
    n += !rc;
  }
  if (!rc && n == 0)
    rc = mvm_err_set(&err, MVM_EINPUT, "--schedulers: no scheduler named");
  mvm_outdir od = {0};
  if (!rc)
    rc = mvm_outdir_begin(&od, dir, &err);
  for (size_t k = 0; k < n && !rc; k++) {
    fprintf(stderr, "mvm run: [%zu/%zu] %s with %s...\n", k + 1, n,
            so[k].p->on_event ? "simulating the policy in the loop" : "planning and replaying", names[k]);
    if ((rc = cli_policy_execute(&so[k], sc, NULL, nv, &ro, &plans[k], &res[k], &err)))
      break;
    char path[4200];
    snprintf(path, sizeof path, "%s/plan-%s.csv", mvm_outdir_path(&od), names[k]);
    if ((rc = mvm_plan_write(plans[k], path, &err)))
      break;
    ent[k] = (mvm_report_entry){plans[k]->scheduler, plans[k], &res[k]};
  }
  const mvm_report_opts rep = {.plots = !ra.noplots};
  if (!rc)
    rc = mvm_report_write_opts(sc, ent, n, mvm_outdir_path(&od), &rep, &err);
  if (!rc)
    rc = mvm_outdir_commit(&od, &err);
  cli_progress_end();
  if (!rc)
    print_table(sc, ent, n);
  mvm_outdir_abort(&od);
  for (size_t k = 0; k < n && plans && res; k++) {
    mvm_plan_free(plans[k]);
    mvm_replay_result_free(&res[k]);
  }
  free(names);
  for (size_t k = 0; k < n && so; k++)
    mvm_policy_unload(&so[k]);
  free(so);
  free(plans);
  free(res);
  free(ent);
  free(list);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  return rc ? cli_fail(&err) : 0;
}
