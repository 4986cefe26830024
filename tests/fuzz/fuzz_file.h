/* Shared by the file-reading harnesses: the readers take a path, so each input is written
 * to a per-process file in /dev/shm (memory) first. */
#ifndef MVM_FUZZ_FILE_H
#define MVM_FUZZ_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char* fuzz_write(const unsigned char* data, size_t size, const char* ext)
{
  static char path[64];
  snprintf(path, sizeof path, "/dev/shm/mvm-fuzz-%ld.%s", (long)getpid(), ext);
  FILE* fp = fopen(path, "wb");
  if (!fp)
    abort();
  if (size && fwrite(data, 1, size, fp) != size)
    abort();
  fclose(fp);
  return path;
}

#endif
