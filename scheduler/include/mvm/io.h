/* mvm — atomic output files: written whole under a temporary name, then renamed, so an
 * interrupted run never leaves a half-written file behind. */
#ifndef MVM_IO_H
#define MVM_IO_H

#include "mvm/error.h"

#include <stdio.h>

typedef struct mvm_outfile {
  FILE* fp;
  char* path;
  char* tmp;
} mvm_outfile;

/* Opens a temporary file beside path. "-" means stdout (no renaming). Returns 0 or an error. */
int mvm_out_open(mvm_outfile* out, const char* path, mvm_error* err);
/* Flushes, closes and renames into place. Returns 0 or MVM_EIO (the temporary is removed). */
int mvm_out_commit(mvm_outfile* out, mvm_error* err);
/* Closes and removes the temporary file. Safe to call twice or after commit. */
void mvm_out_abort(mvm_outfile* out);

/* Creates a directory and its parents if needed. Returns 0 or MVM_EIO. */
int mvm_mkdir_p(const char* dir, mvm_error* err);

#endif
