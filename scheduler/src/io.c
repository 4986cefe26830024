#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include "mvm/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---------- the record of temporaries, readable from a signal handler ---------- */

#define NSLOTS 32
#define SLOT_PATH 4096
static char slot_path[NSLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_kind[NSLOTS]; /* 0 free, 1 file, 2 folder */

/* Records path; returns the slot or -1 if the record is full (the temporary is then only
 * removed by the normal paths, not by a signal). */
static int slot_take(const char* path, int kind)
{
  if (strlen(path) >= SLOT_PATH)
    return -1;
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  int s = -1;
  for (int i = 0; i < NSLOTS && s < 0; i++)
    if (!slot_kind[i]) {
      strcpy(slot_path[i], path);
      slot_kind[i] = kind;
      s = i;
    }
  sigprocmask(SIG_SETMASK, &old, NULL);
  return s;
}

static void slot_free(int s)
{
  if (s >= 0 && s < NSLOTS)
    slot_kind[s] = 0;
}

/* Empties a flat folder without following anything (getdents64 and unlinkat are
 * async-signal-safe; opendir is not). */
static void empty_flat_dir_signal_safe(const char* path)
{
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  char buf[4096];
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n <= 0)
      break;
    for (long off = 0; off < n;) {
      /* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[] */
      unsigned short reclen;
      memcpy(&reclen, buf + off + 16, sizeof reclen);
      const char* name = buf + off + 19;
      if (strcmp(name, ".") && strcmp(name, ".."))
        unlinkat(fd, name, 0);
      off += reclen;
    }
  }
  close(fd);
}

void mvm_io_cleanup_signal_safe(void)
{
  for (int i = 0; i < NSLOTS; i++) {
    if (slot_kind[i] == 1)
      unlink(slot_path[i]);
    else if (slot_kind[i] == 2) {
      empty_flat_dir_signal_safe(slot_path[i]);
      rmdir(slot_path[i]);
    }
    slot_kind[i] = 0;
  }
}

/* ---------- files ---------- */

/* "dir/base" -> "dir/.base.XXXXXX" (malloc'd). */
static char* sibling_template(const char* path)
{
  const char* slash = strrchr(path, '/');
  size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
  const char* base = path + dlen;
  size_t n = strlen(path) + 16;
  char* t = malloc(n);
  if (t)
    snprintf(t, n, "%.*s.%s.XXXXXX", (int)dlen, path, base);
  return t;
}

static mode_t default_mode(mode_t full)
{
  mode_t um = umask(0);
  umask(um);
  return full & ~um;
}

int mvm_out_open(mvm_outfile* out, const char* path, mvm_error* err)
{
  memset(out, 0, sizeof *out);
  out->slot = -1;
  if (strcmp(path, "-") == 0) {
    out->fp = stdout;
    return 0;
  }
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    /* a device or a pipe (/dev/null, /dev/stdout, a FIFO): written in place, never renamed over */
    out->fp = fopen(path, "w");
    if (!out->fp) {
      int e = errno;
      return mvm_err_set(err, MVM_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return 0;
  }
  out->tmp = sibling_template(path);
  out->path = strdup(path);
  if (!out->tmp || !out->path) {
    mvm_out_abort(out);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  int fd = mkstemp(out->tmp); /* O_CREAT | O_EXCL: never follows a planted symlink */
  if (fd < 0) {
    int e = errno;
    free(out->tmp);
    out->tmp = NULL;
    mvm_out_abort(out);
    return mvm_err_set(err, MVM_EIO, "%s: cannot write: %s", path, strerror(e));
  }
  out->slot = slot_take(out->tmp, 1);
  if (fchmod(fd, default_mode(0666)) != 0 || !(out->fp = fdopen(fd, "w"))) {
    int e = errno;
    close(fd);
    mvm_out_abort(out);
    return mvm_err_set(err, MVM_EIO, "%s: cannot write: %s", path, strerror(e));
  }
  return 0;
}

int mvm_out_commit(mvm_outfile* out, mvm_error* err)
{
  if (out->fp == stdout) {
    out->fp = NULL;
    return fflush(stdout) == 0 ? 0 : mvm_err_set(err, MVM_EIO, "stdout: write error");
  }
  int bad = fflush(out->fp) != 0 || ferror(out->fp);
  int e = bad ? errno : 0;
  if (!bad && out->tmp && fsync(fileno(out->fp)) != 0 && errno != EINVAL) {
    bad = 1;
    e = errno;
  }
  if (fclose(out->fp) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  out->fp = NULL;
  if (!out->tmp) /* written in place */
    return bad ? mvm_err_set(err, MVM_EIO, "write error: %s", strerror(e)) : 0;
  if (!bad && rename(out->tmp, out->path) != 0) {
    bad = 1;
    e = errno;
  }
  if (bad) {
    mvm_err_set(err, MVM_EIO, "%s: cannot write: %s", out->path, strerror(e ? e : EIO));
    mvm_out_abort(out);
    return MVM_EIO;
  }
  slot_free(out->slot);
  out->slot = -1;
  free(out->tmp);
  free(out->path);
  out->tmp = out->path = NULL;
  return 0;
}

void mvm_out_abort(mvm_outfile* out)
{
  if (out->fp && out->fp != stdout)
    fclose(out->fp);
  out->fp = NULL;
  if (out->tmp)
    unlink(out->tmp);
  slot_free(out->slot);
  out->slot = -1;
  free(out->tmp);
  free(out->path);
  out->tmp = out->path = NULL;
}

int mvm_mkdir_p(const char* dir, mvm_error* err)
{
  char buf[4096];
  if (strlen(dir) >= sizeof buf)
    return mvm_err_set(err, MVM_EIO, "%.64s...: path too long", dir);
  strcpy(buf, dir);
  for (char* p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return mvm_err_set(err, MVM_EIO, "%s: cannot create directory: %s", buf, strerror(errno));
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return mvm_err_set(err, MVM_EIO, "%s: cannot create directory: %s", buf, strerror(errno));
  return 0;
}

/* ---------- folders ---------- */

/* Removes what fd (a folder) holds, folders included, following no symlink. */
static void remove_tree_at(int fd)
{
  DIR* d = fdopendir(fd);
  if (!d) {
    close(fd);
    return;
  }
  struct dirent* de;
  while ((de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if (unlinkat(dirfd(d), de->d_name, 0) == 0)
      continue;
    int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub >= 0) {
      remove_tree_at(sub);
      unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
    }
  }
  closedir(d);
}

static void remove_tree(const char* path)
{
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0)
    remove_tree_at(fd);
  rmdir(path);
}

/* 1 if name is one mvm writes in an output folder (reports, plots, plans, imports). */
static int mvm_output_name(const char* name)
{
  static const char* const fixed[] = {MVM_OUTDIR_MARKER, "actions.csv", "power.csv", "summary.json", "power.gp",
                                      "power.png", "table.txt", "scenario.xml", "platform.xml", "plan.csv",
                                      /* mvm compare, mvm campaign */
                                      "runs.csv", "summary.csv", "jobs.txt", "slurm.sh", "campaign.txt",
                                      "trace.paje", NULL};
  static const char* const pre[] = {"gantt-", "gantt-", "gantt-", "plan-", "boxplot-", "boxplot-", "boxplot-"};
  static const char* const suf[] = {".dat", ".gp", ".png", ".csv", ".dat", ".gp", ".png"};
  for (int i = 0; fixed[i]; i++)
    if (!strcmp(name, fixed[i]))
      return 1;
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
    size_t a = strlen(pre[i]), b = strlen(suf[i]);
    if (n > a + b && !strncmp(name, pre[i], a) && !strcmp(name + n - b, suf[i]))
      return 1;
  }
  return 0;
}

/* 0 if path does not exist, is an empty folder, or an mvm output folder: the marker, and only
 * regular files of the names mvm writes (a planted marker does not make mvm delete anything
 * else); else an error. */
static int replaceable(const char* path, mvm_error* err)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? 0 : mvm_err_set(err, MVM_EIO, "%s: %s", path, strerror(errno));
  if (S_ISLNK(st.st_mode))
    return mvm_err_set(err, MVM_EINPUT, "%s: output folder is a symbolic link; give the real path", path);
  if (!S_ISDIR(st.st_mode))
    return mvm_err_set(err, MVM_EINPUT, "%s: exists and is not a folder", path);
  DIR* d = opendir(path);
  if (!d)
    return mvm_err_set(err, MVM_EIO, "%s: %s", path, strerror(errno));
  int n = 0, marked = 0;
  char foreign[80] = "";
  struct dirent* de;
  while ((de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    n++;
    marked |= !strcmp(de->d_name, MVM_OUTDIR_MARKER);
    struct stat fs;
    if (!foreign[0] && (!mvm_output_name(de->d_name) || fstatat(dirfd(d), de->d_name, &fs, AT_SYMLINK_NOFOLLOW) != 0 ||
                        !S_ISREG(fs.st_mode)))
      snprintf(foreign, sizeof foreign, "%.64s", de->d_name);
  }
  closedir(d);
  if (n && (!marked || foreign[0]))
    return mvm_err_set(err, MVM_EINPUT,
                       "%s: folder holds files mvm did not write (%s); give a new or empty folder, "
                       "mvm replaces only its own output folders",
                       path, marked ? foreign : "no " MVM_OUTDIR_MARKER);
  return 0;
}

int mvm_outdir_begin(mvm_outdir* d, const char* dir, mvm_error* err)
{
  memset(d, 0, sizeof *d);
  d->slot = -1;
  size_t len = strlen(dir);
  while (len > 1 && dir[len - 1] == '/')
    len--;
  if (len == 0 || len >= 4000)
    return mvm_err_set(err, MVM_EINPUT, "output folder: empty or too long a path");
  d->final = strndup(dir, len);
  if (!d->final)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  const char* base = strrchr(d->final, '/');
  base = base ? base + 1 : d->final;
  if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(d->final, "/")) {
    mvm_err_set(err, MVM_EINPUT, "%s: name a folder of its own for the output (not . or ..)", d->final);
    mvm_outdir_abort(d);
    return MVM_EINPUT;
  }
  int rc = replaceable(d->final, err);
  if (!rc && base != d->final) {
    char* parent = strndup(d->final, (size_t)(base - d->final));
    rc = parent ? mvm_mkdir_p(parent, err) : (int)mvm_err_set(err, MVM_ENOMEM, "out of memory");
    free(parent);
    if (!rc) /* a path through "..": it resolves only now */
      rc = replaceable(d->final, err);
  }
  if (!rc) {
    d->tmp = sibling_template(d->final);
    if (!d->tmp)
      rc = mvm_err_set(err, MVM_ENOMEM, "out of memory");
    else if (!mkdtemp(d->tmp)) {
      rc = mvm_err_set(err, MVM_EIO, "%s: cannot create a folder beside it: %s", d->final, strerror(errno));
      free(d->tmp);
      d->tmp = NULL;
    }
  }
  if (rc) {
    mvm_outdir_abort(d);
    return rc;
  }
  d->slot = slot_take(d->tmp, 2);
  char marker[4200];
  snprintf(marker, sizeof marker, "%s/%s", d->tmp, MVM_OUTDIR_MARKER);
  int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0 || chmod(d->tmp, default_mode(0777)) != 0) {
    rc = mvm_err_set(err, MVM_EIO, "%s: cannot write: %s", d->tmp, strerror(errno));
    if (fd >= 0)
      close(fd);
    mvm_outdir_abort(d);
    return rc;
  }
  close(fd);
  return 0;
}

const char* mvm_outdir_path(const mvm_outdir* d) { return d->tmp; }

int mvm_outdir_commit(mvm_outdir* d, mvm_error* err)
{
  const char* base = strrchr(d->final, '/');
  char* parent = base ? strndup(d->final, (size_t)(base - d->final) + 1) : strdup(".");
  if (!parent) {
    mvm_outdir_abort(d);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  int lock = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(parent);
  if (lock >= 0)
    while (flock(lock, LOCK_EX) != 0 && errno == EINTR)
      ;
  int rc = replaceable(d->final, err);
  struct stat st;
  if (!rc) {
    if (lstat(d->final, &st) != 0) {
      if (rename(d->tmp, d->final) != 0)
        rc = mvm_err_set(err, MVM_EIO, "%s: cannot create: %s", d->final, strerror(errno));
      else {
        slot_free(d->slot);
        d->slot = -1;
        free(d->tmp);
        d->tmp = NULL;
      }
    } else if (renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->final, RENAME_EXCHANGE) != 0)
      rc = mvm_err_set(err, MVM_EIO, "%s: cannot replace: %s", d->final, strerror(errno));
    /* after the exchange, d->tmp holds the old folder: removed below */
  }
  if (lock >= 0)
    close(lock); /* releases the lock */
  mvm_outdir_abort(d);
  return rc;
}

void mvm_outdir_abort(mvm_outdir* d)
{
  if (d->tmp)
    remove_tree(d->tmp);
  slot_free(d->slot);
  d->slot = -1;
  free(d->tmp);
  free(d->final);
  d->tmp = d->final = NULL;
}
