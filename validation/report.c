/* Reports: predicted next to simulated, per action, over time and in totals.
 * All files are written under one folder, atomically (temporary name, then rename).
 *
 * actions.csv  plan,action,subject,from,to,bandwidth_mbps,predicted_start,predicted_end,
 *              simulated_start,simulated_end,data_mb,rounds,downtime_s,converged
 *              (times in s; data in MB = 1e6 bytes; last four for migrations only)
 * power.csv    plan,time,predicted_w,simulated_w   (at every instant either changes)
 * summary.json versions, scenario, per-plan totals, migrations that did not converge
 * gantt-PLAN.png, power.png   when gnuplot is installed */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#include "mvm/io.h"
#include "mvm/power.h"
#include "replay.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <simgrid/forward.h>
#include <simgrid/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MVM_VERSION
#define MVM_VERSION "unknown"
#endif

/* Worst excess (W) of a power profile over the scenario's budgets, each in its window. */
static double budget_excess(const mvm_scenario* sc, const mvm_power_step* st, size_t n, double end)
{
  double worst = -INFINITY;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_POWER)
      continue;
    for (size_t i = 0; i < n && st[i].time <= end; i++) {
      double next = i + 1 < n ? st[i + 1].time : INFINITY;
      if (next > st[i].time && st[i].time < k->to && next > k->from)
        worst = fmax(worst, st[i].watts - k->max);
    }
  }
  return worst;
}

void mvm_report_totals_compute(const mvm_scenario* sc, const mvm_plan* p, const mvm_replay_result* r,
                               mvm_report_totals* t)
{
  memset(t, 0, sizeof *t);
  double sp = 0, ss = 0;
  for (size_t i = 0; i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    const mvm_sim_action* s = &r->act[i];
    t->completion_pred = fmax(t->completion_pred, a->end);
    t->completion_sim = fmax(t->completion_sim, s->end);
    if (a->kind != MVM_ACT_MIGRATE)
      continue;
    double dp = a->end - a->start, ds = s->end - s->start;
    t->nmig++;
    t->nfailed += s->failed;
    t->nstalled += !s->converged;
    sp += dp;
    ss += ds;
    double ae = fabs(dp - ds), re = ds > 0 ? ae / ds : 0;
    t->mae += ae;
    t->mre += re;
    t->worst_ae = fmax(t->worst_ae, ae);
    t->worst_re = fmax(t->worst_re, re);
  }
  if (t->nmig) {
    t->mean_mig_pred = sp / t->nmig;
    t->mean_mig_sim = ss / t->nmig;
    t->mae /= t->nmig;
    t->mre /= t->nmig;
  }
  mvm_power_step* st;
  size_t n;
  double e;
  t->budget_min = INFINITY;
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_POWER) {
      t->nbudgets++;
      t->budget_min = fmin(t->budget_min, sc->constraints[c].max);
    }
  if (mvm_plan_power(sc, p, &st, &n, &e, NULL) == 0) {
    t->energy_pred = e;
    for (size_t i = 0; i < n; i++)
      t->peak_pred = fmax(t->peak_pred, st[i].watts);
    t->over_pred = budget_excess(sc, st, n, t->completion_pred);
    free(st);
  }
  t->energy_sim = r->energy;
  for (size_t i = 0; i < r->npower; i++)
    if (r->power[i].time <= r->end_time)
      t->peak_sim = fmax(t->peak_sim, r->power[i].watts);
  t->over_sim = budget_excess(sc, r->power, r->npower, r->end_time);
}

/* Writes s as a JSON string: quotes, backslashes and control characters escaped, and bytes
 * that are not valid UTF-8 (a path is any bytes) replaced by U+FFFD, so the file is valid JSON. */
static void json_str(FILE* fp, const char* s)
{
  const unsigned char* p = (const unsigned char*)s;
  fputc('"', fp);
  while (*p) {
    unsigned char c = *p;
    if (c == '"' || c == '\\') {
      fprintf(fp, "\\%c", c);
      p++;
      continue;
    }
    if (c < 0x20 || c == 0x7f) {
      fprintf(fp, "\\u%04x", c);
      p++;
      continue;
    }
    if (c < 0x80) {
      fputc(c, fp);
      p++;
      continue;
    }
    /* multi-byte sequence: length from the lead byte, no overlong forms or surrogates */
    int len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    int ok = len > 0;
    for (int k = 1; ok && k < len; k++)
      ok = (p[k] & 0xc0) == 0x80;
    if (ok && len == 3)
      ok = !(c == 0xe0 && p[1] < 0xa0) && !(c == 0xed && p[1] >= 0xa0);
    if (ok && len == 4)
      ok = !(c == 0xf0 && p[1] < 0x90) && !(c == 0xf4 && p[1] >= 0x90);
    if (!ok) {
      fputs("\\ufffd", fp);
      p++;
      continue;
    }
    fwrite(p, 1, (size_t)len, fp);
    p += len;
  }
  fputc('"', fp);
}

/* Writes one CSV field then sep: quoted per RFC 4180 when it holds a comma, a quote or a line
 * break (ids are restricted at input, so this is a second line of defence). */
static void csv_field(FILE* fp, const char* s, char sep)
{
  if (strpbrk(s, ",\"\r\n")) {
    fputc('"', fp);
    for (; *s; s++) {
      if (*s == '"')
        fputc('"', fp);
      fputc(*s, fp);
    }
    fputc('"', fp);
  } else
    fputs(s, fp);
  fputc(sep, fp);
}

/* Opens dir/name for writing (mvm_out_open: a temporary renamed on commit). */
static int open_in(mvm_outfile* out, const char* dir, const char* name, mvm_error* err)
{
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return mvm_out_open(out, path, err);
}

static int write_actions(const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  mvm_outfile out;
  int rc = open_in(&out, dir, "actions.csv", err);
  if (rc)
    return rc;
  fprintf(out.fp, "plan,action,subject,from,to,bandwidth_mbps,predicted_start,predicted_end,simulated_start,"
                  "simulated_end,data_mb,rounds,downtime_s,converged\n");
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < e[k].plan->nactions; i++) {
      const mvm_action* a = &e[k].plan->actions[i];
      const mvm_sim_action* s = &e[k].sim->act[i];
      csv_field(out.fp, e[k].name, ',');
      csv_field(out.fp, mvm_action_kind_name(a->kind), ',');
      csv_field(out.fp, a->subject, ',');
      csv_field(out.fp, a->from, ',');
      csv_field(out.fp, a->to, ',');
      if (a->kind == MVM_ACT_MIGRATE)
        fprintf(out.fp, "%.6f", a->bandwidth_mbps);
      fprintf(out.fp, ",%.6f,%.6f,%.6f,%.6f,", a->start, a->end, s->start, s->end);
      if (a->kind == MVM_ACT_MIGRATE)
        fprintf(out.fp, "%.6f,%d,%.6f,%d", s->bytes / 1e6, s->rounds, s->downtime, s->converged && !s->failed);
      else
        fprintf(out.fp, ",,,");
      fputc('\n', out.fp);
    }
  return mvm_out_commit(&out, err);
}

static double step_at(const mvm_power_step* st, size_t n, double t)
{
  double w = n ? st[0].watts : 0;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (st[mid].time <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo > 0)
    w = st[lo - 1].watts;
  return w;
}

static int write_power(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  mvm_outfile out;
  int rc = open_in(&out, dir, "power.csv", err);
  if (rc)
    return rc;
  fprintf(out.fp, "plan,time,predicted_w,simulated_w\n");
  for (size_t k = 0; k < n && !rc; k++) {
    mvm_power_step* st;
    size_t ns;
    double energy;
    if ((rc = mvm_plan_power(sc, e[k].plan, &st, &ns, &energy, err)))
      break;
    const mvm_replay_result* r = e[k].sim;
    double horizon = fmax(mvm_plan_makespan(e[k].plan), r->end_time);
    size_t i = 0, j = 0;
    while (i < ns || j < r->npower) {
      double t = INFINITY;
      if (i < ns)
        t = st[i].time;
      if (j < r->npower && r->power[j].time < t)
        t = r->power[j].time;
      if (t > horizon)
        break;
      while (i < ns && st[i].time <= t)
        i++;
      while (j < r->npower && r->power[j].time <= t)
        j++;
      csv_field(out.fp, e[k].name, ',');
      fprintf(out.fp, "%.6f,%.3f,%.3f\n", t, step_at(st, ns, t), step_at(r->power, r->npower, t));
    }
    csv_field(out.fp, e[k].name, ',');
    fprintf(out.fp, "%.6f,%.3f,%.3f\n", horizon, step_at(st, ns, horizon),
            step_at(r->power, r->npower, horizon));
    free(st);
  }
  if (rc) {
    mvm_out_abort(&out);
    return rc;
  }
  return mvm_out_commit(&out, err);
}

static int write_summary(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  mvm_outfile out;
  int rc = open_in(&out, dir, "summary.json", err);
  if (rc)
    return rc;
  FILE* fp = out.fp;
  int ma, mi, pa;
  sg_version_get(&ma, &mi, &pa);
  fprintf(fp, "{\n  \"mvm_version\": \"%s\",\n  \"simgrid_version\": \"%d.%d.%d\",\n  \"scenario\": ", MVM_VERSION, ma,
          mi, pa);
  json_str(fp, sc->path);
  fprintf(fp, ",\n  \"platform\": ");
  json_str(fp, sc->platform_path);
  fprintf(fp, ",\n  \"units\": {\"time\": \"s\", \"energy\": \"J\", \"power\": \"W\"},\n  \"plans\": [");
  for (size_t k = 0; k < n; k++) {
    mvm_report_totals t;
    mvm_report_totals_compute(sc, e[k].plan, e[k].sim, &t);
    fprintf(fp, "%s\n    {\"name\": ", k ? "," : "");
    json_str(fp, e[k].name);
    fprintf(fp,
            ", \"migrations\": %d,\n     \"completion_time\": {\"predicted\": %.6f, \"simulated\": %.6f},\n"
            "     \"mean_migration_duration\": {\"predicted\": %.6f, \"simulated\": %.6f},\n"
            "     \"prediction_error\": {\"mean_absolute_s\": %.6f, \"worst_absolute_s\": %.6f, "
            "\"mean_relative\": %.6f, \"worst_relative\": %.6f},\n"
            "     \"energy\": {\"predicted\": %.3f, \"simulated\": %.3f},\n"
            "     \"peak_power\": {\"predicted\": %.3f, \"simulated\": %.3f},\n",
            t.nmig, t.completion_pred, t.completion_sim, t.mean_mig_pred, t.mean_mig_sim, t.mae, t.worst_ae, t.mre,
            t.worst_re, t.energy_pred, t.energy_sim, t.peak_pred, t.peak_sim);
    if (t.nbudgets)
      fprintf(fp, "     \"power_budget\": {\"tightest_w\": %.3f, \"worst_excess_predicted_w\": %.3f, "
                  "\"worst_excess_simulated_w\": %.3f, \"exceeded_simulated\": %s},\n",
              t.budget_min, t.over_pred, t.over_sim, t.over_sim > 1e-6 ? "true" : "false");
    fprintf(fp, "     \"not_converged\": [");
    int first = 1;
    for (size_t i = 0; i < e[k].plan->nactions; i++)
      if (e[k].plan->actions[i].kind == MVM_ACT_MIGRATE && (!e[k].sim->act[i].converged || e[k].sim->act[i].failed)) {
        fprintf(fp, "%s{\"vm\": ", first ? "" : ", ");
        json_str(fp, e[k].plan->actions[i].subject);
        fprintf(fp, ", \"failed\": %s}", e[k].sim->act[i].failed ? "true" : "false");
        first = 0;
      }
    fprintf(fp, "]}");
  }
  fprintf(fp, "\n  ]\n}\n");
  return mvm_out_commit(&out, err);
}

/* ---------- plots (gnuplot) ----------
 * No shell: gnuplot is started with posix_spawnp, in the output folder, on a script that
 * names only files of that folder (relative names). Every string from an input (plan and
 * host names) reaches the script through gp_str, as a single-quoted gnuplot string (no
 * escape sequences are read inside; a quote is doubled), with control characters replaced,
 * and the terminal does not read enhanced-text markup. */

/* Writes s as a gnuplot single-quoted string. */
static void gp_str(FILE* fp, const char* s)
{
  fputc('\'', fp);
  for (size_t k = 0; s[k] && k < 200; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c == '\'')
      fputs("''", fp);
    else
      fputc(c < 0x20 || c == 0x7f ? '?' : c, fp);
  }
  fputc('\'', fp);
}

/* A file-name-safe form of a plan name: [A-Za-z0-9._+-] kept, others '_', at most 64 chars. */
static void file_safe(char* out, size_t n, const char* name)
{
  size_t k = 0;
  for (; name[k] && k + 1 < n && k < 64; k++) {
    char c = name[k];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
             c == '+' || c == '-';
    out[k] = ok && !(k == 0 && c == '.') ? c : '_';
  }
  out[k] = '\0';
}

extern char** environ;

/* Runs gnuplot on script (a name in dir), with dir as its working folder. Returns 0, or -1
 * if gnuplot is not installed (ENOENT), or 1 if it failed. */
static int run_gnuplot(const char* dir, const char* script)
{
  posix_spawn_file_actions_t fa;
  if (posix_spawn_file_actions_init(&fa) != 0)
    return 1;
  int rc = posix_spawn_file_actions_addchdir_np(&fa, dir) | posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) |
           posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) |
           posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  char* argv[] = {(char*)"gnuplot", (char*)script, NULL};
  /* gnuplot gets the default action for every signal mvm handles or ignores */
  posix_spawnattr_t at;
  sigset_t def;
  sigfillset(&def);
  int have_at = posix_spawnattr_init(&at) == 0;
  if (have_at)
    rc |= posix_spawnattr_setsigdefault(&at, &def) | posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
  if (!rc)
    rc = posix_spawnp(&pid, "gnuplot", &fa, have_at ? &at : NULL, argv, environ);
  if (have_at)
    posix_spawnattr_destroy(&at);
  posix_spawn_file_actions_destroy(&fa);
  if (rc)
    return rc == ENOENT ? -1 : 1;
  mvm_child_register(pid);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  mvm_child_register(0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int plot_gantt_aggregated(const mvm_scenario* sc, const mvm_report_entry* e, const char* dir, const char* name,
                                 const int* lane, int nl, mvm_error* err);
#define GANTT_DETAIL_MIGRATIONS 400
#define GANTT_DETAIL_LANES 64

/* Gantt: one lane per source host, one colour per sync group (or VM pair); aggregated
 * (plot_gantt_aggregated) beyond GANTT_DETAIL_MIGRATIONS migrations or GANTT_DETAIL_LANES hosts. Writes
 * gantt-NAME.dat and gantt-NAME.gp into dir. */
static int plot_gantt(const mvm_scenario* sc, const mvm_report_entry* e, const char* dir, const char* name,
                      mvm_error* err)
{
  char data[4200], script[4200];
  snprintf(data, sizeof data, "%s/gantt-%s.dat", dir, name);
  snprintf(script, sizeof script, "%s/gantt-%s.gp", dir, name);
  /* lanes: sorted source hosts */
  int* lane = calloc(sc->nnodes + 1, sizeof(int));
  int* colour = calloc(sc->nvms + 1, sizeof(int));
  if (!lane || !colour) {
    free(lane);
    free(colour);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  int nl = 0;
  for (size_t v = 0; v < sc->nvms; v++)
    if (mvm_vm_moves(&sc->vms[v]) && !lane[sc->vms[v].from])
      lane[sc->vms[v].from] = 1;
  for (size_t nd = 0; nd < sc->nnodes; nd++)
    lane[nd] = lane[nd] ? ++nl : 0;
  size_t nmig = 0;
  for (size_t i = 0; i < e->plan->nactions; i++)
    nmig += e->plan->actions[i].kind == MVM_ACT_MIGRATE;
  if (nmig > GANTT_DETAIL_MIGRATIONS || nl > GANTT_DETAIL_LANES) {
    int rc = plot_gantt_aggregated(sc, e, dir, name, lane, nl, err);
    free(lane);
    free(colour);
    return rc;
  }
  int ng = 0;
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_SYNC) {
      ng++;
      for (size_t k = 0; k < sc->constraints[c].nvms; k++)
        colour[sc->constraints[c].vms[k]] = ng;
    }
  for (size_t v = 0; v < sc->nvms; v++)
    if (!colour[v])
      colour[v] = ++ng;
  mvm_outfile out;
  int rc = mvm_out_open(&out, data, err);
  if (!rc) {
    for (size_t i = 0; i < e->plan->nactions; i++) {
      const mvm_action* a = &e->plan->actions[i];
      if (a->kind != MVM_ACT_MIGRATE)
        continue;
      int v = mvm_scenario_find_vm(sc, a->subject);
      int n = mvm_scenario_find_node(sc, a->from);
      if (v < 0 || n < 0)
        continue;
      const mvm_sim_action* s = &e->sim->act[i];
      /* the label is the VM's index: the data file holds numbers only */
      fprintf(out.fp, "%d %.6f %.6f %.6f %.6f %d %d\n", lane[n], a->start, a->end, s->start, s->end, colour[v] % 8, v);
    }
    rc = mvm_out_commit(&out, err);
  }
  if (!rc && !(rc = mvm_out_open(&out, script, err))) {
    FILE* fp = out.fp;
    fprintf(fp, "set terminal pngcairo size 1100,%d font 'sans,10' noenhanced\nset output 'gantt-%s.png'\n",
            180 + 60 * nl, name);
    fprintf(fp, "set title 'Plan ' . ");
    gp_str(fp, e->name);
    fprintf(fp, " . ': migrations per source host (bar = simulated, outline = predicted; one colour per sync group)'\n");
    fprintf(fp, "set xlabel 'time (s)'\nset yrange [0.3:%d.7]\nset ytics (", nl);
    int first = 1;
    for (size_t nd = 0; nd < sc->nnodes; nd++)
      if (lane[nd]) {
        fprintf(fp, "%s", first ? "" : ", ");
        gp_str(fp, sc->nodes[nd].host);
        fprintf(fp, " %d", lane[nd]);
        first = 0;
      }
    fprintf(fp, ")\narray vm[%zu]\n", sc->nvms + 1);
    for (size_t v = 0; v < sc->nvms; v++) {
      fprintf(fp, "vm[%zu] = ", v + 1);
      gp_str(fp, sc->vms[v].id);
      fputc('\n', fp);
    }
    fprintf(fp, "set grid xtics\nunset key\nset style fill solid 0.6 border -1\n"
                "set palette maxcolors 8\nset palette defined (0 '#1b9e77', 1 '#d95f02', 2 '#7570b3', 3 '#e7298a', "
                "4 '#66a61e', 5 '#e6ab02', 6 '#a6761d', 7 '#666666')\nset cbrange [0:7]\nunset colorbox\n");
    fprintf(fp, "plot 'gantt-%s.dat' using (($4+$5)/2):1:(($5-$4)/2):(0.28):6 with boxxyerror fc palette, \\\n"
                "     '' using (($2+$3)/2):1:(($3-$2)/2):(0.36) with boxxyerror fs empty border lc rgb 'black' dt 2, \\\n"
                "     '' using (($4+$5)/2):1:(vm[int($7)+1]) with labels font 'sans,8'\n",
            name);
    rc = mvm_out_commit(&out, err);
  }
  free(lane);
  free(colour);
  return rc;
}

/* Beyond GANTT_DETAIL_*, one box and one label per migration make a picture nobody can read
 * and cost gnuplot seconds (77 % of a 960-migration replay), or fail (an image 290,000
 * pixels high at 9,600): the Gantt chart is then aggregated into GANTT_GROUPS lanes. */
#define GANTT_GROUPS 48

typedef struct gantt_ev {
  int group;
  double t;
  int delta; /* +1 a start, -1 an end */
} gantt_ev;

static int cmp_ev(const void* a, const void* b)
{
  const gantt_ev *x = a, *y = b;
  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->delta - y->delta; /* an end before a start at the same instant */
}

/* Writes, per group, the intervals during which c > 0 migrations are in progress (merged
 * when c does not change): "group t0 t1 c" (kind 0 simulated) or "group t0 t1" (predicted,
 * busy or not). Sorts ev. */
static void gantt_profile(FILE* fp, gantt_ev* ev, size_t nev, int predicted)
{
  mvm_qsort(ev, nev, sizeof *ev, cmp_ev);
  for (size_t i = 0; i < nev;) {
    int g = ev[i].group, c = 0, open_c = 0;
    double open_t = 0;
    for (; i < nev && ev[i].group == g; i++) {
      double t = ev[i].t;
      c += ev[i].delta;
      if (i + 1 < nev && ev[i + 1].group == g && ev[i + 1].t == t)
        continue; /* the count at t once every event at t is in */
      int shown = predicted ? c > 0 : c;
      if (shown != open_c) {
        if (open_c > 0 && t > open_t)
          predicted ? fprintf(fp, "%d %.6f %.6f\n", g, open_t, t) : fprintf(fp, "%d %.6f %.6f %d\n", g, open_t, t, open_c);
        open_c = shown;
        open_t = t;
      }
    }
  }
}

/* Aggregated Gantt: source hosts (in name order) in at most GANTT_GROUPS groups; per group,
 * the simulated migrations in progress over time (colour = how many) and, outlined, when the
 * plan had some in progress. Writes gantt-NAME.dat (simulated), gantt-NAME-pred.dat and
 * gantt-NAME.gp. */
static int plot_gantt_aggregated(const mvm_scenario* sc, const mvm_report_entry* e, const char* dir, const char* name,
                                 const int* lane, int nl, mvm_error* err)
{
  int ng = nl < GANTT_GROUPS ? nl : GANTT_GROUPS;
  size_t nmig = 0;
  for (size_t i = 0; i < e->plan->nactions; i++)
    nmig += e->plan->actions[i].kind == MVM_ACT_MIGRATE;
  gantt_ev* sim = calloc(2 * nmig + 1, sizeof *sim);
  gantt_ev* pred = calloc(2 * nmig + 1, sizeof *pred);
  int* first = calloc((size_t)ng + 1, sizeof *first); /* a node index per group: its first and last host */
  int* last = calloc((size_t)ng + 1, sizeof *last);
  if (!sim || !pred || !first || !last) {
    free(sim);
    free(pred);
    free(first);
    free(last);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  for (int g = 0; g <= ng; g++)
    first[g] = last[g] = -1;
  for (size_t nd = 0; nd < sc->nnodes; nd++)
    if (lane[nd]) {
      int g = (int)((long)(lane[nd] - 1) * ng / nl) + 1;
      if (first[g] < 0)
        first[g] = (int)nd;
      last[g] = (int)nd;
    }
  size_t ns = 0, np = 0;
  int peak = 1;
  for (size_t i = 0; i < e->plan->nactions; i++) {
    const mvm_action* a = &e->plan->actions[i];
    int n = a->kind == MVM_ACT_MIGRATE ? mvm_scenario_find_node(sc, a->from) : -1;
    if (n < 0 || !lane[n])
      continue;
    int g = (int)((long)(lane[n] - 1) * ng / nl) + 1;
    const mvm_sim_action* s = &e->sim->act[i];
    sim[ns++] = (gantt_ev){g, s->start, +1};
    sim[ns++] = (gantt_ev){g, s->end, -1};
    pred[np++] = (gantt_ev){g, a->start, +1};
    pred[np++] = (gantt_ev){g, a->end, -1};
  }
  char path[4200];
  mvm_outfile out;
  snprintf(path, sizeof path, "%s/gantt-%s.dat", dir, name);
  int rc = mvm_out_open(&out, path, err);
  if (!rc) {
    gantt_profile(out.fp, sim, ns, 0);
    rc = mvm_out_commit(&out, err);
  }
  /* the most migrations in progress at once in one group: the colour scale */
  {
    int c = 0, g = -1;
    for (size_t i = 0; i < ns; i++) {
      if (sim[i].group != g)
        c = 0, g = sim[i].group;
      c += sim[i].delta;
      peak = c > peak ? c : peak;
    }
  }
  snprintf(path, sizeof path, "%s/gantt-%s-pred.dat", dir, name);
  if (!rc && !(rc = mvm_out_open(&out, path, err))) {
    gantt_profile(out.fp, pred, np, 1);
    rc = mvm_out_commit(&out, err);
  }
  snprintf(path, sizeof path, "%s/gantt-%s.gp", dir, name);
  if (!rc && !(rc = mvm_out_open(&out, path, err))) {
    FILE* fp = out.fp;
    fprintf(fp, "set terminal pngcairo size 1200,%d font 'sans,10' noenhanced\nset output 'gantt-%s.png'\n",
            200 + 22 * ng, name);
    fprintf(fp, "set title 'Plan ' . ");
    gp_str(fp, e->name);
    fprintf(fp, " . ': %zu migrations from %d source hosts in %d groups; colour = migrations in progress (simulated), "
                "outline = in progress in the plan'\n",
            nmig, nl, ng);
    fprintf(fp, "set xlabel 'time (s)'\nset yrange [%d.7:0.3]\nset ytics (", ng);
    for (int g = 1; g <= ng; g++) {
      if (first[g] < 0)
        continue;
      fprintf(fp, "%s", g > 1 ? ", " : "");
      gp_str(fp, sc->nodes[first[g]].host);
      if (last[g] != first[g]) {
        fprintf(fp, " . ' .. ' . ");
        gp_str(fp, sc->nodes[last[g]].host);
      }
      fprintf(fp, " %d", g);
    }
    fprintf(fp, ")\nset grid xtics\nunset key\nset style fill solid 1.0 noborder\n"
                "set palette defined (0 '#fde725', 0.5 '#21918c', 1 '#440154')\nset cbrange [1:%d]\n"
                "set cblabel 'migrations in progress'\n",
            peak > 1 ? peak : 2);
    fprintf(fp, "plot 'gantt-%s.dat' using (($2+$3)/2):1:(($3-$2)/2):(0.32):4 with boxxyerror fc palette, \\\n"
                "     'gantt-%s-pred.dat' using (($2+$3)/2):1:(($3-$2)/2):(0.42) with boxxyerror fs empty border "
                "lc rgb 'black' dt 2\n",
            name, name);
    rc = mvm_out_commit(&out, err);
  }
  free(sim);
  free(pred);
  free(first);
  free(last);
  return rc;
}

/* power.gp: every plan's predicted and simulated power over time, with the budget. */
static int plot_power(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  mvm_outfile out;
  int rc = open_in(&out, dir, "power.gp", err);
  if (rc)
    return rc;
  FILE* fp = out.fp;
  fprintf(fp, "set terminal pngcairo size 1100,500 font 'sans,10' noenhanced\nset output 'power.png'\n"
              "set datafile separator ','\n");
  fprintf(fp, "set title 'Power over time: predicted (dashed) and simulated (solid)'\nset xlabel 'time (s)'\n"
              "set ylabel 'power (kW)'\nset key outside right\nset grid\n");
  double budget = -1;
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_POWER)
      budget = sc->constraints[c].max;
  fprintf(fp, "plot ");
  for (size_t k = 0; k < n; k++) {
    fprintf(fp, "%s'power.csv' using (strcol(1) eq ", k ? ", \\\n  " : "");
    gp_str(fp, e[k].name);
    fprintf(fp, " ? $2 : 1/0):($4/1000) with steps lw 2 lc %zu title ", k + 1);
    gp_str(fp, e[k].name);
    fprintf(fp, " . ' simulated', \\\n  '' using (strcol(1) eq ");
    gp_str(fp, e[k].name);
    fprintf(fp, " ? $2 : 1/0):($3/1000) with steps dt 2 lc %zu title ", k + 1);
    gp_str(fp, e[k].name);
    fprintf(fp, " . ' predicted'");
  }
  if (budget > 0)
    fprintf(fp, ", \\\n  %.3f with lines lw 2 lc rgb 'red' title 'budget %.1f kW'", budget / 1000, budget / 1000);
  fprintf(fp, "\n");
  return mvm_out_commit(&out, err);
}

/* Writes the plots' data and scripts, then runs gnuplot on each (a missing gnuplot is a
 * warning; the scripts stay, to be run by hand). */
static int write_plots(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  char (*names)[96] = calloc(n + 1, sizeof *names);
  if (!names)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  int rc = 0;
  for (size_t k = 0; k < n && !rc; k++) {
    file_safe(names[k], sizeof names[k], e[k].name);
    for (size_t j = 0; j < k; j++)
      if (!strcmp(names[j], names[k])) /* two plans with the same name: keep both */
        snprintf(names[k] + strlen(names[k]), 24, "-%zu", k + 1);
    rc = plot_gantt(sc, &e[k], dir, names[k], err);
  }
  if (!rc)
    rc = plot_power(sc, e, n, dir, err);
  int missing = 0;
  for (size_t k = 0; k <= n && !rc && !missing; k++) {
    char script[120];
    if (k < n)
      snprintf(script, sizeof script, "gantt-%s.gp", names[k]);
    else
      snprintf(script, sizeof script, "power.gp");
    int g = run_gnuplot(dir, script);
    if (g < 0) {
      fprintf(stderr, "mvm: warning: gnuplot is not installed: no plots (the .gp scripts are in the output)\n");
      missing = 1;
    } else if (g > 0)
      fprintf(stderr, "mvm: warning: gnuplot failed on %s\n", script);
  }
  free(names);
  return rc;
}

int mvm_report_write(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  const mvm_report_opts o = {.plots = 1};
  return mvm_report_write_opts(sc, e, n, dir, &o, err);
}

int mvm_report_write_opts(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir,
                          const mvm_report_opts* o, mvm_error* err)
{
  int rc = write_actions(e, n, dir, err);
  if (!rc)
    rc = write_power(sc, e, n, dir, err);
  if (!rc)
    rc = write_summary(sc, e, n, dir, err);
  if (!rc && o->plots)
    rc = write_plots(sc, e, n, dir, err);
  return rc;
}

/* See replay_internal.h (mvm compare's box plots). */
int mvm__gnuplot(const char* dir, const char* script) { return run_gnuplot(dir, script); }
