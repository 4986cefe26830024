/* Reports: predicted next to simulated, per action, over time and in totals.
 * All files are written under one folder, atomically (temporary name, then rename).
 *
 * actions.csv  plan,action,subject,from,to,bandwidth_mbps,predicted_start,predicted_end,
 *              simulated_start,simulated_end,data_mb,rounds,downtime_s,converged
 *              (times in s; data in MB = 1e6 bytes; last four for migrations only)
 * power.csv    plan,time,predicted_w,simulated_w   (at every instant either changes)
 * summary.json versions, scenario, per-plan totals, migrations that did not converge
 * gantt-PLAN.png, power.png   when gnuplot is installed */
#include "mvm/io.h"
#include "mvm/power.h"
#include "replay.h"

#include <math.h>
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

static void json_str(FILE* fp, const char* s)
{
  fputc('"', fp);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(fp, "\\%c", c);
    else if (c < 0x20)
      fprintf(fp, "\\u%04x", c);
    else
      fputc(c, fp);
  }
  fputc('"', fp);
}

static int write_actions(const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/actions.csv", dir);
  mvm_outfile out;
  int rc = mvm_out_open(&out, path, err);
  if (rc)
    return rc;
  fprintf(out.fp, "plan,action,subject,from,to,bandwidth_mbps,predicted_start,predicted_end,simulated_start,"
                  "simulated_end,data_mb,rounds,downtime_s,converged\n");
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < e[k].plan->nactions; i++) {
      const mvm_action* a = &e[k].plan->actions[i];
      const mvm_sim_action* s = &e[k].sim->act[i];
      fprintf(out.fp, "%s,%s,%s,%s,%s,", e[k].name, mvm_action_kind_name(a->kind), a->subject, a->from, a->to);
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
  char path[4096];
  snprintf(path, sizeof path, "%s/power.csv", dir);
  mvm_outfile out;
  int rc = mvm_out_open(&out, path, err);
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
      fprintf(out.fp, "%s,%.6f,%.3f,%.3f\n", e[k].name, t, step_at(st, ns, t), step_at(r->power, r->npower, t));
    }
    fprintf(out.fp, "%s,%.6f,%.3f,%.3f\n", e[k].name, horizon, step_at(st, ns, horizon),
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
  char path[4096];
  snprintf(path, sizeof path, "%s/summary.json", dir);
  mvm_outfile out;
  int rc = mvm_out_open(&out, path, err);
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

/* ---------- plots (gnuplot) ---------- */

static int have_gnuplot(void) { return system("command -v gnuplot >/dev/null 2>&1") == 0; }

static void run_gnuplot(const char* script_path)
{
  char cmd[8300];
  snprintf(cmd, sizeof cmd, "gnuplot '%s' >/dev/null 2>&1", script_path);
  if (system(cmd) != 0)
    fprintf(stderr, "mvm: warning: gnuplot failed on %s\n", script_path);
}

/* Gantt: one lane per source host, one colour per sync group (or VM pair). */
static int plot_gantt(const mvm_scenario* sc, const mvm_report_entry* e, const char* dir, mvm_error* err)
{
  char data[4096], script[4096], png[4096];
  snprintf(data, sizeof data, "%s/gantt-%s.dat", dir, e->name);
  snprintf(script, sizeof script, "%s/gantt-%s.gp", dir, e->name);
  snprintf(png, sizeof png, "%s/gantt-%s.png", dir, e->name);
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
      fprintf(out.fp, "%d %.6f %.6f %.6f %.6f %d %s\n", lane[n], a->start, a->end, s->start, s->end, colour[v] % 8,
              a->subject);
    }
    rc = mvm_out_commit(&out, err);
  }
  if (!rc && !(rc = mvm_out_open(&out, script, err))) {
    FILE* fp = out.fp;
    fprintf(fp, "set terminal pngcairo size 1100,%d font 'sans,10'\nset output '%s'\n", 180 + 60 * nl, png);
    fprintf(fp, "set title 'Plan %s: migrations per source host (bar = simulated, outline = predicted; one colour per "
                "sync group)'\n",
            e->name);
    fprintf(fp, "set xlabel 'time (s)'\nset yrange [0.3:%d.7]\nset ytics (", nl);
    int first = 1;
    for (size_t nd = 0; nd < sc->nnodes; nd++)
      if (lane[nd]) {
        fprintf(fp, "%s'%s' %d", first ? "" : ", ", sc->nodes[nd].host, lane[nd]);
        first = 0;
      }
    fprintf(fp, ")\nset grid xtics\nunset key\nset style fill solid 0.6 border -1\n"
                "set palette maxcolors 8\nset palette defined (0 '#1b9e77', 1 '#d95f02', 2 '#7570b3', 3 '#e7298a', "
                "4 '#66a61e', 5 '#e6ab02', 6 '#a6761d', 7 '#666666')\nset cbrange [0:7]\nunset colorbox\n");
    fprintf(fp, "plot '%s' using (($4+$5)/2):1:(($5-$4)/2):(0.28):6 with boxxyerror fc palette, \\\n"
                "     '' using (($2+$3)/2):1:(($3-$2)/2):(0.36) with boxxyerror fs empty border lc rgb 'black' dt 2, \\\n"
                "     '' using (($4+$5)/2):1:7 with labels font 'sans,8'\n",
            data);
    rc = mvm_out_commit(&out, err);
  }
  free(lane);
  free(colour);
  if (!rc)
    run_gnuplot(script);
  return rc;
}

static int plot_power(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  char script[4096], png[4096];
  snprintf(script, sizeof script, "%s/power.gp", dir);
  snprintf(png, sizeof png, "%s/power.png", dir);
  mvm_outfile out;
  int rc = mvm_out_open(&out, script, err);
  if (rc)
    return rc;
  FILE* fp = out.fp;
  fprintf(fp, "set terminal pngcairo size 1100,500 font 'sans,10'\nset output '%s'\nset datafile separator ','\n", png);
  fprintf(fp, "set title 'Power over time: predicted (dashed) and simulated (solid)'\nset xlabel 'time (s)'\n"
              "set ylabel 'power (kW)'\nset key outside right\nset grid\n");
  double budget = -1;
  for (size_t c = 0; c < sc->nconstraints; c++)
    if (sc->constraints[c].kind == MVM_C_POWER)
      budget = sc->constraints[c].max;
  fprintf(fp, "plot ");
  for (size_t k = 0; k < n; k++) {
    fprintf(fp,
            "%s'%s/power.csv' using (strcol(1) eq '%s' ? $2 : 1/0):($4/1000) with steps lw 2 lc %zu title '%s simulated', \\\n"
            "  '' using (strcol(1) eq '%s' ? $2 : 1/0):($3/1000) with steps dt 2 lc %zu title '%s predicted'",
            k ? ", \\\n  " : "", dir, e[k].name, k + 1, e[k].name, e[k].name, k + 1, e[k].name);
  }
  if (budget > 0)
    fprintf(fp, ", \\\n  %.3f with lines lw 2 lc rgb 'red' title 'budget %.1f kW'", budget / 1000, budget / 1000);
  fprintf(fp, "\n");
  rc = mvm_out_commit(&out, err);
  if (!rc)
    run_gnuplot(script);
  return rc;
}

int mvm_report_write(const mvm_scenario* sc, const mvm_report_entry* e, size_t n, const char* dir, mvm_error* err)
{
  int rc = mvm_mkdir_p(dir, err);
  if (!rc)
    rc = write_actions(e, n, dir, err);
  if (!rc)
    rc = write_power(sc, e, n, dir, err);
  if (!rc)
    rc = write_summary(sc, e, n, dir, err);
  if (!rc && have_gnuplot()) {
    for (size_t k = 0; k < n && !rc; k++)
      rc = plot_gantt(sc, &e[k], dir, err);
    if (!rc)
      rc = plot_power(sc, e, n, dir, err);
  }
  return rc;
}
