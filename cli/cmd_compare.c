/* mvm compare: scenarios x policies x seeds of drawn workloads (mvm/drift.h), each executed
 * in the simulation; one table of means with 95 % confidence intervals, runs.csv and
 * summary.csv for pandas or R, box plots of the completion time. SimGrid loads one platform
 * per process, so each scenario's jobs run in worker processes of their own (at most -j at
 * once), each writing its rows to a temporary file the parent merges in a fixed order. */
#include "cli.h"
#include "compare.h"
#include "mvm/drift.h"
#include "mvm/ident.h"
#include "mvm/io.h"
#include "policy_exec.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SCEN CMP_MAX_SCEN
#define MAX_POL CMP_MAX_POL

/* One worker's share: scenario s, the seeds k with k % nshards == shard. */
static int worker(const cmp_setup* cs, int s, int shard, int nshards, cli_args* a, FILE* out)
{
  mvm_scenario* sc = NULL;
  mvm_netview* nv = NULL;
  mvm_error err = {0};
  cmp_row row;
  int rc = cli_load(cs->scen[s], a->sgargv, &a->sgargc, &sc, &nv, &err);
  for (int k = shard; !rc && k < cs->nseeds; k += nshards) {
    long seed = cs->seed0 + k;
    mvm_scenario* truth = NULL;
    if ((rc = mvm_drift(sc, (uint64_t)seed, cs->bias, cs->sigma, &truth, &err)))
      break;
    for (int p = 0; p < cs->npol && !rc; p++) {
      mvm_plan* plan = NULL;
      mvm_replay_result res = {0};
      rc = cli_policy_execute(&cs->pol[p], sc, truth, nv, &cs->ro, &plan, &res, &err);
      if (!rc) {
        cmp_row_of(truth, plan, &res, s, p, seed, &row);
        rc = fwrite(&row, sizeof row, 1, out) == 1 ? 0 : (int)mvm_err_set(&err, MVM_EIO, "write error");
      }
      mvm_plan_free(plan);
      mvm_replay_result_free(&res);
    }
    mvm_drift_free(truth);
  }
  if (rc) {
    memset(&row, 0, sizeof row);
    row.rc = rc;
    snprintf(row.msg, sizeof row.msg, "%s: %s", cs->label[s], err.msg);
    fwrite(&row, sizeof row, 1, out);
  }
  fflush(out);
  mvm_netview_free(nv);
  mvm_scenario_free(sc);
  return rc;
}

typedef struct task {
  int s, shard;
  FILE* out;
  pid_t pid;
} task;

/* Runs every task, at most j at once. Returns 0, or an error (a worker that died). */
static int run_pool(const cmp_setup* cs, task* t, int nt, int j, cli_args* a, mvm_error* err)
{
  int next = 0, running = 0, rc = 0;
  while (next < nt || running > 0) {
    while (next < nt && running < j && !rc) {
      fflush(NULL); /* every stream: see mvm__sim_fork */
      pid_t parent = getpid();
      pid_t pid = fork();
      if (pid < 0)
        return mvm_err_set(err, MVM_EIO, "cannot fork a worker: %s", strerror(errno));
      if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
          _exit(1);
        _exit(worker(cs, t[next].s, t[next].shard, cs->nshards, a, t[next].out) ? 1 : 0);
      }
      t[next++].pid = pid;
      running++;
    }
    if (running == 0)
      break;
    int status;
    pid_t done = waitpid(-1, &status, 0);
    if (done < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    running--;
    if (!WIFEXITED(status) && !rc)
      rc = mvm_err_set(err, MVM_ESIMULATION, "a compare worker died (signal %d)", WTERMSIG(status));
  }
  return rc;
}

/* A label for scenario path: its file name without .xml when that is an id, else scenarioK. */
static void label_of(const char* path, int k, char* out, size_t n)
{
  const char* b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t len = strlen(b);
  if (len > 4 && !strcmp(b + len - 4, ".xml"))
    len -= 4;
  snprintf(out, n, "%.*s", (int)(len < 64 ? len : 64), b);
  if (!mvm_id_valid(out))
    snprintf(out, n, "scenario%d", k + 1);
}

static int parse_num(const char* s, double lo, double hi, double* v)
{
  char* end;
  *v = strtod(s, &end);
  return end == s || *end || !(*v >= lo && *v <= hi);
}

/* mvm compare --merge CAMPAIGN -o DIR: the statistics of a campaign's runs. */
static int merge_campaign(const char* campaign, const char* dir, int plots)
{
  static cmp_setup cs;
  mvm_error err = {0};
  cmp_row* rows = NULL;
  size_t nrows = 0;
  mvm_outdir od = {0};
  int rc = cmp_merge(campaign, &cs, &rows, &nrows, &err);
  cs.plots = plots;
  if (!rc)
    rc = mvm_outdir_begin(&od, dir, &err);
  if (!rc)
    rc = cmp_write(&cs, rows, nrows, mvm_outdir_path(&od), stdout, &err);
  if (!rc)
    rc = mvm_outdir_commit(&od, &err);
  mvm_outdir_abort(&od);
  free(rows);
  return rc ? cli_fail(&err) : 0;
}

int cmd_compare(int argc, char** argv)
{
  const char *dir = "compare-out", *pols = "mvm,mvm-online,one-by-one,per-host,kubevirt,cqncr,cap-2";
  const char *seeds = "10", *seed0 = "1", *bias = "1", *sigma = "0.3", *jobs = "2", *merge = NULL;
  replay_args ra = {"event", "force", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  const cli_opt opts[] = {
      {"output", 'o', "DIR", "folder for table.txt, runs.csv, summary.csv, box plots", &dir},
      {"policies", 's', "LIST", "comma-separated policies (default mvm,mvm-online,one-by-one,per-host,kubevirt,cqncr,cap-2)",
       &pols},
      {"seeds", 'n', "N", "random seeds per scenario (default 10)", &seeds},
      {"seed0", 0, "S", "first seed (default 1): seeds S..S+N-1", &seed0},
      {"bias", 0, "B", "median factor on every VM's hot pages and cold rate (default 1: as declared)", &bias},
      {"sigma", 0, "X", "log-normal spread of those factors (default 0.3; 0: none)", &sigma},
      {"jobs", 'j', "J", "worker processes (default 2)", &jobs},
      {"merge", 0, "CAMPAIGN", "instead of running: merge the runs of a campaign's jobs (mvm campaign)", &merge},
      REPLAY_OPTIONS(ra),
      {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  memset(&a, 0, sizeof a);
  a.sgargv[0] = (char*)"mvm";
  a.sgargc = 1;
  const char* pos[MAX_SCEN];
  int npos = 0;
  int r = cli_parse(cli_command("compare"), opts, argc, argv, pos, MAX_SCEN, &npos, a.sgargv, &a.sgargc);
  if (r)
    return r > 0 ? 0 : 2;
  if (merge && npos == 0)
    return merge_campaign(merge, dir, !ra.noplots);
  if (npos < 1 || merge) {
    fprintf(stderr, "mvm compare: expects one or more scenario files, or --merge CAMPAIGN alone (see mvm compare "
                    "--help)\n");
    return 2;
  }
  static cmp_setup cs;
  mvm_error err = {0};
  double v = 0;
  int rc = parse_replay_opts(&ra, &cs.ro, &err);
  cs.ro.progress = NULL; /* the runs are many, in worker processes: no per-run progress */
  cs.plots = !ra.noplots;
  if (!rc && parse_num(seeds, 1, 100000, &v))
    rc = mvm_err_set(&err, MVM_EINPUT, "--seeds: a whole number from 1 to 100000");
  cs.nseeds = (int)v;
  if (!rc && parse_num(seed0, 0, 1e15, &v))
    rc = mvm_err_set(&err, MVM_EINPUT, "--seed0: a whole number from 0");
  cs.seed0 = (long)v;
  if (!rc && (parse_num(bias, 1e-3, 1e3, &cs.bias) || parse_num(sigma, 0, 3, &cs.sigma)))
    rc = mvm_err_set(&err, MVM_EINPUT, "--bias from 0.001 to 1000, --sigma from 0 to 3");
  if (!rc && parse_num(jobs, 1, 64, &v))
    rc = mvm_err_set(&err, MVM_EINPUT, "--jobs: a whole number from 1 to 64");
  int j = (int)v;
  cs.nscen = npos;
  for (int s = 0; s < npos; s++) {
    cs.scen[s] = pos[s];
    label_of(pos[s], s, cs.label[s], sizeof cs.label[s]);
  }
  char* list = strdup(pols);
  char* save = NULL;
  for (char* name = list && !rc ? strtok_r(list, ",", &save) : NULL; name && !rc; name = strtok_r(NULL, ",", &save)) {
    if (cs.npol >= MAX_POL)
      rc = mvm_err_set(&err, MVM_EINPUT, "--policies: at most %d", MAX_POL);
    else if (!(rc = mvm_policy_load(name, &cs.pol[cs.npol], &err)))
      cs.npol++;
  }
  free(list);
  if (!rc && cs.npol == 0)
    rc = mvm_err_set(&err, MVM_EINPUT, "--policies: none named");
  /* the shards: each scenario's seeds over j workers */
  cs.nshards = j < cs.nseeds ? j : cs.nseeds;
  int nt = cs.nscen * cs.nshards;
  /* forked workers (and the simulations they fork) exit holding the tasks: a file-scope
   * pointer keeps them reachable there (valgrind would report them lost) */
  static task* volatile tasks; /* volatile: never read, but it must stay */
  task* t = calloc((size_t)nt + 1, sizeof *t);
  tasks = t;
  (void)tasks;
  if (!rc && !t)
    rc = mvm_err_set(&err, MVM_ENOMEM, "out of memory");
  for (int k = 0; !rc && k < nt; k++) {
    t[k].s = k / cs.nshards;
    t[k].shard = k % cs.nshards;
    if (!(t[k].out = tmpfile()))
      rc = mvm_err_set(&err, MVM_EIO, "cannot create a temporary file: %s", strerror(errno));
  }
  mvm_outdir od = {0};
  if (!rc)
    rc = mvm_outdir_begin(&od, dir, &err);
  if (!rc)
    rc = run_pool(&cs, t, nt, j, &a, &err);
  cmp_row* rows = NULL;
  size_t nrows = 0;
  FILE** ins = calloc((size_t)nt + 1, sizeof *ins);
  for (int k = 0; ins && k < nt; k++)
    ins[k] = t[k].out;
  if (!rc)
    rc = ins ? cmp_collect(ins, nt, &rows, &nrows, &err) : (int)mvm_err_set(&err, MVM_ENOMEM, "out of memory");
  free(ins);
  if (!rc)
    rc = cmp_write(&cs, rows, nrows, mvm_outdir_path(&od), stdout, &err);
  if (!rc)
    rc = mvm_outdir_commit(&od, &err);
  mvm_outdir_abort(&od);
  for (int k = 0; t && k < nt; k++)
    if (t[k].out)
      fclose(t[k].out);
  free(t);
  tasks = NULL;
  free(rows);
  for (int p = 0; p < cs.npol; p++)
    mvm_policy_unload(&cs.pol[p]);
  return rc ? cli_fail(&err) : 0;
}
