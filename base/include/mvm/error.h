/* mvm — error codes and error reports shared by every module.
 *
 * A library function never prints, exits or aborts: it fills an mvm_error and
 * returns its code. The command-line tool maps codes to exit statuses. */
#ifndef MVM_ERROR_H
#define MVM_ERROR_H

#include <stddef.h>

/* code name, exit status of the `mvm` tool, description */
#define MVM_ERRNO_MAP(X)                                                                   \
  X(OK, 0, "success")                                                                      \
  X(VIOLATION, 1, "the plan violates the scenario")                                        \
  X(INPUT, 2, "bad input")                                                                 \
  X(INFEASIBLE, 3, "the scenario is infeasible")                                           \
  X(SIMULATION, 4, "simulation failure")                                                   \
  X(NOMEM, 5, "out of memory")                                                             \
  X(IO, 6, "input/output error")

typedef enum {
#define MVM_ERR_ENUM(name, status, text) MVM_E##name,
  MVM_ERRNO_MAP(MVM_ERR_ENUM)
#undef MVM_ERR_ENUM
} mvm_errcode;

#define MVM_ERROR_MSG_MAX 1024

/* What went wrong, as a message meant for a person: "file:line: object: what". */
typedef struct mvm_error {
  mvm_errcode code;
  char msg[MVM_ERROR_MSG_MAX];
} mvm_error;

/* Short description of a code; never NULL. */
const char* mvm_strerror(mvm_errcode code);
/* Exit status the `mvm` tool uses for a code. */
int mvm_exit_status(mvm_errcode code);
/* Sets err (if not NULL) to code and the formatted message; returns code. */
mvm_errcode mvm_err_set(mvm_error* err, mvm_errcode code, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends "; more" to an existing message (for lists of conflicts). */
void mvm_err_append(mvm_error* err, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation helpers that never return NULL silently: they return NULL and set err. */
void* mvm_xcalloc(size_t n, size_t size, mvm_error* err);
char* mvm_xstrdup(const char* s, mvm_error* err);
/* Grows *arr (element size esz) so it can hold need elements; returns 0 or MVM_ENOMEM. */
int mvm_grow(void** arr, size_t* cap, size_t need, size_t esz, mvm_error* err);

/* For tests (fault injection): with n >= 1, the n-th allocation from now through
 * mvm_xcalloc, mvm_xstrdup or mvm_grow fails, as if memory ran out; n = 0 disarms. Returns
 * 1 if an armed failure was injected since the previous call, else 0. Not thread-safe. */
int mvm_alloc_fail_at(unsigned long n);

/* qsort that accepts an empty (possibly NULL) array. */
void mvm_qsort(void* base, size_t n, size_t size, int (*cmp)(const void*, const void*));

#endif
