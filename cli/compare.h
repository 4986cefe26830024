/* mvm compare: the runs' figures, their statistics and the output files. */
#ifndef MVM_CLI_COMPARE_H
#define MVM_CLI_COMPARE_H

#include "mvm/policy.h"
#include "replay.h"

#include <stdio.h>

#define CMP_MAX_SCEN 16
#define CMP_MAX_POL 32

typedef struct cmp_setup {
  const char* scen[CMP_MAX_SCEN];
  char label[CMP_MAX_SCEN][160]; /* ids: safe in CSV, gnuplot and file names */
  int nscen;
  mvm_policy_ref pol[CMP_MAX_POL];
  int npol;
  int nseeds, nshards;
  long seed0;
  double bias, sigma;
  mvm_replay_opts ro;
  int plots; /* box plots (--no-plots: none) */
} cmp_setup;

/* The metrics of one run, in this order (names and units: cmp_metric_name). */
enum { CMP_COMPLETION, CMP_MEAN_MIG, CMP_DOWNTIME, CMP_DATA, CMP_ENERGY, CMP_PEAK, CMP_NOTCONV, CMP_EXCESS, CMP_NMET };

typedef struct cmp_row {
  int s, p;
  long seed;
  int rc;          /* a worker's error (msg), 0 for a run */
  double m[CMP_NMET];
  char msg[1200];
} cmp_row;

/* The figures of one simulated run (truth: the scenario the simulation ran). */
void cmp_row_of(const mvm_scenario* truth, const mvm_plan* p, const mvm_replay_result* r, int s, int p_idx, long seed,
                cmp_row* row);
/* Reads the workers' rows (each file rewound first), sorted by scenario, seed, policy.
 * Returns 0, a worker's error, or MVM_ESIMULATION if runs are missing. */
int cmp_collect(FILE** in, int n, cmp_row** rows, size_t* nrows, mvm_error* err);
/* Writes runs.csv, summary.csv, table.txt and box plots into dir, and the table on out. */
int cmp_write(const cmp_setup* cs, const cmp_row* rows, size_t nrows, const char* dir, FILE* out, mvm_error* err);
/* Reads DIR/jobs/JOB/runs.csv (a campaign's jobs, in name order) into rows and fills cs's
 * labels, policy names (cs->pol[].name only: nothing is loaded), nseeds and seed0 (bias and
 * sigma unknown: < 0). Returns 0, MVM_EINPUT (a bad file, named with its line, a run
 * twice, jobs missing: every scenario and policy must have the same seeds). */
int cmp_merge(const char* dir, cmp_setup* cs, cmp_row** rows, size_t* nrows, mvm_error* err);
/* Student's t quantile 0.975 for df degrees of freedom (95 % two-sided). */
double cmp_t975(int df);

#endif
