#include "mvm/io.h"
#include "mvm/plan.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char* const kind_names[] = {"migrate", "boot", "shutdown"};
static const char header[] = "action,subject,from,to,start,end,bandwidth_mbps";

const char* mvm_action_kind_name(mvm_action_kind k) { return kind_names[k]; }

mvm_plan* mvm_plan_new(mvm_error* err)
{
  mvm_plan* p = mvm_xcalloc(1, sizeof *p, err);
  if (p)
    p->lower_bound = -1;
  return p;
}

void mvm_plan_free(mvm_plan* p)
{
  if (!p)
    return;
  for (size_t i = 0; i < p->nactions; i++) {
    free(p->actions[i].subject);
    free(p->actions[i].from);
    free(p->actions[i].to);
  }
  free(p->actions);
  free(p->scheduler);
  free(p);
}

int mvm_plan_add(mvm_plan* p, mvm_action_kind kind, const char* subject, const char* from,
                 const char* to, double start, double end, double bw, mvm_error* err)
{
  if (mvm_grow((void**)&p->actions, &p->cap, p->nactions + 1, sizeof(mvm_action), err))
    return MVM_ENOMEM;
  mvm_action* a = &p->actions[p->nactions];
  a->kind = kind;
  a->subject = strdup(subject);
  a->from = strdup(from);
  a->to = strdup(to);
  a->start = start;
  a->end = end;
  a->bandwidth_mbps = bw;
  a->line = 0;
  if (!a->subject || !a->from || !a->to) {
    free(a->subject);
    free(a->from);
    free(a->to);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  p->nactions++;
  return 0;
}

static double q6(double x) { return round(x * 1e6) / 1e6; }

static int cmp_action(const void* a, const void* b)
{
  const mvm_action* x = a;
  const mvm_action* y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  int c = strcmp(x->subject, y->subject);
  if (c)
    return c;
  return (int)x->kind - (int)y->kind;
}

void mvm_plan_normalize(mvm_plan* p)
{
  for (size_t i = 0; i < p->nactions; i++) {
    mvm_action* a = &p->actions[i];
    a->start = q6(a->start);
    a->end = q6(a->end);
    a->bandwidth_mbps = q6(a->bandwidth_mbps);
  }
  mvm_qsort(p->actions, p->nactions, sizeof(mvm_action), cmp_action);
}

double mvm_plan_sum_ends(const mvm_plan* p)
{
  double s = 0;
  for (size_t i = 0; i < p->nactions; i++)
    s += p->actions[i].end;
  return s;
}

double mvm_plan_gap_percent(const mvm_plan* p)
{
  double obj = mvm_plan_sum_ends(p);
  if (obj <= 0 || p->lower_bound < 0 || fabs(obj - p->lower_bound) <= 1e-6 * (double)(p->nactions + 1))
    return 0.0;
  return 100.0 * (obj - p->lower_bound) / obj;
}

double mvm_plan_makespan(const mvm_plan* p)
{
  double m = 0;
  for (size_t i = 0; i < p->nactions; i++)
    if (p->actions[i].end > m)
      m = p->actions[i].end;
  return m;
}

int mvm_plan_write_fp(mvm_plan* p, FILE* fp)
{
  mvm_plan_normalize(p);
  if (p->scheduler)
    fprintf(fp, "# scheduler: %s\n", p->scheduler);
  fprintf(fp, "# objective (sum of end times, s): %.6f\n", mvm_plan_sum_ends(p));
  fprintf(fp, "# makespan (s): %.6f\n", mvm_plan_makespan(p));
  if (p->lower_bound >= 0) {
    fprintf(fp, "# lower bound (s): %.6f\n", p->lower_bound);
    fprintf(fp, "# gap: %.4f%%\n", mvm_plan_gap_percent(p));
  }
  if (p->alt_objective) {
    fprintf(fp, "# objective (%s): %.6f\n", p->alt_objective, p->alt_value);
    if (p->alt_bound >= 0)
      fprintf(fp, "# lower bound (%s): %.6f\n# gap (%s): %.4f%%\n", p->alt_objective, p->alt_bound,
              p->alt_objective, p->alt_value > 0 ? 100.0 * (p->alt_value - p->alt_bound) / p->alt_value : 0.0);
  }
  fprintf(fp, "%s\n", header);
  for (size_t i = 0; i < p->nactions; i++) {
    const mvm_action* a = &p->actions[i];
    fprintf(fp, "%s,%s,%s,%s,%.6f,%.6f,", kind_names[a->kind], a->subject, a->from, a->to,
            a->start, a->end);
    if (a->kind == MVM_ACT_MIGRATE)
      fprintf(fp, "%.6f", a->bandwidth_mbps);
    fputc('\n', fp);
  }
  return ferror(fp) ? -1 : 0;
}

int mvm_plan_write(mvm_plan* p, const char* path, mvm_error* err)
{
  mvm_outfile out;
  int rc = mvm_out_open(&out, path, err);
  if (rc)
    return rc;
  if (mvm_plan_write_fp(p, out.fp) != 0) {
    mvm_out_abort(&out);
    return mvm_err_set(err, MVM_EIO, "%s: write error", path);
  }
  return mvm_out_commit(&out, err);
}

/* ---------- reading ---------- */

static int parse_time(const char* s, double* out)
{
  if (!*s)
    return -1;
  char* end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end || errno || !isfinite(v) || v < 0 || v > 1e12)
    return -1;
  *out = v;
  return 0;
}

static int valid_name(const char* s)
{
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s == '"' || iscntrl((unsigned char)*s))
      return 0;
  return 1;
}

int mvm_plan_read(const char* path, mvm_plan** out, mvm_error* err)
{
  *out = NULL;
  FILE* fp = fopen(path, "r");
  if (!fp)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot read: %s", path, strerror(errno));
  mvm_plan* p = mvm_plan_new(err);
  if (!p) {
    fclose(fp);
    return MVM_ENOMEM;
  }
  char* line = NULL;
  size_t cap = 0;
  ssize_t len;
  int lineno = 0, seen_header = 0, rc = 0;
  while ((len = getline(&line, &cap, fp)) >= 0) {
    lineno++;
    if ((size_t)len != strlen(line)) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: NUL byte in the line", path, lineno);
      break;
    }
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    if (line[0] == '#') {
      if (strncmp(line, "# scheduler: ", 13) == 0 && !p->scheduler)
        p->scheduler = strdup(line + 13);
      continue;
    }
    if (len == 0)
      continue;
    if (!seen_header) {
      if (strncmp(line, header, sizeof header - 1) != 0 ||
          (line[sizeof header - 1] != '\0' && line[sizeof header - 1] != ',')) {
        rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: header: expected '%s'", path, lineno, header);
        break;
      }
      seen_header = 1;
      continue;
    }
    char* field[8] = {0};
    int nf = 0;
    char* s = line;
    while (nf < 8) {
      field[nf++] = s;
      char* c = strchr(s, ',');
      if (!c)
        break;
      *c = '\0';
      s = c + 1;
    }
    if (nf < 7) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: expected 7 columns, found %d", path, lineno, nf);
      break;
    }
    int kind = -1;
    for (int k = 0; k < 3; k++)
      if (strcmp(field[0], kind_names[k]) == 0)
        kind = k;
    if (kind < 0) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: action: unknown action '%s'", path, lineno, field[0]);
      break;
    }
    if (!valid_name(field[1]) || !valid_name(field[2]) || !valid_name(field[3])) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: %s '%s': empty or invalid subject, from or to", path,
                       lineno, field[0], field[1]);
      break;
    }
    double st, ed, bw = 0;
    if (parse_time(field[4], &st) || parse_time(field[5], &ed)) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: %s '%s': start or end is not a time in seconds", path,
                       lineno, field[0], field[1]);
      break;
    }
    if (ed < st) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: %s '%s': ends (%s) before it starts (%s)", path, lineno,
                       field[0], field[1], field[5], field[4]);
      break;
    }
    if (kind == MVM_ACT_MIGRATE) {
      char* end;
      errno = 0;
      bw = strtod(field[6], &end);
      if (!*field[6] || *end || errno || !isfinite(bw) || bw <= 0 || bw > 1e12) {
        rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: migrate '%s': bandwidth_mbps '%s' is not a positive number",
                         path, lineno, field[1], field[6]);
        break;
      }
    } else if (*field[6]) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: %s '%s': bandwidth must be empty", path, lineno, field[0],
                       field[1]);
      break;
    }
    if ((rc = mvm_plan_add(p, (mvm_action_kind)kind, field[1], field[2], field[3], st, ed, bw, err)))
      break;
    p->actions[p->nactions - 1].line = lineno;
  }
  if (!rc && ferror(fp))
    rc = mvm_err_set(err, MVM_EINPUT, "%s: read error", path);
  if (!rc && !seen_header)
    rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: header: missing (empty plan file)", path, lineno + (lineno == 0));
  free(line);
  fclose(fp);
  if (rc) {
    mvm_plan_free(p);
    return rc;
  }
  *out = p;
  return 0;
}
