/* mvm — outputs written whole or not at all.
 *
 * A file is written under an unpredictable temporary name beside its target (mkstemp: created
 * with O_EXCL, so a planted symlink is never followed) and renamed into place. An output
 * folder is built in a sibling temporary folder and swapped into place in one rename, under
 * a lock on its parent, so it holds either the complete new result set or the old one.
 * Temporaries still in the making are recorded, so that a signal handler can remove them
 * (mvm_io_cleanup_signal_safe). */
#ifndef MVM_IO_H
#define MVM_IO_H

#include "mvm/error.h"

#include <stdio.h>

typedef struct mvm_outfile {
  FILE* fp;
  char* path;
  char* tmp;
  int slot; /* in the temporaries' record, -1 if none */
} mvm_outfile;

/* Opens a temporary file beside path. "-" means stdout, and a device or FIFO (/dev/null) is
 * written in place (no renaming). Returns 0 or MVM_EIO/MVM_ENOMEM (nothing left behind). */
int mvm_out_open(mvm_outfile* out, const char* path, mvm_error* err);
/* Flushes, syncs, closes and renames into place. Returns 0 or MVM_EIO (the temporary is removed). */
int mvm_out_commit(mvm_outfile* out, mvm_error* err);
/* Closes and removes the temporary file. Safe to call twice or after commit. */
void mvm_out_abort(mvm_outfile* out);

/* Creates a directory and its parents if needed. Returns 0 or MVM_EIO. */
int mvm_mkdir_p(const char* dir, mvm_error* err);

/* An output folder written whole. Every folder mvm writes holds the marker file
 * MVM_OUTDIR_MARKER; an existing folder is replaced only if it is empty or holds it (a folder
 * of someone else's files is refused, never deleted), and never through a symlink. */
#define MVM_OUTDIR_MARKER ".mvm-output"
typedef struct mvm_outdir {
  char* final; /* the folder asked for */
  char* tmp;   /* where the files go until commit */
  int slot;
} mvm_outdir;

/* Checks that dir may be (re)placed, creates its parents and a sibling temporary folder.
 * Write into mvm_outdir_path(). Returns 0, MVM_EINPUT (dir is a symlink, not a folder, or a
 * folder mvm did not write) or MVM_EIO. */
int mvm_outdir_begin(mvm_outdir* d, const char* dir, mvm_error* err);
const char* mvm_outdir_path(const mvm_outdir* d);
/* Swaps the temporary folder into place (the old one, if any, is then removed), under an
 * exclusive lock on the parent folder (concurrent writers queue). Returns 0 or an error (the
 * temporary folder is removed, the old folder is left as it was). */
int mvm_outdir_commit(mvm_outdir* d, mvm_error* err);
/* Removes the temporary folder. Safe to call twice or after commit. */
void mvm_outdir_abort(mvm_outdir* d);

/* Removes every temporary file and folder still in the making. Async-signal-safe: for a
 * SIGINT/SIGTERM handler. */
void mvm_io_cleanup_signal_safe(void);

#endif
