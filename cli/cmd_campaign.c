/* mvm campaign SPEC -o DIR: a sweep of mvm compare jobs (scenarios x blocks of seeds),
 * written as DIR/jobs.txt and a Slurm job-array script DIR/slurm.sh, run here by mvm's own
 * pool of processes (posix_spawn of mvm itself, no shell), resumable (a job whose folder
 * holds runs.csv is done: mvm compare writes its folder whole), and merged into
 * DIR/results by mvm compare --merge.
 *
 * SPEC (untrusted: at most 64 kB, lines of 1000 bytes, '#' comments), `key = value`:
 *   scenarios = a.xml b.xml     paths relative to SPEC's folder, [A-Za-z0-9._/+-] only
 *   policies = mvm,mvm-online   built-in names only: a SPEC never makes mvm load code
 *                               (add your own objects with -s ./x.so on the command line)
 *   seeds = 30   seeds-per-job = 5   seed0 = 1   bias = 1.5   sigma = 0.3 */
#define _GNU_SOURCE
#include "cli.h"
#include "compare.h"
#include "mvm/ident.h"
#include "mvm/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#define MARKER ".mvm-campaign"

typedef struct spec {
  char scen[CMP_MAX_SCEN][PATH_MAX];
  int nscen;
  char policies[2048];
  long seeds, per_job, seed0;
  double bias, sigma;
} spec;

/* 1 if every byte of s is in [A-Za-z0-9._/+-] (no quoting needed in jobs.txt or slurm.sh). */
static int safe_path(const char* s)
{
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("._/+-", *s)))
      return 0;
  return 1;
}

static char* trim(char* s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

static int num(const char* path, int line, const char* key, const char* v, double lo, double hi, double* out,
               mvm_error* err)
{
  char* end;
  *out = strtod(v, &end);
  if (end == v || *end || !(*out >= lo && *out <= hi))
    return mvm_err_set(err, MVM_EINPUT, "%s:%d: %s: '%.64s' is not a number from %g to %g", path, line, key, v, lo, hi);
  return 0;
}

/* The value of `scenarios`: paths relative to the SPEC's folder. */
static int scenarios_of(spec* sp, const char* path, int line, char* v, mvm_error* err)
{
  const char* slash = strrchr(path, '/');
  int dlen = slash ? (int)(slash - path + 1) : 0;
  char* save = NULL;
  for (char* w = strtok_r(v, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
    if (sp->nscen >= CMP_MAX_SCEN)
      return mvm_err_set(err, MVM_EINPUT, "%s:%d: scenarios: at most %d", path, line, CMP_MAX_SCEN);
    if (!safe_path(w))
      return mvm_err_set(err, MVM_EINPUT, "%s:%d: scenarios: '%.64s': only A-Z a-z 0-9 . _ / + - in a path", path, line,
                         w);
    char rel[PATH_MAX];
    char* dst = sp->scen[sp->nscen++];
    if (snprintf(rel, sizeof rel, "%.*s%s", w[0] == '/' ? 0 : dlen, path, w) >= (int)sizeof rel)
      return mvm_err_set(err, MVM_EINPUT, "%s:%d: scenarios: '%.64s': path too long", path, line, w);
    /* absolute: the jobs run from anywhere (a Slurm node) */
    if (!realpath(rel, dst))
      return mvm_err_set(err, MVM_EINPUT, "%s:%d: scenarios: %.200s: %s", path, line, rel, strerror(errno));
    if (!safe_path(dst))
      return mvm_err_set(err, MVM_EINPUT, "%s:%d: scenarios: '%.64s': its real path holds characters outside "
                         "A-Z a-z 0-9 . _ / + -", path, line, w);
  }
  return 0;
}

static int read_spec(const char* path, spec* sp, mvm_error* err)
{
  memset(sp, 0, sizeof *sp);
  sp->seeds = 10;
  sp->per_job = 5;
  sp->seed0 = 1;
  sp->bias = 1;
  sp->sigma = 0.3;
  snprintf(sp->policies, sizeof sp->policies, "mvm,mvm-online,one-by-one,per-host,kubevirt,cqncr,cap-2");
  FILE* fp = fopen(path, "r");
  if (!fp)
    return mvm_err_set(err, MVM_EINPUT, "%s: cannot read: %s", path, strerror(errno));
  char buf[1002];
  int line = 0, rc = 0;
  long total = 0;
  double v;
  while (!rc && fgets(buf, sizeof buf, fp)) {
    line++;
    size_t n = strlen(buf);
    total += (long)n;
    if (total > 65536 || (n == sizeof buf - 1 && buf[n - 1] != '\n'))
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: line over 1000 bytes or file over 64 kB", path, line);
    else if (memchr(buf, '\0', n) != NULL && strlen(buf) != n)
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: NUL byte", path, line);
    if (rc)
      break;
    buf[strcspn(buf, "\n")] = '\0';
    char* s = trim(buf);
    if (!*s || *s == '#')
      continue;
    char* eq = strchr(s, '=');
    if (!eq) {
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: expected 'key = value'", path, line);
      break;
    }
    *eq = '\0';
    char *key = trim(s), *val = trim(eq + 1);
    if (!strcmp(key, "scenarios"))
      rc = scenarios_of(sp, path, line, val, err);
    else if (!strcmp(key, "policies")) {
      if (strchr(val, '/'))
        rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: policies: a SPEC names built-in policies only (a shared object "
                         "runs code: give it with -s on the command line)", path, line);
      else
        snprintf(sp->policies, sizeof sp->policies, "%s", val);
    } else if (!strcmp(key, "seeds") && !(rc = num(path, line, key, val, 1, 100000, &v, err)))
      sp->seeds = (long)v;
    else if (!strcmp(key, "seeds-per-job") && !(rc = num(path, line, key, val, 1, 100000, &v, err)))
      sp->per_job = (long)v;
    else if (!strcmp(key, "seed0") && !(rc = num(path, line, key, val, 0, 1e15, &v, err)))
      sp->seed0 = (long)v;
    else if (!strcmp(key, "bias"))
      rc = num(path, line, key, val, 1e-3, 1e3, &sp->bias, err);
    else if (!strcmp(key, "sigma"))
      rc = num(path, line, key, val, 0, 3, &sp->sigma, err);
    else if (strcmp(key, "seeds") && strcmp(key, "seeds-per-job") && strcmp(key, "seed0"))
      rc = mvm_err_set(err, MVM_EINPUT, "%s:%d: unknown key '%.64s' (scenarios, policies, seeds, seeds-per-job, "
                       "seed0, bias, sigma)", path, line, key);
  }
  fclose(fp);
  if (!rc && sp->nscen == 0)
    rc = mvm_err_set(err, MVM_EINPUT, "%s: no scenarios", path);
  return rc;
}

/* The argv of job k (a compare of one scenario and one block of seeds); words in buf. */
static int job_argv(const spec* sp, const char* exe, const char* dir, long k, char* buf, size_t n, char** argv)
{
  long blocks = (sp->seeds + sp->per_job - 1) / sp->per_job;
  int s = (int)(k / blocks);
  long b = k % blocks, first = sp->seed0 + b * sp->per_job;
  long cnt = sp->per_job < sp->seeds - b * sp->per_job ? sp->per_job : sp->seeds - b * sp->per_job;
  int len = snprintf(buf, n, "%s compare %s -s %s --seed0 %ld -n %ld --bias %.9g --sigma %.9g -j 1 -o %s/jobs/j%05ld",
                     exe, sp->scen[s], sp->policies, first, cnt, sp->bias, sp->sigma, dir, k + 1);
  if (len < 0 || (size_t)len >= n)
    return -1;
  int argc = 0;
  char* save = NULL;
  for (char* w = strtok_r(buf, " ", &save); w && argc < 30; w = strtok_r(NULL, " ", &save))
    argv[argc++] = w;
  argv[argc] = NULL;
  return argc;
}

/* 1 if job k's folder holds runs.csv (mvm compare writes its folder whole: it finished). */
static int job_done(const char* dir, long k)
{
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/jobs/j%05ld/runs.csv", dir, k + 1);
  return access(p, F_OK) == 0;
}

static int write_files(const spec* sp, const char* exe, const char* dir, long njobs, mvm_error* err)
{
  char path[PATH_MAX + 64], buf[8192];
  char* argv[32];
  mvm_outfile f;
  snprintf(path, sizeof path, "%s/jobs.txt", dir);
  int rc = mvm_out_open(&f, path, err);
  for (long k = 0; !rc && k < njobs; k++) {
    int argc = job_argv(sp, exe, dir, k, buf, sizeof buf, argv);
    for (int i = 0; i < argc; i++)
      fprintf(f.fp, "%s%s", i ? " " : "", argv[i]);
    fputc('\n', f.fp);
  }
  if (!rc && (rc = mvm_out_commit(&f, err)) == 0) {
    snprintf(path, sizeof path, "%s/slurm.sh", dir);
    rc = mvm_out_open(&f, path, err);
  }
  if (rc)
    return rc;
  /* every word is of [A-Za-z0-9._/+-,:] (checked): no quoting needed */
  fprintf(f.fp, "#!/bin/bash\n# mvm campaign: one array task per line of jobs.txt; a finished job (its folder holds\n"
                "# runs.csv) is skipped. Submit: sbatch %s/slurm.sh; then merge:\n"
                "#   %s compare --merge %s -o %s/results\n"
                "#SBATCH --job-name=mvm-campaign\n#SBATCH --array=1-%ld\n#SBATCH --cpus-per-task=1\n"
                "#SBATCH --output=%s/logs/slurm-%%a.log\nset -eu\ncd %s\n"
                "line=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" jobs.txt)\nout=${line##* }\n"
                "[ -e \"$out/runs.csv\" ] && exit 0\nexec $line\n",
          dir, exe, dir, dir, njobs, dir, dir);
  return mvm_out_commit(&f, err);
}

/* Runs the unfinished jobs, at most j at once, each mvm itself through posix_spawn (output
 * in DIR/logs/jNNNNN.log). Returns 0 or the first failure. */
static int run_local(const spec* sp, const char* exe, const char* dir, long njobs, int j, mvm_error* err)
{
  long next = 0, done = 0, skipped = 0;
  int running = 0, rc = 0;
  char logs[PATH_MAX + 16];
  snprintf(logs, sizeof logs, "%s/logs", dir);
  if ((rc = mvm_mkdir_p(logs, err)))
    return rc;
  while ((next < njobs && !rc) || running > 0) {
    while (next < njobs && running < j && !rc) {
      long k = next++;
      if (job_done(dir, k)) {
        skipped++;
        continue;
      }
      char buf[8192], log[PATH_MAX + 64];
      char* argv[32];
      job_argv(sp, exe, dir, k, buf, sizeof buf, argv);
      snprintf(log, sizeof log, "%s/j%05ld.log", logs, k + 1);
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
      posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
      posix_spawn_file_actions_adddup2(&fa, 1, 2);
      pid_t pid;
      int e = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
      posix_spawn_file_actions_destroy(&fa);
      if (e)
        rc = mvm_err_set(err, MVM_EIO, "%s: cannot start: %s", exe, strerror(e));
      else
        running++;
    }
    if (running == 0)
      break;
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    running--;
    done++;
    if ((!WIFEXITED(status) || WEXITSTATUS(status) != 0) && !rc)
      rc = mvm_err_set(err, MVM_ESIMULATION, "a campaign job failed (exit %d): see %s/j*.log; rerun to resume",
                       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), logs);
  }
  fprintf(stderr, "mvm campaign: %ld jobs: %ld run now, %ld done before\n", njobs, done, skipped);
  return rc;
}

/* Creates dir, or accepts one of ours (marked) or an empty one; never through a symlink. */
static int campaign_dir(const char* dir, mvm_error* err)
{
  struct stat st;
  if (lstat(dir, &st) == 0) {
    if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
      return mvm_err_set(err, MVM_EINPUT, "%s: not a folder (or a symbolic link)", dir);
  } else {
    int rc = mvm_mkdir_p(dir, err);
    if (rc)
      return rc;
  }
  char m[PATH_MAX + 32];
  snprintf(m, sizeof m, "%s/" MARKER, dir);
  if (access(m, F_OK) == 0)
    return 0;
  DIR* d = opendir(dir);
  if (!d)
    return mvm_err_set(err, MVM_EIO, "%s: %s", dir, strerror(errno));
  struct dirent* de;
  int foreign = 0;
  while ((de = readdir(d)))
    foreign |= strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
  closedir(d);
  if (foreign)
    return mvm_err_set(err, MVM_EINPUT, "%s: holds files of no mvm campaign; give a new or empty folder", dir);
  int fd = open(m, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
  if (fd < 0)
    return mvm_err_set(err, MVM_EIO, "%s: cannot write: %s", m, strerror(errno));
  close(fd);
  return 0;
}

int cmd_campaign(int argc, char** argv)
{
  const char *dir = NULL, *run = "local", *jobs = "2", *objs = NULL;
  const cli_opt opts[] = {
      {"output", 'o', "DIR", "the campaign's folder (jobs.txt, slurm.sh, jobs/, logs/, results/)", &dir},
      {"run", 0, "HOW", "local (default: run the unfinished jobs here, then merge), slurm or none (write only)", &run},
      {"jobs", 'j', "J", "jobs at once, local (default 2)", &jobs},
      {"policy", 's', "LIST", "shared objects (./x.so,...) added to the SPEC's policies (they run code)", &objs},
      {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("campaign", opts, argc, argv, 1, "one SPEC file", &a);
  if (st >= 0)
    return st;
  mvm_error err = {0};
  spec sp;
  char exe[PATH_MAX], absdir[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  int rc = n <= 0 ? mvm_err_set(&err, MVM_EIO, "cannot find mvm's own path") : 0;
  if (n > 0)
    exe[n] = '\0';
  if (!rc && !dir)
    rc = mvm_err_set(&err, MVM_EINPUT, "campaign: -o DIR is required");
  if (!rc && strcmp(run, "local") && strcmp(run, "slurm") && strcmp(run, "none"))
    rc = mvm_err_set(&err, MVM_EINPUT, "--run: '%.64s' is not local, slurm or none", run);
  char* end;
  long j = strtol(jobs, &end, 10);
  if (!rc && (*end || end == jobs || j < 1 || j > 64))
    rc = mvm_err_set(&err, MVM_EINPUT, "--jobs: a whole number from 1 to 64");
  if (!rc)
    rc = read_spec(a.pos[0], &sp, &err);
  if (!rc && objs) { /* absolute: the jobs run from anywhere */
    char olist[2048], real[PATH_MAX];
    snprintf(olist, sizeof olist, "%s", objs);
    char* osave = NULL;
    for (char* w = strtok_r(olist, ",", &osave); w && !rc; w = strtok_r(NULL, ",", &osave)) {
      size_t l = strlen(sp.policies);
      if (!strchr(w, '/') || !realpath(w, real))
        rc = mvm_err_set(&err, MVM_EINPUT, "-s: '%.64s': a path to a shared object (with a '/') that exists", w);
      else if (snprintf(sp.policies + l, sizeof sp.policies - l, ",%s", real) >= (int)(sizeof sp.policies - l))
        rc = mvm_err_set(&err, MVM_EINPUT, "-s: too long");
    }
  }
  /* every policy must load now (built-in names, and the command line's objects) */
  char list[2048];
  snprintf(list, sizeof list, "%s", sp.policies);
  char* save = NULL;
  for (char* w = rc ? NULL : strtok_r(list, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
    mvm_policy_ref ref;
    if (!(rc = mvm_policy_load(w, &ref, &err)))
      mvm_policy_unload(&ref);
    if (!rc && !safe_path(w))
      rc = mvm_err_set(&err, MVM_EINPUT, "policy '%.64s': only A-Z a-z 0-9 . _ / + - in a campaign", w);
  }
  if (!rc)
    rc = campaign_dir(dir, &err);
  if (!rc && (!realpath(dir, absdir) || !safe_path(absdir) || !safe_path(exe)))
    rc = mvm_err_set(&err, MVM_EINPUT, "%s: the folder's and mvm's paths must hold only A-Z a-z 0-9 . _ / + -", dir);
  long blocks = rc ? 0 : (sp.seeds + sp.per_job - 1) / sp.per_job;
  long njobs = blocks * sp.nscen;
  if (!rc)
    rc = write_files(&sp, exe, absdir, njobs, &err);
  if (!rc && !strcmp(run, "local")) {
    rc = run_local(&sp, exe, absdir, njobs, (int)j, &err);
    if (!rc) {
      char out[PATH_MAX + 16];
      snprintf(out, sizeof out, "%s/results", absdir);
      char* margv[] = {(char*)"compare", (char*)"--merge", absdir, (char*)"-o", out, NULL};
      return cmd_compare(5, margv);
    }
  } else if (!rc)
    printf("%ld jobs in %s/jobs.txt; on a Slurm cluster: sbatch %s/slurm.sh, then mvm compare --merge %s -o %s/results\n",
           njobs, absdir, absdir, absdir, absdir);
  return rc ? cli_fail(&err) : 0;
}
