/* mvm — plans the live migrations of a datacenter reconfiguration and checks the plans by
 * simulation in SimGrid. This file dispatches the subcommands. */
#include "cli.h"
#include "mvm/io.h"
#include "mvm/platform.h"
#include "replay.h"

#include <signal.h>
#include <unistd.h>

#include <simgrid/forward.h>
#include <simgrid/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char* cli_exit_help = "Exit status: 0 ok, 1 plan violations found by check, 2 bad input, "
                            "3 infeasible scenario,\n4 simulation failure (a migration that did "
                            "not converge when asked to fail), 5 out of memory, 6 I/O error.\n";

static const cli_cmd commands[] = {
    {"info", "mvm info SCENARIO", "print the parsed scenario, routes and lone-migration durations", cmd_info},
    {"plan", "mvm plan SCENARIO [-s POLICY] [-o PLAN.csv]", "compute a migration plan", cmd_plan},
    {"check", "mvm check SCENARIO PLAN.csv", "check a plan against the scenario, independently of the solver", cmd_check},
    {"replay", "mvm replay SCENARIO (PLAN.csv | -s POLICY) [-o DIR]", "simulate a plan, or a policy in the loop, in SimGrid", cmd_replay},
    {"run", "mvm run SCENARIO [-s POLICIES] [-o DIR]", "plan and simulate with several policies, side by side", cmd_run},
    {"compare", "mvm compare SCENARIO... [-s POLICIES] [-n SEEDS] [--bias B] [--sigma X] [-j J] -o DIR",
     "policies x scenarios x drawn workloads: means, 95 % confidence intervals, CSV, box plots", cmd_compare},
    {"campaign", "mvm campaign SPEC -o DIR [--run local|slurm|none] [-j J] [-s ./x.so]",
     "a sweep of compare jobs: run here (resumable) or as a Slurm job array, merged", cmd_campaign},
    {"generate", "mvm generate decommission --scale N -o DIR | fat-tree --k K [--shape S] [--migrations M] [--seed S] -o DIR", "write a scaled scenario and its platform", cmd_generate},
    {"import", "mvm import btrplace INSTANCE.json [--platform P.xml] -o DIR", "convert a BtrPlace instance and its plan into a scenario, platform and plan", cmd_import},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE* fp)
{
  fprintf(fp, "Usage: mvm COMMAND [OPTIONS] ...\n\n"
              "Plans the live migrations of a datacenter reconfiguration (network-aware, pre-copy\n"
              "model) and checks the plans by simulation in SimGrid.\n\nCommands:\n");
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fprintf(fp, "\n'mvm COMMAND --help' tells more. SimGrid options (--cfg=..., --log=...) pass through.\n"
              "mvm --version prints mvm's and SimGrid's versions.\n\n%s",
          cli_exit_help);
}

int cli_fail(const mvm_error* err)
{
  cli_progress_end();
  fprintf(stderr, "mvm: %s\n", err->msg[0] ? err->msg : mvm_strerror(err->code));
  return mvm_exit_status(err->code);
}

int cli_parse(const cli_cmd* cmd, const cli_opt* opts, int argc, char** argv, const char** pos,
              int npos, int* npos_out, char** sgargv, int* sgargc)
{
  int np = 0;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      printf("Usage: %s\n\n%s.\n\nOptions:\n", cmd->usage, cmd->summary);
      for (const cli_opt* o = opts; o && o->name; o++) {
        char left[64];
        snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->shortname ? "-" : "",
                 o->shortname ? o->shortname : ' ', o->shortname ? ", " : "  ", o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
        printf("  %-28s %s\n", o->shortname ? left : left + 2, o->help);
      }
      printf("  %-28s %s\n", "--cfg=OPT:VALUE, --log=...", "passed to SimGrid (--cfg: checked first)");
      printf("  %-28s %s\n\n%s", "-h, --help", "this help", cli_exit_help);
      return 1;
    }
    if (strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0) {
      if (sgargv && *sgargc >= CLI_MAX_SG_ARGS - 1) {
        fprintf(stderr, "mvm: too many --cfg/--log options (at most %d)\n", CLI_MAX_SG_ARGS - 2);
        return -1;
      }
      mvm_error err = {0};
      if (strncmp(a, "--cfg=", 6) == 0 && cli_sgcfg_check(a, &err)) {
        cli_fail(&err);
        return -1;
      }
      if (sgargv)
        sgargv[(*sgargc)++] = argv[i];
      continue;
    }
    if (a[0] == '-' && a[1] != '\0') {
      const cli_opt* o = opts;
      const char* inline_val = NULL;
      for (; o && o->name; o++) {
        size_t n = strlen(o->name);
        if (a[1] == '-' && strncmp(a + 2, o->name, n) == 0 && (a[2 + n] == '\0' || a[2 + n] == '=')) {
          inline_val = a[2 + n] == '=' ? a + 3 + n : NULL;
          break;
        }
        if (a[1] != '-' && a[1] == o->shortname && a[2] == '\0')
          break;
      }
      if (!o || !o->name) {
        fprintf(stderr, "mvm %s: unknown option '%s' (see mvm %s --help)\n", cmd->name, a, cmd->name);
        return -1;
      }
      if (!o->arg)
        *o->value = "1";
      else if (inline_val)
        *o->value = inline_val;
      else if (i + 1 < argc)
        *o->value = argv[++i];
      else {
        fprintf(stderr, "mvm %s: option '%s' needs %s\n", cmd->name, a, o->arg);
        return -1;
      }
      continue;
    }
    if (np >= npos) {
      fprintf(stderr, "mvm %s: unexpected argument '%s'\nUsage: %s\n", cmd->name, a, cmd->usage);
      return -1;
    }
    pos[np++] = a;
  }
  *npos_out = np;
  return 0;
}

int cli_begin(const char* name, const cli_opt* opts, int argc, char** argv, int want, const char* what, cli_args* a)
{
  memset(a, 0, sizeof *a);
  a->sgargv[0] = (char*)"mvm";
  a->sgargc = 1;
  int r = cli_parse(cli_command(name), opts, argc, argv, a->pos, 2, &a->npos, a->sgargv, &a->sgargc);
  if (r)
    return r > 0 ? 0 : 2;
  if (want > 0 && a->npos != want) {
    fprintf(stderr, "mvm %s: expects %s (see mvm %s --help)\n", name, what, name);
    return 2;
  }
  return -1;
}

int cli_load(const char* path, char** sgargv, int* sgargc, mvm_scenario** sc, mvm_netview** nv,
             mvm_error* err)
{
  *sc = NULL;
  *nv = NULL;
  cli_progress_phase("reading the scenario %s", path);
  int rc = mvm_scenario_read(path, sc, err);
  if (!rc)
    cli_progress_phase("%zu VMs, %zu nodes; loading the platform %s into SimGrid", (*sc)->nvms, (*sc)->nnodes,
                       (*sc)->platform_path);
  if (!rc)
    rc = mvm_platform_load(*sc, sgargc, sgargv, err);
  if (!rc)
    cli_progress_phase("platform loaded; reading the routes of the migrations");
  if (!rc)
    rc = mvm_netview_build(*sc, nv, err);
  if (!rc)
    cli_progress_phase("network view: %zu network elements", (*nv)->nelems);
  cli_signals_install(); /* SimGrid's initialisation installed its own SIGINT handler */
  if (rc) {
    mvm_scenario_free(*sc);
    *sc = NULL;
  }
  return rc;
}

/* SIGINT, SIGTERM, SIGHUP (and the other signals that end a process: QUIT, ALRM, USR1/2,
 * XCPU, XFSZ): the child (simulation or gnuplot) is killed, temporaries are removed, and mvm
 * exits 128 + the signal (130 for Ctrl-C, 143 for SIGTERM), as a shell reports a command a
 * signal ended. Only async-signal-safe calls. */
static void on_signal(int sig)
{
  mvm_child_kill_signal_safe();
  mvm_io_cleanup_signal_safe();
  _exit(128 + sig);
}

void cli_signals_install(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigfillset(&sa.sa_mask);
  const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction old;
    /* a signal ignored by whoever started mvm (nohup, a background job) stays ignored */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    sigaction(sigs[i], &sa, NULL);
  }
  /* a closed pipe on stdout is a write error (exit 6), not a silent death mid-output */
  signal(SIGPIPE, SIG_IGN);
}

int cli_load_with_plan(cli_args* a, mvm_plan** plan, mvm_scenario** sc, mvm_netview** nv, mvm_error* err)
{
  int rc = mvm_plan_read(a->pos[1], plan, err);
  if (rc)
    return rc;
  if ((rc = cli_load(a->pos[0], a->sgargv, &a->sgargc, sc, nv, err))) {
    mvm_plan_free(*plan);
    *plan = NULL;
  }
  return rc;
}

int main(int argc, char** argv)
{
  cli_signals_install();
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    int ma, mi, pa;
    sg_version_get(&ma, &mi, &pa);
    printf("mvm %s\nSimGrid %d.%d.%d\n", MVM_VERSION, ma, mi, pa);
    return 0;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "mvm: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}

const cli_cmd* cli_command(const char* name)
{
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(name, commands[i].name) == 0)
      return &commands[i];
  return NULL;
}
