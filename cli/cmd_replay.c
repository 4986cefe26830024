/* mvm replay: simulate one plan; mvm run: plan with every scheduler and compare. */
#include "cli.h"
#include "mvm/solver.h"
#include "mvm/io.h"
#include "mvm/units.h"
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_cmd* cli_command(const char* name);

static int parse_replay_opts(const char* mode, const char* on_stall, const char* max_rounds, const char* max_time,
                             mvm_replay_opts* o, mvm_error* err)
{
  memset(o, 0, sizeof *o);
  char* end;
  long mr = strtol(max_rounds, &end, 10);
  if (end == max_rounds || *end || mr < 1 || mr > 1000000)
    return mvm_err_set(err, MVM_EINPUT, "--max-rounds: '%s' is not a whole number from 1 to 1000000", max_rounds);
  o->max_rounds = (int)mr;
  char why[256];
  if (mvm_parse_quantity(max_time, MVM_UNIT_TIME, &o->max_time, why, sizeof why) || !(o->max_time > 0))
    return mvm_err_set(err, MVM_EINPUT, "--max-time: '%s': %s", max_time, why[0] ? why : "must be positive");
  if (!strcmp(mode, "time"))
    o->mode = MVM_REPLAY_TIME;
  else if (!strcmp(mode, "event"))
    o->mode = MVM_REPLAY_EVENT;
  else
    return mvm_err_set(err, MVM_EINPUT, "--mode: '%s' is not time or event", mode);
  if (!strcmp(on_stall, "fail"))
    o->fail_on_stall = 1;
  else if (strcmp(on_stall, "force"))
    return mvm_err_set(err, MVM_EINPUT, "--on-stall: '%s' is not fail or force", on_stall);
  return 0;
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

int cmd_replay(int argc, char** argv)
{
  const char *dir = "replay-out", *mode = "time", *on_stall = "force", *max_rounds = "64", *max_time = "1h";
  const cli_opt opts[] = {{"output", 'o', "DIR", "folder for actions.csv, power.csv, summary.json, plots", &dir},
                          {"mode", 0, "MODE", "time (start at planned instants, default) or event", &mode},
                          {"on-stall", 0, "WHAT", "a migration that never converges: force (stop-and-copy, default) or fail",
                           &on_stall},
                          {"max-rounds", 0, "N", "a migration not converged after N rounds stalls (default 64)", &max_rounds},
                          {"max-time", 0, "T", "... or after T (SimGrid time units, default 1h)", &max_time},
                          {NULL, 0, NULL, NULL, NULL}};
  const char* pos[2];
  int np = 0;
  char* sgargv[CLI_MAX_SG_ARGS] = {(char*)"mvm"};
  int sgargc = 1;
  int r = cli_parse(cli_command("replay"), opts, argc, argv, pos, 2, &np, sgargv, &sgargc);
  if (r)
    return r > 0 ? 0 : 2;
  if (np != 2) {
    fprintf(stderr, "mvm replay: expects a scenario and a plan (see mvm replay --help)\n");
    return 2;
  }
  mvm_error err = {0};
  mvm_replay_opts ro;
  if (parse_replay_opts(mode, on_stall, max_rounds, max_time, &ro, &err))
    return cli_fail(&err);
  mvm_plan* plan;
  if (mvm_plan_read(pos[1], &plan, &err))
    return cli_fail(&err);
  mvm_scenario* sc;
  mvm_netview* nv;
  if (cli_load(pos[0], sgargv, &sgargc, &sc, &nv, &err)) {
    mvm_plan_free(plan);
    return cli_fail(&err);
  }
  /* a plan that names unknown VMs or hosts, or gives one action twice (a VM cannot leave
   * twice, a node cannot boot twice), cannot be simulated: check first */
  int rc = 0;
  unsigned char* seen = calloc(sc->nvms + 2 * sc->nnodes + 1, 1);
  if (!seen)
    rc = mvm_err_set(&err, MVM_ENOMEM, "out of memory");
  for (size_t i = 0; i < plan->nactions && !rc; i++) {
    const mvm_action* a = &plan->actions[i];
    int v = a->kind == MVM_ACT_MIGRATE ? mvm_scenario_find_vm(sc, a->subject) : -1;
    int nf = mvm_scenario_find_node(sc, a->from), nt = mvm_scenario_find_node(sc, a->to);
    if ((a->kind == MVM_ACT_MIGRATE && v < 0) || nf < 0 || nt < 0) {
      rc = mvm_err_set(&err, MVM_EINPUT, "%s:%d: %s %s: unknown to the scenario", pos[1], a->line,
                       mvm_action_kind_name(a->kind), a->subject);
      break;
    }
    size_t slot = a->kind == MVM_ACT_MIGRATE ? (size_t)v
                  : sc->nvms + 2 * (size_t)nf + (a->kind == MVM_ACT_SHUTDOWN);
    if (seen[slot]++)
      rc = mvm_err_set(&err, MVM_EINPUT, "%s:%d: %s %s: given twice (mvm check %s %s tells more)", pos[1], a->line,
                       mvm_action_kind_name(a->kind), a->subject, pos[0], pos[1]);
  }
  free(seen);
  mvm_replay_result res = {0};
  if (!rc)
    rc = mvm_replay(sc, nv, plan, &ro, &res, &err);
  if (!rc) {
    mvm_report_entry e = {plan->scheduler ? plan->scheduler : "plan", plan, &res};
    rc = mvm_report_write(sc, &e, 1, dir, &err);
    if (!rc)
      print_table(sc, &e, 1);
    mvm_report_totals t;
    mvm_report_totals_compute(sc, plan, &res, &t);
    if (!rc && t.nfailed)
      rc = mvm_err_set(&err, MVM_ESIMULATION, "%d migration(s) failed to converge (see %s/summary.json)", t.nfailed,
                       dir);
  }
  mvm_replay_result_free(&res);
  mvm_plan_free(plan);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  return rc ? cli_fail(&err) : 0;
}

int cmd_run(int argc, char** argv)
{
  const char *dir = "run-out", *mode = "time", *scheds = "mvm,btrplace,cap-2,cap-3";
  const cli_opt opts[] = {{"output", 'o', "DIR", "folder for the plans, reports and plots", &dir},
                          {"mode", 0, "MODE", "replay mode: time (default) or event", &mode},
                          {"schedulers", 0, "LIST", "comma-separated (default mvm,btrplace,cap-2,cap-3)", &scheds},
                          {NULL, 0, NULL, NULL, NULL}};
  const char* pos[1];
  int np = 0;
  char* sgargv[CLI_MAX_SG_ARGS] = {(char*)"mvm"};
  int sgargc = 1;
  int r = cli_parse(cli_command("run"), opts, argc, argv, pos, 1, &np, sgargv, &sgargc);
  if (r)
    return r > 0 ? 0 : 2;
  if (np != 1) {
    fprintf(stderr, "mvm run: expects one scenario file (see mvm run --help)\n");
    return 2;
  }
  mvm_error err = {0};
  mvm_replay_opts ro;
  if (parse_replay_opts(mode, "force", "64", "1h", &ro, &err))
    return cli_fail(&err);
  mvm_scenario* sc;
  mvm_netview* nv;
  if (cli_load(pos[0], sgargv, &sgargc, &sc, &nv, &err))
    return cli_fail(&err);
  char* list = strdup(scheds);
  mvm_plan* plans[16] = {0};
  mvm_replay_result res[16];
  mvm_report_entry ent[16];
  memset(res, 0, sizeof res);
  size_t n = 0;
  int rc = list ? mvm_mkdir_p(dir, &err) : (int)mvm_err_set(&err, MVM_ENOMEM, "out of memory");
  char* save = NULL;
  for (char* name = list ? strtok_r(list, ",", &save) : NULL; name && !rc && n < 16; name = strtok_r(NULL, ",", &save)) {
    mvm_solver_opts o = mvm_solver_defaults();
    if ((rc = mvm_solver_parse(name, &o, &err)))
      break;
    fprintf(stderr, "mvm run: [%zu] planning with %s...\n", n + 1, name);
    if ((rc = mvm_solve(sc, nv, &o, &plans[n], &err)))
      break;
    plans[n]->lower_bound = mvm_lower_bound(sc, nv);
    char path[4096];
    snprintf(path, sizeof path, "%s/plan-%s.csv", dir, name);
    if ((rc = mvm_plan_write(plans[n], path, &err)))
      break;
    fprintf(stderr, "mvm run: [%zu] replaying the %s plan (%zu actions) in SimGrid...\n", n + 1, name,
            plans[n]->nactions);
    if ((rc = mvm_replay(sc, nv, plans[n], &ro, &res[n], &err)))
      break;
    ent[n] = (mvm_report_entry){plans[n]->scheduler, plans[n], &res[n]};
    n++;
  }
  if (!rc)
    rc = mvm_report_write(sc, ent, n, dir, &err);
  if (!rc)
    print_table(sc, ent, n);
  for (size_t k = 0; k < 16; k++) {
    mvm_plan_free(plans[k]);
    mvm_replay_result_free(&res[k]);
  }
  free(list);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  return rc ? cli_fail(&err) : 0;
}
