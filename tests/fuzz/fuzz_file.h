/* Shared by the file-reading harnesses: the readers take a path, so each input is written
 * to a per-process file in /dev/shm (memory) first. */
#ifndef MVM_FUZZ_FILE_H
#define MVM_FUZZ_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_path[64];

/* Removes the input file when the harness exits (the last input stays otherwise). */
static void fuzz_cleanup(void) { unlink(fuzz_path); }

static const char* fuzz_write(const unsigned char* data, size_t size, const char* ext)
{
  char* path = fuzz_path;
  if (!path[0])
    atexit(fuzz_cleanup);
  snprintf(fuzz_path, sizeof fuzz_path, "/dev/shm/mvm-fuzz-%ld.%s", (long)getpid(), ext);
  FILE* fp = fopen(path, "wb");
  if (!fp)
    abort();
  if (size && fwrite(data, 1, size, fp) != size)
    abort();
  fclose(fp);
  return path;
}

#endif
