/* mvm — replay of a plan in SimGrid with the precopy plugin, and the reports that put
 * predicted and simulated figures side by side. */
#ifndef MVM_REPLAY_H
#define MVM_REPLAY_H

#include "mvm/error.h"
#include "mvm/netview.h"
#include "mvm/plan.h"
#include "mvm/power.h"
#include "mvm/scenario.h"

#include <sys/types.h>

typedef enum { MVM_REPLAY_TIME, MVM_REPLAY_EVENT } mvm_replay_mode;

typedef struct mvm_replay_opts {
  mvm_replay_mode mode;
  int fail_on_stall; /* 1: a migration that does not converge fails (else forced stop-and-copy) */
  int max_rounds;    /* rounds before a migration stalls (<= 0: 64) */
  double max_time;   /* s before a migration stalls (<= 0: 3600); libvirt's --timeout */
  int autoconverge;  /* QEMU's auto-converge (vCPU throttle 20 %, +10 % a round) */
  int postcopy_after; /* switch to post-copy after N rounds (0: never) */
  int keep_fatpipe;  /* keep SimGrid's FATPIPE constraints even where they can never bind (slower) */
  const char* trace_path; /* a Paje trace of the migrations' bandwidth per link there (NULL: none) */
  /* called in the simulation's process each time an action ends (NULL: none) */
  void (*progress)(size_t done, size_t total, double sim_time, void* data);
  void* progress_data;
} mvm_replay_opts;

/* What the simulation measured for one action of the plan (same order as the plan). */
typedef struct mvm_sim_action {
  double start, end;
  double bytes;    /* migrations: data sent */
  double downtime; /* migrations: suspended time */
  double energy;   /* migrations: J */
  int rounds;
  int converged;
  int failed;
  int done;
} mvm_sim_action;

typedef struct mvm_replay_result {
  mvm_sim_action* act;
  size_t nact;
  mvm_power_step* power; /* total simulated power, one step per change */
  size_t npower;
  double energy;   /* J, from 0 to the end of the last action */
  double end_time; /* s */
  double wall;     /* s of wall-clock time the simulation took */
} mvm_replay_result;

/* Replays plan p in a child process (SimGrid's engine runs once per process: the platform
 * is loaded in the parent, each replay forks). The platform must be loaded already.
 * Returns 0 and fills *res (free with mvm_replay_result_free), or MVM_ESIMULATION. */
int mvm_replay(const mvm_scenario* sc, const mvm_netview* nv, const mvm_plan* p, const mvm_replay_opts* o,
               mvm_replay_result* res, mvm_error* err);
void mvm_replay_result_free(mvm_replay_result* res);

/* The child process mvm is waiting for (a replay or gnuplot), 0 when none: recorded so that
 * a signal handler can kill it (mvm_child_kill_signal_safe is async-signal-safe). */
void mvm_child_register(pid_t pid);
void mvm_child_kill_signal_safe(void);

/* One plan's figures for the reports. */
typedef struct mvm_report_entry {
  const char* name; /* plan name (scheduler) */
  const mvm_plan* plan;
  const mvm_replay_result* sim;
} mvm_report_entry;

/* Writes actions.csv, power.csv, summary.json and the plots (gantt-NAME.png,
 * power.png, when gnuplot is available) into dir, each atomically. The summary names
 * the versions, the scenario and per-plan totals. The result files come first; a plot
 * gnuplot cannot draw is a warning, never an error. */
int mvm_report_write(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err);

/* What mvm_report_write_opts writes besides the result files. */
typedef struct mvm_report_opts {
  int plots; /* 0: no plot, no script, no gnuplot (--no-plots) */
} mvm_report_opts;
int mvm_report_write_opts(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir,
                          const mvm_report_opts* o, mvm_error* err);

/* Per-plan totals (also what summary.json holds). */
typedef struct mvm_report_totals {
  double completion_pred, completion_sim;
  double mean_mig_pred, mean_mig_sim;
  double mae, mre, worst_ae, worst_re; /* prediction errors over migrations (s, fraction) */
  double energy_pred, energy_sim;
  double peak_pred, peak_sim;
  int nbudgets;                        /* power-budget constraints in the scenario */
  double budget_min;                   /* the tightest of their maxima (W) */
  double over_pred, over_sim;          /* worst excess over any budget in its window (W, <= 0: never over) */
  int nmig, nfailed, nstalled;
} mvm_report_totals;

/* Runs gnuplot on script (a file name in dir) in dir, without a shell (for mvm compare's
 * box plots). Returns 0, -1 if gnuplot is not installed, 1 if it failed. */
int mvm__gnuplot(const char* dir, const char* script);

void mvm_report_totals_compute(const mvm_scenario* sc, const mvm_plan* p, const mvm_replay_result* r,
                               mvm_report_totals* t);

#endif
