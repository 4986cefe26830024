#include "mvm/io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mvm_out_open(mvm_outfile* out, const char* path, mvm_error* err)
{
  memset(out, 0, sizeof *out);
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
  size_t n = strlen(path) + 32;
  out->tmp = malloc(n);
  out->path = strdup(path);
  if (!out->tmp || !out->path) {
    mvm_out_abort(out);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  snprintf(out->tmp, n, "%s.tmp.%ld", path, (long)getpid());
  out->fp = fopen(out->tmp, "w");
  if (!out->fp) {
    int e = errno;
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
  int bad = ferror(out->fp);
  if (fclose(out->fp) != 0)
    bad = 1;
  out->fp = NULL;
  if (!out->tmp) /* written in place */
    return bad ? mvm_err_set(err, MVM_EIO, "write error") : 0;
  if (bad || rename(out->tmp, out->path) != 0) {
    int e = errno;
    mvm_err_set(err, MVM_EIO, "%s: cannot write: %s", out->path, strerror(e));
    mvm_out_abort(out);
    return MVM_EIO;
  }
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
  free(out->tmp);
  free(out->path);
  out->tmp = out->path = NULL;
}

int mvm_mkdir_p(const char* dir, mvm_error* err)
{
  char buf[4096];
  if (strlen(dir) >= sizeof buf)
    return mvm_err_set(err, MVM_EIO, "%s: path too long", dir);
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
