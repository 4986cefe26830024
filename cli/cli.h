/* mvm command-line tool: shared helpers of the subcommands. */
#ifndef MVM_CLI_H
#define MVM_CLI_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/scenario.h"

/* One option of a subcommand: drives parsing and --help. */
typedef struct cli_opt {
  const char* name;  /* long name without dashes */
  char shortname;    /* 0 if none */
  const char* arg;   /* NULL for a flag */
  const char* help;
  const char** value; /* where the argument (or "1" for a flag) goes */
} cli_opt;

typedef struct cli_cmd {
  const char* name;
  const char* usage;
  const char* summary;
  int (*run)(int argc, char** argv);
} cli_cmd;

/* Parses argv against opts; positional arguments are collected into pos (max npos).
 * Arguments that start with --cfg= or --log= are passed through to SimGrid (kept in
 * sgargv). Prints help and returns 1 for --help, -1 on a usage error, 0 otherwise. */
/* Size of the argv handed to SimGrid: "mvm", the --cfg/--log options, NULL. */
#define CLI_MAX_SG_ARGS 64

int cli_parse(const cli_cmd* cmd, const cli_opt* opts, int argc, char** argv, const char** pos,
              int npos, int* npos_out, char** sgargv, int* sgargc);

/* Checks one SimGrid option, "--cfg=KEY:VALUE", against the table of keys mvm accepts
 * (cli/sgcfg.c: type, range or enumeration). Returns 0, or MVM_EINPUT with err naming the
 * key and listing what is accepted. */
int cli_sgcfg_check(const char* arg, mvm_error* err);

/* What a subcommand was given: its positional arguments and the options for SimGrid
 * (sgargv[0] is "mvm"; --cfg= and --log= arguments follow). */
typedef struct cli_args {
  const char* pos[2];
  int npos;
  char* sgargv[CLI_MAX_SG_ARGS];
  int sgargc;
} cli_args;

/* The command of that name (its usage and summary), or NULL. */
const cli_cmd* cli_command(const char* name);

/* Parses argv for command `name` into a. Returns -1 to go on, or the exit status to return:
 * 0 after --help, 2 on a usage error (reported on stderr). With want > 0, a number of
 * positional arguments other than want is a usage error naming `what` ("one scenario
 * file"); with want = 0 the command checks them itself (at most 2). */
int cli_begin(const char* name, const cli_opt* opts, int argc, char** argv, int want, const char* what, cli_args* a);

/* Reports err on stderr ("mvm: message") and returns the exit status for it. */
int cli_fail(const mvm_error* err);

/* Reads the scenario, loads its platform into SimGrid and builds the network view. */
int cli_load(const char* path, char** sgargv, int* sgargc, mvm_scenario** sc, mvm_netview** nv,
             mvm_error* err);

/* Installs mvm's SIGINT/SIGTERM/SIGHUP handlers (kill the child, remove temporaries, exit
 * 128 + signal); again after SimGrid's initialisation, which installs its own. */
void cli_signals_install(void);

/* Reads the plan a->pos[1], then the scenario a->pos[0] with its platform and network view
 * (cli_load). Returns 0 (the caller frees the three) or an error code (nothing to free). */
int cli_load_with_plan(cli_args* a, mvm_plan** plan, mvm_scenario** sc, mvm_netview** nv, mvm_error* err);

/* Progress on standard error (cli/progress.c): cli_progress_setup(-q given, --progress
 * given) turns it on for a terminal or when asked, off with -q (a command that never calls
 * it prints none). cli_progress_phase prints one line with the time since the first;
 * cli_progress_replay is the replay's progress callback (done/total, time left). */
void cli_progress_setup(const char* quiet, const char* force);
int cli_progress_on(void);
void cli_progress_phase(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_progress_replay(size_t done, size_t total, double sim_time, void* data);
/* Erases the status line (a terminal) before a command prints its results. */
void cli_progress_end(void);

int cmd_info(int argc, char** argv);
int cmd_plan(int argc, char** argv);
int cmd_check(int argc, char** argv);
int cmd_generate(int argc, char** argv);
int cmd_replay(int argc, char** argv);
int cmd_import(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_campaign(int argc, char** argv);

/* The replay options of replay, run and compare, as given (NULL: default). */
typedef struct replay_args {
  const char *mode, *on_stall, *max_rounds, *max_time, *timeout, *autoconverge, *postcopy;
  const char* noplots; /* reports, not the replay: --no-plots */
  const char* keep_fatpipe;
  const char *quiet, *progress;
} replay_args;
struct mvm_replay_opts;
/* Parses them into o. Returns 0 or MVM_EINPUT naming the option. */
int parse_replay_opts(const replay_args* a, struct mvm_replay_opts* o, mvm_error* err);
#define REPLAY_OPTIONS(a)                                                                                          \
  {"mode", 0, "MODE", "event (default: an action starts when those it depends on have ended, as real executors "   \
                      "do) or time (at its planned instant)", &(a).mode},                                          \
  {"on-stall", 0, "WHAT", "a migration that never converges: force (stop-and-copy, default) or fail",              \
   &(a).on_stall},                                                                                                 \
  {"max-rounds", 0, "N", "a migration not converged after N rounds stalls (default 64)", &(a).max_rounds},        \
  {"max-time", 0, "T", "... or after T of pre-copy (default 1h, at most 10^7 s)", &(a).max_time},                  \
  {"timeout", 0, "T", "libvirt's --timeout: suspend the VM after T of pre-copy, then stop-and-copy", &(a).timeout}, \
  {"auto-converge", 0, NULL, "QEMU's auto-converge: throttle the vCPUs (20 %, +10 % a round) when it does not "    \
                             "converge, which slows the dirtying", &(a).autoconverge},                             \
  {"postcopy-after", 0, "N", "switch to post-copy after N pre-copy rounds", &(a).postcopy},                     \
  {"keep-fatpipe", 0, NULL, "keep SimGrid's FATPIPE constraints on links that can never limit a migration "      \
                             "(same results, slower: docs/design-notes.md, Scale)", &(a).keep_fatpipe},          \
  {"no-plots", 0, NULL, "write no plot (no gnuplot run, no .gp or .dat file)", &(a).noplots},                     \
  {"quiet", 'q', NULL, "no progress on standard error", &(a).quiet},                                                \
  {"progress", 0, NULL, "progress on standard error even when it is not a terminal", &(a).progress}



extern const char* cli_exit_help;

#endif
