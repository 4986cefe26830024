#include "mvm/ident.h"
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
  if (p->executed)
    fprintf(fp, "# timeline: executed\n");
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

/* A time in seconds as the writer writes it: finite, >= 0, at most 1e18 (the unit parser's
 * bound on any scenario quantity). Returns 0, or -1. */
static int parse_time(const char* s, double* out)
{
  if (!*s)
    return -1;
  char* end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end || errno || !isfinite(v) || v < 0 || v > 1e18)
    return -1;
  *out = v;
  return 0;
}

/* Reads one line into buf (max + 1 bytes), without its newline. Returns its length, -1 at
 * the end of the file, -2 if it is longer than max bytes (the rest is not read), -3 if it
 * holds a NUL byte. */
static long read_line(FILE* fp, char* buf, size_t max)
{
  size_t n = 0;
  int c, nul = 0;
  while ((c = getc(fp)) != EOF && c != '\n') {
    if (n == max)
      return -2;
    nul |= c == '\0';
    buf[n++] = (char)c;
  }
  if (c == EOF && n == 0)
    return -1;
  buf[n] = '\0';
  return nul ? -3 : (long)n;
}

/* Checks the three id columns of a row; fails with file:line naming the first bad one. */
static int check_ids(const char* path, int lineno, char* const* field, mvm_error* err)
{
  static const char* const col[] = {"subject", "from", "to"};
  for (int k = 1; k <= 3; k++)
    if (!mvm_id_valid(field[k])) {
      char cut[MVM_ID_CUT], cut0[MVM_ID_CUT];
      return mvm_err_set(err, MVM_EINPUT, "%s:%d: %s '%s': %s: invalid id '%s' (%s)", path, lineno,
                         field[0], mvm_id_cut(field[1], cut0), col[k - 1], mvm_id_cut(field[k], cut), mvm_id_rule);
    }
  return 0;
}

int mvm_plan_read(const char* path, mvm_plan** out, mvm_error* err)
{
  *out = NULL;
  FILE* fp = fopen(path, "r");
  if (!fp)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot read: %s", path, strerror(errno));
  mvm_plan* p = mvm_plan_new(err);
  char* line = malloc(MVM_PLAN_MAX_LINE + 1);
  if (!p || !line) {
    mvm_plan_free(p);
    free(line);
    fclose(fp);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  long len;
  int lineno = 0, seen_header = 0, rc = 0;
  while ((len = read_line(fp, line, MVM_PLAN_MAX_LINE)) != -1) {
    lineno++;
    if (len == -2) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: line %d too long (more than %d bytes)", path, lineno, lineno,
                       MVM_PLAN_MAX_LINE);
      break;
    }
    if (len == -3) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: NUL byte in the line", path, lineno);
      break;
    }
    while (len > 0 && line[len - 1] == '\r')
      line[--len] = '\0';
    if (line[0] == '#') {
      if (strcmp(line, "# timeline: executed") == 0)
        p->executed = 1;
      if (strncmp(line, "# scheduler: ", 13) == 0 && !p->scheduler) {
        char cut[MVM_ID_CUT];
        if (!mvm_id_valid(line + 13)) {
          rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: scheduler: invalid id '%s' (%s)", path, lineno,
                           mvm_id_cut(line + 13, cut), mvm_id_rule);
          break;
        }
        if (!(p->scheduler = mvm_xstrdup(line + 13, err))) {
          rc = MVM_ENOMEM;
          break;
        }
      }
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
    if (p->nactions >= MVM_PLAN_MAX_ACTIONS) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: more than %d actions", path, lineno, MVM_PLAN_MAX_ACTIONS);
      break;
    }
    char* field[7] = {0};
    int nf = 0;
    for (char* s = line; s; nf++) {
      char* c = strchr(s, ',');
      if (c)
        *c = '\0';
      if (nf < 7)
        field[nf] = s;
      s = c ? c + 1 : NULL;
    }
    if (nf != 7) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: expected 7 columns, found %d", path, lineno, nf);
      break;
    }
    int kind = -1;
    for (int k = 0; k < 3; k++)
      if (strcmp(field[0], kind_names[k]) == 0)
        kind = k;
    if (kind < 0) {
      char cut[MVM_ID_CUT];
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: action: unknown action '%s'", path, lineno,
                       mvm_id_cut(field[0], cut));
      break;
    }
    if ((rc = check_ids(path, lineno, field, err)))
      break;
    double st, ed, bw = 0;
    if (parse_time(field[4], &st) || parse_time(field[5], &ed)) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: %s '%s': start or end is not a time in seconds", path,
                       lineno, field[0], field[1]);
      break;
    }
    if (ed < st) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: %s '%s': ends (%.6f s) before it starts (%.6f s)", path, lineno,
                       field[0], field[1], ed, st);
      break;
    }
    if (kind == MVM_ACT_MIGRATE) {
      char* end;
      errno = 0;
      bw = strtod(field[6], &end);
      if (!*field[6] || *end || errno || !isfinite(bw) || bw <= 0 || bw > 1e13) {
        char cut[MVM_ID_CUT];
        rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: migrate '%s': bandwidth_mbps '%s' is not a positive number",
                         path, lineno, field[1], mvm_id_cut(field[6], cut));
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
