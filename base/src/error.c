#include "mvm/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char* mvm_strerror(mvm_errcode code)
{
  switch (code) {
#define MVM_ERR_TEXT(name, status, text)                                                   \
  case MVM_E##name:                                                                        \
    return text;
    MVM_ERRNO_MAP(MVM_ERR_TEXT)
#undef MVM_ERR_TEXT
  }
  return "unknown error";
}

int mvm_exit_status(mvm_errcode code)
{
  switch (code) {
#define MVM_ERR_STATUS(name, status, text)                                                 \
  case MVM_E##name:                                                                        \
    return status;
    MVM_ERRNO_MAP(MVM_ERR_STATUS)
#undef MVM_ERR_STATUS
  }
  return 2;
}

mvm_errcode mvm_err_set(mvm_error* err, mvm_errcode code, const char* fmt, ...)
{
  if (err) {
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

void mvm_err_append(mvm_error* err, const char* fmt, ...)
{
  if (!err)
    return;
  size_t len = strlen(err->msg);
  if (len + 1 >= sizeof err->msg)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg + len, sizeof err->msg - len, fmt, ap);
  va_end(ap);
}

static unsigned long fail_countdown; /* 0: off */
static int fail_fired;

int mvm_alloc_fail_at(unsigned long n)
{
  int fired = fail_fired;
  fail_countdown = n;
  fail_fired = 0;
  return fired;
}

/* 1 if the allocation about to be made is the one to fail (fault injection for tests). */
static int injected_failure(void)
{
  if (!fail_countdown || --fail_countdown)
    return 0;
  fail_fired = 1;
  return 1;
}

void* mvm_xcalloc(size_t n, size_t size, mvm_error* err)
{
  void* p = injected_failure() ? NULL : calloc(n ? n : 1, size ? size : 1);
  if (!p)
    mvm_err_set(err, MVM_ENOMEM, "out of memory (%zu x %zu bytes)", n, size);
  return p;
}

char* mvm_xstrdup(const char* s, mvm_error* err)
{
  char* p = injected_failure() ? NULL : strdup(s ? s : "");
  if (!p)
    mvm_err_set(err, MVM_ENOMEM, "out of memory");
  return p;
}

int mvm_grow(void** arr, size_t* cap, size_t need, size_t esz, mvm_error* err)
{
  if (need <= *cap)
    return 0;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need)
    ncap *= 2;
  void* p = injected_failure() ? NULL : realloc(*arr, ncap * esz);
  if (!p)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory (%zu elements)", ncap);
  memset((char*)p + *cap * esz, 0, (ncap - *cap) * esz);
  *arr = p;
  *cap = ncap;
  return 0;
}

void mvm_qsort(void* base, size_t n, size_t size, int (*cmp)(const void*, const void*))
{
  if (base && n > 1)
    qsort(base, n, size, cmp);
}
