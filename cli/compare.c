/* mvm compare's statistics and outputs: runs.csv (one row a run), summary.csv (mean and
 * 95 % confidence interval per scenario, policy and metric), table.txt (the same for a
 * person, with mvm-online's gain over mvm when both ran), boxplot-SCENARIO.{dat,gp,png}. */
#include "compare.h"

#include "mvm/ident.h"
#include "mvm/io.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static const char* const metric_name[CMP_NMET] = {"completion_s", "mean_migration_s", "downtime_s", "data_mb",
                                                  "energy_j",     "peak_w",           "not_converged",
                                                  "budget_excess_w"};
static const char* const metric_head[CMP_NMET] = {"completion s", "mean migr. s", "downtime s", "data MB",
                                                  "energy kJ",    "peak W",       "not conv.",  "over budget W"};
static const double metric_scale[CMP_NMET] = {1, 1, 1, 1, 1e-3, 1, 1, 1};

void cmp_row_of(const mvm_scenario* truth, const mvm_plan* p, const mvm_replay_result* r, int s, int pi, long seed,
                cmp_row* row)
{
  memset(row, 0, sizeof *row);
  row->s = s;
  row->p = pi;
  row->seed = seed;
  mvm_report_totals t;
  mvm_report_totals_compute(truth, p, r, &t);
  double down = 0, data = 0;
  for (size_t i = 0; i < p->nactions; i++)
    if (p->actions[i].kind == MVM_ACT_MIGRATE) {
      down += r->act[i].downtime;
      data += r->act[i].bytes / 1e6;
    }
  row->m[CMP_COMPLETION] = t.completion_sim;
  row->m[CMP_MEAN_MIG] = t.mean_mig_sim;
  row->m[CMP_DOWNTIME] = down;
  row->m[CMP_DATA] = data;
  row->m[CMP_ENERGY] = t.energy_sim;
  row->m[CMP_PEAK] = t.peak_sim;
  row->m[CMP_NOTCONV] = t.nstalled;
  row->m[CMP_EXCESS] = t.nbudgets && t.over_sim > 0 ? t.over_sim : 0;
  /* as runs.csv holds them: statistics merged from a campaign's files are the same */
  for (int m = 0; m < CMP_NMET; m++)
    row->m[m] = round(row->m[m] * 1e6) / 1e6;
}

static int cmp_rows(const void* a, const void* b)
{
  const cmp_row *x = a, *y = b;
  if (x->s != y->s)
    return x->s - y->s;
  if (x->seed != y->seed)
    return x->seed < y->seed ? -1 : 1;
  return x->p - y->p;
}

int cmp_collect(FILE** in, int n, cmp_row** rows, size_t* nrows, mvm_error* err)
{
  *rows = NULL;
  *nrows = 0;
  size_t cap = 0;
  cmp_row row;
  for (int k = 0; k < n; k++) {
    rewind(in[k]);
    while (fread(&row, sizeof row, 1, in[k]) == 1) {
      if (row.rc) {
        row.msg[sizeof row.msg - 1] = '\0';
        return mvm_err_set(err, (mvm_errcode)row.rc, "%s", row.msg);
      }
      if (mvm_grow((void**)rows, &cap, *nrows + 1, sizeof row, err))
        return MVM_ENOMEM;
      (*rows)[(*nrows)++] = row;
    }
  }
  mvm_qsort(*rows, *nrows, sizeof row, cmp_rows);
  return 0;
}

double cmp_t975(int df)
{
  static const double t[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                             2.201, 2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080,
                             2.074, 2.069,  2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1)
    return NAN;
  if (df <= 30)
    return t[df];
  return df <= 40 ? 2.021 : df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960;
}

typedef struct stat {
  int n;
  double mean, half; /* half-width of the 95 % interval (NaN for one run) */
} stat;

static stat stat_of(const cmp_row* rows, size_t nrows, int s, int p, int m)
{
  stat st = {0, 0, NAN};
  double sum = 0, sq = 0;
  for (size_t i = 0; i < nrows; i++)
    if (rows[i].s == s && rows[i].p == p) {
      st.n++;
      sum += rows[i].m[m];
    }
  if (!st.n)
    return st;
  st.mean = sum / st.n;
  for (size_t i = 0; i < nrows; i++)
    if (rows[i].s == s && rows[i].p == p)
      sq += (rows[i].m[m] - st.mean) * (rows[i].m[m] - st.mean);
  if (st.n > 1)
    st.half = cmp_t975(st.n - 1) * sqrt(sq / (st.n - 1)) / sqrt(st.n);
  return st;
}

static int open_in(mvm_outfile* f, const char* dir, const char* name, mvm_error* err)
{
  char path[4300];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return mvm_out_open(f, path, err);
}

static int write_runs(const cmp_setup* cs, const cmp_row* rows, size_t nrows, const char* dir, mvm_error* err)
{
  mvm_outfile f;
  int rc = open_in(&f, dir, "runs.csv", err);
  if (rc)
    return rc;
  fprintf(f.fp, "scenario,policy,seed");
  for (int m = 0; m < CMP_NMET; m++)
    fprintf(f.fp, ",%s", metric_name[m]);
  fputc('\n', f.fp);
  for (size_t i = 0; i < nrows; i++) {
    fprintf(f.fp, "%s,%s,%ld", cs->label[rows[i].s], cs->pol[rows[i].p].name, rows[i].seed);
    for (int m = 0; m < CMP_NMET; m++)
      fprintf(f.fp, ",%.6f", rows[i].m[m]);
    fputc('\n', f.fp);
  }
  return mvm_out_commit(&f, err);
}

static int write_summary(const cmp_setup* cs, const cmp_row* rows, size_t nrows, const char* dir, mvm_error* err)
{
  mvm_outfile f;
  int rc = open_in(&f, dir, "summary.csv", err);
  if (rc)
    return rc;
  fprintf(f.fp, "scenario,policy,metric,n,mean,ci95_low,ci95_high\n");
  for (int s = 0; s < cs->nscen; s++)
    for (int p = 0; p < cs->npol; p++)
      for (int m = 0; m < CMP_NMET; m++) {
        stat st = stat_of(rows, nrows, s, p, m);
        fprintf(f.fp, "%s,%s,%s,%d,%.6f,", cs->label[s], cs->pol[p].name, metric_name[m], st.n, st.mean);
        if (isnan(st.half))
          fprintf(f.fp, ",\n");
        else
          fprintf(f.fp, "%.6f,%.6f\n", st.mean - st.half, st.mean + st.half);
      }
  return mvm_out_commit(&f, err);
}

/* mvm-online against mvm, seed by seed, on completion time. */
static void online_gain(const cmp_setup* cs, const cmp_row* rows, size_t nrows, int s, FILE* out)
{
  int po = -1, pm = -1;
  for (int p = 0; p < cs->npol; p++) {
    if (!strncmp(cs->pol[p].name, "mvm-online", 10) && po < 0)
      po = p;
    if (!strcmp(cs->pol[p].name, "mvm"))
      pm = p;
  }
  if (po < 0 || pm < 0)
    return;
  int n = 0, worse = 0;
  double sum = 0, sq = 0, best = -INFINITY, worst = INFINITY;
  double* g = calloc(nrows + 1, sizeof *g);
  if (!g)
    return;
  for (size_t i = 0; i < nrows; i++) {
    if (rows[i].s != s || rows[i].p != pm)
      continue;
    for (size_t k = 0; k < nrows; k++)
      if (rows[k].s == s && rows[k].p == po && rows[k].seed == rows[i].seed) {
        double gain = 100 * (rows[i].m[CMP_COMPLETION] - rows[k].m[CMP_COMPLETION]) / rows[i].m[CMP_COMPLETION];
        g[n++] = gain;
        sum += gain;
        worse += gain < -1e-6;
        best = fmax(best, gain);
        worst = fmin(worst, gain);
      }
  }
  if (!n) {
    free(g);
    return;
  }
  double mean = sum / n;
  for (int k = 0; k < n; k++)
    sq += (g[k] - mean) * (g[k] - mean);
  double half = n > 1 ? cmp_t975(n - 1) * sqrt(sq / (n - 1)) / sqrt(n) : NAN;
  fprintf(out, "%s gains over mvm on completion time: mean %.2f %% (95 %% CI %.2f to %.2f), best %.2f %%, worst %.2f %%, "
          "worse on %d of %d seeds\n", cs->pol[po].name, mean, mean - half, mean + half, best, worst, worse, n);
  free(g);
}

static void write_table(const cmp_setup* cs, const cmp_row* rows, size_t nrows, FILE* out)
{
  for (int s = 0; s < cs->nscen; s++) {
    if (cs->bias >= 0)
      fprintf(out, "%s: %d seeds from %ld, workloads drawn with bias %.3g, sigma %.3g (mean +- 95 %% CI half-width)\n",
              cs->label[s], cs->nseeds, cs->seed0, cs->bias, cs->sigma);
    else
      fprintf(out, "%s: %d seeds from %ld, merged from a campaign (mean +- 95 %% CI half-width)\n", cs->label[s],
              cs->nseeds, cs->seed0);
    fprintf(out, "%-14s", "policy");
    for (int m = 0; m < CMP_NMET; m++)
      fprintf(out, " %20s", metric_head[m]);
    fputc('\n', out);
    for (int p = 0; p < cs->npol; p++) {
      fprintf(out, "%-14s", cs->pol[p].name);
      for (int m = 0; m < CMP_NMET; m++) {
        stat st = stat_of(rows, nrows, s, p, m);
        char cell[64];
        snprintf(cell, sizeof cell, "%.1f +- %.1f", st.mean * metric_scale[m],
                 isnan(st.half) ? 0 : st.half * metric_scale[m]);
        fprintf(out, " %20s", cell);
      }
      fputc('\n', out);
    }
    online_gain(cs, rows, nrows, s, out);
    fputc('\n', out);
  }
}

/* boxplot-LABEL.dat (one block per policy) and .gp; the PNG when gnuplot is installed. */
static int write_boxplots(const cmp_setup* cs, const cmp_row* rows, size_t nrows, const char* dir, mvm_error* err)
{
  for (int s = 0; s < cs->nscen; s++) {
    char name[200];
    mvm_outfile f;
    snprintf(name, sizeof name, "boxplot-%s.dat", cs->label[s]);
    int rc = open_in(&f, dir, name, err);
    if (rc)
      return rc;
    for (int p = 0; p < cs->npol; p++) {
      fprintf(f.fp, "# %s\n", cs->pol[p].name);
      for (size_t i = 0; i < nrows; i++)
        if (rows[i].s == s && rows[i].p == p)
          fprintf(f.fp, "%.6f\n", rows[i].m[CMP_COMPLETION]);
      fprintf(f.fp, "\n\n");
    }
    if ((rc = mvm_out_commit(&f, err)))
      return rc;
    snprintf(name, sizeof name, "boxplot-%s.gp", cs->label[s]);
    if ((rc = open_in(&f, dir, name, err)))
      return rc;
    /* labels are ids (no quote, no control character): safe in a gnuplot string */
    fprintf(f.fp, "set terminal pngcairo size 900,500\nset output 'boxplot-%s.png'\n", cs->label[s]);
    fprintf(f.fp, "set title 'Completion time, %s, %d seeds'\nset ylabel 'completion (s)'\nset style data boxplot\n"
                  "set style boxplot nooutliers\nset key off\nset xtics (",
            cs->label[s], cs->nseeds);
    for (int p = 0; p < cs->npol; p++)
      fprintf(f.fp, "%s'%s' %d", p ? ", " : "", cs->pol[p].name, p + 1);
    fprintf(f.fp, ")\nplot for [i=0:%d] 'boxplot-%s.dat' index i using (i+1):1\n", cs->npol - 1, cs->label[s]);
    if ((rc = mvm_out_commit(&f, err)))
      return rc;
    mvm__gnuplot(dir, name); /* no gnuplot: no PNG, the script stays */
  }
  return 0;
}

int cmp_write(const cmp_setup* cs, const cmp_row* rows, size_t nrows, const char* dir, FILE* out, mvm_error* err)
{
  size_t want = (size_t)cs->nscen * (size_t)cs->npol * (size_t)cs->nseeds;
  if (nrows != want)
    return mvm_err_set(err, MVM_ESIMULATION, "%zu runs of %zu came back", nrows, want);
  int rc = write_runs(cs, rows, nrows, dir, err);
  if (!rc)
    rc = write_summary(cs, rows, nrows, dir, err);
  if (!rc && cs->plots)
    rc = write_boxplots(cs, rows, nrows, dir, err);
  mvm_outfile f;
  if (!rc && !(rc = open_in(&f, dir, "table.txt", err))) {
    write_table(cs, rows, nrows, f.fp);
    rc = mvm_out_commit(&f, err);
  }
  if (!rc)
    write_table(cs, rows, nrows, out);
  return rc;
}

/* The index of name in names[n] (appended if new, at most max). -1 when full. */
static int index_of(char (*names)[160], int* n, int max, const char* name)
{
  for (int k = 0; k < *n; k++)
    if (!strcmp(names[k], name))
      return k;
  if (*n >= max)
    return -1;
  snprintf(names[*n], 160, "%s", name);
  return (*n)++;
}

static int cmp_dirent(const struct dirent** a, const struct dirent** b) { return strcmp((*a)->d_name, (*b)->d_name); }

/* Reads one job's runs.csv into rows. */
static int merge_file(const char* path, cmp_setup* cs, char (*pols)[160], cmp_row** rows, size_t* nrows, size_t* cap,
                      mvm_error* err)
{
  FILE* fp = fopen(path, "r");
  if (!fp)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot read: %s", path, strerror(errno));
  char line[4096];
  int ln = 0, rc = 0;
  while (!rc && fgets(line, sizeof line, fp)) {
    ln++;
    if (!strchr(line, '\n'))
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: line too long or unterminated", path, ln);
    else if (ln == 1) {
      if (strncmp(line, "scenario,policy,seed,completion_s,", 34))
        rc = mvm_err_set(err, MVM_EINPUT, "%s:1: not an mvm compare runs.csv", path);
      continue;
    }
    if (rc)
      break;
    char* f[3 + CMP_NMET];
    int nf = 0;
    char* save = NULL;
    line[strcspn(line, "\n")] = '\0';
    for (char* w = strtok_r(line, ",", &save); w && nf < 3 + CMP_NMET; w = strtok_r(NULL, ",", &save))
      f[nf++] = w;
    cmp_row row = {0};
    char* end;
    int ok = nf == 3 + CMP_NMET && mvm_id_valid(f[0]) && mvm_id_valid(f[1]) && !strtok_r(NULL, ",", &save);
    row.seed = ok ? strtol(f[2], &end, 10) : 0;
    ok = ok && !*end && row.seed >= 0;
    for (int m = 0; ok && m < CMP_NMET; m++) {
      row.m[m] = strtod(f[3 + m], &end);
      ok = !*end && end != f[3 + m] && isfinite(row.m[m]);
    }
    int np = cs->npol;
    row.s = ok ? index_of(cs->label, &cs->nscen, CMP_MAX_SCEN, f[0]) : -1;
    row.p = ok ? index_of(pols, &np, CMP_MAX_POL, f[1]) : -1;
    cs->npol = np;
    if (!ok || row.s < 0 || row.p < 0)
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: expected scenario,policy,seed and %d numbers (at most %d scenarios, "
                       "%d policies)", path, ln, CMP_NMET, CMP_MAX_SCEN, CMP_MAX_POL);
    else if (mvm_grow((void**)rows, cap, *nrows + 1, sizeof row, err))
      rc = MVM_ENOMEM;
    else
      (*rows)[(*nrows)++] = row;
  }
  fclose(fp);
  return rc;
}

int cmp_merge(const char* dir, cmp_setup* cs, cmp_row** rows, size_t* nrows, mvm_error* err)
{
  static char pols[CMP_MAX_POL][160]; /* ids: at most 128 characters */
  memset(cs, 0, sizeof *cs);
  cs->bias = cs->sigma = -1;
  *rows = NULL;
  *nrows = 0;
  size_t cap = 0;
  char jobs[4200];
  snprintf(jobs, sizeof jobs, "%s/jobs", dir);
  struct dirent** de = NULL;
  int n = scandir(jobs, &de, NULL, cmp_dirent), rc = 0;
  if (n < 0)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot read: %s", jobs, strerror(errno));
  for (int k = 0; k < n; k++) {
    char path[4600];
    if (!rc && de[k]->d_name[0] != '.') {
      snprintf(path, sizeof path, "%s/%s/runs.csv", jobs, de[k]->d_name);
      if (access(path, F_OK) != 0)
        rc = mvm_err_set(err, MVM_EINPUT, "%s: job not finished (no runs.csv): run the campaign again", path);
      else
        rc = merge_file(path, cs, pols, rows, nrows, &cap, err);
    }
    free(de[k]);
  }
  free(de);
  for (int p = 0; p < cs->npol; p++)
    memcpy(cs->pol[p].name, pols[p], sizeof pols[p]); /* ids: at most 128 characters and a NUL */
  if (rc)
    return rc;
  mvm_qsort(*rows, *nrows, sizeof **rows, cmp_rows);
  if (!*nrows)
    return mvm_err_set(err, MVM_EINPUT, "%s: no runs", jobs);
  /* every scenario x policy with the same seeds, each once */
  cs->seed0 = (*rows)[0].seed;
  for (size_t i = 0; i < *nrows; i++) {
    const cmp_row* r = &(*rows)[i];
    cs->seed0 = r->seed < cs->seed0 ? r->seed : cs->seed0;
    if (i && r->s == r[-1].s && r->p == r[-1].p && r->seed == r[-1].seed)
      return mvm_err_set(err, MVM_EINPUT, "%s: %s, %s, seed %ld: run twice", jobs, cs->label[r->s], pols[r->p], r->seed);
  }
  size_t per = *nrows / ((size_t)cs->nscen * (size_t)cs->npol);
  for (int s = 0; s < cs->nscen; s++)
    for (int p = 0; p < cs->npol; p++) {
      size_t c = 0;
      for (size_t i = 0; i < *nrows; i++)
        c += (*rows)[i].s == s && (*rows)[i].p == p;
      if (c != per || per * (size_t)cs->nscen * (size_t)cs->npol != *nrows)
        return mvm_err_set(err, MVM_EINPUT, "%s: %s with %s has %zu runs, others %zu: jobs missing", jobs, cs->label[s],
                           pols[p], c, per);
    }
  cs->nseeds = (int)per;
  return 0;
}
